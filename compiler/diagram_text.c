/* diagram_text.c - the text of diagram labels: durations and wrapped
 * lines (see diagram.h), shared by the diagrams and `regc diff`. */
#include "diagram.h"

#include "util.h"

void dg_put_duration(strbuf *b, const duration *d)
{
    sb_printf(b, "%s%lld%s", d->at_most ? "at most " : "", d->amount, unit_name(d->unit));
}

void dg_put_wrapped(strbuf *b, const char *text, size_t width)
{
    size_t col = 0;
    const char *p = text;
    while (*p) {
        if (*p == '\n') {
            sb_addc(b, '\n');
            col = 0;
            p++;
            continue;
        }
        const char *w = p;
        size_t wlen = 0;
        while (*p && *p != ' ' && *p != '\n') {
            if ((unsigned char)*p < 0x80) {
                p++;
            } else if (utf8_plain_pair(p)) {
                p += 2;
            } else {
                unsigned cp;
                p += utf8_decode(p, &cp);
            }
            wlen++;
        }
        if (col > 0 && col + 1 + wlen > width) {
            sb_addc(b, '\n');
            col = 0;
        } else if (col > 0) {
            sb_addc(b, ' ');
            col++;
        }
        sb_addn(b, w, (size_t)(p - w));
        col += wlen;
        while (*p == ' ')   /* runs of blanks collapse at a break as well as inside a line */
            p++;
    }
}

