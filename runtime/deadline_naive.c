/* deadline_naive.c - reference deadlines that walk the calendar day by day.
 *
 * These follow the rules of deadline.h in the most direct way: visit each
 * day from the start, ask whether it is worked, and consume its working
 * periods. They use no index beyond reg_is_working_day, so agreement with
 * deadline.c is a real check of the index arithmetic. Their cost grows with
 * the length of the deadline; they are for tests and benchmarks only. */
#include "deadline.h"

#include "timefmt.h"

/* Walks working periods from `start` until `need` minutes are consumed. */
static int walk_minutes(const reg_calendar *cal, int64_t start, int64_t need, int64_t *out)
{
    const reg_period *p;
    int n = reg_calendar_periods(cal, &p);
    int64_t day = reg_day_of(start);
    int from = reg_minute_of_day(start);
    for (;; day++, from = 0) {
        int working = reg_is_working_day(cal, day);
        if (working < 0)
            return working;
        if (!working)
            continue;
        for (int i = 0; i < n; i++) {
            int lo = from > p[i].start ? from : p[i].start;
            if (lo >= p[i].end)
                continue;
            if (need <= p[i].end - lo) {
                *out = day * REG_MINUTES_PER_DAY + lo + need;
                return REG_OK;
            }
            need -= p[i].end - lo;
        }
    }
}

static int64_t close_naive(const reg_calendar *cal, int64_t day)
{
    const reg_period *p;
    int n = reg_calendar_periods(cal, &p);
    return day * REG_MINUTES_PER_DAY + p[n - 1].end;
}

static int calendar_days_naive(const reg_calendar *cal, int64_t day, int64_t amount, int64_t *out)
{
    int rc = reg_is_working_day(cal, day);
    if (rc < 0)
        return rc;
    for (day += amount; (rc = reg_is_working_day(cal, day)) == 0; day++)
        ;
    if (rc < 0)
        return rc;
    *out = close_naive(cal, day);
    return REG_OK;
}

int reg_deadline_step_naive(const reg_calendar *cal, int64_t start, int64_t amount, reg_unit unit,
                            int64_t *out)
{
    if (amount < 1)
        return REG_E_ARG;
    if (amount > REG_AMOUNT_MAX)
        return REG_E_RANGE;
    switch (unit) {
    case REG_UNIT_M: return walk_minutes(cal, start, amount, out);
    case REG_UNIT_H: return walk_minutes(cal, start, amount * 60, out);
    case REG_UNIT_WD: return walk_minutes(cal, start, amount * reg_calendar_day_minutes(cal), out);
    case REG_UNIT_CD: return calendar_days_naive(cal, reg_day_of(start), amount, out);
    }
    return REG_E_ARG;
}

int reg_deadline_term_naive(const reg_calendar *cal, int64_t submitted, int64_t amount,
                            reg_unit unit, int64_t *out)
{
    if (amount < 1 || (unsigned)unit > REG_UNIT_CD)
        return REG_E_ARG;
    if (amount > REG_AMOUNT_MAX)
        return REG_E_RANGE;
    if (unit != REG_UNIT_WD)
        return reg_deadline_step_naive(cal, submitted, amount, unit, out);
    int64_t day = reg_day_of(submitted);
    int rc = reg_is_working_day(cal, day);
    if (rc < 0)
        return rc;
    for (int64_t counted = 0;;) {
        rc = reg_is_working_day(cal, ++day);
        if (rc < 0)
            return rc;
        if (rc && ++counted == amount)
            break;
    }
    *out = close_naive(cal, day);
    return REG_OK;
}

int reg_working_minutes_naive(const reg_calendar *cal, int64_t from, int64_t to, int64_t *out)
{
    int rc;
    if ((rc = reg_is_working_day(cal, reg_day_of(from))) < 0 ||
        (rc = reg_is_working_day(cal, reg_day_of(to))) < 0)
        return rc;
    int sign = 1;
    if (to < from) {
        int64_t t = from;
        from = to;
        to = t;
        sign = -1;
    }
    const reg_period *p;
    int n = reg_calendar_periods(cal, &p);
    int64_t sum = 0;
    for (int64_t day = reg_day_of(from); day <= reg_day_of(to); day++) {
        if (reg_is_working_day(cal, day) != 1)
            continue;
        for (int i = 0; i < n; i++) {
            int64_t lo = day * REG_MINUTES_PER_DAY + p[i].start;
            int64_t hi = day * REG_MINUTES_PER_DAY + p[i].end;
            if (lo < from)
                lo = from;
            if (hi > to)
                hi = to;
            if (hi > lo)
                sum += hi - lo;
        }
    }
    *out = sign * sum;
    return REG_OK;
}
