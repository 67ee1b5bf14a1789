/* model_diff.h - the semantic difference of two versions of a regulation.
 *
 * Compares what the rules mean, not how the file is laid out: comments,
 * layout, clause order and the sharing of steps between variants do not
 * count; every variant is compared on the steps it runs, with durations
 * resolved for it. Each change is one line, "where: what old -> new",
 * in a fixed order (docs/diagrams.md lists the forms). */
#ifndef REGC_MODEL_DIFF_H
#define REGC_MODEL_DIFF_H

#include <stddef.h>

#include "lower.h"
#include "strbuf.h"

/* Appends one line per change from old to new to out and returns how many
 * there are (0: the two versions mean the same). Compares the lowered
 * models of two regulations that passed sema. */
size_t model_diff(const lowered *old, const lowered *new_, strbuf *out);

#endif
