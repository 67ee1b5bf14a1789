/* machine_tables.h - applying an event by reading a machine's tables.
 *
 * A generated machine applies events with its own `apply` function, a
 * switch with every transition a constant. A machine built in memory (regc
 * test builds one from the lowered model of a rule file) has no generated
 * code; it leaves `apply` NULL and the engine calls this function, which
 * reads the same facts from the state table: each step's `next`, its
 * branches by outcome, the refusal result and the first result state. The
 * two must agree transition for transition; tests/suites/scenarios.sh
 * compares the timelines of both for every seed regulation. */
#ifndef REG_MACHINE_TABLES_H
#define REG_MACHINE_TABLES_H

#include "machine.h"

reg_step_status reg_machine_apply_tables(const reg_machine *m, reg_machine_case *c, reg_event ev,
                                         uint16_t outcome);

#endif
