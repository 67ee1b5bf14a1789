/* ast.h - the syntax tree of one rule file.
 *
 * The tree mirrors the file: clauses keep the order they were written in,
 * and every node carries its source location for diagnostics. All memory is
 * owned by the regulation's arena (ast_free releases everything). Name
 * references (actors, steps, results) are resolved by sema.c, which fills
 * the `*_ref` fields; back ends only run on a tree that passed sema. */
#ifndef REGC_AST_H
#define REGC_AST_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"

/* Units are the runtime's (runtime/reg_unit.h): the compiler stores the
 * same values it generates. UNIT_INVALID marks a duration the scanner
 * refused; it never reaches a back end. */
#include "../runtime/reg_unit.h"

#define UNIT_INVALID ((reg_unit)(REG_UNIT_CD + 1))

typedef struct {
    char *name;
    srcloc loc;
} ident;

typedef struct {
    long long amount;
    reg_unit unit;
    bool at_most;   /* the act says "not more than" / "not later than" */
    srcloc loc;
} duration;

/* A duration that applies to one variant or one channel: `[portal 20m]`. */
typedef struct {
    ident key;
    duration dur;
    bool key_is_channel;   /* set by sema */
} override;

typedef enum { TARGET_STEP, TARGET_RESULT, TARGET_END } target_kind;

typedef struct result_decl result_decl;
typedef struct step step;

typedef struct {
    target_kind kind;
    ident step;          /* TARGET_STEP */
    ident result;        /* TARGET_RESULT, or the carried result of TARGET_STEP (name may be NULL) */
    srcloc loc;
    step *step_ref;
    result_decl *result_ref;
} target;

typedef struct {
    ident outcome;
    char *condition;
    target to;
    srcloc loc;
} branch;

struct step {
    ident id;
    char *action;
    ident actor;
    bool has_duration;
    duration dur;
    override *overrides;
    size_t noverrides;
    /* `only C, ...`: the channels the step applies to; none: every channel.
     * A case through another channel skips the step (docs/semantics.md). */
    ident *only;
    size_t nonly;
    srcloc only_loc;
    char *cite;
    branch *branches;
    size_t nbranches;
    target *nexts;        /* unconditional successors; sema requires exactly one */
    size_t nnexts;
    srcloc loc;
    int end_line;
    size_t index;         /* position in its step list */
    struct actor_decl *actor_ref;
};

typedef struct {
    step *items;
    size_t count;
} step_list;

typedef struct {
    ident lang;
    char *text;
    srcloc loc;
} title_decl;

typedef struct {
    char *text;
    srcloc loc;
} text_decl;

typedef struct {
    ident id;
    char *label;
    srcloc loc;
} channel_decl;

struct result_decl {
    ident id;
    char *label;
    bool negative;
    srcloc loc;
};

typedef struct actor_decl {
    ident id;
    char *label;
    bool external;
    srcloc loc;
} actor_decl;

typedef struct {
    ident id;
    char *label;
    ident result;
    bool has_term;
    duration term;
    char *term_from;     /* NULL when the act does not say */
    ident term_anchor;   /* `from event ID` / `from step ID`; name NULL: from the submission */
    bool anchor_is_step;
    char *cite;
    bool has_steps;      /* has a block of its own */
    int block_line;      /* line of the block's `{` */
    step_list steps;
    srcloc loc;
    int end_line;
    result_decl *result_ref;
} variant_decl;

typedef enum { FLOW_TO_NEXT, FLOW_TO_ITEM, FLOW_TO_END, FLOW_TO_ERROR } flow_target_kind;

typedef struct {
    flow_target_kind kind;
    ident item;          /* FLOW_TO_ITEM */
    srcloc loc;
    size_t item_index;   /* resolved by sema */
} flow_target;

/* FLOW_STEPS: the point where the documents reach the provider and the
 * variant's steps run (`steps`); its id is "steps". Items before it are the
 * channel's intake, items after it the handover. */
typedef enum { FLOW_PROCESS, FLOW_CHECK, FLOW_STEPS } flow_item_kind;

typedef struct {
    flow_item_kind kind;
    ident id;
    char *text;
    bool has_duration;
    duration dur;
    char *cite;
    flow_target next;    /* process: `-> T` or FLOW_TO_NEXT; check: the success path (next item) */
    flow_target fail;    /* check: `else T` */
    srcloc loc;
    int end_line;
} flow_item;

typedef struct {
    ident channel;
    char *label;
    bool has_duration;
    duration dur;
    char *cite;
    flow_item *items;
    size_t nitems;
    srcloc loc;
    int block_line;      /* line of the `{` */
    int end_line;
} flow_decl;

typedef struct {
    char *text;      /* "YYYY-MM-DD" */
    srcloc loc;
} date_value;

/* When an act, or the act that repeals it, takes effect (`in force ...`,
 * `published ...`; `repeal` before either is about the repealing act).
 * compiler/validity.c turns it into dates. */
typedef struct {
    bool present;            /* an `in force` clause */
    srcloc loc;
    bool fixed;              /* `in force on DATE` */
    date_value on;
    duration after;          /* `in force 10cd after publication` */
    bool has_pub;
    srcloc pub_loc;
    date_value pub_earliest; /* `published on D`: both are D */
    date_value pub_latest;
    char *why_earliest, *why_latest;   /* the sources, as the file cites them */
    int nin_force, npublished;
} force_decl;

/* What kind of clause a top-level item is, for printing in source order. */
typedef enum {
    ITEM_TITLE, ITEM_REGION, ITEM_ACT, ITEM_AMENDED, ITEM_STANDARD, ITEM_REPEALED,
    ITEM_VALID, ITEM_IN_FORCE, ITEM_PUBLISHED, ITEM_WORDING, ITEM_PROVIDER, ITEM_FORM, ITEM_CHANNEL, ITEM_RESULT, ITEM_ACTOR,
    ITEM_VARIANT, ITEM_STEP, ITEM_FLOW
} item_kind;

typedef struct {
    item_kind kind;
    size_t index;    /* into the array of that kind */
    size_t count;    /* ITEM_FORM: how many forms from index the clause lists */
    srcloc loc;
    int end_line;
} item_ref;

typedef struct {
    int line, col;
    char *text;       /* including the leading // */
    bool own_line;    /* nothing but blanks before it on its line */
} comment;

/* Days between the previous wording's end and this one's start that the
 * law leaves without a wording (a regulation repealed, the next adopted
 * later): `after gap "reason" cite "citation"`. */
typedef struct {
    bool present;
    srcloc loc;       /* the word `gap` */
    char *reason;
    char *cite;
} gap_decl;

typedef struct regulation {
    arena mem;
    ident id;
    srcloc loc;
    int end_line;

    title_decl *titles;   size_t ntitles;
    ident *regions;       size_t nregions;     /* sema requires exactly one */
    text_decl *acts;      size_t nacts;
    text_decl *amended;   size_t namended;
    text_decl *standards; size_t nstandards;
    text_decl *repealed;  size_t nrepealed;
    text_decl *providers; size_t nproviders;
    bool has_valid;
    int nvalid;
    date_value valid_from, valid_until;   /* until.text NULL when open-ended */
    force_decl entry, repeal;              /* index 0 and 1 of ITEM_IN_FORCE, ITEM_PUBLISHED */
    ident wording_of;                      /* `wording of SERVICE`: an earlier or later wording; name NULL when none */
    gap_decl gap;                          /* `wording of S after gap "..." cite "..."` */
    ident *forms;         size_t nforms;
    channel_decl *channels; size_t nchannels;
    result_decl *results; size_t nresults;
    actor_decl *actors;   size_t nactors;
    variant_decl *variants; size_t nvariants;
    step_list steps;                         /* shared by variants without a block */
    flow_decl *flows;     size_t nflows;

    item_ref *items;      size_t nitems;
    comment *comments;    size_t ncomments;
} regulation;

regulation *ast_new(void);
void ast_free(regulation *r);

const char *unit_name(reg_unit u);
/* The keyword of a flow item: "process", "check" or "steps". */
const char *flow_item_keyword(flow_item_kind k);
/* What a flow item says; for a `steps` item without text, "the provider's steps". */
const char *flow_item_text(const flow_item *it);
/* Working minutes in a duration of m/h/wd under an 8-hour working day;
 * cd has no fixed working length and yields -1. */
long long duration_minutes(const duration *d, int minutes_per_day);

/* The step list a variant runs: its own block, or the shared steps. */
const step_list *variant_steps(const regulation *r, const variant_decl *v);
/* The duration of step s in variant v (a variant override wins). */
const duration *step_duration(const step *s, const variant_decl *v);

/* A canonical, location-free text rendering of the tree: two files with the
 * same meaning dump to the same bytes. Used by the round-trip tests. The
 * caller frees the result. */
char *ast_dump(const regulation *r);

#endif
