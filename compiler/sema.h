/* sema.h - name resolution and the structural rules of a regulation. */
#ifndef REGC_SEMA_H
#define REGC_SEMA_H

#include "ast.h"
#include "diag.h"
#include "rule_limits.h"


/* Resolves every name in r (actors, steps, results, variants, channels,
 * flow items) and reports what is missing, unknown or given twice. Returns
 * the number of errors it added; back ends run only when it returns 0. */
int sema_check(regulation *r, const source *src, diag_list *diags);

#endif
