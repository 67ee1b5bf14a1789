/* calendar_check.c - `regc check` on the working-day calendar
 * (calendar_check.h). The calendar is read by the runtime's reader, the
 * same code the region binaries use, so check accepts exactly the files
 * they accept. */
#include "calendar_check.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "calendar_horizon.h"

#define DEFAULT_CALENDAR "rules/calendar/kz.cal"

const char *calendar_check_path(const char *given)
{
    if (given)
        return given;
    const char *env = getenv("REG_CALENDAR");
    if (env && *env)
        return env;
    return access(DEFAULT_CALENDAR, R_OK) == 0 ? DEFAULT_CALENDAR : NULL;
}

int calendar_check(const char *path, FILE *out, int *warnings)
{
    reg_calendar *cal = NULL;
    char msg[600];
    *warnings = 0;
    if (reg_calendar_load(path, &cal, msg, sizeof msg) != 0) {
        /* The reader says "path:line: message" or "path: message". */
        const char *rest = strncmp(msg, path, strlen(path)) == 0 ? msg + strlen(path) : msg;
        int line = 0, used = 0;
        if (sscanf(rest, ":%d: %n", &line, &used) == 1 && used > 0)
            fprintf(out, "%s:%d: error: %s\n", path, line, rest + used);
        else
            fprintf(out, "%s: error: %s\n", path, rest[0] == ':' ? rest + 2 : rest);
        fprintf(out, "   = hint: the format is in docs/semantics.md, section 2.1\n");
        return 1;
    }
    if (reg_calendar_horizon(cal, reg_today(), REG_HORIZON_DAYS, msg, sizeof msg)) {
        /* The message starts with the path. */
        const char *rest = msg + strlen(reg_calendar_name(cal));
        fprintf(out, "%s: warning: %s\n", path, rest[0] == ':' ? rest + 2 : rest);
        *warnings = 1;
    }
    reg_calendar_free(cal);
    return 0;
}
