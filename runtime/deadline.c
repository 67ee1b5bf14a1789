/* deadline.c - deadlines from the calendar's day index.
 *
 * Working time is measured on one line: W(t) is the number of working
 * minutes from the start of the covered years to the instant t. W is flat
 * outside working hours, so "N working minutes after s" is the earliest
 * instant t with W(t) = W(s) + N; taking the earliest is what makes a
 * deadline on the end of a period read 13:00 or 18:00 rather than the next
 * start. Both directions take constant time: every working day has the same
 * periods, so the minutes before a day are its working-day count times the
 * day's length, and the index maps a working-day number back to its day. */
#include "deadline.h"

#include "timefmt.h"

/* Working minutes of a working day that lie before the given minute. */
static int64_t worked_in_day(const reg_calendar *cal, int minute)
{
    const reg_period *p;
    int n = reg_calendar_periods(cal, &p);
    int64_t w = 0;
    for (int i = 0; i < n && minute > p[i].start; i++)
        w += (minute < p[i].end ? minute : p[i].end) - p[i].start;
    return w;
}

/* W(t); REG_E_RANGE when t's day is not covered. */
static int working_position(const reg_calendar *cal, int64_t t, int64_t *w)
{
    int64_t day = reg_day_of(t), before;
    int working = reg_is_working_day(cal, day);
    if (working < 0)
        return working;
    reg_working_days_before(cal, day, &before);
    *w = before * reg_calendar_day_minutes(cal);
    if (working)
        *w += worked_in_day(cal, reg_minute_of_day(t));
    return REG_OK;
}

/* The earliest instant t with W(t) = w, for w >= 1. */
static int instant_at(const reg_calendar *cal, int64_t w, int64_t *out)
{
    const reg_period *p;
    reg_calendar_periods(cal, &p);
    int64_t len = reg_calendar_day_minutes(cal);
    int64_t k = (w - 1) / len; /* the working day in which minute w is worked */
    int64_t r = w - k * len;   /* 1..len minutes into that day's working time */
    int64_t day;
    int rc = reg_nth_working_day(cal, k, &day);
    if (rc)
        return rc;
    int i = 0;
    while (r > p[i].end - p[i].start) {
        r -= p[i].end - p[i].start;
        i++;
    }
    *out = day * REG_MINUTES_PER_DAY + p[i].start + r;
    return REG_OK;
}

/* The close of the last working period on a day. */
static int64_t close_of(const reg_calendar *cal, int64_t day)
{
    const reg_period *p;
    int n = reg_calendar_periods(cal, &p);
    return day * REG_MINUTES_PER_DAY + p[n - 1].end;
}

/* Working time: the instant `minutes` working minutes after start. */
static int after_working_minutes(const reg_calendar *cal, int64_t start, int64_t minutes,
                                 int64_t *out)
{
    int64_t w;
    int rc = working_position(cal, start, &w);
    return rc ? rc : instant_at(cal, w + minutes, out);
}

/* The close of the N-th calendar day after `day`, or of the first working
 * day after it when that day is not worked. */
static int after_calendar_days(const reg_calendar *cal, int64_t day, int64_t amount, int64_t *out)
{
    int64_t n, end;
    int rc = reg_is_working_day(cal, day);
    if (rc < 0)
        return rc;
    if ((rc = reg_working_days_before(cal, day + amount, &n)) != REG_OK ||
        (rc = reg_nth_working_day(cal, n, &end)) != REG_OK)
        return rc;
    *out = close_of(cal, end);
    return REG_OK;
}

int reg_deadline_step(const reg_calendar *cal, int64_t start, int64_t amount, reg_unit unit,
                      int64_t *out)
{
    if (amount < 1)
        return REG_E_ARG;
    if (amount > REG_AMOUNT_MAX)
        return REG_E_RANGE;
    switch (unit) {
    case REG_UNIT_M: return after_working_minutes(cal, start, amount, out);
    case REG_UNIT_H: return after_working_minutes(cal, start, amount * 60, out);
    case REG_UNIT_WD:
        return after_working_minutes(cal, start, amount * reg_calendar_day_minutes(cal), out);
    case REG_UNIT_CD: return after_calendar_days(cal, reg_day_of(start), amount, out);
    }
    return REG_E_ARG;
}

int reg_deadline_term(const reg_calendar *cal, int64_t submitted, int64_t amount, reg_unit unit,
                      int64_t *out)
{
    if (amount < 1 || (unsigned)unit > REG_UNIT_CD)
        return REG_E_ARG;
    if (amount > REG_AMOUNT_MAX)
        return REG_E_RANGE;
    if (unit != REG_UNIT_WD)
        return reg_deadline_step(cal, submitted, amount, unit, out);

    int64_t day = reg_day_of(submitted), n, end;
    int rc = reg_is_working_day(cal, day);
    if (rc < 0)
        return rc;
    /* Working days before the day after submission: the first one counted. */
    if ((rc = reg_working_days_before(cal, day + 1, &n)) != REG_OK ||
        (rc = reg_nth_working_day(cal, n + amount - 1, &end)) != REG_OK)
        return rc;
    *out = close_of(cal, end);
    return REG_OK;
}

int reg_working_minutes(const reg_calendar *cal, int64_t from, int64_t to, int64_t *out)
{
    int64_t a, b;
    int rc = working_position(cal, from, &a);
    if (rc == REG_OK)
        rc = working_position(cal, to, &b);
    if (rc == REG_OK)
        *out = b - a;
    return rc;
}
