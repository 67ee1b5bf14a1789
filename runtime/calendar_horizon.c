/* calendar_horizon.c - warning ahead of the calendar's end
 * (calendar_horizon.h). */
#include "calendar_horizon.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "timefmt.h"

int reg_calendar_horizon(const reg_calendar *cal, int64_t day, int days, char *buf, size_t len)
{
    int first, last;
    reg_calendar_years(cal, &first, &last);
    int confirmed = reg_calendar_confirmed_until(cal);
    char today[REG_DATE_BUFSZ] = "?";
    reg_format_date(day, today);
    int64_t end = reg_days_from_civil(last + 1, 1, 1) - 1;
    if (end - day < days) {
        snprintf(buf, len,
                 "%s: the calendar ends on %d-12-31, %lld days after %s: deadlines after it will be unknown; "
                 "add year %d (docs/semantics.md, \"Adding a year\")",
                 reg_calendar_name(cal), last, (long long)(end - day), today, last + 1);
        return 1;
    }
    if (confirmed >= first - 1 && confirmed < last) {
        int64_t cend = reg_days_from_civil(confirmed + 1, 1, 1) - 1;
        if (cend - day < days) {
            snprintf(buf, len,
                     "%s: confirmed years end on %d-12-31, %lld days after %s: deadlines after it are "
                     "provisional; add %d's act moving days off and mark the year confirmed "
                     "(docs/semantics.md, \"Adding a year\")",
                     reg_calendar_name(cal), confirmed, (long long)(cend - day), today, confirmed + 1);
            return 1;
        }
    }
    return 0;
}

int64_t reg_today(void)
{
    int64_t day;
    const char *env = getenv("REG_TODAY");
    if (env && reg_parse_date(env, &day) == 0)
        return day;
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return reg_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
