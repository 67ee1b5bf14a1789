/* fingerprint.h - a short hash of what a compiled regulation means to a
 * case: its states, transitions, durations, terms, results, variants and
 * channels, not its labels, citations or comments. The store keeps it with
 * every case, so a case is never run on a model that changed under it
 * (docs/semantics.md §10). */
#ifndef REGC_FINGERPRINT_H
#define REGC_FINGERPRINT_H

#include "lower.h"

/* 16 hexadecimal digits (FNV-1a, 64 bits) and the NUL. */
void model_fingerprint(const lowered *l, char out[17]);

#endif
