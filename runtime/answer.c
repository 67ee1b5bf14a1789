/* answer.c - the JSON answer lines of `run` (answer.h). */
#include "answer.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deadline_mark.h"
#include "engine.h"
#include "flow_place.h"
#include "mark_out.h"
#include "timefmt.h"

/* Answers are built from constant keys and references to strings that
 * outlive the printing, so building one copies nothing (one answer is
 * printed per event). */
static void add_ref(cJSON *o, const char *key, const char *value)
{
    cJSON_AddItemToObjectCS(o, key, value ? cJSON_CreateStringReference(value) : cJSON_CreateNull());
}

static void add_bool(cJSON *o, const char *key, int value) { cJSON_AddItemToObjectCS(o, key, cJSON_CreateBool(value)); }

/* An integer as raw JSON text: cJSON prints doubles through "%1.15g" and a
 * round-trip check, the costliest part of an answer. */
static void add_integer(cJSON *o, const char *key, long value)
{
    char text[24];
    snprintf(text, sizeof text, "%ld", value);
    cJSON_AddItemToObjectCS(o, key, cJSON_CreateRaw(text));
}

/* A time's text in buf, or NULL when there is none. */
static const char *time_text(int64_t t, char buf[REG_TIME_BUFSZ])
{
    return t == REG_NO_TIME || reg_format_time(t, buf) != 0 ? NULL : buf;
}

/* Prints into a buffer on the stack first (answers are a few hundred
 * bytes), with cJSON's own allocation for the rare large one. */
static char *print_answer(cJSON *o)
{
    char buf[4096];
    char *s = cJSON_PrintPreallocated(o, buf, (int)sizeof buf, 0) ? strdup(buf) : cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

/* c is the event's case, for the marks of the deadlines (deadline_mark.h):
 * the step's clock started at the event (a timer leaves it running, so its
 * deadline alone is judged), the term's at the submission. */
char *answer_accepted(const reg_region *rg, const reg_calendar *cal, long line, const reg_event_row *e,
                             const reg_case_row *c, int duplicate, int differs)
{
    char at[REG_TIME_BUFSZ];
    const reg_machine *m = reg_region_case_machine(rg, c->service, c->version, c->fingerprint, NULL, 0);
    int st = m ? reg_find_state(m, e->state) : -1;
    int v = m ? reg_find_variant(m, c->variant) : -1;
    cJSON *o = cJSON_CreateObject();
    add_integer(o, "line", line);
    add_ref(o, "event_id", e->event_id);
    add_ref(o, "case", e->case_id);
    add_ref(o, "status", "accepted");
    add_bool(o, "duplicate", duplicate);
    if (differs)
        add_ref(o, "warning", "this event id was first used for a different event; the answer is the first event's");
    add_ref(o, "type", e->type);
    add_ref(o, "service", e->service);
    add_ref(o, "state", e->state);
    add_ref(o, "step", st >= 0 ? m->states[st].step_id : NULL);
    add_bool(o, "finished", e->finished);
    add_ref(o, "result", e->result);
    add_bool(o, "late", e->late);
    add_ref(o, "at", time_text(e->at, at));
    /* In a flow (state CHANNEL/ITEM): where, and whether that place has a clock. */
    reg_flow_place fp = { 0 };
    int clock = !e->finished;
    if (m && v >= 0 && strchr(e->state, '/')) {
        reg_case fc;
        reg_case_saved saved = { c->variant, c->channel[0] ? c->channel : NULL, e->state, e->result, e->late,
                                 c->submitted, e->at, REG_NO_TIME, e->step_deadline, e->term_deadline, c->term_anchor };
        if (reg_case_restore(&fc, m, &saved, NULL, 0) == 0) {
            reg_flow_place_of(&fc, &fp);
            clock = reg_case_has_clock(&fc);
        }
    }
    reg_flow_place_json(o, &fp);
    int64_t step_start = strcmp(e->type, "timer") == 0 ? e->step_deadline : e->at;
    reg_mark sm = reg_mark_deadline(cal, step_start, e->step_deadline, clock);
    int has_term = e->term_deadline != REG_NO_TIME ||
                   (v >= 0 && m->variants[v].has_term && c->term_anchor != REG_NO_TIME);
    reg_mark tm = reg_mark_deadline(cal, c->term_anchor != REG_NO_TIME ? c->term_anchor : c->submitted,
                                    e->term_deadline, has_term);
    reg_json_marked_time(o, "step_deadline", cal, sm, e->step_deadline);
    reg_json_marked_time(o, "term_deadline", cal, tm, e->term_deadline);
    if (v >= 0 && m->variants[v].has_term && c->term_anchor == REG_NO_TIME) {
        const reg_variant *var = &m->variants[v];
        char pending[160];
        snprintf(pending, sizeof pending, "from %s%s: not yet %s", var->term_anchor_event ? "the " : "step ",
                 var->term_anchor_event ? var->term_anchor_event : var->term_anchor_step ? var->term_anchor_step : "?",
                 var->term_anchor_event ? "passed" : "reached");
        cJSON_AddItemToObjectCS(o, "term_pending", cJSON_CreateString(pending));
    }
    const char *doubt = m ? reg_machine_validity_doubt(m, reg_day_of(c->submitted)) : NULL;
    if (doubt)
        add_ref(o, "validity_uncertain", doubt);
    return print_answer(o);
}

char *answer_rejected(long line, const event *ev, const refusal *rf)
{
    cJSON *o = cJSON_CreateObject();
    add_integer(o, "line", line);
    /* Quote the ids when the line gave them as strings, valid or not. */
    const cJSON *id = ev->json ? cJSON_GetObjectItemCaseSensitive(ev->json, "event_id") : NULL;
    const cJSON *cs = ev->json ? cJSON_GetObjectItemCaseSensitive(ev->json, "case") : NULL;
    add_ref(o, "event_id", cJSON_IsString(id) ? id->valuestring : NULL);
    add_ref(o, "case", cJSON_IsString(cs) ? cs->valuestring : NULL);
    add_ref(o, "status", "rejected");
    add_ref(o, "reason", rf->reason);
    add_ref(o, "message", rf->message);
    return print_answer(o);
}

