/* test_machine_tables.c - the engine's table-driven apply (machine_tables.h),
 * which regc test uses on machines built in memory, against the apply
 * function the C back end generated for the same machine
 * (tests/runtime/fixture/licence.reg): every state, every event, every
 * outcome and every result the case may carry, one transition each. */
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

static void same_transition(reg_machine_case start, reg_event ev, uint16_t outcome)
{
    reg_machine_case a = start, b = start;
    reg_step_status sa = m->apply(&a, ev, outcome);
    reg_step_status sb = reg_machine_apply_tables(m, &b, ev, outcome);
    assert_int_equal(sa, sb);
    assert_int_equal(a.state, b.state);
    assert_int_equal(a.result, b.result);
    assert_int_equal(a.late, b.late);
}

static void test_every_transition(void **state)
{
    (void)state;
    int compared = 0;
    for (uint16_t s = 0; s < m->nstates; s++)
        for (uint16_t r = 0; r < m->nresults; r++)
            for (uint8_t late = 0; late < 2; late++) {
                reg_machine_case c = { .state = s, .result = r, .late = late };
                same_transition(c, REG_EV_COMPLETE, 0);
                same_transition(c, REG_EV_REFUSE, 0);
                same_transition(c, REG_EV_TIMER, 0);
                /* Every outcome of the machine, and one past the last. */
                for (uint16_t o = 0; o <= m->noutcomes; o++)
                    same_transition(c, REG_EV_BRANCH, o);
                compared += 4 + m->noutcomes;
            }
    /* The fixture has branches, a refusal result and several states. */
    assert_true(m->noutcomes >= 2);
    assert_true(compared > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_transition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
