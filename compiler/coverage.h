/* coverage.h - what the scenarios of a regulation exercise.
 *
 * Counted per regulation: variants submitted; channels used; paths (a
 * variant through a channel, counted when such a case reaches a result);
 * steps entered (a shared step once per variant, as the machine has it);
 * branches, meaning every way out of a step: each `on OUTCOME` and its
 * `->`; results reached; and the items of the information-system flows.
 *
 * Flow items: the engine does not run flows yet (a case moves through the
 * steps only), so no scenario can pass through one. They are listed with
 * the count of items and left out of the percentage until the engine runs
 * them; coverage_flow_item is where the runner will record them then. */
#ifndef REGC_COVERAGE_H
#define REGC_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lower.h"
#include "machine.h"

/* Whether the engine moves cases through flow items (see above). */
#define COVERAGE_FLOWS_RUN 0

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
    bool **flow_item;        /* per flow: its items */
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
void coverage_flow_item(coverage *c, int flow, int item);
/* A flow event applied to a case through channel ch at item index `item`. */
void coverage_flow(coverage *c, int ch, int item, bool failed);

void coverage_count(const coverage *c, cov_counts *out);
/* True when a kind counts towards the percentage. */
bool coverage_counted(cov_kind k);
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
