/* test_calendar.c - unit tests of the calendar, deadlines and time text.
 *
 * The Kazakhstan calendar is read from the file named by the environment
 * variable REG_CALENDAR (rules/calendar/kz.cal when it is not set, which
 * works from the top of the tree). Small calendars are built in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"
#include "deadline.h"
#include "timefmt.h"

static reg_calendar *kz;

static int load_kz(void **state)
{
    (void)state;
    const char *path = getenv("REG_CALENDAR");
    if (!path || !*path)
        path = "rules/calendar/kz.cal";
    char err[256];
    if (reg_calendar_load(path, &kz, err, sizeof err) != REG_OK) {
        fprintf(stderr, "cannot load the calendar: %s\n", err);
        return -1;
    }
    return 0;
}

static int free_kz(void **state)
{
    (void)state;
    reg_calendar_free(kz);
    kz = NULL;
    return 0;
}

/* ---- helpers ------------------------------------------------------------- */

static int64_t T(const char *s)
{
    int64_t t = 0;
    if (reg_parse_time(s, &t) != REG_OK)
        fail_msg("bad time in the test: %s", s);
    return t;
}

static int64_t D(const char *s)
{
    int64_t d = 0;
    if (reg_parse_date(s, &d) != REG_OK)
        fail_msg("bad date in the test: %s", s);
    return d;
}

/* Compares times as text so a failure shows both readable values. */
static void expect_time(int64_t got, const char *want)
{
    char buf[REG_TIME_BUFSZ];
    assert_int_equal(reg_format_time(got, buf), REG_OK);
    assert_string_equal(buf, want);
}

static void expect_step(const reg_calendar *cal, const char *start, int64_t amount, reg_unit unit,
                        const char *want)
{
    int64_t out = 0;
    assert_int_equal(reg_deadline_step(cal, T(start), amount, unit, &out), REG_OK);
    expect_time(out, want);
}

static void expect_term(const reg_calendar *cal, const char *submitted, int64_t amount,
                        reg_unit unit, const char *want)
{
    int64_t out = 0;
    assert_int_equal(reg_deadline_term(cal, T(submitted), amount, unit, &out), REG_OK);
    expect_time(out, want);
}

static void expect_working(const char *date, int want)
{
    int got = reg_is_working_day(kz, D(date));
    if (got != want)
        fail_msg("%s: working=%d, expected %d", date, got, want);
}

static void expect_kind(const char *date, reg_day_kind want)
{
    reg_day_kind kind;
    assert_int_equal(reg_calendar_day(kz, D(date), &kind, NULL), REG_OK);
    if (kind != want)
        fail_msg("%s: kind %d, expected %d", date, (int)kind, (int)want);
}

static reg_calendar *parse_ok(const char *text)
{
    reg_calendar *cal = NULL;
    char err[256];
    int rc = reg_calendar_parse("mem.cal", text, strlen(text), &cal, err, sizeof err);
    if (rc != REG_OK)
        fail_msg("calendar rejected: %s", err);
    return cal;
}

/* ---- time text ----------------------------------------------------------- */

static void test_parse_time_strict(void **state)
{
    (void)state;
    int64_t t;
    assert_int_equal(reg_parse_time("1970-01-01T00:00", &t), REG_OK);
    assert_int_equal(t, 0);
    assert_int_equal(reg_parse_time("1969-12-31T23:59", &t), REG_OK);
    assert_int_equal(t, -1);
    assert_int_equal(reg_parse_time("2026-12-11T10:00", &t), REG_OK);
    assert_int_equal(t, reg_days_from_civil(2026, 12, 11) * 1440 + 600);
    assert_int_equal(reg_parse_time("2024-02-29T23:59", &t), REG_OK);
    assert_int_equal(reg_parse_time("2000-02-29T00:00", &t), REG_OK);

    static const char *const bad[] = {
        "2026-02-30T10:00", "2025-02-29T10:00", "1900-02-29T10:00", "2026-12-11T24:00",
        "2026-12-11T10:60", "2026-12-11T10:00Z", "2026-12-11T10:00 ", "2026-12-11 10:00",
        "2026-12-11t10:00", "2026-12-1T10:00", "2026-13-01T10:00", "2026-00-10T10:00",
        "2026-12-00T10:00", "", "2026-12-11T10:0", "2026-12-11T", "+026-12-11T10:00",
        "0000-01-01T00:00", "2026-12-11T1:00", "2026/12/11T10:00", "2026-12-11T10-00",
        " 2026-12-11T10:00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        t = 42;
        if (reg_parse_time(bad[i], &t) != REG_E_PARSE)
            fail_msg("accepted bad time '%s'", bad[i]);
        assert_int_equal(t, 42);
    }
}

static void test_parse_date_strict(void **state)
{
    (void)state;
    int64_t d;
    assert_int_equal(reg_parse_date("2026-12-11", &d), REG_OK);
    assert_int_equal(d, reg_days_from_civil(2026, 12, 11));
    assert_int_equal(reg_parse_date("1970-01-01", &d), REG_OK);
    assert_int_equal(d, 0);
    static const char *const bad[] = {"2026-02-30", "2026-12-11T", "2026-12-11 ", "2026-12-1",
                                      "26-12-11",   "2026-12-11T10:00", "",    "2026-1a-11"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (reg_parse_date(bad[i], &d) != REG_E_PARSE)
            fail_msg("accepted bad date '%s'", bad[i]);
}

static void test_civil_round_trip(void **state)
{
    (void)state;
    assert_int_equal(reg_weekday(D("1970-01-01")), 3); /* Thursday */
    assert_int_equal(reg_weekday(D("2026-12-11")), 4); /* Friday */
    assert_int_equal(reg_weekday(D("1969-12-28")), 6); /* Sunday */
    char buf[REG_TIME_BUFSZ], dbuf[REG_DATE_BUFSZ];
    int64_t lo = reg_days_from_civil(1, 1, 1), hi = reg_days_from_civil(9999, 12, 31);
    for (int64_t day = lo; day <= hi; day += 101) {
        int y, m, d;
        assert_int_equal(reg_civil_from_days(day, &y, &m, &d), REG_OK);
        assert_true(reg_valid_date(y, m, d));
        assert_int_equal(reg_days_from_civil(y, m, d), day);
        int64_t t = day * 1440 + (day % 1440 + 1440) % 1440;
        assert_int_equal(reg_format_time(t, buf), REG_OK);
        int64_t back;
        assert_int_equal(reg_parse_time(buf, &back), REG_OK);
        assert_int_equal(back, t);
    }
    assert_int_equal(reg_format_date(hi, dbuf), REG_OK);
    assert_string_equal(dbuf, "9999-12-31");
    assert_int_equal(reg_format_date(hi + 1, dbuf), REG_E_ARG);
    assert_int_equal(reg_format_date(lo - 1, dbuf), REG_E_ARG);
    expect_time(-1, "1969-12-31T23:59");
}

/* ---- the Kazakhstan calendar --------------------------------------------- */

static void test_kz_years(void **state)
{
    (void)state;
    int first, last;
    reg_calendar_years(kz, &first, &last);
    assert_true(first <= 2015);
    assert_true(last >= 2026);
    assert_int_equal(reg_calendar_day_minutes(kz), 480);
    const reg_period *p;
    assert_int_equal(reg_calendar_periods(kz, &p), 2);
    assert_int_equal(p[0].start, 9 * 60);
    assert_int_equal(p[0].end, 13 * 60);
    assert_int_equal(p[1].start, 14 * 60);
    assert_int_equal(p[1].end, 18 * 60);
}

static void test_weekends(void **state)
{
    (void)state;
    expect_working("2026-12-11", 1); /* Friday */
    expect_working("2026-12-12", 0);
    expect_working("2026-12-13", 0);
    expect_working("2026-12-14", 1);
    expect_kind("2026-12-12", REG_DAY_WEEKEND);
    expect_kind("2026-12-14", REG_DAY_WORK);
}

static void test_independence_day(void **state)
{
    (void)state;
    expect_working("2026-12-16", 0); /* Wednesday, a holiday */
    expect_kind("2026-12-16", REG_DAY_HOLIDAY);
    expect_working("2026-12-17", 1); /* only 16 Dec from 2022 */
    expect_working("2019-12-17", 0); /* both days up to 2021 */
    expect_working("2021-12-01", 0); /* First President Day up to 2021 */
    expect_working("2022-12-01", 1);
    expect_working("2022-10-25", 0); /* Republic Day from 2022 */
    expect_working("2021-10-25", 1);

    const char *note = NULL;
    assert_int_equal(reg_calendar_day(kz, D("2026-12-16"), NULL, &note), REG_OK);
    assert_non_null(note);
    assert_non_null(strstr(note, "Independence Day"));
    assert_int_equal(reg_calendar_day(kz, D("2026-12-15"), NULL, &note), REG_OK);
    assert_null(note);
}

static void test_nauryz(void **state)
{
    (void)state;
    /* 2026: 21-22 March fall on the weekend, so 24 and 25 are given off. */
    expect_kind("2026-03-21", REG_DAY_HOLIDAY);
    expect_kind("2026-03-22", REG_DAY_HOLIDAY);
    expect_kind("2026-03-23", REG_DAY_HOLIDAY);
    expect_kind("2026-03-24", REG_DAY_DAYOFF);
    expect_kind("2026-03-25", REG_DAY_DAYOFF);
    expect_working("2026-03-20", 1);
    expect_working("2026-03-26", 1);
    /* 2019: 23 March is a Saturday, so Monday 25 is off. */
    expect_working("2019-03-22", 0);
    expect_working("2019-03-25", 0);
    expect_working("2019-03-26", 1);
    /* A 2-day term submitted before Nauryz 2026 ends after it. */
    expect_term(kz, "2026-03-19T15:00", 2, REG_UNIT_WD, "2026-03-26T18:00");
}

static void test_moved_days(void **state)
{
    (void)state;
    /* A Sunday worked by decree, and the Friday it gave off. */
    expect_kind("2025-01-05", REG_DAY_WORKDAY);
    expect_working("2025-01-05", 1);
    expect_kind("2025-01-03", REG_DAY_DAYOFF);
    expect_working("2025-01-03", 0);
    /* A working Saturday: 3 March 2018 for Friday 9 March. */
    expect_working("2018-03-03", 1);
    expect_working("2018-03-09", 0);
    expect_step(kz, "2018-03-02T17:00", 2, REG_UNIT_H, "2018-03-03T10:00");
    expect_term(kz, "2018-03-02T11:00", 1, REG_UNIT_WD, "2018-03-03T18:00");
    /* 2020: the day off for Victory Day was Friday 8 May, Monday 11 worked. */
    expect_working("2020-05-08", 0);
    expect_working("2020-05-11", 1);
}

static void test_religious_days_not_moved(void **state)
{
    (void)state;
    expect_kind("2023-01-07", REG_DAY_HOLIDAY); /* Saturday */
    expect_working("2023-01-09", 1);
    expect_kind("2024-06-16", REG_DAY_HOLIDAY); /* Kurban Ait on a Sunday */
    expect_working("2024-06-17", 1);
    expect_working("2026-05-27", 0); /* Kurban Ait 2026, a Wednesday */
    expect_working("2026-01-07", 0);
}

static void test_after_hours(void **state)
{
    (void)state;
    expect_step(kz, "2026-12-14T19:00", 1, REG_UNIT_H, "2026-12-15T10:00");
    expect_term(kz, "2026-12-14T19:00", 1, REG_UNIT_WD, "2026-12-15T18:00");
    expect_term(kz, "2026-12-14T19:00", 2, REG_UNIT_WD, "2026-12-17T18:00");
    /* On a weekend: the next working instant is Monday 09:00. */
    expect_step(kz, "2026-12-12T11:00", 30, REG_UNIT_M, "2026-12-14T09:30");
    expect_term(kz, "2026-12-12T11:00", 1, REG_UNIT_WD, "2026-12-14T18:00");
}

static void test_before_hours(void **state)
{
    (void)state;
    expect_step(kz, "2026-12-15T08:00", 1, REG_UNIT_H, "2026-12-15T10:00");
    expect_step(kz, "2026-12-15T08:00", 30, REG_UNIT_M, "2026-12-15T09:30");
    /* The submission day never counts, even before opening time. */
    expect_term(kz, "2026-12-15T08:00", 1, REG_UNIT_WD, "2026-12-17T18:00");
}

static void test_year_boundary(void **state)
{
    (void)state;
    /* 1-2 January are holidays and 3-4 January 2026 a weekend. */
    expect_step(kz, "2025-12-31T17:00", 2, REG_UNIT_H, "2026-01-05T10:00");
    expect_term(kz, "2025-12-31T10:00", 1, REG_UNIT_WD, "2026-01-05T18:00");
    expect_step(kz, "2025-12-31T10:00", 1, REG_UNIT_CD, "2026-01-05T18:00");
    int64_t w;
    assert_int_equal(reg_working_minutes(kz, T("2025-12-31T17:00"), T("2026-01-05T10:00"), &w), 0);
    assert_int_equal(w, 120);
}

static void test_example_term(void **state)
{
    (void)state;
    /* Friday 11 Dec 2026; Mon 14, Tue 15 work, Wed 16 is a holiday, Thu 17. */
    expect_term(kz, "2026-12-11T10:00", 3, REG_UNIT_WD, "2026-12-17T18:00");
    expect_term(kz, "2026-12-11T08:00", 3, REG_UNIT_WD, "2026-12-17T18:00");
    expect_term(kz, "2026-12-11T23:59", 3, REG_UNIT_WD, "2026-12-17T18:00");
    expect_term(kz, "2026-12-11T10:00", 1, REG_UNIT_WD, "2026-12-14T18:00");
}

static void test_step_units(void **state)
{
    (void)state;
    /* m: ten minutes before the break, twenty after it. */
    expect_step(kz, "2026-12-14T12:50", 30, REG_UNIT_M, "2026-12-14T14:20");
    /* h: across the holiday of 16 December. */
    expect_step(kz, "2026-12-15T17:00", 2, REG_UNIT_H, "2026-12-17T10:00");
    /* wd: N times 8 working hours. */
    expect_step(kz, "2026-12-11T10:00", 1, REG_UNIT_WD, "2026-12-14T10:00");
    expect_step(kz, "2026-12-11T10:00", 3, REG_UNIT_WD, "2026-12-17T10:00");
    expect_step(kz, "2026-12-14T09:00", 1, REG_UNIT_WD, "2026-12-14T18:00");
    expect_step(kz, "2026-12-11T18:00", 1, REG_UNIT_WD, "2026-12-14T18:00");
    /* cd: the close of the N-th day, moved to the next working day. */
    expect_step(kz, "2026-12-11T10:00", 1, REG_UNIT_CD, "2026-12-14T18:00");
    expect_step(kz, "2026-12-11T10:00", 2, REG_UNIT_CD, "2026-12-14T18:00");
    expect_step(kz, "2026-12-11T10:00", 3, REG_UNIT_CD, "2026-12-14T18:00");
    expect_step(kz, "2026-12-11T10:00", 4, REG_UNIT_CD, "2026-12-15T18:00");
    expect_step(kz, "2026-12-11T10:00", 5, REG_UNIT_CD, "2026-12-17T18:00");
    expect_term(kz, "2026-12-11T19:30", 5, REG_UNIT_CD, "2026-12-17T18:00");
    expect_term(kz, "2026-12-01T10:00", 15, REG_UNIT_CD, "2026-12-17T18:00");
    /* Terms in m and h are working time, as steps. */
    expect_term(kz, "2026-12-15T17:00", 2, REG_UNIT_H, "2026-12-17T10:00");
    expect_term(kz, "2026-12-14T12:50", 30, REG_UNIT_M, "2026-12-14T14:20");
}

static void test_end_of_period(void **state)
{
    (void)state;
    expect_step(kz, "2026-12-14T12:00", 60, REG_UNIT_M, "2026-12-14T13:00");
    expect_step(kz, "2026-12-14T17:00", 1, REG_UNIT_H, "2026-12-14T18:00");
    expect_step(kz, "2026-12-11T17:00", 1, REG_UNIT_H, "2026-12-11T18:00");
    expect_step(kz, "2026-12-14T09:00", 4, REG_UNIT_H, "2026-12-14T13:00");
    /* Starting in the break or at the close. */
    expect_step(kz, "2026-12-14T13:00", 60, REG_UNIT_M, "2026-12-14T15:00");
    expect_step(kz, "2026-12-14T13:30", 1, REG_UNIT_M, "2026-12-14T14:01");
    expect_step(kz, "2026-12-14T18:00", 1, REG_UNIT_M, "2026-12-15T09:01");
    expect_step(kz, "2026-12-15T18:00", 8, REG_UNIT_H, "2026-12-17T18:00");
}

static void test_working_minutes(void **state)
{
    (void)state;
    int64_t w;
    assert_int_equal(reg_working_minutes(kz, T("2026-12-11T17:00"), T("2026-12-14T10:00"), &w), 0);
    assert_int_equal(w, 120);
    assert_int_equal(reg_working_minutes(kz, T("2026-12-14T10:00"), T("2026-12-11T17:00"), &w), 0);
    assert_int_equal(w, -120);
    assert_int_equal(reg_working_minutes(kz, T("2026-12-15T17:00"), T("2026-12-17T10:00"), &w), 0);
    assert_int_equal(w, 120);
    assert_int_equal(reg_working_minutes(kz, T("2026-12-14T12:30"), T("2026-12-14T14:30"), &w), 0);
    assert_int_equal(w, 60);
    assert_int_equal(reg_working_minutes(kz, T("2026-12-12T10:00"), T("2026-12-13T10:00"), &w), 0);
    assert_int_equal(w, 0);
}

/* The calendar cut at the end of 2026 (as kz.cal was before 2027 was
 * added): every day a computation needs must be covered. */
static reg_calendar *load_cut(void)
{
    reg_calendar *cal = NULL;
    char err[256];
    if (reg_calendar_load("tests/runtime/fixture/kz-2026.cal", &cal, err, sizeof err) != REG_OK)
        fail_msg("cannot load the cut calendar: %s", err);
    return cal;
}

static void test_out_of_range(void **state)
{
    (void)state;
    int64_t out = 7;
    reg_calendar *cut = load_cut();
    assert_int_equal(reg_is_working_day(kz, D("2014-12-31")), REG_E_RANGE);
    assert_int_equal(reg_is_working_day(kz, D("2100-01-01")), REG_E_RANGE);
    assert_int_equal(reg_is_working_day(cut, D("2027-01-01")), REG_E_RANGE);
    assert_int_equal(reg_calendar_day(cut, D("2027-01-01"), NULL, NULL), REG_E_RANGE);
    assert_int_equal(reg_deadline_step(kz, T("2014-12-31T10:00"), 1, REG_UNIT_H, &out), REG_E_RANGE);
    assert_int_equal(reg_deadline_term(cut, T("2030-01-10T10:00"), 1, REG_UNIT_WD, &out), REG_E_RANGE);
    assert_int_equal(reg_deadline_term(kz, T("2099-12-30T10:00"), 5, REG_UNIT_WD, &out), REG_E_RANGE);
    /* Dec 29, 30, 31 2026 are the last working days the cut calendar covers. */
    expect_term(cut, "2026-12-28T10:00", 3, REG_UNIT_WD, "2026-12-31T18:00");
    assert_int_equal(reg_deadline_term(cut, T("2026-12-29T10:00"), 5, REG_UNIT_WD, &out), REG_E_RANGE);
    expect_step(cut, "2026-12-31T17:00", 60, REG_UNIT_M, "2026-12-31T18:00");
    assert_int_equal(reg_deadline_step(cut, T("2026-12-31T17:00"), 61, REG_UNIT_M, &out), REG_E_RANGE);
    assert_int_equal(reg_deadline_step(cut, T("2026-12-30T10:00"), 2, REG_UNIT_CD, &out), REG_E_RANGE);
    assert_int_equal(reg_deadline_step(kz, T("2026-12-30T10:00"), REG_AMOUNT_MAX + 1, REG_UNIT_M,
                                       &out),
                     REG_E_RANGE);
    assert_int_equal(reg_working_minutes(cut, T("2026-12-31T10:00"), T("2027-01-04T10:00"), &out),
                     REG_E_RANGE);
    /* The same with 2027: 1-2 Jan holidays, 3 Jan Sunday, 4 Jan given off for 2 Jan. */
    expect_term(kz, "2026-12-29T10:00", 5, REG_UNIT_WD, "2027-01-08T18:00");
    expect_step(kz, "2026-12-31T17:00", 61, REG_UNIT_M, "2027-01-05T09:01");
    reg_calendar_free(cut);
    /* Bad arguments. */
    assert_int_equal(reg_deadline_step(kz, T("2026-12-14T10:00"), 0, REG_UNIT_H, &out), REG_E_ARG);
    assert_int_equal(reg_deadline_term(kz, T("2026-12-14T10:00"), -3, REG_UNIT_WD, &out), REG_E_ARG);
    assert_int_equal(reg_deadline_step(kz, T("2026-12-14T10:00"), 1, (reg_unit)42, &out), REG_E_ARG);
    assert_int_equal(reg_deadline_term(kz, T("2026-12-14T10:00"), 1, (reg_unit)42, &out), REG_E_ARG);
    assert_int_equal(out, 7); /* untouched on every failure */

    int codes[] = {REG_OK, REG_E_RANGE, REG_E_ARG, REG_E_PARSE, REG_E_CALENDAR, REG_E_IO, REG_E_NOMEM};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(reg_strerror(codes[i]), reg_strerror(codes[j]));
    assert_non_null(strstr(reg_strerror(REG_E_RANGE), "covered years"));
}

/* ---- 2027, provisional and derived years -------------------------------- */

/* Every day of 2027 that is not an ordinary day, as the Law on holidays
 * art. 5 as amended (Constitution Day on 15 March from 2027), the weekend
 * rule and the Labour Code art. 84 p. 5 (7 January and Kurban Ait not
 * moved) give them, written from the statute, not from kz.cal. */
static void test_2027_days(void **state)
{
    (void)state;
    static const struct {
        const char *date;
        reg_day_kind kind;
    } days[] = {
        {"2027-01-01", REG_DAY_HOLIDAY}, {"2027-01-02", REG_DAY_HOLIDAY}, /* Fri, Sat */
        {"2027-01-04", REG_DAY_DAYOFF},                                   /* for Sat 2 Jan */
        {"2027-01-07", REG_DAY_HOLIDAY},                                  /* Thu, not moved */
        {"2027-03-08", REG_DAY_HOLIDAY},                                  /* Mon */
        {"2027-03-15", REG_DAY_HOLIDAY},                                  /* Constitution Day, Mon */
        {"2027-03-21", REG_DAY_HOLIDAY}, {"2027-03-22", REG_DAY_HOLIDAY}, {"2027-03-23", REG_DAY_HOLIDAY},
        {"2027-03-24", REG_DAY_DAYOFF},                                   /* for Sun 21 Mar */
        {"2027-05-01", REG_DAY_HOLIDAY}, {"2027-05-03", REG_DAY_DAYOFF},  /* Sat, then Mon */
        {"2027-05-07", REG_DAY_HOLIDAY},                                  /* Fri */
        {"2027-05-09", REG_DAY_HOLIDAY}, {"2027-05-10", REG_DAY_DAYOFF},  /* Sun, then Mon */
        {"2027-05-16", REG_DAY_HOLIDAY},                                  /* Kurban Ait, Sun, not moved */
        {"2027-07-06", REG_DAY_HOLIDAY},                                  /* Tue */
        {"2027-10-25", REG_DAY_HOLIDAY},                                  /* Mon */
        {"2027-12-16", REG_DAY_HOLIDAY},                                  /* Thu */
    };
    size_t n = sizeof days / sizeof days[0], k = 0;
    int working = 0;
    for (int64_t d = D("2027-01-01"); d <= D("2027-12-31"); d++) {
        reg_day_kind kind;
        assert_int_equal(reg_calendar_day(kz, d, &kind, NULL), REG_OK);
        working += kind == REG_DAY_WORK || kind == REG_DAY_WORKDAY;
        if (kind == REG_DAY_WORK || kind == REG_DAY_WEEKEND)
            continue;
        char date[REG_DATE_BUFSZ];
        reg_format_date(d, date);
        if (k >= n || strcmp(date, days[k].date) != 0 || kind != days[k].kind)
            fail_msg("2027: %s is of kind %d, expected %s", date, (int)kind, k < n ? days[k].date : "nothing");
        k++;
    }
    assert_int_equal(k, n);
    assert_int_equal(working, 247);
    /* 30 August is no longer a holiday, and 1 and 17 December are not. */
    expect_kind("2027-08-30", REG_DAY_WORK);
    expect_kind("2027-12-17", REG_DAY_WORK);
}

static void test_year_status(void **state)
{
    (void)state;
    reg_year_status st;
    const char *note = NULL;
    assert_int_equal(reg_calendar_year(kz, 2026, &st, &note), REG_OK);
    assert_int_equal(st, REG_YEAR_CONFIRMED);
    assert_int_equal(reg_calendar_year(kz, 2027, &st, &note), REG_OK);
    assert_true(st == REG_YEAR_PROVISIONAL || st == REG_YEAR_CONFIRMED);
    assert_int_equal(reg_calendar_year(kz, 2028, &st, &note), REG_OK);
    assert_int_equal(st, REG_YEAR_DERIVED);
    assert_non_null(strstr(note, "derived"));
    assert_int_equal(reg_calendar_year(kz, 2100, &st, &note), REG_E_RANGE);
    int first, last;
    reg_calendar_years(kz, &first, &last);
    assert_int_equal(last, 2099);
    assert_true(reg_calendar_confirmed_until(kz) >= 2026);
    assert_int_equal(reg_calendar_unconfirmed_year(kz, D("2026-01-01"), D("2026-12-31")), 0);
    assert_int_equal(reg_calendar_unconfirmed_year(kz, D("2028-01-03"), D("2026-12-01")), 
                     reg_calendar_confirmed_until(kz) + 1);
}

/* A derived year: the rules' holidays, a `moved` one on a weekend giving
 * the next ordinary working day off (after the other holidays are placed),
 * a `fixed` one not, and a day listed for the year kept. */
static void test_derived_years(void **state)
{
    (void)state;
    static const char text[] =
        "year 2026 \"listed\"\n"
        "rule holiday 01-01 moved \"New Year\"\n"
        "rule holiday 01-02 moved \"New Year\"\n"
        "rule holiday 01-07 fixed \"Orthodox Christmas\"\n"
        "rule holiday 03-15 moved from 2027 \"Constitution Day\"\n"
        "rule holiday 08-30 moved until 2025 \"old Constitution Day\"\n"
        "rule holiday 12-31 moved \"a test holiday at the year's end\"\n"
        "derive until 2028 \"derived in the test\"\n"
        "holiday 2028-05-05 \"Kurban Ait announced ahead\"\n";
    reg_calendar *cal;
    char err[256];
    assert_int_equal(reg_calendar_parse("d.cal", text, strlen(text), &cal, err, sizeof err), REG_OK);
    reg_day_kind kind;
    const char *note;
    /* 2027: 1 Jan Friday, 2 Jan Saturday -> Monday 4 Jan off. */
    assert_int_equal(reg_calendar_day(cal, D("2027-01-04"), &kind, &note), REG_OK);
    assert_int_equal(kind, REG_DAY_DAYOFF);
    assert_non_null(strstr(note, "Saturday 2027-01-02"));
    assert_int_equal(reg_is_working_day(cal, D("2027-03-15")), 0);
    assert_int_equal(reg_is_working_day(cal, D("2027-08-30")), 1);
    /* 2028: 1 Jan Saturday, 2 Jan Sunday -> Monday 3 and Tuesday 4 off;
     * 7 Jan Friday; 31 Dec 2027 Friday, nothing moved. */
    assert_int_equal(reg_calendar_day(cal, D("2028-01-03"), &kind, NULL), REG_OK);
    assert_int_equal(kind, REG_DAY_DAYOFF);
    assert_int_equal(reg_calendar_day(cal, D("2028-01-04"), &kind, NULL), REG_OK);
    assert_int_equal(kind, REG_DAY_DAYOFF);
    assert_int_equal(reg_is_working_day(cal, D("2028-01-05")), 1);
    assert_int_equal(reg_calendar_day(cal, D("2028-05-05"), &kind, &note), REG_OK);
    assert_int_equal(kind, REG_DAY_HOLIDAY);
    assert_string_equal(note, "Kurban Ait announced ahead");
    /* 31 Dec 2028 is a Sunday: its day off would fall past the end. */
    assert_int_equal(reg_calendar_day(cal, D("2028-12-31"), &kind, NULL), REG_OK);
    assert_int_equal(kind, REG_DAY_HOLIDAY);
    /* A fixed holiday on a weekend moves nothing: 7 Jan 2029 is outside,
     * so try the listed rule in 2028 via 2028-01-07 (Friday): a holiday. */
    assert_int_equal(reg_is_working_day(cal, D("2028-01-07")), 0);
    reg_year_status st;
    assert_int_equal(reg_calendar_year(cal, 2027, &st, &note), REG_OK);
    assert_int_equal(st, REG_YEAR_DERIVED);
    assert_string_equal(note, "derived in the test");
    assert_int_equal(reg_calendar_confirmed_until(cal), 2026);
    reg_calendar_free(cal);

    /* fixed: 7 Jan 2029 is a Sunday and gives no Monday off. */
    static const char fixed[] = "year 2028 \"l\"\nrule holiday 01-07 fixed \"x\"\nderive until 2029 \"d\"\n";
    assert_int_equal(reg_calendar_parse("f.cal", fixed, strlen(fixed), &cal, err, sizeof err), REG_OK);
    assert_int_equal(reg_is_working_day(cal, D("2029-01-08")), 1);
    reg_calendar_free(cal);
}

/* The rules in kz.cal give the statutory days of every listed year: each
 * listed year derived from the rules alone equals the listed one but for
 * Kurban Ait (no rule: its date is announced each year) and the days the
 * yearly act moves (a worked weekend day and the weekday given for it). */
static void test_rules_reproduce_listed_years(void **state)
{
    (void)state;
    /* The rule lines of kz.cal, read from the file itself. */
    const char *path = getenv("REG_CALENDAR");
    FILE *f = fopen(path && *path ? path : "rules/calendar/kz.cal", "r");
    assert_non_null(f);
    char *rules = calloc(1, 65536), line[1024];
    assert_non_null(rules);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "rule ", 5) == 0 && strlen(rules) + strlen(line) < 65000)
            strcat(rules, line);
    fclose(f);
    int checked = 0;
    for (int y = 2015; y <= 2027; y++) {
        char text[70000];
        snprintf(text, sizeof text, "%syear %d \"base\"\nderive until %d \"d\"\n", rules, y - 1, y);
        reg_calendar *cal;
        char err[256];
        if (reg_calendar_parse("rules.cal", text, strlen(text), &cal, err, sizeof err) != REG_OK)
            fail_msg("%s", err);
        for (int64_t d = reg_days_from_civil(y, 1, 1); d < reg_days_from_civil(y + 1, 1, 1); d++) {
            reg_day_kind listed, derived;
            const char *note = NULL;
            reg_calendar_day(kz, d, &listed, &note);
            reg_calendar_day(cal, d, &derived, NULL);
            if (listed == derived)
                continue;
            char date[REG_DATE_BUFSZ];
            reg_format_date(d, date);
            int explained = (note && strstr(note, "Kurban Ait")) || listed == REG_DAY_WORKDAY ||
                            (note && (strstr(note, "moved from") || strstr(note, "Sat worked") ||
                                      strstr(note, "Sun worked") || strstr(note, "in place of")));
            /* A day the act of that year gave back as a working day. */
            if (!explained && derived == REG_DAY_DAYOFF && listed == REG_DAY_WORK)
                explained = strcmp(date, "2020-05-11") == 0; /* 8 May given in its place (2020) */
            if (!explained && derived == REG_DAY_WORK && listed == REG_DAY_DAYOFF)
                explained = strcmp(date, "2020-05-08") == 0;
            if (!explained)
                fail_msg("%s: listed kind %d, derived kind %d (note: %s)", date, (int)listed, (int)derived,
                         note ? note : "-");
        }
        reg_calendar_free(cal);
        checked++;
    }
    free(rules);
    assert_int_equal(checked, 13);
}

/* ---- calendar files ------------------------------------------------------ */

typedef struct {
    const char *text;
    const char *message;
} bad_file;

static void test_file_errors(void **state)
{
    (void)state;
    static const bad_file cases[] = {
        {"year 2026 \"s\"\nholyday 2026-12-16 \"s\"\n", "t.cal:2: unknown directive 'holyday'"},
        {"year 2026 \"s\"\nholiday 2026-02-30 \"s\"\n",
         "t.cal:2: bad date '2026-02-30' (expected YYYY-MM-DD)"},
        {"year 2026 \"s\"\nholiday 2026-12-16\n",
         "t.cal:2: expected: holiday YYYY-MM-DD \"source note\""},
        {"year 2026 \"s\"\ndayoff \"s\" 2026-12-16\n",
         "t.cal:2: expected: dayoff YYYY-MM-DD \"source note\""},
        {"year 2026 \"s\"\nholiday 2026-12-16 \"\"\n", "t.cal:2: empty source note"},
        {"year 2026 \"s\"\nholiday 2026-12-16 \"s\" extra\n",
         "t.cal:2: unexpected 'extra' after the source note"},
        {"year 2026 \"s\"\nholiday 2026-12-16 \"s\" \"t\"\n",
         "t.cal:2: unexpected string after the source note"},
        {"year 2026 \"s\"\nholiday 2026-12-16 \"s\n", "t.cal:2: unterminated string"},
        {"year 2026 \"s\"\nholiday 2026-12-16 \"s\"x\n", "t.cal:2: missing space after a string"},
        {"year 2026 \"s\"\nholiday 2026-12-16\"s\"\n", "t.cal:2: missing space before a string"},
        {"year 2026 \"s\"\nholiday 2026-12-16 \"s\"\nholiday 2026-12-16 \"t\"\n",
         "t.cal:3: duplicate date 2026-12-16 (first at line 2)"},
        {"year 2026 \"s\"\nholiday 2026-12-16 \"s\"\nworkday 2026-12-16 \"t\"\n",
         "t.cal:3: duplicate date 2026-12-16 (first at line 2)"},
        {"year 2026 \"s\"\nholiday 2027-01-01 \"s\"\n",
         "t.cal:2: date 2027-01-01 is outside the covered years 2026-2026"},
        {"holiday 2014-12-31 \"s\"\nyear 2015 \"s\"\nyear 2016 \"s\"\n",
         "t.cal:1: date 2014-12-31 is outside the covered years 2015-2016"},
        {"year 2015 \"s\"\nyear 2017 \"s\"\n", "t.cal:2: year 2017 leaves a gap after 2015"},
        {"year 2015 \"s\"\nyear 2015 \"t\"\n", "t.cal:2: duplicate year 2015 (first at line 1)"},
        {"year 2015\n", "t.cal:1: expected: year YYYY [provisional] \"source note\""},
        {"year 2015 maybe \"s\"\n",
         "t.cal:1: unexpected 'maybe' in a year line (expected: year YYYY [provisional] \"source note\")"},
        {"year 2015 provisional\n", "t.cal:1: expected: year YYYY [provisional] \"source note\""},
        {"year 2015 provisional \"\"\n", "t.cal:1: empty source note"},
        {"year 2015 \"s\"\nrule holiday 01-01 moved\n",
         "t.cal:2: expected: rule holiday MM-DD moved|fixed [from YYYY] [until YYYY] \"source note\""},
        {"year 2015 \"s\"\nrule feast 01-01 moved \"s\"\n",
         "t.cal:2: expected: rule holiday MM-DD moved|fixed [from YYYY] [until YYYY] \"source note\""},
        {"year 2015 \"s\"\nrule holiday 02-30 moved \"s\"\n", "t.cal:2: bad day of the year '02-30' (expected MM-DD)"},
        {"year 2015 \"s\"\nrule holiday 1-1 moved \"s\"\n", "t.cal:2: bad day of the year '1-1' (expected MM-DD)"},
        {"year 2015 \"s\"\nrule holiday 01-01 shifted \"s\"\n",
         "t.cal:2: expected 'moved' or 'fixed' after the day, found 'shifted'"},
        {"year 2015 \"s\"\nrule holiday 01-01 moved from 2020 from 2021 \"s\"\n", "t.cal:2: 'from' given twice"},
        {"year 2015 \"s\"\nrule holiday 01-01 moved since 2020 \"s\"\n",
         "t.cal:2: expected: rule holiday MM-DD moved|fixed [from YYYY] [until YYYY] \"source note\""},
        {"year 2015 \"s\"\nrule holiday 01-01 moved from 20x0 \"s\"\n",
         "t.cal:2: bad year '20x0' (expected YYYY, 1900-2199)"},
        {"year 2015 \"s\"\nrule holiday 01-01 moved from 2022 until 2021 \"s\"\n",
         "t.cal:2: the rule ends (until 2021) before it starts (from 2022)"},
        {"year 2015 \"s\"\nrule holiday 01-01 moved \"s\"\nderive until 2015 \"d\"\n",
         "t.cal:3: derive until 2015: it must be after the last year line (2015)"},
        {"year 2015 \"s\"\nderive until 2016 \"d\"\n",
         "t.cal:2: derive until 2016 without any rule line: a derived year would have no holidays"},
        {"year 2015 \"s\"\nderive 2016 \"d\"\n", "t.cal:2: expected: derive until YYYY \"source note\""},
        {"year 2015 \"s\"\nderive until 2016 \"d\"\nderive until 2017 \"d\"\n",
         "t.cal:3: derive given twice (first at line 2)"},
        {"year 2015 \"s\"\nrule holiday 01-01 moved \"s\"\nderive until 2016 \"d\"\nholiday 2016-01-01 \"x\"\n"
         "holiday 2016-01-01 \"y\"\n",
         "t.cal:5: duplicate date 2016-01-01 (first at line 4)"},
        {"year 20x6 \"s\"\n", "t.cal:1: bad year '20x6' (expected YYYY)"},
        {"year 20155 \"s\"\n", "t.cal:1: bad year '20155' (expected YYYY)"},
        {"year 1800 \"s\"\n", "t.cal:1: year 1800 is outside 1900-2199"},
        {"# nothing\nhours 09:00-18:00\n",
         "t.cal: no covered years (add a line: year YYYY \"source note\")"},
        {"", "t.cal: no covered years (add a line: year YYYY \"source note\")"},
        {"year 2026 \"s\"\nhours 09:00-08:00\n",
         "t.cal:2: bad working period '09:00-08:00' (expected HH:MM-HH:MM, start before end)"},
        {"year 2026 \"s\"\nhours 9:00-18:00\n",
         "t.cal:2: bad working period '9:00-18:00' (expected HH:MM-HH:MM, start before end)"},
        {"year 2026 \"s\"\nhours 09:00-24:00\n",
         "t.cal:2: bad working period '09:00-24:00' (expected HH:MM-HH:MM, start before end)"},
        {"year 2026 \"s\"\nhours 09:00-13:00 12:00-18:00\n",
         "t.cal:2: working periods must be in time order and must not overlap"},
        {"year 2026 \"s\"\nhours\n", "t.cal:2: expected: hours HH:MM-HH:MM ..."},
        {"year 2026 \"s\"\nhours 01:00-02:00 03:00-04:00 05:00-06:00 07:00-08:00 09:00-10:00 "
         "11:00-12:00 13:00-14:00 15:00-16:00 17:00-18:00\n",
         "t.cal:2: too many working periods (at most 8)"},
        {"hours 09:00-18:00\nyear 2026 \"s\"\nhours 10:00-18:00\n",
         "t.cal:3: hours given twice (first at line 1)"},
        {"year 2026 \"s\"\nweek mon tue xyz\n",
         "t.cal:2: unknown day 'xyz' (expected mon tue wed thu fri sat sun)"},
        {"year 2026 \"s\"\nweek mon mon\n", "t.cal:2: day 'mon' listed twice"},
        {"week mon\nweek tue\n", "t.cal:2: week given twice (first at line 1)"},
        {"year 2026 \"s\"\nworkday 2026-12-16 \"s\"\n",
         "t.cal:2: workday 2026-12-16 is a working day of the week already"},
        {"year 2026 \"s\"\ndayoff 2026-12-12 \"s\"\n",
         "t.cal:2: dayoff 2026-12-12 is a day off of the week already"},
        {"year 2026 \"s\x01\"\n", "t.cal:1: unexpected control character"},
        {"\"year\" 2026 \"s\"\n", "t.cal:1: expected a directive, found a string"},
        {"a b c d e f g h i j k l m\n", "t.cal:1: too many fields"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        reg_calendar *cal = (reg_calendar *)&cal; /* must be reset to NULL */
        char err[256];
        int rc = reg_calendar_parse("t.cal", cases[i].text, strlen(cases[i].text), &cal, err,
                                    sizeof err);
        if (rc != REG_E_CALENDAR || strcmp(err, cases[i].message) != 0)
            fail_msg("case %zu: rc %d, message '%s', expected '%s'", i, rc, err, cases[i].message);
        assert_null(cal);
    }
}

static void test_file_io_errors(void **state)
{
    (void)state;
    reg_calendar *cal;
    char err[256];
    assert_int_equal(reg_calendar_load("/nonexistent/dir/x.cal", &cal, err, sizeof err), REG_E_IO);
    assert_null(cal);
    assert_non_null(strstr(err, "/nonexistent/dir/x.cal: cannot open:"));

    /* A NUL byte inside the text, a short message buffer, and no buffer. */
    static const char nul[] = "year 2026 \"s\"\nholiday 2026-12-16 \"s\0\"\n";
    assert_int_equal(reg_calendar_parse("t.cal", nul, sizeof nul - 1, &cal, err, sizeof err),
                     REG_E_CALENDAR);
    assert_string_equal(err, "t.cal:2: unexpected control character");
    char small[8];
    assert_int_equal(reg_calendar_parse("t.cal", "bogus", 5, &cal, small, sizeof small),
                     REG_E_CALENDAR);
    assert_string_equal(small, "t.cal:1");
    assert_int_equal(reg_calendar_parse("t.cal", "bogus", 5, &cal, NULL, 0), REG_E_CALENDAR);
}

static void test_file_forms(void **state)
{
    (void)state;
    /* CRLF line ends, tabs, comments after values, '#' inside a note, and
     * dated lines before their year: all accepted. */
    const char *text = "# a comment\r\n"
                       "holiday\t2026-12-16 \"Independence Day # not a comment\"  # comment\r\n"
                       "\r\n"
                       "year 2026 \"test\"#comment\r\n"
                       "workday 2026-12-12 \"a Saturday\"\r\n";
    reg_calendar *cal = parse_ok(text);
    const char *note;
    reg_day_kind kind;
    assert_int_equal(reg_calendar_day(cal, D("2026-12-16"), &kind, &note), REG_OK);
    assert_int_equal(kind, REG_DAY_HOLIDAY);
    assert_string_equal(note, "Independence Day # not a comment");
    assert_int_equal(reg_is_working_day(cal, D("2026-12-12")), 1);
    /* Defaults: 09:00-13:00 and 14:00-18:00, Monday to Friday. */
    assert_int_equal(reg_calendar_day_minutes(cal), 480);
    assert_int_equal(reg_is_working_day(cal, D("2026-12-13")), 0);
    /* Saturday 12 works here: Sat 12, Mon 14, Tue 15. */
    expect_term(cal, "2026-12-11T10:00", 3, REG_UNIT_WD, "2026-12-15T18:00");
    reg_calendar_free(cal);
    reg_calendar_free(NULL);
}

/* A six-day week with three short periods and a working Sunday. */
static const char small_cal[] = "hours 10:00-12:00 13:00-15:00 16:00-17:00\n"
                                "week mon tue wed thu fri sat\n"
                                "year 2030 \"test\"\n"
                                "year 2031 \"test\"\n"
                                "holiday 2030-01-01 \"test\"\n"
                                "workday 2030-01-06 \"a Sunday\"\n"
                                "dayoff 2030-01-08 \"a Tuesday\"\n";

static void test_small_calendar(void **state)
{
    (void)state;
    reg_calendar *cal = parse_ok(small_cal);
    assert_int_equal(reg_calendar_day_minutes(cal), 300);
    /* 30 minutes before noon, then 90 of the 13:00 period. */
    expect_step(cal, "2030-01-02T11:30", 2, REG_UNIT_H, "2030-01-02T14:30");
    expect_step(cal, "2030-01-02T14:00", 2, REG_UNIT_H, "2030-01-02T17:00");
    expect_step(cal, "2030-01-02T14:00", 3, REG_UNIT_H, "2030-01-03T11:00");
    expect_step(cal, "2030-01-02T16:30", 30, REG_UNIT_M, "2030-01-02T17:00");
    /* Saturday 5 and Sunday 6 work, Monday 7 works, Tuesday 8 is off. */
    expect_term(cal, "2030-01-04T10:00", 3, REG_UNIT_WD, "2030-01-07T17:00");
    expect_term(cal, "2030-01-04T10:00", 4, REG_UNIT_WD, "2030-01-09T17:00");
    expect_step(cal, "2030-01-04T10:00", 1, REG_UNIT_WD, "2030-01-04T17:00");
    expect_step(cal, "2030-01-04T11:00", 1, REG_UNIT_WD, "2030-01-05T11:00");
    expect_step(cal, "2030-01-06T10:00", 2, REG_UNIT_CD, "2030-01-09T17:00");
    expect_step(cal, "2030-01-31T23:00", 1, REG_UNIT_M, "2030-02-01T10:01");
    int64_t out;
    assert_int_equal(reg_deadline_step(cal, T("2029-12-31T10:00"), 1, REG_UNIT_M, &out), REG_E_RANGE);
    expect_term(cal, "2030-12-31T10:00", 1, REG_UNIT_WD, "2031-01-01T17:00");
    reg_calendar_free(cal);
}

/* ---- the index against the day-by-day reference ---------------------------- */

static uint64_t rng_state;

static uint64_t rng(void)
{
    /* xorshift64: the same sequence on every machine. */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* A random instant in and just around the covered years, often on an edge
 * of a working period. */
static int64_t random_time(const reg_calendar *cal)
{
    static const int edges[] = {0, 539, 540, 541, 779, 780, 781, 839, 840, 841, 1079, 1080, 1081, 1439};
    int first, last;
    reg_calendar_years(cal, &first, &last);
    int64_t lo = reg_days_from_civil(first, 1, 1) - 3;
    int64_t hi = reg_days_from_civil(last + 1, 1, 1) + 3;
    int64_t day = lo + (int64_t)(rng() % (uint64_t)(hi - lo));
    int minute = rng() % 2 ? edges[rng() % (sizeof edges / sizeof edges[0])] : (int)(rng() % 1440);
    return day * 1440 + minute;
}

static void cross_check(const reg_calendar *cal, int queries)
{
    static const int64_t max_amount[] = {3000, 60, 40, 40}; /* m, h, wd, cd */
    for (int q = 0; q < queries; q++) {
        int64_t t = random_time(cal);
        reg_unit unit = (reg_unit)(rng() % 4);
        int64_t amount = 1 + (int64_t)(rng() % (uint64_t)max_amount[unit]);
        int64_t a = -1, b = -1;
        int ra = reg_deadline_step(cal, t, amount, unit, &a);
        int rb = reg_deadline_step_naive(cal, t, amount, unit, &b);
        if (ra != rb || (ra == REG_OK && a != b)) {
            char ts[REG_TIME_BUFSZ];
            reg_format_time(t, ts);
            fail_msg("step %s + %lld (unit %d): index rc %d at %lld, naive rc %d at %lld", ts,
                     (long long)amount, (int)unit, ra, (long long)a, rb, (long long)b);
        }
        ra = reg_deadline_term(cal, t, amount, unit, &a);
        rb = reg_deadline_term_naive(cal, t, amount, unit, &b);
        if (ra != rb || (ra == REG_OK && a != b)) {
            char ts[REG_TIME_BUFSZ];
            reg_format_time(t, ts);
            fail_msg("term %s + %lld (unit %d): index rc %d at %lld, naive rc %d at %lld", ts,
                     (long long)amount, (int)unit, ra, (long long)a, rb, (long long)b);
        }
        int64_t u = t + (int64_t)(rng() % (30 * 1440)) - 10 * 1440;
        ra = reg_working_minutes(cal, t, u, &a);
        rb = reg_working_minutes_naive(cal, t, u, &b);
        if (ra != rb || (ra == REG_OK && a != b))
            fail_msg("minutes %lld..%lld: index rc %d = %lld, naive rc %d = %lld", (long long)t,
                     (long long)u, ra, (long long)a, rb, (long long)b);
        /* A step's deadline is exactly its amount of working time away. */
        if (unit != REG_UNIT_CD && reg_deadline_step(cal, t, amount, unit, &a) == REG_OK) {
            int64_t need = unit == REG_UNIT_M ? amount
                         : unit == REG_UNIT_H ? amount * 60
                                              : amount * reg_calendar_day_minutes(cal);
            assert_int_equal(reg_working_minutes(cal, t, a, &b), REG_OK);
            assert_int_equal(b, need);
        }
    }
}

static void test_cross_check_kz(void **state)
{
    (void)state;
    rng_state = 0x9e3779b97f4a7c15u;
    cross_check(kz, 4000);
}

static void test_cross_check_small(void **state)
{
    (void)state;
    reg_calendar *cal = parse_ok(small_cal);
    rng_state = 12345;
    cross_check(cal, 2000);
    reg_calendar_free(cal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_time_strict),
        cmocka_unit_test(test_parse_date_strict),
        cmocka_unit_test(test_civil_round_trip),
        cmocka_unit_test(test_kz_years),
        cmocka_unit_test(test_weekends),
        cmocka_unit_test(test_independence_day),
        cmocka_unit_test(test_nauryz),
        cmocka_unit_test(test_moved_days),
        cmocka_unit_test(test_religious_days_not_moved),
        cmocka_unit_test(test_after_hours),
        cmocka_unit_test(test_before_hours),
        cmocka_unit_test(test_year_boundary),
        cmocka_unit_test(test_example_term),
        cmocka_unit_test(test_step_units),
        cmocka_unit_test(test_end_of_period),
        cmocka_unit_test(test_working_minutes),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_2027_days),
        cmocka_unit_test(test_year_status),
        cmocka_unit_test(test_derived_years),
        cmocka_unit_test(test_rules_reproduce_listed_years),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_file_io_errors),
        cmocka_unit_test(test_file_forms),
        cmocka_unit_test(test_small_calendar),
        cmocka_unit_test(test_cross_check_kz),
        cmocka_unit_test(test_cross_check_small),
    };
    return cmocka_run_group_tests(tests, load_kz, free_kz);
}
