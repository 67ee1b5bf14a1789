/* check_term.h - the term-exceeded check, way by way (docs/checks.md).
 *
 * A case's way through a variant depends on its channel: the steps the
 * channel runs (`only`), their durations for it (`[portal 20m]`) and the
 * channel flow's intake time (`flow C ... takes 20m`). Each channel's way
 * is measured on its own against the term, counted from where the engine
 * counts it (the submission, or the step or event of `term ... from`). */
#ifndef REGC_CHECK_TERM_H
#define REGC_CHECK_TERM_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "graph.h"
#include "lower.h"

/* Warns (term-exceeded) for every channel whose longest way through lv
 * takes longer than its term; a regulation without channels has one way.
 * g is the graph of lv's steps. */
void check_term(const lowered *low, const source *src, diag_list *d, const graph *g, const lw_variant *lv);

/* Prints, for every variant with a term and every channel, the longest
 * way's working time against the term: the figures of `regc check --terms`. */
void term_figures_print(const lowered *low, FILE *out);
/* The same figures as JSON objects, comma-separated (first: none written
 * yet): {"service", "variant", "channel" (null without channels),
 * "minutes", "term_minutes", "term", "exceeded", "way"}. */
void term_figures_json(const lowered *low, FILE *out, bool *first);

#endif
