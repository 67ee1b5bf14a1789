/* model_diff.c - the semantic difference of two regulations (see model_diff.h).
 *
 * Order of the report: identity and metadata, channels, results, actors,
 * variants (each with its steps), flows (each with its items). Within a
 * list, what the old version had and the new one lacks comes first, in the
 * old order; then the new version's parts in its own order. Parts are
 * matched by id, except an actor whose id changed while its label stayed:
 * that is reported once as a rename, not on every step it does. */
#include "model_diff.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "diagram.h"
#include "lower.h"
#include "util.h"
#include "validity.h"

typedef struct {
    strbuf *out;
    size_t count;
    strbuf line;
    const lowered *la, *lb;    /* old, new */
    const regulation *a, *b;
    /* actor renames: old id renamed[i].from is new id renamed[i].to */
    struct rename { const char *from, *to; } *renamed;
    size_t nrenamed;
} ctx;

/* ---- writing lines ---- */

static strbuf *begin(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static strbuf *begin(ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *buf = xvasprintf(fmt, ap);
    va_end(ap);
    sb_init(&c->line);
    sb_add(&c->line, buf);
    free(buf);
    return &c->line;
}

static void finish(ctx *c)
{
    sb_addc(&c->line, '\n');
    sb_add(c->out, c->line.data);
    sb_free(&c->line);
    c->count++;
}

/* A string as the rule language writes it, so one change stays on one
 * line; characters a reader cannot see are shown as <U+XXXX>. */
static const char *const rule_ascii[128] = {
    ['"'] = "\\\"", ['\\'] = "\\\\", ['\n'] = "\\n", ['\t'] = "\\t",
};
static const quoting rule_quoting = { "\"", "\"", rule_ascii, "<U+%04X>", "<U+%04X>" };

static void put_q(strbuf *b, const char *s)
{
    if (s)
        sb_quote(b, s, &rule_quoting);
    else
        sb_add(b, "none");
}

static void put_dur(strbuf *b, const duration *d)
{
    if (d)
        dg_put_duration(b, d);
    else
        sb_add(b, "none");
}

static bool same_str(const char *x, const char *y)
{
    return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

static bool same_dur(const duration *x, const duration *y)
{
    if (!x || !y)
        return !x && !y;
    return x->amount == y->amount && x->unit == y->unit && x->at_most == y->at_most;
}

/* "<where>: <what> "old" -> "new"" when the texts differ; what may be NULL. */
static void text_change(ctx *c, const char *where, const char *what, const char *x, const char *y)
{
    if (same_str(x, y))
        return;
    strbuf *l = what ? begin(c, "%s: %s ", where, what) : begin(c, "%s: ", where);
    put_q(l, x);
    sb_add(l, " -> ");
    put_q(l, y);
    finish(c);
}

static void dur_change(ctx *c, const char *where, const char *what, const duration *x, const duration *y)
{
    if (same_dur(x, y))
        return;
    strbuf *l = begin(c, "%s: %s ", where, what);
    put_dur(l, x);
    sb_add(l, " -> ");
    put_dur(l, y);
    finish(c);
}

/* The channels a step is limited to ("portal, provider"), or NULL when
 * every channel runs it. The caller frees the text. */
static char *only_text(const regulation *r, const lw_step *s)
{
    if (!s->nonly)
        return NULL;
    strbuf b;
    sb_init(&b);
    for (size_t k = 0; k < s->nonly; k++)
        sb_printf(&b, "%s%s", k ? ", " : "", r->channels[s->only[k]].id.name);
    return sb_take(&b);
}

static const char *first_text(const text_decl *t, size_t n)
{
    return n ? t[0].text : NULL;
}

static size_t hash_id(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (size_t)h;
}

/* pos[i] = the index in b of a[i], through a hash table of b's ids. */
static void map_positions(const char *const *a, const char *const *b, size_t n, size_t *pos)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    size_t *slot = xcalloc(cap, sizeof *slot); /* 0: empty, else index + 1 */
    for (size_t j = 0; j < n; j++) {
        size_t h = hash_id(b[j]) & (cap - 1);
        while (slot[h])
            h = (h + 1) & (cap - 1);
        slot[h] = j + 1;
    }
    for (size_t i = 0; i < n; i++) {
        size_t h = hash_id(a[i]) & (cap - 1);
        while (slot[h] && strcmp(b[slot[h] - 1], a[i]) != 0)
            h = (h + 1) & (cap - 1);
        pos[i] = slot[h] ? slot[h] - 1 : 0; /* both hold the same ids */
    }
    free(slot);
}

/* Which of the common ids of a (old order) and b (new order) keep their
 * relative order: a longest common subsequence. moved[j] is set for the
 * ids of b outside it. Both arrays hold the same set of distinct ids, so
 * with pos[i] the place in b of a[i], a common subsequence is an
 * increasing run of pos. Of the longest ones this picks the one the
 * classic table walk picks (skip an id of a whenever a longest run
 * remains without it): at each length the last id of a that can still
 * start a run of that length. Memory is linear in n, time n log n. */
static void find_moved(const char *const *a, const char *const *b, size_t n, bool *moved)
{
    for (size_t j = 0; j < n; j++)
        moved[j] = true;
    if (n == 0)
        return;
    size_t *pos = xcalloc(n, sizeof *pos);
    map_positions(a, b, n, pos);

    /* run[i]: the longest increasing run of pos starting at i; tail[l]:
     * the largest pos that starts a run of length l + 1 among those seen
     * (from the right), a decreasing array. */
    size_t *run = xcalloc(n, sizeof *run);
    size_t *tail = xcalloc(n, sizeof *tail);
    size_t ntail = 0;
    for (size_t i = n; i-- > 0;) {
        size_t lo = 0, hi = ntail; /* first l with tail[l] <= pos[i] */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (tail[mid] > pos[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        run[i] = lo + 1;
        tail[lo] = pos[i];
        if (lo == ntail)
            ntail++;
    }

    /* next[i]: the next index after i with the same run length (n: none);
     * along such a chain pos decreases. tail is reused as "last seen". */
    size_t *next = tail;
    size_t *seen = xcalloc(ntail + 1, sizeof *seen);
    for (size_t l = 0; l <= ntail; l++)
        seen[l] = n;
    for (size_t i = n; i-- > 0;) {
        next[i] = seen[run[i]];
        seen[run[i]] = i;
    }
    free(seen);

    size_t want = ntail, last = 0; /* last: 1 + pos of the last id kept */
    for (size_t i = 0; i < n && want > 0; i++) {
        if (run[i] != want || pos[i] + 1 <= last)
            continue;
        if (next[i] < n && pos[next[i]] + 1 > last)
            continue; /* a later id of the same length still fits */
        moved[pos[i]] = false;
        last = pos[i] + 1;
        want--;
    }
    free(run);
    free(tail);
    free(pos);
}

/* ---- identity and declarations ---- */

static void diff_identity(ctx *c)
{
    const regulation *a = c->a, *b = c->b;
    if (!same_str(a->id.name, b->id.name)) {
        begin(c, "regulation: %s -> %s", a->id.name, b->id.name);
        finish(c);
    }
    for (size_t i = 0; i < a->ntitles; i++) {
        bool kept = false;
        for (size_t j = 0; j < b->ntitles && !kept; j++)
            kept = strcmp(a->titles[i].lang.name, b->titles[j].lang.name) == 0;
        if (!kept) {
            put_q(begin(c, "title %s: removed ", a->titles[i].lang.name), a->titles[i].text);
            finish(c);
        }
    }
    for (size_t j = 0; j < b->ntitles; j++) {
        const title_decl *old = NULL;
        for (size_t i = 0; i < a->ntitles && !old; i++)
            if (strcmp(a->titles[i].lang.name, b->titles[j].lang.name) == 0)
                old = &a->titles[i];
        char *where = xasprintf("title %s", b->titles[j].lang.name);
        if (!old) {
            put_q(begin(c, "%s: added ", where), b->titles[j].text);
            finish(c);
        } else {
            text_change(c, where, NULL, old->text, b->titles[j].text);
        }
        free(where);
    }
    const char *ra = a->nregions ? a->regions[0].name : NULL, *rb = b->nregions ? b->regions[0].name : NULL;
    if (!same_str(ra, rb)) {
        begin(c, "region: %s -> %s", ra ? ra : "none", rb ? rb : "none");
        finish(c);
    }
    text_change(c, "act", NULL, first_text(a->acts, a->nacts), first_text(b->acts, b->nacts));
    for (size_t i = 0; i < a->namended; i++) {
        bool kept = false;
        for (size_t j = 0; j < b->namended && !kept; j++)
            kept = strcmp(a->amended[i].text, b->amended[j].text) == 0;
        if (!kept) {
            put_q(begin(c, "amended: removed "), a->amended[i].text);
            finish(c);
        }
    }
    for (size_t j = 0; j < b->namended; j++) {
        bool had = false;
        for (size_t i = 0; i < a->namended && !had; i++)
            had = strcmp(a->amended[i].text, b->amended[j].text) == 0;
        if (!had) {
            put_q(begin(c, "amended: added "), b->amended[j].text);
            finish(c);
        }
    }
    text_change(c, "standard", NULL, first_text(a->standards, a->nstandards),
                first_text(b->standards, b->nstandards));
    validity va, vb;
    validity_resolve(a, &va);
    validity_resolve(b, &vb);
    const char *fa = va.from[0] ? va.from : NULL, *fb = vb.from[0] ? vb.from : NULL;
    const char *ua = va.until[0] ? va.until : NULL, *ub = vb.until[0] ? vb.until : NULL;
    if (!same_str(fa, fb)) {
        begin(c, "valid: from %s -> %s", fa ? fa : "none", fb ? fb : "none");
        finish(c);
    }
    if (!same_str(ua, ub)) {
        begin(c, "valid: until %s -> %s", ua ? ua : "none", ub ? ub : "none");
        finish(c);
    }
    /* The gap the law leaves before a wording (`after gap`). */
    text_change(c, "after gap", NULL, a->gap.present ? a->gap.reason : NULL, b->gap.present ? b->gap.reason : NULL);
    text_change(c, "after gap", "cite", a->gap.present ? a->gap.cite : NULL, b->gap.present ? b->gap.cite : NULL);
    text_change(c, "repealed", NULL, first_text(a->repealed, a->nrepealed),
                first_text(b->repealed, b->nrepealed));
    text_change(c, "provider", NULL, first_text(a->providers, a->nproviders),
                first_text(b->providers, b->nproviders));
    bool same_forms = a->nforms == b->nforms;
    for (size_t i = 0; i < a->nforms && same_forms; i++)
        same_forms = strcmp(a->forms[i].name, b->forms[i].name) == 0;
    if (!same_forms) {
        strbuf *l = begin(c, "form: ");
        for (size_t i = 0; i < a->nforms; i++)
            sb_printf(l, "%s%s", i ? ", " : "", a->forms[i].name);
        sb_add(l, a->nforms ? " -> " : "none -> ");
        for (size_t i = 0; i < b->nforms; i++)
            sb_printf(l, "%s%s", i ? ", " : "", b->forms[i].name);
        if (!b->nforms)
            sb_add(l, "none");
        finish(c);
    }
}

static const channel_decl *channel_in(const regulation *r, const char *id)
{
    for (size_t i = 0; i < r->nchannels; i++)
        if (strcmp(r->channels[i].id.name, id) == 0)
            return &r->channels[i];
    return NULL;
}

static const result_decl *result_in(const regulation *r, const char *id)
{
    for (size_t i = 0; i < r->nresults; i++)
        if (strcmp(r->results[i].id.name, id) == 0)
            return &r->results[i];
    return NULL;
}

static const actor_decl *actor_in(const regulation *r, const char *id)
{
    for (size_t i = 0; i < r->nactors; i++)
        if (strcmp(r->actors[i].id.name, id) == 0)
            return &r->actors[i];
    return NULL;
}

static void diff_channels(ctx *c)
{
    for (size_t i = 0; i < c->a->nchannels; i++) {
        const channel_decl *o = &c->a->channels[i];
        if (!channel_in(c->b, o->id.name)) {
            put_q(begin(c, "channel %s: removed ", o->id.name), o->label);
            finish(c);
        }
    }
    for (size_t j = 0; j < c->b->nchannels; j++) {
        const channel_decl *n = &c->b->channels[j];
        const channel_decl *o = channel_in(c->a, n->id.name);
        char *where = xasprintf("channel %s", n->id.name);
        if (!o) {
            put_q(begin(c, "%s: added ", where), n->label);
            finish(c);
        } else {
            text_change(c, where, "label", o->label, n->label);
        }
        free(where);
    }
}

static void diff_results(ctx *c)
{
    for (size_t i = 0; i < c->a->nresults; i++) {
        const result_decl *o = &c->a->results[i];
        if (!result_in(c->b, o->id.name)) {
            put_q(begin(c, "result %s: removed ", o->id.name), o->label);
            finish(c);
        }
    }
    for (size_t j = 0; j < c->b->nresults; j++) {
        const result_decl *n = &c->b->results[j];
        const result_decl *o = result_in(c->a, n->id.name);
        char *where = xasprintf("result %s", n->id.name);
        if (!o) {
            put_q(begin(c, "%s: added ", where), n->label);
            sb_add(&c->line, n->negative ? " negative" : "");
            finish(c);
        } else {
            text_change(c, where, "label", o->label, n->label);
            if (o->negative != n->negative) {
                begin(c, "%s: negative %s -> %s", where, o->negative ? "yes" : "no", n->negative ? "yes" : "no");
                finish(c);
            }
        }
        free(where);
    }
}

static const char *renamed_to(const ctx *c, const char *old_id)
{
    for (size_t i = 0; i < c->nrenamed; i++)
        if (strcmp(c->renamed[i].from, old_id) == 0)
            return c->renamed[i].to;
    return NULL;
}

static const char *renamed_from(const ctx *c, const char *new_id)
{
    for (size_t i = 0; i < c->nrenamed; i++)
        if (strcmp(c->renamed[i].to, new_id) == 0)
            return c->renamed[i].from;
    return NULL;
}

static void diff_actors(ctx *c)
{
    /* An actor only in old and one only in new with the same label are
     * one participant under a new id. */
    for (size_t i = 0; i < c->a->nactors; i++) {
        const actor_decl *o = &c->a->actors[i];
        if (actor_in(c->b, o->id.name))
            continue;
        for (size_t j = 0; j < c->b->nactors; j++) {
            const actor_decl *n = &c->b->actors[j];
            if (!actor_in(c->a, n->id.name) && !renamed_from(c, n->id.name) && same_str(o->label, n->label)) {
                c->renamed = xrealloc(c->renamed, (c->nrenamed + 1) * sizeof *c->renamed);
                c->renamed[c->nrenamed++] = (struct rename){ o->id.name, n->id.name };
                break;
            }
        }
    }
    for (size_t i = 0; i < c->a->nactors; i++) {
        const actor_decl *o = &c->a->actors[i];
        if (!actor_in(c->b, o->id.name) && !renamed_to(c, o->id.name)) {
            put_q(begin(c, "actor %s: removed ", o->id.name), o->label);
            finish(c);
        }
    }
    for (size_t j = 0; j < c->b->nactors; j++) {
        const actor_decl *n = &c->b->actors[j];
        const char *from = renamed_from(c, n->id.name);
        const actor_decl *o = actor_in(c->a, from ? from : n->id.name);
        char *where = xasprintf("actor %s", from ? from : n->id.name);
        if (!o) {
            put_q(begin(c, "%s: added ", where), n->label);
            sb_add(&c->line, n->external ? " external" : "");
            finish(c);
        } else {
            if (from) {
                begin(c, "%s: renamed to %s", where, n->id.name);
                finish(c);
            }
            text_change(c, where, "label", o->label, n->label);
            if (o->external != n->external) {
                begin(c, "%s: external %s -> %s", where, o->external ? "yes" : "no", n->external ? "yes" : "no");
                finish(c);
            }
        }
        free(where);
    }
}

/* ---- steps ---- */

/* A target as the rule file writes it: `step`, `step with R`, `result R`, `end`. */
static void put_target(strbuf *b, const regulation *r, const lw_variant *v, const lw_target *t)
{
    switch (t->kind) {
    case LW_TO_STEP:
        sb_add(b, v->steps[t->step].src->id.name);
        if (t->result != LW_NONE)
            sb_printf(b, " with %s", r->results[t->result].id.name);
        break;
    case LW_TO_RESULT: sb_printf(b, "result %s", r->results[t->result].id.name); break;
    case LW_TO_END: sb_add(b, "end"); break;
    }
}

/* Targets of two versions are the same when they read the same. */
static bool same_target(const ctx *c, const lw_variant *va, const lw_target *x, const lw_variant *vb,
                        const lw_target *y)
{
    strbuf p, q;
    sb_init(&p);
    sb_init(&q);
    put_target(&p, c->a, va, x);
    put_target(&q, c->b, vb, y);
    bool same = strcmp(p.data, q.data) == 0;
    sb_free(&p);
    sb_free(&q);
    return same;
}

/* The steps of a variant by id, in a hash table: a variant may have
 * thousands, and diff_steps looks each one up in the other version. */
typedef struct {
    const lw_variant *v;
    size_t cap;
    size_t *slot; /* 0: empty, else step index + 1 */
} step_index;

static void step_index_build(step_index *x, const lw_variant *v)
{
    x->v = v;
    x->cap = 16;
    while (x->cap < 2 * v->nsteps)
        x->cap *= 2;
    x->slot = xcalloc(x->cap, sizeof *x->slot);
    for (size_t i = 0; i < v->nsteps; i++) {
        size_t h = hash_id(v->steps[i].src->id.name) & (x->cap - 1);
        while (x->slot[h])
            h = (h + 1) & (x->cap - 1);
        x->slot[h] = i + 1;
    }
}

static const lw_step *step_in(const step_index *x, const char *id)
{
    for (size_t h = hash_id(id) & (x->cap - 1); x->slot[h]; h = (h + 1) & (x->cap - 1))
        if (strcmp(x->v->steps[x->slot[h] - 1].src->id.name, id) == 0)
            return &x->v->steps[x->slot[h] - 1];
    return NULL;
}

static const lw_branch *branch_in(const lw_step *s, const char *outcome)
{
    for (size_t i = 0; i < s->nbranches; i++)
        if (strcmp(s->branches[i].src->outcome.name, outcome) == 0)
            return &s->branches[i];
    return NULL;
}

/* The duration of s on the channel named ch, when it has one of its own. */
static const duration *channel_duration(const regulation *r, const lw_step *s, const char *ch)
{
    for (size_t i = 0; i < s->nby_channel; i++)
        if (strcmp(r->channels[s->by_channel[i].channel].id.name, ch) == 0)
            return s->by_channel[i].dur;
    return NULL;
}

/* One line "where: label (-> target)" or "where: label target -> target". */
static void target_line(ctx *c, const char *head, const lw_variant *va, const lw_target *x,
                        const lw_variant *vb, const lw_target *y)
{
    strbuf *l = begin(c, "%s", head);
    if (x)
        put_target(l, c->a, va, x);
    sb_add(l, x && y ? " -> " : "");
    if (y)
        put_target(l, c->b, vb, y);
    if (!(x && y))
        sb_addc(l, ')');
    finish(c);
}

static void diff_branches(ctx *c, const char *where, const lw_variant *va, const lw_step *o,
                          const lw_variant *vb, const lw_step *n)
{
    for (size_t i = 0; i < o->nbranches; i++) {
        const lw_branch *ob = &o->branches[i];
        if (!branch_in(n, ob->src->outcome.name)) {
            char *head = xasprintf("%s: branch %s: removed (-> ", where, ob->src->outcome.name);
            target_line(c, head, va, &ob->to, vb, NULL);
            free(head);
        }
    }
    for (size_t j = 0; j < n->nbranches; j++) {
        const lw_branch *nb = &n->branches[j];
        const lw_branch *ob = branch_in(o, nb->src->outcome.name);
        char *bw = xasprintf("%s: branch %s", where, nb->src->outcome.name);
        if (!ob) {
            char *head = xasprintf("%s: added (-> ", bw);
            target_line(c, head, va, NULL, vb, &nb->to);
            free(head);
        } else {
            if (!same_target(c, va, &ob->to, vb, &nb->to)) {
                char *head = xasprintf("%s: target ", bw);
                target_line(c, head, va, &ob->to, vb, &nb->to);
                free(head);
            }
            text_change(c, bw, "condition", ob->src->condition, nb->src->condition);
        }
        free(bw);
    }
}

static void diff_step(ctx *c, const char *vwhere, const lw_variant *va, const lw_step *o,
                      const lw_variant *vb, const lw_step *n)
{
    char *where = xasprintf("%s: step %s", vwhere, n->src->id.name);
    text_change(c, where, "action", o->src->action, n->src->action);
    const char *oa = c->a->actors[o->actor].id.name, *na = c->b->actors[n->actor].id.name;
    const char *ren = renamed_to(c, oa);
    if (strcmp(oa, na) != 0 && !(ren && strcmp(ren, na) == 0)) {
        begin(c, "%s: actor %s -> %s", where, oa, na);
        finish(c);
    }
    dur_change(c, where, "duration", o->dur, n->dur);
    /* Per-channel durations: the old version's channels first, then new ones. */
    for (size_t k = 0; k < o->nby_channel; k++) {
        const char *ch = c->a->channels[o->by_channel[k].channel].id.name;
        char *what = xasprintf("duration on %s", ch);
        dur_change(c, where, what, o->by_channel[k].dur, channel_duration(c->b, n, ch));
        free(what);
    }
    for (size_t k = 0; k < n->nby_channel; k++) {
        const char *ch = c->b->channels[n->by_channel[k].channel].id.name;
        if (channel_duration(c->a, o, ch))
            continue;
        char *what = xasprintf("duration on %s", ch);
        dur_change(c, where, what, NULL, n->by_channel[k].dur);
        free(what);
    }
    char *only_old = only_text(c->a, o), *only_new = only_text(c->b, n);
    if (!same_str(only_old, only_new)) {
        begin(c, "%s: channels %s -> %s", where, only_old ? only_old : "every channel",
              only_new ? only_new : "every channel");
        finish(c);
    }
    free(only_old);
    free(only_new);
    text_change(c, where, "cite", o->src->cite, n->src->cite);
    diff_branches(c, where, va, o, vb, n);
    if (!same_target(c, va, &o->next, vb, &n->next)) {
        char *head = xasprintf("%s: next ", where);
        target_line(c, head, va, &o->next, vb, &n->next);
        free(head);
    }
    free(where);
}

static void diff_steps(ctx *c, const char *vwhere, const lw_variant *va, const lw_variant *vb)
{
    step_index ia, ib;
    step_index_build(&ia, va);
    step_index_build(&ib, vb);
    if (va->nsteps && vb->nsteps && strcmp(va->steps[0].src->id.name, vb->steps[0].src->id.name) != 0) {
        begin(c, "%s: first step %s -> %s", vwhere, va->steps[0].src->id.name, vb->steps[0].src->id.name);
        finish(c);
    }
    for (size_t i = 0; i < va->nsteps; i++)
        if (!step_in(&ib, va->steps[i].src->id.name)) {
            begin(c, "%s: step %s: removed", vwhere, va->steps[i].src->id.name);
            finish(c);
        }

    /* The steps both versions have, in each one's order, to find moves. */
    size_t ncommon = 0;
    const char **ca = xcalloc(va->nsteps + 1, sizeof *ca);
    const char **cb = xcalloc(vb->nsteps + 1, sizeof *cb);
    for (size_t i = 0; i < va->nsteps; i++)
        if (step_in(&ib, va->steps[i].src->id.name))
            ca[ncommon++] = va->steps[i].src->id.name;
    ncommon = 0;
    for (size_t j = 0; j < vb->nsteps; j++)
        if (step_in(&ia, vb->steps[j].src->id.name))
            cb[ncommon++] = vb->steps[j].src->id.name;
    bool *moved = xcalloc(ncommon + 1, sizeof *moved);
    find_moved(ca, cb, ncommon, moved);

    for (size_t j = 0, k = 0; j < vb->nsteps; j++) {
        const lw_step *n = &vb->steps[j];
        const lw_step *o = step_in(&ia, n->src->id.name);
        if (!o) {
            strbuf *l = begin(c, "%s: step %s: added (by %s, takes ", vwhere, n->src->id.name,
                              c->b->actors[n->actor].id.name);
            dg_put_duration(l, n->dur);
            sb_addc(l, ')');
            finish(c);
            continue;
        }
        if (moved[k++]) {
            if (j == 0)
                begin(c, "%s: step %s: moved (now first)", vwhere, n->src->id.name);
            else
                begin(c, "%s: step %s: moved (now after %s)", vwhere, n->src->id.name,
                      vb->steps[j - 1].src->id.name);
            finish(c);
        }
        diff_step(c, vwhere, va, o, vb, n);
    }
    free(moved);
    free(ca);
    free(cb);
    free(ia.slot);
    free(ib.slot);
}

static void diff_variants(ctx *c)
{
    for (size_t i = 0; i < c->a->nvariants; i++) {
        const variant_decl *o = &c->a->variants[i];
        if (!lw_find_variant(c->lb, o->id.name)) {
            begin(c, "variant %s: removed", o->id.name);
            finish(c);
        }
    }
    for (size_t j = 0; j < c->b->nvariants; j++) {
        const lw_variant *lvn = &c->lb->variants[j];
        const lw_variant *lvo = lw_find_variant(c->la, lvn->src->id.name);
        const variant_decl *n = lvn->src;
        char *where = xasprintf("variant %s", n->id.name);
        if (!lvo) {
            put_q(begin(c, "%s: added ", where), n->label);
            finish(c);
            free(where);
            continue;
        }
        const variant_decl *o = lvo->src;
        text_change(c, where, "label", o->label, n->label);
        if (!same_str(o->result.name, n->result.name)) {
            begin(c, "%s: result %s -> %s", where, o->result.name, n->result.name);
            finish(c);
        }
        dur_change(c, where, "term", o->has_term ? &o->term : NULL, n->has_term ? &n->term : NULL);
        text_change(c, where, "term from", o->term_from, n->term_from);
        text_change(c, where, "term counted from event", o->anchor_is_step ? NULL : o->term_anchor.name,
                    n->anchor_is_step ? NULL : n->term_anchor.name);
        text_change(c, where, "term counted from step", o->anchor_is_step ? o->term_anchor.name : NULL,
                    n->anchor_is_step ? n->term_anchor.name : NULL);
        text_change(c, where, "cite", o->cite, n->cite);
        diff_steps(c, where, lvo, lvn);
        free(where);
    }
}

/* ---- flows ---- */

static long item_in(const flow_decl *f, const char *id)
{
    for (size_t i = 0; i < f->nitems; i++)
        if (strcmp(f->items[i].id.name, id) == 0)
            return (long)i;
    return -1;
}

static const char *kind_name(flow_item_kind k)
{
    return flow_item_keyword(k);
}

static void diff_flow(ctx *c, const char *where, const lw_flow *lfa, const lw_flow *lfb)
{
    const flow_decl *fa = lfa->src, *fb = lfb->src;
    text_change(c, where, "label", fa->label, fb->label);
    dur_change(c, where, "duration", fa->has_duration ? &fa->dur : NULL, fb->has_duration ? &fb->dur : NULL);
    text_change(c, where, "cite", fa->cite, fb->cite);
    for (size_t i = 0; i < fa->nitems; i++)
        if (item_in(fb, fa->items[i].id.name) < 0) {
            begin(c, "%s: item %s: removed", where, fa->items[i].id.name);
            finish(c);
        }
    size_t ncommon = 0;
    const char **ca = xrealloc(NULL, (fa->nitems + 1) * sizeof *ca);
    const char **cb = xrealloc(NULL, (fb->nitems + 1) * sizeof *cb);
    for (size_t i = 0; i < fa->nitems; i++)
        if (item_in(fb, fa->items[i].id.name) >= 0)
            ca[ncommon++] = fa->items[i].id.name;
    ncommon = 0;
    for (size_t j = 0; j < fb->nitems; j++)
        if (item_in(fa, fb->items[j].id.name) >= 0)
            cb[ncommon++] = fb->items[j].id.name;
    bool *moved = xcalloc(ncommon + 1, sizeof *moved);
    find_moved(ca, cb, ncommon, moved);

    for (size_t j = 0, k = 0; j < fb->nitems; j++) {
        const flow_item *n = &fb->items[j];
        long oi = item_in(fa, n->id.name);
        if (oi < 0) {
            strbuf *l = begin(c, "%s: item %s: added (%s ", where, n->id.name, kind_name(n->kind));
            put_q(l, flow_item_text(n));
            sb_addc(l, ')');
            finish(c);
            continue;
        }
        const flow_item *o = &fa->items[oi];
        char *iw = xasprintf("%s: item %s", where, n->id.name);
        if (moved[k++]) {
            if (j == 0)
                begin(c, "%s: moved (now first)", iw);
            else
                begin(c, "%s: moved (now after %s)", iw, fb->items[j - 1].id.name);
            finish(c);
        }
        if (o->kind != n->kind) {
            begin(c, "%s: kind %s -> %s", iw, kind_name(o->kind), kind_name(n->kind));
            finish(c);
        }
        text_change(c, iw, "text", flow_item_text(o), flow_item_text(n));
        dur_change(c, iw, "duration", o->has_duration ? &o->dur : NULL, n->has_duration ? &n->dur : NULL);
        text_change(c, iw, "cite", o->cite, n->cite);
        const char *on = lw_place_name(lfa, lfa->items[oi].next), *nn = lw_place_name(lfb, lfb->items[j].next);
        if (strcmp(on, nn) != 0) {
            begin(c, "%s: next %s -> %s", iw, on, nn);
            finish(c);
        }
        const char *oe = o->kind == FLOW_CHECK ? lw_place_name(lfa, lfa->items[oi].fail) : "none";
        const char *ne = n->kind == FLOW_CHECK ? lw_place_name(lfb, lfb->items[j].fail) : "none";
        if (strcmp(oe, ne) != 0) {
            begin(c, "%s: else %s -> %s", iw, oe, ne);
            finish(c);
        }
        free(iw);
    }
    free(moved);
    free(ca);
    free(cb);
}

static void diff_flows(ctx *c)
{
    for (size_t i = 0; i < c->a->nflows; i++) {
        const flow_decl *o = &c->a->flows[i];
        if (!lw_find_flow(c->lb, o->channel.name)) {
            begin(c, "flow %s: removed", o->channel.name);
            finish(c);
        }
    }
    for (size_t j = 0; j < c->b->nflows; j++) {
        const flow_decl *n = &c->b->flows[j];
        const lw_flow *o = lw_find_flow(c->la, n->channel.name);
        char *where = xasprintf("flow %s", n->channel.name);
        if (!o) {
            strbuf *l = begin(c, "%s: added ", where);
            put_q(l, n->label);
            sb_printf(l, " (%zu item%s)", n->nitems, n->nitems == 1 ? "" : "s");
            finish(c);
        } else {
            diff_flow(c, where, o, &c->lb->flows[j]);
        }
        free(where);
    }
}

size_t model_diff(const lowered *old, const lowered *new_, strbuf *out)
{
    ctx c = { .out = out, .la = old, .lb = new_, .a = old->r, .b = new_->r };
    diff_identity(&c);
    diff_channels(&c);
    diff_results(&c);
    diff_actors(&c);
    diff_variants(&c);
    diff_flows(&c);
    free(c.renamed);
    return c.count;
}
