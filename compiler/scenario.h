/* scenario.h - scenarios: what a policy author expects a regulation to do
 * with a case, written next to its rule file (docs/scenarios.md).
 *
 * rules/<region>/<service>.test holds the scenarios of
 * rules/<region>/<service>.reg, one line a statement:
 *
 *   // 5-т. 3): the specialist refuses on the grounds of 10-т. of the standard
 *   scenario "refusal through the portal"
 *     submit variant issue channel portal at 2026-03-02T10:00
 *     expect step register
 *     expect step_deadline 2026-03-02T10:15
 *     complete register at 2026-03-02T10:10
 *     complete prepare on refused at 2026-03-20T11:00
 *     expect result refusal
 *
 * Statements: `scenario "NAME"` starts a scenario; `submit [variant V]
 * [channel C] at TIME`; the events `complete STEP [on OUTCOME] at TIME`,
 * `refuse [STEP] at TIME`, `timer at TIME`, `anchor EVENT at TIME` (the
 * event a term counts from, e.g. the exam) and `flow ITEM [holds|fails] at
 * TIME` (an item of the channel's flow: a process done, a check decided);
 * and `expect FIELD VALUE`,
 * which compares one field of the case (scenario_fields) with what the
 * engine says at that point. Every field is named in one table, so a new
 * fact about a case is one new row.
 *
 * Reading checks the form of each line (keywords, times, quoting); names
 * (steps, variants, fields, outcomes) are checked against the regulation
 * by the runner (scenario_run.h).
 *
 * A scenario that states no `flow` event for a case's intake or handover
 * passes them as `timeline` does: the documents reach the provider when
 * the intake's time is over, every check holding, and each handover
 * process is done on its deadline. This happens at the first statement
 * that is neither a `flow` event nor an expectation about the flow
 * (`expect flow_item`, `expect phase`). */
#ifndef REGC_SCENARIO_H
#define REGC_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

typedef struct {
    const char *text;     /* NULL when absent */
    srcloc loc;
} sc_word;

typedef enum { SC_SUBMIT, SC_COMPLETE, SC_REFUSE, SC_TIMER, SC_EXPECT, SC_ANCHOR, SC_FLOW } sc_kind;

typedef struct {
    sc_kind kind;
    srcloc loc;           /* the statement's keyword */
    sc_word variant, channel;  /* submit */
    sc_word step, outcome;     /* complete; step also refuse, anchor (the event) and flow (the item) */
    int64_t at;                /* submit and the events */
    sc_word field, value;      /* expect */
} sc_stmt;

typedef struct {
    const char *name;
    srcloc loc;
    sc_stmt *stmts;
    size_t nstmts;
} scenario;

typedef struct {
    arena mem;
    source src;
    char *text;           /* owned */
    scenario *items;
    size_t count;
} scenario_file;

/* The limits of a scenario file, so that hostile input stays cheap. */
enum { SC_MAX_LINE_BYTES = 4096, SC_MAX_STATEMENTS = 100000 };

/* Reads path, or text of len bytes when text is not NULL (path is then its
 * name in messages). Errors go to d; what could be read is kept. */
void scenario_read(scenario_file *f, const char *path, const char *text, size_t len, diag_list *d);
void scenario_file_free(scenario_file *f);

/* ---- the fields an expectation can name (scenario_fields.c) ---- */

typedef enum {
    SF_STEP,      /* a step id of the case's variant, or `none` */
    SF_RESULT,    /* a result id */
    SF_BOOL,      /* yes | no */
    SF_TIME,      /* YYYY-MM-DDTHH:MM | none | unknown */
    SF_MARK,      /* definite | provisional | unknown | none */
    SF_REASON,    /* why the engine refused the last event (reg_reason_name) */
    SF_ITEM,      /* an item id of the case's flow, or `none` */
    SF_PHASE      /* intake | steps | handover | finished */
} sf_kind;

typedef struct {
    const char *name;
    sf_kind kind;
    const char *meaning;  /* for hints and docs */
} sc_field;

extern const sc_field scenario_fields[];
extern const size_t scenario_nfields;
const sc_field *scenario_field(const char *name);

#endif
