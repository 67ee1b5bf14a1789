/* check.c - the static checks of a regulation (see check.h, docs/checks.md).
 *
 * The checks of the process read the lowered model (lower.h): the steps
 * of each variant as a graph (graph.h), the results a case can end with,
 * the resolved flows. The structure of the shared steps is checked once;
 * what depends on a variant (the result it carries, its durations) is
 * checked for every variant that runs them. */
#include "check.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diagram.h"
#include "graph.h"
#include "check_term.h"
#include "lower.h"
#include "rule_limits.h"
#include "strbuf.h"
#include "util.h"
#include "validity.h"

const check_info check_table[] = {
    { "unreachable-step", true, "a step that cannot be reached from the first step of its list" },
    { "no-exit", true, "a step or branch from which a case can never end with a result" },
    { "no-positive-result", true, "a variant whose every way ends with a negative result" },
    { "term-exceeded", false, "the longest way through a variant's steps takes longer than its term" },
    { "missing-term", false, "a variant without a statutory term" },
    { "missing-cite", false, "a step without a citation of the act" },
    { "unused-actor", false, "an actor that no step names" },
    { "unused-result", false, "a result that no variant or step issues" },
    { "channel-without-flow", false, "a channel without an information-system flow" },
    { "check-without-failure", false, "a flow check whose failure goes where its success goes" },
    { "flow-without-steps", false, "a flow without a `steps` item, so its provider's steps follow its `end`" },
    { "diagram-label-too-long", true, "a diagram label longer than Graphviz reads" },
    { "wording-edited", false, "regc gen: a wording's meaning changed in place since the model generated before" },
    { "uncertain-validity", false, "a publication date the file does not know, so the first or last day is uncertain" },
    { "bidi-in-comment", false, "a bidirectional control character in a comment (Trojan Source)" },
};
const size_t check_count = sizeof check_table / sizeof check_table[0];

typedef struct {
    const lowered *low;
    const regulation *r;
    const source *src;
    diag_list *d;
} ctx;

static diagnostic *report_error(ctx *c, srcloc loc, const char *check, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static diagnostic *report_error(ctx *c, srcloc loc, const char *check, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    diagnostic *rec = diag_error(c->d, c->src, loc, "%s", msg);
    diag_set_check(rec, check);
    free(msg);
    return rec;
}

static diagnostic *report_warning(ctx *c, srcloc loc, const char *check, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static diagnostic *report_warning(ctx *c, srcloc loc, const char *check, const char *fmt, ...)
{
    if (!diag_warning_enabled(c->d->warn, check))
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    diagnostic *rec = diag_warning(c->d, c->src, loc, check, "%s", msg);
    free(msg);
    return rec;
}

/* ---- unreachable-step ---- */

/* The steps that lead to each unreachable step, each named once: a CSR
 * list, pred[first[i] .. first[i + 1]). Only the unreachable need it. */
static size_t *unreached_preds(const graph *g, size_t **first_out)
{
    const lw_step *steps = g->v->steps;
    size_t n = g->n;
    size_t *first = xcalloc(n + 1, sizeof *first);
    size_t *last = xrealloc(NULL, n * sizeof *last);
    size_t *pred = NULL;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++)
            last[i] = SIZE_MAX;
        size_t *fill = pass ? xcalloc(n, sizeof *fill) : NULL;
        for (size_t j = 0; j < n; j++) {
            const lw_step *s = &steps[j];
            for (size_t k = 0; k < lw_ntargets(s); k++) {
                const lw_target *t = lw_target_at(s, k);
                if (t->kind != LW_TO_STEP)
                    continue;
                size_t i = t->step;
                if (steps[i].reached || i == j || last[i] == j)
                    continue;
                last[i] = j;
                if (pass)
                    pred[first[i] + fill[i]++] = j;
                else
                    first[i + 1]++;
            }
        }
        if (pass) {
            free(fill);
        } else {
            for (size_t i = 0; i < n; i++)
                first[i + 1] += first[i];
            pred = xrealloc(NULL, (first[n] + 1) * sizeof *pred);
        }
    }
    free(last);
    *first_out = first;
    return pred;
}

static void check_reached(ctx *c, const graph *g, const variant_decl *owner)
{
    enum { NAMED = 6 };
    const lw_step *steps = g->v->steps;
    const char *start = steps[0].src->id.name;
    size_t *first;
    size_t *pred = unreached_preds(g, &first);
    for (size_t i = 1; i < g->n; i++) {
        if (steps[i].reached)
            continue;
        const step *s = steps[i].src;
        diagnostic *rec =
            owner ? report_error(c, s->id.loc, "unreachable-step",
                                 "step `%s` cannot be reached from `%s`, the first step of variant `%s`",
                                 s->id.name, start, owner->id.name)
                  : report_error(c, s->id.loc, "unreachable-step",
                                 "step `%s` cannot be reached from `%s`, the first of the shared steps",
                                 s->id.name, start);
        /* Who leads here: those steps are unreachable too, and worth naming. */
        size_t npred = first[i + 1] - first[i];
        if (npred == 0) {
            diag_hint(rec, "no other step leads to `%s`; a list runs from its first step, and "
                           "each step names its successor with `->`", s->id.name);
            continue;
        }
        strbuf b;
        sb_init(&b);
        for (size_t k = 0; k < npred && k < NAMED; k++)
            sb_printf(&b, "%s`%s`", k ? ", " : "", steps[pred[first[i] + k]].src->id.name);
        if (npred > NAMED)
            sb_printf(&b, " and %zu more", npred - NAMED);
        diag_hint(rec, "only %s lead%s to `%s`, and %s cannot be reached either", b.data,
                  npred == 1 ? "s" : "", s->id.name, npred == 1 ? "it" : "they");
        sb_free(&b);
    }
    free(first);
    free(pred);
}

/* ---- no-exit ---- */

/* Marks every step reachable from `from` (all of them trapped, like it);
 * stack has room for every step. */
static void cover(const graph *g, size_t from, bool *covered, size_t *stack)
{
    size_t sp = 0;
    if (!covered[from]) {
        covered[from] = true;
        stack[sp++] = from;
    }
    while (sp) {
        const lw_step *s = &g->v->steps[stack[--sp]];
        for (size_t k = 0; k < lw_ntargets(s); k++) {
            const lw_target *t = lw_target_at(s, k);
            if (t->kind != LW_TO_STEP)
                continue;
            size_t w = t->step;
            if (!covered[w]) {
                covered[w] = true;
                stack[sp++] = w;
            }
        }
    }
}

/* The hint for a trap entered at step i: the way its unconditional
 * successors go round. A trapped step leads only to trapped steps, so the
 * walk never leaves the trap and must come back to a step it has seen.
 * seen is false for every step, and is left so. */
static void loop_hint(const graph *g, size_t i, diagnostic *rec, bool *seen)
{
    enum { SHOWN = 12 };
    size_t walked[SHOWN];
    strbuf b;
    sb_init(&b);
    size_t cur = i, count = 0;
    bool closed = false;
    while (count < SHOWN) {
        const lw_step *s = &g->v->steps[cur];
        sb_printf(&b, "%s`%s`", count ? " -> " : "", s->src->id.name);
        if (seen[cur]) {
            closed = true;
            break;
        }
        seen[cur] = true;
        walked[count++] = cur;
        if (s->next.kind != LW_TO_STEP)
            break;
        cur = s->next.step;
    }
    diag_hint(rec, "the case goes %s%s; give one of these steps `-> end`, `-> result RESULT` or a "
                   "branch out of the loop",
              b.data, closed ? " and round again" : " -> ...");
    sb_free(&b);
    for (size_t k = 0; k < count; k++)
        seen[walked[k]] = false;
}

static void check_exits(ctx *c, const graph *g)
{
    const lw_step *steps = g->v->steps;
    bool *covered = xcalloc(g->n, sizeof *covered);
    bool *seen = xcalloc(g->n, sizeof *seen);
    size_t *stack = xrealloc(NULL, g->n * sizeof *stack);
    if (!graph_exits(g, 0)) {
        const step *s = steps[0].src;
        loop_hint(g, 0, report_error(c, s->id.loc, "no-exit",
                                     "no result can be reached from the first step `%s`", s->id.name),
                  seen);
        cover(g, 0, covered, stack);
    }
    for (size_t i = 0; i < g->n; i++) {
        if (!graph_exits(g, i))
            continue;
        const lw_step *s = &steps[i];
        for (size_t k = 0; k < lw_ntargets(s); k++) {
            const lw_target *t = lw_target_at(s, k);
            if (t->kind != LW_TO_STEP || graph_exits(g, t->step))
                continue;
            size_t w = t->step;
            diagnostic *rec =
                k < s->nbranches
                    ? report_error(c, t->src->loc, "no-exit",
                                   "branch `%s` of step `%s` leads to `%s`, from which no result can be reached",
                                   s->branches[k].src->outcome.name, s->src->id.name, steps[w].src->id.name)
                    : report_error(c, t->src->loc, "no-exit",
                                   "step `%s` goes on to `%s`, from which no result can be reached",
                                   s->src->id.name, steps[w].src->id.name);
            loop_hint(g, w, rec, seen);
            cover(g, w, covered, stack);
        }
    }
    /* What is left is trapped and entered from nowhere. */
    for (size_t i = 0; i < g->n; i++) {
        if (graph_exits(g, i) || covered[i])
            continue;
        const step *s = steps[i].src;
        loop_hint(g, i, report_error(c, s->id.loc, "no-exit", "no result can be reached from step `%s`",
                                     s->id.name),
                  seen);
        cover(g, i, covered, stack);
    }
    free(covered);
    free(seen);
    free(stack);
}

/* ---- no-positive-result ---- */

/* The results a case of variant v can end with are in the lowered model;
 * at least one must be positive. */
static void check_positive(ctx *c, const graph *g, const lw_variant *lv)
{
    const regulation *r = c->r;
    const variant_decl *v = lv->src;
    if (!graph_exits(g, 0) || lv->result == LW_NONE)
        return; /* no-exit has said that no result can be reached at all */
    size_t nres = r->nresults;
    const bool *ends = lv->ends;
    bool positive = false;
    strbuf b;
    sb_init(&b);
    size_t nend = 0;
    for (size_t k = 0; k < nres; k++) {
        if (!ends[k])
            continue;
        if (!r->results[k].negative)
            positive = true;
        sb_printf(&b, "%s`%s`", nend++ ? ", " : "", r->results[k].id.name);
    }
    if (!positive) {
        diagnostic *rec = report_error(c, v->id.loc, "no-positive-result",
                                       "variant `%s` has no way to a positive result", v->id.name);
        diag_hint(rec, "every way through its steps ends with %s, marked `negative`; %s", b.data,
                  v->result_ref->negative ? "the variant's own `result` should be what it issues"
                                          : "some way must end with the variant's `result`");
    }
    sb_free(&b);
}

/* ---- declarations and citations ---- */

static void check_cites(ctx *c, const step_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        const step *s = &l->items[i];
        if (!s->cite || !s->cite[0])
            diag_hint(report_warning(c, s->id.loc, "missing-cite", "step `%s` has no citation", s->id.name),
                      "add `cite \"...\"` with the paragraph of the act it comes from, e.g. `cite \"5-т. 1)\"`");
    }
}

static void mark_used(const regulation *r, const step_list *l, bool *actor_used, bool *result_used)
{
    for (size_t i = 0; i < l->count; i++) {
        const step *s = &l->items[i];
        if (s->actor_ref)
            actor_used[s->actor_ref - r->actors] = true;
        for (size_t k = 0; k <= s->nbranches; k++) {
            const target *t = k < s->nbranches ? &s->branches[k].to : &s->nexts[0];
            if (t->result_ref)
                result_used[t->result_ref - r->results] = true;
        }
    }
}

static void check_declarations(ctx *c)
{
    const regulation *r = c->r;
    bool *actor_used = xcalloc(r->nactors, sizeof *actor_used);
    bool *result_used = xcalloc(r->nresults, sizeof *result_used);
    mark_used(r, &r->steps, actor_used, result_used);
    for (size_t i = 0; i < r->nvariants; i++) {
        const variant_decl *v = &r->variants[i];
        if (v->result_ref)
            result_used[v->result_ref - r->results] = true;
        if (v->has_steps)
            mark_used(r, &v->steps, actor_used, result_used);
    }
    for (size_t i = 0; i < r->nactors; i++)
        if (!actor_used[i])
            diag_hint(report_warning(c, r->actors[i].id.loc, "unused-actor",
                                     "actor `%s` does no step", r->actors[i].id.name),
                      "remove it, or name it in the step it does: `by %s`", r->actors[i].id.name);
    for (size_t i = 0; i < r->nresults; i++)
        if (!result_used[i])
            diag_hint(report_warning(c, r->results[i].id.loc, "unused-result",
                                     "result `%s` is never issued", r->results[i].id.name),
                      "no variant has it as its `result` and no step leads to it; remove it, or "
                      "add the branch that issues it: `-> result %s`",
                      r->results[i].id.name);
    for (size_t i = 0; i < r->nchannels; i++) {
        const char *ch = r->channels[i].id.name;
        size_t j = 0;
        while (j < r->nflows && strcmp(r->flows[j].channel.name, ch) != 0)
            j++;
        if (j == r->nflows)
            diag_hint(report_warning(c, r->channels[i].id.loc, "channel-without-flow",
                                     "channel `%s` has no flow", ch),
                      "describe its information-system processes: `flow %s \"...\" { process p1 "
                      "\"...\" ... }`",
                      ch);
    }
    free(actor_used);
    free(result_used);
}

/* ---- check-without-failure ---- */

/* A check fails somewhere only if its `else` leads, through processes
 * alone, to a place other than where it goes when it holds. */
static void check_flow(ctx *c, const lw_flow *f)
{
    if (f->steps_item == f->nitems && f->nitems > 0)
        diag_hint(report_warning(c, f->src->loc, "flow-without-steps",
                                 "flow `%s` has no `steps` item: every item is intake and the provider's "
                                 "steps run after its `end`",
                                 f->src->channel.name),
                  "put `steps` where the documents reach the provider, after the last item of "
                  "intake (the process that registers the request in the provider's system)");
    for (size_t i = 0; i < f->nitems; i++) {
        const flow_item *it = f->items[i].src;
        if (it->kind != FLOW_CHECK)
            continue;
        lw_place holds = f->items[i].next;
        lw_place p = f->items[i].fail;
        const flow_item *first = NULL;
        for (size_t hops = 0; p.kind == LW_PLACE_ITEM && !lw_same_place(p, holds) &&
                              f->items[p.item].src->kind == FLOW_PROCESS && hops < f->nitems;
             hops++) {
            if (!first)
                first = f->items[p.item].src;
            p = f->items[p.item].next;
        }
        if (!lw_same_place(p, holds))
            continue;
        diagnostic *rec =
            first ? report_warning(c, it->fail.loc, "check-without-failure",
                                   "check `%s` has no failure branch: its failure process `%s` goes on "
                                   "to `%s`, where the flow goes when the check holds",
                                   it->id.name, first->id.name, lw_place_name(f, holds))
                  : report_warning(c, it->fail.loc, "check-without-failure",
                                   "check `%s` has no failure branch: `else` goes to `%s`, where the "
                                   "flow goes when the check holds",
                                   it->id.name, lw_place_name(f, holds));
        diag_hint(rec, "point `else` at the process the act gives for the failure, and end that "
                       "process with `-> error`");
    }
}

/* ---- diagram-label-too-long ---- */

/* make renders every diagram with Graphviz, which refuses a quoted string
 * longer than MAX_DOT_STRING_BYTES: a label that long is refused here. */
static void check_diagram(ctx *c, diagram *dg)
{
    dg_overlong o;
    if (dot_overlong(dg, &o))
        diag_hint(report_error(c, o.loc, "diagram-label-too-long",
                               "the %s label of `%s` in diagram `%s` is %zu bytes in DOT, more than "
                               "Graphviz reads",
                               o.part, o.id, dg->name, o.bytes),
                  "Graphviz reads strings of up to %d bytes; shorten the texts this label shows "
                  "(a title, an action, a citation, a condition or a label)",
                  MAX_DOT_STRING_BYTES);
    diagram_free(dg);
}

static void check_diagrams(ctx *c)
{
    diagram dg;
    for (size_t i = 0; i < c->low->nvariants; i++) {
        diagram_of_variant(c->low, &c->low->variants[i], &dg);
        check_diagram(c, &dg);
    }
    for (size_t i = 0; i < c->low->nflows; i++) {
        diagram_of_flow(c->low, &c->low->flows[i], &dg);
        check_diagram(c, &dg);
    }
}

/* ---- the driver ---- */

static int by_place(const void *a, const void *b)
{
    const diagnostic *x = *(const diagnostic *const *)a, *y = *(const diagnostic *const *)b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x < y ? -1 : x > y; /* the order they were found in */
}

/* Puts the diagnostics from index first on in source order. */
static void sort_from(diag_list *d, size_t first)
{
    size_t n = d->count - first;
    if (n < 2)
        return;
    const diagnostic **order = xrealloc(NULL, n * sizeof *order);
    diagnostic *copy = xrealloc(NULL, n * sizeof *copy);
    for (size_t i = 0; i < n; i++)
        order[i] = &d->items[first + i];
    qsort(order, n, sizeof *order, by_place);
    for (size_t i = 0; i < n; i++)
        copy[i] = *order[i];
    memcpy(&d->items[first], copy, n * sizeof *copy);
    free(copy);
    free(order);
}

int check_regulation(const lowered *low, const source *src, diag_list *d)
{
    const regulation *r = low->r;
    ctx c = { low, r, src, d };
    int errors_before = d->errors;
    size_t first = d->count;

    check_declarations(&c);
    validity_warn(r, src, d);

    /* The shared steps have one structure, whichever variant runs them. */
    const lw_variant *shared_runner = NULL;
    for (size_t i = 0; i < low->nvariants && !shared_runner; i++)
        if (low->variants[i].shared)
            shared_runner = &low->variants[i];
    graph shared;
    memset(&shared, 0, sizeof shared);
    if (r->steps.count > 0) {
        if (shared_runner) {
            graph_build(&shared, shared_runner);
            check_reached(&c, &shared, NULL);
            check_exits(&c, &shared);
        } else {
            diag_hint(report_error(&c, r->steps.items[0].id.loc, "unreachable-step",
                                   "no variant runs the shared steps"),
                      "every variant has a block of steps of its own; move these steps into a "
                      "block, or remove the block of the variant that runs them");
        }
        check_cites(&c, &r->steps);
    }

    for (size_t i = 0; i < low->nvariants; i++) {
        const lw_variant *lv = &low->variants[i];
        const variant_decl *v = lv->src;
        if (!v->has_term)
            diag_hint(report_warning(&c, v->id.loc, "missing-term", "variant `%s` has no term", v->id.name),
                      "add the statutory term the act sets, e.g. `term 10wd from \"...\"`; without it "
                      "the steps cannot be checked against a term");
        if (lv->nsteps == 0)
            continue;
        graph own;
        const graph *g = &shared;
        if (!lv->shared) {
            graph_build(&own, lv);
            check_reached(&c, &own, v);
            check_exits(&c, &own);
            check_cites(&c, &v->steps);
            g = &own;
        }
        check_positive(&c, g, lv);
        check_term(low, src, d, g, lv);
        if (!lv->shared)
            graph_free(&own);
    }
    if (shared_runner)
        graph_free(&shared);

    for (size_t i = 0; i < low->nflows; i++)
        check_flow(&c, &low->flows[i]);
    check_diagrams(&c);

    sort_from(d, first);
    return d->errors - errors_before;
}
