/* fmt.h - the canonical layout of a rule file (`regc fmt`). */
#ifndef REGC_FMT_H
#define REGC_FMT_H

#include "ast.h"

/* Prints r in the one canonical layout, keeping its comments. Formatting
 * the result again gives the same bytes. The caller frees the text. */
char *fmt_regulation(const regulation *r);

#endif
