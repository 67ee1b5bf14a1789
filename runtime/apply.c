/* apply.c - one input line of `run` applied to the case store (apply.h).
 *
 * Event ids are journaled with a UNIQUE constraint, so a line seen before
 * is answered again ("duplicate") instead of being applied twice. */
#include "apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "engine.h"
#include "event.h"
#include "timefmt.h"
#include "version.h"

static void case_row_from(const applier *r, const reg_case *c, const char *case_id, reg_case_row *row)
{
    const reg_machine *m = c->machine;
    memset(row, 0, sizeof *row);
    reg_store_copy(row->case_id, sizeof row->case_id, case_id);
    reg_store_copy(row->region, sizeof row->region, r->rg->region);
    reg_store_copy(row->service, sizeof row->service, reg_machine_service(m));
    reg_store_copy(row->version, sizeof row->version, m->id);
    reg_store_copy(row->fingerprint, sizeof row->fingerprint, m->fingerprint ? m->fingerprint : "");
    reg_store_copy(row->variant, sizeof row->variant, m->variants[c->variant].id);
    reg_store_copy(row->channel, sizeof row->channel, c->channel == REG_NO_CHANNEL ? "" : m->channels[c->channel].id);
    reg_case_place(c, row->state, sizeof row->state);
    reg_store_copy(row->result, sizeof row->result, m->results[c->mc.result].id);
    row->late = c->mc.late;
    row->finished = reg_case_finished(c);
    row->submitted = c->submitted;
    row->last_event = c->last_event;
    row->step_start = c->step_start;
    row->step_deadline = c->step_deadline;
    row->term_deadline = c->term_deadline;
    row->term_anchor = c->term_anchor;
    row->term_unknown = reg_case_term_unknown(c);
}

static void event_row_from(const event *ev, const reg_case_row *row, reg_event_row *e)
{
    memset(e, 0, sizeof *e);
    reg_store_copy(e->event_id, sizeof e->event_id, ev->f[F_EVENT_ID]);
    reg_store_copy(e->case_id, sizeof e->case_id, ev->f[F_CASE]);
    reg_store_copy(e->type, sizeof e->type, event_type_names[ev->type]);
    reg_store_copy(e->service, sizeof e->service, row->service);
    reg_store_copy(e->state, sizeof e->state, row->state);
    reg_store_copy(e->result, sizeof e->result, row->result);
    e->late = row->late;
    e->finished = row->finished;
    e->at = ev->at;
    e->step_deadline = row->step_deadline;
    e->term_deadline = row->term_deadline;
}

/* The answer to an event id already in the journal: its first outcome. */
static int answer_duplicate(applier *r, const held_line *hl, const event *ev, char **answer)
{
    reg_event_row e;
    char *raw = NULL;
    int rc = reg_store_find_event(r->store, ev->f[F_EVENT_ID], &e, &raw);
    if (rc == 0) {
        reg_store_set_error(r->store, "event `%s` left the journal while it was being read", ev->f[F_EVENT_ID]);
        return REG_E_STORE;
    }
    if (rc < 0)
        return rc;
    cJSON *first = cJSON_Parse(raw);
    int differs = !first || !cJSON_Compare(first, ev->json, 1);
    cJSON_Delete(first);
    free(raw);
    reg_case_row c;
    if ((rc = reg_store_get_case(r->store, e.case_id, 0, &c)) < 0)
        return rc;
    if (rc == 0) {
        reg_store_set_error(r->store, "case `%s` of journaled event `%s` is not in the store", e.case_id, e.event_id);
        return REG_E_STORE;
    }
    *answer = answer_accepted(r->rg, r->cal, hl->line, &e, &c, 1, differs);
    r->kind = KIND_DUPLICATE;
    return 0;
}

static int record_refusal(applier *r, const held_line *hl, const event *ev, const refusal *rf, char **answer)
{
    reg_rejection_row row;
    memset(&row, 0, sizeof row);
    /* Ids go to the log only when they are valid ones. */
    if (ev->f[F_EVENT_ID] && strlen(ev->f[F_EVENT_ID]) <= REG_STORE_ID_MAX)
        reg_store_copy(row.event_id, sizeof row.event_id, ev->f[F_EVENT_ID]);
    if (ev->f[F_CASE] && strlen(ev->f[F_CASE]) <= REG_STORE_ID_MAX)
        reg_store_copy(row.case_id, sizeof row.case_id, ev->f[F_CASE]);
    reg_store_copy(row.reason, sizeof row.reason, rf->reason);
    reg_store_copy(row.message, sizeof row.message, rf->message);
    reg_store_now(row.recorded);
    /* Only valid UTF-8 goes into the store's text columns. */
    const char *raw = hl->text;
    if (raw && utf8_invalid_at((const unsigned char *)raw, hl->len) < hl->len)
        raw = NULL;
    int rc = reg_store_insert_rejection(r->store, &row, raw, raw ? hl->len : 0);
    if (rc < 0)
        return rc;
    *answer = answer_rejected(hl->line, ev, rf);
    r->kind = KIND_REJECTED;
    return 0;
}

/* Journals an event and writes its case; a conflict on the event id means
 * another writer journaled it first: answer as a duplicate. */
static int journal(applier *r, const held_line *hl, const event *ev, const reg_case_row *row, int is_new,
                   refusal *rf, char **answer)
{
    reg_event_row e;
    event_row_from(ev, row, &e);
    int rc = reg_store_insert_event(r->store, &e, hl->text, hl->len);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return answer_duplicate(r, hl, ev, answer);
    rc = is_new ? reg_store_insert_case(r->store, row) : reg_store_update_case(r->store, row);
    if (rc < 0)
        return rc;
    if (rc == 0 && is_new) {
        /* Another writer submitted the same case id under another event. */
        if ((rc = reg_store_delete_event(r->store, e.seq)) < 0)
            return rc;
        refuse(rf, "case_exists", "case `%s` already exists", ev->f[F_CASE]);
        return 1;
    }
    if (rc == 0) {
        reg_store_set_error(r->store, "case `%s` left the store while it was being updated", ev->f[F_CASE]);
        return REG_E_STORE;
    }
    *answer = answer_accepted(r->rg, r->cal, hl->line, &e, row, 0, 0);
    if (!r->stats->accepted_any || e.at > r->stats->latest)
        r->stats->latest = e.at;
    r->stats->accepted_any = 1;
    r->kind = KIND_ACCEPTED;
    return 0;
}

/* Returns 0 with an answer, 1 with a refusal in rf, or a store failure. */
static int apply_submit(applier *r, const held_line *hl, const event *ev, refusal *rf, char **answer)
{
    /* Read the case before the journal: another writer commits both in
     * one transaction, so a case seen here has its event in the journal
     * read next, and a submission of this very event is not mistaken for
     * a second case with the same id. */
    reg_case_row row;
    int found = reg_store_get_case(r->store, ev->f[F_CASE], 0, &row);
    if (found < 0)
        return found;
    int rc = reg_store_find_event(r->store, ev->f[F_EVENT_ID], &(reg_event_row){ 0 }, NULL);
    if (rc < 0)
        return rc;
    if (rc == 1)
        return answer_duplicate(r, hl, ev, answer);
    /* The wording in force on the day of submission; the case keeps it. */
    const reg_machine *m = reg_version_at(r->rg->machines, r->rg->count, ev->f[F_SERVICE], reg_day_of(ev->at));
    if (!m) {
        char list[256] = "";
        for (size_t i = 0; i < r->rg->count && strlen(list) + 80 < sizeof list; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", r->rg->machines[i]->id);
        refuse(rf, "unknown_service", "region %s has no service `%.80s` (services: %s)", r->rg->region,
               ev->f[F_SERVICE], list);
        return 1;
    }
    if (found) {
        char t[REG_TIME_BUFSZ] = "?";
        reg_format_time(row.submitted, t);
        refuse(rf, "case_exists", "case `%s` already exists (%s, submitted %s)", ev->f[F_CASE], row.service, t);
        return 1;
    }
    reg_case c;
    char why[REG_STORE_MSG_MAX + 1];
    reg_reason reason = reg_case_submit(&c, m, r->cal, ev->f[F_VARIANT], ev->f[F_CHANNEL], ev->at, why, sizeof why);
    const reg_machine *gap = reason == REG_R_NOT_IN_FORCE
                                 ? reg_version_gap_at(r->rg->machines, r->rg->count, ev->f[F_SERVICE], reg_day_of(ev->at))
                                 : NULL;
    if (gap) {
        char date[REG_DATE_BUFSZ] = "?";
        reg_format_date(reg_day_of(ev->at), date);
        refuse(rf, reg_reason_name(reason),
               "no wording of `%.80s` applies on %s: a gap the law leaves before `%s` (valid from %s): %.300s (%.200s)",
               ev->f[F_SERVICE], date, gap->id, gap->valid_from ? gap->valid_from : "-", gap->gap_reason,
               gap->gap_cite ? gap->gap_cite : "");
        return 1;
    }
    if (reason != REG_OK_APPLIED) {
        refuse(rf, reg_reason_name(reason), "%s", why);
        return 1;
    }
    case_row_from(r, &c, ev->f[F_CASE], &row);
    return journal(r, hl, ev, &row, 1, rf, answer);
}

static int apply_event(applier *r, const held_line *hl, const event *ev, refusal *rf, char **answer)
{
    /* A replayed event is answered without taking any lock. */
    int rc = reg_store_find_event(r->store, ev->f[F_EVENT_ID], &(reg_event_row){ 0 }, NULL);
    if (rc < 0)
        return rc;
    if (rc == 1)
        return answer_duplicate(r, hl, ev, answer);
    /* Lock the case, then look again: a writer that waited for the lock
     * now sees the journal as the other writer committed it, and must not
     * judge the event against the state that event produced. */
    reg_case_row row;
    int found = reg_store_get_case(r->store, ev->f[F_CASE], 1, &row);
    if (found < 0)
        return found;
    if (found && r->store->shared &&
        (rc = reg_store_find_event(r->store, ev->f[F_EVENT_ID], &(reg_event_row){ 0 }, NULL)) != 0)
        return rc < 0 ? rc : answer_duplicate(r, hl, ev, answer);
    if (!found) {
        refuse(rf, "unknown_case", "no case `%s`: a case starts with a submit event", ev->f[F_CASE]);
        return 1;
    }
    if (strcmp(row.region, r->rg->region) != 0) {
        refuse(rf, "wrong_region", "case `%s` is a case of region %s, not %s", row.case_id, row.region, r->rg->region);
        return 1;
    }
    reg_case c;
    char why[REG_STORE_MSG_MAX + 1];
    const reg_machine *m = reg_region_case_machine(r->rg, row.service, row.version, row.fingerprint, why, sizeof why);
    if (!m) {
        refuse(rf, "version_missing", "case `%s`: %s", row.case_id, why);
        return 1;
    }
    reg_case_saved saved = { row.variant, row.channel[0] ? row.channel : NULL, row.state, row.result, row.late,
                             row.submitted, row.last_event, row.step_start, row.step_deadline, row.term_deadline,
                             row.term_anchor };
    if (reg_case_restore(&c, m, &saved, why, sizeof why) != 0) {
        refuse(rf, "stored_case_invalid", "case `%s` no longer fits its regulation: %s", row.case_id, why);
        return 1;
    }
    /* Deadlines unknown when stored may be known to this calendar. */
    reg_case_recompute(&c, r->cal);
    static const reg_event engine_event[EV_TYPES] = { REG_EV_COMPLETE, REG_EV_COMPLETE, REG_EV_BRANCH, REG_EV_REFUSE,
                                                      REG_EV_TIMER, REG_EV_TIMER, REG_EV_COMPLETE };
    reg_case before = c;
    reg_reason reason =
        ev->type == EV_ANCHOR ? reg_case_anchor(&c, r->cal, ev->f[F_ANCHOR], ev->at, why, sizeof why)
        : ev->type == EV_FLOW ? reg_case_flow_event(&c, r->cal, ev->f[F_ITEM], ev->f[F_OUTCOME], ev->at, why, sizeof why)
                              : reg_case_apply(&c, r->cal, engine_event[ev->type], ev->f[F_STEP], ev->f[F_OUTCOME],
                                               ev->at, why, sizeof why);
    if (reason != REG_OK_APPLIED) {
        refuse(rf, reg_reason_name(reason), "%s", why);
        return 1;
    }
    /* A timer says a deadline has passed: refuse one that comes early, or
     * it would mark an on-time case late, and one that cannot be judged. */
    int step_passed = before.step_deadline != REG_NO_TIME && ev->at > before.step_deadline;
    int term_passed = before.term_deadline != REG_NO_TIME && ev->at > before.term_deadline;
    if (ev->type == EV_TIMER && !step_passed && !term_passed) {
        char t1[REG_TIME_BUFSZ] = "unknown", t2[REG_TIME_BUFSZ] = "-";
        if (before.step_deadline != REG_NO_TIME)
            reg_format_time(before.step_deadline, t1);
        if (before.term_deadline != REG_NO_TIME)
            reg_format_time(before.term_deadline, t2);
        else if (reg_case_term_unknown(&before))
            snprintf(t2, sizeof t2, "unknown");
        if (reg_case_step_unknown(&before) || reg_case_term_unknown(&before))
            refuse(rf, "deadline_unknown",
                   "no known deadline has passed at %s (step deadline %s, term deadline %s): a deadline past the "
                   "calendar's end is unknown until the calendar is extended",
                   ev->f[F_AT], t1, t2);
        else
            refuse(rf, "not_due", "no deadline has passed at %s (step deadline %s, term deadline %s)", ev->f[F_AT],
                   t1, t2);
        return 1;
    }
    reg_case_row next;
    case_row_from(r, &c, row.case_id, &next);
    return journal(r, hl, ev, &next, 0, rf, answer);
}

/* Handles one line inside the open transaction. */
int apply_line(applier *r, held_line *hl)
{
    event ev;
    refusal rf = { NULL, "" };
    int rc;
    free(hl->answer);
    hl->answer = NULL;
    if (!hl->text) {
        memset(&ev, 0, sizeof ev);
        refuse(&rf, "line_too_long", "the line is longer than %d bytes and was skipped", REG_LINE_MAX);
        rc = 1;
    } else if (parse_event(hl->text, hl->len, &ev, &rf) != 0) {
        rc = 1;
    } else if (ev.type == EV_SUBMIT) {
        rc = apply_submit(r, hl, &ev, &rf, &hl->answer);
    } else {
        rc = apply_event(r, hl, &ev, &rf, &hl->answer);
    }
    if (rc == 1)
        rc = record_refusal(r, hl, &ev, &rf, &hl->answer);
    cJSON_Delete(ev.json);
    hl->kind = r->kind;
    if (rc == 0 && !hl->answer) {
        reg_store_set_error(r->store, "out of memory");
        rc = REG_E_STORE;
    }
    return rc;
}

