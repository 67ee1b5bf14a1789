/* json_out.h - writing JSON text: a small streaming writer with stable
 * layout (two-space indent, keys in the order written), shared by every
 * back end and command that prints JSON. */
#ifndef REGC_JSON_OUT_H
#define REGC_JSON_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "strbuf.h"

/* Writes s as a JSON string literal: quotes, backslashes and control
 * characters escaped; bytes that are not valid UTF-8 become U+FFFD so the
 * output is always valid JSON. */
void json_write_string(FILE *out, const char *s);
void json_append_string(strbuf *b, const char *s);

typedef struct {
    strbuf *out;
    int depth;
    bool first[64];     /* per nesting level: nothing written yet */
    bool after_key;
    bool compact;       /* one line, no indentation */
} json_writer;

void jw_init(json_writer *w, strbuf *out, bool compact);
void jw_object(json_writer *w);
void jw_array(json_writer *w);
void jw_end_object(json_writer *w);
void jw_end_array(json_writer *w);
void jw_key(json_writer *w, const char *key);
void jw_string(json_writer *w, const char *s);   /* NULL writes null */
void jw_int(json_writer *w, long long v);
void jw_bool(json_writer *w, bool v);
void jw_null(json_writer *w);

#endif
