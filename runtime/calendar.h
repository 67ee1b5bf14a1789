/* calendar.h - the working-day calendar: which days are worked, and when.
 *
 * A calendar covers a run of whole years and says, for every day in them,
 * whether it is a working day, plus the working periods of a working day
 * (09:00-13:00 and 14:00-18:00 by default). It is read from a small text
 * file, rules/calendar/kz.cal for Kazakhstan; docs/semantics.md describes
 * the format and the sources of the data.
 *
 * Loading builds an index over every covered day (its kind, and how many
 * working days come before it), so the queries here and in deadline.h take
 * constant time. Any day outside the covered years gives REG_E_RANGE.
 *
 * Each covered year is confirmed (its days off, moved days included, follow
 * the acts of that year), provisional (listed, but the act that moves that
 * year's days off is not in the file yet), or derived (not listed: built
 * from the file's `rule` lines up to its `derive until` year). A deadline
 * that depends on a day of a year that is not confirmed is provisional;
 * docs/semantics.md gives the rules. Days and times are as in timefmt.h. */
#ifndef REG_CALENDAR_H
#define REG_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "reg_error.h"

#define REG_MAX_PERIODS 8   /* working periods in one working day */
#define REG_YEAR_MIN 1900   /* years a calendar file may declare */
#define REG_YEAR_MAX 2199

typedef struct reg_calendar reg_calendar;

/* One working period of a working day, in minutes from midnight. */
typedef struct {
    int start, end; /* start < end */
} reg_period;

typedef enum {
    REG_DAY_WORK,    /* an ordinary working day of the week */
    REG_DAY_WEEKEND, /* an ordinary day off of the week */
    REG_DAY_HOLIDAY, /* a public holiday (not worked, whatever the weekday) */
    REG_DAY_DAYOFF,  /* a day off moved here by law or decree */
    REG_DAY_WORKDAY  /* a weekly day off made a working day by decree */
} reg_day_kind;

typedef enum {
    REG_YEAR_CONFIRMED,   /* `year YYYY "note"` */
    REG_YEAR_PROVISIONAL, /* `year YYYY provisional "note"` */
    REG_YEAR_DERIVED      /* after the last year line, up to `derive until` */
} reg_year_status;

/* Reads a calendar file. On success *out owns a new calendar (release it
 * with reg_calendar_free). On failure returns REG_E_IO, REG_E_CALENDAR or
 * REG_E_NOMEM, and err receives "path:line: message". */
int reg_calendar_load(const char *path, reg_calendar **out, char *err, size_t errlen);

/* The same from text in memory; name stands for the path in messages. */
int reg_calendar_parse(const char *name, const char *text, size_t len, reg_calendar **out,
                       char *err, size_t errlen);

void reg_calendar_free(reg_calendar *cal);

/* First and last covered year. */
void reg_calendar_years(const reg_calendar *cal, int *first, int *last);

/* The name the calendar was loaded under (its path). */
const char *reg_calendar_name(const reg_calendar *cal);

/* The status of a covered year and its note (for a derived year, the note
 * of the `derive` line); REG_E_RANGE for a year not covered. */
int reg_calendar_year(const reg_calendar *cal, int year, reg_year_status *status, const char **note);

/* The first year, from the year of from_day to the year of to_day (either
 * order, clamped to the covered years), that is not confirmed; 0 when all
 * are. A deadline computed from a start on from_day to an end on to_day
 * depends on no other days. */
int reg_calendar_unconfirmed_year(const reg_calendar *cal, int64_t from_day, int64_t to_day);

/* The last year of the run of confirmed years that starts the calendar
 * (first year - 1 when the first year is not confirmed). */
int reg_calendar_confirmed_until(const reg_calendar *cal);

/* The working periods of a working day, in time order; returns their count. */
int reg_calendar_periods(const reg_calendar *cal, const reg_period **periods);

/* Working minutes in one working day (480 for 09-13 and 14-18). */
int reg_calendar_day_minutes(const reg_calendar *cal);

/* 1 if the day is worked, 0 if not, REG_E_RANGE outside the covered years. */
int reg_is_working_day(const reg_calendar *cal, int64_t day);

/* The kind of a day and, for a day listed in the file, its source note
 * (NULL for ordinary days). The note is owned by the calendar. */
int reg_calendar_day(const reg_calendar *cal, int64_t day, reg_day_kind *kind, const char **note);

/* Index primitives used by the deadline functions.
 * reg_working_days_before: how many working days lie between the first
 * covered day and the given day (exclusive); day may be one past the last
 * covered day. reg_nth_working_day: the day of working day number n,
 * counting from 0 at the start of the covered years. */
int reg_working_days_before(const reg_calendar *cal, int64_t day, int64_t *count);
int reg_nth_working_day(const reg_calendar *cal, int64_t n, int64_t *day);

#endif
