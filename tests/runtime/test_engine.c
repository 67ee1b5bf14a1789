/* test_engine.c - the case engine on a generated machine
 * (tests/runtime/fixture/licence.reg) and the real calendar. */
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
static const reg_machine *m = &fixture_licence_machine;

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

static void submit_sets_first_step_and_deadlines(void **state)
{
    (void)state;
    reg_case c;
    char why[256];
    assert_int_equal(reg_case_submit(&c, m, cal, "issue", "portal", T("2026-12-11T10:00"), why, sizeof why),
                     REG_OK_APPLIED);
    assert_string_equal(reg_case_state(&c)->step_id, "register");
    assert_time(c.step_deadline, "2026-12-11T11:00");
    /* 3 wd after Friday 11 Dec: Mon 14, Tue 15, (16 Dec holiday), Thu 17 */
    assert_time(c.term_deadline, "2026-12-17T18:00");
}

static void complete_moves_along_and_restarts_the_clock(void **state)
{
    (void)state;
    reg_case c;
    char why[256];
    reg_case_submit(&c, m, cal, "issue", NULL, T("2026-12-11T10:00"), why, sizeof why);
    assert_int_equal(reg_case_apply(&c, cal, REG_EV_COMPLETE, "register", NULL, T("2026-12-11T10:40"), why,
                                    sizeof why),
                     REG_OK_APPLIED);
    assert_string_equal(reg_case_state(&c)->step_id, "review");
    assert_time(c.step_start, "2026-12-11T10:40");
    assert_time(c.step_deadline, "2026-12-14T10:40"); /* 1 wd of working time */
}

static void channel_override_applies(void **state)
{
    (void)state;
    reg_case c;
    char why[256];
    reg_case_submit(&c, m, cal, "issue", "portal", T("2026-12-11T10:00"), why, sizeof why);
    const char *steps[] = { "register", "review", "sign" };
    for (int i = 0; i < 3; i++)
        assert_int_equal(reg_case_apply(&c, cal, REG_EV_COMPLETE, steps[i], NULL, T("2026-12-11T12:00"), why,
                                        sizeof why),
                         REG_OK_APPLIED);
    assert_string_equal(reg_case_state(&c)->step_id, "deliver");
    assert_time(c.step_deadline, "2026-12-11T12:20"); /* portal: 20m, not 2h */
}

static void branch_carries_refusal_to_the_end(void **state)
{
    (void)state;
    reg_case c;
    char why[256];
    reg_case_submit(&c, m, cal, "issue", NULL, T("2026-12-11T10:00"), why, sizeof why);
    reg_case_apply(&c, cal, REG_EV_COMPLETE, "register", NULL, T("2026-12-11T10:30"), why, sizeof why);
    assert_int_equal(reg_case_apply(&c, cal, REG_EV_BRANCH, "review", "incomplete", T("2026-12-11T11:00"), why,
                                    sizeof why),
                     REG_OK_APPLIED);
    assert_string_equal(reg_case_state(&c)->step_id, "sign");
    reg_case_apply(&c, cal, REG_EV_COMPLETE, "sign", NULL, T("2026-12-11T12:00"), why, sizeof why);
    reg_case_apply(&c, cal, REG_EV_COMPLETE, "deliver", NULL, T("2026-12-11T14:30"), why, sizeof why);
    assert_true(reg_case_finished(&c));
    assert_string_equal(reg_case_state(&c)->name, "result.refusal");
    assert_true(c.step_deadline == REG_NO_TIME);
}

static void branch_to_result_ends_at_once(void **state)
{
    (void)state;
    reg_case c;
    char why[256];
    reg_case_submit(&c, m, cal, "issue", NULL, T("2026-12-11T10:00"), why, sizeof why);
    reg_case_apply(&c, cal, REG_EV_COMPLETE, "register", NULL, T("2026-12-11T10:30"), why, sizeof why);
    assert_int_equal(reg_case_apply(&c, cal, REG_EV_BRANCH, "review", "forged", T("2026-12-11T11:00"), why,
                                    sizeof why),
                     REG_OK_APPLIED);
    assert_true(reg_case_finished(&c));
    assert_string_equal(reg_case_state(&c)->name, "result.refusal");
}

static void positive_path_ends_with_the_variants_result(void **state)
{
    (void)state;
    reg_case c;
    char why[256];
    reg_case_submit(&c, m, cal, "duplicate", NULL, T("2026-12-11T10:00"), why, sizeof why);
    assert_string_equal(reg_case_state(&c)->name, "duplicate.register");
    reg_case_apply(&c, cal, REG_EV_COMPLETE, "register", NULL, T("2026-12-11T10:20"), why, sizeof why);
    reg_case_apply(&c, cal, REG_EV_COMPLETE, "sign", NULL, T("2026-12-11T11:00"), why, sizeof why);
    assert_string_equal(reg_case_state(&c)->name, "result.licence");
}

static void illegal_events_are_refused_with_a_reason(void **state)
{
    (void)state;
    reg_case c, before;
    char why[256];
    reg_case_submit(&c, m, cal, "issue", NULL, T("2026-12-11T10:00"), why, sizeof why);
    before = c;
    assert_int_equal(reg_case_apply(&c, cal, REG_EV_COMPLETE, "sign", NULL, T("2026-12-11T11:00"), why, sizeof why),
                     REG_R_WRONG_STEP);
    assert_non_null(strstr(why, "the case is at `register`"));
    assert_int_equal(reg_case_apply(&c, cal, REG_EV_BRANCH, "register", "incomplete", T("2026-12-11T11:00"), why,
                                    sizeof why),
                     REG_R_UNKNOWN_OUTCOME);
    assert_int_equal(reg_case_apply(&c, cal, REG_EV_COMPLETE, "register", NULL, T("2026-12-11T09:00"), why,
                                    sizeof why),
                     REG_R_TIME_BEFORE_LAST);
    assert_memory_equal(&c, &before, sizeof c); /* a refused event changes nothing */
    reg_case_apply(&c, cal, REG_EV_REFUSE, NULL, NULL, T("2026-12-11T11:00"), why, sizeof why);
    assert_true(reg_case_finished(&c));
    assert_int_equal(reg_case_apply(&c, cal, REG_EV_COMPLETE, "register", NULL, T("2026-12-11T12:00"), why,
                                    sizeof why),
                     REG_R_FINISHED);
}

static void submission_outside_validity_is_refused(void **state)
{
    (void)state;
    reg_case c;
    char why[256];
    assert_int_equal(reg_case_submit(&c, m, cal, "issue", NULL, T("2014-12-31T10:00"), why, sizeof why),
                     REG_R_NOT_IN_FORCE);
    /* `until` is the first day it no longer applies */
    assert_int_equal(reg_case_submit(&c, m, cal, "issue", NULL, T("2026-12-19T10:00"), why, sizeof why),
                     REG_R_NOT_IN_FORCE);
    assert_non_null(strstr(why, "not in force on 2026-12-19"));
    assert_int_equal(reg_case_submit(&c, m, cal, "issue", NULL, T("2026-12-18T17:59"), why, sizeof why),
                     REG_OK_APPLIED);
}

static void unknown_variant_and_channel(void **state)
{
    (void)state;
    reg_case c;
    char why[256];
    assert_int_equal(reg_case_submit(&c, m, cal, "renewal", NULL, T("2026-12-11T10:00"), why, sizeof why),
                     REG_R_UNKNOWN_VARIANT);
    assert_int_equal(reg_case_submit(&c, m, cal, "issue", "fax", T("2026-12-11T10:00"), why, sizeof why),
                     REG_R_UNKNOWN_CHANNEL);
}

static void timer_marks_late_without_moving(void **state)
{
    (void)state;
    reg_case c;
    char why[256];
    reg_case_submit(&c, m, cal, "issue", NULL, T("2026-12-11T10:00"), why, sizeof why);
    assert_int_equal(reg_case_apply(&c, cal, REG_EV_TIMER, NULL, NULL, T("2026-12-11T12:00"), why, sizeof why),
                     REG_OK_APPLIED);
    assert_int_equal(c.mc.late, 1);
    assert_string_equal(reg_case_state(&c)->step_id, "register");
}

/* A deadline past the calendar's end: the event is applied, the deadline
 * is unknown (REG_NO_TIME), and a calendar that covers it computes it. */
static void deadline_past_the_calendar_is_unknown_not_refused(void **state)
{
    (void)state;
    reg_calendar *cut;
    char err[256], why[256];
    assert_int_equal(reg_calendar_load("tests/runtime/fixture/kz-2026.cal", &cut, err, sizeof err), 0);
    reg_case c;
    /* In force until 19 Dec: submitted on Friday 18 Dec, term 2wd. */
    assert_int_equal(reg_case_submit(&c, m, cut, "duplicate", NULL, T("2026-12-18T10:00"), why, sizeof why),
                     REG_OK_APPLIED);
    assert_false(reg_case_term_unknown(&c) || reg_case_step_unknown(&c));
    assert_time(c.term_deadline, "2026-12-22T18:00");
    assert_int_equal(reg_case_apply(&c, cut, REG_EV_COMPLETE, "register", NULL, T("2026-12-31T17:50"), why,
                                    sizeof why),
                     REG_OK_APPLIED);
    /* sign takes 2h from 17:50 on the last covered day: unknown. */
    assert_true(reg_case_step_unknown(&c));
    assert_time(c.step_start, "2026-12-31T17:50");
    assert_int_equal(c.step_deadline, REG_NO_TIME);
    /* The same calendar computes nothing new; the extended one does. */
    assert_int_equal(reg_case_recompute(&c, cut), 0);
    assert_int_equal(reg_case_recompute(&c, cal), 1);
    assert_time(c.step_deadline, "2027-01-05T10:50");
    assert_false(reg_case_step_unknown(&c) || reg_case_term_unknown(&c));
    /* An event on a day the calendar does not cover is applied too. */
    assert_int_equal(reg_case_apply(&c, cut, REG_EV_COMPLETE, "sign", NULL, T("2027-01-06T10:00"), why, sizeof why),
                     REG_OK_APPLIED);
    assert_true(reg_case_finished(&c));
    reg_calendar_free(cut);
}

static void machine_constants_are_generated(void **state)
{
    (void)state;
    assert_string_equal(m->id, "licence");
    assert_int_equal(m->nvariants, 2);
    assert_int_equal(m->variants[0].term.amount, 3);
    assert_int_equal(m->variants[0].term.unit, REG_UNIT_WD);
    assert_int_equal(m->states[FIXTURE_LICENCE__ISSUE__REVIEW].duration.unit, REG_UNIT_WD);
    assert_string_equal(m->states[FIXTURE_LICENCE__ISSUE__REVIEW].cite, "5-т. 2)");
    assert_int_equal(m->states[FIXTURE_LICENCE__ISSUE__DELIVER].nby_channel, 1);
    assert_string_equal(m->valid_until, "2026-12-19");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(submit_sets_first_step_and_deadlines),
        cmocka_unit_test(complete_moves_along_and_restarts_the_clock),
        cmocka_unit_test(channel_override_applies),
        cmocka_unit_test(branch_carries_refusal_to_the_end),
        cmocka_unit_test(branch_to_result_ends_at_once),
        cmocka_unit_test(positive_path_ends_with_the_variants_result),
        cmocka_unit_test(illegal_events_are_refused_with_a_reason),
        cmocka_unit_test(submission_outside_validity_is_refused),
        cmocka_unit_test(unknown_variant_and_channel),
        cmocka_unit_test(timer_marks_late_without_moving),
        cmocka_unit_test(deadline_past_the_calendar_is_unknown_not_refused),
        cmocka_unit_test(machine_constants_are_generated),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
