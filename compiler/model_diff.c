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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "diagram.h"
#include "util.h"

typedef struct {
    strbuf *out;
    size_t count;
    strbuf line;
    const regulation *a, *b;   /* old, new */
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

static const char *first_text(const text_decl *t, size_t n)
{
    return n ? t[0].text : NULL;
}

/* Which of the common ids of a (old order) and b (new order) keep their
 * relative order: a longest common subsequence. moved[j] is set for the
 * ids of b outside it. Both arrays hold the same set of ids. */
static void find_moved(const char *const *a, const char *const *b, size_t n, bool *moved)
{
    size_t *len = xcalloc((n + 1) * (n + 1), sizeof *len);
#define L(i, j) len[(i) * (n + 1) + (j)]
    for (size_t i = n; i-- > 0;)
        for (size_t j = n; j-- > 0;)
            L(i, j) = strcmp(a[i], b[j]) == 0 ? L(i + 1, j + 1) + 1
                      : L(i + 1, j) >= L(i, j + 1) ? L(i + 1, j) : L(i, j + 1);
    for (size_t j = 0; j < n; j++)
        moved[j] = true;
    for (size_t i = 0, j = 0; i < n && j < n;) {
        if (strcmp(a[i], b[j]) == 0) {
            moved[j] = false;
            i++, j++;
        } else if (L(i + 1, j) >= L(i, j + 1)) {
            i++;
        } else {
            j++;
        }
    }
#undef L
    free(len);
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
    const char *fa = a->has_valid ? a->valid_from.text : NULL, *fb = b->has_valid ? b->valid_from.text : NULL;
    const char *ua = a->has_valid ? a->valid_until.text : NULL, *ub = b->has_valid ? b->valid_until.text : NULL;
    if (!same_str(fa, fb)) {
        begin(c, "valid: from %s -> %s", fa ? fa : "none", fb ? fb : "none");
        finish(c);
    }
    if (!same_str(ua, ub)) {
        begin(c, "valid: until %s -> %s", ua ? ua : "none", ub ? ub : "none");
        finish(c);
    }
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

static void put_target(strbuf *b, const target *t)
{
    switch (t->kind) {
    case TARGET_STEP:
        sb_add(b, t->step.name);
        if (t->result.name)
            sb_printf(b, " with %s", t->result.name);
        break;
    case TARGET_RESULT: sb_printf(b, "result %s", t->result.name); break;
    case TARGET_END: sb_add(b, "end"); break;
    }
}

static bool same_target(const target *x, const target *y)
{
    return x->kind == y->kind && same_str(x->step.name, y->step.name) && same_str(x->result.name, y->result.name);
}

static const step *step_in(const step_list *l, const char *id)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].id.name, id) == 0)
            return &l->items[i];
    return NULL;
}

static const branch *branch_in(const step *s, const char *outcome)
{
    for (size_t i = 0; i < s->nbranches; i++)
        if (strcmp(s->branches[i].outcome.name, outcome) == 0)
            return &s->branches[i];
    return NULL;
}

static const duration *channel_override(const step *s, const char *channel)
{
    for (size_t i = 0; i < s->noverrides; i++)
        if (s->overrides[i].key_is_channel && strcmp(s->overrides[i].key.name, channel) == 0)
            return &s->overrides[i].dur;
    return NULL;
}

static void diff_branches(ctx *c, const char *where, const step *o, const step *n)
{
    for (size_t i = 0; i < o->nbranches; i++) {
        const branch *ob = &o->branches[i];
        if (!branch_in(n, ob->outcome.name)) {
            strbuf *l = begin(c, "%s: branch %s: removed (-> ", where, ob->outcome.name);
            put_target(l, &ob->to);
            sb_addc(l, ')');
            finish(c);
        }
    }
    for (size_t j = 0; j < n->nbranches; j++) {
        const branch *nb = &n->branches[j];
        const branch *ob = branch_in(o, nb->outcome.name);
        char *bw = xasprintf("%s: branch %s", where, nb->outcome.name);
        if (!ob) {
            strbuf *l = begin(c, "%s: added (-> ", bw);
            put_target(l, &nb->to);
            sb_addc(l, ')');
            finish(c);
        } else {
            if (!same_target(&ob->to, &nb->to)) {
                strbuf *l = begin(c, "%s: target ", bw);
                put_target(l, &ob->to);
                sb_add(l, " -> ");
                put_target(l, &nb->to);
                finish(c);
            }
            text_change(c, bw, "condition", ob->condition, nb->condition);
        }
        free(bw);
    }
}

static void diff_step(ctx *c, const char *vwhere, const variant_decl *va, const step *o,
                      const variant_decl *vb, const step *n)
{
    char *where = xasprintf("%s: step %s", vwhere, n->id.name);
    text_change(c, where, "action", o->action, n->action);
    const char *oa = o->actor.name, *na = n->actor.name;
    const char *ren = renamed_to(c, oa);
    if (strcmp(oa, na) != 0 && !(ren && strcmp(ren, na) == 0)) {
        begin(c, "%s: actor %s -> %s", where, oa, na);
        finish(c);
    }
    dur_change(c, where, "duration", step_duration(o, va), step_duration(n, vb));
    /* Per-channel durations: the old version's channels first, then new ones. */
    for (size_t k = 0; k < o->noverrides; k++) {
        const override *ov = &o->overrides[k];
        if (!ov->key_is_channel)
            continue;
        char *what = xasprintf("duration on %s", ov->key.name);
        dur_change(c, where, what, &ov->dur, channel_override(n, ov->key.name));
        free(what);
    }
    for (size_t k = 0; k < n->noverrides; k++) {
        const override *nv = &n->overrides[k];
        if (!nv->key_is_channel || channel_override(o, nv->key.name))
            continue;
        char *what = xasprintf("duration on %s", nv->key.name);
        dur_change(c, where, what, NULL, &nv->dur);
        free(what);
    }
    text_change(c, where, "cite", o->cite, n->cite);
    diff_branches(c, where, o, n);
    if (o->nnexts && n->nnexts && !same_target(&o->nexts[0], &n->nexts[0])) {
        strbuf *l = begin(c, "%s: next ", where);
        put_target(l, &o->nexts[0]);
        sb_add(l, " -> ");
        put_target(l, &n->nexts[0]);
        finish(c);
    }
    free(where);
}

static void diff_steps(ctx *c, const char *vwhere, const variant_decl *va, const variant_decl *vb)
{
    const step_list *la = variant_steps(c->a, va), *lb = variant_steps(c->b, vb);
    if (la->count && lb->count && strcmp(la->items[0].id.name, lb->items[0].id.name) != 0) {
        begin(c, "%s: first step %s -> %s", vwhere, la->items[0].id.name, lb->items[0].id.name);
        finish(c);
    }
    for (size_t i = 0; i < la->count; i++)
        if (!step_in(lb, la->items[i].id.name)) {
            begin(c, "%s: step %s: removed", vwhere, la->items[i].id.name);
            finish(c);
        }

    /* The steps both versions have, in each one's order, to find moves. */
    size_t ncommon = 0;
    const char **ca = xrealloc(NULL, (la->count + 1) * sizeof *ca);
    const char **cb = xrealloc(NULL, (lb->count + 1) * sizeof *cb);
    for (size_t i = 0; i < la->count; i++)
        if (step_in(lb, la->items[i].id.name))
            ca[ncommon++] = la->items[i].id.name;
    ncommon = 0;
    for (size_t j = 0; j < lb->count; j++)
        if (step_in(la, lb->items[j].id.name))
            cb[ncommon++] = lb->items[j].id.name;
    bool *moved = xcalloc(ncommon + 1, sizeof *moved);
    find_moved(ca, cb, ncommon, moved);

    for (size_t j = 0, k = 0; j < lb->count; j++) {
        const step *n = &lb->items[j];
        const step *o = step_in(la, n->id.name);
        if (!o) {
            strbuf *l = begin(c, "%s: step %s: added (by %s, takes ", vwhere, n->id.name, n->actor.name);
            dg_put_duration(l, step_duration(n, vb));
            sb_addc(l, ')');
            finish(c);
            continue;
        }
        if (moved[k++]) {
            if (j == 0)
                begin(c, "%s: step %s: moved (now first)", vwhere, n->id.name);
            else
                begin(c, "%s: step %s: moved (now after %s)", vwhere, n->id.name, lb->items[j - 1].id.name);
            finish(c);
        }
        diff_step(c, vwhere, va, o, vb, n);
    }
    free(moved);
    free(ca);
    free(cb);
}

static void diff_variants(ctx *c)
{
    for (size_t i = 0; i < c->a->nvariants; i++) {
        const variant_decl *o = &c->a->variants[i];
        if (!find_variant_decl(c->b, o->id.name)) {
            begin(c, "variant %s: removed", o->id.name);
            finish(c);
        }
    }
    for (size_t j = 0; j < c->b->nvariants; j++) {
        const variant_decl *n = &c->b->variants[j];
        const variant_decl *o = find_variant_decl(c->a, n->id.name);
        char *where = xasprintf("variant %s", n->id.name);
        if (!o) {
            put_q(begin(c, "%s: added ", where), n->label);
            finish(c);
            free(where);
            continue;
        }
        text_change(c, where, "label", o->label, n->label);
        if (!same_str(o->result.name, n->result.name)) {
            begin(c, "%s: result %s -> %s", where, o->result.name, n->result.name);
            finish(c);
        }
        dur_change(c, where, "term", o->has_term ? &o->term : NULL, n->has_term ? &n->term : NULL);
        text_change(c, where, "term from", o->term_from, n->term_from);
        text_change(c, where, "cite", o->cite, n->cite);
        diff_steps(c, where, o, n);
        free(where);
    }
}

/* ---- flows ---- */

/* Where a flow item goes: the id of an item, `end` or `error`. */
static const char *flow_goes(const flow_decl *f, size_t index, const flow_target *t)
{
    switch (t->kind) {
    case FLOW_TO_NEXT: return index + 1 < f->nitems ? f->items[index + 1].id.name : "none";
    case FLOW_TO_ITEM: return t->item.name;
    case FLOW_TO_END: return "end";
    case FLOW_TO_ERROR: return "error";
    }
    return "none";
}

static long item_in(const flow_decl *f, const char *id)
{
    for (size_t i = 0; i < f->nitems; i++)
        if (strcmp(f->items[i].id.name, id) == 0)
            return (long)i;
    return -1;
}

static const char *kind_name(flow_item_kind k)
{
    return k == FLOW_CHECK ? "check" : "process";
}

static void diff_flow(ctx *c, const char *where, const flow_decl *fa, const flow_decl *fb)
{
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
            put_q(l, n->text);
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
        text_change(c, iw, "text", o->text, n->text);
        dur_change(c, iw, "duration", o->has_duration ? &o->dur : NULL, n->has_duration ? &n->dur : NULL);
        text_change(c, iw, "cite", o->cite, n->cite);
        const char *on = flow_goes(fa, (size_t)oi, &o->next), *nn = flow_goes(fb, j, &n->next);
        if (strcmp(on, nn) != 0) {
            begin(c, "%s: next %s -> %s", iw, on, nn);
            finish(c);
        }
        const char *oe = o->kind == FLOW_CHECK ? flow_goes(fa, (size_t)oi, &o->fail) : "none";
        const char *ne = n->kind == FLOW_CHECK ? flow_goes(fb, j, &n->fail) : "none";
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
        if (!find_flow_decl(c->b, o->channel.name)) {
            begin(c, "flow %s: removed", o->channel.name);
            finish(c);
        }
    }
    for (size_t j = 0; j < c->b->nflows; j++) {
        const flow_decl *n = &c->b->flows[j];
        const flow_decl *o = find_flow_decl(c->a, n->channel.name);
        char *where = xasprintf("flow %s", n->channel.name);
        if (!o) {
            strbuf *l = begin(c, "%s: added ", where);
            put_q(l, n->label);
            sb_printf(l, " (%zu item%s)", n->nitems, n->nitems == 1 ? "" : "s");
            finish(c);
        } else {
            diff_flow(c, where, o, n);
        }
        free(where);
    }
}

size_t model_diff(const regulation *old, const regulation *new_, strbuf *out)
{
    ctx c = { .out = out, .a = old, .b = new_ };
    diff_identity(&c);
    diff_channels(&c);
    diff_results(&c);
    diff_actors(&c);
    diff_variants(&c);
    diff_flows(&c);
    free(c.renamed);
    return c.count;
}
