/* strbuf.c - growable byte buffer (see strbuf.h). */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

void sb_init(strbuf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void sb_free(strbuf *b)
{
    free(b->data);
    sb_init(b);
}

static void reserve(strbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void sb_addn(strbuf *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sb_add(strbuf *b, const char *s) { sb_addn(b, s, strlen(s)); }

void sb_addc(strbuf *b, char c) { sb_addn(b, &c, 1); }

void sb_printf(strbuf *b, const char *fmt, ...)
{
    /* Formatted once into the room the buffer has, and only when that is
     * too small, once more after growing it: the back ends print a lot. */
    reserve(b, 64);
    va_list ap;
    va_start(ap, fmt);
    va_list copy;
    va_copy(copy, ap);
    size_t room = b->cap - b->len;
    int n = vsnprintf(b->data + b->len, room, fmt, copy);
    va_end(copy);
    if (n > 0 && (size_t)n >= room) {
        reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    }
    if (n > 0)
        b->len += (size_t)n;
    b->data[b->len] = '\0';
    va_end(ap);
}

char *sb_take(strbuf *b)
{
    if (!b->data)
        reserve(b, 0), b->data[0] = '\0';
    char *s = b->data;
    sb_init(b);
    return s;
}
