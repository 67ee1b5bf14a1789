/* coverage.h - what the scenarios of a regulation exercise.
 *
 * Counted per regulation: variants submitted; channels used; paths (a
 * variant through a channel, counted when such a case reaches a result);
 * steps entered (a shared step once per variant, as the machine has it);
 * branches, meaning every way out of a step: each `on OUTCOME` and its
 * `->`; results reached; and the items of the information-system flows.
 *
 * Flow items: every item a case reaches or passes, as the engine walks the
 * flow (engine.h, "Flows"); a check of an intake counts twice, once for
 * each way it can be decided (holds, fails), because each is a path of
 * the case: on to the provider, or an intake refusal. */
#ifndef REGC_COVERAGE_H
#define REGC_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lower.h"
#include "machine.h"


typedef struct {
    const lowered *l;
    const reg_machine *m;
    const char *path;        /* the rule file */
    bool *variant;           /* nvariants */
    bool *channel;           /* nchannels */
    bool *path_done;         /* nvariants x max(1, nchannels) */
    bool *state;             /* nstates: steps, then results */
    bool *variant_result;    /* nvariants x nresults: a case of the variant ended so */
    bool **edge;             /* per step state: its branches, then its `->` */
    bool **flow_item;        /* per flow: its items reached */
    bool **flow_fails;       /* per flow: its intake checks decided `fails` */
    bool **flow_holds;       /* per flow: its intake checks decided (or passed) `holds` */
    int scenarios;
} coverage;

typedef enum { CK_VARIANTS, CK_CHANNELS, CK_PATHS, CK_STEPS, CK_BRANCHES, CK_RESULTS, CK_FLOW_ITEMS, CK_COUNT } cov_kind;

typedef struct {
    size_t hit[CK_COUNT], total[CK_COUNT];
} cov_counts;

void coverage_init(coverage *c, const lowered *l, const reg_machine *m, const char *path);
void coverage_free(coverage *c);

/* Recording, by the runner. ch is REG_NO_CHANNEL (0xFF) for none. */
void coverage_submit(coverage *c, int variant, int channel, int state);
void coverage_edge(coverage *c, int from_state, int edge, int to_state, int variant, int channel);
/* A case through channel ch: it reached flow place `to` (an item id, `end`
 * or `error`) and walked on from there as the engine does; `negative`:
 * the result it carries is negative (decides checks after the steps).
 * `passing`: the intake passed as `timeline` has it, every check holding,
 * up to the `steps` item. */
void coverage_flow_walk(coverage *c, int ch, const char *to, bool negative, bool passing);
/* Check `item` of the flow of ch was decided (`fails` or holds). */
void coverage_flow_decided(coverage *c, int ch, const char *item, bool fails);

void coverage_count(const coverage *c, cov_counts *out);
const char *coverage_kind_name(cov_kind k);

/* The table of one regulation; adds its counts to *total. */
void coverage_print(const coverage *c, FILE *out, cov_counts *total);
/* The total line: "total: N of M (P%)". */
void coverage_print_total(const cov_counts *total, FILE *out);
/* What is not covered, one line each ("  step issue.assign (file:line)"). */
void coverage_print_missing(const coverage *c, FILE *out);

/* Writes <dir>/<service>.<variant>.coverage.dot and .mmd, covered parts
 * green and uncovered red (dashed). Returns 0, or -1 when a file cannot be
 * written (errno set). */
int coverage_diagrams(const coverage *c, const char *dir);

#endif
