/* diag.h - compiler diagnostics in the style of a C compiler.
 *
 * Every message is "file:line:col: error|warning: what", then the source
 * line with a caret under the offending text, then an optional hint.
 * Diagnostics are collected first and printed by diag_flush(), so the same
 * records can be rendered as text for people or as JSON for tools. */
#ifndef REGC_DIAG_H
#define REGC_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    int line;    /* 1-based */
    int col;     /* 1-based, in bytes from the start of the line */
    int len;     /* bytes underlined; at least 1 */
} srcloc;

typedef enum { SEV_ERROR, SEV_WARNING } severity;

typedef struct {
    severity sev;
    char *flag;      /* warning name ("term-exceeded"), NULL for errors */
    char *check;     /* the check that found it (check.h), for tools; NULL for others */
    char *file;
    int line, col, len;  /* col in bytes of the source line */
    int display_col;     /* col in characters, as printed (0: unknown) */
    int text_col;        /* col within text, which may quote part of a long line */
    char *msg;
    char *hint;      /* NULL when there is none */
    char *text;      /* the source line, NULL when unknown */
} diagnostic;

/* Which warnings are on and whether they count as errors (-W flags). */
typedef struct {
    bool werror;
    size_t ndisabled;
    const char **disabled;   /* names given as -Wno-NAME */
    size_t nenabled;
    const char **enabled;    /* names given as -WNAME, overriding defaults */
} warn_options;

/* Diagnostics kept for printing; past this, only counted (a file of ten
 * million stray bytes must not make ten million records). */
enum { DIAG_MAX_KEPT = 200 };

typedef struct {
    diagnostic *items;
    size_t count, cap;
    int errors, warnings;
    int dropped;           /* counted but not kept */
    diagnostic overflow;   /* where unkept diagnostics are written, then cleared */
    const warn_options *warn;
} diag_list;

/* A source file held in memory, with what diagnostics need to quote it. */
typedef struct {
    const char *path;
    const char *text;
    size_t len;
} source;

void diag_init(diag_list *d, const warn_options *w);
void diag_free(diag_list *d);

/* Adds an error at loc; fmt is printf-style. Returns the record so a hint
 * can be attached with diag_hint(). */
diagnostic *diag_error(diag_list *d, const source *src, srcloc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Adds a warning named flag unless it is disabled; returns NULL then. */
diagnostic *diag_warning(diag_list *d, const source *src, srcloc loc, const char *flag,
                         const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* An error that has no place in a file (a file that does not exist). */
diagnostic *diag_plain(diag_list *d, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_hint(diagnostic *rec, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds copies of the records of from to d as if they had been reported to
 * d: a warning d's options turn off is left out, one they make an error is
 * an error. from must have kept every record (from->dropped == 0). */
void diag_replay(diag_list *d, const diag_list *from);
/* Adds a copy of g to d as it is, counted by its severity. */
void diag_append_copy(diag_list *d, const diagnostic *g);
/* Adds the records of from to d as they are, with what from counted but
 * did not keep: as if they had been reported to d. */
void diag_merge(diag_list *d, const diag_list *from);
/* Names the check that found an error; shown in JSON only (rec may be NULL). */
void diag_set_check(diagnostic *rec, const char *name);

/* True when warning flag is on under the options: -WNAME, then -Wno-NAME,
 * decide; every warning is on by default. */
bool diag_warning_enabled(const warn_options *w, const char *flag);

void diag_print_text(const diag_list *d, FILE *out, bool color);
void diag_print_json(const diag_list *d, FILE *out);

/* Suggestion helper: the candidate closest to word by edit distance, or NULL
 * when none is close enough to be a plausible typo. */
const char *diag_closest(const char *word, const char *const *candidates, size_t n);

#endif
