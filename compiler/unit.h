/* unit.h - one rule file through the front end: read, parse, resolve. */
#ifndef REGC_UNIT_H
#define REGC_UNIT_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"

typedef struct {
    source src;
    char *text;          /* the file's bytes; owned */
    regulation *reg;     /* NULL when the file could not be read */
    bool syntax_ok;      /* no lexical or syntax error */
    bool ok;             /* and no semantic error either */
} unit;

/* Reads and parses path; with resolve, also runs sema. Diagnostics go to d. */
void unit_load(unit *u, const char *path, diag_list *d, bool resolve);
void unit_free(unit *u);

#endif
