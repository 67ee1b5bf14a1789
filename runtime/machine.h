/* machine.h - what regc generates for a regulation, as the runtime sees it.
 *
 * Each generated/<region>/<service>.c defines one `const reg_machine`: the
 * regulation's constants (identity, validity, actors, results, channels,
 * variants with their steps, durations and terms) and its state machine.
 * States are numbered per machine: first the steps of every variant, in
 * variant order and the act's step order (a shared step gets one state per
 * variant, because its duration may differ by variant), then one terminal
 * state per result. Everything here is static data: applying an event
 * never allocates. */
#ifndef REG_MACHINE_H
#define REG_MACHINE_H

#include <stdint.h>

#include "reg_unit.h"

typedef struct {
    int32_t amount;     /* >= 1 */
    uint8_t unit;       /* reg_unit */
    uint8_t at_most;    /* the act says "not more than" */
} reg_duration;

typedef struct {
    uint16_t channel;   /* index into reg_machine.channels */
    reg_duration duration;
} reg_channel_duration;

typedef struct {
    const char *id;
    const char *label;
} reg_named;

typedef struct {
    const char *id;
    const char *label;
    uint8_t flag;       /* actors: external; results: negative */
} reg_decl;

/* Where a transition leads: a state, and the result the case will end with
 * (REG_NO_RESULT: unchanged). `end` is compiled to the state of the result
 * the case carries, so it is resolved when the event is applied. */
#define REG_NO_RESULT 0xFFFF
#define REG_TO_END 0xFFFF   /* in reg_target.state: the carried result's state */

typedef struct {
    uint16_t state;
    uint16_t result;
} reg_target;

typedef struct {
    uint16_t outcome;   /* index into reg_machine.outcomes */
    const char *condition;
    reg_target to;
} reg_branch;

/* One state. For a step: its variant, actor, action, duration resolved for
 * the variant, per-channel durations, citation, successor and branches. For
 * a terminal result: variant is REG_NO_VARIANT and result says which. */
#define REG_NO_VARIANT 0xFF

typedef struct {
    const char *name;            /* "issue.register", or "result.refusal" */
    const char *step_id;         /* NULL for a result state */
    uint8_t variant;
    uint16_t result;             /* result states only */
    uint16_t actor;
    const char *action;
    reg_duration duration;
    uint16_t nby_channel;
    const reg_channel_duration *by_channel;
    const char *cite;
    reg_target next;
    uint16_t nbranches;
    const reg_branch *branches;
    /* The channels the step applies to (indexes into reg_machine.channels);
     * nonly == 0: every channel. A case through another channel skips it. */
    uint16_t nonly;
    const uint16_t *only;
} reg_state;

typedef struct {
    const char *id;
    const char *label;
    uint16_t result;             /* the result it issues when it ends normally */
    uint8_t has_term;
    reg_duration term;
    const char *term_from;       /* NULL when the act does not say */
    /* The term counts from an event the case receives (`anchor` events,
     * e.g. "exam") or from the moment it reaches a step; both NULL: from
     * the submission. */
    const char *term_anchor_event;
    const char *term_anchor_step;
    const char *cite;
    uint16_t first_state;        /* its steps are states first_state .. +nsteps-1 */
    uint16_t nsteps;
} reg_variant;

typedef struct {
    const char *id;              /* item id; "steps" for the `steps` item */
    uint8_t is_check;
    uint8_t is_steps;            /* where the documents reach the provider */
    uint8_t has_duration;        /* `takes` (a handover process's time) */
    reg_duration duration;
    const char *text;
    const char *cite;
    const char *next;            /* item id, "end" or "error" */
    const char *fail;            /* checks: item id, "end" or "error" */
} reg_flow_item;

typedef struct {
    uint16_t channel;
    const char *label;
    uint8_t has_duration;
    reg_duration duration;
    const char *cite;
    uint16_t nitems;
    const reg_flow_item *items;
    /* Index of the `steps` item: items before it are the intake, items
     * after it the handover. nitems when the flow has none. */
    uint16_t steps_item;
} reg_flow;

/* Events a case can receive. */
typedef enum {
    REG_EV_COMPLETE,   /* the current step is done; the case follows its `->` */
    REG_EV_BRANCH,     /* the current step is done with an outcome (`on OUTCOME`) */
    REG_EV_REFUSE,     /* a motivated refusal: the case ends with the negative result */
    REG_EV_TIMER       /* the current step's deadline passed: marks the case late */
} reg_event;

/* The state of one case as the machine sees it (no times: those are the
 * engine's). */
typedef struct {
    uint16_t state;
    uint16_t result;   /* the result the case will end with */
    uint8_t late;      /* a deadline passed while it was open */
    /* 0: at a provider step, or at a result; else 1 + the index of the item
     * of the case's channel flow it is at (runtime/engine.h, "Flows"). The
     * machine's own step (reg_machine_apply) leaves it alone. */
    uint8_t flow_pos;
} reg_machine_case;

/* What applying an event gives. */
typedef enum {
    REG_STEP_OK = 0,
    REG_STEP_FINISHED = 1,    /* the case had already ended */
    REG_STEP_NOT_ALLOWED = 2, /* the event does not exist in this state */
    REG_STEP_NO_REFUSAL = 3   /* refusal, but the regulation has no negative result */
} reg_step_status;

typedef struct reg_machine {
    const char *id;
    const char *region;
    const char *title_kk, *title_ru, *title_en;
    const char *act;
    const char *standard;
    const char *repealed;
    const char *provider;
    const char *valid_from;      /* "YYYY-MM-DD" or NULL */
    const char *valid_until;     /* first day no longer in force, or NULL */
    /* Where a publication date is not known (compiler/validity.h): the
     * first day it surely applies, the first day its repeal may have taken
     * effect, and what is unknown. NULL when every date is known. */
    const char *valid_from_certain;
    const char *valid_until_earliest;
    const char *validity_note;
    /* A wording of another service (`wording of SERVICE`): cases of that
     * service submitted while this wording applies run on this machine.
     * NULL: the machine is its own service. */
    const char *service;
    /* What the model means to a case (compiler/fingerprint.h): a stored
     * case runs only on the machine whose id and fingerprint it was pinned
     * to at submission. */
    const char *fingerprint;
    uint16_t nactors, nresults, nchannels, nvariants, noutcomes, nstates, nflows;
    const reg_decl *actors;
    const reg_decl *results;
    const reg_named *channels;
    const reg_variant *variants;
    const char *const *outcomes;
    const reg_state *states;     /* nstates: steps first, then results */
    uint16_t first_result_state;
    uint16_t refusal_result;     /* the first negative result, or REG_NO_RESULT */
    const reg_flow *flows;
    /* `after gap "reason" cite "citation"`: the law leaves the days before
     * this wording's start without one (runtime/version.h). NULL: none. */
    const char *gap_reason, *gap_cite;
    /* The result a case ends with when a check of its channel's intake
     * fails (`intake_refused`, the last of results): REG_NO_RESULT for a
     * machine without flows. */
    uint16_t intake_refused;
} reg_machine;

#endif
