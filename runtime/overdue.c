/* overdue.c - `overdue --at TIME`: the open cases of a region past a step
 * or term deadline, the latest first, then those whose deadline is still
 * unknown (docs/store.md, "status and overdue").
 *
 * It streams: memory does not grow with the number of cases. The store
 * hands the candidate cases in the order of the `due` index (the earliest
 * open deadline, then the case id), and that is the order of lateness: a
 * case's lateness is the working time from its earliest deadline to TIME,
 * which falls as the deadline rises. So the cases are printed as they come,
 * in three walks over the index: one to count (the first line says how
 * many), one for the cases past a deadline, one for those with an unknown
 * deadline. The only cases held are the few whose stored `due` is not the
 * deadline they are listed by: one stored as unknown (its `due` is the
 * start of its clock) that this calendar knows, or a case past one
 * deadline whose other is unknown. They are sorted apart and merged in. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_view.h"
#include "deadline_mark.h"
#include "engine.h"
#include "mark_out.h"
#include "run.h"
#include "safe_text.h"
#include "timefmt.h"

typedef struct {
    reg_case_row row;
    case_deadlines dl;
    int64_t step_late, term_late, late; /* working minutes; -1: not passed or unknown */
    bool passed, unknown, moved;        /* moved: stored unknown, known now */
} overdue_case;

enum { WALK_COUNT, WALK_PASSED, WALK_UNKNOWN };

typedef struct {
    const reg_region *rg;
    const reg_calendar *cal;
    int64_t at;
    bool json, unknown_time;
    int walk;
    size_t npassed, nunknown, printed;
    overdue_case *moved;  /* sorted by lateness before the second walk */
    size_t nmoved, moved_cap, next_moved;
    reg_mark_notes notes;
    int failed;
} overdue_walk;

static int64_t due_of(const overdue_case *o)
{
    reg_case_row r = o->row;
    r.step_deadline = o->dl.step;
    r.term_deadline = o->dl.term;
    r.term_unknown = o->dl.term_mark.kind == REG_MARK_UNKNOWN;
    return reg_case_row_due(&r);
}

static void judge(const overdue_walk *w, const reg_case_row *row, overdue_case *o)
{
    o->row = *row;
    o->dl = deadlines_of(w->rg, w->cal, row);
    int step_passed = o->dl.step_mark.kind != REG_MARK_UNKNOWN && o->dl.step != REG_NO_TIME && w->at > o->dl.step;
    int term_passed = o->dl.term_mark.kind != REG_MARK_UNKNOWN && o->dl.term != REG_NO_TIME && w->at > o->dl.term;
    o->unknown = o->dl.step_mark.kind == REG_MARK_UNKNOWN || o->dl.term_mark.kind == REG_MARK_UNKNOWN;
    o->passed = step_passed || term_passed;
    /* The `due` the store ordered the case by, and the one it has now. */
    int64_t step = row->step_deadline == REG_NO_TIME ? row->step_start : row->step_deadline;
    int64_t term = row->term_deadline == REG_NO_TIME && o->dl.term_mark.kind != REG_MARK_NONE ? row->submitted
                                                                                            : row->term_deadline;
    int64_t stored_due = term != REG_NO_TIME && (step == REG_NO_TIME || term < step) ? term : step;
    /* Streamed in the store's order when that is the list's order: for a
     * case past a deadline, its lateness falls as its earliest known
     * deadline rises; for one not yet past, the list goes by due_of. */
    int64_t known = o->dl.step;
    if (o->dl.term != REG_NO_TIME && (known == REG_NO_TIME || o->dl.term < known))
        known = o->dl.term;
    o->moved = (o->passed ? known : due_of(o)) != stored_due;
    o->step_late = o->term_late = -1;
    int64_t m;
    /* 0 when TIME is past the calendar's end: the working time is unknown. */
    if (step_passed)
        o->step_late = late_by(w->cal, o->dl.step, w->at, &m) ? m : 0;
    if (term_passed)
        o->term_late = late_by(w->cal, o->dl.term, w->at, &m) ? m : 0;
    o->late = o->step_late > o->term_late ? o->step_late : o->term_late;
}

/* The order of the list: the latest first, then the earliest deadline,
 * then the case id. */
static int by_lateness(const void *a, const void *b)
{
    const overdue_case *x = a, *y = b;
    if (x->late != y->late)
        return x->late > y->late ? -1 : 1;
    if (due_of(x) != due_of(y))
        return due_of(x) < due_of(y) ? -1 : 1;
    return strcmp(x->row.case_id, y->row.case_id);
}

static void print_case(overdue_walk *w, const overdue_case *o)
{
    const reg_machine *m = reg_region_case_machine(w->rg, o->row.service, o->row.version, o->row.fingerprint, NULL, 0);
    int st = m ? reg_find_state(m, o->row.state) : -1;
    const char *step = st >= 0 ? m->states[st].step_id : NULL;
    if (w->json) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "case", o->row.case_id);
        cJSON_AddStringToObject(c, "service", o->row.service);
        cJSON_AddStringToObject(c, "variant", o->row.variant);
        cJSON_AddStringToObject(c, "state", o->row.state);
        cJSON_AddItemToObject(c, "step", step ? cJSON_CreateString(step) : cJSON_CreateNull());
        reg_flow_place_json(c, &o->dl.place); /* in a flow: flow, item, phase */
        cJSON_AddBoolToObject(c, "late", o->row.late);
        reg_json_marked_time(c, "step_deadline", w->cal, o->dl.step_mark, o->dl.step);
        reg_json_marked_time(c, "term_deadline", w->cal, o->dl.term_mark, o->dl.term);
        cJSON_AddBoolToObject(c, "passed", o->passed);
        int known = !w->unknown_time;
        cJSON_AddItemToObject(c, "step_late_minutes", json_minutes(known && o->step_late >= 0, o->step_late));
        cJSON_AddItemToObject(c, "term_late_minutes", json_minutes(known && o->term_late >= 0, o->term_late));
        cJSON_AddItemToObject(c, "late_minutes", json_minutes(known && o->passed, o->late));
        if (o->dl.stranded[0])
            cJSON_AddStringToObject(c, "stranded", o->dl.stranded);
        char *s = reg_safe_json(cJSON_PrintUnformatted(c));
        cJSON_Delete(c);
        if (!s) {
            w->failed = 1;
            return;
        }
        printf("%s%s", w->printed ? "," : "", s);
        free(s);
    } else {
        char t1[600], t2[600], late[48];
        reg_marked_time_text(&w->notes, w->cal, o->dl.step_mark, o->dl.step, 0, t1, sizeof t1);
        reg_marked_time_text(&w->notes, w->cal, o->dl.term_mark, o->dl.term, 0, t2, sizeof t2);
        if (!o->passed)
            snprintf(late, sizeof late, "- (a deadline is unknown)");
        else if (w->unknown_time)
            snprintf(late, sizeof late, "unknown (past the calendar)");
        else
            reg_working_text(w->cal, o->late, late, sizeof late);
        char id[REG_SAFE_ID_BUFSZ];
        printf("  %-20s %-32s %-26s %-16s%s %-16s%s %s\n", reg_safe_text(o->row.case_id, id, sizeof id), o->row.service, o->row.state, t1,
               o->step_late >= 0 ? "*" : " ", t2, o->term_late >= 0 ? "*" : " ", late);
        if (o->dl.stranded[0])
            printf("  %-20s STRANDED: %s\n", "", o->dl.stranded);
    }
    w->printed++;
}

/* Prints the held cases that come before o in the list; with o NULL, the
 * rest of those past a deadline (walk 2) or all the rest (walk 3). */
static void print_moved_before(overdue_walk *w, const overdue_case *o)
{
    while (w->next_moved < w->nmoved) {
        const overdue_case *h = &w->moved[w->next_moved];
        if (o ? by_lateness(h, o) >= 0 : (w->walk == WALK_PASSED && !h->passed))
            break;
        print_case(w, h);
        w->next_moved++;
    }
}

static int visit(const reg_case_row *row, void *arg)
{
    overdue_walk *w = arg;
    overdue_case o;
    judge(w, row, &o);
    if (w->walk == WALK_COUNT) {
        w->npassed += o.passed;
        w->nunknown += !o.passed && o.unknown;
        if ((o.passed || o.unknown) && o.moved) {
            if (w->nmoved == w->moved_cap) {
                size_t cap = w->moved_cap ? 2 * w->moved_cap : 16;
                overdue_case *v = realloc(w->moved, cap * sizeof *v);
                if (!v) {
                    w->failed = 1;
                    return 1;
                }
                w->moved = v;
                w->moved_cap = cap;
            }
            w->moved[w->nmoved++] = o;
        }
    } else if (w->walk == WALK_PASSED && o.passed && !o.moved) {
        print_moved_before(w, &o);
        print_case(w, &o);
    } else if (w->walk == WALK_UNKNOWN && !o.passed && o.unknown && !o.moved) {
        print_moved_before(w, &o);
        print_case(w, &o);
    }
    return w->failed;
}

int reg_cmd_overdue(const reg_region *rg, int argc, char **argv)
{
    read_options opt;
    if (read_options_parse(rg, "overdue", argc, argv, false, &opt) != 0 || !opt.at_text) {
        fprintf(stderr, "usage: %s overdue --at YYYY-MM-DDTHH:MM [--store PATH|URL] [--json]\n", rg->region);
        return 2;
    }
    const char *at_text = opt.at_text;
    bool json = opt.json;
    int64_t at;
    if (parse_at(rg, "overdue", at_text, &at) != 0)
        return 2;
    reg_calendar *cal;
    reg_store *store;
    int opened = open_for_reading(rg, "overdue", opt.spec, &cal, &store);
    if (opened != 0)
        return opened;
    overdue_walk w;
    memset(&w, 0, sizeof w);
    w.rg = rg;
    w.cal = cal;
    w.at = at;
    w.json = json;
    w.unknown_time = reg_is_working_day(cal, reg_day_of(at)) < 0;
    /* One read transaction: the three walks see one snapshot. */
    int rc = reg_store_begin(store, 0);
    if (rc == 0)
        rc = reg_store_overdue(store, rg->region, at, visit, &w);
    if (rc == 0) {
        if (w.nmoved > 1)
            qsort(w.moved, w.nmoved, sizeof *w.moved, by_lateness);
        char t[REG_TIME_BUFSZ];
        if (json) {
            fmt_time(at, t);
            printf("{\"region\":");
            cJSON *r = cJSON_CreateString(rg->region);
            char *s = cJSON_PrintUnformatted(r);
            printf("%s,\"at\":\"%s\",\"count\":%zu,\"unknown_count\":%zu,\"cases\":[", s ? s : "null", t, w.npassed,
                   w.nunknown);
            free(s);
            cJSON_Delete(r);
        } else {
            printf("%zu overdue case%s of %s at %s", w.npassed, w.npassed == 1 ? "" : "s", rg->region, at_text);
            if (w.nunknown)
                printf("; %zu more with a deadline that is unknown", w.nunknown);
            printf("\n");
            if (w.npassed + w.nunknown)
                printf("  %-20s %-32s %-26s %-16s %-16s  %s\n", "case", "service", "state", "step deadline",
                       "term deadline", "late by (working time)");
        }
        w.walk = WALK_PASSED;
        rc = reg_store_overdue(store, rg->region, at, visit, &w);
        if (rc == 0)
            print_moved_before(&w, NULL);
    }
    if (rc == 0) {
        w.walk = WALK_UNKNOWN;
        rc = reg_store_overdue(store, rg->region, at, visit, &w);
        if (rc == 0)
            print_moved_before(&w, NULL);
    }
    reg_store_rollback(store);
    int status = 0;
    if (rc != 0) {
        fprintf(stderr, "%s overdue: %s\n", rg->region, w.failed ? "out of memory" : reg_store_error(store));
        status = 3;
    } else if (json) {
        printf("]}\n");
    } else if (w.printed) {
        printf("  (* the deadline that has passed)\n");
        reg_mark_notes_print(&w.notes);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s overdue: cannot write the list\n", rg->region);
        status = 3;
    }
    free(w.moved);
    reg_store_close(store);
    reg_calendar_free(cal);
    return status;
}
