/* intake.c - when the documents of a case reach the provider (intake.h). */
#include "intake.h"

#include <stddef.h>
#include <string.h>

#include "deadline.h"
#include "engine.h"

const reg_flow *reg_intake_flow(const reg_machine *m, unsigned channel)
{
    for (int i = 0; i < m->nflows; i++)
        if (m->flows[i].channel == channel)
            return &m->flows[i];
    return NULL;
}

int reg_flow_item_index(const reg_flow *f, const char *id)
{
    for (int i = 0; i < f->nitems; i++)
        if (strcmp(f->items[i].id, id) == 0)
            return i;
    return -1;
}

int reg_intake_arrival(const reg_machine *m, unsigned channel, const reg_calendar *cal, int64_t at,
                       int64_t *arrival)
{
    *arrival = at;
    const reg_flow *f = channel == REG_NO_CHANNEL ? NULL : reg_intake_flow(m, channel);
    if (!f || !f->has_duration)
        return 0;
    int rc = reg_deadline_step(cal, at, f->duration.amount, (reg_unit)f->duration.unit, arrival);
    if (rc != 0)
        *arrival = REG_NO_TIME;
    return rc;
}
