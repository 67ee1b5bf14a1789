/* status.c - `status CASE`: what the store says about one case, with its
 * deadlines and lateness in working time on the calendar.
 *
 * Lateness is the working time from a deadline to the moment asked about
 * (reg_working_minutes): a step due Friday 17:00 and looked at on Monday
 * 10:00 is 2h late, not three days. A deadline has passed when the moment
 * is after it; at the deadline itself the case is still on time. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_view.h"
#include "deadline.h"
#include "deadline_mark.h"
#include "engine.h"
#include "mark_out.h"
#include "run.h"
#include "safe_text.h"
#include "timefmt.h"

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
        /* A place in a flow (CHANNEL/ITEM) often has no clock at all; the
         * status line above tells an unknown deadline of the current one. */
        if (e->step_deadline == REG_NO_TIME && !e->finished && !strchr(e->state, '/'))
            snprintf(sd, sizeof sd, "unknown");
        char id[REG_SAFE_ID_BUFSZ];
        printf("  %-16s  %-9s %-24s %-16s  %s%s\n", at, e->type, e->state, sd, reg_safe_text(e->event_id, id, sizeof id),
               e->late ? "  (late)" : "");
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
        char id[REG_SAFE_ID_BUFSZ], msg[3 * REG_STORE_MSG_MAX];
        printf("  %s  %s  %s: %s\n", r->recorded, r->event_id[0] ? reg_safe_text(r->event_id, id, sizeof id) : "-",
               r->reason, reg_safe_text(r->message, msg, sizeof msg));
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
    read_options opt;
    if (read_options_parse(rg, "status", argc, argv, true, &opt) != 0 || !opt.case_id) {
        fprintf(stderr, "usage: %s status CASE [--store PATH|URL] [--at YYYY-MM-DDTHH:MM] [--json]\n", rg->region);
        return 2;
    }
    const char *case_id = opt.case_id;
    bool json = opt.json;
    int64_t at = 0;
    if (opt.at_text ? parse_at(rg, "status", opt.at_text, &at) != 0 : 0)
        return 2;
    if (!opt.at_text)
        at = local_now();
    reg_calendar *cal;
    reg_store *store;
    int opened = open_for_reading(rg, "status", opt.spec, &cal, &store);
    if (opened != 0)
        return opened;
    int status = 0;
    reg_case_row c;
    cJSON *root = NULL;
    /* One read transaction: the case and its history from one snapshot. */
    int rc = reg_store_begin(store, 0);
    if (rc == 0)
        rc = reg_store_get_case(store, case_id, 0, &c);
    if (rc == 0) {
        char id[REG_SAFE_ID_BUFSZ];
        fprintf(stderr, "%s status: no case `%s` in the store\n", rg->region, reg_safe_text(case_id, id, sizeof id));
        status = 1;
        goto done;
    }
    if (rc < 0)
        goto failed;
    const reg_machine *m = reg_region_case_machine(rg, c.service, c.version, c.fingerprint, NULL, 0);
    int st = m ? reg_find_state(m, c.state) : -1;
    const reg_state *state = st >= 0 ? &m->states[st] : NULL;
    const char *step = state ? state->step_id : NULL;
    const char *actor = state && step ? m->actors[state->actor].id : NULL;
    case_deadlines dl = deadlines_of(rg, cal, &c);
    const char *doubt = m ? reg_machine_validity_doubt(m, reg_day_of(c.submitted)) : NULL;
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
        reg_flow_place_json(root, &dl.place);
        cJSON_AddBoolToObject(root, "finished", c.finished);
        cJSON_AddStringToObject(root, "result", c.result);
        cJSON_AddBoolToObject(root, "late", c.late);
        cJSON_AddItemToObject(root, "submitted", json_time(c.submitted));
        cJSON_AddItemToObject(root, "last_event", json_time(c.last_event));
        cJSON_AddItemToObject(root, "step_start", json_time(c.step_start));
        reg_json_marked_time(root, "step_deadline", cal, dl.step_mark, dl.step);
        reg_json_marked_time(root, "term_deadline", cal, dl.term_mark, dl.term);
        if (dl.term_pending)
            cJSON_AddStringToObject(root, "term_pending", dl.pending);
        cJSON_AddItemToObject(root, "at", json_time(at));
        cJSON_AddBoolToObject(root, "overdue", overdue);
        cJSON_AddItemToObject(root, "step_late_minutes", json_minutes(step_ok, step_late));
        cJSON_AddItemToObject(root, "term_late_minutes", json_minutes(term_ok, term_late));
        if (doubt)
            cJSON_AddStringToObject(root, "validity_uncertain", doubt);
        cJSON_AddItemToObject(root, "stranded", dl.stranded[0] ? cJSON_CreateString(dl.stranded) : cJSON_CreateNull());
        w.list = cJSON_AddArrayToObject(root, "history");
    } else {
        char id[REG_SAFE_ID_BUFSZ];
        printf("case %s (%s)\n", reg_safe_text(c.case_id, id, sizeof id), c.region);
        printf("  service    %s, variant %s%s%s\n", c.service, c.variant, c.channel[0] ? ", channel " : "", c.channel);
        char where[600];
        reg_flow_place_text(&dl.place, where, sizeof where);
        if (dl.place.flow && c.finished)
            printf("  state      %s: ended with %s, %s\n", c.state, c.result, where);
        else if (dl.place.flow)
            printf("  state      %s: %s; carries %s\n", c.state, where, c.result);
        else if (c.finished)
            printf("  state      %s: ended with %s\n", c.state, c.result);
        else if (step)
            printf("  state      %s: step %s by %s; carries %s\n", c.state, step, actor, c.result);
        else
            printf("  state      %s; carries %s\n", c.state, c.result);
        fmt_time(c.submitted, t1);
        fmt_time(c.last_event, t2);
        printf("  submitted  %s, last event %s\n", t1, t2);
        fmt_time(at, t1);
        if (!c.finished && dl.step_mark.kind == REG_MARK_NONE) {
            printf("  %-10s no time stated by the act\n", dl.place.flow ? dl.place.phase : "step");
        } else if (!c.finished) {
            fmt_time(c.step_start, t2);
            deadline_text(&notes, cal, dl.step_mark, dl.step, at, buf, sizeof buf);
            printf("  %-10s started %s, deadline %s\n", dl.place.flow ? dl.place.phase : "step", t2, buf);
        }
        if (dl.term_pending)
            printf("  term       pending, counted %s\n", dl.pending);
        else if (dl.term_mark.kind == REG_MARK_NONE)
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
        if (doubt)
            printf("  validity   uncertain on the day of submission: %s\n", doubt);
        if (dl.stranded[0])
            printf("  STRANDED   %s; its events are refused until it is moved to the rules in force\n",
                   dl.stranded);
        printf("  at %s    %s\n", t1, dl.stranded[0] ? "stranded" : c.finished ? "finished" : overdue ? "OVERDUE"
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
    if (dl.stranded[0]) {
        char id[REG_SAFE_ID_BUFSZ];
        fprintf(stderr, "%s status: case `%s` is stranded: %s\n", rg->region, reg_safe_text(c.case_id, id, sizeof id),
                dl.stranded);
        status = 4;
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

