/* store_valid.c - checks on the rows read back from the case store
 * (store_valid.h). */
#include "store_valid.h"

#include <inttypes.h>

#include "calendar.h"
#include "engine.h"
#include "timefmt.h"

int reg_store_time_in_range(int64_t t)
{
    int64_t first = reg_days_from_civil(REG_YEAR_MIN, 1, 1) * REG_MINUTES_PER_DAY;
    int64_t end = reg_days_from_civil(REG_YEAR_MAX + 1, 1, 1) * REG_MINUTES_PER_DAY;
    return t >= first && t < end;
}

/* A time column: `optional` ones may hold no time. */
static int check_time(reg_store *s, const char *table, const char *key, const char *id, const char *column,
                      int64_t t, int optional)
{
    if ((optional && t == REG_NO_TIME) || reg_store_time_in_range(t))
        return 0;
    reg_store_set_error(s,
                        "the store is corrupt: %s.%s of %s `%s` is %" PRId64 ", not a time of the years %d-%d "
                        "that this program writes; restore the store from a backup",
                        table, column, key, id, t, REG_YEAR_MIN, REG_YEAR_MAX);
    return REG_E_STORE;
}

int reg_store_check_case(reg_store *s, const reg_case_row *c)
{
    const char *id = c->case_id;
    if (check_time(s, "cases", "case", id, "submitted", c->submitted, 0) ||
        check_time(s, "cases", "case", id, "last_event", c->last_event, 0) ||
        check_time(s, "cases", "case", id, "step_start", c->step_start, 1) ||
        check_time(s, "cases", "case", id, "step_deadline", c->step_deadline, 1) ||
        check_time(s, "cases", "case", id, "term_deadline", c->term_deadline, 1))
        return REG_E_STORE;
    return 0;
}

int reg_store_check_event(reg_store *s, const reg_event_row *e)
{
    const char *id = e->event_id;
    if (check_time(s, "journal", "event", id, "at", e->at, 0) ||
        check_time(s, "journal", "event", id, "step_deadline", e->step_deadline, 1) ||
        check_time(s, "journal", "event", id, "term_deadline", e->term_deadline, 1))
        return REG_E_STORE;
    return 0;
}
