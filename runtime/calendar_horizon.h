/* calendar_horizon.h - warning ahead of the calendar's end.
 *
 * `regc check`, `make` and the region binary's `run` warn when the
 * calendar's covered years, or its confirmed ones, end soon after the day
 * they run on (or after the latest event they applied), so that the people
 * who keep the calendar add the next year before deadlines become unknown
 * or provisional. */
#ifndef REG_CALENDAR_HORIZON_H
#define REG_CALENDAR_HORIZON_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

/* Days ahead of the end at which the warning starts. */
#define REG_HORIZON_DAYS 60

/* When the covered years, or the confirmed ones, end within `days` days
 * after `day`, writes a warning that names the file and the year to add and
 * returns 1; returns 0 otherwise. */
int reg_calendar_horizon(const reg_calendar *cal, int64_t day, int days, char *buf, size_t len);

/* Today's date (local time), or the date in $REG_TODAY (YYYY-MM-DD), which
 * tests use to run on a given day. */
int64_t reg_today(void);

#endif
