/* timefmt.c - local times and dates, and their text form. */
#include "timefmt.h"

#include "reg_error.h"

static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/* Days before the first of each month in a common year. */
static const int days_before_month[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Leap years among 1..y-1, for y >= 1. */
static int64_t leaps_before(int64_t y)
{
    int64_t p = y - 1;
    return p / 4 - p / 100 + p / 400;
}

/* Day number of 1 January of year y (y >= 1). */
static int64_t days_before_year(int64_t y)
{
    return 365 * (y - 1970) + leaps_before(y) - leaps_before(1970);
}

int64_t reg_day_of(int64_t t)
{
    int64_t q = t / REG_MINUTES_PER_DAY;
    if (t % REG_MINUTES_PER_DAY < 0)
        q--; /* round toward minus infinity for times before 1970 */
    return q;
}

int reg_minute_of_day(int64_t t)
{
    /* The remainder, not t - day * 1440: that product overflows for the
     * times farthest from 1970. */
    int64_t r = t % REG_MINUTES_PER_DAY;
    return (int)(r < 0 ? r + REG_MINUTES_PER_DAY : r);
}

int reg_valid_date(int y, int m, int d)
{
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return 0;
    int len = month_days[m - 1] + (m == 2 && is_leap(y));
    return d <= len;
}

int64_t reg_days_from_civil(int y, int m, int d)
{
    return days_before_year(y) + days_before_month[m - 1] + (m > 2 && is_leap(y)) + (d - 1);
}

int reg_civil_from_days(int64_t day, int *y, int *m, int *d)
{
    if (day < days_before_year(1) || day >= days_before_year(10000))
        return REG_E_ARG;
    /* 146097 days make 400 years: the estimate is off by at most one year. */
    int64_t n = day * 400, q = n / 146097;
    if (n % 146097 < 0)
        q--;
    int64_t year = 1970 + q;
    if (year < 1)
        year = 1;
    while (days_before_year(year) > day)
        year--;
    while (days_before_year(year + 1) <= day)
        year++;
    int rest = (int)(day - days_before_year(year));
    int month = 0;
    for (;;) {
        int len = month_days[month] + (month == 1 && is_leap(year));
        if (rest < len)
            break;
        rest -= len;
        month++;
    }
    *y = (int)year;
    *m = month + 1;
    *d = rest + 1;
    return REG_OK;
}

int reg_weekday(int64_t day)
{
    /* 1970-01-01 was a Thursday (3 counting from Monday). */
    int64_t w = (day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* Reads n decimal digits at s; -1 if any is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Parses "YYYY-MM-DD" at the start of s; a shorter string is refused
 * before any byte past its end is read. */
static int parse_date_prefix(const char *s, int64_t *day)
{
    for (int i = 0; i < 10; i++)
        if (s[i] == '\0')
            return REG_E_PARSE;
    if (s[4] != '-' || s[7] != '-')
        return REG_E_PARSE;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0 || !reg_valid_date(y, m, d))
        return REG_E_PARSE;
    *day = reg_days_from_civil(y, m, d);
    return REG_OK;
}

int reg_parse_date(const char *s, int64_t *day)
{
    int64_t v;
    if (parse_date_prefix(s, &v) != REG_OK || s[10] != '\0')
        return REG_E_PARSE;
    *day = v;
    return REG_OK;
}

int reg_parse_time(const char *s, int64_t *t)
{
    int64_t day;
    if (parse_date_prefix(s, &day) != REG_OK)
        return REG_E_PARSE;
    const char *c = s + 10;
    for (int i = 0; i < 6; i++)
        if (c[i] == '\0')
            return REG_E_PARSE;
    if (c[0] != 'T' || c[3] != ':' || c[6] != '\0')
        return REG_E_PARSE;
    int hh = digits(c + 1, 2), mm = digits(c + 4, 2);
    if (hh < 0 || mm < 0 || hh > 23 || mm > 59)
        return REG_E_PARSE;
    *t = day * REG_MINUTES_PER_DAY + hh * 60 + mm;
    return REG_OK;
}

/* Writes v as exactly n decimal digits (v fits, the callers check). */
static void put_digits(char *out, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

int reg_format_date(int64_t day, char buf[REG_DATE_BUFSZ])
{
    int y, m, d;
    if (reg_civil_from_days(day, &y, &m, &d) != REG_OK)
        return REG_E_ARG;
    put_digits(buf, y, 4);
    buf[4] = '-';
    put_digits(buf + 5, m, 2);
    buf[7] = '-';
    put_digits(buf + 8, d, 2);
    buf[10] = '\0';
    return REG_OK;
}

int reg_format_time(int64_t t, char buf[REG_TIME_BUFSZ])
{
    int min = reg_minute_of_day(t);
    if (reg_format_date(reg_day_of(t), buf) != REG_OK)
        return REG_E_ARG;
    buf[10] = 'T';
    put_digits(buf + 11, min / 60, 2);
    buf[13] = ':';
    put_digits(buf + 14, min % 60, 2);
    buf[16] = '\0';
    return REG_OK;
}
