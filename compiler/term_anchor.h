/* term_anchor.h - a term that counts from an event or a step the act names
 * (`term 3wd from event exam "..."`, `term 10wd from step review "..."`). */
#ifndef REGC_TERM_ANCHOR_H
#define REGC_TERM_ANCHOR_H

#include "ast.h"
#include "diag.h"

/* Errors: a step anchor that is not one of the variant's steps, an anchor
 * on a variant without a term. */
void term_anchor_check(const regulation *r, const source *src, diag_list *d);

#endif
