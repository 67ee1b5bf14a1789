/* test_timefmt.c - times at the edges of int64_t, as a corrupt store can
 * hand them over, and the range a store's times must lie in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "store_valid.h"
#include "timefmt.h"

/* The minute of the day for every time, the extreme ones included: under
 * UBSan (make test's sanitizer pass) an overflow aborts here. */
static void minute_of_day_at_the_extremes(void **state)
{
    (void)state;
    assert_int_equal(reg_minute_of_day(0), 0);
    assert_int_equal(reg_minute_of_day(-1), 1439);
    assert_int_equal(reg_minute_of_day(1441), 1);
    assert_int_equal(reg_minute_of_day(-1440), 0);
    /* INT64_MAX = 6405119470038038 * 1440 + 1087 */
    assert_int_equal(reg_minute_of_day(INT64_MAX), 1087);
    /* INT64_MIN + 1 = -6405119470038039 * 1440 + 353 */
    assert_int_equal(reg_minute_of_day(INT64_MIN + 1), 353);
    assert_int_equal(reg_minute_of_day(INT64_MIN), 352);
    assert_true(reg_day_of(INT64_MIN) < 0);
}

/* A time that has no date in years 1-9999 is refused by the writers. */
static void format_time_refuses_what_has_no_date(void **state)
{
    (void)state;
    char buf[REG_TIME_BUFSZ];
    assert_int_equal(reg_format_time(INT64_MIN + 1, buf), REG_E_ARG);
    assert_int_equal(reg_format_time(INT64_MAX, buf), REG_E_ARG);
    int64_t t;
    assert_int_equal(reg_parse_time("2026-12-11T10:00", &t), 0);
    assert_int_equal(reg_format_time(t, buf), 0);
    assert_string_equal(buf, "2026-12-11T10:00");
}

/* The times a store may hold: the years a calendar can cover. */
static void store_times_lie_in_the_calendar_years(void **state)
{
    (void)state;
    int64_t t;
    assert_int_equal(reg_parse_time("1900-01-01T00:00", &t), 0);
    assert_true(reg_store_time_in_range(t));
    assert_false(reg_store_time_in_range(t - 1));
    assert_int_equal(reg_parse_time("2199-12-31T23:59", &t), 0);
    assert_true(reg_store_time_in_range(t));
    assert_false(reg_store_time_in_range(t + 1));
    assert_false(reg_store_time_in_range(INT64_MIN + 1));
    assert_false(reg_store_time_in_range(INT64_MAX));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(minute_of_day_at_the_extremes),
        cmocka_unit_test(format_time_refuses_what_has_no_date),
        cmocka_unit_test(store_times_lie_in_the_calendar_years),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
