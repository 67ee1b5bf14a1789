/* test_machine_tables.c - reg_machine_apply (machine_tables.h), the one
 * function that moves a case on a machine's tables, on the machine the C
 * back end generated from tests/runtime/fixture/licence.reg. Each expected
 * transition is read off the rule file by hand:
 *
 *   issue:     0 register -> 1 review -> 2 sign -> 3 deliver -> end
 *              review: incomplete -> sign with refusal; forged -> result refusal
 *   duplicate: 4 register -> 5 sign -> end
 *   results:   6 licence, 7 refusal (negative)
 *   outcomes:  0 incomplete, 1 forged */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "machine_tables.h"

static const reg_machine *m = &fixture_licence_machine;

enum { LICENCE = 0, REFUSAL = 1, INCOMPLETE = 0, FORGED = 1 };

typedef struct {
    uint16_t state, result; /* before */
    reg_event ev;
    uint16_t outcome;
    reg_step_status want;
    uint16_t to_state, to_result; /* after */
    uint8_t late;
} transition;

static const transition expected[] = {
    { 0, LICENCE, REG_EV_COMPLETE, 0, REG_STEP_OK, 1, LICENCE, 0 },
    { 1, LICENCE, REG_EV_COMPLETE, 0, REG_STEP_OK, 2, LICENCE, 0 },
    { 1, LICENCE, REG_EV_BRANCH, INCOMPLETE, REG_STEP_OK, 2, REFUSAL, 0 },   /* sign with refusal */
    { 1, LICENCE, REG_EV_BRANCH, FORGED, REG_STEP_OK, 7, REFUSAL, 0 },       /* result refusal */
    { 1, LICENCE, REG_EV_BRANCH, 2, REG_STEP_NOT_ALLOWED, 1, LICENCE, 0 },    /* past the last outcome */
    { 0, LICENCE, REG_EV_BRANCH, INCOMPLETE, REG_STEP_NOT_ALLOWED, 0, LICENCE, 0 }, /* register has no branch */
    { 2, REFUSAL, REG_EV_COMPLETE, 0, REG_STEP_OK, 3, REFUSAL, 0 },          /* the refusal is carried */
    { 3, LICENCE, REG_EV_COMPLETE, 0, REG_STEP_OK, 6, LICENCE, 0 },          /* end: the carried result */
    { 3, REFUSAL, REG_EV_COMPLETE, 0, REG_STEP_OK, 7, REFUSAL, 0 },
    { 4, LICENCE, REG_EV_COMPLETE, 0, REG_STEP_OK, 5, LICENCE, 0 },
    { 5, LICENCE, REG_EV_COMPLETE, 0, REG_STEP_OK, 6, LICENCE, 0 },
    { 2, LICENCE, REG_EV_REFUSE, 0, REG_STEP_OK, 7, REFUSAL, 0 },            /* refused at any step */
    { 4, LICENCE, REG_EV_REFUSE, 0, REG_STEP_OK, 7, REFUSAL, 0 },
    { 1, LICENCE, REG_EV_TIMER, 0, REG_STEP_OK, 1, LICENCE, 1 },             /* late, still at its step */
    { 6, LICENCE, REG_EV_COMPLETE, 0, REG_STEP_FINISHED, 6, LICENCE, 0 },    /* an ended case moves no more */
    { 7, REFUSAL, REG_EV_REFUSE, 0, REG_STEP_FINISHED, 7, REFUSAL, 0 },
    { 6, LICENCE, REG_EV_TIMER, 0, REG_STEP_FINISHED, 6, LICENCE, 0 },
};

static void test_fixture_transitions(void **state)
{
    (void)state;
    assert_int_equal(m->first_result_state, 6);
    assert_int_equal(m->noutcomes, 2);
    assert_string_equal(m->outcomes[INCOMPLETE], "incomplete");
    assert_string_equal(m->outcomes[FORGED], "forged");
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        const transition *t = &expected[i];
        reg_machine_case c = { .state = t->state, .result = t->result, .late = 0, .flow_pos = 0 };
        reg_step_status got = reg_machine_apply(m, &c, t->ev, t->outcome);
        if (got != t->want || c.state != t->to_state || c.result != t->to_result || c.late != t->late)
            fail_msg("transition %zu: from state %u (%s) result %u, event %d outcome %u: got %d -> state %u "
                     "result %u late %u, want %d -> state %u result %u late %u",
                     i, t->state, m->states[t->state].name, t->result, (int)t->ev, t->outcome, (int)got, c.state,
                     c.result, c.late, (int)t->want, t->to_state, t->to_result, t->late);
    }
}

/* A regulation without a negative result cannot be refused. */
static void test_no_refusal(void **state)
{
    (void)state;
    static const reg_state states[] = {
        { .name = "issue.only", .step_id = "only", .next = { .state = REG_TO_END, .result = REG_NO_RESULT } },
        { .name = "result.ok", .variant = REG_NO_VARIANT, .result = 0 },
    };
    reg_machine tiny;
    memset(&tiny, 0, sizeof tiny);
    tiny.id = "tiny";
    tiny.nstates = 2;
    tiny.nresults = 1;
    tiny.states = states;
    tiny.first_result_state = 1;
    tiny.refusal_result = REG_NO_RESULT;
    reg_machine_case c = { 0, 0, 0, 0 };
    assert_int_equal(reg_machine_apply(&tiny, &c, REG_EV_REFUSE, 0), REG_STEP_NO_REFUSAL);
    assert_int_equal(c.state, 0);
    assert_int_equal(reg_machine_apply(&tiny, &c, REG_EV_COMPLETE, 0), REG_STEP_OK);
    assert_int_equal(c.state, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_transitions),
        cmocka_unit_test(test_no_refusal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
