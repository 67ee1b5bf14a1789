/* engine.h - the case engine: one case driven through a generated machine,
 * with its deadlines on the working-day calendar.
 *
 * A case starts with a submission (variant, channel, time), then receives
 * events: completion of the current step, completion with an outcome,
 * refusal, and the timer. Each event is checked before it is applied; an
 * event that is not allowed leaves the case unchanged and gets a reason.
 * Deadlines follow docs/semantics.md: the current step's deadline is its
 * start plus its duration (for the case's channel) in working time, the
 * term's deadline counts from the submission.
 *
 * Flows (docs/semantics.md §11). A case submitted through a channel that
 * has a `flow` starts in its intake, at the flow's first item; the case
 * waits at a check (for a `flow` event saying whether it holds) and at a
 * process that takes time (for its completion); processes that take no
 * time are passed at once. Reaching the flow's `steps` item (or its `end`)
 * the documents reach the provider and its first step starts; reaching
 * `error` in intake ends the case with the result `intake_refused`. When
 * the provider's steps end with a result, the case goes on to the items
 * after `steps` (the handover), where a check holds when the result is not
 * negative; it is finished once the handover reaches `end` or `error`.
 * While in intake the current deadline is the intake's (submission plus
 * the flow's `takes`), while at a process that takes time, that
 * process's. */
#ifndef REG_ENGINE_H
#define REG_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "machine.h"

#define REG_NO_TIME INT64_MIN
#define REG_NO_CHANNEL 0xFF

typedef struct {
    const reg_machine *machine;
    uint8_t variant;
    uint8_t channel;           /* REG_NO_CHANNEL when submitted without one */
    reg_machine_case mc;
    int64_t submitted;         /* minutes, see timefmt.h */
    int64_t last_event;        /* time of the last applied event */
    int64_t step_start;        /* REG_NO_TIME once the case has ended */
    int64_t step_deadline;     /* REG_NO_TIME once ended, or unknown (below) */
    int64_t term_deadline;     /* REG_NO_TIME when the variant has no term, or unknown, or pending */
    int64_t term_anchor;       /* when the term's count started; REG_NO_TIME while pending */
} reg_case;

/* Why an event was refused. */
typedef enum {
    REG_OK_APPLIED = 0,
    REG_R_UNKNOWN_VARIANT,
    REG_R_UNKNOWN_CHANNEL,
    REG_R_NOT_IN_FORCE,        /* submitted before the regulation took effect or after repeal */
    REG_R_NO_DEADLINE,         /* a duration the deadline functions refuse (not a calendar's end) */
    REG_R_TIME_BEFORE_LAST,    /* earlier than the case's last event */
    REG_R_FINISHED,            /* the case has already ended */
    REG_R_WRONG_STEP,          /* the event names a step that is not the current one */
    REG_R_UNKNOWN_OUTCOME,     /* the current step has no such outcome */
    REG_R_NO_REFUSAL,          /* refusal, but the regulation has no negative result */
    REG_R_NOT_ALLOWED,         /* the machine has no such transition */
    REG_R_UNKNOWN_ANCHOR,      /* the term counts from no such event, or it was recorded */
    REG_R_UNKNOWN_ITEM         /* the case's flow has no such item */
} reg_reason;

/* Starts a case. On refusal returns the reason and writes an explanation
 * into why (always NUL-terminated). */
reg_reason reg_case_submit(reg_case *c, const reg_machine *m, const reg_calendar *cal,
                           const char *variant, const char *channel, int64_t at, char *why,
                           size_t whylen);

/* Applies an event at time `at`. `step` names the step the event is about
 * (required for complete and branch: it must be the current step; NULL is
 * taken as the current step for refuse and timer); `outcome` is used by
 * branch only. */
reg_reason reg_case_apply(reg_case *c, const reg_calendar *cal, reg_event ev, const char *step,
                          const char *outcome, int64_t at, char *why, size_t whylen);

/* A deadline that falls after the calendar's last covered day is unknown:
 * the event that started its clock is applied all the same, the deadline
 * is REG_NO_TIME, and these say so. reg_case_recompute computes the unknown
 * deadlines that the calendar now covers (after it was extended) and
 * returns 1 when it filled one in. */
int reg_case_step_unknown(const reg_case *c);
/* True while the case's current place has a deadline: a step, or in a flow
 * an item or an intake that takes time. */
int reg_case_has_clock(const reg_case *c);
/* True while the term waits for the event or step it counts from (the
 * exam not yet passed): its deadline is not unknown, it has not started. */
int reg_case_term_pending(const reg_case *c);
/* Records the event the variant's term counts from (`{"type":"anchor",
 * "anchor":"exam"}`) and computes the term from it. Refused when the
 * variant's term counts from no such event, when it was recorded already,
 * for a finished case, or before the case's last event. */
reg_reason reg_case_anchor(reg_case *c, const reg_calendar *cal, const char *anchor, int64_t at, char *why,
                           size_t whylen);
int reg_case_term_unknown(const reg_case *c);
int reg_case_recompute(reg_case *c, const reg_calendar *cal);
/* Recomputes the current step's deadline from its start and the term's
 * from its anchor, with the durations of the case's machine: after a case
 * moved to another wording (migrate). 0, or the calendar's error. */
int reg_case_restart_clocks(reg_case *c, const reg_calendar *cal);

/* True once the case has reached a result and, through a channel with a
 * handover, has been handed it. */
int reg_case_finished(const reg_case *c);

/* The flow of the case's channel, or NULL (no channel, or no flow). */
const reg_flow *reg_case_flow(const reg_case *c);
/* The flow item the case is at, or NULL at a provider step or finished;
 * for a case ended by an intake refusal, the check that failed (or the
 * process that led to `error`). */
const reg_flow_item *reg_case_flow_item(const reg_case *c);
int reg_case_in_intake(const reg_case *c);
int reg_case_in_handover(const reg_case *c);
/* True when the case ended because its intake failed. */
int reg_case_intake_refused(const reg_case *c);
/* Applies a `flow` event: completes process `item` (outcome NULL) or
 * decides check `item` ("holds" or "fails"). `item` must be the current
 * flow item; anything else is refused and leaves the case unchanged. */
reg_reason reg_case_flow_event(reg_case *c, const reg_calendar *cal, const char *item, const char *outcome,
                               int64_t at, char *why, size_t whylen);
/* The timeline's intake: a case in intake goes to the provider's steps at
 * once, at `at` (every check held), as if the intake ended then. */
int reg_case_arrive(reg_case *c, const reg_calendar *cal, int64_t at);

/* The name a store keeps for the case's place: its state's name
 * ("issue.register", "result.licence"), or CHANNEL/ITEM in a flow
 * ("portal/c1"; an intake refusal keeps the item it ended at). */
void reg_case_place(const reg_case *c, char *buf, size_t len);
/* The current state (a step, or the result once finished). */
const reg_state *reg_case_state(const reg_case *c);
/* The duration of state s for a channel (its per-channel override, if any). */
reg_duration reg_state_duration(const reg_state *s, uint8_t channel);

/* 1 when step state s runs for a case through `channel`: its `only` list
 * names the channel, or it has none, or the case has no channel. */
int reg_state_applies(const reg_state *s, uint8_t channel);

/* Index of a name in a machine's lists, or -1. */
int reg_find_variant(const reg_machine *m, const char *id);
int reg_find_channel(const reg_machine *m, const char *id);
int reg_find_outcome(const reg_machine *m, const char *id);

/* 1 when the regulation is in force on `day`, 0 when not. */
int reg_machine_in_force(const reg_machine *m, int64_t day);
/* NULL when `day` is surely inside the regulation's validity (or outside
 * it); otherwise the text of what is not known: the day lies between the
 * earliest and the latest possible entry into force, or repeal, because a
 * publication date is unknown. A case submitted on such a day is accepted
 * and marked (docs/semantics.md §9). */
const char *reg_machine_validity_doubt(const reg_machine *m, int64_t day);

const char *reg_reason_name(reg_reason r);

/* Index of a state by its name ("issue.register", "result.refusal") or of a
 * result by its id, or -1. */
int reg_find_state(const reg_machine *m, const char *name);
int reg_find_result(const reg_machine *m, const char *id);

/* A case as a store keeps it: names rather than indexes, so that a stored
 * case survives a rebuild of the machines as long as its names still exist.
 * channel is NULL for a case submitted without one; times are REG_NO_TIME
 * where the case has none. */
typedef struct {
    const char *variant;
    const char *channel;
    const char *state;
    const char *result;
    int late;
    int64_t submitted, last_event, step_start, step_deadline, term_deadline;
    int64_t term_anchor;
} reg_case_saved;

/* Rebuilds a case of machine m from its saved form (state: a state name or
 * CHANNEL/ITEM, see reg_case_place). Returns 0, or -1 when a
 * name does not belong to the machine or the state is not one of the
 * variant's (the rules changed since the case was stored); why says which. */
int reg_case_restore(reg_case *c, const reg_machine *m, const reg_case_saved *saved, char *why,
                     size_t whylen);

#endif
