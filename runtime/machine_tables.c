/* machine_tables.c - applying an event from the state table (machine_tables.h).
 * Every machine, generated or built in memory, moves this way. */
#include "machine_tables.h"

/* Follows a target: `end` is the state of the result the case carries. */
static reg_step_status go(const reg_machine *m, reg_machine_case *c, reg_target to)
{
    if (to.state == REG_TO_END) {
        c->state = (uint16_t)(m->first_result_state + c->result);
        return REG_STEP_OK;
    }
    if (to.result != REG_NO_RESULT)
        c->result = to.result;
    c->state = to.state;
    return REG_STEP_OK;
}

reg_step_status reg_machine_apply(const reg_machine *m, reg_machine_case *c, reg_event ev, uint16_t outcome)
{
    if (c->state >= m->first_result_state)
        return REG_STEP_FINISHED;
    if (ev == REG_EV_TIMER) {
        c->late = 1;
        return REG_STEP_OK;
    }
    if (ev == REG_EV_REFUSE) {
        if (m->refusal_result == REG_NO_RESULT)
            return REG_STEP_NO_REFUSAL;
        c->result = m->refusal_result;
        c->state = (uint16_t)(m->first_result_state + m->refusal_result);
        return REG_STEP_OK;
    }
    const reg_state *s = &m->states[c->state];
    if (ev == REG_EV_COMPLETE)
        return go(m, c, s->next);
    if (ev == REG_EV_BRANCH)
        for (int k = 0; k < s->nbranches; k++)
            if (s->branches[k].outcome == outcome)
                return go(m, c, s->branches[k].to);
    return REG_STEP_NOT_ALLOWED;
}
