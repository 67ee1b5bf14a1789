/* version.h - the wordings of a service and the one a case runs on.
 *
 * A service can have several wordings, each a machine of its own (a rule
 * file with `wording of SERVICE`), each applying over its own window of
 * validity. A case is pinned at submission to the wording in force on the
 * day it was submitted: the store keeps that machine's id and fingerprint,
 * and every later event of the case runs on exactly that machine, or is
 * refused when this binary does not have it (docs/semantics.md §10). */
#ifndef REG_VERSION_H
#define REG_VERSION_H

#include <stddef.h>
#include <stdint.h>

#include "machine.h"

/* The service a machine serves: its `wording of`, or its own id. */
const char *reg_machine_service(const reg_machine *m);

/* The wording of `service` for a submission on `day`: among the machines
 * serving it and in force that day, the one that started first (in the
 * uncertain days of a change-over the wording surely in force before it
 * keeps applying); when none is in force, the one whose window is nearest
 * before `day` (or the first), so that the refusal names its window. NULL
 * when no machine serves `service`. */
const reg_machine *reg_version_at(const reg_machine *const *ms, size_t n, const char *service, int64_t day);

/* The machine a stored case is pinned to: id `version` and fingerprint
 * `fingerprint`. An empty version is a case stored before wordings were
 * kept (the service's own machine); an empty fingerprint is not checked.
 * NULL when this binary does not have it; why says what it has instead. */
const reg_machine *reg_version_pinned(const reg_machine *const *ms, size_t n, const char *service,
                                      const char *version, const char *fingerprint, char *why, size_t whylen);

/* The wording of `service` whose declared gap (`after gap`) holds `day`:
 * the next wording to begin after `day` declares a gap, and no wording of
 * the service is in force on `day`. NULL otherwise. */
const reg_machine *reg_version_gap_at(const reg_machine *const *ms, size_t n, const char *service, int64_t day);

#endif
