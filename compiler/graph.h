/* graph.h - the steps of a variant as a directed graph, for the checks.
 *
 * The nodes are the steps of a lowered variant; each branch and the
 * unconditional successor that leads to a step is an edge; `-> end` and
 * `-> result R` leave the graph with a result. The graph groups the steps
 * into strongly connected components (the loops) and knows from which a
 * result can be reached. It depends only on the structure of the steps, so
 * the variants that run the shared steps can share one graph. */
#ifndef REGC_GRAPH_H
#define REGC_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "lower.h"

typedef struct {
    const lw_variant *v;  /* whose steps are the nodes */
    size_t n;
    size_t *comp;     /* per step: its strongly connected component */
    size_t ncomp;     /* numbered so that an edge between two goes to the lower number */
    size_t *first;    /* the steps of component k: member[first[k] .. first[k + 1]) */
    size_t *member;   /* in step order within a component */
    bool *loop;       /* per component: several steps, or one that leads to itself */
    bool *exits;      /* per component: some way from it ends with a result */
} graph;

/* v has at least one step. */
void graph_build(graph *g, const lw_variant *v);
void graph_free(graph *g);

/* Some way from step i ends with a result. */
bool graph_exits(const graph *g, size_t i);

#endif
