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
#include "deadline_mark.h"
#include "engine.h"
#include "mark_out.h"
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

/* A case's deadlines as this calendar sees them: one stored as unknown
 * (past the end of the calendar it was computed with) is computed when
 * this calendar covers it, and each gets its mark. Reading never writes:
 * the store keeps what was known when the event was applied. */
typedef struct {
    int64_t step, term;
    reg_mark step_mark, term_mark;
} case_deadlines;

static case_deadlines deadlines_of(const reg_region *rg, const reg_calendar *cal, const reg_case_row *row)
{
    case_deadlines d = { row->step_deadline, row->term_deadline, { REG_MARK_NONE, 0 }, { REG_MARK_NONE, 0 } };
    const reg_machine *m = reg_region_machine(rg, row->service);
    int has_term = row->term_deadline != REG_NO_TIME;
    reg_case c;
    reg_case_saved saved = { row->variant, row->channel[0] ? row->channel : NULL, row->state, row->result, row->late,
                             row->submitted, row->last_event, row->step_start, row->step_deadline,
                             row->term_deadline };
    if (m && reg_case_restore(&c, m, &saved, NULL, 0) == 0) {
        reg_case_recompute(&c, cal);
        d.step = c.step_deadline;
        d.term = c.term_deadline;
        has_term = m->variants[c.variant].has_term;
    }
    d.step_mark = reg_mark_deadline(cal, row->step_start, d.step, !row->finished);
    d.term_mark = reg_mark_deadline(cal, row->submitted, d.term, has_term);
    return d;
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
        if (e->step_deadline == REG_NO_TIME && !e->finished)
            snprintf(sd, sizeof sd, "unknown");
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

/* One deadline in words: "2026-12-14T15:00, passed: late by 2h00m",
 * with its mark: "2027-01-05T18:00 (provisional) [1], 3h of working time
 * left", "unknown [1]". */
static void deadline_text(reg_mark_notes *notes, const reg_calendar *cal, reg_mark mark, int64_t deadline,
                          int64_t at, char *buf, size_t len)
{
    char t[600], w[48];
    reg_marked_time_text(notes, cal, mark, deadline, 0, t, sizeof t);
    int64_t m;
    if (mark.kind == REG_MARK_UNKNOWN)
        snprintf(buf, len, "%s", t);
    else if (!late_by(cal, deadline, at, &m))
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
    case_deadlines dl = deadlines_of(rg, cal, &c);
    int64_t step_late = 0, term_late = 0;
    int step_ok = !c.finished && late_by(cal, dl.step, at, &step_late);
    /* A finished case: how its end stood against the term. */
    int term_ok = late_by(cal, dl.term, c.finished ? c.last_event : at, &term_late);
    bool overdue = !c.finished && ((dl.step != REG_NO_TIME && at > dl.step) || (dl.term != REG_NO_TIME && at > dl.term));
    char t1[REG_TIME_BUFSZ], t2[REG_TIME_BUFSZ], buf[800];
    reg_mark_notes notes = { 0 };
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
        reg_json_marked_time(root, "step_deadline", cal, dl.step_mark, dl.step);
        reg_json_marked_time(root, "term_deadline", cal, dl.term_mark, dl.term);
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
            deadline_text(&notes, cal, dl.step_mark, dl.step, at, buf, sizeof buf);
            printf("  step       started %s, deadline %s\n", t2, buf);
        }
        if (dl.term_mark.kind == REG_MARK_NONE)
            printf("  term       none stated by the act\n");
        else if (!c.finished || dl.term_mark.kind == REG_MARK_UNKNOWN) {
            deadline_text(&notes, cal, dl.term_mark, dl.term, at, buf, sizeof buf);
            printf("  term       deadline %s\n", buf);
        } else {
            reg_marked_time_text(&notes, cal, dl.term_mark, dl.term, 0, buf, sizeof buf);
            char wt[48] = "?";
            if (term_ok)
                reg_working_text(cal, term_late > 0 ? term_late : -term_late, wt, sizeof wt);
            printf("  term       deadline %s: ended %s %s\n", buf, term_ok ? wt : "", !term_ok ? "(working time unknown)"
                   : c.last_event > dl.term ? "of working time after it" : "of working time before it");
        }
        if (c.late)
            printf("  late       a timer marked the case late\n");
        printf("  at %s    %s\n", t1, c.finished ? "finished" : overdue ? "OVERDUE"
                                       : dl.step_mark.kind == REG_MARK_UNKNOWN || dl.term_mark.kind == REG_MARK_UNKNOWN
                                           ? "on time as far as known (a deadline is unknown)"
                                           : "on time");
        reg_mark_notes_print(&notes);
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
    case_deadlines dl;
    int64_t step_late, term_late, late; /* working minutes; -1: not passed or unknown */
} overdue_case;

typedef struct {
    const reg_region *rg;
    const reg_calendar *cal;
    int64_t at;
    overdue_case *v;
    size_t n, cap;
    int failed;
} overdue_list;

/* Keeps a case that the index says may be due: one with a deadline that
 * has passed at `at`, or with a deadline still unknown to this calendar. */
static int collect(const reg_case_row *row, void *arg)
{
    overdue_list *l = arg;
    case_deadlines dl = deadlines_of(l->rg, l->cal, row);
    int step_passed = dl.step_mark.kind != REG_MARK_UNKNOWN && dl.step != REG_NO_TIME && l->at > dl.step;
    int term_passed = dl.term_mark.kind != REG_MARK_UNKNOWN && dl.term != REG_NO_TIME && l->at > dl.term;
    int unknown = dl.step_mark.kind == REG_MARK_UNKNOWN || dl.term_mark.kind == REG_MARK_UNKNOWN;
    if (!step_passed && !term_passed && !unknown)
        return 0;
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
    o->dl = dl;
    o->step_late = o->term_late = -1;
    int64_t m;
    /* 0 when `at` is past the calendar's end: the working time is unknown. */
    if (step_passed)
        o->step_late = late_by(l->cal, dl.step, l->at, &m) ? m : 0;
    if (term_passed)
        o->term_late = late_by(l->cal, dl.term, l->at, &m) ? m : 0;
    o->late = o->step_late > o->term_late ? o->step_late : o->term_late;
    return 0;
}

static int64_t due_of(const overdue_case *o)
{
    reg_case_row r = o->row;
    r.step_deadline = o->dl.step;
    r.term_deadline = o->dl.term;
    r.term_unknown = o->dl.term_mark.kind == REG_MARK_UNKNOWN;
    return reg_case_row_due(&r);
}

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
    char err[600];
    reg_store *store = reg_store_open(spec, 0, err, sizeof err);
    if (!store) {
        fprintf(stderr, "%s overdue: %s\n", rg->region, err);
        reg_calendar_free(cal);
        return 3;
    }
    overdue_list l = { rg, cal, at, NULL, 0, 0, 0 };
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
        char t1[600], t2[600], w[48];
        reg_mark_notes notes = { 0 };
        cJSON *root = NULL, *list = NULL;
        size_t npassed = 0;
        for (size_t i = 0; i < l.n; i++)
            npassed += l.v[i].step_late >= 0 || l.v[i].term_late >= 0;
        if (json) {
            root = cJSON_CreateObject();
            cJSON_AddStringToObject(root, "region", rg->region);
            cJSON_AddItemToObject(root, "at", json_time(at));
            cJSON_AddNumberToObject(root, "count", (double)npassed);
            cJSON_AddNumberToObject(root, "unknown_count", (double)(l.n - npassed));
            list = cJSON_AddArrayToObject(root, "cases");
        } else {
            printf("%zu overdue case%s of %s at %s", npassed, npassed == 1 ? "" : "s", rg->region, at_text);
            if (l.n > npassed)
                printf("; %zu more with a deadline that is unknown", l.n - npassed);
            printf("\n");
            if (l.n)
                printf("  %-20s %-32s %-26s %-16s %-16s  %s\n", "case", "service", "state", "step deadline",
                       "term deadline", "late by (working time)");
        }
        int unknown_time = reg_is_working_day(cal, reg_day_of(at)) < 0;
        for (size_t i = 0; i < l.n; i++) {
            const overdue_case *o = &l.v[i];
            const reg_machine *m = reg_region_machine(rg, o->row.service);
            int st = m ? reg_find_state(m, o->row.state) : -1;
            const char *step = st >= 0 ? m->states[st].step_id : NULL;
            int passed = o->step_late >= 0 || o->term_late >= 0;
            if (json) {
                cJSON *c = cJSON_CreateObject();
                cJSON_AddStringToObject(c, "case", o->row.case_id);
                cJSON_AddStringToObject(c, "service", o->row.service);
                cJSON_AddStringToObject(c, "variant", o->row.variant);
                cJSON_AddStringToObject(c, "state", o->row.state);
                cJSON_AddItemToObject(c, "step", step ? cJSON_CreateString(step) : cJSON_CreateNull());
                cJSON_AddBoolToObject(c, "late", o->row.late);
                reg_json_marked_time(c, "step_deadline", cal, o->dl.step_mark, o->dl.step);
                reg_json_marked_time(c, "term_deadline", cal, o->dl.term_mark, o->dl.term);
                cJSON_AddBoolToObject(c, "passed", passed);
                int known = !unknown_time;
                cJSON_AddItemToObject(c, "step_late_minutes", json_minutes(known && o->step_late >= 0, o->step_late));
                cJSON_AddItemToObject(c, "term_late_minutes", json_minutes(known && o->term_late >= 0, o->term_late));
                cJSON_AddItemToObject(c, "late_minutes", json_minutes(known && passed, o->late));
                cJSON_AddItemToArray(list, c);
            } else {
                reg_marked_time_text(&notes, cal, o->dl.step_mark, o->dl.step, 0, t1, sizeof t1);
                reg_marked_time_text(&notes, cal, o->dl.term_mark, o->dl.term, 0, t2, sizeof t2);
                if (!passed)
                    snprintf(w, sizeof w, "- (a deadline is unknown)");
                else if (unknown_time)
                    snprintf(w, sizeof w, "unknown (past the calendar)");
                else
                    reg_working_text(cal, o->late, w, sizeof w);
                printf("  %-20s %-32s %-26s %-16s%s %-16s%s %s\n", o->row.case_id, o->row.service, o->row.state, t1,
                       o->step_late >= 0 ? "*" : " ", t2, o->term_late >= 0 ? "*" : " ", w);
            }
        }
        if (json)
            print_json(root);
        else if (l.n) {
            printf("  (* the deadline that has passed)\n");
            reg_mark_notes_print(&notes);
        }
    }
    free(l.v);
    reg_store_close(store);
    reg_calendar_free(cal);
    return status;
}
