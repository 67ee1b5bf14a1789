/* unit.h - one rule file through the front end: read, parse, resolve,
 * lower, check. */
#ifndef REGC_UNIT_H
#define REGC_UNIT_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"
#include "lower.h"

typedef struct {
    source src;
    char *text;          /* the file's bytes; owned */
    regulation *reg;     /* NULL when the file could not be read */
    lowered *low;        /* the lowered model; NULL unless sema passed */
    bool syntax_ok;      /* no lexical or syntax error */
    bool ok;             /* and no semantic error either */
    /* What the checks (check.h) found, every warning on whatever the
     * options: the findings of the regulation's page. Empty unless the
     * checks ran. */
    diag_list findings;
} unit;

/* Reads and parses path; with resolve, also runs sema and, when sema
 * passes, lowers the tree and runs the checks on it (once: into findings,
 * then to d under d's options). Diagnostics go to d.
 * The unit owns the text, the tree and the model; unit_free releases them. */
void unit_load(unit *u, const char *path, diag_list *d, bool resolve);
void unit_free(unit *u);

#endif
