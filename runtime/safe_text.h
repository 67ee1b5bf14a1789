/* safe_text.h - text from events (case and event ids, messages) shown on
 * a terminal or in JSON without characters that change how it reads.
 *
 * An id is whatever bytes the event gave. A right-to-left override
 * (U+202E) or another bidirectional control, a zero-width character, or a
 * C0 or C1 control character would reorder, hide or garble the table
 * around it (the "Trojan Source" trick). As the compiler does in labels,
 * such characters are written as codes: `<U+202E>` in text, `\u202e` in
 * JSON (which a JSON reader turns back into the same character). */
#ifndef REG_SAFE_TEXT_H
#define REG_SAFE_TEXT_H

#include <stddef.h>

/* 1 for the code points written as codes: C0 and C1 controls, DEL, the
 * bidirectional controls, zero-width characters, the soft hyphen and the
 * byte order mark. */
int reg_hidden_char(unsigned cp);

/* s for a terminal: hidden characters as <U+XXXX>, a byte that is not
 * UTF-8 as <0xNN>, cut (at a whole character) to fit buf. Returns buf. */
#define REG_SAFE_ID_BUFSZ 1700 /* an id of 200 bytes, every byte a code */
const char *reg_safe_text(const char *s, char *buf, size_t len);

/* A copy of JSON text with every hidden character at or above U+0080
 * written as \uXXXX (cJSON escapes those below); such bytes occur only
 * inside strings, so the JSON means the same. Frees json; NULL when out of
 * memory. */
char *reg_safe_json(char *json);

#endif
