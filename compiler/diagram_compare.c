/* diagram_compare.c - marking what a new diagram adds, removes and changes
 * against the old one, for `regc diff --dot` (see diagram.h). */
#include "diagram.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static const dg_cluster *cluster_in(const diagram *d, const char *id)
{
    for (size_t i = 0; i < d->nclusters; i++)
        if (strcmp(d->clusters[i].id, id) == 0)
            return &d->clusters[i];
    return NULL;
}

static long node_in(const dg_node *nodes, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(nodes[i].id, id) == 0)
            return (long)i;
    return -1;
}

static long edge_in(const dg_edge *edges, size_t n, const dg_edge *e)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(edges[i].from, e->from) == 0 && strcmp(edges[i].to, e->to) == 0 &&
            strcmp(edges[i].key, e->key) == 0)
            return (long)i;
    return -1;
}

/* Where a part that only old has goes in d: right after the nearest part
 * before it in old that d has, so a removed step is drawn where it was. */
static size_t removed_node_pos(const diagram *d, const diagram *old, size_t i)
{
    for (size_t j = i; j-- > 0;) {
        long k = node_in(d->nodes, d->nnodes, old->nodes[j].id);
        if (k >= 0)
            return (size_t)k + 1;
    }
    return 0;
}

static size_t removed_edge_pos(const diagram *d, const diagram *old, size_t i)
{
    for (size_t j = i; j-- > 0;) {
        long k = edge_in(d->edges, d->nedges, &old->edges[j]);
        if (k >= 0)
            return (size_t)k + 1;
    }
    return 0;
}

void diagram_compare(diagram *d, const diagram *old)
{
    d->marked = true;
    if (!same_str(d->title, old->title))
        d->title_mark = DG_CHANGED;
    for (size_t i = 0; i < d->nclusters; i++) {
        const dg_cluster *o = cluster_in(old, d->clusters[i].id);
        if (!o)
            d->clusters[i].mark = DG_ADDED;
        else if (!same_str(o->label, d->clusters[i].label) || o->external != d->clusters[i].external)
            d->clusters[i].mark = DG_CHANGED;
    }
    for (size_t i = 0; i < d->nnodes; i++) {
        long k = node_in(old->nodes, old->nnodes, d->nodes[i].id);
        if (k < 0) {
            d->nodes[i].mark = DG_ADDED;
        } else {
            const dg_node *o = &old->nodes[k];
            if (o->kind != d->nodes[i].kind || !same_str(o->label, d->nodes[i].label) ||
                !same_str(o->cluster, d->nodes[i].cluster))
                d->nodes[i].mark = DG_CHANGED;
        }
    }
    for (size_t i = 0; i < d->nedges; i++) {
        long k = edge_in(old->edges, old->nedges, &d->edges[i]);
        if (k < 0)
            d->edges[i].mark = DG_ADDED;
        else if (!same_str(old->edges[k].label, d->edges[i].label) || old->edges[k].kind != d->edges[i].kind)
            d->edges[i].mark = DG_CHANGED;
    }

    for (size_t i = 0; i < old->nnodes; i++) {
        const dg_node *o = &old->nodes[i];
        if (node_in(d->nodes, d->nnodes, o->id) >= 0)
            continue;
        size_t pos = removed_node_pos(d, old, i);
        d->nodes = xgrow(d->nodes, d->nnodes, sizeof *d->nodes);
        memmove(&d->nodes[pos + 1], &d->nodes[pos], (d->nnodes - pos) * sizeof *d->nodes);
        d->nodes[pos] = (dg_node){ xstrdup(o->id), o->kind, xstrdup(o->label),
                                   o->cluster ? xstrdup(o->cluster) : NULL, DG_REMOVED, o->loc };
        d->nnodes++;
        if (o->cluster && !cluster_in(d, o->cluster)) {
            const dg_cluster *oc = cluster_in(old, o->cluster);
            d->clusters = xgrow(d->clusters, d->nclusters, sizeof *d->clusters);
            d->clusters[d->nclusters++] = (dg_cluster){ xstrdup(oc->id), xstrdup(oc->label), oc->external,
                                                        DG_REMOVED, oc->loc };
        }
    }
    for (size_t i = 0; i < old->nedges; i++) {
        const dg_edge *o = &old->edges[i];
        if (edge_in(d->edges, d->nedges, o) >= 0)
            continue;
        size_t pos = removed_edge_pos(d, old, i);
        d->edges = xgrow(d->edges, d->nedges, sizeof *d->edges);
        memmove(&d->edges[pos + 1], &d->edges[pos], (d->nedges - pos) * sizeof *d->edges);
        d->edges[pos] = (dg_edge){ xstrdup(o->from), xstrdup(o->to), xstrdup(o->key), o->kind,
                                   o->label ? xstrdup(o->label) : NULL, DG_REMOVED, o->loc };
        d->nedges++;
    }
}
