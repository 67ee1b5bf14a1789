/* region.c - the machines and the calendar of a region binary, and working
 * time as text: what every command of the binary shares (run.h). */
#include <stdio.h>
#include <string.h>

#include "run.h"
#include "version.h"

const reg_machine *reg_region_machine(const reg_region *r, const char *service)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->machines[i]->id, service) == 0)
            return r->machines[i];
    return NULL;
}

const reg_machine *reg_region_case_machine(const reg_region *r, const char *service, const char *version,
                                           const char *fingerprint, char *why, size_t whylen)
{
    return reg_version_pinned(r->machines, r->count, service, version, fingerprint, why, whylen);
}

reg_calendar *reg_region_calendar(const reg_region *r)
{
    reg_calendar *cal = NULL;
    char err[512];
    if (reg_calendar_load(r->calendar_path, &cal, err, sizeof err) != 0) {
        fprintf(stderr, "%s: cannot load the calendar: %s\n", r->region, err);
        fputs("hint: give its path with --calendar FILE or REG_CALENDAR\n", stderr);
        return NULL;
    }
    return cal;
}

void reg_working_text(const reg_calendar *cal, int64_t minutes, char *buf, size_t len)
{
    const char *sign = minutes < 0 ? "-" : "";
    int64_t m = minutes < 0 ? -minutes : minutes;
    int64_t day = reg_calendar_day_minutes(cal);
    int64_t d = day > 0 ? m / day : 0;
    m -= d * day;
    if (d > 0)
        snprintf(buf, len, "%s%lldwd %lldh%02lldm", sign, (long long)d, (long long)(m / 60), (long long)(m % 60));
    else if (m >= 60)
        snprintf(buf, len, "%s%lldh%02lldm", sign, (long long)(m / 60), (long long)(m % 60));
    else
        snprintf(buf, len, "%s%lldm", sign, (long long)m);
}

