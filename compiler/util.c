/* util.c - memory, printf into strings, UTF-8 and quoting (see util.h). */
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- memory ---- */

void out_of_memory(void)
{
    fputs("regc: out of memory\n", stderr);
    exit(3);
}

void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        out_of_memory();
    return q;
}

void *xmalloc(size_t size)
{
    return xrealloc(NULL, size);
}

void *xcalloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        out_of_memory();
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);
    memcpy(p, s, n);
    return p;
}

/* ---- printf into strings ---- */

void *xgrow(void *p, size_t count, size_t size)
{
    if (count == 0)
        return xrealloc(p, 16 * size);
    if (count < 16 || (count & (count - 1)) != 0)
        return p;   /* the room a count implies is not full yet */
    return xrealloc(p, 2 * count * size);
}

char *xvasprintf(const char *fmt, va_list ap)
{
    strbuf b;
    sb_init(&b);
    sb_vprintf(&b, fmt, ap);
    return sb_take(&b);
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

/* ---- UTF-8 ---- */

int utf8_sequence_length(const unsigned char *p)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    int n;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (int i = 1; i < n; i++) {
        if (!utf8_continuation(p[i]))
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

size_t utf8_decode(const char *p, unsigned *cp)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
    if (n == 0) {
        *cp = s[0];
        return 1;
    }
    unsigned v = n == 1 ? s[0] : n == 2 ? s[0] & 0x1Fu : n == 3 ? s[0] & 0x0Fu : s[0] & 0x07u;
    for (size_t i = 1; i < n; i++) {
        if (!utf8_continuation(s[i])) {   /* also stops at the terminating NUL */
            *cp = s[0];
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    *cp = v;
    return n;
}

size_t utf8_width(const char *s, size_t bytes)
{
    size_t w = 0;
    for (size_t i = 0; i < bytes; i++)
        if (!utf8_continuation((unsigned char)s[i]))
            w++;
    return w;
}

bool utf8_invisible(unsigned cp)
{
    return cp == 0x00AD || cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

static const struct {
    unsigned cp;
    const char *name;
} bidi_names[] = {
    {0x061C, "ARABIC LETTER MARK"},
    {0x200E, "LEFT-TO-RIGHT MARK"},
    {0x200F, "RIGHT-TO-LEFT MARK"},
    {0x202A, "LEFT-TO-RIGHT EMBEDDING"},
    {0x202B, "RIGHT-TO-LEFT EMBEDDING"},
    {0x202C, "POP DIRECTIONAL FORMATTING"},
    {0x202D, "LEFT-TO-RIGHT OVERRIDE"},
    {0x202E, "RIGHT-TO-LEFT OVERRIDE"},
    {0x2066, "LEFT-TO-RIGHT ISOLATE"},
    {0x2067, "RIGHT-TO-LEFT ISOLATE"},
    {0x2068, "FIRST STRONG ISOLATE"},
    {0x2069, "POP DIRECTIONAL ISOLATE"},
};

const char *utf8_bidi_name(unsigned cp)
{
    for (size_t i = 0; i < sizeof bidi_names / sizeof bidi_names[0]; i++)
        if (bidi_names[i].cp == cp)
            return bidi_names[i].name;
    return NULL;
}

bool utf8_bidi_control(unsigned cp)
{
    return utf8_bidi_name(cp) != NULL;
}

/* ---- quoting ---- */

void sb_quote(strbuf *b, const char *s, const quoting *q)
{
    sb_add(b, q->open);
    /* Runs of characters written as they are go out in one piece. */
    const char *run = s;
    while (*s) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x80) {
            if (c >= 0x20 && c != 0x7F && !(q->ascii && q->ascii[c])) {
                s++;
                continue;
            }
        } else if (utf8_plain_pair(s)) {
            s += 2;
            continue;
        }
        sb_addn(b, run, (size_t)(s - run));
        unsigned cp;
        size_t n = utf8_decode(s, &cp);
        const char *as = cp < 0x80 && q->ascii ? q->ascii[cp] : NULL;
        if (as)
            sb_add(b, as);
        else if (cp < 0x20 || cp == 0x7F)
            sb_printf(b, q->control, cp);
        else if (utf8_invisible(cp))
            sb_printf(b, q->invisible, cp);
        else
            sb_addn(b, s, n);
        s += n;
        run = s;
    }
    sb_addn(b, run, (size_t)(s - run));
    sb_add(b, q->close);
}
