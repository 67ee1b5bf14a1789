/* strbuf.h - a growable byte buffer for building output text. */
#ifndef REGC_STRBUF_H
#define REGC_STRBUF_H

#include <stddef.h>

typedef struct {
    char *data;   /* always NUL-terminated once anything was added */
    size_t len, cap;
} strbuf;

void sb_init(strbuf *b);
void sb_free(strbuf *b);
void sb_add(strbuf *b, const char *s);
void sb_addn(strbuf *b, const char *s, size_t n);
void sb_addc(strbuf *b, char c);
void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the text to the caller (who frees it) and empties the buffer. */
char *sb_take(strbuf *b);

#endif
