/* fuzz_calendar.c - libFuzzer harness for the calendar reader of the
 * runtime: any bytes as the text of a calendar file (reg_calendar_parse).
 * It must load the text or refuse it with a message naming the file, never
 * crash, leak or read out of bounds (ASan and UBSan are on; the text is
 * handed over without a terminating NUL, as a file's bytes are). A calendar
 * it loads must answer every query about its own years consistently;
 * docs/robustness.md lists the properties. A violated one aborts with the
 * day it failed on. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void violated(const char *what, int64_t day)
{
    char date[REG_DATE_BUFSZ] = "?";
    reg_format_date(day, date);
    fprintf(stderr, "fuzz_calendar: %s (day %lld, %s)\n", what, (long long)day, date);
    abort();
}

static void check_calendar(const reg_calendar *cal)
{
    int first, last;
    reg_calendar_years(cal, &first, &last);
    if (first > last || first < REG_YEAR_MIN || last > REG_YEAR_MAX)
        violated("the covered years are out of order or out of bounds", 0);
    for (int y = first; y <= last; y++) {
        reg_year_status status;
        const char *note;
        if (reg_calendar_year(cal, y, &status, &note) != REG_OK)
            violated("a covered year has no status", reg_days_from_civil(y, 1, 1));
    }
    int64_t start = reg_days_from_civil(first, 1, 1), end = reg_days_from_civil(last + 1, 1, 1);
    if (reg_is_working_day(cal, start - 1) != REG_E_RANGE || reg_is_working_day(cal, end) != REG_E_RANGE)
        violated("a day outside the covered years is not REG_E_RANGE", start - 1);
    int64_t before;
    if (reg_working_days_before(cal, start, &before) != REG_OK || before != 0)
        violated("working days before the first day are not 0", start);
    for (int64_t d = start; d < end; d++) {
        reg_day_kind kind;
        const char *note;
        if (reg_calendar_day(cal, d, &kind, &note) != REG_OK)
            violated("a covered day has no kind", d);
        int worked = reg_is_working_day(cal, d);
        if (worked != (kind == REG_DAY_WORK || kind == REG_DAY_WORKDAY))
            violated("the kind of a day and whether it is worked disagree", d);
        int64_t after;
        if (reg_working_days_before(cal, d + 1, &after) != REG_OK || after != before + worked)
            violated("the count of working days does not grow by the day", d);
        if (worked) {
            int64_t nth;
            if (reg_nth_working_day(cal, before, &nth) != REG_OK || nth != d)
                violated("working day number n is not the day counted as n", d);
        }
        before = after;
    }
    const reg_period *periods;
    int n = reg_calendar_periods(cal, &periods), sum = 0, prev_end = 0;
    if (n < 1 || n > REG_MAX_PERIODS)
        violated("the number of working periods is out of bounds", start);
    for (int i = 0; i < n; i++) {
        if (periods[i].start < prev_end || periods[i].start >= periods[i].end || periods[i].end > 24 * 60)
            violated("the working periods are out of order or outside the day", start);
        sum += periods[i].end - periods[i].start;
        prev_end = periods[i].end;
    }
    if (sum != reg_calendar_day_minutes(cal))
        violated("the working periods do not add up to the working day", start);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The text is not NUL-terminated: a read past its end is a finding. */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    reg_calendar *cal = NULL;
    char err[512];
    int rc = reg_calendar_parse("fuzz.cal", text, size, &cal, err, sizeof err);
    free(text);
    if (rc != REG_OK) {
        if (cal)
            abort(); /* a refused calendar is not handed out */
        if (rc != REG_E_NOMEM && strncmp(err, "fuzz.cal", strlen("fuzz.cal")) != 0) {
            fprintf(stderr, "fuzz_calendar: a refusal without the file's name: `%s`\n", err);
            abort();
        }
        return 0;
    }
    check_calendar(cal);
    reg_calendar_free(cal);
    return 0;
}
