/* machine_tables.h - applying an event by reading a machine's tables.
 *
 * A machine is data: each step's `next`, its branches by outcome, the
 * refusal result and the first result state. One small function moves a
 * case on those tables, for the generated machines of the region binaries
 * and for the machines `regc test` builds in memory alike. The generated C
 * holds no code of its own: tables compile many times faster than a switch
 * per machine and step cases at least as fast (docs/performance.md). */
#ifndef REG_MACHINE_TABLES_H
#define REG_MACHINE_TABLES_H

#include "machine.h"

/* Applies one event to c; `outcome` is used by REG_EV_BRANCH only. No
 * allocation, no search: a bounded walk of the state's branches. */
reg_step_status reg_machine_apply(const reg_machine *m, reg_machine_case *c, reg_event ev, uint16_t outcome);

#endif
