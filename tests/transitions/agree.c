/* agree.c - the two encodings of a generated machine's transitions agree.
 *
 * Every machine carries its transitions twice: as data (reg_state.next and
 * reg_branch.to, which `show` and the diagrams of the runtime read) and as
 * the `apply` switch (which moves cases, fast). This program steps the data
 * with the runtime's own table walk (runtime/machine_tables.c, which the
 * engine uses for machines without a switch and `regc test` for every
 * machine) and compares it with apply for every machine of a region, every
 * state, every result the case may carry, every event and every outcome
 * (and one outcome past the last). Built per region:
 *
 *   cc -DMACHINES=<region>_machines -DCOUNT=<region>_machine_count \
 *      -include <region>.h agree.c runtime/machine_tables.c generated/<region>/ *.c -o agree
 *
 * Prints "<region>: N machines, M transitions agree" and exits 0, or names
 * the first transitions that differ and exits 1. */
#include <stdio.h>
#include <string.h>

#include "machine.h"
#include "machine_tables.h"

static const char *const event_names[] = { "complete", "branch", "refuse", "timer" };

int main(void)
{
    extern const reg_machine *const MACHINES[];
    extern const size_t COUNT;
    long compared = 0, differ = 0;
    for (size_t i = 0; i < COUNT; i++) {
        const reg_machine *m = MACHINES[i];
        for (uint16_t st = 0; st < m->nstates; st++)
            for (uint16_t res = 0; res < m->nresults; res++)
                for (int ev = REG_EV_COMPLETE; ev <= REG_EV_TIMER; ev++) {
                    uint16_t nout = ev == REG_EV_BRANCH ? (uint16_t)(m->noutcomes + 1) : 1;
                    for (uint16_t o = 0; o < nout; o++) {
                        reg_machine_case a = { st, res, 0, 0 }, b = a;
                        reg_step_status sa = m->apply(&a, (reg_event)ev, o);
                        reg_step_status sb = reg_machine_apply_tables(m, &b, (reg_event)ev, o);
                        compared++;
                        if (sa == sb && memcmp(&a, &b, sizeof a) == 0)
                            continue;
                        if (differ++ < 10)
                            fprintf(stderr,
                                    "%s: state %u (%s), result %u, %s, outcome %u: apply gives "
                                    "%d -> state %u result %u late %u, the tables %d -> state %u "
                                    "result %u late %u\n",
                                    m->id, st, m->states[st].name, res, event_names[ev], o, sa,
                                    a.state, a.result, a.late, sb, b.state, b.result, b.late);
                    }
                }
    }
    if (differ) {
        fprintf(stderr, "%ld of %ld transitions differ\n", differ, compared);
        return 1;
    }
    printf("%zu machines, %ld transitions agree\n", (size_t)COUNT, compared);
    return 0;
}
