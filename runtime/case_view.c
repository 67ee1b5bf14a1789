/* case_view.c - showing a stored case: deadlines, lateness, times
 * (case_view.h). */
#include "case_view.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "deadline.h"
#include "engine.h"
#include "safe_text.h"

/* The local wall clock as a time (timefmt.h counts local minutes). */
int64_t local_now(void)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return reg_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * REG_MINUTES_PER_DAY +
           tm.tm_hour * 60 + tm.tm_min;
}

void fmt_time(int64_t t, char buf[REG_TIME_BUFSZ])
{
    if (t == REG_NO_TIME || reg_format_time(t, buf) != 0)
        snprintf(buf, REG_TIME_BUFSZ, "-");
}

cJSON *json_time(int64_t t)
{
    char buf[REG_TIME_BUFSZ];
    if (t == REG_NO_TIME || reg_format_time(t, buf) != 0)
        return cJSON_CreateNull();
    return cJSON_CreateString(buf);
}

cJSON *json_minutes(int ok, int64_t m)
{
    return ok ? cJSON_CreateNumber((double)m) : cJSON_CreateNull();
}

void print_json(cJSON *j)
{
    char *s = reg_safe_json(cJSON_PrintUnformatted(j));
    if (s) {
        puts(s);
        free(s);
    }
    cJSON_Delete(j);
}

/* Working minutes from a deadline to `at`; 0 when either is missing or
 * outside the calendar (the caller then says so). */
int late_by(const reg_calendar *cal, int64_t deadline, int64_t at, int64_t *out)
{
    if (deadline == REG_NO_TIME)
        return 0;
    return reg_working_minutes(cal, deadline, at, out) == 0;
}

int parse_at(const reg_region *rg, const char *cmd, const char *text, int64_t *at)
{
    if (reg_parse_time(text, at) != 0) {
        fprintf(stderr, "%s %s: `%s` is not a time; write YYYY-MM-DDTHH:MM, e.g. 2026-12-11T10:00\n", rg->region,
                cmd, text);
        return -1;
    }
    return 0;
}

case_deadlines deadlines_of(const reg_region *rg, const reg_calendar *cal, const reg_case_row *row)
{
    case_deadlines d = { row->step_deadline, row->term_deadline, { REG_MARK_NONE, 0 }, { REG_MARK_NONE, 0 }, "", 0, "", { 0 } };
    char missing[sizeof d.stranded - 96];
    const reg_machine *m = reg_region_case_machine(rg, row->service, row->version, row->fingerprint, missing,
                                                   sizeof missing);
    int has_term = row->term_deadline != REG_NO_TIME, clock = !row->finished;
    reg_case c;
    reg_case_saved saved = { row->variant, row->channel[0] ? row->channel : NULL, row->state, row->result, row->late,
                             row->submitted, row->last_event, row->step_start, row->step_deadline,
                             row->term_deadline, row->term_anchor };
    char why[sizeof d.stranded - 96];
    if (!m) {
        snprintf(d.stranded, sizeof d.stranded, "%s", missing);
    } else if (reg_case_restore(&c, m, &saved, why, sizeof why) != 0) {
        snprintf(d.stranded, sizeof d.stranded, "%s (the rules changed since the case was stored)", why);
    } else {
        reg_case_recompute(&c, cal);
        reg_flow_place_of(&c, &d.place);
        clock = reg_case_has_clock(&c);
        d.step = c.step_deadline;
        d.term = c.term_deadline;
        has_term = m->variants[c.variant].has_term;
        if (reg_case_term_pending(&c)) {
            const reg_variant *var = &m->variants[c.variant];
            d.term_pending = 1;
            snprintf(d.pending, sizeof d.pending, "from %s%s: not yet %s", var->term_anchor_event ? "the " : "step ",
                     var->term_anchor_event ? var->term_anchor_event : var->term_anchor_step,
                     var->term_anchor_event ? "passed" : "reached");
            has_term = 0;
        }
    }
    d.step_mark = reg_mark_deadline(cal, row->step_start, d.step, clock);
    d.term_mark = reg_mark_deadline(cal, row->term_anchor != REG_NO_TIME ? row->term_anchor : row->submitted, d.term,
                                    has_term);
    return d;
}


int read_options_parse(const reg_region *rg, const char *cmd, int argc, char **argv, bool want_case, read_options *o)
{
    memset(o, 0, sizeof *o);
    o->spec = REG_DEFAULT_STORE;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--store") == 0 && i + 1 < argc)
            o->spec = argv[++i];
        else if (strcmp(argv[i], "--at") == 0 && i + 1 < argc)
            o->at_text = argv[++i];
        else if (strcmp(argv[i], "--json") == 0)
            o->json = true;
        else if (want_case && argv[i][0] != '-' && !o->case_id)
            o->case_id = argv[i];
        else {
            fprintf(stderr, "%s %s: unexpected argument `%s`\n", rg->region, cmd, argv[i]);
            return -1;
        }
    }
    return 0;
}

int open_for_reading(const reg_region *rg, const char *cmd, const char *spec, reg_calendar **cal, reg_store **store)
{
    *store = NULL;
    *cal = reg_region_calendar(rg);
    if (!*cal)
        return 3;
    char err[600];
    *store = reg_store_open(spec, 0, err, sizeof err);
    if (!*store) {
        fprintf(stderr, "%s %s: %s\n", rg->region, cmd, err);
        reg_calendar_free(*cal);
        *cal = NULL;
        return 3;
    }
    return 0;
}
