/* calendar_cmd.c - `calendar YEAR [--json]` of a region binary: the days
 * off and worked weekend days of one year, with their source notes and the
 * year's status, as the deadlines of this binary see them. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "run.h"
#include "timefmt.h"

static const char *const kind_names[] = {"work", "weekend", "holiday", "dayoff", "workday"};
static const char *const status_names[] = {"confirmed", "provisional", "derived"};
static const char *const weekday_names[7] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                             "Friday", "Saturday", "Sunday"};

int reg_cmd_calendar(const reg_region *rg, int argc, char **argv)
{
    const char *year_text = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (!year_text && argv[i][0] != '-')
            year_text = argv[i];
        else {
            year_text = NULL;
            break;
        }
    }
    int year = 0;
    for (const char *p = year_text; p && *p && year >= 0; p++)
        year = *p >= '0' && *p <= '9' && year < 100000 ? year * 10 + (*p - '0') : -1;
    if (!year_text || year <= 0) {
        fprintf(stderr, "usage: %s calendar YEAR [--json]\n", rg->region);
        return 2;
    }
    reg_calendar *cal = reg_region_calendar(rg);
    if (!cal)
        return 3;
    reg_year_status status;
    const char *note = NULL;
    if (reg_calendar_year(cal, year, &status, &note) != 0) {
        int first, last;
        reg_calendar_years(cal, &first, &last);
        fprintf(stderr, "%s calendar: %s covers %d-%d, not %d\n", rg->region, reg_calendar_name(cal), first, last,
                year);
        fprintf(stderr, "hint: add year %d to it (docs/semantics.md, \"Adding a year\")\n", year);
        reg_calendar_free(cal);
        return 1;
    }
    int64_t first_day = reg_days_from_civil(year, 1, 1), end = reg_days_from_civil(year + 1, 1, 1);
    int working = 0;
    for (int64_t d = first_day; d < end; d++)
        working += reg_is_working_day(cal, d) == 1;
    cJSON *root = NULL, *days = NULL;
    if (json) {
        root = cJSON_CreateObject();
        cJSON_AddNumberToObject(root, "year", year);
        cJSON_AddStringToObject(root, "calendar", reg_calendar_name(cal));
        cJSON_AddStringToObject(root, "status", status_names[status]);
        cJSON_AddStringToObject(root, "note", note ? note : "");
        cJSON_AddNumberToObject(root, "working_days", working);
        days = cJSON_AddArrayToObject(root, "days");
    } else {
        printf("%d in %s: %s, %d working days\n  %s\n\n", year, reg_calendar_name(cal), status_names[status], working,
               note ? note : "");
    }
    for (int64_t d = first_day; d < end; d++) {
        reg_day_kind kind;
        const char *day_note = NULL;
        reg_calendar_day(cal, d, &kind, &day_note);
        if (kind == REG_DAY_WORK || (kind == REG_DAY_WEEKEND && !day_note))
            continue;
        char date[REG_DATE_BUFSZ];
        reg_format_date(d, date);
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "date", date);
            cJSON_AddStringToObject(o, "weekday", weekday_names[reg_weekday(d)]);
            cJSON_AddStringToObject(o, "kind", kind_names[kind]);
            cJSON_AddStringToObject(o, "note", day_note ? day_note : "");
            cJSON_AddItemToArray(days, o);
        } else {
            printf("  %s %-9s %-8s %s\n", date, weekday_names[reg_weekday(d)], kind_names[kind],
                   day_note ? day_note : "");
        }
    }
    if (json) {
        char *s = cJSON_PrintUnformatted(root);
        if (s)
            puts(s);
        free(s);
        cJSON_Delete(root);
    }
    reg_calendar_free(cal);
    return 0;
}
