/* diagram.h - the flow diagrams of a regulation, independent of notation.
 *
 * A diagram is built once from the lowered model and then rendered as
 * Graphviz DOT (emit_dot.c) or Mermaid (emit_mermaid.c), so both notations
 * show the same nodes, labels and edges. Node ids are names from the rule
 * file (step_<step>, result_<result>, item_<flow item>, start, finish,
 * error), never counters, and nodes and edges keep the order of the rule
 * file: a small edit of a rule file is a small edit of every diagram.
 *
 * `regc diff --dot` compares two diagrams of the same variant or flow and
 * marks what was added, removed or changed (docs/diagrams.md). */
#ifndef REGC_DIAGRAM_H
#define REGC_DIAGRAM_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "lower.h"
#include "strbuf.h"

typedef enum {
    DG_START,           /* where a case or a flow begins */
    DG_STEP,            /* a step of a variant, inside its actor's cluster */
    DG_RESULT,          /* a terminal result */
    DG_RESULT_NEGATIVE, /* a terminal result marked `negative` (a refusal) */
    DG_PROCESS,         /* a process of an information-system flow */
    DG_CHECK,           /* a condition (шарт) of a flow */
    DG_END,             /* a flow ends normally */
    DG_ERROR,           /* a flow ends with an error message */
    DG_HANDOFF          /* a flow's `steps`: the documents reach the provider, whose steps run */
} dg_node_kind;

typedef enum {
    DG_NEXT,            /* the unconditional successor */
    DG_BRANCH,          /* `on OUTCOME ...` */
    DG_BRANCH_NEGATIVE, /* a branch that leads to, or carries, a negative result */
    DG_YES,             /* a check holds */
    DG_ELSE             /* a check fails */
} dg_edge_kind;

/* What `regc diff --dot` found for a part of the new diagram. */
typedef enum { DG_SAME, DG_ADDED, DG_REMOVED, DG_CHANGED } dg_mark;

typedef struct {
    char *id;           /* the actor id; rendered as cluster_<id> */
    char *label;
    bool external;
    dg_mark mark;
    srcloc loc;         /* where the rule file says what the label shows */
} dg_cluster;

typedef struct {
    char *id;
    dg_node_kind kind;
    char *label;        /* lines separated by '\n', already wrapped */
    char *cluster;      /* actor id, or NULL outside any cluster */
    dg_mark mark;
    srcloc loc;         /* where the rule file says what the label shows; line 0: nowhere */
} dg_node;

typedef struct {
    char *from, *to;
    char *key;          /* "next", "yes", "else" or the branch outcome */
    dg_edge_kind kind;
    char *label;        /* NULL when the edge has none */
    dg_mark mark;
    srcloc loc;         /* the branch or target in the rule file; line 0: nowhere */
} dg_edge;

typedef struct {
    char *name;         /* <service>.<variant> or <service>.flow.<channel> */
    char *title;        /* lines separated by '\n', not wrapped: each notation lays it out */
    dg_mark title_mark;
    srcloc title_loc;   /* the variant or flow */
    dg_cluster *clusters; size_t nclusters;
    dg_node *nodes;       size_t nnodes;
    dg_edge *edges;       size_t nedges;
    bool marked;        /* built by diagram_compare: draw the legend */
    bool coverage;      /* marked by regc test --coverage: DG_ADDED is covered,
                         * DG_REMOVED not covered (coverage.c) */
} diagram;

/* ---- diagram.c: building ---- */

/* The step flow of variant v: actors as clusters, durations on the nodes,
 * branches, terminal results, the statutory term in the title. */
void diagram_of_variant(const lowered *l, const lw_variant *v, diagram *d);
/* The information-system flow f, in the manner of BPMN. */
void diagram_of_flow(const lowered *l, const lw_flow *f, diagram *d);
void diagram_free(diagram *d);

/* Adds one file <name>.<ext> per variant, then per flow, rendered by render
 * (dot_render, mermaid_render): what backend_dot and backend_mermaid do. */
struct out_files;
void diagram_files(const lowered *l, const char *ext, char *(*render)(const diagram *), struct out_files *out);

/* ---- diagram_compare.c: comparing, for `regc diff --dot` ---- */

/* Marks d (the new diagram) against old: parts only in d are added, parts
 * whose label, kind or cluster differ are changed, and parts only in old
 * are copied into d as removed, next to where they were. */
void diagram_compare(diagram *d, const diagram *old);

/* Renderers; the caller frees the text. */
char *dot_render(const diagram *d);       /* emit_dot.c */

/* A label of d that Graphviz would refuse: longer than MAX_DOT_STRING_BYTES
 * (rule_limits.h) once quoted for DOT. Finds the first one, in the order
 * title, clusters, nodes, edges (emit_dot.c). */
typedef struct {
    const char *part;   /* "title", "cluster", "node" or "edge" */
    const char *id;     /* the node id, cluster id, or edge's source node id */
    size_t bytes;       /* quoted, without the quotes */
    srcloc loc;
} dg_overlong;
bool dot_overlong(const diagram *d, dg_overlong *out);
char *mermaid_render(const diagram *d);   /* emit_mermaid.c */

/* ---- diagram_text.c: text helpers shared with `regc diff` ---- */

/* "3h", "at most 1wd". */
void dg_put_duration(strbuf *b, const duration *d);
/* "only state_corporation, portal" for a step limited to some channels,
 * after `before`; nothing for a step every channel runs. */
void dg_put_only(strbuf *b, const regulation *r, const lw_step *s, const char *before);

/* Appends text to b, breaking lines at spaces so that no line grows past
 * width characters (a longer word keeps a line of its own). A '\n' in the
 * text is kept as a line break. */
void dg_put_wrapped(strbuf *b, const char *text, size_t width);

#endif
