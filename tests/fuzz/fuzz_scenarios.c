/* fuzz_scenarios.c - libFuzzer harness for the scenario reader and runner.
 *
 * Any byte string is read as a scenario file (scenario.h); the diagnostics
 * are rendered as text and JSON, since their carets index into the quoted
 * line, and every one must point at a line of the input. A file that reads
 * without errors is run against rules/karaganda/guardianship.reg on the
 * shipped calendar, through the runtime's engine, with coverage and the
 * coverage diagrams rendered in memory: failures are expected, crashes,
 * leaks and undefined behaviour are not. Run from the repository root
 * (tests/fuzz/run.sh does). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "coverage.h"
#include "diag.h"
#include "machine_build.h"
#include "scenario.h"
#include "scenario_run.h"
#include "unit.h"

static FILE *sink;
static unit rules;
static const reg_machine *machine;
static arena machine_mem;
static reg_calendar *cal;

static void setup(void)
{
    sink = fopen("/dev/null", "w");
    diag_list d;
    diag_init(&d, NULL);
    unit_load(&rules, "rules/karaganda/guardianship.reg", &d, true);
    diag_free(&d);
    char err[256];
    if (!rules.low || reg_calendar_load("rules/calendar/kz.cal", &cal, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_scenarios: run from the repository root (%s)\n", err);
        abort();
    }
    arena_init(&machine_mem);
    machine = machine_build(rules.low, &machine_mem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!sink)
        setup();
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    diag_list d;
    diag_init(&d, NULL);
    scenario_file f;
    scenario_read(&f, "fuzz.test", (const char *)data, size, &d);
    if (d.errors == 0) {
        coverage cov;
        coverage_init(&cov, rules.low, machine, "guardianship.reg");
        sc_tally t = { 0 };
        scenario_run_file(&f, &cov, cal, &d, &t);
        if (t.passed + t.failed != t.scenarios || (size_t)t.scenarios != f.count)
            abort();
        cov_counts total = { 0 };
        coverage_print(&cov, sink, &total);
        coverage_print_missing(&cov, sink);
        coverage_free(&cov);
    }
    for (size_t i = 0; i < d.count; i++)
        if (d.items[i].line < 0 || (size_t)d.items[i].line > lines) {
            fprintf(stderr, "fuzz_scenarios: a diagnostic at line %d of %zu\n", d.items[i].line, lines);
            abort();
        }
    diag_print_text(&d, sink, false);
    diag_print_text(&d, sink, true);
    diag_print_json(&d, sink);
    diag_free(&d);
    scenario_file_free(&f);
    return 0;
}
