/* scenario_run.c - the runner of scenarios (scenario_run.h). */
#include "scenario_run.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "deadline_mark.h"
#include "engine.h"
#include "intake.h"
#include "strbuf.h"
#include "timefmt.h"
#include "util.h"

typedef struct {
    const scenario_file *f;
    const reg_machine *m;
    const reg_calendar *cal;
    coverage *cov;
    diag_list *d;
    reg_case c;
    bool have_case;
    reg_reason last;          /* of the last event or submission */
    char why[256];
    const sc_stmt *last_stmt; /* that event */
} run;

static void time_text(int64_t t, char buf[REG_TIME_BUFSZ])
{
    if (reg_format_time(t, buf) != 0)
        snprintf(buf, REG_TIME_BUFSZ, "?");
}

/* The state of the case in one sentence, for hints. */
static char *case_text(const run *r)
{
    if (!r->have_case)
        return xstrdup("the case was not submitted");
    const reg_case *c = &r->c;
    const reg_machine *m = r->m;
    char t1[REG_TIME_BUFSZ], t2[REG_TIME_BUFSZ];
    const char *ch = c->channel == REG_NO_CHANNEL ? "" : m->channels[c->channel].id;
    const char *chw = c->channel == REG_NO_CHANNEL ? "no channel" : "channel ";
    if (reg_case_finished(c))
        return xasprintf("the case (variant %s, %s%s) has ended with `%s`%s", m->variants[c->variant].id, chw, ch,
                         m->results[c->mc.result].id, c->mc.late ? ", late" : "");
    const reg_state *s = reg_case_state(c);
    reg_duration du = reg_state_duration(s, c->channel);
    time_text(c->step_start, t1);
    if (c->step_deadline == REG_NO_TIME)
        snprintf(t2, sizeof t2, "unknown");
    else
        time_text(c->step_deadline, t2);
    return xasprintf("the case (variant %s, %s%s) is at step `%s` (%s%d%s, cite %s), started %s, due %s%s",
                     m->variants[c->variant].id, chw, ch, s->step_id, du.at_most ? "at most " : "", du.amount,
                     unit_name((reg_unit)du.unit), s->cite ? s->cite : "-", t1, t2, c->mc.late ? ", late" : "");
}

static diagnostic *fail(run *r, srcloc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static diagnostic *fail(run *r, srcloc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    diagnostic *rec = diag_error(r->d, &r->f->src, loc, "%s", msg);
    free(msg);
    return rec;
}

/* An unknown name: the closest candidate and the list in the hint. */
static void unknown(run *r, sc_word w, const char *what, const char *owner, const char *const *names, size_t n)
{
    diagnostic *rec = fail(r, w.loc, "%s has no %s `%s`", owner, what, w.text);
    const char *near = diag_closest(w.text, names, n);
    strbuf b;
    sb_init(&b);
    if (near)
        sb_printf(&b, "did you mean `%s`? ", near);
    sb_printf(&b, "%s%s:", n == 1 ? "the only one is" : "they are", "");
    for (size_t i = 0; i < n; i++)
        sb_printf(&b, "%s %s", i ? "," : "", names[i]);
    if (n == 0)
        sb_add(&b, " none");
    diag_hint(rec, "%s", b.len ? b.data : "");
    sb_free(&b);
}


/* The steps of the case's variant. */
static size_t step_names(const run *r, const char **buf)
{
    const reg_variant *v = &r->m->variants[r->c.variant];
    for (int i = 0; i < v->nsteps; i++)
        buf[i] = r->m->states[v->first_state + i].step_id;
    return v->nsteps;
}

static bool check_step(run *r, sc_word w, bool allow_none)
{
    if (allow_none && strcmp(w.text, "none") == 0)
        return true;
    const reg_variant *v = &r->m->variants[r->c.variant];
    for (int i = 0; i < v->nsteps; i++)
        if (strcmp(r->m->states[v->first_state + i].step_id, w.text) == 0)
            return true;
    const char **names = xcalloc((size_t)v->nsteps + 1, sizeof *names);
    size_t n = step_names(r, names);
    char *owner = xasprintf("variant `%s`", v->id);
    unknown(r, w, "step", owner, names, n);
    free(owner);
    free(names);
    return false;
}

static bool check_outcome(run *r, sc_word w)
{
    if (reg_find_outcome(r->m, w.text) >= 0)
        return true;
    char *owner = xasprintf("service `%s`", r->m->id);
    unknown(r, w, "outcome", owner, (const char *const *)r->m->outcomes, r->m->noutcomes);
    free(owner);
    return false;
}

static bool check_result(run *r, sc_word w)
{
    if (reg_find_result(r->m, w.text) >= 0)
        return true;
    const char **names = xcalloc((size_t)r->m->nresults + 1, sizeof *names);
    for (int i = 0; i < r->m->nresults; i++)
        names[i] = r->m->results[i].id;
    char *owner = xasprintf("service `%s`", r->m->id);
    unknown(r, w, "result", owner, names, r->m->nresults);
    free(owner);
    free(names);
    return false;
}

static const reg_reason all_reasons[] = {
    REG_R_UNKNOWN_VARIANT, REG_R_UNKNOWN_CHANNEL, REG_R_NOT_IN_FORCE, REG_R_NO_DEADLINE, REG_R_TIME_BEFORE_LAST,
    REG_R_FINISHED, REG_R_WRONG_STEP, REG_R_UNKNOWN_OUTCOME, REG_R_NO_REFUSAL, REG_R_NOT_ALLOWED,
};
enum { NREASONS = sizeof all_reasons / sizeof all_reasons[0] };

static bool check_reason(run *r, sc_word w)
{
    const char *names[NREASONS];
    for (size_t i = 0; i < NREASONS; i++) {
        names[i] = reg_reason_name(all_reasons[i]);
        if (strcmp(names[i], w.text) == 0)
            return true;
    }
    unknown(r, w, "refusal reason", "the engine", names, NREASONS);
    return false;
}

static void put_time(strbuf *b, int64_t t)
{
    char buf[REG_TIME_BUFSZ];
    time_text(t, buf);
    sb_add(b, buf);
}

/* What the engine says of a field, in the words of the scenario file. */
static char *actual_value(const run *r, const sc_field *f)
{
    const reg_case *c = &r->c;
    const reg_machine *m = r->m;
    const reg_variant *v = &m->variants[c->variant];
    bool done = reg_case_finished(c);
    strbuf b;
    sb_init(&b);
    if (strcmp(f->name, "step") == 0)
        sb_add(&b, done ? "none" : reg_case_state(c)->step_id);
    else if (strcmp(f->name, "result") == 0)
        sb_add(&b, m->results[c->mc.result].id);
    else if (strcmp(f->name, "finished") == 0)
        sb_add(&b, done ? "yes" : "no");
    else if (strcmp(f->name, "late") == 0)
        sb_add(&b, c->mc.late ? "yes" : "no");
    else if (strcmp(f->name, "step_start") == 0) {
        if (done || c->step_start == REG_NO_TIME)
            sb_add(&b, "none");
        else
            put_time(&b, c->step_start);
    } else if (strcmp(f->name, "step_deadline") == 0) {
        if (!reg_case_has_clock(c))
            sb_add(&b, "none");
        else if (c->step_deadline == REG_NO_TIME)
            sb_add(&b, "unknown");
        else
            put_time(&b, c->step_deadline);
    } else if (strcmp(f->name, "term_deadline") == 0) {
        if (!v->has_term)
            sb_add(&b, "none");
        else if (c->term_anchor == REG_NO_TIME)
            sb_add(&b, "pending");
        else if (c->term_deadline == REG_NO_TIME)
            sb_add(&b, "unknown");
        else
            put_time(&b, c->term_deadline);
    } else if (strcmp(f->name, "step_mark") == 0) {
        sb_add(&b, reg_mark_name(reg_mark_deadline(r->cal, c->step_start, c->step_deadline, reg_case_has_clock(c)).kind));
    } else if (strcmp(f->name, "term_mark") == 0 && v->has_term && c->term_anchor == REG_NO_TIME) {
        sb_add(&b, "none"); /* pending: no deadline yet, as `timeline` says */
    } else if (strcmp(f->name, "term_mark") == 0) {
        sb_add(&b, reg_mark_name(reg_mark_deadline(r->cal, c->term_anchor == REG_NO_TIME ? c->submitted : c->term_anchor, c->term_deadline, v->has_term).kind));
    } else if (strcmp(f->name, "flow_item") == 0) {
        const reg_flow_item *it = reg_case_flow_item(c);
        sb_add(&b, it ? it->id : "none");
    } else if (strcmp(f->name, "phase") == 0) {
        sb_add(&b, reg_case_in_intake(c) ? "intake" : reg_case_in_handover(c) ? "handover" : done ? "finished" : "steps");
    } else if (strcmp(f->name, "rejected") == 0) {
        sb_add(&b, r->last == REG_OK_APPLIED ? "-" : reg_reason_name(r->last));
    }
    return sb_take(&b);
}

/* A time the author wrote, in the engine's spelling (2026-03-02T09:05). */
static char *expected_value(const sc_field *f, const char *text)
{
    int64_t t;
    char buf[REG_TIME_BUFSZ];
    if (f->kind == SF_TIME && reg_parse_time(text, &t) == 0 && reg_format_time(t, buf) == 0)
        return xstrdup(buf);
    return xstrdup(text);
}

static bool expect(run *r, const sc_stmt *st)
{
    const sc_field *f = scenario_field(st->field.text);
    if (f->kind == SF_STEP && !check_step(r, st->value, true))
        return false;
    if (f->kind == SF_RESULT && !check_result(r, st->value))
        return false;
    if (f->kind == SF_REASON) {
        if (!check_reason(r, st->value))
            return false;
        if (r->last == REG_OK_APPLIED) {
            diagnostic *rec = fail(r, st->value.loc, "expected the engine to refuse the event before with `%s`; it applied it",
                                   st->value.text);
            char *ct = case_text(r);
            diag_hint(rec, "now %s", ct);
            free(ct);
            return false;
        }
    }
    char *want = expected_value(f, st->value.text);
    char *got = actual_value(r, f);
    bool ok = strcmp(want, got) == 0;
    if (!ok) {
        diagnostic *rec = fail(r, st->value.loc, "expected %s %s, the engine says %s", f->name, want, got);
        char *ct = case_text(r);
        if (f->kind == SF_REASON)
            diag_hint(rec, "the engine said: %s", r->why);
        else
            diag_hint(rec, "%s; %s is %s", ct, f->name, f->meaning);
        free(ct);
    }
    free(want);
    free(got);
    if (f->kind == SF_REASON)
        r->last = REG_OK_APPLIED; /* acknowledged */
    return ok;
}

static bool submit(run *r, const sc_stmt *st)
{
    const reg_machine *m = r->m;
    const char **vn = xcalloc((size_t)m->nvariants + 1, sizeof *vn);
    for (int i = 0; i < m->nvariants; i++)
        vn[i] = m->variants[i].id;
    const char *variant = st->variant.text ? st->variant.text : m->variants[0].id;
    char *owner = xasprintf("service `%s`", m->id);
    bool ok = true;
    if (st->variant.text && reg_find_variant(m, st->variant.text) < 0) {
        unknown(r, st->variant, "variant", owner, vn, m->nvariants);
        ok = false;
    } else if (st->channel.text && reg_find_channel(m, st->channel.text) < 0) {
        const char **cn = xcalloc((size_t)m->nchannels + 1, sizeof *cn);
        for (int i = 0; i < m->nchannels; i++)
            cn[i] = m->channels[i].id;
        unknown(r, st->channel, "channel", owner, cn, m->nchannels);
        free(cn);
        ok = false;
    }
    free(owner);
    free(vn);
    if (!ok)
        return false;
    r->last = reg_case_submit(&r->c, m, r->cal, variant, st->channel.text, st->at, r->why, sizeof r->why);
    r->last_stmt = st;
    if (r->last == REG_OK_APPLIED) {
        r->have_case = true;
        coverage_submit(r->cov, r->c.variant, r->c.channel, r->c.mc.state);
        const reg_flow *f = reg_case_flow(&r->c);
        if (f && f->nitems)
            coverage_flow_walk(r->cov, r->c.channel, f->items[0].id, false, false);
    } else {
        /* Later lines still need a variant to name steps by. */
        memset(&r->c, 0, sizeof r->c);
        r->c.machine = m;
        r->c.variant = (uint8_t)reg_find_variant(m, variant);
    }
    return true;
}

/* An event for a case whose submission the engine refused. */
static bool no_case(run *r, const sc_stmt *st)
{
    if (r->have_case)
        return false;
    diagnostic *rec = fail(r, st->loc, "there is no case: its submission was refused");
    diag_hint(rec, "the engine said: %s", r->why);
    return true;
}

/* The event a term counts from (`anchor exam at TIME`). */
static bool anchor(run *r, const sc_stmt *st)
{
    if (no_case(r, st))
        return false;
    r->last = reg_case_anchor(&r->c, r->cal, st->step.text, st->at, r->why, sizeof r->why);
    r->last_stmt = st;
    return true;
}

/* The case reached a result from state `before` without a step's edge
 * (an intake refusal): the result counts for its variant. */
static void covered_result(run *r, int before)
{
    const reg_machine *m = r->m;
    if (before < m->first_result_state && r->c.mc.state >= m->first_result_state)
        coverage_edge(r->cov, before, -1, r->c.mc.state, r->c.variant, r->c.channel);
}

/* The provider's steps ended (the case was at a step, it is at a result
 * now): the handover's items the engine walked, or waits at. */
static void handover_reached(run *r, int before)
{
    const reg_machine *m = r->m;
    const reg_flow *f = reg_case_flow(&r->c);
    if (!f || f->steps_item >= f->nitems || before >= m->first_result_state ||
        r->c.mc.state < m->first_result_state || reg_case_intake_refused(&r->c))
        return;
    coverage_flow_walk(r->cov, r->c.channel, f->items[f->steps_item].next, m->results[r->c.mc.result].flag, false);
}

/* `flow ITEM [holds|fails] at TIME`. */
static bool flow_event(run *r, const sc_stmt *st)
{
    if (no_case(r, st))
        return false;
    const reg_flow *f = reg_case_flow(&r->c);
    if (!f || reg_flow_item_index(f, st->step.text) < 0) {
        const char **names = xcalloc(f ? (size_t)f->nitems + 1 : 1, sizeof *names);
        for (int i = 0; f && i < f->nitems; i++)
            names[i] = f->items[i].id;
        char *owner = f ? xasprintf("the `%s` flow", r->m->channels[r->c.channel].id)
                        : xasprintf("a case without a flow");
        unknown(r, st->step, "flow item", owner, names, f ? f->nitems : 0);
        free(owner);
        free(names);
        return false;
    }
    const reg_flow_item *cur = reg_case_flow_item(&r->c);
    int before = r->c.mc.state;
    r->last = reg_case_flow_event(&r->c, r->cal, st->step.text, st->outcome.text, st->at, r->why, sizeof r->why);
    r->last_stmt = st;
    if (r->last == REG_OK_APPLIED) {
        bool fails = st->outcome.text && strcmp(st->outcome.text, "fails") == 0;
        if (cur->is_check)
            coverage_flow_decided(r->cov, r->c.channel, cur->id, fails);
        coverage_flow_walk(r->cov, r->c.channel, fails ? cur->fail : cur->next, false, false);
        covered_result(r, before);
        handover_reached(r, before);
    }
    return true;
}

/* The intake and the handover a scenario states no `flow` event for pass
 * as in `timeline` (scenario.h). */
static void pass_flow(run *r)
{
    reg_case *c = &r->c;
    if (!r->have_case)
        return;
    if (reg_case_in_intake(c)) {
        coverage_flow_walk(r->cov, c->channel, reg_case_flow_item(c)->id, false, true);
        int64_t arrival = c->submitted;
        if (reg_intake_arrival(r->m, c->channel, r->cal, c->submitted, &arrival) != 0 || arrival < c->last_event)
            arrival = c->last_event;
        reg_case_arrive(c, r->cal, arrival);
    }
    for (int n = 0; n < 256 && reg_case_in_handover(c); n++) {
        const reg_flow_item *it = reg_case_flow_item(c);
        int64_t done = c->step_deadline != REG_NO_TIME ? c->step_deadline : c->last_event;
        if (reg_case_flow_event(c, r->cal, it->id, NULL, done, NULL, 0) != REG_OK_APPLIED)
            break;
        coverage_flow_walk(r->cov, c->channel, it->next, r->m->results[c->mc.result].flag, false);
    }
}

static bool event(run *r, const sc_stmt *st)
{
    if (st->step.text && !check_step(r, st->step, false))
        return false;
    if (st->outcome.text && !check_outcome(r, st->outcome))
        return false;
    if (no_case(r, st))
        return false;
    reg_event ev = st->kind == SC_REFUSE ? REG_EV_REFUSE
                   : st->kind == SC_TIMER ? REG_EV_TIMER
                   : st->outcome.text     ? REG_EV_BRANCH
                                          : REG_EV_COMPLETE;
    int from = r->c.mc.state;
    r->last = reg_case_apply(&r->c, r->cal, ev, st->step.text, st->outcome.text, st->at, r->why, sizeof r->why);
    r->last_stmt = st;
    if (r->last == REG_OK_APPLIED && ev != REG_EV_TIMER) {
        const reg_state *s = &r->m->states[from];
        int edge = -1; /* refusal: no edge of the step */
        if (ev == REG_EV_COMPLETE)
            edge = s->nbranches;
        else if (ev == REG_EV_BRANCH)
            for (int k = 0; k < s->nbranches; k++)
                if (strcmp(r->m->outcomes[s->branches[k].outcome], st->outcome.text) == 0)
                    edge = k;
        coverage_edge(r->cov, from, edge, r->c.mc.state, r->c.variant, r->c.channel);
        handover_reached(r, from);
    }
    return true;
}

/* A refused event must be acknowledged by `expect rejected` on the next line. */
static bool unacknowledged(run *r)
{
    if (r->last == REG_OK_APPLIED || !r->last_stmt)
        return false;
    static const char *const names[] = { "submit", "complete", "refuse", "timer", "expect", "anchor", "flow" };
    diagnostic *rec = fail(r, r->last_stmt->loc, "the engine refused this `%s`: %s", names[r->last_stmt->kind], r->why);
    diag_hint(rec, "when the act means it to be refused, say so on the next line: expect rejected %s",
              reg_reason_name(r->last));
    return true;
}

static bool run_scenario(run *r, const scenario *s)
{
    r->have_case = false;
    r->last = REG_OK_APPLIED;
    r->last_stmt = NULL;
    memset(&r->c, 0, sizeof r->c);
    size_t expectations = 0;
    for (size_t i = 0; i < s->nstmts; i++) {
        const sc_stmt *st = &s->stmts[i];
        bool is_rejected = st->kind == SC_EXPECT && strcmp(st->field.text, "rejected") == 0;
        if (!is_rejected && unacknowledged(r))
            return false;
        bool about_flow = st->kind == SC_FLOW || is_rejected ||
                          (st->kind == SC_EXPECT && (strcmp(st->field.text, "flow_item") == 0 ||
                                                     strcmp(st->field.text, "phase") == 0));
        if (!about_flow)
            pass_flow(r);
        bool ok = true;
        switch (st->kind) {
        case SC_SUBMIT: ok = submit(r, st); break;
        case SC_COMPLETE:
        case SC_REFUSE:
        case SC_TIMER: ok = event(r, st); break;
        case SC_ANCHOR: ok = anchor(r, st); break;
        case SC_FLOW: ok = flow_event(r, st); break;
        case SC_EXPECT:
            expectations++;
            ok = expect(r, st);
            break;
        }
        if (!ok)
            return false;
    }
    if (unacknowledged(r))
        return false;
    if (expectations == 0) {
        diagnostic *rec = fail(r, s->loc, "scenario \"%s\" expects nothing", s->name);
        diag_hint(rec, "a scenario that cannot fail tests nothing: add `expect` lines (docs/scenarios.md)");
        return false;
    }
    return true;
}

void scenario_run_file(const scenario_file *f, coverage *cov, const reg_calendar *cal, diag_list *d, sc_tally *t)
{
    run r = { .f = f, .m = cov->m, .cal = cal, .cov = cov, .d = d };
    for (size_t i = 0; i < f->count; i++) {
        t->scenarios++;
        cov->scenarios++;
        if (run_scenario(&r, &f->items[i]))
            t->passed++;
        else
            t->failed++;
    }
}
