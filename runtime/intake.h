/* intake.h - the time a channel's intake takes before the provider gets
 * the documents.
 *
 * A case submitted through a channel whose information-system flow states
 * a time (`flow state_corporation "..." takes 20m`, the act's "сұрау салуды
 * өңдеу ұзақтығы") reaches the provider when that time has passed, in
 * working time, and the provider's first step starts then: the acts count
 * the first action "from the moment the documents arrive" (002 5-т. 1),
 * 003 5-т. 1)). The term still counts from the submission. A case through
 * a channel whose flow states no time, or without a channel, reaches the
 * provider at once. */
#ifndef REG_INTAKE_H
#define REG_INTAKE_H

#include <stdint.h>

#include "calendar.h"
#include "machine.h"

/* The flow of a channel, or NULL when it has none (or channel is not one). */
const reg_flow *reg_intake_flow(const reg_machine *m, unsigned channel);

/* The index of flow item `id` in f, or -1 (also for `end` and `error`,
 * which are keywords, never item ids). */
int reg_flow_item_index(const reg_flow *f, const char *id);

/* When a case submitted at `at` through `channel` reaches the provider.
 * Returns 0, or the deadline functions' error (REG_E_RANGE: after the
 * calendar's last covered day, *arrival is then REG_NO_TIME). */
int reg_intake_arrival(const reg_machine *m, unsigned channel, const reg_calendar *cal, int64_t at,
                       int64_t *arrival);

#endif
