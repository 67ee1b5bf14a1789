/* report.c - `status CASE` and `overdue --at TIME`: what the store says
 * about cases, with lateness in working time on the calendar.
 *
 * Lateness is the working time from a deadline to the moment asked about
 * (reg_working_minutes): a step due Friday 17:00 and looked at on Monday
 * 10:00 is 2h late, not three days. A deadline has passed when the moment
 * is after it; at the deadline itself the case is still on time. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deadline.h"
#include "engine.h"
#include "run.h"
#include "timefmt.h"

/* The local wall clock as a time (timefmt.h counts local minutes). */
static int64_t local_now(void)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return reg_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * REG_MINUTES_PER_DAY +
           tm.tm_hour * 60 + tm.tm_min;
}

static void fmt_time(int64_t t, char buf[REG_TIME_BUFSZ])
{
    if (t == REG_NO_TIME || reg_format_time(t, buf) != 0)
        snprintf(buf, REG_TIME_BUFSZ, "-");
}

static cJSON *json_time(int64_t t)
{
    char buf[REG_TIME_BUFSZ];
    if (t == REG_NO_TIME || reg_format_time(t, buf) != 0)
        return cJSON_CreateNull();
    return cJSON_CreateString(buf);
}

static cJSON *json_minutes(int ok, int64_t m)
{
    return ok ? cJSON_CreateNumber((double)m) : cJSON_CreateNull();
}

static void print_json(cJSON *j)
{
    char *s = cJSON_PrintUnformatted(j);
    if (s) {
        puts(s);
        free(s);
    }
    cJSON_Delete(j);
}

/* Working minutes from a deadline to `at`; 0 when either is missing or
 * outside the calendar (the caller then says so). */
static int late_by(const reg_calendar *cal, int64_t deadline, int64_t at, int64_t *out)
{
    if (deadline == REG_NO_TIME)
        return 0;
    return reg_working_minutes(cal, deadline, at, out) == 0;
}

static int parse_at(const reg_region *rg, const char *cmd, const char *text, int64_t *at)
{
    if (reg_parse_time(text, at) != 0) {
        fprintf(stderr, "%s %s: `%s` is not a time; write YYYY-MM-DDTHH:MM, e.g. 2026-12-11T10:00\n", rg->region,
                cmd, text);
        return -1;
    }
    return 0;
}

/* ---- status ---- */

typedef struct {
    bool json;
    cJSON *list;
    int count;
} walk;

static int print_event(const reg_event_row *e, void *arg)
{
    walk *w = arg;
    char at[REG_TIME_BUFSZ], sd[REG_TIME_BUFSZ];
    fmt_time(e->at, at);
    if (w->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "seq", (double)e->seq);
        cJSON_AddStringToObject(o, "event_id", e->event_id);
        cJSON_AddStringToObject(o, "type", e->type);
        cJSON_AddStringToObject(o, "at", at);
        cJSON_AddStringToObject(o, "state", e->state);
        cJSON_AddStringToObject(o, "result", e->result);
        cJSON_AddBoolToObject(o, "late", e->late);
        cJSON_AddBoolToObject(o, "finished", e->finished);
        cJSON_AddItemToObject(o, "step_deadline", json_time(e->step_deadline));
        cJSON_AddItemToObject(o, "term_deadline", json_time(e->term_deadline));
        cJSON_AddStringToObject(o, "recorded", e->recorded);
        cJSON_AddItemToArray(w->list, o);
    } else {
        if (w->count == 0)
            printf("\nhistory\n  %-16s  %-9s %-24s %-16s  %s\n", "at", "event", "state", "step deadline", "event id");
        fmt_time(e->step_deadline, sd);
        printf("  %-16s  %-9s %-24s %-16s  %s%s\n", at, e->type, e->state, sd, e->event_id, e->late ? "  (late)" : "");
    }
    w->count++;
    return 0;
}

static int print_rejection(const reg_rejection_row *r, void *arg)
{
    walk *w = arg;
    if (w->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "event_id", r->event_id[0] ? cJSON_CreateString(r->event_id) : cJSON_CreateNull());
        cJSON_AddStringToObject(o, "reason", r->reason);
        cJSON_AddStringToObject(o, "message", r->message);
        cJSON_AddStringToObject(o, "recorded", r->recorded);
        cJSON_AddItemToArray(w->list, o);
    } else {
        if (w->count == 0)
            printf("\nrefused events\n");
        printf("  %s  %s  %s: %s\n", r->recorded, r->event_id[0] ? r->event_id : "-", r->reason, r->message);
    }
    w->count++;
    return 0;
}

/* One deadline in words: "2026-12-14T15:00, passed: late by 2h00m". */
static void deadline_text(const reg_calendar *cal, int64_t deadline, int64_t at, char *buf, size_t len)
{
    char t[REG_TIME_BUFSZ], w[48];
    fmt_time(deadline, t);
    int64_t m;
    if (!late_by(cal, deadline, at, &m))
        snprintf(buf, len, "%s (%s; working time unknown: outside the calendar's years)", t,
                 at > deadline ? "passed" : "not passed");
    else if (at > deadline) {
        reg_working_text(cal, m, w, sizeof w);
        snprintf(buf, len, "%s, passed: late by %s of working time", t, w);
    } else {
        reg_working_text(cal, -m, w, sizeof w);
        snprintf(buf, len, "%s, %s of working time left", t, w);
    }
}

int reg_cmd_status(const reg_region *rg, int argc, char **argv)
{
    const char *spec = REG_DEFAULT_STORE, *case_id = NULL, *at_text = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--store") == 0 && i + 1 < argc)
            spec = argv[++i];
        else if (strcmp(argv[i], "--at") == 0 && i + 1 < argc)
            at_text = argv[++i];
        else if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (argv[i][0] != '-' && !case_id)
            case_id = argv[i];
        else {
            fprintf(stderr, "%s status: unexpected argument `%s`\n", rg->region, argv[i]);
            case_id = NULL;
            break;
        }
    }
    if (!case_id) {
        fprintf(stderr, "usage: %s status CASE [--store PATH|URL] [--at YYYY-MM-DDTHH:MM] [--json]\n", rg->region);
        return 2;
    }
    int64_t at = 0;
    if (at_text ? parse_at(rg, "status", at_text, &at) != 0 : 0)
        return 2;
    if (!at_text)
        at = local_now();
    reg_calendar *cal = reg_region_calendar(rg);
    if (!cal)
        return 3;
    char err[600];
    reg_store *store = reg_store_open(spec, 0, err, sizeof err);
    if (!store) {
        fprintf(stderr, "%s status: %s\n", rg->region, err);
        reg_calendar_free(cal);
        return 3;
    }
    int status = 0;
    reg_case_row c;
    cJSON *root = NULL;
    /* One read transaction: the case and its history from one snapshot. */
    int rc = reg_store_begin(store, 0);
    if (rc == 0)
        rc = reg_store_get_case(store, case_id, 0, &c);
    if (rc == 0) {
        fprintf(stderr, "%s status: no case `%s` in the store\n", rg->region, case_id);
        status = 1;
        goto done;
    }
    if (rc < 0)
        goto failed;
    const reg_machine *m = reg_region_machine(rg, c.service);
    int st = m ? reg_find_state(m, c.state) : -1;
    const reg_state *state = st >= 0 ? &m->states[st] : NULL;
    const char *step = state ? state->step_id : NULL;
    const char *actor = state && step ? m->actors[state->actor].id : NULL;
    int64_t step_late = 0, term_late = 0;
    int step_ok = !c.finished && late_by(cal, c.step_deadline, at, &step_late);
    /* A finished case: how its end stood against the term. */
    int term_ok = late_by(cal, c.term_deadline, c.finished ? c.last_event : at, &term_late);
    bool overdue = !c.finished && (at > c.step_deadline || (c.term_deadline != REG_NO_TIME && at > c.term_deadline));
    char t1[REG_TIME_BUFSZ], t2[REG_TIME_BUFSZ], buf[160];
    walk w = { json, NULL, 0 };
    if (json) {
        root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "case", c.case_id);
        cJSON_AddStringToObject(root, "region", c.region);
        cJSON_AddStringToObject(root, "service", c.service);
        cJSON_AddStringToObject(root, "variant", c.variant);
        cJSON_AddItemToObject(root, "channel", c.channel[0] ? cJSON_CreateString(c.channel) : cJSON_CreateNull());
        cJSON_AddStringToObject(root, "state", c.state);
        cJSON_AddItemToObject(root, "step", step ? cJSON_CreateString(step) : cJSON_CreateNull());
        cJSON_AddItemToObject(root, "actor", actor ? cJSON_CreateString(actor) : cJSON_CreateNull());
        cJSON_AddBoolToObject(root, "finished", c.finished);
        cJSON_AddStringToObject(root, "result", c.result);
        cJSON_AddBoolToObject(root, "late", c.late);
        cJSON_AddItemToObject(root, "submitted", json_time(c.submitted));
        cJSON_AddItemToObject(root, "last_event", json_time(c.last_event));
        cJSON_AddItemToObject(root, "step_start", json_time(c.step_start));
        cJSON_AddItemToObject(root, "step_deadline", json_time(c.step_deadline));
        cJSON_AddItemToObject(root, "term_deadline", json_time(c.term_deadline));
        cJSON_AddItemToObject(root, "at", json_time(at));
        cJSON_AddBoolToObject(root, "overdue", overdue);
        cJSON_AddItemToObject(root, "step_late_minutes", json_minutes(step_ok, step_late));
        cJSON_AddItemToObject(root, "term_late_minutes", json_minutes(term_ok, term_late));
        w.list = cJSON_AddArrayToObject(root, "history");
    } else {
        printf("case %s (%s)\n", c.case_id, c.region);
        printf("  service    %s, variant %s%s%s\n", c.service, c.variant, c.channel[0] ? ", channel " : "", c.channel);
        if (c.finished)
            printf("  state      %s: ended with %s\n", c.state, c.result);
        else if (step)
            printf("  state      %s: step %s by %s; carries %s\n", c.state, step, actor, c.result);
        else
            printf("  state      %s; carries %s\n", c.state, c.result);
        fmt_time(c.submitted, t1);
        fmt_time(c.last_event, t2);
        printf("  submitted  %s, last event %s\n", t1, t2);
        fmt_time(at, t1);
        if (!c.finished) {
            fmt_time(c.step_start, t2);
            deadline_text(cal, c.step_deadline, at, buf, sizeof buf);
            printf("  step       started %s, deadline %s\n", t2, buf);
        }
        if (c.term_deadline == REG_NO_TIME)
            printf("  term       none stated by the act\n");
        else if (!c.finished) {
            deadline_text(cal, c.term_deadline, at, buf, sizeof buf);
            printf("  term       deadline %s\n", buf);
        } else {
            fmt_time(c.term_deadline, t2);
            char wt[48] = "?";
            if (term_ok)
                reg_working_text(cal, term_late > 0 ? term_late : -term_late, wt, sizeof wt);
            printf("  term       deadline %s: ended %s %s\n", t2, term_ok ? wt : "", !term_ok ? "(working time unknown)"
                   : c.last_event > c.term_deadline ? "of working time after it" : "of working time before it");
        }
        if (c.late)
            printf("  late       a timer marked the case late\n");
        printf("  at %s    %s\n", t1, c.finished ? "finished" : overdue ? "OVERDUE" : "on time");
    }
    if ((rc = reg_store_history(store, c.case_id, print_event, &w)) != 0)
        goto failed;
    w.count = 0;
    if (json)
        w.list = cJSON_AddArrayToObject(root, "refused");
    if ((rc = reg_store_rejections(store, c.case_id, print_rejection, &w)) != 0)
        goto failed;
    reg_store_commit(store);
    if (json) {
        print_json(root);
        root = NULL;
    }
    goto done;
failed:
    fprintf(stderr, "%s status: %s\n", rg->region, reg_store_error(store));
    status = 3;
done:
    cJSON_Delete(root);
    reg_store_rollback(store);
    reg_store_close(store);
    reg_calendar_free(cal);
    return status;
}

/* ---- overdue ---- */

typedef struct {
    reg_case_row row;
    int64_t step_late, term_late, late; /* working minutes; -1: not passed */
} overdue_case;

typedef struct {
    const reg_calendar *cal;
    int64_t at;
    overdue_case *v;
    size_t n, cap;
    int failed;
} overdue_list;

static int collect(const reg_case_row *row, void *arg)
{
    overdue_list *l = arg;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        overdue_case *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->failed = 1;
            return 1;
        }
        l->v = v;
        l->cap = cap;
    }
    overdue_case *o = &l->v[l->n++];
    o->row = *row;
    o->step_late = o->term_late = -1;
    int64_t m;
    /* Deadlines come from this calendar, and `at` was checked against it:
     * the computation fails only for a store written with another one. */
    if (row->step_deadline != REG_NO_TIME && l->at > row->step_deadline)
        o->step_late = late_by(l->cal, row->step_deadline, l->at, &m) ? m : 0;
    if (row->term_deadline != REG_NO_TIME && l->at > row->term_deadline)
        o->term_late = late_by(l->cal, row->term_deadline, l->at, &m) ? m : 0;
    o->late = o->step_late > o->term_late ? o->step_late : o->term_late;
    return 0;
}

static int64_t due_of(const overdue_case *o) { return reg_case_row_due(&o->row); }

static int by_lateness(const void *a, const void *b)
{
    const overdue_case *x = a, *y = b;
    if (x->late != y->late)
        return x->late > y->late ? -1 : 1;
    if (due_of(x) != due_of(y))
        return due_of(x) < due_of(y) ? -1 : 1;
    return strcmp(x->row.case_id, y->row.case_id);
}

int reg_cmd_overdue(const reg_region *rg, int argc, char **argv)
{
    const char *spec = REG_DEFAULT_STORE, *at_text = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--store") == 0 && i + 1 < argc)
            spec = argv[++i];
        else if (strcmp(argv[i], "--at") == 0 && i + 1 < argc)
            at_text = argv[++i];
        else if (strcmp(argv[i], "--json") == 0)
            json = true;
        else {
            fprintf(stderr, "%s overdue: unexpected argument `%s`\n", rg->region, argv[i]);
            at_text = NULL;
            break;
        }
    }
    if (!at_text) {
        fprintf(stderr, "usage: %s overdue --at YYYY-MM-DDTHH:MM [--store PATH|URL] [--json]\n", rg->region);
        return 2;
    }
    int64_t at;
    if (parse_at(rg, "overdue", at_text, &at) != 0)
        return 2;
    reg_calendar *cal = reg_region_calendar(rg);
    if (!cal)
        return 3;
    if (reg_is_working_day(cal, reg_day_of(at)) < 0) {
        int first, last;
        reg_calendar_years(cal, &first, &last);
        fprintf(stderr, "%s overdue: %s is outside the calendar's years %d-%d\n", rg->region, at_text, first, last);
        reg_calendar_free(cal);
        return 1;
    }
    char err[600];
    reg_store *store = reg_store_open(spec, 0, err, sizeof err);
    if (!store) {
        fprintf(stderr, "%s overdue: %s\n", rg->region, err);
        reg_calendar_free(cal);
        return 3;
    }
    overdue_list l = { cal, at, NULL, 0, 0, 0 };
    int rc = reg_store_begin(store, 0);
    if (rc == 0)
        rc = reg_store_overdue(store, rg->region, at, collect, &l);
    reg_store_rollback(store);
    int status = 0;
    if (rc != 0) {
        fprintf(stderr, "%s overdue: %s\n", rg->region, l.failed ? "out of memory" : reg_store_error(store));
        status = 3;
    } else {
        if (l.n > 1)
            qsort(l.v, l.n, sizeof *l.v, by_lateness);
        char t1[REG_TIME_BUFSZ], t2[REG_TIME_BUFSZ], w[48];
        cJSON *root = NULL, *list = NULL;
        if (json) {
            root = cJSON_CreateObject();
            cJSON_AddStringToObject(root, "region", rg->region);
            cJSON_AddItemToObject(root, "at", json_time(at));
            cJSON_AddNumberToObject(root, "count", (double)l.n);
            list = cJSON_AddArrayToObject(root, "cases");
        } else {
            printf("%zu overdue case%s of %s at %s\n", l.n, l.n == 1 ? "" : "s", rg->region, at_text);
            if (l.n)
                printf("  %-20s %-32s %-26s %-16s %-16s  %s\n", "case", "service", "state", "step deadline",
                       "term deadline", "late by (working time)");
        }
        for (size_t i = 0; i < l.n; i++) {
            const overdue_case *o = &l.v[i];
            const reg_machine *m = reg_region_machine(rg, o->row.service);
            int st = m ? reg_find_state(m, o->row.state) : -1;
            const char *step = st >= 0 ? m->states[st].step_id : NULL;
            if (json) {
                cJSON *c = cJSON_CreateObject();
                cJSON_AddStringToObject(c, "case", o->row.case_id);
                cJSON_AddStringToObject(c, "service", o->row.service);
                cJSON_AddStringToObject(c, "variant", o->row.variant);
                cJSON_AddStringToObject(c, "state", o->row.state);
                cJSON_AddItemToObject(c, "step", step ? cJSON_CreateString(step) : cJSON_CreateNull());
                cJSON_AddBoolToObject(c, "late", o->row.late);
                cJSON_AddItemToObject(c, "step_deadline", json_time(o->row.step_deadline));
                cJSON_AddItemToObject(c, "term_deadline", json_time(o->row.term_deadline));
                cJSON_AddItemToObject(c, "step_late_minutes", json_minutes(o->step_late >= 0, o->step_late));
                cJSON_AddItemToObject(c, "term_late_minutes", json_minutes(o->term_late >= 0, o->term_late));
                cJSON_AddNumberToObject(c, "late_minutes", (double)o->late);
                cJSON_AddItemToArray(list, c);
            } else {
                fmt_time(o->row.step_deadline, t1);
                fmt_time(o->row.term_deadline, t2);
                reg_working_text(cal, o->late, w, sizeof w);
                printf("  %-20s %-32s %-26s %-16s%s %-16s%s %s\n", o->row.case_id, o->row.service, o->row.state, t1,
                       o->step_late >= 0 ? "*" : " ", t2, o->term_late >= 0 ? "*" : " ", w);
            }
        }
        if (json)
            print_json(root);
        else if (l.n)
            printf("  (* the deadline that has passed)\n");
    }
    free(l.v);
    reg_store_close(store);
    reg_calendar_free(cal);
    return status;
}
