/* strbuf.h - a growable byte buffer for building output text. */
#ifndef REGC_STRBUF_H
#define REGC_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct {
    char *data;   /* always NUL-terminated once anything was added */
    size_t len, cap;
} strbuf;

void sb_init(strbuf *b);
void sb_free(strbuf *b);
/* Makes room for extra more bytes and the NUL (the slow path of the adds). */
void sb_grow(strbuf *b, size_t extra);
void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(strbuf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Hands the text to the caller (who frees it) and empties the buffer. */
char *sb_take(strbuf *b);

/* The back ends add text a few bytes at a time, millions of times a run:
 * the common case (room enough) stays inline. */
static inline void sb_addn(strbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap)
        sb_grow(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static inline void sb_add(strbuf *b, const char *s) { sb_addn(b, s, strlen(s)); }

static inline void sb_addc(strbuf *b, char c)
{
    if (b->len + 2 > b->cap)
        sb_grow(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

#endif
