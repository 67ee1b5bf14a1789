/* versions.h - the wordings of one service across rule files: a file with
 * `wording of SERVICE` is another wording of SERVICE, with its own window
 * of validity. The windows must follow each other in date order, without
 * overlap and without gap: each wording ends on the day the next begins.
 *
 * `regc gen` reads one file at a time and frees it, and does not read an
 * unchanged file again (gen_stamp.h), so the check works on a small key per
 * file, not on the trees: the key is kept in gen's stamp. */
#ifndef REGC_VERSIONS_H
#define REGC_VERSIONS_H

#include <stddef.h>

#include "ast.h"
#include "diag.h"

/* What the check needs of one checked regulation, as one line without tab,
 * newline or slash: region, service, id, its window and where its name is. */
char *versions_key(const regulation *r);

/* Errors for the wordings among the files (paths[i] with keys[i]; a NULL
 * or malformed key is left out); returns how many. */
int versions_check(const char *const *paths, const char *const *keys, size_t n, diag_list *d);

#endif
