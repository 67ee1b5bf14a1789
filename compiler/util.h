/* util.h - the small services every part of the compiler uses: memory
 * with one out-of-memory path, printf into a fresh string, UTF-8, and
 * quoting a string for a notation.
 *
 * Out of memory is the same everywhere in regc: the message
 * "regc: out of memory" on stderr and exit status 3 (docs/architecture.md),
 * never a NULL for the caller to check. */
#ifndef REGC_UTIL_H
#define REGC_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* ---- memory ---- */

/* Prints "regc: out of memory" and exits with status 3. */
_Noreturn void out_of_memory(void);

void *xrealloc(void *p, size_t size);
void *xmalloc(size_t size);
/* n zeroed elements of size bytes; n * size must not overflow (it exits). */
void *xcalloc(size_t n, size_t size);
/* Room for element `count` of an array that holds count elements of size
 * bytes and only ever grows through here: its room doubles (16, 32, 64...)
 * rather than growing by one, which copies the whole array each time in
 * allocators that do not grow blocks in place (a 10,000-step diagram). */
void *xgrow(void *p, size_t count, size_t size);
char *xstrdup(const char *s);

/* ---- printf into a fresh heap string ---- */

char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* ---- UTF-8 ---- */

/* True for a byte that continues a multi-byte sequence (10xxxxxx). */
static inline bool utf8_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* True when s starts with a well-formed two-byte character that is neither
 * a control nor invisible (utf8_invisible): lead bytes C3..DF except D8,
 * which hold the Cyrillic and Kazakh letters. The writers of quoted text
 * copy runs of these as they are without decoding them one by one. */
static inline bool utf8_plain_pair(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    return c >= 0xC3 && c <= 0xDF && c != 0xD8 && utf8_continuation((unsigned char)s[1]);
}

/* Length in bytes of the well-formed UTF-8 sequence starting at p (1..4),
 * or 0 when the bytes there are not valid UTF-8 (overlong forms, surrogates
 * and code points above U+10FFFF are invalid). p must be NUL-terminated. */
int utf8_sequence_length(const unsigned char *p);

/* Decodes the sequence at p into *cp and returns its length; a byte that
 * does not start a sequence yields itself and length 1. For text that was
 * checked when it was read (every string of a parsed rule file). */
size_t utf8_decode(const char *p, unsigned *cp);

/* Characters (code points) in the first `bytes` bytes of s: display
 * columns, so a caret lines up under Kazakh text. */
size_t utf8_width(const char *s, size_t bytes);

/* True for characters a reader cannot see but that change how text reads:
 * bidirectional controls (U+200E, U+200F, U+202A..U+202E, U+2066..U+2069,
 * U+061C), zero-width characters (U+200B..U+200D, U+2060..U+2064), the soft
 * hyphen and the byte order mark. Every back end spells them as escapes, so
 * generated code and diagrams read as they compile and render. */
bool utf8_invisible(unsigned cp);

/* True for the bidirectional controls among them (U+061C, U+200E, U+200F,
 * U+202A..U+202E, U+2066..U+2069), and their Unicode names. */
bool utf8_bidi_control(unsigned cp);
const char *utf8_bidi_name(unsigned cp);

/* ---- quoting ---- */

/* How a notation writes a string between its quotes. Characters below
 * U+0080 with an entry in `ascii` are written as that entry; other control
 * characters (below U+0020, and U+007F) as `control` (a printf format
 * taking the code point, or a fixed text), invisible characters as
 * `invisible`; everything else as it is. */
typedef struct {
    const char *open, *close;
    const char *const *ascii;   /* 128 entries, NULL: as it is */
    const char *control;
    const char *invisible;
} quoting;

void sb_quote(strbuf *b, const char *s, const quoting *q);

#endif
