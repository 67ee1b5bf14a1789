/* machine_build.h - the runtime's machine (runtime/machine.h) built in
 * memory from the lowered model, so that `regc test` drives the same
 * engine and calendar the region binaries use without compiling C.
 *
 * The tables are the ones emit_c.c writes into generated/<region>/<service>.c, filled
 * from the same lowered model in the same layout; the engine follows them
 * as it follows a generated machine's (runtime/machine_tables.c). */
#ifndef REGC_MACHINE_BUILD_H
#define REGC_MACHINE_BUILD_H

#include "arena.h"
#include "lower.h"
#include "machine.h"

/* Builds the machine of l into mem, which must outlive it (so must l). */
const reg_machine *machine_build(const lowered *l, arena *mem);

#endif
