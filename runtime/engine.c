/* engine.c - applying events to a case (see engine.h). */
#include "engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "deadline.h"
#include "intake.h"
#include "machine_tables.h"
#include "reg_error.h"
#include "timefmt.h"

int reg_find_variant(const reg_machine *m, const char *id)
{
    for (int i = 0; i < m->nvariants; i++)
        if (strcmp(m->variants[i].id, id) == 0)
            return i;
    return -1;
}

int reg_find_channel(const reg_machine *m, const char *id)
{
    for (int i = 0; i < m->nchannels; i++)
        if (strcmp(m->channels[i].id, id) == 0)
            return i;
    return -1;
}

int reg_find_outcome(const reg_machine *m, const char *id)
{
    for (int i = 0; i < m->noutcomes; i++)
        if (strcmp(m->outcomes[i], id) == 0)
            return i;
    return -1;
}

int reg_machine_in_force(const reg_machine *m, int64_t day)
{
    int64_t from, until;
    if (m->valid_from && reg_parse_date(m->valid_from, &from) == 0 && day < from)
        return 0;
    if (m->valid_until && reg_parse_date(m->valid_until, &until) == 0 && day >= until)
        return 0;
    return 1;
}

const char *reg_machine_validity_doubt(const reg_machine *m, int64_t day)
{
    int64_t certain, earliest;
    if (!m->validity_note || !reg_machine_in_force(m, day))
        return NULL;
    if (m->valid_from_certain && reg_parse_date(m->valid_from_certain, &certain) == 0 && day < certain)
        return m->validity_note;
    if (m->valid_until_earliest && reg_parse_date(m->valid_until_earliest, &earliest) == 0 && day >= earliest)
        return m->validity_note;
    return NULL;
}

const char *reg_reason_name(reg_reason r)
{
    switch (r) {
    case REG_OK_APPLIED: return "ok";
    case REG_R_UNKNOWN_VARIANT: return "unknown_variant";
    case REG_R_UNKNOWN_CHANNEL: return "unknown_channel";
    case REG_R_NOT_IN_FORCE: return "not_in_force";
    case REG_R_NO_DEADLINE: return "no_deadline";
    case REG_R_TIME_BEFORE_LAST: return "time_before_last_event";
    case REG_R_FINISHED: return "case_finished";
    case REG_R_WRONG_STEP: return "wrong_step";
    case REG_R_UNKNOWN_OUTCOME: return "unknown_outcome";
    case REG_R_NO_REFUSAL: return "no_refusal_result";
    case REG_R_NOT_ALLOWED: return "not_allowed";
    case REG_R_UNKNOWN_ANCHOR: return "unknown_anchor";
    case REG_R_UNKNOWN_ITEM: return "unknown_item";
    }
    return "unknown";
}

static int at_result(const reg_case *c) { return c->mc.state >= c->machine->first_result_state; }

int reg_case_intake_refused(const reg_case *c)
{
    return c->machine->nflows && at_result(c) && c->mc.result == c->machine->intake_refused;
}

int reg_case_in_intake(const reg_case *c) { return c->mc.flow_pos && !at_result(c); }

int reg_case_in_handover(const reg_case *c) { return c->mc.flow_pos && at_result(c) && !reg_case_intake_refused(c); }

int reg_case_finished(const reg_case *c) { return at_result(c) && !reg_case_in_handover(c); }

const reg_flow *reg_case_flow(const reg_case *c)
{
    return c->channel == REG_NO_CHANNEL ? NULL : reg_intake_flow(c->machine, c->channel);
}

const reg_flow_item *reg_case_flow_item(const reg_case *c)
{
    const reg_flow *f = c->mc.flow_pos ? reg_case_flow(c) : NULL;
    return f && c->mc.flow_pos <= f->nitems ? &f->items[c->mc.flow_pos - 1] : NULL;
}

void reg_case_place(const reg_case *c, char *buf, size_t len)
{
    const reg_flow_item *it = reg_case_flow_item(c);
    if (it)
        snprintf(buf, len, "%s/%s", c->machine->channels[c->channel].id, it->id);
    else
        snprintf(buf, len, "%s", reg_case_state(c)->name);
}

const reg_state *reg_case_state(const reg_case *c) { return &c->machine->states[c->mc.state]; }

reg_duration reg_state_duration(const reg_state *s, uint8_t channel)
{
    for (int i = 0; i < s->nby_channel; i++)
        if (s->by_channel[i].channel == channel)
            return s->by_channel[i].duration;
    return s->duration;
}

int reg_state_applies(const reg_state *s, uint8_t channel)
{
    if (s->nonly == 0 || channel == REG_NO_CHANNEL)
        return 1;
    for (int i = 0; i < s->nonly; i++)
        if (s->only[i] == channel)
            return 1;
    return 0;
}

/* Writes why an event was refused, like printf; why may be NULL. */
static void say(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(char *why, size_t len, const char *fmt, ...)
{
    if (!why || !len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
}

/* Starts the current state's clock at `at`, or stops it at a result. A
 * deadline past the calendar's years is left unknown (REG_NO_TIME) and
 * computed once the calendar covers it (reg_case_recompute). */
static int start_term(reg_case *c, const reg_calendar *cal);

static int start_handover(reg_case *c, const reg_calendar *cal, int64_t at);
static int start_flow_clock(reg_case *c, const reg_calendar *cal, int64_t at);

static int start_state(reg_case *c, const reg_calendar *cal, int64_t at)
{
    c->step_start = REG_NO_TIME;
    c->step_deadline = REG_NO_TIME;
    if (c->mc.flow_pos)
        return reg_case_finished(c) ? 0 : start_flow_clock(c, cal, at);
    /* A step for other channels is passed over along its `->`; each pass
     * leaves a state, so at most nstates of them. */
    for (int n = 0; n < c->machine->nstates && !reg_case_finished(c) &&
                    !reg_state_applies(reg_case_state(c), c->channel); n++)
        if (reg_machine_apply(c->machine, &c->mc, REG_EV_COMPLETE, 0) != REG_STEP_OK)
            break;
    if (at_result(c))
        return start_handover(c, cal, at);
    /* A term counted from a step starts when the case first reaches it. */
    const char *anchor_step = c->machine->variants[c->variant].term_anchor_step;
    if (anchor_step && c->term_anchor == REG_NO_TIME && strcmp(reg_case_state(c)->step_id, anchor_step) == 0) {
        c->term_anchor = at;
        int rc = start_term(c, cal);
        if (rc != 0)
            return rc;
    }
    c->step_start = at;
    reg_duration d = reg_state_duration(reg_case_state(c), c->channel);
    int rc = reg_deadline_step(cal, at, d.amount, (reg_unit)d.unit, &c->step_deadline);
    return rc == REG_E_RANGE ? 0 : rc;
}

static int start_term(reg_case *c, const reg_calendar *cal)
{
    const reg_variant *var = &c->machine->variants[c->variant];
    c->term_deadline = REG_NO_TIME;
    if (!var->has_term || c->term_anchor == REG_NO_TIME)
        return 0;
    int rc = reg_deadline_term(cal, c->term_anchor, var->term.amount, (reg_unit)var->term.unit, &c->term_deadline);
    return rc == REG_E_RANGE ? 0 : rc;
}

/* The flow's walk (engine.h, "Flows"). */

/* 1 when the case waits at item it for an event: a check of the intake, or
 * a process that takes time. */
static int waits_at(const reg_case *c, const reg_flow_item *it)
{
    return !it->is_steps && ((it->is_check && !at_result(c)) || (!it->is_check && it->has_duration));
}

/* The clock of the flow item the case waits at, started at `at`: its own
 * time, or in intake the intake's (from the submission, the flow's
 * `takes`; none when the flow states none). */
static int start_flow_clock(reg_case *c, const reg_calendar *cal, int64_t at)
{
    const reg_flow *f = reg_case_flow(c);
    const reg_flow_item *it = reg_case_flow_item(c);
    c->step_start = c->step_deadline = REG_NO_TIME;
    reg_duration d;
    if (it && it->has_duration) {
        c->step_start = at;
        d = it->duration;
    } else if (reg_case_in_intake(c)) {
        c->step_start = c->submitted;
        if (!f->has_duration)
            return 0;
        d = f->duration;
    } else {
        return 0;
    }
    int rc = reg_deadline_step(cal, c->step_start, d.amount, (reg_unit)d.unit, &c->step_deadline);
    return rc == REG_E_RANGE ? 0 : rc;
}

/* The documents reach the provider at `at`: its first step starts. */
int reg_case_arrive(reg_case *c, const reg_calendar *cal, int64_t at)
{
    c->mc.flow_pos = 0;
    return start_state(c, cal, at);
}

/* Moves a case along flow f from place `to` at time `at`: it passes
 * processes that take no time and, after the steps, the checks its result
 * decides, and stops where it waits, at the provider's steps (reached at
 * `arrival`) or at the end. Every pass leaves an item, so a walk that
 * passes nitems of them without stopping goes round a loop: it stops
 * there. */
static int flow_walk(reg_case *c, const reg_calendar *cal, const reg_flow *f, const char *to, int64_t at,
                     int64_t arrival)
{
    const reg_machine *m = c->machine;
    int last = c->mc.flow_pos - 1; /* the item the walk comes from, -1: none */
    for (int n = 0; n <= f->nitems; n++) {
        int intake = !at_result(c);
        if (strcmp(to, "error") == 0 && intake) {
            /* The intake failed: the case keeps the check that failed, or
             * the item that led here. */
            if (last >= 0 && !(c->mc.flow_pos && f->items[c->mc.flow_pos - 1].is_check))
                c->mc.flow_pos = (uint8_t)(last + 1);
            c->mc.state = (uint16_t)(m->first_result_state + m->intake_refused);
            c->mc.result = m->intake_refused;
            c->step_start = c->step_deadline = REG_NO_TIME;
            return 0;
        }
        int k = reg_flow_item_index(f, to);
        if (k < 0 || f->items[k].is_steps) {
            /* `end`, or `steps`: in intake the documents reach the provider;
             * after the steps the handover is over. */
            if (intake)
                return reg_case_arrive(c, cal, arrival);
            c->mc.flow_pos = 0;
            c->step_start = c->step_deadline = REG_NO_TIME;
            return 0;
        }
        const reg_flow_item *it = &f->items[k];
        if (waits_at(c, it)) {
            c->mc.flow_pos = (uint8_t)(k + 1);
            return start_flow_clock(c, cal, at);
        }
        last = k;
        if (it->is_check) /* after the steps: the result decides */
            to = m->results[c->mc.result].flag ? it->fail : it->next;
        else
            to = it->next;
    }
    c->mc.flow_pos = (uint8_t)(last + 1);
    return start_flow_clock(c, cal, at);
}

/* The provider's steps ended with a result: the handover, when the flow
 * of the case's channel has items after `steps`. */
static int start_handover(reg_case *c, const reg_calendar *cal, int64_t at)
{
    const reg_flow *f = reg_case_flow(c);
    if (!f || f->steps_item >= f->nitems)
        return 0;
    c->mc.flow_pos = (uint8_t)(f->steps_item + 1);
    return flow_walk(c, cal, f, f->items[f->steps_item].next, at, at);
}

int reg_case_has_clock(const reg_case *c)
{
    if (reg_case_finished(c))
        return 0;
    const reg_flow_item *it = reg_case_flow_item(c);
    /* In a flow there is a clock only where the item or the intake takes time. */
    return !it || it->has_duration || (reg_case_in_intake(c) && reg_case_flow(c)->has_duration);
}

int reg_case_step_unknown(const reg_case *c) { return c->step_deadline == REG_NO_TIME && reg_case_has_clock(c); }

int reg_case_term_pending(const reg_case *c)
{
    return c->machine->variants[c->variant].has_term && c->term_anchor == REG_NO_TIME;
}

int reg_case_term_unknown(const reg_case *c)
{
    return c->machine->variants[c->variant].has_term && c->term_anchor != REG_NO_TIME &&
           c->term_deadline == REG_NO_TIME;
}

int reg_case_restart_clocks(reg_case *c, const reg_calendar *cal)
{
    int64_t start = c->step_start;
    int rc = start_term(c, cal);
    if (rc == 0 && !reg_case_finished(c) && start != REG_NO_TIME) {
        rc = start_state(c, cal, start);
    }
    return rc;
}

/* Every event after the submission: none once the case has ended, none
 * earlier than the case's last event. */
static reg_reason refuse_if_closed(const reg_case *c, int64_t at, char *why, size_t whylen)
{
    if (reg_case_finished(c)) {
        say(why, whylen, "the case has already ended with `%s`", c->machine->results[c->mc.result].id);
        return REG_R_FINISHED;
    }
    if (at < c->last_event) {
        char t1[REG_TIME_BUFSZ] = "?", t2[REG_TIME_BUFSZ] = "?";
        reg_format_time(at, t1);
        reg_format_time(c->last_event, t2);
        say(why, whylen, "event time %s is before the case's last event at %s", t1, t2);
        return REG_R_TIME_BEFORE_LAST;
    }
    return REG_OK_APPLIED;
}

reg_reason reg_case_anchor(reg_case *c, const reg_calendar *cal, const char *anchor, int64_t at, char *why,
                           size_t whylen)
{
    const reg_variant *var = &c->machine->variants[c->variant];
    if (why && whylen)
        why[0] = '\0';
    if (!var->term_anchor_event || !anchor || strcmp(var->term_anchor_event, anchor) != 0) {
        if (var->term_anchor_event)
            say(why, whylen, "the term of variant `%s` counts from `%s`, not `%s`", var->id, var->term_anchor_event,
                anchor ? anchor : "");
        else
            say(why, whylen, "the term of variant `%s` counts from %s, not from an event", var->id,
                var->term_anchor_step ? "a step" : "the submission");
        return REG_R_UNKNOWN_ANCHOR;
    }
    if (c->term_anchor != REG_NO_TIME) {
        char t[REG_TIME_BUFSZ] = "?";
        reg_format_time(c->term_anchor, t);
        say(why, whylen, "`%s` was recorded already, at %s", anchor, t);
        return REG_R_UNKNOWN_ANCHOR;
    }
    reg_reason open = refuse_if_closed(c, at, why, whylen);
    if (open != REG_OK_APPLIED)
        return open;
    reg_case n = *c;
    n.term_anchor = at;
    n.last_event = at;
    int rc = start_term(&n, cal);
    if (rc != 0) {
        say(why, whylen, "the term's deadline cannot be computed: %s", reg_strerror(rc));
        return REG_R_NO_DEADLINE;
    }
    *c = n;
    return REG_OK_APPLIED;
}

int reg_case_recompute(reg_case *c, const reg_calendar *cal)
{
    int changed = 0;
    if (reg_case_step_unknown(c) && c->step_start != REG_NO_TIME) {
        start_state(c, cal, c->step_start);
        changed |= c->step_deadline != REG_NO_TIME;
    }
    if (reg_case_term_unknown(c)) {
        start_term(c, cal);
        changed |= c->term_deadline != REG_NO_TIME;
    }
    return changed;
}

reg_reason reg_case_submit(reg_case *c, const reg_machine *m, const reg_calendar *cal,
                           const char *variant, const char *channel, int64_t at, char *why,
                           size_t whylen)
{
    if (why && whylen)
        why[0] = '\0';
    int v = variant ? reg_find_variant(m, variant) : -1;
    if (v < 0) {
        say(why, whylen, "service `%s` has no variant `%s`", m->id, variant ? variant : "");
        return REG_R_UNKNOWN_VARIANT;
    }
    int ch = REG_NO_CHANNEL;
    if (channel) {
        ch = reg_find_channel(m, channel);
        if (ch < 0) {
            say(why, whylen, "service `%s` has no channel `%s`", m->id, channel);
            return REG_R_UNKNOWN_CHANNEL;
        }
    }
    if (!reg_machine_in_force(m, reg_day_of(at))) {
        char date[REG_DATE_BUFSZ] = "?";
        reg_format_date(reg_day_of(at), date);
        say(why, whylen, "service `%s` is not in force on %s (valid from %s until %s)", m->id, date,
            m->valid_from ? m->valid_from : "-", m->valid_until ? m->valid_until : "-");
        return REG_R_NOT_IN_FORCE;
    }
    reg_case n;
    memset(&n, 0, sizeof n);
    n.machine = m;
    n.variant = (uint8_t)v;
    n.channel = (uint8_t)ch;
    n.mc.state = m->variants[v].first_state;
    n.mc.result = m->variants[v].result;
    n.submitted = at;
    n.last_event = at;
    const reg_variant *var = &m->variants[v];
    n.term_anchor = var->term_anchor_event || var->term_anchor_step ? REG_NO_TIME : at;
    /* The provider's first step starts when the documents arrive: when the
     * intake of the channel's flow ends, or, when nothing in it waits for an
     * event, after the flow's time (intake.h). */
    int64_t arrival = at;
    int rc = start_term(&n, cal);
    if (rc == 0)
        rc = reg_intake_arrival(m, n.channel, cal, at, &arrival);
    const reg_flow *f = reg_case_flow(&n);
    if (rc == REG_E_RANGE) {
        /* Arrival past the calendar's end: the first step's times are unknown. */
        rc = f && f->nitems ? flow_walk(&n, cal, f, f->items[0].id, at, at) : start_state(&n, cal, at);
        if (!n.mc.flow_pos)
            n.step_start = n.step_deadline = REG_NO_TIME;
    } else if (rc == 0) {
        rc = f && f->nitems ? flow_walk(&n, cal, f, f->items[0].id, at, arrival) : start_state(&n, cal, arrival);
    }
    if (rc != 0) {
        say(why, whylen, "the deadlines cannot be computed: %s", reg_strerror(rc));
        return REG_R_NO_DEADLINE;
    }
    *c = n;
    return REG_OK_APPLIED;
}

reg_reason reg_case_apply(reg_case *c, const reg_calendar *cal, reg_event ev, const char *step,
                          const char *outcome, int64_t at, char *why, size_t whylen)
{
    const reg_machine *m = c->machine;
    if (why && whylen)
        why[0] = '\0';
    reg_reason open = refuse_if_closed(c, at, why, whylen);
    if (open != REG_OK_APPLIED)
        return open;
    const reg_flow_item *fi = reg_case_flow_item(c);
    if (fi && ev == REG_EV_TIMER && (!step || strcmp(step, fi->id) == 0)) {
        c->mc.late = 1;
        c->last_event = at;
        return REG_OK_APPLIED;
    }
    if (fi) {
        const char *where = reg_case_in_intake(c) ? "in the intake" : "in the handover";
        if (ev == REG_EV_REFUSE && !step) {
            say(why, whylen, "no refusal %s: the case is at `%s` of the `%s` flow%s", where, fi->id,
                m->channels[c->channel].id,
                reg_case_in_intake(c) ? "; the intake ends with a refusal when a check fails" : ", its result is known");
            return REG_R_NOT_ALLOWED;
        }
        say(why, whylen, "%s `%s` is not the current step: the case is %s, at `%s` of the `%s` flow (a `flow` event)",
            step ? "step" : "the event", step ? step : "", where, fi->id, m->channels[c->channel].id);
        return REG_R_WRONG_STEP;
    }
    const reg_state *cur = reg_case_state(c);
    if ((ev == REG_EV_COMPLETE || ev == REG_EV_BRANCH || step) &&
        (!step || strcmp(step, cur->step_id) != 0)) {
        say(why, whylen, "step `%s` is not the current step (the case is at `%s`)", step ? step : "",
            cur->step_id);
        return REG_R_WRONG_STEP;
    }
    uint16_t oc = 0;
    if (ev == REG_EV_BRANCH) {
        int o = outcome ? reg_find_outcome(m, outcome) : -1;
        int found = 0;
        for (int i = 0; o >= 0 && i < cur->nbranches; i++)
            found |= cur->branches[i].outcome == o;
        if (!found) {
            say(why, whylen, "step `%s` has no outcome `%s`", cur->step_id, outcome ? outcome : "");
            return REG_R_UNKNOWN_OUTCOME;
        }
        oc = (uint16_t)o;
    }
    reg_case n = *c;
    /* A machine built in memory (regc test) has no generated apply. */
    reg_step_status st = reg_machine_apply(m, &n.mc, ev, oc);
    if (st == REG_STEP_NO_REFUSAL) {
        say(why, whylen, "service `%s` declares no negative result to refuse with", m->id);
        return REG_R_NO_REFUSAL;
    }
    if (st != REG_STEP_OK) {
        say(why, whylen, "the event is not allowed at step `%s`", cur->step_id);
        return REG_R_NOT_ALLOWED;
    }
    n.last_event = at;
    if (ev != REG_EV_TIMER) {
        int rc = start_state(&n, cal, at);
        if (rc != 0) {
            say(why, whylen, "the next deadline cannot be computed: %s", reg_strerror(rc));
            return REG_R_NO_DEADLINE;
        }
    }
    *c = n;
    return REG_OK_APPLIED;
}

reg_reason reg_case_flow_event(reg_case *c, const reg_calendar *cal, const char *item, const char *outcome,
                               int64_t at, char *why, size_t whylen)
{
    const reg_machine *m = c->machine;
    if (why && whylen)
        why[0] = '\0';
    reg_reason open = refuse_if_closed(c, at, why, whylen);
    if (open != REG_OK_APPLIED)
        return open;
    const reg_flow *f = reg_case_flow(c);
    const reg_flow_item *cur = reg_case_flow_item(c);
    if (!f) {
        say(why, whylen, "the case has no flow: it was submitted %s%s%s", c->channel == REG_NO_CHANNEL ? "without a channel" : "through `",
            c->channel == REG_NO_CHANNEL ? "" : m->channels[c->channel].id,
            c->channel == REG_NO_CHANNEL ? "" : "`, which has no flow");
        return REG_R_UNKNOWN_ITEM;
    }
    if (!item || reg_flow_item_index(f, item) < 0) {
        say(why, whylen, "the `%s` flow has no item `%s`", m->channels[c->channel].id, item ? item : "");
        return REG_R_UNKNOWN_ITEM;
    }
    if (!cur || strcmp(cur->id, item) != 0) {
        if (cur)
            say(why, whylen, "flow item `%s` is not the current one: the case is %s, at `%s` of the `%s` flow", item,
                reg_case_in_intake(c) ? "in the intake" : "in the handover", cur->id, m->channels[c->channel].id);
        else
            say(why, whylen, "flow item `%s` is not the current one: the case is at step `%s`", item,
                reg_case_state(c)->step_id);
        return REG_R_WRONG_STEP;
    }
    int holds = 1;
    if (cur->is_check) {
        if (!outcome || (strcmp(outcome, "holds") != 0 && strcmp(outcome, "fails") != 0)) {
            say(why, whylen, "check `%s` needs the outcome `holds` or `fails`%s%s%s", cur->id, outcome ? ", not `" : "",
                outcome ? outcome : "", outcome ? "`" : "");
            return REG_R_UNKNOWN_OUTCOME;
        }
        holds = strcmp(outcome, "holds") == 0;
    } else if (outcome) {
        say(why, whylen, "process `%s` has no outcome; `%s` is for a check", cur->id, outcome);
        return REG_R_UNKNOWN_OUTCOME;
    }
    reg_case n = *c;
    n.last_event = at;
    int rc = flow_walk(&n, cal, f, holds ? cur->next : cur->fail, at, at);
    if (rc != 0) {
        say(why, whylen, "the next deadline cannot be computed: %s", reg_strerror(rc));
        return REG_R_NO_DEADLINE;
    }
    *c = n;
    return REG_OK_APPLIED;
}

int reg_find_state(const reg_machine *m, const char *name)
{
    for (int i = 0; i < m->nstates; i++)
        if (strcmp(m->states[i].name, name) == 0)
            return i;
    return -1;
}

int reg_find_result(const reg_machine *m, const char *id)
{
    for (int i = 0; i < m->nresults; i++)
        if (strcmp(m->results[i].id, id) == 0)
            return i;
    return -1;
}

int reg_case_restore(reg_case *c, const reg_machine *m, const reg_case_saved *saved, char *why,
                     size_t whylen)
{
    if (why && whylen)
        why[0] = '\0';
    int v = saved->variant ? reg_find_variant(m, saved->variant) : -1;
    if (v < 0) {
        say(why, whylen, "service `%s` has no variant `%s` any more", m->id, saved->variant ? saved->variant : "");
        return -1;
    }
    int ch = REG_NO_CHANNEL;
    if (saved->channel && (ch = reg_find_channel(m, saved->channel)) < 0) {
        say(why, whylen, "service `%s` has no channel `%s` any more", m->id, saved->channel);
        return -1;
    }
    int r = saved->result ? reg_find_result(m, saved->result) : -1;
    if (r < 0) {
        say(why, whylen, "service `%s` has no result `%s` any more", m->id, saved->result ? saved->result : "");
        return -1;
    }
    /* A place in a flow: CHANNEL/ITEM (reg_case_place). */
    const char *slash = saved->state ? strchr(saved->state, '/') : NULL;
    int pos = 0, st;
    if (slash) {
        const reg_flow *f = ch == REG_NO_CHANNEL ? NULL : reg_intake_flow(m, (unsigned)ch);
        size_t chlen = (size_t)(slash - saved->state);
        int k = f ? reg_flow_item_index(f, slash + 1) : -1;
        if (!f || strlen(m->channels[ch].id) != chlen || strncmp(m->channels[ch].id, saved->state, chlen) != 0 || k < 0) {
            say(why, whylen, "service `%s` has no flow item `%s` for the case's channel any more", m->id, saved->state);
            return -1;
        }
        pos = k + 1;
        if ((m->nflows && r == m->intake_refused) || k > f->steps_item)
            st = m->first_result_state + r;   /* refused at intake, or in the handover */
        else
            st = m->variants[v].first_state;  /* in the intake */
    } else if ((st = saved->state ? reg_find_state(m, saved->state) : -1) < 0) {
        say(why, whylen, "service `%s` has no state `%s` any more", m->id, saved->state ? saved->state : "");
        return -1;
    }
    /* A step state belongs to one variant; a result state to none. */
    const reg_state *s = &m->states[st];
    if (st < m->first_result_state && s->variant != v) {
        say(why, whylen, "state `%s` is not a step of variant `%s`", s->name, saved->variant);
        return -1;
    }
    memset(c, 0, sizeof *c);
    c->machine = m;
    c->variant = (uint8_t)v;
    c->channel = (uint8_t)ch;
    c->mc.state = (uint16_t)st;
    c->mc.result = (uint16_t)r;
    c->mc.late = saved->late ? 1 : 0;
    c->mc.flow_pos = (uint8_t)pos;
    c->submitted = saved->submitted;
    c->last_event = saved->last_event;
    c->step_start = saved->step_start;
    c->step_deadline = saved->step_deadline;
    c->term_deadline = saved->term_deadline;
    c->term_anchor = saved->term_anchor;
    return 0;
}
