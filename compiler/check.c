/* check.c - the static checks of a regulation (see check.h, docs/checks.md).
 *
 * A step list is a graph: its steps are the nodes; each branch and each
 * unconditional successor is an edge; `-> end` and `-> result R` leave the
 * graph with a result. The structure of the shared steps is checked once;
 * what depends on a variant (the result it carries, its durations) is
 * checked for every variant that runs them. */
#include "check.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "util.h"

/* The working day of the calendar (docs/semantics.md): 8 hours. */
enum { DAY_MINUTES = 480 };

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
};
const size_t check_count = sizeof check_table / sizeof check_table[0];

typedef struct {
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

/* ---- the graph of a step list ---- */

/* The edges of a step: its branches, then its unconditional successors. */
static size_t ntargets(const step *s)
{
    return s->nbranches + s->nnexts;
}

static const target *target_at(const step *s, size_t k)
{
    return k < s->nbranches ? &s->branches[k].to : &s->nexts[k - s->nbranches];
}

static size_t step_at(const step_list *l, const target *t)
{
    return (size_t)(t->step_ref - l->items);
}

typedef struct {
    const step_list *l;
    size_t n;
    bool *reached;    /* per step: reachable from the first step */
    size_t *comp;     /* per step: its strongly connected component */
    size_t ncomp;
    size_t *first;    /* the steps of component k: member[first[k] .. first[k + 1]) */
    size_t *member;   /* in step order within a component */
    bool *loop;       /* per component: several steps, or one that leads to itself */
    bool *exits;      /* per component: some way from it ends with a result */
} graph;

static void find_reached(graph *g)
{
    size_t *stack = xrealloc(NULL, g->n * sizeof *stack);
    size_t sp = 0;
    g->reached[0] = true;
    stack[sp++] = 0;
    while (sp) {
        const step *s = &g->l->items[stack[--sp]];
        for (size_t k = 0; k < ntargets(s); k++) {
            const target *t = target_at(s, k);
            if (t->kind != TARGET_STEP)
                continue;
            size_t w = step_at(g->l, t);
            if (!g->reached[w]) {
                g->reached[w] = true;
                stack[sp++] = w;
            }
        }
    }
    free(stack);
}

/* Tarjan's algorithm without recursion (a generated list may be long).
 * Components are numbered in the order they close, so an edge between two
 * components always goes to the lower number: ascending order visits every
 * component after all the components it leads to. */
static void find_components(graph *g)
{
    size_t n = g->n;
    const size_t unseen = SIZE_MAX;
    size_t *order = xrealloc(NULL, n * sizeof *order);
    size_t *low = xrealloc(NULL, n * sizeof *low);
    size_t *stack = xrealloc(NULL, n * sizeof *stack);
    size_t *call = xrealloc(NULL, n * sizeof *call);
    size_t *edge = xrealloc(NULL, n * sizeof *edge);
    bool *on_stack = xcalloc(n, sizeof *on_stack);
    for (size_t i = 0; i < n; i++)
        order[i] = unseen;
    size_t counter = 0, sp = 0, depth = 0;
    g->ncomp = 0;
    for (size_t root = 0; root < n; root++) {
        if (order[root] != unseen)
            continue;
        order[root] = low[root] = counter++;
        stack[sp++] = root;
        on_stack[root] = true;
        call[0] = root;
        edge[0] = 0;
        depth = 1;
        while (depth) {
            size_t v = call[depth - 1];
            const step *s = &g->l->items[v];
            if (edge[depth - 1] < ntargets(s)) {
                const target *t = target_at(s, edge[depth - 1]++);
                if (t->kind != TARGET_STEP)
                    continue;
                size_t w = step_at(g->l, t);
                if (order[w] == unseen) {
                    order[w] = low[w] = counter++;
                    stack[sp++] = w;
                    on_stack[w] = true;
                    call[depth] = w;
                    edge[depth] = 0;
                    depth++;
                } else if (on_stack[w] && order[w] < low[v]) {
                    low[v] = order[w];
                }
                continue;
            }
            if (low[v] == order[v]) {
                size_t w;
                do {
                    w = stack[--sp];
                    on_stack[w] = false;
                    g->comp[w] = g->ncomp;
                } while (w != v);
                g->ncomp++;
            }
            depth--;
            if (depth && low[v] < low[call[depth - 1]])
                low[call[depth - 1]] = low[v];
        }
    }
    free(order);
    free(low);
    free(stack);
    free(call);
    free(edge);
    free(on_stack);
}

static void graph_build(graph *g, const step_list *l)
{
    memset(g, 0, sizeof *g);
    g->l = l;
    g->n = l->count;
    size_t n = g->n;
    g->reached = xcalloc(n, sizeof *g->reached);
    g->comp = xcalloc(n, sizeof *g->comp);
    find_reached(g);
    find_components(g);

    size_t nc = g->ncomp;
    g->first = xcalloc(nc + 1, sizeof *g->first);
    g->member = xcalloc(n, sizeof *g->member);
    g->loop = xcalloc(nc, sizeof *g->loop);
    g->exits = xcalloc(nc, sizeof *g->exits);
    for (size_t i = 0; i < n; i++)
        g->first[g->comp[i] + 1]++;
    for (size_t k = 0; k < nc; k++)
        g->first[k + 1] += g->first[k];
    size_t *fill = xcalloc(nc, sizeof *fill);
    for (size_t i = 0; i < n; i++) {
        size_t k = g->comp[i];
        g->member[g->first[k] + fill[k]++] = i;
    }
    free(fill);

    for (size_t k = 0; k < nc; k++) {
        if (g->first[k + 1] - g->first[k] > 1)
            g->loop[k] = true;
        for (size_t m = g->first[k]; m < g->first[k + 1]; m++) {
            const step *s = &l->items[g->member[m]];
            for (size_t e = 0; e < ntargets(s); e++) {
                const target *t = target_at(s, e);
                if (t->kind != TARGET_STEP) {
                    g->exits[k] = true;
                    continue;
                }
                size_t kw = g->comp[step_at(l, t)];
                if (kw == k)
                    g->loop[k] = true;
                else if (g->exits[kw])
                    g->exits[k] = true;
            }
        }
    }
}

static void graph_free(graph *g)
{
    free(g->reached);
    free(g->comp);
    free(g->first);
    free(g->member);
    free(g->loop);
    free(g->exits);
    memset(g, 0, sizeof *g);
}

static bool step_exits(const graph *g, size_t i)
{
    return g->exits[g->comp[i]];
}

/* ---- unreachable-step ---- */

/* The steps that lead to each unreachable step, each named once: a CSR
 * list, pred[first[i] .. first[i + 1]). Only the unreachable need it. */
static size_t *unreached_preds(const graph *g, size_t **first_out)
{
    const step_list *l = g->l;
    size_t n = g->n;
    size_t *first = xcalloc(n + 1, sizeof *first);
    size_t *last = xrealloc(NULL, n * sizeof *last);
    size_t *pred = NULL;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++)
            last[i] = SIZE_MAX;
        size_t *fill = pass ? xcalloc(n, sizeof *fill) : NULL;
        for (size_t j = 0; j < n; j++) {
            const step *s = &l->items[j];
            for (size_t k = 0; k < ntargets(s); k++) {
                const target *t = target_at(s, k);
                if (t->kind != TARGET_STEP)
                    continue;
                size_t i = step_at(l, t);
                if (g->reached[i] || i == j || last[i] == j)
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
    const step_list *l = g->l;
    const char *start = l->items[0].id.name;
    size_t *first;
    size_t *pred = unreached_preds(g, &first);
    for (size_t i = 1; i < g->n; i++) {
        if (g->reached[i])
            continue;
        const step *s = &l->items[i];
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
            sb_printf(&b, "%s`%s`", k ? ", " : "", l->items[pred[first[i] + k]].id.name);
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
        const step *s = &g->l->items[stack[--sp]];
        for (size_t k = 0; k < ntargets(s); k++) {
            const target *t = target_at(s, k);
            if (t->kind != TARGET_STEP)
                continue;
            size_t w = step_at(g->l, t);
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
        const step *s = &g->l->items[cur];
        sb_printf(&b, "%s`%s`", count ? " -> " : "", s->id.name);
        if (seen[cur]) {
            closed = true;
            break;
        }
        seen[cur] = true;
        walked[count++] = cur;
        if (s->nnexts == 0 || s->nexts[0].kind != TARGET_STEP)
            break;
        cur = step_at(g->l, &s->nexts[0]);
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
    const step_list *l = g->l;
    bool *covered = xcalloc(g->n, sizeof *covered);
    bool *seen = xcalloc(g->n, sizeof *seen);
    size_t *stack = xrealloc(NULL, g->n * sizeof *stack);
    if (!step_exits(g, 0)) {
        const step *s = &l->items[0];
        loop_hint(g, 0, report_error(c, s->id.loc, "no-exit",
                                     "no result can be reached from the first step `%s`", s->id.name),
                  seen);
        cover(g, 0, covered, stack);
    }
    for (size_t i = 0; i < g->n; i++) {
        if (!step_exits(g, i))
            continue;
        const step *s = &l->items[i];
        for (size_t k = 0; k < ntargets(s); k++) {
            const target *t = target_at(s, k);
            if (t->kind != TARGET_STEP || step_exits(g, step_at(l, t)))
                continue;
            size_t w = step_at(l, t);
            diagnostic *rec =
                k < s->nbranches
                    ? report_error(c, t->loc, "no-exit",
                                   "branch `%s` of step `%s` leads to `%s`, from which no result can be reached",
                                   s->branches[k].outcome.name, s->id.name, l->items[w].id.name)
                    : report_error(c, t->loc, "no-exit",
                                   "step `%s` goes on to `%s`, from which no result can be reached",
                                   s->id.name, l->items[w].id.name);
            loop_hint(g, w, rec, seen);
            cover(g, w, covered, stack);
        }
    }
    /* What is left is trapped and entered from nowhere. */
    for (size_t i = 0; i < g->n; i++) {
        if (step_exits(g, i) || covered[i])
            continue;
        const step *s = &l->items[i];
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

/* Walks the pairs (step, result the case carries) from the first step with
 * the variant's result, and collects the results the case can end with.
 * Only the variant's result and those named by `with` can be carried, so
 * the pairs use a slot per such result, not one per declared result. */
static void check_positive(ctx *c, const graph *g, const variant_decl *v)
{
    const regulation *r = c->r;
    if (!step_exits(g, 0) || !v->result_ref)
        return; /* no-exit has said that no result can be reached at all */
    size_t n = g->n, nres = r->nresults;
    size_t *slot = xrealloc(NULL, nres * sizeof *slot);
    size_t *held = xrealloc(NULL, nres * sizeof *held);
    size_t nheld = 0;
    for (size_t k = 0; k < nres; k++)
        slot[k] = SIZE_MAX;
    slot[v->result_ref - r->results] = nheld;
    held[nheld++] = (size_t)(v->result_ref - r->results);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < ntargets(&g->l->items[i]); k++) {
            const target *t = target_at(&g->l->items[i], k);
            if (t->kind == TARGET_STEP && t->result_ref && slot[t->result_ref - r->results] == SIZE_MAX) {
                slot[t->result_ref - r->results] = nheld;
                held[nheld++] = (size_t)(t->result_ref - r->results);
            }
        }
    bool *seen = xcalloc(n * nheld, sizeof *seen);
    bool *ends = xcalloc(nres, sizeof *ends);
    size_t *queue = xrealloc(NULL, n * nheld * sizeof *queue);
    size_t head = 0, tail = 0;
    seen[0] = true; /* the first step, carrying the variant's result (slot 0) */
    queue[tail++] = 0;
    while (head < tail) {
        size_t state = queue[head++];
        size_t si = state / nheld, res = held[state % nheld];
        const step *s = &g->l->items[si];
        for (size_t k = 0; k < ntargets(s); k++) {
            const target *t = target_at(s, k);
            if (t->kind == TARGET_END) {
                ends[res] = true;
            } else if (t->kind == TARGET_RESULT) {
                ends[t->result_ref - r->results] = true;
            } else {
                size_t carried = t->result_ref ? slot[t->result_ref - r->results] : slot[res];
                size_t next = step_at(g->l, t) * nheld + carried;
                if (!seen[next]) {
                    seen[next] = true;
                    queue[tail++] = next;
                }
            }
        }
    }
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
    free(slot);
    free(held);
    free(seen);
    free(ends);
    free(queue);
}

/* ---- term-exceeded ---- */

/* Working minutes of a duration for the bound: a calendar day counts as a
 * working day (docs/checks.md says why this is an upper bound). */
static long long bound_minutes(const duration *d)
{
    return d->unit == REG_UNIT_CD ? d->amount * DAY_MINUTES : duration_minutes(d, DAY_MINUTES);
}

static const duration *duration_in(const step *s, const variant_decl *v, const char *channel)
{
    if (channel)
        for (size_t i = 0; i < s->noverrides; i++)
            if (s->overrides[i].key_is_channel && strcmp(s->overrides[i].key.name, channel) == 0)
                return &s->overrides[i].dur;
    return step_duration(s, v);
}

typedef struct {
    long long minutes;   /* from the component's start to a result */
    long long cd;        /* calendar days among them */
    const target *via;   /* where the longest way leaves the component */
} span;

/* The longest way from each component to a result, over the components in
 * ascending order (each after those it leads to). A loop counts each of its
 * steps once. */
static void longest(const graph *g, const variant_decl *v, const char *channel, span *best)
{
    for (size_t k = 0; k < g->ncomp; k++) {
        best[k] = (span){ -1, 0, NULL };
        if (!g->exits[k])
            continue;
        long long own = 0, own_cd = 0, after = -1, after_cd = 0;
        const target *via = NULL;
        for (size_t m = g->first[k]; m < g->first[k + 1]; m++) {
            const step *s = &g->l->items[g->member[m]];
            const duration *d = duration_in(s, v, channel);
            own += bound_minutes(d);
            if (d->unit == REG_UNIT_CD)
                own_cd += d->amount;
            for (size_t e = 0; e < ntargets(s); e++) {
                const target *t = target_at(s, e);
                long long len = 0, cd = 0;
                if (t->kind == TARGET_STEP) {
                    size_t kw = g->comp[step_at(g->l, t)];
                    if (kw == k || !g->exits[kw])
                        continue;
                    len = best[kw].minutes;
                    cd = best[kw].cd;
                }
                if (len > after) {
                    after = len;
                    after_cd = cd;
                    via = t;
                }
            }
        }
        best[k] = (span){ own + after, own_cd + after_cd, via };
    }
}

/* "2 wd 5 h": whole working days, hours and minutes of an 8-hour day. */
static void put_minutes(strbuf *b, long long m)
{
    long long wd = m / DAY_MINUTES, h = m % DAY_MINUTES / 60, mi = m % 60;
    const char *sep = "";
    if (wd) {
        sb_printf(b, "%lld wd", wd);
        sep = " ";
    }
    if (h) {
        sb_printf(b, "%s%lld h", sep, h);
        sep = " ";
    }
    if (mi || m == 0)
        sb_printf(b, "%s%lld m", sep, mi);
}

static void put_duration(strbuf *b, const duration *d)
{
    sb_printf(b, "%lld%s", d->amount, unit_name(d->unit));
}

/* At most this many parts of a long way are named in a hint. */
enum { PATH_HEAD = 8, PATH_TAIL = 4, LOOP_SHOWN = 8 };

static void put_component(strbuf *b, const graph *g, size_t k, const variant_decl *v,
                          const char *channel)
{
    size_t n = g->first[k + 1] - g->first[k];
    if (g->loop[k])
        sb_add(b, "(a loop counted once: ");
    for (size_t m = 0; m < n && m < LOOP_SHOWN; m++) {
        const step *s = &g->l->items[g->member[g->first[k] + m]];
        sb_printf(b, "%s%s ", m ? ", " : "", s->id.name);
        put_duration(b, duration_in(s, v, channel));
    }
    if (n > LOOP_SHOWN)
        sb_printf(b, " and %zu more", n - LOOP_SHOWN);
    if (g->loop[k])
        sb_add(b, ")");
}

static void put_path(strbuf *b, const graph *g, const variant_decl *v, const char *channel,
                     const span *best)
{
    /* Each component leads to a lower number, so the walk ends. */
    size_t *way = xrealloc(NULL, g->ncomp * sizeof *way);
    size_t len = 0, k = g->comp[0];
    const target *t;
    for (;;) {
        way[len++] = k;
        t = best[k].via;
        if (t->kind != TARGET_STEP)
            break;
        k = g->comp[step_at(g->l, t)];
    }
    for (size_t i = 0; i < len; i++) {
        if (len > PATH_HEAD + PATH_TAIL + 1 && i == PATH_HEAD) {
            sb_printf(b, " -> ... %zu more ...", len - PATH_HEAD - PATH_TAIL);
            i = len - PATH_TAIL - 1;
            continue;
        }
        if (i)
            sb_add(b, " -> ");
        put_component(b, g, way[i], v, channel);
    }
    if (t->kind == TARGET_END)
        sb_add(b, " -> end");
    else
        sb_printf(b, " -> result %s", t->result.name);
    free(way);
}

static bool has_channel_override(const step_list *l, const char *channel)
{
    for (size_t i = 0; i < l->count; i++)
        for (size_t k = 0; k < l->items[i].noverrides; k++)
            if (l->items[i].overrides[k].key_is_channel &&
                strcmp(l->items[i].overrides[k].key.name, channel) == 0)
                return true;
    return false;
}

static void check_term(ctx *c, const graph *g, const variant_decl *v)
{
    if (!v->has_term || !step_exits(g, 0) || !diag_warning_enabled(c->d->warn, "term-exceeded"))
        return;
    span *worst = xrealloc(NULL, g->ncomp * sizeof *worst);
    span *cur = xrealloc(NULL, g->ncomp * sizeof *cur);
    const char *worst_channel = NULL;
    size_t k0 = g->comp[0];
    longest(g, v, NULL, worst);
    /* Each channel with a duration of its own; a tie keeps the default. */
    for (size_t i = 0; i < c->r->nchannels; i++) {
        const char *ch = c->r->channels[i].id.name;
        if (!has_channel_override(g->l, ch))
            continue;
        longest(g, v, ch, cur);
        if (cur[k0].minutes > worst[k0].minutes) {
            span *tmp = worst;
            worst = cur;
            cur = tmp;
            worst_channel = ch;
        }
    }
    long long term = bound_minutes(&v->term);
    if (worst[k0].minutes > term) {
        strbuf took, limit, path;
        sb_init(&took);
        sb_init(&limit);
        sb_init(&path);
        put_minutes(&took, worst[k0].minutes);
        if (worst[k0].cd)
            sb_printf(&took, " (counting %lld cd as %lld wd)", worst[k0].cd, worst[k0].cd);
        if (worst_channel)
            sb_printf(&took, " through channel `%s`", worst_channel);
        if (v->term.unit == REG_UNIT_CD)
            sb_printf(&limit, "%lld cd, taken as %lld wd", v->term.amount, v->term.amount);
        else
            put_minutes(&limit, term);
        put_path(&path, g, v, worst_channel, worst);
        diag_hint(report_warning(c, v->term.loc, "term-exceeded",
                                 "steps of variant `%s` take %s, its term is %s", v->id.name, took.data,
                                 limit.data),
                  "the longest way: %s", path.data);
        sb_free(&took);
        sb_free(&limit);
        sb_free(&path);
    }
    free(worst);
    free(cur);
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
        for (size_t k = 0; k < ntargets(s); k++) {
            const target *t = target_at(s, k);
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

enum { PLACE_END = -1, PLACE_ERROR = -2 };

/* Where a flow target of item i leads: an item index, PLACE_END or PLACE_ERROR. */
static long long place_of(const flow_decl *f, size_t i, const flow_target *t)
{
    switch (t->kind) {
    case FLOW_TO_NEXT: return i + 1 < f->nitems ? (long long)(i + 1) : PLACE_END;
    case FLOW_TO_ITEM: return (long long)t->item_index;
    case FLOW_TO_END: return PLACE_END;
    case FLOW_TO_ERROR: return PLACE_ERROR;
    }
    return PLACE_ERROR;
}

static const char *place_name(const flow_decl *f, long long p)
{
    return p == PLACE_END ? "end" : p == PLACE_ERROR ? "error" : f->items[p].id.name;
}

/* A check fails somewhere only if its `else` leads, through processes
 * alone, to a place other than where it goes when it holds. */
static void check_flow(ctx *c, const flow_decl *f)
{
    for (size_t i = 0; i < f->nitems; i++) {
        const flow_item *it = &f->items[i];
        if (it->kind != FLOW_CHECK)
            continue;
        long long holds = place_of(f, i, &it->next);
        long long p = place_of(f, i, &it->fail);
        const flow_item *first = NULL;
        for (size_t hops = 0; p >= 0 && p != holds && f->items[p].kind == FLOW_PROCESS && hops < f->nitems;
             hops++) {
            if (!first)
                first = &f->items[p];
            p = place_of(f, (size_t)p, &f->items[p].next);
        }
        if (p != holds)
            continue;
        diagnostic *rec =
            first ? report_warning(c, it->fail.loc, "check-without-failure",
                                   "check `%s` has no failure branch: its failure process `%s` goes on "
                                   "to `%s`, where the flow goes when the check holds",
                                   it->id.name, first->id.name, place_name(f, holds))
                  : report_warning(c, it->fail.loc, "check-without-failure",
                                   "check `%s` has no failure branch: `else` goes to `%s`, where the "
                                   "flow goes when the check holds",
                                   it->id.name, place_name(f, holds));
        diag_hint(rec, "point `else` at the process the act gives for the failure, and end that "
                       "process with `-> error`");
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

int check_regulation(const regulation *r, const source *src, diag_list *d)
{
    ctx c = { r, src, d };
    int errors_before = d->errors;
    size_t first = d->count;

    check_declarations(&c);

    bool shared_used = false;
    for (size_t i = 0; i < r->nvariants; i++)
        if (!r->variants[i].has_steps)
            shared_used = true;
    graph shared;
    memset(&shared, 0, sizeof shared);
    if (r->steps.count > 0) {
        graph_build(&shared, &r->steps);
        if (shared_used) {
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

    for (size_t i = 0; i < r->nvariants; i++) {
        const variant_decl *v = &r->variants[i];
        if (!v->has_term)
            diag_hint(report_warning(&c, v->id.loc, "missing-term", "variant `%s` has no term", v->id.name),
                      "add the statutory term the act sets, e.g. `term 10wd from \"...\"`; without it "
                      "the steps cannot be checked against a term");
        graph own;
        const graph *g = &shared;
        if (v->has_steps) {
            if (v->steps.count == 0)
                continue;
            graph_build(&own, &v->steps);
            check_reached(&c, &own, v);
            check_exits(&c, &own);
            check_cites(&c, &v->steps);
            g = &own;
        } else if (r->steps.count == 0) {
            continue;
        }
        check_positive(&c, g, v);
        check_term(&c, g, v);
        if (v->has_steps)
            graph_free(&own);
    }
    if (r->steps.count > 0)
        graph_free(&shared);

    for (size_t i = 0; i < r->nflows; i++)
        check_flow(&c, &r->flows[i]);

    sort_from(d, first);
    return d->errors - errors_before;
}

/* ---- -W options ---- */

static const check_info *find_check(const char *name)
{
    for (size_t i = 0; i < check_count; i++)
        if (strcmp(check_table[i].name, name) == 0)
            return &check_table[i];
    return NULL;
}

static void drop_name(const char **list, size_t *n, const char *name)
{
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(list[i], name) != 0)
            list[kept++] = list[i];
    *n = kept;
}

static void list_warnings(FILE *out)
{
    fputs("warnings:", out);
    for (size_t i = 0; i < check_count; i++)
        if (!check_table[i].error)
            fprintf(out, " %s", check_table[i].name);
    fputc('\n', out);
}

int check_warn_option(warn_options *w, const char *arg, const char *cmd)
{
    const char *name = arg + 2;
    if (strcmp(name, "error") == 0 || strcmp(name, "no-error") == 0) {
        w->werror = name[0] == 'e';
        return 0;
    }
    /* `-Wno-NAME` turns NAME off; a name is tried whole first. */
    bool enable = true;
    const check_info *ci = find_check(name);
    if (!ci && strncmp(name, "no-", 3) == 0) {
        ci = find_check(name + 3);
        enable = false;
    }
    if (!ci) {
        const char *word = strncmp(name, "no-", 3) == 0 ? name + 3 : name;
        const char *names[sizeof check_table / sizeof check_table[0]];
        size_t n = 0;
        for (size_t i = 0; i < check_count; i++)
            if (!check_table[i].error)
                names[n++] = check_table[i].name;
        const char *close = diag_closest(word, names, n);
        fprintf(stderr, "%s: unknown warning option `%s`", cmd, arg);
        if (close)
            fprintf(stderr, "; did you mean `-W%s%s`?", word == name ? "" : "no-", close);
        fputc('\n', stderr);
        list_warnings(stderr);
        return -1;
    }
    if (ci->error) {
        fprintf(stderr, "%s: `%s` is an error, not a warning; it cannot be turned on or off\n", cmd,
                ci->name);
        list_warnings(stderr);
        return -1;
    }
    drop_name(w->enabled, &w->nenabled, ci->name);
    drop_name(w->disabled, &w->ndisabled, ci->name);
    if (enable) {
        w->enabled = xrealloc(w->enabled, (w->nenabled + 1) * sizeof *w->enabled);
        w->enabled[w->nenabled++] = ci->name;
    } else {
        w->disabled = xrealloc(w->disabled, (w->ndisabled + 1) * sizeof *w->disabled);
        w->disabled[w->ndisabled++] = ci->name;
    }
    return 0;
}

void check_warn_free(warn_options *w)
{
    free(w->enabled);
    free(w->disabled);
    w->enabled = w->disabled = NULL;
    w->nenabled = w->ndisabled = 0;
}

void check_usage(FILE *out)
{
    fputs("  -Werror    treat warnings as errors (-Wno-error: do not)\n"
          "  -Wno-NAME  turn the warning NAME off\n"
          "  -WNAME     turn the warning NAME on; all are on by default, and the last\n"
          "             option given for a name wins\n"
          "\n"
          "checks (docs/checks.md says what each means and how to fix it):\n",
          out);
    for (size_t i = 0; i < check_count; i++)
        fprintf(out, "  %-22s %s%s\n", check_table[i].name, check_table[i].error ? "error: " : "",
                check_table[i].summary);
}
