/* diag.c - collecting and printing diagnostics (see diag.h). */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "util.h"

void diag_init(diag_list *d, const warn_options *w)
{
    memset(d, 0, sizeof *d);
    d->warn = w;
}

static void clear_record(diagnostic *r)
{
    free(r->flag);
    free(r->file);
    free(r->msg);
    free(r->hint);
    free(r->text);
    free(r->check);
    memset(r, 0, sizeof *r);
}

void diag_free(diag_list *d)
{
    for (size_t i = 0; i < d->count; i++)
        clear_record(&d->items[i]);
    clear_record(&d->overflow);
    free(d->items);
    memset(d, 0, sizeof *d);
}

/* Longest source line quoted whole; a longer one is quoted around the
 * column, so a 10 MB line does not make a 10 MB message. */
enum { LINE_QUOTE_MAX = 400 };

/* Copies line number `line` of src (without its newline), or the part of it
 * around *col, adjusting *col to the copy; *display gets the column of the
 * original *col in characters. */
static char *source_line(const source *src, int line, int *col, int *display)
{
    if (!src || !src->text || line < 1)
        return NULL;
    const char *p = src->text, *end = src->text + src->len;
    for (int l = 1; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return NULL;
        p = nl + 1;
    }
    const char *e = memchr(p, '\n', (size_t)(end - p));
    if (!e)
        e = end;
    if (e > p && e[-1] == '\r')
        e--;
    size_t n = (size_t)(e - p);
    size_t before = *col > 1 ? (size_t)*col - 1 : 0;
    *display = 1 + (int)utf8_width(p, before < n ? before : n);
    const char *prefix = "";
    if (n > LINE_QUOTE_MAX) {
        size_t start = *col > LINE_QUOTE_MAX / 2 ? (size_t)*col - LINE_QUOTE_MAX / 2 : 0;
        if (start > n)
            start = n;
        while (start > 0 && utf8_continuation((unsigned char)p[start]))
            start--;
        size_t len = n - start < LINE_QUOTE_MAX ? n - start : LINE_QUOTE_MAX;
        while (start + len < n && len > 0 && utf8_continuation((unsigned char)p[start + len]))
            len--;
        if (start > 0) {
            prefix = "...";
            *col = *col - (int)start + 3;
        }
        p += start;
        n = len;
    }
    size_t plen = strlen(prefix);
    char *s = xrealloc(NULL, plen + n + 1);
    memcpy(s, prefix, plen);
    /* a NUL inside the line would cut the quote short: show it as a blank */
    for (size_t i = 0; i < n; i++)
        s[plen + i] = p[i] ? p[i] : ' ';
    s[plen + n] = '\0';
    return s;
}

static diagnostic *add(diag_list *d, severity sev, const char *flag, const char *file)
{
    if (d->count >= DIAG_MAX_KEPT) {
        /* Counted, not kept: callers may still fill in the record, so it
         * is a real one, emptied on the next use. */
        d->dropped++;
        clear_record(&d->overflow);
        d->overflow.sev = sev;
        return &d->overflow;
    }
    if (d->count == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = xrealloc(d->items, d->cap * sizeof *d->items);
    }
    diagnostic *r = &d->items[d->count++];
    memset(r, 0, sizeof *r);
    r->sev = sev;
    r->flag = flag ? xstrdup(flag) : NULL;
    r->file = xstrdup(file ? file : "<input>");
    return r;
}

/* The place, the quoted source line and the message of a kept record. */
static void place(diagnostic *r, const source *src, srcloc loc, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static void place(diagnostic *r, const source *src, srcloc loc, const char *fmt, va_list ap)
{
    r->line = loc.line;
    r->col = loc.col;
    r->len = loc.len > 0 ? loc.len : 1;
    r->text_col = loc.col;
    r->text = source_line(src, loc.line, &r->text_col, &r->display_col);
    r->msg = xvasprintf(fmt, ap);
}

diagnostic *diag_error(diag_list *d, const source *src, srcloc loc, const char *fmt, ...)
{
    diagnostic *r = add(d, SEV_ERROR, NULL, src ? src->path : NULL);
    d->errors++;
    if (r == &d->overflow)
        return r;
    va_list ap;
    va_start(ap, fmt);
    place(r, src, loc, fmt, ap);
    va_end(ap);
    return r;
}

bool diag_warning_enabled(const warn_options *w, const char *flag)
{
    if (!w)
        return true;
    for (size_t i = 0; i < w->nenabled; i++)
        if (strcmp(w->enabled[i], flag) == 0)
            return true;
    for (size_t i = 0; i < w->ndisabled; i++)
        if (strcmp(w->disabled[i], flag) == 0)
            return false;
    return true;
}

diagnostic *diag_warning(diag_list *d, const source *src, srcloc loc, const char *flag,
                         const char *fmt, ...)
{
    if (!diag_warning_enabled(d->warn, flag))
        return NULL;
    bool as_error = d->warn && d->warn->werror;
    diagnostic *r = add(d, as_error ? SEV_ERROR : SEV_WARNING, flag, src ? src->path : NULL);
    if (as_error)
        d->errors++;
    else
        d->warnings++;
    if (r == &d->overflow)
        return r;
    r->check = xstrdup(flag);
    va_list ap;
    va_start(ap, fmt);
    place(r, src, loc, fmt, ap);
    va_end(ap);
    return r;
}

diagnostic *diag_plain(diag_list *d, const char *file, const char *fmt, ...)
{
    diagnostic *r = add(d, SEV_ERROR, NULL, file);
    d->errors++;
    if (r == &d->overflow)
        return r;
    va_list ap;
    va_start(ap, fmt);
    r->msg = xvasprintf(fmt, ap);
    va_end(ap);
    return r;
}

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

/* A copy of g's place, text and check into the record r. */
static void copy_record(diagnostic *r, const diagnostic *g)
{
    r->check = dup_or_null(g->check);
    r->line = g->line;
    r->col = g->col;
    r->len = g->len;
    r->display_col = g->display_col;
    r->text_col = g->text_col;
    r->msg = dup_or_null(g->msg);
    r->hint = dup_or_null(g->hint);
    r->text = dup_or_null(g->text);
}

static void append(diag_list *d, severity sev, const diagnostic *g)
{
    diagnostic *r = add(d, sev, g->flag, g->file);
    if (sev == SEV_ERROR)
        d->errors++;
    else
        d->warnings++;
    if (r != &d->overflow)
        copy_record(r, g);
}

void diag_append_copy(diag_list *d, const diagnostic *g) { append(d, g->sev, g); }

void diag_merge(diag_list *d, const diag_list *from)
{
    int errors = 0, warnings = 0;
    for (size_t i = 0; i < from->count; i++) {
        append(d, from->items[i].sev, &from->items[i]);
        if (from->items[i].sev == SEV_ERROR)
            errors++;
        else
            warnings++;
    }
    d->errors += from->errors - errors;
    d->warnings += from->warnings - warnings;
    d->dropped += from->dropped;
}

void diag_replay(diag_list *d, const diag_list *from)
{
    for (size_t i = 0; i < from->count; i++) {
        const diagnostic *g = &from->items[i];
        bool warning = g->sev == SEV_WARNING || g->flag;
        if (warning && !diag_warning_enabled(d->warn, g->flag))
            continue;
        append(d, warning && !(d->warn && d->warn->werror) ? SEV_WARNING : SEV_ERROR, g);
    }
}

void diag_set_check(diagnostic *r, const char *name)
{
    if (!r)
        return;
    free(r->check);
    r->check = xstrdup(name);
}

void diag_hint(diagnostic *r, const char *fmt, ...)
{
    if (!r)
        return;
    va_list ap;
    va_start(ap, fmt);
    free(r->hint);
    r->hint = xvasprintf(fmt, ap);
    va_end(ap);
}

static void print_one(const diagnostic *r, FILE *out, bool color)
{
    const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
    const char *sevcol = color ? (r->sev == SEV_ERROR ? "\033[1;31m" : "\033[1;35m") : "";
    const char *sev = r->sev == SEV_ERROR ? "error" : "warning";
    if (r->line > 0) {
        int col = r->display_col ? r->display_col : r->col;
        fprintf(out, "%s%s:%d:%d:%s %s%s:%s %s", bold, r->file, r->line, col, reset, sevcol, sev,
                reset, r->msg);
    } else {
        fprintf(out, "%s%s:%s %s%s:%s %s", bold, r->file, reset, sevcol, sev, reset, r->msg);
    }
    if (r->flag)
        fprintf(out, " [-W%s%s]", r->sev == SEV_ERROR ? "error=" : "", r->flag);
    fputc('\n', out);
    if (r->text) {
        fprintf(out, "%5d | %s\n", r->line, r->text);
        int tlen = (int)strlen(r->text);
        int start = r->text_col - 1 < tlen ? r->text_col - 1 : tlen;
        int len = r->len;
        if (start + len > tlen)
            len = tlen - start;
        int width = len > 0 ? (int)utf8_width(r->text + start, (size_t)len) : 1;
        /* The caret's padding repeats the line's tabs so it lines up in
         * any terminal; every other character counts as one column. */
        fputs("      | ", out);
        for (int i = 0; i < start; i++) {
            unsigned char ch = (unsigned char)r->text[i];
            if (ch == '\t')
                fputc('\t', out);
            else if (!utf8_continuation(ch))
                fputc(' ', out);
        }
        fprintf(out, "%s^", sevcol);
        for (int i = 1; i < width; i++)
            fputc('~', out);
        fprintf(out, "%s\n", reset);
    }
    if (r->hint)
        fprintf(out, "      = hint: %s\n", r->hint);
}

void diag_print_text(const diag_list *d, FILE *out, bool color)
{
    for (size_t i = 0; i < d->count; i++)
        print_one(&d->items[i], out, color);
    if (d->dropped)
        fprintf(out, "regc: %d more diagnostic%s not shown (only the first %d are)\n", d->dropped,
                d->dropped == 1 ? "" : "s", DIAG_MAX_KEPT);
}

void diag_print_json(const diag_list *d, FILE *out)
{
    fputs("[", out);
    for (size_t i = 0; i < d->count; i++) {
        const diagnostic *r = &d->items[i];
        int col = r->display_col ? r->display_col : r->col;
        fputs(i ? ",\n {" : "\n {", out);
        fputs("\"file\": ", out);
        json_write_string(out, r->file);
        fprintf(out, ", \"line\": %d, \"column\": %d, \"severity\": \"%s\"", r->line, col,
                r->sev == SEV_ERROR ? "error" : "warning");
        fputs(", \"flag\": ", out);
        if (r->flag)
            json_write_string(out, r->flag);
        else
            fputs("null", out);
        fputs(", \"check\": ", out);
        if (r->check)
            json_write_string(out, r->check);
        else
            fputs("null", out);
        fputs(", \"message\": ", out);
        json_write_string(out, r->msg);
        fputs(", \"hint\": ", out);
        if (r->hint)
            json_write_string(out, r->hint);
        else
            fputs("null", out);
        fputs("}", out);
    }
    fputs(d->count ? "\n]\n" : "]\n", out);
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return (size_t)-1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *diag_closest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t dist = edit_distance(word, cands[i]);
        if (dist < bestd) {
            bestd = dist;
            best = cands[i];
        }
    }
    size_t len = strlen(word);
    size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    return bestd <= limit ? best : NULL;
}
