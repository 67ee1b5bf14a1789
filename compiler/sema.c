/* sema.c - resolving names and checking the structure of a regulation.
 *
 * Each rule here is about what the file says, not about what the law
 * implies: unknown or duplicate names, missing clauses, bad values. The
 * analyses of the process itself (reachability, terms) are in check.c. */
#include "sema.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "name_index.h"
#include "strbuf.h"
#include "term_anchor.h"
#include "validity.h"
#include "util.h"

typedef struct {
    regulation *r;
    const source *src;
    diag_list *d;
    int errors;
} ctx;

static diagnostic *error(ctx *c, srcloc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static diagnostic *error(ctx *c, srcloc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    c->errors++;
    diagnostic *rec = diag_error(c->d, c->src, loc, "%s", msg);
    free(msg);
    return rec;
}

/* Hint for an unknown name: the closest known one, else the list. */
static void unknown_hint(diagnostic *d, const char *what, const char *name,
                         const char *const *known, size_t n)
{
    const char *close = diag_closest(name, known, n);
    strbuf b;
    sb_init(&b);
    if (close)
        sb_printf(&b, "did you mean `%s`? ", close);
    if (n == 0) {
        sb_printf(&b, "no %s is declared", what);
    } else {
        sb_printf(&b, "%s are: ", what);
        for (size_t i = 0; i < n && i < 12; i++)
            sb_printf(&b, "%s%s", i ? ", " : "", known[i]);
        if (n > 12)
            sb_add(&b, ", ...");
    }
    diag_hint(d, "%s", b.data);
    sb_free(&b);
}

/* unknown_hint() over the names of an array of declarations. */
#define HINT_NAMES(d, what, word, arr, n, field)                       \
    do {                                                               \
        const char **nm_ = xrealloc(NULL, ((n) + 1) * sizeof *nm_);    \
        for (size_t i_ = 0; i_ < (n); i_++)                            \
            nm_[i_] = (arr)[i_].field.name;                            \
        unknown_hint(d, what, word, nm_, n);                           \
        free(nm_);                                                     \
    } while (0)

static actor_decl *find_actor(regulation *r, const char *name)
{
    for (size_t i = 0; i < r->nactors; i++)
        if (strcmp(r->actors[i].id.name, name) == 0)
            return &r->actors[i];
    return NULL;
}

static result_decl *find_result(regulation *r, const char *name)
{
    for (size_t i = 0; i < r->nresults; i++)
        if (strcmp(r->results[i].id.name, name) == 0)
            return &r->results[i];
    return NULL;
}

static variant_decl *find_variant(regulation *r, const char *name)
{
    for (size_t i = 0; i < r->nvariants; i++)
        if (strcmp(r->variants[i].id.name, name) == 0)
            return &r->variants[i];
    return NULL;
}

static channel_decl *find_channel(regulation *r, const char *name)
{
    for (size_t i = 0; i < r->nchannels; i++)
        if (strcmp(r->channels[i].id.name, name) == 0)
            return &r->channels[i];
    return NULL;
}

/* `only C, ...`: known channels, each once, and no duration of its own for
 * a channel that skips the step. */
static void check_only(ctx *c, const step *s)
{
    regulation *r = c->r;
    for (size_t k = 0; k < s->nonly; k++) {
        const ident *ch = &s->only[k];
        if (!find_channel(r, ch->name)) {
            diagnostic *d = error(c, ch->loc, "unknown channel `%s` in `only`", ch->name);
            HINT_NAMES(d, "channels", ch->name, r->channels, r->nchannels, id);
            continue;
        }
        for (size_t j = 0; j < k; j++)
            if (strcmp(s->only[j].name, ch->name) == 0) {
                diag_hint(error(c, ch->loc, "channel `%s` listed twice in `only`", ch->name),
                          "name each channel once");
                break;
            }
    }
    for (size_t k = 0; s->nonly && k < s->noverrides; k++) {
        const override *o = &s->overrides[k];
        if (!find_channel(r, o->key.name))
            continue;
        size_t j = 0;
        while (j < s->nonly && strcmp(s->only[j].name, o->key.name) != 0)
            j++;
        if (j == s->nonly)
            diag_hint(error(c, o->key.loc, "duration for channel `%s`, which skips step `%s`", o->key.name,
                            s->id.name),
                      "the step applies only to the channels after `only`; drop this duration or add "
                      "the channel there");
    }
}

static result_decl *resolve_result(ctx *c, const ident *id)
{
    result_decl *res = find_result(c->r, id->name);
    if (!res) {
        diagnostic *d = error(c, id->loc, "unknown result `%s`", id->name);
        HINT_NAMES(d, "results", id->name, c->r->results, c->r->nresults, id);
    }
    return res;
}

/* Reports a second declaration of the same name among n items. */
#define CHECK_UNIQUE(c, arr, n, field, what)                                          \
    for (size_t i = 0; i < (n); i++)                                                \
        for (size_t j = 0; j < i; j++)                                              \
            if (strcmp((arr)[i].field.name, (arr)[j].field.name) == 0) {            \
                diag_hint(error(c, (arr)[i].field.loc, "duplicate " what " `%s`",   \
                                (arr)[i].field.name),                               \
                          "the first `%s` is on line %d", (arr)[j].field.name,      \
                          (arr)[j].field.loc.line);                                 \
                break;                                                              \
            } else if (strcasecmp((arr)[i].field.name, (arr)[j].field.name) == 0) { \
                diag_hint(error(c, (arr)[i].field.loc,                              \
                                what " `%s` differs from `%s` only in case",        \
                                (arr)[i].field.name, (arr)[j].field.name),          \
                          "`%s` is on line %d; names that differ only in case "     \
                          "are confusing to read and collide in generated C",       \
                          (arr)[j].field.name, (arr)[j].field.loc.line);            \
                break;                                                              \
            }

static void once(ctx *c, size_t n, const text_decl *items, const char *clause)
{
    if (n > 1)
        diag_hint(error(c, items[1].loc, "`%s` given twice", clause),
                  "the first is on line %d; a regulation has one", items[0].loc.line);
}

/* A step list's names, indexed exactly and ignoring case: a list may hold
 * thousands of steps. */
typedef struct {
    const char **names;
    name_index exact, folded;
} step_names;

static void step_names_init(step_names *sn, const step_list *l)
{
    sn->names = xrealloc(NULL, (l->count + 1) * sizeof *sn->names);
    for (size_t i = 0; i < l->count; i++)
        sn->names[i] = l->items[i].id.name;
    name_index_init(&sn->exact, sn->names, l->count, false);
    name_index_init(&sn->folded, sn->names, l->count, true);
}

static void step_names_free(step_names *sn)
{
    name_index_free(&sn->exact);
    name_index_free(&sn->folded);
    free(sn->names);
}

/* What CHECK_UNIQUE says of steps, through the index: each step against
 * the first earlier one whose name is the same, or the same but for case. */
static void check_unique_steps(ctx *c, const step_list *l, const step_names *sn)
{
    for (size_t i = 0; i < l->count; i++) {
        long j = name_index_find(&sn->folded, l->items[i].id.name);
        if (j < 0 || (size_t)j >= i)
            continue;
        const ident *a = &l->items[i].id, *b = &l->items[j].id;
        if (strcmp(a->name, b->name) == 0)
            diag_hint(error(c, a->loc, "duplicate step `%s`", a->name), "the first `%s` is on line %d",
                      b->name, b->loc.line);
        else
            diag_hint(error(c, a->loc, "step `%s` differs from `%s` only in case", a->name, b->name),
                      "`%s` is on line %d; names that differ only in case "
                      "are confusing to read and collide in generated C",
                      b->name, b->loc.line);
    }
}

static void resolve_target(ctx *c, step_list *l, const step_names *sn, target *t)
{
    if (t->kind == TARGET_STEP) {
        long k = name_index_find(&sn->exact, t->step.name);
        t->step_ref = k < 0 ? NULL : &l->items[k];
        if (!t->step_ref) {
            diagnostic *d = error(c, t->step.loc, "unknown step `%s`", t->step.name);
            const char **names = xrealloc(NULL, (l->count + 1) * sizeof *names);
            for (size_t i = 0; i < l->count; i++)
                names[i] = l->items[i].id.name;
            unknown_hint(d, "steps", t->step.name, names, l->count);
            free(names);
        }
        if (t->result.name)
            t->result_ref = resolve_result(c, &t->result);
    } else if (t->kind == TARGET_RESULT) {
        t->result_ref = resolve_result(c, &t->result);
    }
}

static void check_steps(ctx *c, step_list *l, variant_decl *owner)
{
    regulation *r = c->r;
    step_names sn;
    step_names_init(&sn, l);
    check_unique_steps(c, l, &sn);
    for (size_t i = 0; i < l->count; i++) {
        step *s = &l->items[i];
        if (!s->actor.name) {
            diag_hint(error(c, s->id.loc, "step `%s` has no actor", s->id.name),
                      "say who does it: `by ACTOR`");
        } else {
            s->actor_ref = find_actor(r, s->actor.name);
            if (!s->actor_ref) {
                diagnostic *d = error(c, s->actor.loc, "unknown actor `%s`", s->actor.name);
                HINT_NAMES(d, "actors", s->actor.name, r->actors, r->nactors, id);
            }
        }
        if (!s->has_duration)
            diag_hint(error(c, s->id.loc, "step `%s` has no duration", s->id.name),
                      "give the act's time: `takes 30m`, `takes 1wd`");
        for (size_t k = 0; k < s->noverrides; k++) {
            override *o = &s->overrides[k];
            for (size_t j = 0; j < k; j++)
                if (strcmp(s->overrides[j].key.name, o->key.name) == 0) {
                    error(c, o->key.loc, "duration for `%s` given twice", o->key.name);
                    break;
                }
            variant_decl *v = find_variant(r, o->key.name);
            channel_decl *ch = find_channel(r, o->key.name);
            if (ch) {
                o->key_is_channel = true;
            } else if (v) {
                if (owner)
                    diag_hint(error(c, o->key.loc,
                                    "per-variant duration in a step of variant `%s`'s own steps",
                                    owner->id.name),
                              "these steps run only in `%s`; write its duration after `takes`",
                              owner->id.name);
            } else {
                diagnostic *d = error(c, o->key.loc, "unknown variant or channel `%s`", o->key.name);
                size_t n = r->nvariants + r->nchannels;
                const char **names = xrealloc(NULL, (n + 1) * sizeof *names);
                for (size_t j = 0; j < r->nvariants; j++)
                    names[j] = r->variants[j].id.name;
                for (size_t j = 0; j < r->nchannels; j++)
                    names[r->nvariants + j] = r->channels[j].id.name;
                unknown_hint(d, "variants and channels", o->key.name, names, n);
                free(names);
            }
        }
        check_only(c, s);
        for (size_t k = 0; k < s->nbranches; k++) {
            branch *b = &s->branches[k];
            for (size_t j = 0; j < k; j++)
                if (strcmp(s->branches[j].outcome.name, b->outcome.name) == 0) {
                    diag_hint(error(c, b->outcome.loc, "outcome `%s` given twice in step `%s`",
                                    b->outcome.name, s->id.name),
                              "each outcome of a step leads to one place");
                    break;
                }
            resolve_target(c, l, &sn, &b->to);
        }
        for (size_t k = 0; k < s->nnexts; k++)
            resolve_target(c, l, &sn, &s->nexts[k]);
        if (s->nnexts == 0)
            diag_hint(error(c, s->id.loc, "step `%s` has no successor", s->id.name),
                      "say where the case goes next: `-> STEP`, `-> end` or `-> result RESULT`");
        else if (s->nnexts > 1)
            diag_hint(error(c, s->nexts[1].loc, "step `%s` has two unconditional successors",
                            s->id.name),
                      "a step goes on to one place; make the others conditional with `on OUTCOME \"...\" ->`");
    }
    step_names_free(&sn);
}

static void check_flow(ctx *c, flow_decl *f)
{
    regulation *r = c->r;
    if (!find_channel(r, f->channel.name)) {
        diagnostic *d = error(c, f->channel.loc, "flow for unknown channel `%s`", f->channel.name);
        HINT_NAMES(d, "channels", f->channel.name, r->channels, r->nchannels, id);
    }
    if (f->nitems == 0)
        diag_hint(error(c, f->loc, "flow `%s` is empty", f->channel.name),
                  "list its numbered processes and conditions: `process p1 \"...\"`");
    /* A second `steps` is a duplicate item `steps`: the provider's steps run once. */
    CHECK_UNIQUE(c, f->items, f->nitems, id, "flow item");
    for (size_t i = 0; i < f->nitems; i++)
        if (f->items[i].kind == FLOW_STEPS && f->items[i].has_duration)
            diag_hint(error(c, f->items[i].loc, "`steps` takes no time of its own"),
                      "the provider's steps take the durations of the variant's steps; give a "
                      "handover process after `steps` its time: `process p9 \"...\" takes 20m`");
    for (size_t i = 0; i < f->nitems; i++) {
        flow_item *it = &f->items[i];
        flow_target *ts[2] = { &it->next, it->kind == FLOW_CHECK ? &it->fail : NULL };
        for (int k = 0; k < 2; k++) {
            flow_target *t = ts[k];
            if (!t || t->kind != FLOW_TO_ITEM)
                continue;
            size_t j;
            for (j = 0; j < f->nitems; j++)
                if (strcmp(f->items[j].id.name, t->item.name) == 0)
                    break;
            if (j == f->nitems) {
                diagnostic *d = error(c, t->item.loc, "unknown flow item `%s`", t->item.name);
                HINT_NAMES(d, "items of this flow", t->item.name, f->items, f->nitems, id);
            }
            t->item_index = j;
        }
        if (it->next.kind == FLOW_TO_NEXT && i + 1 == f->nitems)
            diag_hint(error(c, it->id.loc, "the last item `%s` of flow `%s` has nowhere to go",
                            it->id.name, f->channel.name),
                      "end it with `-> end` or `-> error`");
    }
}

static bool is_lang(const char *s)
{
    return strcmp(s, "kk") == 0 || strcmp(s, "ru") == 0 || strcmp(s, "en") == 0;
}

/* The directory a file sits in, when it is rules/<region>/<file>. */
static char *region_dir(const char *path)
{
    if (!path)
        return NULL;
    const char *slash = strrchr(path, '/');
    if (!slash)
        return NULL;
    const char *start = slash;
    while (start > path && start[-1] != '/')
        start--;
    size_t n = (size_t)(slash - start);
    if (start - path < 6 || strncmp(start - 6, "rules/", 6) != 0)
        return NULL;
    char *dir = xrealloc(NULL, n + 1);
    memcpy(dir, start, n);
    dir[n] = '\0';
    return dir;
}

int sema_check(regulation *r, const source *src, diag_list *diags)
{
    ctx c = { r, src, diags, 0 };
    srcloc top = r->loc.line ? r->loc : (srcloc){ 1, 1, 1 };
    if (!r->id.name)
        return c.errors; /* nothing parsed: the parser has said why */

    /* Sizes the generated machine can hold (16-bit states, 8-bit variant
     * and channel numbers); far above any act, and checked before the name
     * checks, which compare names pairwise. */
    size_t nstates = r->nresults + (r->nflows ? 1 : 0), nitems = 0, nparts = r->ntitles + r->nresults + r->nactors;
    size_t longest_flow = 0;
    for (size_t i = 0; i < r->nflows; i++) {
        nitems += r->flows[i].nitems;
        if (r->flows[i].nitems > longest_flow)
            longest_flow = r->flows[i].nitems;
    }
    /* branches and overrides of every step, shared or in a block */
    for (size_t v = 0; v <= r->nvariants; v++) {
        const step_list *l = v < r->nvariants ? &r->variants[v].steps : &r->steps;
        for (size_t i = 0; i < l->count; i++)
            nparts += l->items[i].nbranches + l->items[i].noverrides;
    }
    for (size_t i = 0; i < r->nvariants; i++)
        nstates += variant_steps(r, &r->variants[i])->count;
    if (nstates > MAX_STATES || r->nvariants > MAX_VARIANTS || r->nchannels > MAX_CHANNELS ||
        r->steps.count > MAX_STATES || nitems > MAX_STATES || nparts > MAX_STATES ||
        longest_flow > MAX_FLOW_ITEMS) {
        diag_hint(error(&c, top,
                        "regulation `%s` is too large: %zu states, %zu variants, %zu channels, "
                        "%zu flow items (%zu in its longest flow), %zu other declarations",
                        r->id.name, nstates, r->nvariants, r->nchannels, nitems, longest_flow, nparts),
                  "a regulation compiles to at most %d states (steps of every variant and "
                  "results), %d flow items (%d a flow) and %d titles, actors, results, branches and "
                  "overrides, with %d variants and %d channels",
                  MAX_STATES, MAX_STATES, MAX_FLOW_ITEMS, MAX_STATES, MAX_VARIANTS, MAX_CHANNELS);
        return c.errors;
    }

    /* identity */
    bool has_kk = false;
    for (size_t i = 0; i < r->ntitles; i++) {
        title_decl *t = &r->titles[i];
        if (!is_lang(t->lang.name))
            diag_hint(error(&c, t->lang.loc, "unknown title language `%s`", t->lang.name),
                      "titles are `kk` (required), `ru` or `en`");
        if (strcmp(t->lang.name, "kk") == 0)
            has_kk = true;
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->titles[j].lang.name, t->lang.name) == 0) {
                error(&c, t->loc, "title in `%s` given twice", t->lang.name);
                break;
            }
    }
    if (!has_kk)
        diag_hint(error(&c, top, "regulation `%s` has no Kazakh title", r->id.name),
                  "add `title kk \"...\"` with the service name as the act writes it");
    if (r->nregions == 0)
        diag_hint(error(&c, top, "regulation `%s` has no region", r->id.name),
                  "add `region NAME`, e.g. `region zhambyl`");
    else if (r->nregions > 1)
        error(&c, r->regions[1].loc, "`region` given twice");
    else {
        if (strcmp(r->id.name, r->regions[0].name) == 0)
            diag_hint(error(&c, r->id.loc, "regulation `%s` has the name of its region", r->id.name),
                      "generated/<region>/<region>.h is the region's header; name the service after what it gives");
        char *dir = region_dir(src ? src->path : NULL);
        if (dir && strcmp(dir, r->regions[0].name) != 0)
            diag_hint(error(&c, r->regions[0].loc, "region `%s` does not match the directory `%s`",
                            r->regions[0].name, dir),
                      "a rule file lives in rules/<region>/; move the file or fix the region");
        free(dir);
    }
    once(&c, r->nacts, r->acts, "act");
    once(&c, r->nstandards, r->standards, "standard");
    once(&c, r->nproviders, r->providers, "provider");
    once(&c, r->nrepealed, r->repealed, "repealed");
    if (r->has_valid && r->valid_until.text && strcmp(r->valid_until.text, r->valid_from.text) <= 0)
        diag_hint(error(&c, r->valid_until.loc, "validity ends (%s) before it starts (%s)",
                        r->valid_until.text, r->valid_from.text),
                  "`valid from A until B` needs B after A; B is the first day it no longer applies");
    validity_check(r, c.src, c.d);
    term_anchor_check(r, c.src, c.d);
    size_t nform_items = 0;
    for (size_t i = 0; i < r->nitems; i++)
        if (r->items[i].kind == ITEM_FORM && ++nform_items == 2)
            error(&c, r->items[i].loc, "`form` given twice");
    for (size_t i = 0; i < r->nforms; i++)
        if (strcmp(r->forms[i].name, "electronic") != 0 && strcmp(r->forms[i].name, "paper") != 0)
            diag_hint(error(&c, r->forms[i].loc, "unknown form `%s`", r->forms[i].name),
                      "forms are `electronic` and `paper`");

    /* declarations */
    CHECK_UNIQUE(&c, r->channels, r->nchannels, id, "channel");
    CHECK_UNIQUE(&c, r->results, r->nresults, id, "result");
    /* A case refused at intake ends with this result (docs/semantics.md §9). */
    for (size_t i = 0; i < r->nresults; i++)
        if (strcmp(r->results[i].id.name, "intake_refused") == 0)
            diag_hint(error(&c, r->results[i].id.loc, "result id `intake_refused` is reserved"),
                      "a case refused at a flow's intake ends with it; give this result another id");
    CHECK_UNIQUE(&c, r->actors, r->nactors, id, "actor");
    CHECK_UNIQUE(&c, r->variants, r->nvariants, id, "variant");
    if (r->nresults == 0)
        diag_hint(error(&c, top, "regulation `%s` declares no result", r->id.name),
                  "add `result ID \"...\"` for each possible result (licence, refusal, ...)");
    for (size_t i = 0; i < r->nvariants; i++)
        if (find_channel(r, r->variants[i].id.name))
            diag_hint(error(&c, r->variants[i].id.loc, "variant `%s` has the name of a channel",
                            r->variants[i].id.name),
                      "per-variant and per-channel durations share `[NAME ...]`; rename one");

    /* variants and steps */
    if (r->nvariants == 0)
        diag_hint(error(&c, top, "regulation `%s` has no variant", r->id.name),
                  "declare at least one: `variant issue \"...\" result RESULT term 5wd`");
    for (size_t i = 0; i < r->nvariants; i++) {
        variant_decl *v = &r->variants[i];
        v->result_ref = resolve_result(&c, &v->result);
        if (v->has_steps) {
            if (v->steps.count == 0)
                diag_hint(error(&c, v->id.loc, "variant `%s` has an empty block of steps", v->id.name),
                          "list its steps in the block, or drop the block to use the shared steps");
            check_steps(&c, &v->steps, v);
        } else {
            if (r->steps.count == 0)
                diag_hint(error(&c, v->id.loc, "variant `%s` has no steps", v->id.name),
                          "declare `step`s at the top level, or give the variant a block `{ step ... }`");
        }
    }
    if (r->steps.count > 0)
        check_steps(&c, &r->steps, NULL);

    /* flows */
    for (size_t i = 0; i < r->nflows; i++) {
        check_flow(&c, &r->flows[i]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->flows[j].channel.name, r->flows[i].channel.name) == 0) {
                diag_hint(error(&c, r->flows[i].channel.loc, "second flow for channel `%s`",
                                r->flows[i].channel.name),
                          "the first is on line %d; one flow per channel", r->flows[j].loc.line);
                break;
            }
    }
    return c.errors;
}
