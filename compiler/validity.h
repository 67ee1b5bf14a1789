/* validity.h - when a regulation applies, as its acts word it.
 *
 * A fixed window (`valid from A until B`) or the acts' own rule: the
 * approving act and the repealing act each take effect `in force 10cd after
 * publication` (the first day is the publication day + 10 + 1: ten whole
 * calendar days pass first) or `in force on DATE`. Where a publication
 * date is not known, the file gives the earliest and latest dates it can
 * have been (`published between A "source" and B "source"`), and the days
 * between the earliest and the latest possible entry (or repeal) are
 * uncertain: docs/semantics.md §9 says what the engine does on them. */
#ifndef REGC_VALIDITY_H
#define REGC_VALIDITY_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"

typedef struct {
    char from[11];           /* the first day it may apply; "" when the file gives none */
    char from_certain[11];   /* the first day it surely applies (== from when known) */
    char until_earliest[11]; /* the first day its repeal may have taken effect; "" when not repealed */
    char until[11];          /* the first day it surely no longer applies */
    char note[768];          /* what is not known, for outputs; "" when all is known */
} validity;

/* Resolves the clauses into dates; false when a date cannot be computed
 * (the file has errors: validity_check reports them). */
bool validity_resolve(const regulation *r, validity *out);

/* Errors in the clauses (run by sema) and the uncertain-validity warning
 * (run by check). */
void validity_check(const regulation *r, const source *src, diag_list *d);
void validity_warn(const regulation *r, const source *src, diag_list *d);

#endif
