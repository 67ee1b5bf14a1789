/* versions.h - the wordings of one service across rule files: a file with
 * `wording of SERVICE` is another wording of SERVICE, with its own window
 * of validity. The windows must follow each other in date order, without
 * overlap and without gap: each wording ends on the day the next begins. */
#ifndef REGC_VERSIONS_H
#define REGC_VERSIONS_H

#include <stddef.h>

#include "diag.h"
#include "unit.h"

/* Errors for the wordings among units (all loaded and resolved); returns
 * how many. */
int versions_check(unit *const *units, size_t n, diag_list *d);

#endif
