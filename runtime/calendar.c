/* calendar.c - reading a calendar file and building the day index.
 *
 * The file is read line by line into a list of declarations (years, dated
 * days, hours, week); only when the whole file has been read are they
 * checked against each other and turned into the index, so the order of the
 * lines does not matter. The first problem found, in line order, is
 * reported; nothing is ever half-loaded. */
#include "calendar.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"

/* A day listed in the file, with its source note. */
typedef struct {
    int32_t off; /* days from the first covered day */
    char *note;
} listed_day;

struct reg_calendar {
    char *name;           /* the file it was read from, for messages */
    int first_year, last_year;
    unsigned char *year_status; /* per covered year, reg_year_status */
    char **year_note;     /* per covered year, owned */
    int64_t first_day; /* day number of 1 January of first_year */
    int32_t ndays;
    reg_period periods[REG_MAX_PERIODS];
    int nperiods;
    int day_minutes;
    unsigned char *kind;  /* ndays entries, reg_day_kind */
    int32_t *wd_before;   /* ndays + 1 entries: working days before each day */
    int32_t *wd_day;      /* nworking entries: offset of each working day */
    int32_t nworking;
    char *derive_note;    /* the note of the derived years, owned */
    listed_day *listed;   /* sorted by off */
    size_t nlisted;
};

const char *reg_strerror(int code)
{
    switch (code) {
    case REG_OK: return "success";
    case REG_E_RANGE: return "date outside the calendar's covered years";
    case REG_E_ARG: return "invalid argument";
    case REG_E_PARSE: return "invalid time or date (expected YYYY-MM-DDTHH:MM or YYYY-MM-DD)";
    case REG_E_CALENDAR: return "invalid calendar file";
    case REG_E_IO: return "cannot read file";
    case REG_E_NOMEM: return "out of memory";
    case REG_E_STORE: return "the case store cannot be used";
    case REG_E_RETRY: return "a conflict with another writer of the case store";
    default: return "unknown error";
    }
}

/* ---- reading the file ---------------------------------------------------- */

typedef struct {
    int64_t day;
    reg_day_kind kind;
    int line;
    char *note;
} decl_day;

typedef struct {
    int year, line;
    reg_year_status status;
    char *note;
} decl_year;

/* `rule holiday MM-DD moved|fixed [from YYYY] [until YYYY] "note"`: a
 * holiday the law gives every year, used for derived years only. */
typedef struct {
    int month, day;
    int moved;           /* on a weekly day off, the next working day is given off */
    int from, until;     /* years it applies in, inclusive */
    int line;
    char *note;
} decl_rule;

typedef struct {
    const char *name;
    int line;
    char *err;
    size_t errlen;

    decl_day *days;
    size_t ndays, days_cap;
    decl_year *years;
    size_t nyears, years_cap;
    decl_rule *rules;
    size_t nrules, rules_cap;
    int derive_until, derive_line;
    char *derive_note;

    reg_period periods[REG_MAX_PERIODS];
    int nperiods, hours_line;
    unsigned char week[7]; /* 1 when that weekday (Monday first) is worked */
    int week_line;
} parser;

typedef struct {
    char *text;
    int quoted;
} token;

#define MAX_TOKENS 12

static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* Formats "name:line: message" (or "name: message" when line is 0). */
static int fail_at(parser *p, int line, const char *fmt, ...)
{
    if (p->err && p->errlen > 0) {
        int n = line > 0 ? snprintf(p->err, p->errlen, "%s:%d: ", p->name, line)
                         : snprintf(p->err, p->errlen, "%s: ", p->name);
        if (n >= 0 && (size_t)n < p->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return REG_E_CALENDAR;
}

#define fail(p, ...) fail_at((p), (p)->line, __VA_ARGS__)

static int oom(parser *p)
{
    if (p->err && p->errlen > 0)
        snprintf(p->err, p->errlen, "%s: out of memory", p->name);
    return REG_E_NOMEM;
}

/* Makes room for element n of a growing array: returns the array, moved
 * when it had to grow, or NULL when out of memory (reported). */
static void *grow(parser *p, void *array, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return array;
    size_t ncap = *cap ? 2 * *cap : first;
    void *v = realloc(array, ncap * size);
    if (!v) {
        oom(p);
        return NULL;
    }
    *cap = ncap;
    return v;
}

/* Splits a line in place into words and quoted strings; '#' outside a
 * string starts a comment. */
static int tokenize(parser *p, char *s, token *tok, int *ntok)
{
    int n = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0' || *s == '#')
            break;
        if (n == MAX_TOKENS)
            return fail(p, "too many fields");
        if (*s == '"') {
            char *start = ++s;
            while (*s != '\0' && *s != '"')
                s++;
            if (*s != '"')
                return fail(p, "unterminated string");
            *s++ = '\0';
            if (*s != '\0' && *s != ' ' && *s != '\t' && *s != '#')
                return fail(p, "missing space after a string");
            tok[n++] = (token){start, 1};
        } else {
            char *start = s;
            while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '#' && *s != '"')
                s++;
            if (*s == '"')
                return fail(p, "missing space before a string");
            int comment = *s == '#';
            if (*s != '\0')
                *s++ = '\0';
            tok[n++] = (token){start, 0};
            if (comment)
                break;
        }
    }
    *ntok = n;
    return REG_OK;
}

/* "HH:MM" with HH 00-23 and MM 00-59; -1 otherwise. */
static int parse_hhmm(const char *s)
{
    for (int i = 0; i < 5; i++)
        if (i == 2 ? s[i] != ':' : (s[i] < '0' || s[i] > '9'))
            return -1;
    int hh = (s[0] - '0') * 10 + (s[1] - '0');
    int mm = (s[3] - '0') * 10 + (s[4] - '0');
    return hh > 23 || mm > 59 ? -1 : hh * 60 + mm;
}

static int do_hours(parser *p, token *tok, int ntok)
{
    if (p->hours_line)
        return fail(p, "hours given twice (first at line %d)", p->hours_line);
    if (ntok < 2)
        return fail(p, "expected: hours HH:MM-HH:MM ...");
    if (ntok - 1 > REG_MAX_PERIODS)
        return fail(p, "too many working periods (at most %d)", REG_MAX_PERIODS);
    for (int i = 1; i < ntok; i++) {
        const char *s = tok[i].text;
        int start = -1, end = -1;
        if (!tok[i].quoted && strlen(s) == 11 && s[5] == '-') {
            start = parse_hhmm(s);
            end = parse_hhmm(s + 6);
        }
        if (start < 0 || end < 0 || start >= end)
            return fail(p, "bad working period '%s' (expected HH:MM-HH:MM, start before end)", s);
        if (i > 1 && start < p->periods[i - 2].end)
            return fail(p, "working periods must be in time order and must not overlap");
        p->periods[i - 1] = (reg_period){start, end};
    }
    p->nperiods = ntok - 1;
    p->hours_line = p->line;
    return REG_OK;
}

static int do_week(parser *p, token *tok, int ntok)
{
    if (p->week_line)
        return fail(p, "week given twice (first at line %d)", p->week_line);
    if (ntok < 2)
        return fail(p, "expected: week DAY ... (mon tue wed thu fri sat sun)");
    for (int i = 1; i < ntok; i++) {
        int w = -1;
        for (int k = 0; k < 7 && !tok[i].quoted; k++)
            if (strcmp(tok[i].text, day_names[k]) == 0)
                w = k;
        if (w < 0)
            return fail(p, "unknown day '%s' (expected mon tue wed thu fri sat sun)", tok[i].text);
        if (p->week[w])
            return fail(p, "day '%s' listed twice", tok[i].text);
        p->week[w] = 1;
    }
    p->week_line = p->line;
    return REG_OK;
}

/* Checks the shape KEYWORD VALUE "note" shared by year and dated lines. */
static int check_note_form(parser *p, token *tok, int ntok, const char *usage)
{
    if (ntok < 3 || tok[1].quoted || !tok[2].quoted)
        return fail(p, "expected: %s", usage);
    if (ntok > 3)
        return tok[3].quoted ? fail(p, "unexpected string after the source note")
                             : fail(p, "unexpected '%s' after the source note", tok[3].text);
    if (tok[2].text[0] == '\0')
        return fail(p, "empty source note");
    return REG_OK;
}

/* "YYYY" within the years a calendar may declare; -1 otherwise. */
static int parse_year(const token *t)
{
    const char *s = t->text;
    if (t->quoted || strlen(s) != 4)
        return -1;
    int y = 0;
    for (int i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        y = y * 10 + (s[i] - '0');
    }
    return y;
}

static char *copy_note(parser *p, const char *note)
{
    char *c = malloc(strlen(note) + 1);
    if (!c) {
        oom(p);
        return NULL;
    }
    return strcpy(c, note);
}

/* Checks that the last token is the note and it is the only string. */
static int check_trailing_note(parser *p, token *tok, int ntok, const char *usage)
{
    if (!tok[ntok - 1].quoted)
        return fail(p, "expected: %s", usage);
    for (int i = 1; i < ntok - 1; i++)
        if (tok[i].quoted)
            return fail(p, "expected: %s", usage);
    if (tok[ntok - 1].text[0] == '\0')
        return fail(p, "empty source note");
    return REG_OK;
}

static int do_year(parser *p, token *tok, int ntok)
{
    static const char usage[] = "year YYYY [provisional] \"source note\"";
    int provisional = ntok == 4 && !tok[2].quoted && strcmp(tok[2].text, "provisional") == 0;
    if (ntok == 4 && !tok[2].quoted && !provisional)
        return fail(p, "unexpected '%s' in a year line (expected: %s)", tok[2].text, usage);
    int rc = provisional ? check_trailing_note(p, tok, ntok, usage) : check_note_form(p, tok, ntok, usage);
    if (rc)
        return rc;
    int y = parse_year(&tok[1]);
    if (y < 0)
        return fail(p, "bad year '%s' (expected YYYY)", tok[1].text);
    if (y < REG_YEAR_MIN || y > REG_YEAR_MAX)
        return fail(p, "year %d is outside %d-%d", y, REG_YEAR_MIN, REG_YEAR_MAX);
    for (size_t i = 0; i < p->nyears; i++)
        if (p->years[i].year == y)
            return fail(p, "duplicate year %d (first at line %d)", y, p->years[i].line);
    void *grown = grow(p, p->years, &p->years_cap, p->nyears, sizeof *p->years, 16);
    if (!grown)
        return REG_E_NOMEM;
    p->years = grown;
    char *note = copy_note(p, tok[ntok - 1].text);
    if (!note)
        return REG_E_NOMEM;
    p->years[p->nyears++] =
        (decl_year){y, p->line, provisional ? REG_YEAR_PROVISIONAL : REG_YEAR_CONFIRMED, note};
    return REG_OK;
}

/* rule holiday MM-DD moved|fixed [from YYYY] [until YYYY] "note" */
static int do_rule(parser *p, token *tok, int ntok)
{
    static const char usage[] = "rule holiday MM-DD moved|fixed [from YYYY] [until YYYY] \"source note\"";
    if (ntok < 5 || tok[1].quoted || strcmp(tok[1].text, "holiday") != 0)
        return fail(p, "expected: %s", usage);
    int rc = check_trailing_note(p, tok, ntok, usage);
    if (rc)
        return rc;
    decl_rule r = {0, 0, 0, REG_YEAR_MIN, REG_YEAR_MAX, p->line, NULL};
    const char *md = tok[2].text;
    int ok = strlen(md) == 5 && md[2] == '-';
    for (int i = 0; ok && i < 5; i++)
        ok = i == 2 || (md[i] >= '0' && md[i] <= '9');
    if (ok) {
        r.month = (md[0] - '0') * 10 + (md[1] - '0');
        r.day = (md[3] - '0') * 10 + (md[4] - '0');
        ok = reg_valid_date(2000, r.month, r.day); /* a leap year: 02-29 is a day */
    }
    if (!ok)
        return fail(p, "bad day of the year '%s' (expected MM-DD)", md);
    if (strcmp(tok[3].text, "moved") == 0)
        r.moved = 1;
    else if (strcmp(tok[3].text, "fixed") != 0)
        return fail(p, "expected 'moved' or 'fixed' after the day, found '%s'", tok[3].text);
    int from_seen = 0, until_seen = 0;
    for (int i = 4; i < ntok - 1; i += 2) {
        int is_from = strcmp(tok[i].text, "from") == 0;
        if ((!is_from && strcmp(tok[i].text, "until") != 0) || i + 1 >= ntok - 1)
            return fail(p, "expected: %s", usage);
        if (is_from ? from_seen++ : until_seen++)
            return fail(p, "'%s' given twice", tok[i].text);
        int y = parse_year(&tok[i + 1]);
        if (y < REG_YEAR_MIN || y > REG_YEAR_MAX)
            return fail(p, "bad year '%s' (expected YYYY, %d-%d)", tok[i + 1].text, REG_YEAR_MIN, REG_YEAR_MAX);
        *(is_from ? &r.from : &r.until) = y;
    }
    if (r.from > r.until)
        return fail(p, "the rule ends (until %d) before it starts (from %d)", r.until, r.from);
    void *grown = grow(p, p->rules, &p->rules_cap, p->nrules, sizeof *p->rules, 16);
    if (!grown)
        return REG_E_NOMEM;
    p->rules = grown;
    if (!(r.note = copy_note(p, tok[ntok - 1].text)))
        return REG_E_NOMEM;
    p->rules[p->nrules++] = r;
    return REG_OK;
}

/* derive until YYYY "note" */
static int do_derive(parser *p, token *tok, int ntok)
{
    static const char usage[] = "derive until YYYY \"source note\"";
    if (p->derive_line)
        return fail(p, "derive given twice (first at line %d)", p->derive_line);
    if (ntok != 4 || tok[1].quoted || strcmp(tok[1].text, "until") != 0)
        return fail(p, "expected: %s", usage);
    int rc = check_trailing_note(p, tok, ntok, usage);
    if (rc)
        return rc;
    int y = parse_year(&tok[2]);
    if (y < REG_YEAR_MIN || y > REG_YEAR_MAX)
        return fail(p, "bad year '%s' (expected YYYY, %d-%d)", tok[2].text, REG_YEAR_MIN, REG_YEAR_MAX);
    if (!(p->derive_note = copy_note(p, tok[3].text)))
        return REG_E_NOMEM;
    p->derive_until = y;
    p->derive_line = p->line;
    return REG_OK;
}

static int do_day(parser *p, token *tok, int ntok, reg_day_kind kind, const char *usage)
{
    int rc = check_note_form(p, tok, ntok, usage);
    if (rc)
        return rc;
    int64_t day;
    if (reg_parse_date(tok[1].text, &day) != REG_OK)
        return fail(p, "bad date '%s' (expected YYYY-MM-DD)", tok[1].text);
    void *grown = grow(p, p->days, &p->days_cap, p->ndays, sizeof *p->days, 64);
    if (!grown)
        return REG_E_NOMEM;
    p->days = grown;
    char *note = copy_note(p, tok[2].text);
    if (!note)
        return REG_E_NOMEM;
    p->days[p->ndays++] = (decl_day){day, kind, p->line, note};
    return REG_OK;
}

static int do_line(parser *p, char *line)
{
    for (const char *c = line; *c; c++)
        if ((unsigned char)*c < 0x20 && *c != '\t')
            return fail(p, "unexpected control character");
    token tok[MAX_TOKENS];
    int ntok = 0, rc = tokenize(p, line, tok, &ntok);
    if (rc || ntok == 0)
        return rc;
    if (tok[0].quoted)
        return fail(p, "expected a directive, found a string");
    const char *d = tok[0].text;
    if (strcmp(d, "hours") == 0)
        return do_hours(p, tok, ntok);
    if (strcmp(d, "week") == 0)
        return do_week(p, tok, ntok);
    if (strcmp(d, "year") == 0)
        return do_year(p, tok, ntok);
    if (strcmp(d, "rule") == 0)
        return do_rule(p, tok, ntok);
    if (strcmp(d, "derive") == 0)
        return do_derive(p, tok, ntok);
    if (strcmp(d, "holiday") == 0)
        return do_day(p, tok, ntok, REG_DAY_HOLIDAY, "holiday YYYY-MM-DD \"source note\"");
    if (strcmp(d, "dayoff") == 0)
        return do_day(p, tok, ntok, REG_DAY_DAYOFF, "dayoff YYYY-MM-DD \"source note\"");
    if (strcmp(d, "workday") == 0)
        return do_day(p, tok, ntok, REG_DAY_WORKDAY, "workday YYYY-MM-DD \"source note\"");
    return fail(p, "unknown directive '%s'", d);
}

/* ---- building the index -------------------------------------------------- */

static int cmp_year(const void *a, const void *b)
{
    const decl_year *x = a, *y = b;
    return (x->year > y->year) - (x->year < y->year);
}

static int cmp_listed(const void *a, const void *b)
{
    const listed_day *x = a, *y = b;
    return (x->off > y->off) - (x->off < y->off);
}

/* Adds a generated day (a derived year's holiday or moved day off) to the
 * declarations, so that it gets a note like a listed day. */
static int add_generated(parser *p, reg_calendar *cal, int32_t off, reg_day_kind kind, int line, char *note)
{
    if (!note)
        return oom(p);
    void *grown = grow(p, p->days, &p->days_cap, p->ndays, sizeof *p->days, 64);
    if (!grown) {
        free(note);
        return REG_E_NOMEM;
    }
    p->days = grown;
    p->days[p->ndays++] = (decl_day){cal->first_day + off, kind, line, note};
    cal->kind[off] = (unsigned char)kind;
    return REG_OK;
}

static char *format_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return s;
}

/* Fills the years from `first` to the last covered one from the rules:
 * each rule's holiday, then, for a `moved` holiday on a weekly day off,
 * the next ordinary working day given off, in date order. Days listed in
 * the file for those years (a Kurban Ait announced ahead) are kept. */
static int derive_years(parser *p, reg_calendar *cal, int first)
{
    static const char *const weekday_names[7] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                                  "Friday", "Saturday", "Sunday"};
    size_t cap = 0, nmoved = 0;
    struct moved { int32_t off; const decl_rule *rule; } *moved = NULL;
    int rc = REG_OK;
    for (int y = first; y <= cal->last_year && rc == REG_OK; y++) {
        for (size_t i = 0; i < p->nrules && rc == REG_OK; i++) {
            const decl_rule *r = &p->rules[i];
            if (y < r->from || y > r->until || !reg_valid_date(y, r->month, r->day))
                continue;
            int32_t off = (int32_t)(reg_days_from_civil(y, r->month, r->day) - cal->first_day);
            if (cal->kind[off] == REG_DAY_HOLIDAY || cal->kind[off] == REG_DAY_DAYOFF)
                continue; /* listed in the file: its line wins */
            int weekend = cal->kind[off] == REG_DAY_WEEKEND;
            rc = add_generated(p, cal, off, REG_DAY_HOLIDAY, r->line, format_note("derived: %s", r->note));
            if (rc == REG_OK && weekend && r->moved) {
                if (nmoved == cap) {
                    cap = cap ? 2 * cap : 32;
                    struct moved *v = realloc(moved, cap * sizeof *v);
                    if (!v) {
                        rc = oom(p);
                        break;
                    }
                    moved = v;
                }
                moved[nmoved++] = (struct moved){off, r};
            }
        }
    }
    /* The holidays of every derived year are in place before any day is
     * moved, so a moved day never lands on a holiday of the next year. */
    for (size_t i = 0; i < nmoved && rc == REG_OK; i++) {
        int32_t to = moved[i].off + 1;
        while (to < cal->ndays && cal->kind[to] != REG_DAY_WORK)
            to++;
        if (to >= cal->ndays)
            continue; /* past the last covered day: nothing to give off */
        char date[REG_DATE_BUFSZ];
        reg_format_date(cal->first_day + moved[i].off, date);
        rc = add_generated(p, cal, to, REG_DAY_DAYOFF, moved[i].rule->line,
                           format_note("derived: for the holiday on %s %s, moved to the next working day; %s",
                                       weekday_names[reg_weekday(cal->first_day + moved[i].off)], date,
                                       moved[i].rule->note));
    }
    free(moved);
    return rc;
}

/* Checks the declarations against each other and fills in cal. */
static int build(parser *p, reg_calendar *cal)
{
    if (p->nyears == 0)
        return fail_at(p, 0, "no covered years (add a line: year YYYY \"source note\")");
    qsort(p->years, p->nyears, sizeof *p->years, cmp_year);
    for (size_t i = 1; i < p->nyears; i++)
        if (p->years[i].year != p->years[i - 1].year + 1)
            return fail_at(p, p->years[i].line, "year %d leaves a gap after %d", p->years[i].year,
                           p->years[i - 1].year);

    if (!p->hours_line) {
        p->periods[0] = (reg_period){9 * 60, 13 * 60};
        p->periods[1] = (reg_period){14 * 60, 18 * 60};
        p->nperiods = 2;
    }
    if (!p->week_line)
        for (int w = 0; w < 5; w++)
            p->week[w] = 1;

    int listed_last = p->years[p->nyears - 1].year;
    if (p->derive_line && p->derive_until <= listed_last)
        return fail_at(p, p->derive_line, "derive until %d: it must be after the last year line (%d)",
                       p->derive_until, listed_last);
    if (p->derive_line && p->nrules == 0)
        return fail_at(p, p->derive_line,
                       "derive until %d without any rule line: a derived year would have no holidays",
                       p->derive_until);

    cal->first_year = p->years[0].year;
    cal->last_year = p->derive_line ? p->derive_until : listed_last;
    int nyears = cal->last_year - cal->first_year + 1;
    cal->year_status = malloc((size_t)nyears);
    cal->year_note = calloc((size_t)nyears, sizeof *cal->year_note);
    if (!cal->year_status || !cal->year_note)
        return oom(p);
    for (int i = 0; i < nyears; i++)
        cal->year_status[i] = REG_YEAR_DERIVED;
    for (size_t i = 0; i < p->nyears; i++) {
        int k = p->years[i].year - cal->first_year;
        cal->year_status[k] = (unsigned char)p->years[i].status;
        cal->year_note[k] = p->years[i].note;
        p->years[i].note = NULL;
    }
    cal->derive_note = p->derive_note;
    p->derive_note = NULL;
    cal->first_day = reg_days_from_civil(cal->first_year, 1, 1);
    cal->ndays = (int32_t)(reg_days_from_civil(cal->last_year + 1, 1, 1) - cal->first_day);
    memcpy(cal->periods, p->periods, sizeof cal->periods);
    cal->nperiods = p->nperiods;
    cal->day_minutes = 0;
    for (int i = 0; i < cal->nperiods; i++)
        cal->day_minutes += cal->periods[i].end - cal->periods[i].start;

    cal->kind = malloc((size_t)cal->ndays);
    cal->wd_before = malloc(((size_t)cal->ndays + 1) * sizeof *cal->wd_before);
    int *first_line = malloc((size_t)cal->ndays * sizeof *first_line);
    if (!cal->kind || !cal->wd_before || !first_line) {
        free(first_line);
        return oom(p);
    }
    for (int32_t i = 0; i < cal->ndays; i++) {
        cal->kind[i] = p->week[reg_weekday(cal->first_day + i)] ? REG_DAY_WORK : REG_DAY_WEEKEND;
        first_line[i] = 0;
    }

    /* Days in file order, so the first bad line is the one reported. */
    int rc = REG_OK;
    for (size_t i = 0; i < p->ndays && rc == REG_OK; i++) {
        decl_day *d = &p->days[i];
        char date[REG_DATE_BUFSZ];
        reg_format_date(d->day, date);
        int64_t off = d->day - cal->first_day;
        if (off < 0 || off >= cal->ndays)
            rc = fail_at(p, d->line, "date %s is outside the covered years %d-%d", date,
                         cal->first_year, cal->last_year);
        else if (first_line[off])
            rc = fail_at(p, d->line, "duplicate date %s (first at line %d)", date, first_line[off]);
        else if (d->kind == REG_DAY_WORKDAY && cal->kind[off] == REG_DAY_WORK)
            rc = fail_at(p, d->line, "workday %s is a working day of the week already", date);
        else if (d->kind == REG_DAY_DAYOFF && cal->kind[off] == REG_DAY_WEEKEND)
            rc = fail_at(p, d->line, "dayoff %s is a day off of the week already", date);
        else {
            cal->kind[off] = (unsigned char)d->kind;
            first_line[off] = d->line;
        }
    }
    free(first_line);
    if (rc == REG_OK && p->derive_line)
        rc = derive_years(p, cal, listed_last + 1);
    if (rc)
        return rc;

    /* The listed days take over the notes. */
    if (p->ndays > 0) {
        cal->listed = malloc(p->ndays * sizeof *cal->listed);
        if (!cal->listed)
            return oom(p);
        for (size_t i = 0; i < p->ndays; i++) {
            cal->listed[i] = (listed_day){(int32_t)(p->days[i].day - cal->first_day), p->days[i].note};
            p->days[i].note = NULL;
        }
        cal->nlisted = p->ndays;
        qsort(cal->listed, cal->nlisted, sizeof *cal->listed, cmp_listed);
    }

    int32_t n = 0;
    for (int32_t i = 0; i < cal->ndays; i++) {
        cal->wd_before[i] = n;
        n += cal->kind[i] == REG_DAY_WORK || cal->kind[i] == REG_DAY_WORKDAY;
    }
    cal->wd_before[cal->ndays] = n;
    cal->nworking = n;
    cal->wd_day = malloc((n > 0 ? (size_t)n : 1) * sizeof *cal->wd_day);
    if (!cal->wd_day)
        return oom(p);
    for (int32_t i = 0; i < cal->ndays; i++)
        if (cal->wd_before[i + 1] > cal->wd_before[i])
            cal->wd_day[cal->wd_before[i]] = i;
    return REG_OK;
}

int reg_calendar_parse(const char *name, const char *text, size_t len, reg_calendar **out,
                       char *err, size_t errlen)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.name = name ? name : "<calendar>";
    p.err = err;
    p.errlen = errlen;
    if (err && errlen > 0)
        err[0] = '\0';
    *out = NULL;

    int rc = REG_OK;
    char *buf = NULL;
    size_t cap = 0, pos = 0;
    while (pos < len && rc == REG_OK) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        p.line++;
        if (n + 1 > cap) {
            char *b = realloc(buf, n + 1);
            if (!b) {
                rc = oom(&p);
                break;
            }
            buf = b;
            cap = n + 1;
        }
        memcpy(buf, text + pos, n);
        if (n > 0 && buf[n - 1] == '\r')
            n--; /* files written on Windows */
        buf[n] = '\0';
        if (memchr(text + pos, '\0', n))
            rc = fail(&p, "unexpected control character");
        else
            rc = do_line(&p, buf);
        pos += (nl ? (size_t)(nl - (text + pos)) + 1 : len - pos);
    }
    free(buf);

    reg_calendar *cal = NULL;
    if (rc == REG_OK) {
        cal = calloc(1, sizeof *cal);
        if (cal && !(cal->name = copy_note(&p, p.name)))
            rc = REG_E_NOMEM;
        else
            rc = cal ? build(&p, cal) : oom(&p);
    }
    for (size_t i = 0; i < p.ndays; i++)
        free(p.days[i].note);
    free(p.days);
    for (size_t i = 0; i < p.nyears; i++)
        free(p.years[i].note);
    free(p.years);
    for (size_t i = 0; i < p.nrules; i++)
        free(p.rules[i].note);
    free(p.rules);
    free(p.derive_note);
    if (rc != REG_OK) {
        reg_calendar_free(cal);
        return rc;
    }
    *out = cal;
    return REG_OK;
}

int reg_calendar_load(const char *path, reg_calendar **out, char *err, size_t errlen)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (err && errlen > 0)
            snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return REG_E_IO;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    int rc = REG_OK;
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? 2 * cap : 16384;
            char *t = realloc(text, ncap);
            if (!t) {
                rc = REG_E_NOMEM;
                break;
            }
            text = t;
            cap = ncap;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (rc == REG_OK && ferror(f))
        rc = REG_E_IO;
    fclose(f);
    if (rc == REG_OK)
        rc = reg_calendar_parse(path, text, len, out, err, errlen);
    else if (err && errlen > 0)
        snprintf(err, errlen, "%s: %s", path, rc == REG_E_IO ? "read error" : "out of memory");
    free(text);
    return rc;
}

void reg_calendar_free(reg_calendar *cal)
{
    if (!cal)
        return;
    for (size_t i = 0; i < cal->nlisted; i++)
        free(cal->listed[i].note);
    free(cal->listed);
    if (cal->year_note)
        for (int y = cal->first_year; y <= cal->last_year; y++)
            free(cal->year_note[y - cal->first_year]);
    free(cal->year_note);
    free(cal->year_status);
    free(cal->derive_note);
    free(cal->name);
    free(cal->kind);
    free(cal->wd_before);
    free(cal->wd_day);
    free(cal);
}

/* ---- queries ------------------------------------------------------------- */

void reg_calendar_years(const reg_calendar *cal, int *first, int *last)
{
    *first = cal->first_year;
    *last = cal->last_year;
}

int reg_calendar_periods(const reg_calendar *cal, const reg_period **periods)
{
    *periods = cal->periods;
    return cal->nperiods;
}

int reg_calendar_day_minutes(const reg_calendar *cal)
{
    return cal->day_minutes;
}

int reg_is_working_day(const reg_calendar *cal, int64_t day)
{
    int64_t off = day - cal->first_day;
    if (off < 0 || off >= cal->ndays)
        return REG_E_RANGE;
    return cal->kind[off] == REG_DAY_WORK || cal->kind[off] == REG_DAY_WORKDAY;
}

int reg_calendar_day(const reg_calendar *cal, int64_t day, reg_day_kind *kind, const char **note)
{
    int64_t off = day - cal->first_day;
    if (off < 0 || off >= cal->ndays)
        return REG_E_RANGE;
    if (kind)
        *kind = (reg_day_kind)cal->kind[off];
    if (note) {
        listed_day key = {(int32_t)off, NULL};
        const listed_day *hit =
            cal->nlisted ? bsearch(&key, cal->listed, cal->nlisted, sizeof key, cmp_listed) : NULL;
        *note = hit ? hit->note : NULL;
    }
    return REG_OK;
}

int reg_working_days_before(const reg_calendar *cal, int64_t day, int64_t *count)
{
    int64_t off = day - cal->first_day;
    if (off < 0 || off > cal->ndays)
        return REG_E_RANGE;
    *count = cal->wd_before[off];
    return REG_OK;
}

int reg_nth_working_day(const reg_calendar *cal, int64_t n, int64_t *day)
{
    if (n < 0 || n >= cal->nworking)
        return REG_E_RANGE;
    *day = cal->first_day + cal->wd_day[n];
    return REG_OK;
}

const char *reg_calendar_name(const reg_calendar *cal)
{
    return cal->name;
}

int reg_calendar_year(const reg_calendar *cal, int year, reg_year_status *status, const char **note)
{
    if (year < cal->first_year || year > cal->last_year)
        return REG_E_RANGE;
    int k = year - cal->first_year;
    if (status)
        *status = (reg_year_status)cal->year_status[k];
    if (note)
        *note = cal->year_note[k] ? cal->year_note[k] : cal->derive_note;
    return REG_OK;
}

static int year_of_day(int64_t day)
{
    int y, m, d;
    return reg_civil_from_days(day, &y, &m, &d) == REG_OK ? y : 0;
}

int reg_calendar_unconfirmed_year(const reg_calendar *cal, int64_t from_day, int64_t to_day)
{
    if (to_day < from_day) {
        int64_t t = from_day;
        from_day = to_day;
        to_day = t;
    }
    int first = year_of_day(from_day), last = year_of_day(to_day);
    if (first < cal->first_year)
        first = cal->first_year;
    if (last > cal->last_year || last == 0)
        last = cal->last_year;
    for (int y = first; y <= last; y++)
        if (cal->year_status[y - cal->first_year] != REG_YEAR_CONFIRMED)
            return y;
    return 0;
}

int reg_calendar_confirmed_until(const reg_calendar *cal)
{
    int y = cal->first_year;
    while (y <= cal->last_year && cal->year_status[y - cal->first_year] == REG_YEAR_CONFIRMED)
        y++;
    return y - 1;
}
