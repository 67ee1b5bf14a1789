/* diagram.c - building and comparing flow diagrams (see diagram.h). */
#include "diagram.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

/* Widths in characters (code points) at which labels wrap: wide enough for
 * a short Kazakh clause, narrow enough to keep nodes from spanning a page. */
enum { WRAP_NODE = 36, WRAP_CHECK = 24, WRAP_EDGE = 30 };

/* ---- text helpers ---- */

void dg_put_duration(strbuf *b, const duration *d)
{
    sb_printf(b, "%s%lld%s", d->at_most ? "at most " : "", d->amount, unit_name(d->unit));
}

void dg_put_wrapped(strbuf *b, const char *text, size_t width)
{
    size_t col = 0;
    const char *p = text;
    while (*p) {
        if (*p == '\n') {
            sb_addc(b, '\n');
            col = 0;
            p++;
            continue;
        }
        const char *w = p;
        size_t wlen = 0;
        while (*p && *p != ' ' && *p != '\n') {
            unsigned cp;
            p += utf8_decode(p, &cp);
            wlen++;
        }
        if (col > 0 && col + 1 + wlen > width) {
            sb_addc(b, '\n');
            col = 0;
        } else if (col > 0) {
            sb_addc(b, ' ');
            col++;
        }
        sb_addn(b, w, (size_t)(p - w));
        col += wlen;
        while (*p == ' ')   /* runs of blanks collapse at a break as well as inside a line */
            p++;
    }
}

/* ---- building ---- */

static void add_cluster(diagram *d, const actor_decl *a)
{
    for (size_t i = 0; i < d->nclusters; i++)
        if (strcmp(d->clusters[i].id, a->id.name) == 0)
            return;
    d->clusters = xrealloc(d->clusters, (d->nclusters + 1) * sizeof *d->clusters);
    d->clusters[d->nclusters++] = (dg_cluster){ xstrdup(a->id.name), xstrdup(a->label), a->external, DG_SAME };
}

static void add_node(diagram *d, char *id, dg_node_kind kind, char *label, const char *cluster)
{
    d->nodes = xrealloc(d->nodes, (d->nnodes + 1) * sizeof *d->nodes);
    d->nodes[d->nnodes++] = (dg_node){ id, kind, label, cluster ? xstrdup(cluster) : NULL, DG_SAME };
}

static void add_edge(diagram *d, char *from, char *to, const char *key, dg_edge_kind kind, char *label)
{
    d->edges = xrealloc(d->edges, (d->nedges + 1) * sizeof *d->edges);
    d->edges[d->nedges++] = (dg_edge){ from, to, xstrdup(key), kind, label, DG_SAME };
}

static const char *kk_title(const regulation *r)
{
    for (size_t i = 0; i < r->ntitles; i++)
        if (strcmp(r->titles[i].lang.name, "kk") == 0)
            return r->titles[i].text;
    return r->id.name;
}

static size_t result_index(const regulation *r, const result_decl *res)
{
    return (size_t)(res - r->results);
}

/* Which results can be the case's current result on arrival at each step:
 * the variant's result from the first step on, replaced by `with RESULT`
 * on the way. cur is count x nresults flags; a step that no path reaches
 * gets the variant's result so that its `-> end` still leads somewhere. */
static void current_results(const regulation *r, const variant_decl *v, const step_list *l,
                            unsigned char *cur)
{
    size_t nr = r->nresults;
    size_t vres = result_index(r, v->result_ref);
    if (l->count == 0)
        return;
    cur[vres] = 1;
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < l->count; i++) {
            bool reached = false;
            for (size_t x = 0; x < nr && !reached; x++)
                reached = cur[i * nr + x];
            if (!reached)
                continue;
            const step *s = &l->items[i];
            for (size_t k = 0; k < s->nbranches + s->nnexts; k++) {
                const target *t = k < s->nbranches ? &s->branches[k].to : &s->nexts[k - s->nbranches];
                if (t->kind != TARGET_STEP)
                    continue;
                unsigned char *to = cur + t->step_ref->index * nr;
                for (size_t x = 0; x < nr; x++) {
                    bool carried = t->result_ref ? x == result_index(r, t->result_ref) : cur[i * nr + x];
                    if (carried && !to[x]) {
                        to[x] = 1;
                        changed = true;
                    }
                }
            }
        }
    }
    for (size_t i = 0; i < l->count; i++) {
        bool any = false;
        for (size_t x = 0; x < nr && !any; x++)
            any = cur[i * nr + x];
        if (!any)
            cur[i * nr + vres] = 1;
    }
}

static char *step_label(const step *s, const variant_decl *v)
{
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "%s · ", s->id.name);
    dg_put_duration(&b, step_duration(s, v));
    bool first = true;
    for (size_t k = 0; k < s->noverrides; k++) {
        if (!s->overrides[k].key_is_channel)
            continue;
        sb_add(&b, first ? " (" : ", ");
        sb_printf(&b, "%s ", s->overrides[k].key.name);
        dg_put_duration(&b, &s->overrides[k].dur);
        first = false;
    }
    if (!first)
        sb_addc(&b, ')');
    sb_addc(&b, '\n');
    dg_put_wrapped(&b, s->action, WRAP_NODE);
    if (s->cite) {
        sb_addc(&b, '\n');
        dg_put_wrapped(&b, s->cite, WRAP_NODE);
    }
    return sb_take(&b);
}

static char *result_label(const result_decl *res)
{
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "%s\n", res->id.name);
    dg_put_wrapped(&b, res->label, WRAP_NODE);
    return sb_take(&b);
}

/* The label of an edge: the branch's outcome and condition, and the
 * result the case carries from there on. NULL when there is nothing to say. */
static char *edge_label(const branch *br, const target *t)
{
    strbuf b;
    sb_init(&b);
    if (br) {
        strbuf cond;
        sb_init(&cond);
        sb_printf(&cond, "%s: %s", br->outcome.name, br->condition ? br->condition : "");
        dg_put_wrapped(&b, cond.data, WRAP_EDGE);
        sb_free(&cond);
    }
    if (t->kind == TARGET_STEP && t->result_ref)
        sb_printf(&b, "%swith %s", br ? "\n" : "", t->result_ref->id.name);
    if (b.len == 0) {
        sb_free(&b);
        return NULL;
    }
    return sb_take(&b);
}

static bool target_negative(const target *t)
{
    return t->kind != TARGET_END && t->result_ref && t->result_ref->negative;
}

/* The edges of one target of step s: to a step, to a result, or, for
 * `end`, to every result the case may carry when it gets there. */
static void target_edges(diagram *d, const regulation *r, const step *s, const branch *br,
                         const target *t, const unsigned char *cur_of_step)
{
    const char *key = br ? br->outcome.name : "next";
    dg_edge_kind kind = !br ? DG_NEXT : target_negative(t) ? DG_BRANCH_NEGATIVE : DG_BRANCH;
    char *from = xasprintf("step_%s", s->id.name);
    switch (t->kind) {
    case TARGET_STEP:
        add_edge(d, from, xasprintf("step_%s", t->step.name), key, kind, edge_label(br, t));
        return;
    case TARGET_RESULT:
        add_edge(d, from, xasprintf("result_%s", t->result.name), key, kind, edge_label(br, t));
        return;
    case TARGET_END:
        for (size_t x = 0; x < r->nresults; x++) {
            if (!cur_of_step[x])
                continue;
            dg_edge_kind k = br && r->results[x].negative ? DG_BRANCH_NEGATIVE : kind;
            add_edge(d, xstrdup(from), xasprintf("result_%s", r->results[x].id.name), key, k,
                     edge_label(br, t));
        }
        free(from);
        return;
    }
}

static void put_title_line(strbuf *b, const char *text)
{
    sb_addc(b, '\n');
    sb_add(b, text);
}

void diagram_of_variant(const regulation *r, const variant_decl *v, diagram *d)
{
    memset(d, 0, sizeof *d);
    d->name = xasprintf("%s.%s", r->id.name, v->id.name);
    const step_list *l = variant_steps(r, v);

    strbuf t;
    sb_init(&t);
    sb_add(&t, kk_title(r));
    strbuf line;
    sb_init(&line);
    sb_printf(&line, "variant %s: %s", v->id.name, v->label ? v->label : "");
    put_title_line(&t, line.data);
    sb_free(&line);
    sb_add(&line, "term ");
    if (v->has_term) {
        dg_put_duration(&line, &v->term);
        if (v->term_from)
            sb_printf(&line, " from %s", v->term_from);
    } else {
        sb_add(&line, "not stated");
    }
    if (v->cite)
        sb_printf(&line, " · %s", v->cite);
    put_title_line(&t, line.data);
    sb_free(&line);
    d->title = sb_take(&t);

    size_t nr = r->nresults;
    unsigned char *cur = xcalloc(l->count * nr + 1, 1);
    current_results(r, v, l, cur);

    add_node(d, xstrdup("start"), DG_START, xstrdup("start"), NULL);
    for (size_t i = 0; i < l->count; i++) {
        const step *s = &l->items[i];
        add_cluster(d, s->actor_ref);
        add_node(d, xasprintf("step_%s", s->id.name), DG_STEP, step_label(s, v), s->actor.name);
    }

    /* Results in declaration order, only those this variant can reach. */
    unsigned char *used = xcalloc(nr + 1, 1);
    for (size_t i = 0; i < l->count; i++) {
        const step *s = &l->items[i];
        for (size_t k = 0; k < s->nbranches + s->nnexts; k++) {
            const target *tg = k < s->nbranches ? &s->branches[k].to : &s->nexts[k - s->nbranches];
            if (tg->kind == TARGET_RESULT)
                used[result_index(r, tg->result_ref)] = 1;
            else if (tg->kind == TARGET_END)
                for (size_t x = 0; x < nr; x++)
                    used[x] |= cur[i * nr + x];
        }
    }
    for (size_t x = 0; x < nr; x++)
        if (used[x])
            add_node(d, xasprintf("result_%s", r->results[x].id.name),
                     r->results[x].negative ? DG_RESULT_NEGATIVE : DG_RESULT,
                     result_label(&r->results[x]), NULL);

    if (l->count > 0)
        add_edge(d, xstrdup("start"), xasprintf("step_%s", l->items[0].id.name), "next", DG_NEXT, NULL);
    for (size_t i = 0; i < l->count; i++) {
        const step *s = &l->items[i];
        for (size_t k = 0; k < s->nbranches; k++)
            target_edges(d, r, s, &s->branches[k], &s->branches[k].to, cur + i * nr);
        for (size_t k = 0; k < s->nnexts; k++)
            target_edges(d, r, s, NULL, &s->nexts[k], cur + i * nr);
    }
    free(used);
    free(cur);
}

static char *flow_node_id(const flow_decl *f, size_t index, const flow_target *t)
{
    switch (t->kind) {
    case FLOW_TO_NEXT:
        return index + 1 < f->nitems ? xasprintf("item_%s", f->items[index + 1].id.name) : NULL;
    case FLOW_TO_ITEM: return xasprintf("item_%s", t->item.name);
    case FLOW_TO_END: return xstrdup("finish");
    case FLOW_TO_ERROR: return xstrdup("error");
    }
    return NULL;
}

void diagram_of_flow(const regulation *r, const flow_decl *f, diagram *d)
{
    memset(d, 0, sizeof *d);
    d->name = xasprintf("%s.flow.%s", r->id.name, f->channel.name);

    const char *channel_label = NULL;
    for (size_t i = 0; i < r->nchannels; i++)
        if (strcmp(r->channels[i].id.name, f->channel.name) == 0)
            channel_label = r->channels[i].label;
    strbuf t;
    sb_init(&t);
    sb_add(&t, kk_title(r));
    strbuf line;
    sb_init(&line);
    sb_printf(&line, "flow %s: %s", f->channel.name, f->label ? f->label : "");
    put_title_line(&t, line.data);
    sb_free(&line);
    sb_printf(&line, "channel: %s", channel_label ? channel_label : f->channel.name);
    if (f->has_duration) {
        sb_add(&line, " · takes ");
        dg_put_duration(&line, &f->dur);
    }
    if (f->cite)
        sb_printf(&line, " · %s", f->cite);
    put_title_line(&t, line.data);
    sb_free(&line);
    d->title = sb_take(&t);

    bool to_end = false, to_error = false;
    for (size_t i = 0; i < f->nitems; i++) {
        const flow_item *it = &f->items[i];
        to_end |= it->next.kind == FLOW_TO_END || (it->kind == FLOW_CHECK && it->fail.kind == FLOW_TO_END);
        to_error |= it->next.kind == FLOW_TO_ERROR || (it->kind == FLOW_CHECK && it->fail.kind == FLOW_TO_ERROR);
    }

    add_node(d, xstrdup("start"), DG_START, xstrdup("start"), NULL);
    for (size_t i = 0; i < f->nitems; i++) {
        const flow_item *it = &f->items[i];
        strbuf b;
        sb_init(&b);
        sb_add(&b, it->id.name);
        if (it->has_duration) {
            sb_add(&b, " · ");
            dg_put_duration(&b, &it->dur);
        }
        sb_addc(&b, '\n');
        dg_put_wrapped(&b, it->text, it->kind == FLOW_CHECK ? WRAP_CHECK : WRAP_NODE);
        if (it->cite) {
            sb_addc(&b, '\n');
            dg_put_wrapped(&b, it->cite, WRAP_NODE);
        }
        add_node(d, xasprintf("item_%s", it->id.name), it->kind == FLOW_CHECK ? DG_CHECK : DG_PROCESS,
                 sb_take(&b), NULL);
    }
    if (to_end)
        add_node(d, xstrdup("finish"), DG_END, xstrdup("end"), NULL);
    if (to_error)
        add_node(d, xstrdup("error"), DG_ERROR, xstrdup("error"), NULL);

    if (f->nitems > 0)
        add_edge(d, xstrdup("start"), xasprintf("item_%s", f->items[0].id.name), "next", DG_NEXT, NULL);
    for (size_t i = 0; i < f->nitems; i++) {
        const flow_item *it = &f->items[i];
        char *next = flow_node_id(f, i, &it->next);
        if (next)
            add_edge(d, xasprintf("item_%s", it->id.name), next, it->kind == FLOW_CHECK ? "yes" : "next",
                     it->kind == FLOW_CHECK ? DG_YES : DG_NEXT,
                     it->kind == FLOW_CHECK ? xstrdup("yes") : NULL);
        if (it->kind == FLOW_CHECK) {
            char *fail = flow_node_id(f, i, &it->fail);
            if (fail)
                add_edge(d, xasprintf("item_%s", it->id.name), fail, "else", DG_ELSE, xstrdup("else"));
        }
    }
}

void diagram_free(diagram *d)
{
    for (size_t i = 0; i < d->nclusters; i++) {
        free(d->clusters[i].id);
        free(d->clusters[i].label);
    }
    for (size_t i = 0; i < d->nnodes; i++) {
        free(d->nodes[i].id);
        free(d->nodes[i].label);
        free(d->nodes[i].cluster);
    }
    for (size_t i = 0; i < d->nedges; i++) {
        free(d->edges[i].from);
        free(d->edges[i].to);
        free(d->edges[i].key);
        free(d->edges[i].label);
    }
    free(d->clusters);
    free(d->nodes);
    free(d->edges);
    free(d->name);
    free(d->title);
    memset(d, 0, sizeof *d);
}

const variant_decl *find_variant_decl(const regulation *r, const char *name)
{
    for (size_t i = 0; i < r->nvariants; i++)
        if (strcmp(r->variants[i].id.name, name) == 0)
            return &r->variants[i];
    return NULL;
}

const flow_decl *find_flow_decl(const regulation *r, const char *channel)
{
    for (size_t i = 0; i < r->nflows; i++)
        if (strcmp(r->flows[i].channel.name, channel) == 0)
            return &r->flows[i];
    return NULL;
}

/* ---- comparing ---- */

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
        d->nodes = xrealloc(d->nodes, (d->nnodes + 1) * sizeof *d->nodes);
        memmove(&d->nodes[pos + 1], &d->nodes[pos], (d->nnodes - pos) * sizeof *d->nodes);
        d->nodes[pos] = (dg_node){ xstrdup(o->id), o->kind, xstrdup(o->label),
                                   o->cluster ? xstrdup(o->cluster) : NULL, DG_REMOVED };
        d->nnodes++;
        if (o->cluster && !cluster_in(d, o->cluster)) {
            const dg_cluster *oc = cluster_in(old, o->cluster);
            d->clusters = xrealloc(d->clusters, (d->nclusters + 1) * sizeof *d->clusters);
            d->clusters[d->nclusters++] = (dg_cluster){ xstrdup(oc->id), xstrdup(oc->label), oc->external,
                                                        DG_REMOVED };
        }
    }
    for (size_t i = 0; i < old->nedges; i++) {
        const dg_edge *o = &old->edges[i];
        if (edge_in(d->edges, d->nedges, o) >= 0)
            continue;
        size_t pos = removed_edge_pos(d, old, i);
        d->edges = xrealloc(d->edges, (d->nedges + 1) * sizeof *d->edges);
        memmove(&d->edges[pos + 1], &d->edges[pos], (d->nedges - pos) * sizeof *d->edges);
        d->edges[pos] = (dg_edge){ xstrdup(o->from), xstrdup(o->to), xstrdup(o->key), o->kind,
                                   o->label ? xstrdup(o->label) : NULL, DG_REMOVED };
        d->nedges++;
    }
}
