/* scenario_run.h - running scenarios through the runtime's engine.
 *
 * Each scenario starts a case with reg_case_submit and applies its events
 * with reg_case_apply, on the machine built in memory from the rule file
 * (machine_build.h) and the working-day calendar the region binaries load:
 * the same code, so a scenario that passes here passes there. A scenario
 * stops at its first failure, reported like a compiler error at the line
 * of the expectation or event: what was expected, what the engine says,
 * and a hint with the state of the case. */
#ifndef REGC_SCENARIO_RUN_H
#define REGC_SCENARIO_RUN_H

#include "calendar.h"
#include "coverage.h"
#include "diag.h"
#include "scenario.h"

typedef struct {
    int scenarios, passed, failed;
} sc_tally;

void scenario_run_file(const scenario_file *f, coverage *cov, const reg_calendar *cal, diag_list *d, sc_tally *t);

#endif
