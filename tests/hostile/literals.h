/* literals.h - the string literals of a rule file, decoded without regc.
 *
 * The hostile suite proves that a label comes out of a back end exactly as
 * the author wrote it. To not trust the compiler's own scanner for that, the
 * checkers read the literals with this separate, minimal reader: it skips
 * `//` comments and decodes the four escapes of the language (\" \\ \n \t).
 * Header-only, because each checker is a single-file program. */
#ifndef HOSTILE_LITERALS_H
#define HOSTILE_LITERALS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char **items;
    size_t count;
} literal_list;

static void literals_fail(const char *what)
{
    fprintf(stderr, "%s\n", what);
    exit(2);
}

static char *literals_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        literals_fail("cannot open the rule file");
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf)
        literals_fail("out of memory");
    buf[n] = '\0';
    return buf;
}

static void literals_read(const char *path, literal_list *out)
{
    char *text = literals_slurp(path);
    out->items = NULL;
    out->count = 0;
    for (const char *p = text; *p;) {
        if (p[0] == '/' && p[1] == '/') {
            while (*p && *p != '\n')
                p++;
            continue;
        }
        if (*p != '"') {
            p++;
            continue;
        }
        char *s = malloc(strlen(p) + 1);
        if (!s)
            literals_fail("out of memory");
        size_t n = 0;
        for (p++; *p && *p != '"'; p++) {
            if (*p == '\\' && p[1]) {
                p++;
                s[n++] = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
            } else {
                s[n++] = *p;
            }
        }
        if (*p != '"')
            literals_fail("unterminated string in the rule file");
        p++;
        s[n] = '\0';
        out->items = realloc(out->items, (out->count + 1) * sizeof *out->items);
        if (!out->items)
            literals_fail("out of memory");
        out->items[out->count++] = s;
    }
    free(text);
}

/* Shows a string with its invisible bytes spelled out, for failure messages. */
static void literals_show(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == '"' || *p == '\\' || *p >= 0x7f)
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    fputc('"', f);
}

#endif
