/* json_out.h - writing JSON text: string escaping shared by every back end
 * that prints JSON (the model export, diagnostics). */
#ifndef REGC_JSON_OUT_H
#define REGC_JSON_OUT_H

#include <stdio.h>

/* Writes s as a JSON string literal: quotes, backslashes and control
 * characters escaped; bytes that are not valid UTF-8 become U+FFFD so the
 * output is always valid JSON. */
void json_write_string(FILE *out, const char *s);

#endif
