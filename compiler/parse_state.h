/* parse_state.h - state shared by the flex scanner and the bison parser.
 * Private to grammar/ and compiler/parse.c. */
#ifndef REGC_PARSE_STATE_H
#define REGC_PARSE_STATE_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"
#include "rule_limits.h"

/* Braces whose lines are remembered for the unclosed-brace hint. */
enum { MAX_OPEN_BRACES = 16 };

typedef struct lex_state {
    regulation *reg;
    diag_list *diags;
    const source *src;
    int line, col;          /* position of the next byte, 1-based, col in bytes */
    bool line_has_token;    /* a token was seen on the current line */
    int ntokens;
    int prev[5];            /* kinds of the last tokens, newest first (for hints) */
    int nopen;              /* braces opened and not yet closed */
    int open_lines[MAX_OPEN_BRACES]; /* their lines, for "the `{` on line N is not closed" */
    int nregulations;
    step_list *cur_steps;   /* where `step` appends: shared or a variant's block */
    step *cur_step;
    variant_decl *cur_variant;
    force_decl *cur_force;        /* the `in force` / `published` being parsed */
    flow_decl *cur_flow;
    flow_item *cur_item;
} lex_state;


#endif
