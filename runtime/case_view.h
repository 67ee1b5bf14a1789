/* case_view.h - what `status` and `overdue` share to show a stored case:
 * its deadlines as the calendar sees them now, lateness in working time,
 * and times in text and JSON. */
#ifndef REG_CASE_VIEW_H
#define REG_CASE_VIEW_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "calendar.h"
#include "deadline_mark.h"
#include "flow_place.h"
#include "run.h"
#include "store.h"
#include "timefmt.h"

/* A case's deadlines as this calendar sees them: one stored as unknown
 * (past the end of the calendar it was computed with) is computed when
 * this calendar covers it, and each gets its mark. Reading never writes:
 * the store keeps what was known when the event was applied. */
typedef struct {
    int64_t step, term;
    reg_mark step_mark, term_mark;
    /* Not empty when the case no longer fits the machines of this binary
     * (a service, variant, step or result renamed or removed): why. Its
     * deadlines are then the stored ones. */
    char stranded[640];
    /* The term waits for the event or step it counts from: what it waits for. */
    int term_pending;
    char pending[320];
    /* Where it stands in its channel's flow (place.flow NULL: at a step or
     * a result, or stranded). */
    reg_flow_place place;
} case_deadlines;

case_deadlines deadlines_of(const reg_region *rg, const reg_calendar *cal, const reg_case_row *row);

/* Working minutes from a deadline to `at` in *out; 0 when either is
 * missing or outside the calendar (the caller then says so), else 1. */
int late_by(const reg_calendar *cal, int64_t deadline, int64_t at, int64_t *out);

/* The local wall clock as a time (timefmt.h counts local minutes). */
int64_t local_now(void);

/* `text` as the time of a command's --at, or -1 after a message. */
int parse_at(const reg_region *rg, const char *cmd, const char *text, int64_t *at);

void fmt_time(int64_t t, char buf[REG_TIME_BUFSZ]);  /* "-" for none */
cJSON *json_time(int64_t t);                          /* null for none */
cJSON *json_minutes(int ok, int64_t m);               /* null unless ok */
/* Prints j unformatted on a line of stdout and frees it. */
void print_json(cJSON *j);

/* The options of the reading commands: --store S, --at TIME, --json, and
 * (status) one CASE. */
typedef struct {
    const char *spec, *at_text, *case_id;
    bool json;
} read_options;

/* Parses them; -1 after a message on an unexpected argument. */
int read_options_parse(const reg_region *rg, const char *cmd, int argc, char **argv, bool want_case, read_options *o);

/* Loads the calendar and opens the store without creating it: 0, or the
 * exit code 3 after a message. */
int open_for_reading(const reg_region *rg, const char *cmd, const char *spec, reg_calendar **cal, reg_store **store);

#endif
