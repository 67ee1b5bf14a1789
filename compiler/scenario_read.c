/* scenario_read.c - the reader of scenario files (scenario.h).
 *
 * A scenario file is line-based: one statement a line, words separated by
 * blanks, a quoted string for a scenario's name, `//` to the end of the
 * line a comment. Every error names file:line:col and carries a hint; a bad
 * line is skipped and reading goes on, so one run lists every mistake. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "scenario.h"
#include "timefmt.h"
#include "util.h"

enum { MAX_WORDS = 16 };

typedef struct {
    char *text;     /* in the arena; quotes removed for a string */
    srcloc loc;
    bool quoted;
} token;

typedef struct {
    scenario_file *f;
    diag_list *d;
    scenario *cur;
    bool submitted;           /* the current scenario has its submit */
    bool skip;                /* a line of this scenario was wrong: skip to the next one */
    size_t nstmts;
} reader;

static diagnostic *err(reader *r, srcloc loc, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static diagnostic *err(reader *r, srcloc loc, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    diagnostic *rec = diag_error(r->d, &r->f->src, loc, "%s", msg);
    free(msg);
    if (hint)
        diag_hint(rec, "%s", hint);
    return rec;
}

static bool is_ident(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

/* Splits one line into tokens. Returns the count, or -1 after an error. */
static int split(reader *r, const char *line, size_t len, int lineno, token *out)
{
    int n = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)line[i];
        if (c == ' ' || c == '\t' || c == '\r') {
            i++;
            continue;
        }
        if (c == '/' && i + 1 < len && line[i + 1] == '/')
            break;
        srcloc loc = { lineno, (int)i + 1, 1 };
        if (n == MAX_WORDS) {
            err(r, loc, "a statement has at most 16 words; put one statement on a line",
                "too many words on this line");
            return -1;
        }
        size_t start = i;
        if (c == '"') {
            i++;
            while (i < len && line[i] != '"')
                i++;
            if (i == len) {
                loc.len = (int)(len - start);
                err(r, loc, "close the name with `\"` on the same line", "unterminated string");
                return -1;
            }
            out[n].text = arena_strndup(&r->f->mem, line + start + 1, i - start - 1);
            out[n].quoted = true;
            i++;
        } else {
            while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' && line[i] != '"')
                i++;
            out[n].text = arena_strndup(&r->f->mem, line + start, i - start);
            out[n].quoted = false;
        }
        loc.len = (int)(i - start);
        out[n++].loc = loc;
    }
    return n;
}

static sc_stmt *push(reader *r, sc_kind kind, srcloc loc)
{
    scenario *s = r->cur;
    s->stmts = arena_push(&r->f->mem, s->stmts, &s->nstmts, sizeof *s->stmts);
    sc_stmt *st = &s->stmts[s->nstmts - 1];
    st->kind = kind;
    st->loc = loc;
    r->nstmts++;
    return st;
}

static bool want_ident(reader *r, const token *t, const char *what)
{
    if (t->quoted || !is_ident(t->text)) {
        char *hint = xasprintf("%s is a name from the rule file: letters, digits and `_`", what);
        err(r, t->loc, hint, "`%s` is not a %s name", t->text, what);
        free(hint);
        return false;
    }
    return true;
}

static bool want_time(reader *r, const token *t, int64_t *at)
{
    if (reg_parse_time(t->text, at) != 0) {
        err(r, t->loc, "write a time as YYYY-MM-DDTHH:MM, e.g. 2026-03-02T10:00", "`%s` is not a time", t->text);
        return false;
    }
    return true;
}

/* `at TIME` at tokens k, k+1, ending the statement. */
static bool want_at(reader *r, const token *tk, int n, int k, const token *kw, int64_t *at)
{
    if (k >= n) {
        srcloc loc = tk[n - 1].loc;
        loc.col += loc.len;
        loc.len = 1;
        err(r, loc, "every event happens at a time: add `at YYYY-MM-DDTHH:MM`", "`%s` needs `at TIME`", kw->text);
        return false;
    }
    if (strcmp(tk[k].text, "at") != 0 || tk[k].quoted) {
        err(r, tk[k].loc, "the statement goes on with `at YYYY-MM-DDTHH:MM`", "expected `at`, found `%s`",
            tk[k].text);
        return false;
    }
    if (k + 1 >= n) {
        err(r, tk[k].loc, "write a time as YYYY-MM-DDTHH:MM, e.g. 2026-03-02T10:00", "`at` needs a time");
        return false;
    }
    if (!want_time(r, &tk[k + 1], at))
        return false;
    if (k + 2 < n) {
        err(r, tk[k + 2].loc, "one statement a line", "unexpected `%s` after the time", tk[k + 2].text);
        return false;
    }
    return true;
}

static void read_scenario(reader *r, const token *tk, int n)
{
    if (n != 2 || !tk[1].quoted || tk[1].text[0] == '\0') {
        srcloc loc = n > 1 ? tk[1].loc : tk[0].loc;
        err(r, loc, "write: scenario \"what the case shows\"", "a scenario needs a name in quotes");
        return;
    }
    for (size_t i = 0; i < r->f->count; i++)
        if (strcmp(r->f->items[i].name, tk[1].text) == 0) {
            diagnostic *rec = err(r, tk[1].loc, NULL, "a second scenario named \"%s\"", tk[1].text);
            diag_hint(rec, "the first is on line %d; give each scenario its own name", r->f->items[i].loc.line);
            return;
        }
    r->f->items = arena_push(&r->f->mem, r->f->items, &r->f->count, sizeof *r->f->items);
    scenario *s = &r->f->items[r->f->count - 1];
    s->name = tk[1].text;
    s->loc = tk[0].loc;
    r->cur = s;
    r->submitted = false;
}

static void read_submit(reader *r, const token *tk, int n)
{
    if (r->submitted) {
        err(r, tk[0].loc, "a scenario follows one case; start another with `scenario \"NAME\"`",
            "the case of this scenario was already submitted");
        return;
    }
    sc_word variant = { 0 }, channel = { 0 };
    int k = 1;
    while (k < n && strcmp(tk[k].text, "at") != 0) {
        sc_word *w = strcmp(tk[k].text, "variant") == 0 ? &variant : strcmp(tk[k].text, "channel") == 0 ? &channel : NULL;
        if (!w || tk[k].quoted) {
            err(r, tk[k].loc, "write: submit [variant V] [channel C] at YYYY-MM-DDTHH:MM",
                "expected `variant`, `channel` or `at`, found `%s`", tk[k].text);
            return;
        }
        if (w->text) {
            err(r, tk[k].loc, "name it once", "`%s` is given twice", tk[k].text);
            return;
        }
        if (k + 1 >= n) {
            err(r, tk[k].loc, "name one from the rule file", "`%s` needs a name", tk[k].text);
            return;
        }
        if (!want_ident(r, &tk[k + 1], tk[k].text))
            return;
        *w = (sc_word){ tk[k + 1].text, tk[k + 1].loc };
        k += 2;
    }
    int64_t at;
    if (!want_at(r, tk, n, k, &tk[0], &at))
        return;
    sc_stmt *st = push(r, SC_SUBMIT, tk[0].loc);
    st->variant = variant;
    st->channel = channel;
    st->at = at;
    r->submitted = true;
}

static void read_event(reader *r, const token *tk, int n, sc_kind kind)
{
    if (!r->submitted) {
        err(r, tk[0].loc, "an event happens to a submitted case: put `submit ... at TIME` first",
            "`%s` before the case is submitted", tk[0].text);
        return;
    }
    sc_word step = { 0 }, outcome = { 0 };
    int k = 1;
    if (kind == SC_COMPLETE || (kind == SC_REFUSE && k < n && strcmp(tk[k].text, "at") != 0)) {
        if (k >= n) {
            err(r, tk[0].loc, "write: complete STEP [on OUTCOME] at YYYY-MM-DDTHH:MM", "`complete` needs the step");
            return;
        }
        if (!want_ident(r, &tk[k], "step"))
            return;
        step = (sc_word){ tk[k].text, tk[k].loc };
        k++;
    }
    if (kind == SC_FLOW) {
        if (k >= n || strcmp(tk[k].text, "at") == 0) {
            err(r, tk[0].loc, "write: flow ITEM [holds|fails] at YYYY-MM-DDTHH:MM, ITEM an item of the channel's flow",
                "`flow` needs the item");
            return;
        }
        if (!want_ident(r, &tk[k], "flow item"))
            return;
        step = (sc_word){ tk[k].text, tk[k].loc };
        k++;
        if (k < n && (strcmp(tk[k].text, "holds") == 0 || strcmp(tk[k].text, "fails") == 0)) {
            outcome = (sc_word){ tk[k].text, tk[k].loc };
            k++;
        }
    }
    if (kind == SC_ANCHOR) {
        if (k >= n || strcmp(tk[k].text, "at") == 0) {
            err(r, tk[0].loc, "write: anchor EVENT at YYYY-MM-DDTHH:MM, EVENT as the rule file's `term ... from event EVENT`",
                "`anchor` needs the event");
            return;
        }
        if (!want_ident(r, &tk[k], "event"))
            return;
        step = (sc_word){ tk[k].text, tk[k].loc }; /* the event's name */
        k++;
    }
    if (kind == SC_COMPLETE && k < n && strcmp(tk[k].text, "on") == 0) {
        if (k + 1 >= n) {
            err(r, tk[k].loc, "name the outcome of a branch of the step (`on OUTCOME` in the rule file)",
                "`on` needs an outcome");
            return;
        }
        if (!want_ident(r, &tk[k + 1], "outcome"))
            return;
        outcome = (sc_word){ tk[k + 1].text, tk[k + 1].loc };
        k += 2;
    }
    int64_t at;
    if (!want_at(r, tk, n, k, &tk[0], &at))
        return;
    sc_stmt *st = push(r, kind, tk[0].loc);
    st->step = step;
    st->outcome = outcome;
    st->at = at;
}

/* The value of an expectation, checked for its field's kind where the
 * form alone decides (times, yes/no, marks). */
static bool value_ok(reader *r, const sc_field *f, const token *v)
{
    switch (f->kind) {
    case SF_BOOL:
        if (strcmp(v->text, "yes") == 0 || strcmp(v->text, "no") == 0)
            return true;
        err(r, v->loc, "write `yes` or `no`", "`%s` is not yes or no", v->text);
        return false;
    case SF_TIME: {
        int64_t t;
        if (strcmp(v->text, "none") == 0 || strcmp(v->text, "unknown") == 0 || strcmp(v->text, "pending") == 0 ||
            reg_parse_time(v->text, &t) == 0)
            return true;
        err(r, v->loc, "write a time as YYYY-MM-DDTHH:MM, e.g. 2026-03-02T10:00, or `none`, `unknown` or `pending`",
            "`%s` is not a time", v->text);
        return false;
    }
    case SF_MARK:
        if (strcmp(v->text, "definite") == 0 || strcmp(v->text, "provisional") == 0 ||
            strcmp(v->text, "unknown") == 0 || strcmp(v->text, "none") == 0)
            return true;
        err(r, v->loc, "a deadline is `definite`, `provisional`, `unknown` or `none`", "`%s` is not a mark",
            v->text);
        return false;
    case SF_PHASE:
        if (strcmp(v->text, "intake") == 0 || strcmp(v->text, "steps") == 0 || strcmp(v->text, "handover") == 0 ||
            strcmp(v->text, "finished") == 0)
            return true;
        err(r, v->loc, "a case is in its `intake`, its `steps`, its `handover`, or `finished`", "`%s` is not a phase",
            v->text);
        return false;
    case SF_ITEM:
    case SF_STEP:
    case SF_RESULT:
    case SF_REASON:
        return want_ident(r, v, f->kind == SF_STEP ? "step" : f->kind == SF_RESULT ? "result"
                                : f->kind == SF_ITEM ? "flow item" : "reason");
    }
    return false;
}

static void read_expect(reader *r, const token *tk, int n)
{
    if (!r->submitted) {
        err(r, tk[0].loc, "expectations are about a case: put `submit ... at TIME` first",
            "`expect` before the case is submitted");
        return;
    }
    if (n < 2) {
        err(r, tk[0].loc, "write: expect FIELD VALUE, e.g. expect step register", "`expect` needs a field and a value");
        return;
    }
    const sc_field *f = scenario_field(tk[1].text);
    if (!f) {
        const char **names = xcalloc(scenario_nfields, sizeof *names);
        for (size_t i = 0; i < scenario_nfields; i++)
            names[i] = scenario_fields[i].name;
        const char *near = diag_closest(tk[1].text, names, scenario_nfields);
        diagnostic *rec = err(r, tk[1].loc, NULL, "a case has no field `%s`", tk[1].text);
        char list[512] = "";
        for (size_t i = 0; i < scenario_nfields; i++) {
            strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, names[i], sizeof list - strlen(list) - 1);
        }
        if (near)
            diag_hint(rec, "did you mean `%s`? the fields are %s", near, list);
        else
            diag_hint(rec, "the fields are %s", list);
        free(names);
        return;
    }
    if (n < 3) {
        char *hint = xasprintf("`%s` is %s", f->name, f->meaning);
        err(r, tk[1].loc, hint, "`expect %s` needs a value", f->name);
        free(hint);
        return;
    }
    if (n > 3) {
        err(r, tk[3].loc, "one expectation a line", "unexpected `%s` after the value", tk[3].text);
        return;
    }
    if (!value_ok(r, f, &tk[2]))
        return;
    sc_stmt *st = push(r, SC_EXPECT, tk[0].loc);
    st->field = (sc_word){ tk[1].text, tk[1].loc };
    st->value = (sc_word){ tk[2].text, tk[2].loc };
}

static const char *const keywords[] = { "scenario", "submit", "complete", "refuse", "timer", "anchor", "flow", "expect" };

static void read_one(reader *r, const token *tk, int n);

/* After an error, the rest of that scenario is skipped: its later lines
 * would only repeat the first mistake. */
static void read_statement(reader *r, const token *tk, int n)
{
    bool starts = !tk[0].quoted && strcmp(tk[0].text, "scenario") == 0;
    if (r->skip && !starts)
        return;
    int before = r->d->errors;
    read_one(r, tk, n);
    if (starts)
        r->skip = false;
    if (r->d->errors != before)
        r->skip = true;
}

static void read_one(reader *r, const token *tk, int n)
{
    const char *kw = tk[0].text;
    if (tk[0].quoted || !is_ident(kw) ||
        (strcmp(kw, "scenario") && strcmp(kw, "submit") && strcmp(kw, "complete") && strcmp(kw, "refuse") &&
         strcmp(kw, "timer") && strcmp(kw, "anchor") && strcmp(kw, "flow") && strcmp(kw, "expect"))) {
        const char *near = diag_closest(kw, keywords, sizeof keywords / sizeof keywords[0]);
        diagnostic *rec = err(r, tk[0].loc, NULL, "`%s` is not a statement of a scenario", kw);
        if (near)
            diag_hint(rec, "did you mean `%s`?", near);
        else
            diag_hint(rec, "a line starts with scenario, submit, complete, refuse, timer, anchor, flow or expect");
        return;
    }
    if (strcmp(kw, "scenario") == 0) {
        read_scenario(r, tk, n);
        return;
    }
    if (!r->cur) {
        err(r, tk[0].loc, "start with `scenario \"NAME\"`", "`%s` outside a scenario", kw);
        return;
    }
    if (r->nstmts >= SC_MAX_STATEMENTS) {
        err(r, tk[0].loc, "split the file", "more than %d statements in one file", SC_MAX_STATEMENTS);
        return;
    }
    if (strcmp(kw, "submit") == 0)
        read_submit(r, tk, n);
    else if (strcmp(kw, "complete") == 0)
        read_event(r, tk, n, SC_COMPLETE);
    else if (strcmp(kw, "refuse") == 0)
        read_event(r, tk, n, SC_REFUSE);
    else if (strcmp(kw, "timer") == 0)
        read_event(r, tk, n, SC_TIMER);
    else if (strcmp(kw, "anchor") == 0)
        read_event(r, tk, n, SC_ANCHOR);
    else if (strcmp(kw, "flow") == 0)
        read_event(r, tk, n, SC_FLOW);
    else
        read_expect(r, tk, n);
}

/* Bytes a line may not hold: control characters and broken UTF-8. Returns
 * the offset of the first, or -1. */
static long bad_byte(const char *line, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)line[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
                return (long)i;
            i++;
            continue;
        }
        int n = utf8_sequence_length((const unsigned char *)line + i);
        if (n == 0 || i + (size_t)n > len)
            return (long)i;
        i += (size_t)n;
    }
    return -1;
}

void scenario_read(scenario_file *f, const char *path, const char *text, size_t len, diag_list *d)
{
    memset(f, 0, sizeof *f);
    arena_init(&f->mem);
    f->src.path = path;
    if (text) {
        f->text = xmalloc(len + 1);
        memcpy(f->text, text, len);
        f->text[len] = '\0';
    } else {
        f->text = read_file(path, &len, d);
        if (!f->text)
            return;
    }
    f->src.text = f->text;
    f->src.len = len;
    reader r = { .f = f, .d = d };
    int errors_before = d->errors;
    int lineno = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(f->text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - f->text) : len;
        const char *line = f->text + pos;
        size_t n = end - pos;
        lineno++;
        pos = end + 1;
        long bad = bad_byte(line, n);
        if (bad >= 0) {
            err(&r, (srcloc){ lineno, (int)bad + 1, 1 }, "a scenario file is UTF-8 text without control characters",
                "byte 0x%02x is not allowed here", (unsigned char)line[bad]);
            r.skip = true;
            continue;
        }
        if (n > SC_MAX_LINE_BYTES) {
            err(&r, (srcloc){ lineno, 1, 1 }, "one statement a line; a line is at most 4096 bytes",
                "line is %zu bytes long", n);
            r.skip = true;
            continue;
        }
        token tk[MAX_WORDS];
        int ntok = split(&r, line, n, lineno, tk);
        if (ntok > 0)
            read_statement(&r, tk, ntok);
    }
    if (f->count == 0 && d->errors == errors_before)
        diag_hint(diag_plain(d, path, "no scenario in the file"),
                  "a scenario starts with `scenario \"NAME\"`; docs/scenarios.md shows one");
}

void scenario_file_free(scenario_file *f)
{
    arena_free(&f->mem);
    free(f->text);
    memset(f, 0, sizeof *f);
}
