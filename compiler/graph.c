/* graph.c - components and exits of the step graph (see graph.h). */
#include "graph.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Tarjan's algorithm without recursion (a generated list may be long).
 * Components are numbered in the order they close, so an edge between two
 * components always goes to the lower number: ascending order visits every
 * component after all the components it leads to. */
static void find_components(graph *g)
{
    size_t n = g->n;
    const size_t unseen = SIZE_MAX;
    size_t *order = xcalloc(n, sizeof *order);
    size_t *low = xcalloc(n, sizeof *low);
    size_t *stack = xcalloc(n, sizeof *stack);
    size_t *call = xcalloc(n, sizeof *call);
    size_t *edge = xcalloc(n, sizeof *edge);
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
            const lw_step *s = &g->v->steps[v];
            if (edge[depth - 1] < lw_ntargets(s)) {
                const lw_target *t = lw_target_at(s, edge[depth - 1]++);
                if (t->kind != LW_TO_STEP)
                    continue;
                size_t w = t->step;
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

void graph_build(graph *g, const lw_variant *v)
{
    memset(g, 0, sizeof *g);
    g->v = v;
    g->n = v->nsteps;
    size_t n = g->n;
    g->comp = xcalloc(n, sizeof *g->comp);
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
            const lw_step *s = &v->steps[g->member[m]];
            for (size_t e = 0; e < lw_ntargets(s); e++) {
                const lw_target *t = lw_target_at(s, e);
                if (t->kind != LW_TO_STEP) {
                    g->exits[k] = true;
                    continue;
                }
                size_t kw = g->comp[t->step];
                if (kw == k)
                    g->loop[k] = true;
                else if (g->exits[kw])
                    g->exits[k] = true;
            }
        }
    }
}

void graph_free(graph *g)
{
    free(g->comp);
    free(g->first);
    free(g->member);
    free(g->loop);
    free(g->exits);
    memset(g, 0, sizeof *g);
}

bool graph_exits(const graph *g, size_t i)
{
    return g->exits[g->comp[i]];
}
