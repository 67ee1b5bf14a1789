/* json_out.c - JSON string escaping and a streaming writer (see json_out.h). */
#include "json_out.h"

#include "util.h"

void json_append_string(strbuf *b, const char *s)
{
    sb_addc(b, '"');
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *run = p; /* bytes written as they are, in one piece */
    while (*p) {
        unsigned char c = *p;
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            p++;
            continue;
        }
        if (utf8_plain_pair((const char *)p)) {
            p += 2;
            continue;
        }
        sb_addn(b, (const char *)run, (size_t)(p - run));
        if (c == '"' || c == '\\') {
            sb_addc(b, '\\');
            sb_addc(b, (char)c);
            p++;
        } else if (c == '\n') {
            sb_add(b, "\\n");
            p++;
        } else if (c == '\t') {
            sb_add(b, "\\t");
            p++;
        } else if (c < 0x20 || c == 0x7f) {
            sb_printf(b, "\\u%04x", c);
            p++;
        } else if (c < 0x80) {
            sb_addc(b, (char)c);
            p++;
        } else {
            int n = utf8_sequence_length(p);
            if (n > 0) {
                sb_addn(b, (const char *)p, (size_t)n);
                p += n;
            } else {
                sb_add(b, "\\ufffd");
                p++;
            }
        }
        run = p;
    }
    sb_addn(b, (const char *)run, (size_t)(p - run));
    sb_addc(b, '"');
}

void json_write_string(FILE *out, const char *s)
{
    strbuf b;
    sb_init(&b);
    json_append_string(&b, s);
    fputs(b.data, out);
    sb_free(&b);
}

void jw_init(json_writer *w, strbuf *out, bool compact)
{
    w->out = out;
    w->depth = 0;
    w->first[0] = true;
    w->after_key = false;
    w->compact = compact;
}

static void newline(json_writer *w)
{
    if (w->compact)
        return;
    sb_addc(w->out, '\n');
    for (int i = 0; i < w->depth; i++)
        sb_add(w->out, "  ");
}

/* Separator and indentation before a value or a key. */
static void before_value(json_writer *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0) {
        if (!w->first[w->depth])
            sb_addc(w->out, ',');
        if (!w->compact || !w->first[w->depth])
            newline(w);
    }
    w->first[w->depth] = false;
}

static void open_container(json_writer *w, char c)
{
    before_value(w);
    sb_addc(w->out, c);
    if (w->depth < 63)
        w->depth++;
    w->first[w->depth] = true;
}

static void close_container(json_writer *w, char c)
{
    bool empty = w->first[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (!empty)
        newline(w);
    sb_addc(w->out, c);
    if (w->depth == 0 && !w->compact)
        sb_addc(w->out, '\n');
}

void jw_object(json_writer *w) { open_container(w, '{'); }
void jw_array(json_writer *w) { open_container(w, '['); }
void jw_end_object(json_writer *w) { close_container(w, '}'); }
void jw_end_array(json_writer *w) { close_container(w, ']'); }

void jw_key(json_writer *w, const char *key)
{
    before_value(w);
    json_append_string(w->out, key);
    sb_add(w->out, w->compact ? ":" : ": ");
    w->after_key = true;
}

void jw_string(json_writer *w, const char *s)
{
    before_value(w);
    if (s)
        json_append_string(w->out, s);
    else
        sb_add(w->out, "null");
}

void jw_int(json_writer *w, long long v)
{
    before_value(w);
    sb_printf(w->out, "%lld", v);
}

void jw_bool(json_writer *w, bool v)
{
    before_value(w);
    sb_add(w->out, v ? "true" : "false");
}

void jw_null(json_writer *w)
{
    before_value(w);
    sb_add(w->out, "null");
}
