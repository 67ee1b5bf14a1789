/* deadline_mark.c - how sure a computed deadline is (see deadline_mark.h). */
#include "deadline_mark.h"

#include <stdio.h>

#include "engine.h"
#include "timefmt.h"

static int year_of_time(int64_t t)
{
    int y, m, d;
    return reg_civil_from_days(reg_day_of(t), &y, &m, &d) == 0 ? y : 0;
}

reg_mark reg_mark_deadline(const reg_calendar *cal, int64_t start, int64_t deadline, int expected)
{
    int first, last;
    reg_calendar_years(cal, &first, &last);
    if (!expected)
        return (reg_mark){REG_MARK_NONE, 0};
    if (deadline == REG_NO_TIME) {
        /* The year to add: before the calendar when the clock started
         * before it, else the one after its last. */
        int before = start != REG_NO_TIME && year_of_time(start) < first;
        return (reg_mark){REG_MARK_UNKNOWN, before ? first - 1 : last + 1};
    }
    int64_t from = start == REG_NO_TIME ? deadline : start;
    int year = reg_calendar_unconfirmed_year(cal, reg_day_of(from), reg_day_of(deadline));
    return year ? (reg_mark){REG_MARK_PROVISIONAL, year} : (reg_mark){REG_MARK_DEFINITE, 0};
}

const char *reg_mark_name(reg_mark_kind kind)
{
    switch (kind) {
    case REG_MARK_NONE: return "none";
    case REG_MARK_DEFINITE: return "definite";
    case REG_MARK_PROVISIONAL: return "provisional";
    case REG_MARK_UNKNOWN: return "unknown";
    }
    return "unknown";
}

void reg_mark_text(const reg_calendar *cal, reg_mark mark, char *buf, size_t len)
{
    if (!len)
        return;
    buf[0] = '\0';
    int first, last;
    reg_calendar_years(cal, &first, &last);
    if (mark.kind == REG_MARK_PROVISIONAL) {
        reg_year_status st = REG_YEAR_PROVISIONAL;
        const char *note = "";
        reg_calendar_year(cal, mark.year, &st, &note);
        snprintf(buf, len, "provisional: %d is %s in %s: %s", mark.year,
                 st == REG_YEAR_DERIVED ? "derived from the rules" : "not confirmed", reg_calendar_name(cal),
                 note);
    } else if (mark.kind == REG_MARK_UNKNOWN && mark.year < first) {
        snprintf(buf, len,
                 "unknown: the clock starts before %d-01-01, the start of %s (it covers %d-%d); "
                 "add year %d to it (docs/semantics.md, \"Adding a year\")",
                 first, reg_calendar_name(cal), first, last, mark.year);
    } else if (mark.kind == REG_MARK_UNKNOWN) {
        snprintf(buf, len,
                 "unknown: the deadline falls after %d-12-31, the end of %s (it covers %d-%d); "
                 "add year %d to it (docs/semantics.md, \"Adding a year\")",
                 last, reg_calendar_name(cal), first, last, last + 1);
    }
}
