/* apply.h - applying one input line of `run` to the case store, inside
 * the write transaction the caller holds: the event is checked, applied by
 * the case engine and journaled with its case, or refused and logged;
 * either way the line gets its answer. */
#ifndef REG_APPLY_H
#define REG_APPLY_H

#include <stddef.h>

#include "calendar.h"
#include "run.h"
#include "store.h"

/* One input line and, once handled, its answer. */
typedef struct {
    long line;
    char *text;      /* the line, NUL-terminated; NULL when it was too long */
    size_t len;
    char *answer;    /* set once handled in the open transaction */
    int kind;        /* what the answer says, for the statistics */
} held_line;

enum { KIND_ACCEPTED, KIND_DUPLICATE, KIND_REJECTED };

typedef struct {
    const reg_region *rg;
    const reg_calendar *cal;
    reg_store *store;
    reg_run_stats *stats;
    int kind;        /* of the line just handled */
} applier;

/* Handles one line in the open write transaction: sets hl->answer and
 * hl->kind. Returns 0, or a store failure (REG_E_STORE, or
 * REG_E_RETRY: roll back and run the line again). */
int apply_line(applier *r, held_line *hl);

#endif
