/* timefmt.h - local times and dates, and their text form.
 *
 * A time is an int64_t count of minutes since 1970-01-01T00:00 local
 * Kazakhstan time; there are no time zones, every time is taken as written
 * in the events. A day is an int64_t count of days since 1970-01-01, so
 * day = time / 1440 rounded down. The text forms are exactly
 * "YYYY-MM-DDTHH:MM" and "YYYY-MM-DD" (years 0001-9999), nothing more. */
#ifndef REG_TIMEFMT_H
#define REG_TIMEFMT_H

#include <stdint.h>

#define REG_MINUTES_PER_DAY 1440
#define REG_TIME_BUFSZ 17 /* "YYYY-MM-DDTHH:MM" and the NUL */
#define REG_DATE_BUFSZ 11 /* "YYYY-MM-DD" and the NUL */

/* The day of a time, and the minute of that day (0-1439). */
int64_t reg_day_of(int64_t t);
int reg_minute_of_day(int64_t t);

/* 1 if y-m-d is a real date with y in 1..9999, else 0. */
int reg_valid_date(int y, int m, int d);
/* The day number of a valid date. */
int64_t reg_days_from_civil(int y, int m, int d);
/* The date of a day number; REG_E_ARG when it falls outside years 1..9999. */
int reg_civil_from_days(int64_t day, int *y, int *m, int *d);
/* 0 = Monday ... 6 = Sunday. */
int reg_weekday(int64_t day);

/* Strict parsers: the whole string must match, or REG_E_PARSE. */
int reg_parse_time(const char *s, int64_t *t);
int reg_parse_date(const char *s, int64_t *day);

/* Writers; REG_E_ARG when the year falls outside 1..9999. */
int reg_format_time(int64_t t, char buf[REG_TIME_BUFSZ]);
int reg_format_date(int64_t day, char buf[REG_DATE_BUFSZ]);

#endif
