/* lower.h - the lowered model: a resolved regulation as the back ends and
 * the checks of the process read it.
 *
 * The syntax tree says what the file says: steps shared between variants,
 * durations overridden per variant or per channel, targets by name, flow
 * items that go on to "the next one". lower() turns a tree that passed
 * sema into what it means, once:
 *
 *   - per variant, the ordered steps it runs, each with its machine state,
 *     its actor, its duration resolved for the variant and its durations
 *     per channel, its successor and its branches;
 *   - every target resolved to a state and the result the case carries
 *     from there on (LW_NONE: unchanged);
 *   - the outcome table (outcomes numbered by first appearance) and the
 *     refusal result;
 *   - the results a case can carry on arrival at each step, hence what
 *     each `-> end` can finish with, and the results each variant can end
 *     with;
 *   - flow items with their successors resolved to an item, `end` or
 *     `error`;
 *   - the state layout of the generated machine: the steps of each
 *     variant in order, then one state per result.
 *
 * Adding a back end means reading this model; the syntax nodes it points
 * to (`src`) give names, texts and source locations. The model lives in
 * its own arena and points into the tree, which must outlive it. */
#ifndef REGC_LOWER_H
#define REGC_LOWER_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "ast.h"

#define LW_NONE ((size_t)-1)

typedef enum { LW_TO_STEP, LW_TO_RESULT, LW_TO_END } lw_target_kind;

/* Where a step's successor or branch leads. */
typedef struct {
    lw_target_kind kind;
    size_t step;      /* LW_TO_STEP: index into the variant's steps; else LW_NONE */
    size_t state;     /* LW_TO_STEP, LW_TO_RESULT: the machine state; LW_TO_END: LW_NONE
                       * (the state of the result the case carries) */
    size_t result;    /* the result carried from here on: `with R` or `result R`; LW_NONE: unchanged */
    const target *src;
} lw_target;

typedef struct {
    size_t outcome;   /* index into lowered.outcomes */
    lw_target to;
    const branch *src;
} lw_branch;

typedef struct {
    size_t channel;   /* index into the regulation's channels */
    const duration *dur;
    const override *src;
} lw_channel_duration;

typedef struct {
    const step *src;
    size_t index;            /* in its variant */
    size_t state;
    size_t actor;            /* index into the regulation's actors */
    const duration *dur;     /* resolved for the variant */
    lw_channel_duration *by_channel;
    size_t nby_channel;      /* in the order of the file */
    size_t *only;            /* channels it applies to (indexes); none: every channel */
    size_t nonly;
    lw_target next;
    lw_branch *branches;
    size_t nbranches;
    bool reached;            /* some way from the first step leads here */
    /* The results a case can carry on arrival, in declaration order: what
     * a `-> end` of this step can finish with. A step no way reaches gets
     * the variant's result, so that its `-> end` still leads somewhere. */
    size_t *carried;
    size_t ncarried;
} lw_step;

typedef struct {
    const variant_decl *src;
    size_t index;
    size_t result;           /* the result it issues when it ends normally */
    bool shared;             /* runs the regulation's shared steps */
    size_t first_state;      /* its steps are states first_state .. + nsteps - 1 */
    lw_step *steps;
    size_t nsteps;
    /* Per result: a case of this variant can end with it, on some way from
     * the first step. */
    bool *ends;
} lw_variant;

typedef enum { LW_PLACE_ITEM, LW_PLACE_END, LW_PLACE_ERROR } lw_place_kind;

/* Where a flow item goes on to. */
typedef struct {
    lw_place_kind kind;
    size_t item;             /* LW_PLACE_ITEM: index into the flow's items */
} lw_place;

typedef struct {
    const flow_item *src;
    lw_place next;           /* a process: where it goes; a check: where it goes when it holds */
    lw_place fail;           /* a check: where it goes when it fails */
} lw_flow_item;

typedef struct {
    const flow_decl *src;
    size_t channel;          /* index into the regulation's channels */
    lw_flow_item *items;
    size_t nitems;
    /* The `steps` item: items before it are the intake, items after it the
     * handover. nitems when the flow has none (then every item is intake
     * and the steps follow the flow's `end`). */
    size_t steps_item;
} lw_flow;

typedef struct {
    arena mem;               /* everything below */
    const regulation *r;
    const char *prefix;      /* <region>_<service>: the C names of the machine */
    lw_variant *variants;
    size_t nvariants;
    size_t nstep_states;     /* states of steps; the state of result k is nstep_states + k */
    size_t nstates;
    const char **outcomes;   /* in order of first appearance in the file */
    size_t noutcomes;
    size_t refusal;          /* the first negative result, or LW_NONE */
    /* The machine's results: the declared ones, then, when the regulation
     * has a flow, `intake_refused` (index intake_refused, else LW_NONE):
     * the result of a case whose intake through a channel failed. */
    size_t nresults;
    size_t intake_refused;
    lw_flow *flows;
    size_t nflows;
} lowered;

/* Builds the model of r, which passed sema. Release it with lower_free. */
lowered *lower(const regulation *r);
void lower_free(lowered *l);

/* The id, label and negative flag of machine result i (i < nresults). */
#define LW_INTAKE_REFUSED "intake_refused"
#define LW_INTAKE_REFUSED_LABEL "өтінішті қабылдаудан бас тарту"
const char *lw_result_id(const lowered *l, size_t i);
const char *lw_result_label(const lowered *l, size_t i);
bool lw_result_negative(const lowered *l, size_t i);

/* Successors of a step as the process graph sees them: its branches in
 * order, then its unconditional successor (k == nbranches). */
size_t lw_ntargets(const lw_step *s);
const lw_target *lw_target_at(const lw_step *s, size_t k);

/* The duration of s through channel ch (an index into the channels): its
 * own for that channel, else the variant's. LW_NONE: the variant's. */
const duration *lw_duration_on(const lw_step *s, size_t ch);

/* Whether s runs for a case through channel ch; a case without a channel
 * (LW_NONE) runs every step. */
bool lw_applies_on(const lw_step *s, size_t ch);

/* The name of a place: an item id, "end" or "error". */
const char *lw_place_name(const lw_flow *f, lw_place p);
bool lw_same_place(lw_place a, lw_place b);

/* Looks a variant, a flow (by channel) or a channel up by name; NULL or
 * LW_NONE when there is none. */
const lw_variant *lw_find_variant(const lowered *l, const char *name);
const lw_flow *lw_find_flow(const lowered *l, const char *channel);
size_t lw_find_channel(const regulation *r, const char *name);

#endif
