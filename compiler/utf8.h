/* utf8.h - UTF-8 validation for rule files. */
#ifndef REGC_UTF8_H
#define REGC_UTF8_H

/* Length in bytes of the well-formed UTF-8 sequence starting at p (1..4),
 * or 0 when the bytes there are not valid UTF-8 (overlong forms, surrogates
 * and code points above U+10FFFF are invalid). p must be NUL-terminated. */
int utf8_sequence_length(const unsigned char *p);

#endif
