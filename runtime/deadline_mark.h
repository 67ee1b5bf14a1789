/* deadline_mark.h - how sure a computed deadline is.
 *
 * A deadline is definite when every day from the day its clock started to
 * the day it falls on is in a confirmed year of the calendar; provisional
 * when one of those days is in a provisional or derived year (the act that
 * moves that year's days off is not in the calendar yet, so a day may still
 * move); unknown when it falls after the calendar's last covered day. Every
 * output that shows a deadline shows its mark and, for the last two, the
 * sentence that says why (docs/semantics.md, "Provisional years and
 * unknown deadlines"). */
#ifndef REG_DEADLINE_MARK_H
#define REG_DEADLINE_MARK_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

typedef enum {
    REG_MARK_NONE,        /* there is no such deadline (no term, or the case has ended) */
    REG_MARK_DEFINITE,
    REG_MARK_PROVISIONAL,
    REG_MARK_UNKNOWN
} reg_mark_kind;

typedef struct {
    reg_mark_kind kind;
    int year;             /* provisional: the first unconfirmed year; unknown: the year to add */
} reg_mark;

/* Judges a deadline whose clock started at `start`. `expected` is 0 when
 * the case has no such deadline; `deadline` is REG_NO_TIME when unknown. */
reg_mark reg_mark_deadline(const reg_calendar *cal, int64_t start, int64_t deadline, int expected);

/* The word for a mark: "none", "definite", "provisional", "unknown". */
const char *reg_mark_name(reg_mark_kind kind);

/* The sentence a user reads for a provisional or unknown deadline, e.g.
 * "provisional: 2027 is not confirmed in rules/calendar/kz.cal: NOTE";
 * "" for the others. */
void reg_mark_text(const reg_calendar *cal, reg_mark mark, char *buf, size_t len);

#endif
