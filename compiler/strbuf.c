/* strbuf.c - growable byte buffer (see strbuf.h). */
#include "strbuf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

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

void sb_grow(strbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

/* ---- formatting ----
 * The back ends format about a million pieces for a hundred regulations,
 * nearly all of them %s, %d or %zu: those are written here directly, which
 * takes a fraction of vsnprintf's time (docs/performance.md). A format with
 * anything else (a width, a precision, %x, %o...) is formatted again whole
 * by vsnprintf, so the output is always what printf would write. */

static void add_unsigned(strbuf *b, unsigned long long v, bool negative)
{
    char digits[24];
    size_t n = sizeof digits;
    do
        digits[--n] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    if (negative)
        digits[--n] = '-';
    sb_addn(b, digits + n, sizeof digits - n);
}

static void add_signed(strbuf *b, long long v)
{
    /* the magnitude of LLONG_MIN does not fit a long long: negate unsigned */
    if (v < 0)
        add_unsigned(b, 0ull - (unsigned long long)v, true);
    else
        add_unsigned(b, (unsigned long long)v, false);
}

/* Writes fmt with the conversions %s %d %u %c %% %zu %zd %lld %llu; false,
 * having written part of it, at the first other one. */
static bool plain_vprintf(strbuf *b, const char *fmt, va_list ap)
{
    const char *p = fmt;
    for (;;) {
        const char *pct = strchr(p, '%');
        if (!pct) {
            sb_add(b, p);
            return true;
        }
        sb_addn(b, p, (size_t)(pct - p));
        p = pct + 1;
        if (*p == 's') {
            const char *s = va_arg(ap, const char *);
            sb_add(b, s ? s : "(null)"); /* as glibc prints it */
            p++;
        } else if (*p == 'd') {
            add_signed(b, va_arg(ap, int));
            p++;
        } else if (*p == 'u') {
            add_unsigned(b, va_arg(ap, unsigned), false);
            p++;
        } else if (*p == 'c') {
            sb_addc(b, (char)va_arg(ap, int));
            p++;
        } else if (*p == '%') {
            sb_addc(b, '%');
            p++;
        } else if (p[0] == 'z' && p[1] == 'u') {
            add_unsigned(b, va_arg(ap, size_t), false);
            p += 2;
        } else if (p[0] == 'z' && p[1] == 'd') {
            add_signed(b, (long long)va_arg(ap, ptrdiff_t));
            p += 2;
        } else if (p[0] == 'l' && p[1] == 'l' && p[2] == 'd') {
            add_signed(b, va_arg(ap, long long));
            p += 3;
        } else if (p[0] == 'l' && p[1] == 'l' && p[2] == 'u') {
            add_unsigned(b, va_arg(ap, unsigned long long), false);
            p += 3;
        } else {
            return false;
        }
    }
}

void sb_vprintf(strbuf *b, const char *fmt, va_list ap)
{
    size_t start = b->len;
    sb_grow(b, 64);
    va_list copy;
    va_copy(copy, ap);
    bool done = plain_vprintf(b, fmt, copy);
    va_end(copy);
    if (done)
        return;
    b->len = start;
    /* Formatted once into the room the buffer has, and only when that is
     * too small, once more after growing it. */
    va_copy(copy, ap);
    size_t room = b->cap - b->len;
    int n = vsnprintf(b->data + b->len, room, fmt, copy);
    va_end(copy);
    if (n > 0 && (size_t)n >= room) {
        sb_grow(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    }
    if (n > 0)
        b->len += (size_t)n;
    b->data[b->len] = '\0';
}

void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(b, fmt, ap);
    va_end(ap);
}

char *sb_take(strbuf *b)
{
    if (!b->data)
        sb_grow(b, 0), b->data[0] = '\0';
    char *s = b->data;
    sb_init(b);
    return s;
}
