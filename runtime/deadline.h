/* deadline.h - deadlines and working time on a calendar.
 *
 * The rules (docs/semantics.md gives them in full, with examples):
 *   step of N m or h   the instant when N minutes (N*60 for h) of working
 *                      time have passed since the start; a start outside
 *                      working time counts from the next working instant; a
 *                      deadline that lands on the end of a working period is
 *                      that end (13:00, 18:00), not the next start.
 *   step of N wd       N times the length of a working day of working time
 *                      (Friday 10:00 + 1wd = Monday 10:00).
 *   term of N wd       the close of the N-th working day after the day of
 *                      submission (that day itself never counts).
 *   N cd, term or step the close of the N-th calendar day after the start
 *                      day, moved to the close of the next working day when
 *                      that day is not worked.
 *   term of N m or h   as a step.
 * The amount must be at least 1 (REG_E_ARG otherwise). Every function
 * returns 0 or a negative REG_E_ code; any day the computation needs outside
 * the calendar's covered years gives REG_E_RANGE, and *out is left as is. */
#ifndef REG_DEADLINE_H
#define REG_DEADLINE_H

#include <stdint.h>

#include "calendar.h"
#include "reg_unit.h"

/* Larger amounts give REG_E_RANGE: no calendar covers them. */
#define REG_AMOUNT_MAX 1000000000

/* The deadline of a step that starts at `start`. */
int reg_deadline_step(const reg_calendar *cal, int64_t start, int64_t amount, reg_unit unit,
                      int64_t *out);

/* The end of a statutory term for a case submitted at `submitted`. */
int reg_deadline_term(const reg_calendar *cal, int64_t submitted, int64_t amount, reg_unit unit,
                      int64_t *out);

/* Working minutes from `from` to `to` (negative when to < from): how late a
 * step finished, or how much working time is left before a deadline. */
int reg_working_minutes(const reg_calendar *cal, int64_t from, int64_t to, int64_t *out);

/* Reference versions of the three functions above that walk the calendar
 * one day at a time without the index (deadline_naive.c). They give the
 * same answers and exist only to check the fast versions in tests and to
 * measure them in benchmarks. */
int reg_deadline_step_naive(const reg_calendar *cal, int64_t start, int64_t amount, reg_unit unit,
                            int64_t *out);
int reg_deadline_term_naive(const reg_calendar *cal, int64_t submitted, int64_t amount,
                            reg_unit unit, int64_t *out);
int reg_working_minutes_naive(const reg_calendar *cal, int64_t from, int64_t to, int64_t *out);

#endif
