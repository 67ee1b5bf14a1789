/* check.h - static verification of a regulation: what its process implies.
 *
 * sema.c checks what the file says (names, clauses); the checks here look at
 * the process the file describes: steps nobody reaches, loops a case never
 * leaves, variants that can only refuse, steps that take longer than the
 * statutory term. Every check has a stable name (docs/checks.md); the names
 * of warnings are also the -W options of `regc check` and `regc gen`. */
#ifndef REGC_CHECK_H
#define REGC_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ast.h"
#include "diag.h"
#include "lower.h"

typedef struct {
    const char *name;
    bool error;          /* an error always counts; only warnings take -W options */
    const char *summary; /* one line, for usage texts */
} check_info;

extern const check_info check_table[];
extern const size_t check_count;

/* Runs every check on the lowered model of a regulation that passed sema
 * (check.c). Diagnostics go to d in source order; returns the number of
 * errors added, warnings turned into errors by -Werror included. */
int check_regulation(const lowered *low, const source *src, diag_list *d);

/* ---- check_options.c ---- */

/* Applies one command-line option that starts with -W to w: -Werror,
 * -Wno-error, -WNAME, -Wno-NAME (the last one given for a name wins). An
 * unknown name, or the name of an error, is a usage error: prints why to
 * stderr, prefixed with cmd ("regc check"), and returns -1. w keeps
 * pointers to the names of check_table; check_warn_free releases its lists. */
int check_warn_option(warn_options *w, const char *arg, const char *cmd);
void check_warn_free(warn_options *w);

/* The -W options and the names of the checks, for usage texts. */
void check_usage(FILE *out);

#endif
