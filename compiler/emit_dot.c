/* emit_dot.c - Graphviz DOT for the flow diagrams (docs/diagrams.md).
 *
 * One line per node and per edge, in the rule file's order, so that `git
 * diff generated/` shows a changed duration as one changed line. Every
 * label is a quoted DOT string: quotes and backslashes are escaped, `&`
 * becomes an entity (Graphviz decodes entities in labels), and characters
 * a reader cannot see become numeric entities so they show up in review. */
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "diag.h"
#include "diagram.h"
#include "name_index.h"
#include "rule_limits.h"
#include "util.h"

#define COLOR_ADDED "#1a7f37"
#define COLOR_REMOVED "#cf222e"
#define COLOR_CHANGED "#d9822b"
#define COLOR_SAME "#8c959f"
#define COLOR_NEGATIVE "#b22222"
#define COLOR_BRANCH "#1f5fa8"

/* Quotes and backslashes escaped, `&` as an entity, a line break as `\n`,
 * other control characters as a blank, invisible ones as numeric entities. */
static const char *const dot_ascii[128] = {
    ['"'] = "\\\"", ['\\'] = "\\\\", ['\n'] = "\\n", ['&'] = "&amp;",
};
static const quoting dot_quoting = { "\"", "\"", dot_ascii, " ", "&#%u;" };

static void dot_string(strbuf *b, const char *s)
{
    sb_quote(b, s, &dot_quoting);
}

/* Bytes of s as a DOT string, without the quotes. */
static size_t dot_length(const char *s)
{
    strbuf b;
    sb_init(&b);
    dot_string(&b, s);
    size_t n = b.len - 2;
    sb_free(&b);
    return n;
}

/* The title as dot_render lays it out. */
static char *dot_title(const diagram *d)
{
    strbuf title;
    sb_init(&title);
    dg_put_wrapped(&title, d->title ? d->title : "", 80);
    return sb_take(&title);
}

static bool overlong(dg_overlong *out, const char *part, const char *id, const char *label, srcloc loc)
{
    size_t n = label ? dot_length(label) : 0;
    if (n <= MAX_DOT_STRING_BYTES)
        return false;
    *out = (dg_overlong){ part, id, n, loc };
    return true;
}

bool dot_overlong(const diagram *d, dg_overlong *out)
{
    char *title = dot_title(d);
    bool found = overlong(out, "title", d->name, title, d->title_loc);
    free(title);
    for (size_t i = 0; i < d->nclusters && !found; i++)
        found = overlong(out, "cluster", d->clusters[i].id, d->clusters[i].label, d->clusters[i].loc);
    for (size_t i = 0; i < d->nnodes && !found; i++)
        found = overlong(out, "node", d->nodes[i].id, d->nodes[i].label, d->nodes[i].loc);
    for (size_t i = 0; i < d->nedges && !found; i++)
        found = overlong(out, "edge", d->edges[i].from, d->edges[i].label, d->edges[i].loc);
    return found;
}

static const char *mark_color(dg_mark m)
{
    switch (m) {
    case DG_ADDED: return COLOR_ADDED;
    case DG_REMOVED: return COLOR_REMOVED;
    case DG_CHANGED: return COLOR_CHANGED;
    case DG_SAME: break;
    }
    return COLOR_SAME;
}

/* The attributes of one node or edge, collected so that each is written
 * once and always in the same order. */
typedef struct {
    const char *shape, *style, *color, *fontcolor, *fillcolor, *penwidth, *constraint;
} attrs;

static void put_attrs(strbuf *b, const char *label, const attrs *a)
{
    sb_add(b, " [");
    bool first = true;
#define ATTR(name, value)                                 \
    if (value) {                                          \
        sb_printf(b, "%s%s=", first ? "" : ", ", name);   \
        dot_string(b, value);                             \
        first = false;                                    \
    }
    ATTR("label", label)
    ATTR("shape", a->shape)
    ATTR("style", a->style)
    ATTR("color", a->color)
    ATTR("fontcolor", a->fontcolor)
    ATTR("fillcolor", a->fillcolor)
    ATTR("penwidth", a->penwidth)
    ATTR("constraint", a->constraint)
#undef ATTR
    sb_add(b, "]");
}

/* Diff colours replace the colours of meaning: in a marked diagram every
 * colour says added, removed, changed or unchanged and nothing else. */
static void apply_mark(attrs *a, bool marked, dg_mark m, const char *removed_style)
{
    if (!marked)
        return;
    a->color = a->fontcolor = mark_color(m);
    a->fillcolor = NULL;
    if (a->style && strstr(a->style, "filled"))
        a->style = strcmp(a->style, "rounded,filled") == 0 ? "rounded" : NULL;
    a->penwidth = m == DG_SAME ? NULL : "2";
    if (m == DG_REMOVED)
        a->style = removed_style;
}

static void put_node(strbuf *b, const diagram *d, const dg_node *n, const char *indent)
{
    attrs a = { 0 };
    const char *removed_style = "rounded,dashed";
    switch (n->kind) {
    case DG_START:
        a.shape = "circle";
        a.style = "solid";
        removed_style = "dashed";
        break;
    case DG_STEP:
    case DG_PROCESS:
        break;
    case DG_RESULT:
        a.style = "rounded,filled";
        a.fillcolor = "#e6f4ea";
        a.penwidth = "2";
        break;
    case DG_RESULT_NEGATIVE:
        a.style = "rounded,filled";
        a.fillcolor = "#fde8e8";
        a.color = COLOR_NEGATIVE;
        a.penwidth = "2";
        break;
    case DG_CHECK:
        a.shape = "diamond";
        a.style = "solid";
        removed_style = "dashed";
        break;
    case DG_END:
        a.shape = "circle";
        a.style = "solid";
        a.penwidth = "3";
        removed_style = "dashed";
        break;
    case DG_HANDOFF:
        a.shape = "box3d";
        a.style = "bold";
        removed_style = "dashed";
        break;
    case DG_ERROR:
        a.shape = "circle";
        a.style = "solid";
        a.penwidth = "3";
        a.color = a.fontcolor = COLOR_NEGATIVE;
        removed_style = "dashed";
        break;
    }
    apply_mark(&a, d->marked, n->mark, removed_style);
    if (d->marked && n->mark == DG_SAME && (n->kind == DG_END || n->kind == DG_ERROR))
        a.penwidth = "3";
    sb_printf(b, "%s%s", indent, n->id);
    put_attrs(b, n->label, &a);
    sb_addc(b, '\n');
}

/* The diagram's nodes by id, indexed once: a regulation at the size limit
 * has 10,000 steps, and every edge and column looks its nodes up. */
typedef struct {
    const char **ids;
    name_index index;
} node_ids;

static void node_ids_init(node_ids *x, const diagram *d)
{
    x->ids = xrealloc(NULL, (d->nnodes + 1) * sizeof *x->ids);
    for (size_t i = 0; i < d->nnodes; i++)
        x->ids[i] = d->nodes[i].id;
    name_index_init(&x->index, x->ids, d->nnodes, false);
}

static void node_ids_free(node_ids *x)
{
    name_index_free(&x->index);
    free(x->ids);
}

/* The position of a node in the diagram's order: the rule file's (start,
 * the steps in the act's order, then the results). */
static size_t node_order(const diagram *d, const node_ids *ids, const char *id)
{
    long i = name_index_find(&ids->index, id);
    return i < 0 ? d->nnodes : (size_t)i;
}

/* An edge back to an earlier step (a loop, a return for correction) does
 * not rank its target: in swimlanes the steps keep the act's order. */
static bool goes_back(const diagram *d, const node_ids *ids, const dg_edge *e)
{
    return node_order(d, ids, e->to) <= node_order(d, ids, e->from);
}

static void put_edge(strbuf *b, const diagram *d, const node_ids *ids, const dg_edge *e, bool lanes)
{
    attrs a = { 0 };
    if (lanes && goes_back(d, ids, e))
        a.constraint = "false";
    switch (e->kind) {
    case DG_NEXT:
    case DG_YES:
        break;
    case DG_BRANCH:
        a.style = "dashed";
        a.color = a.fontcolor = COLOR_BRANCH;
        break;
    case DG_BRANCH_NEGATIVE:
        a.style = "dashed";
        a.color = a.fontcolor = COLOR_NEGATIVE;
        break;
    case DG_ELSE:
        a.style = "dashed";
        break;
    }
    apply_mark(&a, d->marked, e->mark, "dashed");
    sb_printf(b, "  %s -> %s", e->from, e->to);
    if (e->label || a.style || a.color || a.penwidth || a.constraint)
        put_attrs(b, e->label, &a);
    sb_addc(b, '\n');
}

/* Swimlanes keep one column per step in the act's order: where no edge of
 * the diagram leads from a step to the next one in the file, an invisible
 * edge holds the next one to its right. One line each, so inserting a step
 * touches at most the lines of its neighbours. */
static void put_order(strbuf *b, const diagram *d, const node_ids *ids)
{
    /* Which step follows which in the file, and the edges that link them. */
    long *prev_step = xrealloc(NULL, (d->nnodes + 1) * sizeof *prev_step);
    bool *linked = xcalloc(d->nnodes + 1, sizeof *linked);
    long prev = -1;
    for (size_t i = 0; i < d->nnodes; i++) {
        prev_step[i] = d->nodes[i].kind == DG_STEP ? prev : -1;
        if (d->nodes[i].kind == DG_STEP)
            prev = (long)i;
    }
    for (size_t k = 0; k < d->nedges; k++) {
        long to = name_index_find(&ids->index, d->edges[k].to);
        if (to >= 0 && prev_step[to] >= 0 && strcmp(d->nodes[prev_step[to]].id, d->edges[k].from) == 0)
            linked[to] = true;
    }
    for (size_t i = 0; i < d->nnodes; i++)
        if (prev_step[i] >= 0 && !linked[i])
            sb_printf(b, "  %s -> %s [style=\"invis\"]\n", d->nodes[prev_step[i]].id, d->nodes[i].id);
    free(linked);
    free(prev_step);
}

static const dg_cluster *find_cluster(const diagram *d, const char *id)
{
    for (size_t i = 0; i < d->nclusters; i++)
        if (strcmp(d->clusters[i].id, id) == 0)
            return &d->clusters[i];
    return NULL;
}

char *dot_render(const diagram *d)
{
    strbuf b;
    sb_init(&b);
    if (d->coverage)
        sb_printf(&b, "// %s: what the scenarios exercise (regc test --coverage)\n", d->name);
    else if (d->marked)
        sb_printf(&b, "// %s: changes made by the new version (regc diff --dot)\n", d->name);
    else
        sb_printf(&b, "// %s: generated by regc from the rule file; edit the rule file, not this file\n",
                  d->name);
    sb_add(&b, "digraph ");
    dot_string(&b, d->name);
    sb_add(&b, " {\n  charset=\"UTF-8\"\n  label=");
    char *title = dot_title(d);
    dot_string(&b, title);
    free(title);
    sb_add(&b, "\n  labelloc=\"t\"\n  fontsize=\"14\"\n");
    if (d->title_mark != DG_SAME)
        sb_printf(&b, "  fontcolor=\"%s\"\n", mark_color(d->title_mark));
    /* A diagram of steps is drawn in swimlanes: the steps left to right in
     * the act's order, a lane (cluster) per actor stacked top to bottom. */
    bool lanes = d->nclusters > 0;
    if (lanes)
        sb_add(&b, "  rankdir=\"LR\"\n  newrank=\"true\"\n");
    sb_add(&b, "  node [shape=\"box\", style=\"rounded\", fontsize=\"11\"]\n"
               "  edge [fontsize=\"10\"]\n");

    /* A cluster is written where its first node comes, with all its nodes. */
    bool *done = xcalloc(d->nnodes + 1, sizeof *done);
    for (size_t i = 0; i < d->nnodes; i++) {
        if (done[i])
            continue;
        const dg_node *n = &d->nodes[i];
        if (!n->cluster) {
            put_node(&b, d, n, "  ");
            continue;
        }
        const dg_cluster *c = find_cluster(d, n->cluster);
        sb_printf(&b, "  subgraph cluster_actor_%s {\n    label=", c->id);
        dot_string(&b, c->label);
        sb_addc(&b, '\n');
        bool dashed = c->external || (d->marked && c->mark == DG_REMOVED);
        sb_printf(&b, "    style=\"%s\"\n", dashed ? "rounded,dashed" : "rounded");
        if (d->marked)
            sb_printf(&b, "    color=\"%s\"\n    fontcolor=\"%s\"\n", mark_color(c->mark), mark_color(c->mark));
        for (size_t j = i; j < d->nnodes; j++)
            if (!done[j] && d->nodes[j].cluster && strcmp(d->nodes[j].cluster, c->id) == 0) {
                put_node(&b, d, &d->nodes[j], "    ");
                done[j] = true;
            }
        sb_add(&b, "  }\n");
    }
    free(done);
    node_ids ids;
    node_ids_init(&ids, d);
    for (size_t i = 0; i < d->nedges; i++)
        put_edge(&b, d, &ids, &d->edges[i], lanes);
    if (lanes)
        put_order(&b, d, &ids);
    node_ids_free(&ids);
    if (d->coverage)
        sb_printf(&b,
                  "  subgraph cluster_legend {\n"
                  "    label=\"legend\"\n"
                  "    style=\"rounded\"\n"
                  "    color=\"%s\"\n"
                  "    legend_covered [label=\"covered\", color=\"%s\", fontcolor=\"%s\", penwidth=\"2\"]\n"
                  "    legend_uncovered [label=\"not covered\", style=\"rounded,dashed\", color=\"%s\", fontcolor=\"%s\", penwidth=\"2\"]\n"
                  "  }\n",
                  COLOR_SAME, COLOR_ADDED, COLOR_ADDED, COLOR_REMOVED, COLOR_REMOVED);
    else if (d->marked)
        sb_printf(&b,
                  "  subgraph cluster_legend {\n"
                  "    label=\"legend\"\n"
                  "    style=\"rounded\"\n"
                  "    color=\"%s\"\n"
                  "    legend_added [label=\"added\", color=\"%s\", fontcolor=\"%s\", penwidth=\"2\"]\n"
                  "    legend_removed [label=\"removed\", style=\"rounded,dashed\", color=\"%s\", fontcolor=\"%s\", penwidth=\"2\"]\n"
                  "    legend_changed [label=\"changed\", color=\"%s\", fontcolor=\"%s\", penwidth=\"2\"]\n"
                  "    legend_same [label=\"unchanged\", color=\"%s\", fontcolor=\"%s\"]\n"
                  "  }\n",
                  COLOR_SAME, COLOR_ADDED, COLOR_ADDED, COLOR_REMOVED, COLOR_REMOVED, COLOR_CHANGED,
                  COLOR_CHANGED, COLOR_SAME, COLOR_SAME);
    sb_add(&b, "}\n");
    return sb_take(&b);
}

void backend_dot(const lowered *l, out_files *out)
{
    diagram_files(l, "dot", dot_render, out);
}
