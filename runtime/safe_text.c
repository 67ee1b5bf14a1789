/* safe_text.c - hidden characters written as codes (safe_text.h). */
#include "safe_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int reg_hidden_char(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x00AD || cp == 0x061C ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

/* The code point of the UTF-8 sequence at s and its length; 0 for a byte
 * that does not start a well-formed sequence. */
static size_t decode(const unsigned char *s, unsigned *cp)
{
    size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0)
        return 0;
    unsigned v = n == 1 ? s[0] : n == 2 ? s[0] & 0x1Fu : n == 3 ? s[0] & 0x0Fu : s[0] & 0x07u;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    static const unsigned least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (v < least[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

const char *reg_safe_text(const char *s, char *buf, size_t len)
{
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    if (len == 0)
        return buf;
    while (*p) {
        unsigned cp = 0;
        size_t n = decode(p, &cp);
        char code[16];
        const char *piece = code;
        size_t plen;
        if (n == 0) {
            plen = (size_t)snprintf(code, sizeof code, "<0x%02X>", *p);
            n = 1;
        } else if (reg_hidden_char(cp)) {
            plen = (size_t)snprintf(code, sizeof code, "<U+%04X>", cp);
        } else {
            piece = (const char *)p;
            plen = n;
        }
        if (o + plen >= len)
            break;
        memcpy(buf + o, piece, plen);
        o += plen;
        p += n;
    }
    buf[o] = '\0';
    return buf;
}

char *reg_safe_json(char *json)
{
    if (!json)
        return NULL;
    size_t len = strlen(json);
    /* A hidden character takes 2 or 3 bytes and becomes 6. */
    char *out = malloc(3 * len + 1);
    if (!out) {
        free(json);
        return NULL;
    }
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)json;
    while (*p) {
        unsigned cp = 0;
        size_t n = *p >= 0x80 ? decode(p, &cp) : 0;
        if (n > 0 && reg_hidden_char(cp)) {
            o += (size_t)sprintf(out + o, "\\u%04x", cp);
            p += n;
        } else {
            out[o++] = (char)*p++;
        }
    }
    out[o] = '\0';
    free(json);
    return out;
}
