/* test_channels.c - the path of a case by channel: steps limited to some
 * channels (`only`), which a case through another channel passes over
 * along their `->` at no cost of time (a case without a channel runs every
 * step), and the intake time of a channel's flow before the first step. The machine is
 * tests/runtime/fixture/courier.reg. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "fixture.h"
#include "timefmt.h"

static reg_calendar *cal;
static const reg_machine *m = &fixture_courier_machine;

static int64_t T(const char *s)
{
    int64_t t;
    assert_int_equal(reg_parse_time(s, &t), 0);
    return t;
}

static void assert_time(int64_t t, const char *expected)
{
    char buf[REG_TIME_BUFSZ];
    assert_int_equal(reg_format_time(t, buf), 0);
    assert_string_equal(buf, expected);
}

static int setup(void **state)
{
    (void)state;
    const char *path = getenv("REG_CALENDAR");
    char err[256];
    return reg_calendar_load(path ? path : "rules/calendar/kz.cal", &cal, err, sizeof err);
}

static int teardown(void **state)
{
    (void)state;
    reg_calendar_free(cal);
    return 0;
}

static reg_reason complete(reg_case *c, const char *step, const char *at)
{
    char why[256];
    return reg_case_apply(c, cal, REG_EV_COMPLETE, step, NULL, T(at), why, sizeof why);
}

/* Through the State Corporation every step runs: 15m + 3h + 1h + 2h. */
static void state_corporation_runs_every_step(void **state)
{
    (void)state;
    reg_case c;
    char why[256];
    assert_int_equal(reg_case_submit(&c, m, cal, "issue", "state_corporation", T("2026-12-07T10:00"), why, sizeof why),
                     REG_OK_APPLIED);
    /* The documents reach the provider after the flow's 20m: the first step
     * starts then; the term still counts from the submission. */
    assert_string_equal(reg_case_state(&c)->step_id, "receive");
    assert_time(c.step_start, "2026-12-07T10:20");
    assert_time(c.step_deadline, "2026-12-07T10:35");
    assert_time(c.submitted, "2026-12-07T10:00");
    assert_time(c.term_deadline, "2026-12-09T18:00");
    assert_int_equal(complete(&c, "receive", "2026-12-07T10:15"), REG_OK_APPLIED);
    assert_int_equal(complete(&c, "review", "2026-12-07T11:00"), REG_OK_APPLIED);
    assert_string_equal(reg_case_state(&c)->step_id, "explain");
    assert_int_equal(complete(&c, "explain", "2026-12-07T11:30"), REG_OK_APPLIED);
    assert_string_equal(reg_case_state(&c)->step_id, "hand_over");
    assert_int_equal(complete(&c, "hand_over", "2026-12-07T12:00"), REG_OK_APPLIED);
    assert_string_equal(reg_case_state(&c)->name, "result.permit");
}

/* Through the portal (no intake time) the first step is passed over at
 * submission: review starts at the submission time; after it the case ends, since explain
 * and hand_over are not the portal's. */
static void portal_passes_over_the_first_and_the_last_steps(void **state)
{
    (void)state;
    reg_case c;
    char why[256];
    assert_int_equal(reg_case_submit(&c, m, cal, "issue", "portal", T("2026-12-07T10:00"), why, sizeof why),
                     REG_OK_APPLIED);
    assert_string_equal(reg_case_state(&c)->step_id, "review");
    assert_time(c.step_start, "2026-12-07T10:00");
    assert_time(c.step_deadline, "2026-12-07T13:00"); /* 3h: 10–13, the end of the period */
    /* The step passed over is not the current one: an event for it is refused. */
    assert_int_equal(complete(&c, "receive", "2026-12-07T10:05"), REG_R_WRONG_STEP);
    assert_int_equal(complete(&c, "review", "2026-12-07T11:00"), REG_OK_APPLIED);
    assert_true(reg_case_finished(&c));
    assert_string_equal(reg_case_state(&c)->name, "result.permit");
}

/* A branch into a step the channel skips goes on along that step's `->`
 * and keeps the result the branch carries. */
static void branch_into_a_skipped_step_keeps_its_result(void **state)
{
    (void)state;
    reg_case c;
    char why[256];
    reg_case_submit(&c, m, cal, "issue", "portal", T("2026-12-07T10:00"), why, sizeof why);
    assert_int_equal(reg_case_apply(&c, cal, REG_EV_BRANCH, "review", "incomplete", T("2026-12-07T11:00"), why,
                                    sizeof why),
                     REG_OK_APPLIED);
    assert_true(reg_case_finished(&c));
    assert_string_equal(reg_case_state(&c)->name, "result.refusal");
}

/* Through the provider: review, explain, then the courier's step is passed over. */
static void provider_runs_its_own_steps_only(void **state)
{
    (void)state;
    reg_case c;
    char why[256];
    reg_case_submit(&c, m, cal, "issue", "provider", T("2026-12-07T10:00"), why, sizeof why);
    assert_string_equal(reg_case_state(&c)->step_id, "review");
    assert_int_equal(complete(&c, "review", "2026-12-07T11:00"), REG_OK_APPLIED);
    assert_string_equal(reg_case_state(&c)->step_id, "explain");
    assert_time(c.step_deadline, "2026-12-07T12:00");
    assert_int_equal(complete(&c, "explain", "2026-12-07T11:30"), REG_OK_APPLIED);
    assert_true(reg_case_finished(&c));
}

/* A case without a channel runs every step, as before steps had channels. */
static void no_channel_runs_every_step(void **state)
{
    (void)state;
    reg_case c;
    char why[256];
    reg_case_submit(&c, m, cal, "issue", NULL, T("2026-12-07T10:00"), why, sizeof why);
    assert_string_equal(reg_case_state(&c)->step_id, "receive");
    const reg_state *ho = &m->states[reg_find_state(m, "issue.hand_over")];
    assert_int_equal(ho->nonly, 1);
    assert_string_equal(m->channels[ho->only[0]].id, "state_corporation");
    assert_true(reg_state_applies(ho, REG_NO_CHANNEL));
    assert_false(reg_state_applies(ho, (uint8_t)reg_find_channel(m, "portal")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(state_corporation_runs_every_step),
        cmocka_unit_test(portal_passes_over_the_first_and_the_last_steps),
        cmocka_unit_test(branch_into_a_skipped_step_keeps_its_result),
        cmocka_unit_test(provider_runs_its_own_steps_only),
        cmocka_unit_test(no_channel_runs_every_step),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
