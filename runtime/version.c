/* version.c - picking the wording of a service (version.h). */
#include "version.h"

#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "timefmt.h"

const char *reg_machine_service(const reg_machine *m) { return m->service ? m->service : m->id; }

/* The first day of a machine's window, or a day before every other. */
static int64_t first_day(const reg_machine *m)
{
    int64_t d;
    return m->valid_from && reg_parse_date(m->valid_from, &d) == 0 ? d : INT64_MIN;
}

const reg_machine *reg_version_at(const reg_machine *const *ms, size_t n, const char *service, int64_t day)
{
    const reg_machine *in_force = NULL, *before = NULL, *any = NULL;
    for (size_t i = 0; i < n; i++) {
        const reg_machine *m = ms[i];
        if (strcmp(reg_machine_service(m), service) != 0)
            continue;
        if (!any || first_day(m) < first_day(any))
            any = m;
        if (reg_machine_in_force(m, day) && (!in_force || first_day(m) < first_day(in_force)))
            in_force = m;
        if (first_day(m) <= day && (!before || first_day(m) > first_day(before)))
            before = m;
    }
    return in_force ? in_force : before ? before : any;
}

const reg_machine *reg_version_pinned(const reg_machine *const *ms, size_t n, const char *service,
                                      const char *version, const char *fingerprint, char *why, size_t whylen)
{
    const char *id = version && *version ? version : service;
    const reg_machine *same_id = NULL;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ms[i]->id, id) != 0)
            continue;
        if (!fingerprint || !*fingerprint || (ms[i]->fingerprint && strcmp(ms[i]->fingerprint, fingerprint) == 0))
            return ms[i];
        same_id = ms[i];
    }
    if (why && whylen) {
        int k = snprintf(why, whylen, "the case is pinned to version `%s` of `%s` (fingerprint %s), which this binary "
                         "does not have", id, service, fingerprint && *fingerprint ? fingerprint : "not recorded");
        if (same_id && k > 0 && (size_t)k < whylen)
            k += snprintf(why + k, whylen - (size_t)k, ": its `%s` has fingerprint %s, a wording edited in place",
                          id, same_id->fingerprint ? same_id->fingerprint : "none");
        else if (k > 0 && (size_t)k < whylen) {
            k += snprintf(why + k, whylen - (size_t)k, "; it has");
            int found = 0;
            for (size_t i = 0; i < n && k > 0 && (size_t)k < whylen; i++)
                if (strcmp(reg_machine_service(ms[i]), service) == 0)
                    k += snprintf(why + k, whylen - (size_t)k, "%s `%s` (%s)", found++ ? "," : "", ms[i]->id,
                                  ms[i]->fingerprint ? ms[i]->fingerprint : "none");
            if (!found && k > 0 && (size_t)k < whylen)
                snprintf(why + k, whylen - (size_t)k, " no version of it");
        }
    }
    return NULL;
}

const reg_machine *reg_version_gap_at(const reg_machine *const *ms, size_t n, const char *service, int64_t day)
{
    const reg_machine *next = NULL;
    for (size_t i = 0; i < n; i++) {
        const reg_machine *m = ms[i];
        if (strcmp(reg_machine_service(m), service) != 0)
            continue;
        if (reg_machine_in_force(m, day))
            return NULL;
        if (first_day(m) > day && (!next || first_day(m) < first_day(next)))
            next = m;
    }
    return next && next->gap_reason ? next : NULL;
}
