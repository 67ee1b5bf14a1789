/* calendar_check.h - `regc check` on the working-day calendar: the file
 * loads (the runtime's own reader decides), and it does not end soon. */
#ifndef REGC_CALENDAR_CHECK_H
#define REGC_CALENDAR_CHECK_H

#include <stdbool.h>
#include <stdio.h>

/* The calendar to check: the --calendar argument, else $REG_CALENDAR, else
 * rules/calendar/kz.cal when it exists here; NULL for none. */
const char *calendar_check_path(const char *given);

/* Loads the calendar at path and reports on out: an error ("path:line:
 * error: ...") when it does not load, a warning when its covered or
 * confirmed years end within 60 days of today ($REG_TODAY for tests).
 * Returns the number of errors (0 or 1); *warnings gets the warnings. */
int calendar_check(const char *path, FILE *out, int *warnings);

#endif
