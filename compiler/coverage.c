/* coverage.c - what the scenarios exercise (coverage.h). */
#include "coverage.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diagram.h"
#include "engine.h"
#include "intake.h"
#include "strbuf.h"
#include "util.h"

static size_t npaths(const coverage *c)
{
    size_t nch = c->m->nchannels ? c->m->nchannels : 1;
    return (size_t)c->m->nvariants * nch;
}

void coverage_init(coverage *c, const lowered *l, const reg_machine *m, const char *path)
{
    memset(c, 0, sizeof *c);
    c->l = l;
    c->m = m;
    c->path = path;
    c->variant = xcalloc((size_t)m->nvariants + 1, sizeof *c->variant);
    c->channel = xcalloc((size_t)m->nchannels + 1, sizeof *c->channel);
    c->path_done = xcalloc(npaths(c) + 1, sizeof *c->path_done);
    c->state = xcalloc((size_t)m->nstates + 1, sizeof *c->state);
    c->variant_result = xcalloc((size_t)m->nvariants * m->nresults + 1, sizeof *c->variant_result);
    c->edge = xcalloc((size_t)m->first_result_state + 1, sizeof *c->edge);
    for (int s = 0; s < m->first_result_state; s++)
        c->edge[s] = xcalloc((size_t)m->states[s].nbranches + 1, sizeof **c->edge);
    c->flow_item = xcalloc((size_t)m->nflows + 1, sizeof *c->flow_item);
    c->flow_fails = xcalloc((size_t)m->nflows + 1, sizeof *c->flow_fails);
    c->flow_holds = xcalloc((size_t)m->nflows + 1, sizeof *c->flow_holds);
    for (int f = 0; f < m->nflows; f++) {
        c->flow_item[f] = xcalloc((size_t)m->flows[f].nitems + 1, sizeof **c->flow_item);
        c->flow_fails[f] = xcalloc((size_t)m->flows[f].nitems + 1, sizeof **c->flow_fails);
        c->flow_holds[f] = xcalloc((size_t)m->flows[f].nitems + 1, sizeof **c->flow_holds);
    }
}

void coverage_free(coverage *c)
{
    if (!c->m)
        return;
    for (int s = 0; s < c->m->first_result_state; s++)
        free(c->edge[s]);
    for (int f = 0; f < c->m->nflows; f++) {
        free(c->flow_item[f]);
        free(c->flow_fails[f]);
        free(c->flow_holds[f]);
    }
    free(c->edge);
    free(c->flow_item);
    free(c->flow_fails);
    free(c->flow_holds);
    free(c->variant);
    free(c->channel);
    free(c->path_done);
    free(c->state);
    free(c->variant_result);
    memset(c, 0, sizeof *c);
}

void coverage_submit(coverage *c, int variant, int channel, int state)
{
    c->variant[variant] = true;
    if (channel != REG_NO_CHANNEL)
        c->channel[channel] = true;
    c->state[state] = true;
}

void coverage_edge(coverage *c, int from_state, int edge, int to_state, int variant, int channel)
{
    if (edge >= 0)
        c->edge[from_state][edge] = true;
    c->state[to_state] = true;
    if (to_state >= c->m->first_result_state) {
        int result = to_state - c->m->first_result_state;
        c->variant_result[(size_t)variant * c->m->nresults + (size_t)result] = true;
        /* A case without a channel counts for the path only where the
         * regulation has no channels. */
        if (channel != REG_NO_CHANNEL)
            c->path_done[(size_t)variant * c->m->nchannels + (size_t)channel] = true;
        else if (c->m->nchannels == 0)
            c->path_done[variant] = true;
    }
}

/* The index of the flow of channel ch, or -1. */
static int flow_of(const coverage *c, int ch)
{
    const reg_flow *f = reg_intake_flow(c->m, (unsigned)ch);
    return f ? (int)(f - c->m->flows) : -1;
}

/* An item before `steps` belongs to the intake. */
static bool in_intake(const reg_flow *f, int k) { return k < f->steps_item; }

void coverage_flow_walk(coverage *c, int ch, const char *to, bool negative, bool passing)
{
    int fi = flow_of(c, ch);
    if (fi < 0)
        return;
    const reg_flow *f = &c->m->flows[fi];
    for (int n = 0; n <= f->nitems; n++) {
        int k = reg_flow_item_index(f, to);
        if (k < 0)
            return; /* end or error */
        const reg_flow_item *it = &f->items[k];
        c->flow_item[fi][k] = true;
        if (it->is_steps)
            return;
        if (passing) { /* every check holds, nothing waits */
            c->flow_holds[fi][k] |= it->is_check;
            to = it->next;
            continue;
        }
        if ((it->is_check && in_intake(f, k)) || (!it->is_check && it->has_duration))
            return; /* the case stops here */
        to = it->is_check && negative ? it->fail : it->next;
    }
}

void coverage_flow_decided(coverage *c, int ch, const char *item, bool fails)
{
    int fi = flow_of(c, ch);
    int k = fi < 0 ? -1 : reg_flow_item_index(&c->m->flows[fi], item);
    if (k < 0)
        return;
    c->flow_item[fi][k] = true;
    if (fails)
        c->flow_fails[fi][k] = true;
    else
        c->flow_holds[fi][k] = true;
}

const char *coverage_kind_name(cov_kind k)
{
    static const char *const names[CK_COUNT] = { "variants", "channels", "paths", "steps",
                                                 "branches", "results", "flow items" };
    return names[k];
}

static void tally(cov_counts *o, cov_kind k, bool hit)
{
    o->total[k]++;
    o->hit[k] += hit;
}

void coverage_count(const coverage *c, cov_counts *o)
{
    const reg_machine *m = c->m;
    memset(o, 0, sizeof *o);
    for (int v = 0; v < m->nvariants; v++)
        tally(o, CK_VARIANTS, c->variant[v]);
    for (int ch = 0; ch < m->nchannels; ch++)
        tally(o, CK_CHANNELS, c->channel[ch]);
    for (size_t p = 0; p < npaths(c); p++)
        tally(o, CK_PATHS, c->path_done[p]);
    for (int s = 0; s < m->first_result_state; s++) {
        tally(o, CK_STEPS, c->state[s]);
        for (int k = 0; k <= m->states[s].nbranches; k++)
            tally(o, CK_BRANCHES, c->edge[s][k]);
    }
    for (int r = 0; r < m->nresults; r++)
        tally(o, CK_RESULTS, c->state[m->first_result_state + r]);
    for (int f = 0; f < m->nflows; f++)
        for (int i = 0; i < m->flows[f].nitems; i++) {
            if (m->flows[f].items[i].is_check && in_intake(&m->flows[f], i)) {
                tally(o, CK_FLOW_ITEMS, c->flow_holds[f][i]);
                tally(o, CK_FLOW_ITEMS, c->flow_fails[f][i]);
            } else {
                tally(o, CK_FLOW_ITEMS, c->flow_item[f][i]);
            }
        }
}

static double percent(size_t hit, size_t total)
{
    return total ? 100.0 * (double)hit / (double)total : 100.0;
}

void coverage_print(const coverage *c, FILE *out, cov_counts *total)
{
    cov_counts n;
    coverage_count(c, &n);
    size_t hit = 0, all = 0;
    for (int k = 0; k < CK_COUNT; k++) {
        hit += n.hit[k];
        all += n.total[k];
    }
    fprintf(out, "%s/%s (%s): %d scenario%s, %.1f%% covered\n", c->m->region, c->m->id, c->path, c->scenarios,
            c->scenarios == 1 ? "" : "s", percent(hit, all));
    for (int k = 0; k < CK_COUNT; k++) {
        fprintf(out, "  %-11s %4zu of %4zu  %5.1f%%\n", coverage_kind_name((cov_kind)k), n.hit[k], n.total[k],
                percent(n.hit[k], n.total[k]));
        total->hit[k] += n.hit[k];
        total->total[k] += n.total[k];
    }
}

void coverage_print_total(const cov_counts *t, FILE *out)
{
    size_t hit = 0, all = 0;
    for (int k = 0; k < CK_COUNT; k++) {
        hit += t->hit[k];
        all += t->total[k];
    }
    fprintf(out, "total: %zu of %zu (%.1f%%)\n", hit, all, percent(hit, all));
}

/* The line of a step in its rule file, for the list of what is missing. */
static int step_line(const coverage *c, int state)
{
    const reg_state *s = &c->m->states[state];
    const lw_variant *v = &c->l->variants[s->variant];
    return v->steps[state - (int)v->first_state].src->loc.line;
}

void coverage_print_missing(const coverage *c, FILE *out)
{
    const reg_machine *m = c->m;
    for (int v = 0; v < m->nvariants; v++)
        if (!c->variant[v])
            fprintf(out, "  not covered: variant %s (%s:%d)\n", m->variants[v].id, c->path,
                    c->l->variants[v].src->loc.line);
    for (int ch = 0; ch < m->nchannels; ch++)
        if (!c->channel[ch])
            fprintf(out, "  not covered: channel %s (%s:%d)\n", m->channels[ch].id, c->path,
                    c->l->r->channels[ch].loc.line);
    for (int v = 0; v < m->nvariants; v++)
        for (int ch = 0; ch < (m->nchannels ? m->nchannels : 1); ch++)
            if (!c->path_done[(size_t)v * (m->nchannels ? m->nchannels : 1) + (size_t)ch])
                fprintf(out, "  not covered: path variant %s%s%s to a result\n", m->variants[v].id,
                        m->nchannels ? " channel " : "", m->nchannels ? m->channels[ch].id : "");
    for (int s = 0; s < m->first_result_state; s++) {
        if (!c->state[s])
            fprintf(out, "  not covered: step %s (%s:%d)\n", m->states[s].name, c->path, step_line(c, s));
        const lw_step *ls = &c->l->variants[m->states[s].variant].steps[s - (int)c->l->variants[m->states[s].variant].first_state];
        for (int k = 0; k <= m->states[s].nbranches; k++)
            if (!c->edge[s][k]) {
                const lw_target *t = lw_target_at(ls, (size_t)k);
                if (k < m->states[s].nbranches)
                    fprintf(out, "  not covered: branch %s on %s (%s:%d)\n", m->states[s].name,
                            m->outcomes[m->states[s].branches[k].outcome], c->path, t->src->loc.line);
                else
                    fprintf(out, "  not covered: %s -> (%s:%d)\n", m->states[s].name, c->path, t->src->loc.line);
            }
    }
    for (int r = 0; r < m->nresults; r++)
        if (!c->state[m->first_result_state + r] && (size_t)r < c->l->r->nresults)
            fprintf(out, "  not covered: result %s (%s:%d)\n", m->results[r].id, c->path, c->l->r->results[r].loc.line);
        else if (!c->state[m->first_result_state + r])
            fprintf(out, "  not covered: result %s (an intake check that fails)\n", m->results[r].id);
    for (int f = 0; f < m->nflows; f++) {
        const reg_flow *fl = &m->flows[f];
        const char *ch = m->channels[fl->channel].id;
        for (int i = 0; i < fl->nitems; i++) {
            int line = c->l->flows[f].items[i].src->loc.line;
            if (fl->items[i].is_check && in_intake(fl, i)) {
                if (!c->flow_holds[f][i])
                    fprintf(out, "  not covered: flow %s check %s holds (%s:%d)\n", ch, fl->items[i].id, c->path, line);
                if (!c->flow_fails[f][i])
                    fprintf(out, "  not covered: flow %s check %s fails (%s:%d)\n", ch, fl->items[i].id, c->path, line);
            } else if (!c->flow_item[f][i]) {
                fprintf(out, "  not covered: flow %s item %s (%s:%d)\n", ch, fl->items[i].id, c->path, line);
            }
        }
    }
}

/* ---- diagrams ---- */

static const lw_step *step_named(const lw_variant *v, const char *node_id)
{
    if (strncmp(node_id, "step_", 5) != 0)
        return NULL;
    for (size_t i = 0; i < v->nsteps; i++)
        if (strcmp(v->steps[i].src->id.name, node_id + 5) == 0)
            return &v->steps[i];
    return NULL;
}

static bool node_covered(const coverage *c, const lw_variant *v, const dg_node *n)
{
    if (n->kind == DG_START)
        return c->variant[v->index];
    const lw_step *s = step_named(v, n->id);
    if (s)
        return c->state[s->state];
    if (strncmp(n->id, "result_", 7) == 0) {
        int r = reg_find_result(c->m, n->id + 7);
        return r >= 0 && c->variant_result[v->index * c->m->nresults + (size_t)r];
    }
    return false;
}

static bool edge_covered(const coverage *c, const lw_variant *v, const dg_edge *e)
{
    if (strcmp(e->from, "start") == 0)
        return c->variant[v->index];
    const lw_step *s = step_named(v, e->from);
    if (!s)
        return false;
    size_t k = s->nbranches; /* "next" */
    for (size_t i = 0; i < s->nbranches; i++)
        if (strcmp(c->l->outcomes[s->branches[i].outcome], e->key) == 0)
            k = i;
    if (!c->edge[s->state][k])
        return false;
    /* `-> end` draws one edge per result the case may carry: the edge is
     * covered when a case of the variant reached that result. */
    if (strncmp(e->to, "result_", 7) == 0) {
        int r = reg_find_result(c->m, e->to + 7);
        return r >= 0 && c->variant_result[v->index * c->m->nresults + (size_t)r];
    }
    return true;
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    int rc = ferror(f) ? -1 : 0;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

/* Mermaid has no marks of its own: covered and uncovered become styles
 * appended to the rendered diagram. */
static char *mermaid_coverage(const diagram *d)
{
    char *base = mermaid_render(d);
    strbuf b;
    sb_init(&b);
    sb_add(&b, base);
    free(base);
    sb_add(&b, "  classDef covered stroke:#1a7f37,stroke-width:3px,color:#1a7f37\n"
               "  classDef uncovered stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 5,color:#cf222e\n");
    for (size_t i = 0; i < d->nnodes; i++)
        sb_printf(&b, "  class %s %s\n", d->nodes[i].id, d->nodes[i].mark == DG_ADDED ? "covered" : "uncovered");
    for (size_t i = 0; i < d->nedges; i++)
        sb_printf(&b, "  linkStyle %zu stroke:%s,stroke-width:2px\n", i,
                  d->edges[i].mark == DG_ADDED ? "#1a7f37" : "#cf222e");
    return sb_take(&b);
}

int coverage_diagrams(const coverage *c, const char *dir)
{
    for (size_t v = 0; v < c->l->nvariants; v++) {
        const lw_variant *lv = &c->l->variants[v];
        diagram d;
        diagram_of_variant(c->l, lv, &d);
        d.marked = true;
        d.coverage = true;
        for (size_t i = 0; i < d.nnodes; i++)
            d.nodes[i].mark = node_covered(c, lv, &d.nodes[i]) ? DG_ADDED : DG_REMOVED;
        for (size_t i = 0; i < d.nedges; i++)
            d.edges[i].mark = edge_covered(c, lv, &d.edges[i]) ? DG_ADDED : DG_REMOVED;
        for (size_t i = 0; i < d.nclusters; i++)
            d.clusters[i].mark = DG_SAME;
        char *dot = dot_render(&d);
        char *mmd = mermaid_coverage(&d);
        char *pdot = xasprintf("%s/%s.%s.coverage.dot", dir, c->m->id, lv->src->id.name);
        char *pmmd = xasprintf("%s/%s.%s.coverage.mmd", dir, c->m->id, lv->src->id.name);
        int rc = write_text(pdot, dot);
        if (rc == 0)
            rc = write_text(pmmd, mmd);
        free(dot);
        free(mmd);
        free(pdot);
        free(pmmd);
        diagram_free(&d);
        if (rc != 0)
            return -1;
    }
    return 0;
}
