/* diagram.c - building the flow diagrams of a lowered regulation (see diagram.h). */
#include "diagram.h"

#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "diag.h"
#include "util.h"

/* Widths in characters (code points) at which labels wrap: wide enough for
 * a short Kazakh clause, narrow enough to keep nodes from spanning a page. */
enum { WRAP_NODE = 36, WRAP_CHECK = 24, WRAP_EDGE = 30 };

/* Where a part with a fixed label comes from: nowhere in particular. */
static const srcloc NOWHERE = { 0, 0, 0 };

static void add_cluster(diagram *d, const actor_decl *a)
{
    for (size_t i = 0; i < d->nclusters; i++)
        if (strcmp(d->clusters[i].id, a->id.name) == 0)
            return;
    d->clusters = xgrow(d->clusters, d->nclusters, sizeof *d->clusters);
    d->clusters[d->nclusters++] = (dg_cluster){ xstrdup(a->id.name), xstrdup(a->label), a->external, DG_SAME, a->id.loc };
}

static void add_node(diagram *d, char *id, dg_node_kind kind, char *label, const char *cluster, srcloc loc)
{
    d->nodes = xgrow(d->nodes, d->nnodes, sizeof *d->nodes);
    d->nodes[d->nnodes++] = (dg_node){ id, kind, label, cluster ? xstrdup(cluster) : NULL, DG_SAME, loc };
}

static void add_edge(diagram *d, char *from, char *to, const char *key, dg_edge_kind kind, char *label,
                     srcloc loc)
{
    d->edges = xgrow(d->edges, d->nedges, sizeof *d->edges);
    d->edges[d->nedges++] = (dg_edge){ from, to, xstrdup(key), kind, label, DG_SAME, loc };
}

static const char *kk_title(const regulation *r)
{
    for (size_t i = 0; i < r->ntitles; i++)
        if (strcmp(r->titles[i].lang.name, "kk") == 0)
            return r->titles[i].text;
    return r->id.name;
}

void dg_put_only(strbuf *b, const regulation *r, const lw_step *s, const char *before)
{
    for (size_t k = 0; k < s->nonly; k++)
        sb_printf(b, "%s%s", k ? ", " : before, r->channels[s->only[k]].id.name);
}

static char *step_label(const regulation *r, const lw_step *s)
{
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "%s · ", s->src->id.name);
    dg_put_duration(&b, s->dur);
    for (size_t k = 0; k < s->nby_channel; k++) {
        sb_add(&b, k == 0 ? " (" : ", ");
        sb_printf(&b, "%s ", r->channels[s->by_channel[k].channel].id.name);
        dg_put_duration(&b, s->by_channel[k].dur);
    }
    if (s->nby_channel)
        sb_addc(&b, ')');
    dg_put_only(&b, r, s, "\nonly ");
    sb_addc(&b, '\n');
    dg_put_wrapped(&b, s->src->action, WRAP_NODE);
    if (s->src->cite) {
        sb_addc(&b, '\n');
        dg_put_wrapped(&b, s->src->cite, WRAP_NODE);
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
static char *edge_label(const regulation *r, const branch *br, const lw_target *t)
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
    if (t->kind == LW_TO_STEP && t->result != LW_NONE)
        sb_printf(&b, "%swith %s", br ? "\n" : "", r->results[t->result].id.name);
    if (b.len == 0) {
        sb_free(&b);
        return NULL;
    }
    return sb_take(&b);
}

static bool target_negative(const regulation *r, const lw_target *t)
{
    return t->kind != LW_TO_END && t->result != LW_NONE && r->results[t->result].negative;
}

/* The edges of one target of step s: to a step, to a result, or, for
 * `end`, to every result the case may carry when it gets there. */
static void target_edges(diagram *d, const regulation *r, const lw_variant *v, const lw_step *s,
                         const branch *br, const lw_target *t)
{
    const char *key = br ? br->outcome.name : "next";
    dg_edge_kind kind = !br ? DG_NEXT : target_negative(r, t) ? DG_BRANCH_NEGATIVE : DG_BRANCH;
    char *from = xasprintf("step_%s", s->src->id.name);
    srcloc at = br ? br->loc : t->src->loc;
    switch (t->kind) {
    case LW_TO_STEP:
        add_edge(d, from, xasprintf("step_%s", v->steps[t->step].src->id.name), key, kind,
                 edge_label(r, br, t), at);
        return;
    case LW_TO_RESULT:
        add_edge(d, from, xasprintf("result_%s", r->results[t->result].id.name), key, kind,
                 edge_label(r, br, t), at);
        return;
    case LW_TO_END:
        for (size_t k = 0; k < s->ncarried; k++) {
            size_t x = s->carried[k];
            dg_edge_kind ek = br && r->results[x].negative ? DG_BRANCH_NEGATIVE : kind;
            add_edge(d, xstrdup(from), xasprintf("result_%s", r->results[x].id.name), key, ek,
                     edge_label(r, br, t), at);
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

void diagram_of_variant(const lowered *low, const lw_variant *lv, diagram *d)
{
    const regulation *r = low->r;
    const variant_decl *v = lv->src;
    memset(d, 0, sizeof *d);
    d->name = xasprintf("%s.%s", r->id.name, v->id.name);
    d->title_loc = v->id.loc;

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
    add_node(d, xstrdup("start"), DG_START, xstrdup("start"), NULL, NOWHERE);
    for (size_t i = 0; i < lv->nsteps; i++) {
        const lw_step *s = &lv->steps[i];
        add_cluster(d, &r->actors[s->actor]);
        add_node(d, xasprintf("step_%s", s->src->id.name), DG_STEP, step_label(r, s), s->src->actor.name,
                 s->src->id.loc);
    }

    /* Results in declaration order, only those this variant can reach. */
    bool *used = xcalloc(nr, sizeof *used);
    for (size_t i = 0; i < lv->nsteps; i++) {
        const lw_step *s = &lv->steps[i];
        for (size_t k = 0; k < lw_ntargets(s); k++) {
            const lw_target *tg = lw_target_at(s, k);
            if (tg->kind == LW_TO_RESULT)
                used[tg->result] = true;
            else if (tg->kind == LW_TO_END)
                for (size_t x = 0; x < s->ncarried; x++)
                    used[s->carried[x]] = true;
        }
    }
    for (size_t x = 0; x < nr; x++)
        if (used[x])
            add_node(d, xasprintf("result_%s", r->results[x].id.name),
                     r->results[x].negative ? DG_RESULT_NEGATIVE : DG_RESULT,
                     result_label(&r->results[x]), NULL, r->results[x].id.loc);

    if (lv->nsteps > 0)
        add_edge(d, xstrdup("start"), xasprintf("step_%s", lv->steps[0].src->id.name), "next", DG_NEXT, NULL,
                 NOWHERE);
    for (size_t i = 0; i < lv->nsteps; i++) {
        const lw_step *s = &lv->steps[i];
        for (size_t k = 0; k < s->nbranches; k++)
            target_edges(d, r, lv, s, s->branches[k].src, &s->branches[k].to);
        target_edges(d, r, lv, s, NULL, &s->next);
    }
    free(used);
}

/* Under the `steps` node: the steps a case through this channel passes
 * over (`only` other channels), once each. */
static void put_skipped(strbuf *b, const lowered *l, size_t channel)
{
    bool any = false;
    for (size_t v = 0; v < l->nvariants; v++)
        for (size_t i = 0; i < l->variants[v].nsteps; i++) {
            const lw_step *s = &l->variants[v].steps[i];
            if (lw_applies_on(s, channel))
                continue;
            bool seen = false; /* a step id may come in several variants */
            for (size_t w = 0; w <= v && !seen; w++)
                for (size_t k = 0; k < (w < v ? l->variants[w].nsteps : i) && !seen; k++)
                    seen = !lw_applies_on(&l->variants[w].steps[k], channel) &&
                           strcmp(l->variants[w].steps[k].src->id.name, s->src->id.name) == 0;
            if (seen)
                continue;
            sb_printf(b, "%s%s", any ? ", " : "\nskipped here: ", s->src->id.name);
            any = true;
        }
}

static char *place_node_id(const lw_flow *f, lw_place p)
{
    switch (p.kind) {
    case LW_PLACE_ITEM: return xasprintf("item_%s", f->items[p.item].src->id.name);
    case LW_PLACE_END: break;
    case LW_PLACE_ERROR: return xstrdup("error");
    }
    return xstrdup("finish");
}

void diagram_of_flow(const lowered *low, const lw_flow *lf, diagram *d)
{
    const regulation *r = low->r;
    const flow_decl *f = lf->src;
    memset(d, 0, sizeof *d);
    d->name = xasprintf("%s.flow.%s", r->id.name, f->channel.name);
    d->title_loc = f->channel.loc;

    const char *channel_label = r->channels[lf->channel].label;
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
    for (size_t i = 0; i < lf->nitems; i++) {
        const lw_flow_item *it = &lf->items[i];
        bool check = it->src->kind == FLOW_CHECK;
        to_end |= it->next.kind == LW_PLACE_END || (check && it->fail.kind == LW_PLACE_END);
        to_error |= it->next.kind == LW_PLACE_ERROR || (check && it->fail.kind == LW_PLACE_ERROR);
    }

    add_node(d, xstrdup("start"), DG_START, xstrdup("start"), NULL, NOWHERE);
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
        dg_put_wrapped(&b, flow_item_text(it), it->kind == FLOW_CHECK ? WRAP_CHECK : WRAP_NODE);
        if (it->cite) {
            sb_addc(&b, '\n');
            dg_put_wrapped(&b, it->cite, WRAP_NODE);
        }
        if (it->kind == FLOW_STEPS)
            put_skipped(&b, low, lf->channel);
        add_node(d, xasprintf("item_%s", it->id.name),
                 it->kind == FLOW_CHECK ? DG_CHECK : it->kind == FLOW_STEPS ? DG_HANDOFF : DG_PROCESS, sb_take(&b),
                 NULL, it->id.loc);
    }
    if (to_end)
        add_node(d, xstrdup("finish"), DG_END, xstrdup("end"), NULL, NOWHERE);
    if (to_error)
        add_node(d, xstrdup("error"), DG_ERROR, xstrdup("error"), NULL, NOWHERE);

    if (f->nitems > 0)
        add_edge(d, xstrdup("start"), xasprintf("item_%s", f->items[0].id.name), "next", DG_NEXT, NULL,
                 NOWHERE);
    for (size_t i = 0; i < f->nitems; i++) {
        const flow_item *it = &f->items[i];
        /* Into `steps` the documents arrive; out of it comes the result. */
        bool to_steps = lf->items[i].next.kind == LW_PLACE_ITEM && lf->items[i].next.item == lf->steps_item;
        const char *plain = it->kind == FLOW_STEPS ? "the result" : to_steps ? "documents arrive" : NULL;
        add_edge(d, xasprintf("item_%s", it->id.name), place_node_id(lf, lf->items[i].next),
                 it->kind == FLOW_CHECK ? "yes" : "next", it->kind == FLOW_CHECK ? DG_YES : DG_NEXT,
                 it->kind == FLOW_CHECK ? xstrdup("yes") : plain ? xstrdup(plain) : NULL, NOWHERE);
        if (it->kind == FLOW_CHECK)
            add_edge(d, xasprintf("item_%s", it->id.name), place_node_id(lf, lf->items[i].fail), "else",
                     DG_ELSE, xstrdup("else"), NOWHERE);
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

void diagram_files(const lowered *l, const char *ext, char *(*render)(const diagram *), out_files *out)
{
    for (size_t i = 0; i < l->nvariants + l->nflows; i++) {
        diagram d;
        if (i < l->nvariants)
            diagram_of_variant(l, &l->variants[i], &d);
        else
            diagram_of_flow(l, &l->flows[i - l->nvariants], &d);
        out_files_add(out, xasprintf("%s.%s", d.name, ext), render(&d));
        diagram_free(&d);
    }
}

