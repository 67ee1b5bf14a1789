/* parse.h - reading a rule file into a syntax tree. */
#ifndef REGC_PARSE_H
#define REGC_PARSE_H

#include "ast.h"
#include "diag.h"

/* Parses text (len bytes, NUL-terminated) named path. Always returns a tree
 * (possibly partial) that the caller frees with ast_free; syntax errors are
 * added to diags, with recovery so that one run reports several. */
regulation *parse_source(const source *src, diag_list *diags);

/* Reads a whole file into memory (NUL-terminated). Returns NULL and adds a
 * diagnostic when it cannot be read. The caller frees the text. */
char *read_file(const char *path, size_t *len, diag_list *diags);

#endif
