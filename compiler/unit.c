/* unit.c - the front end of one rule file (see unit.h). */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse.h"
#include "sema.h"

void unit_load(unit *u, const char *path, diag_list *d, bool resolve)
{
    memset(u, 0, sizeof *u);
    diag_init(&u->findings, NULL);
    u->src.path = path;
    size_t len = 0;
    u->text = read_file(path, &len, d);
    if (!u->text)
        return;
    u->src.text = u->text;
    u->src.len = len;
    int before = d->errors;
    u->reg = parse_source(&u->src, d);
    u->syntax_ok = d->errors == before;
    /* Lowering and the checks walk resolved references: they need a clean sema. */
    if (resolve && u->syntax_ok && sema_check(u->reg, &u->src, d) == 0) {
        u->low = lower(u->reg);
        check_regulation(u->low, &u->src, &u->findings);
        /* A file with more findings than a list keeps is checked again
         * into d, which then counts every one. */
        if (u->findings.dropped)
            check_regulation(u->low, &u->src, d);
        else
            diag_replay(d, &u->findings);
    }
    u->ok = d->errors == before;
}

void unit_free(unit *u)
{
    diag_free(&u->findings);
    lower_free(u->low);
    ast_free(u->reg);
    free(u->text);
    memset(u, 0, sizeof *u);
}
