/* run.c - `run`: apply a stream of events to the cases in the store.
 *
 * Every input line gets exactly one answer line, and an answer is written
 * only after the transaction holding its line has committed: whatever the
 * caller has read from stdout is durable. Event ids are journaled with a
 * UNIQUE constraint, so a line seen before is answered again ("duplicate")
 * instead of being applied twice; a crashed run can simply be fed the same
 * input again. docs/store.md has the format, the reasons and the argument. */
#include "run.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "calendar_horizon.h"
#include "deadline_mark.h"
#include "mark_out.h"
#include "engine.h"
#include "timefmt.h"

/* A batch is committed early once it holds this many bytes of lines, so
 * that memory stays bounded whatever --batch says. */
#define BATCH_BYTES_MAX (8u << 20)
/* A line that keeps conflicting with another writer (deadlocks, a lock
 * held too long) is tried this many times before the run gives up. */
#define RETRY_MAX 20

const reg_machine *reg_region_machine(const reg_region *r, const char *service)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->machines[i]->id, service) == 0)
            return r->machines[i];
    return NULL;
}

reg_calendar *reg_region_calendar(const reg_region *r)
{
    reg_calendar *cal = NULL;
    char err[512];
    if (reg_calendar_load(r->calendar_path, &cal, err, sizeof err) != 0) {
        fprintf(stderr, "%s: cannot load the calendar: %s\n", r->region, err);
        fputs("hint: give its path with --calendar FILE or REG_CALENDAR\n", stderr);
        return NULL;
    }
    return cal;
}

void reg_working_text(const reg_calendar *cal, int64_t minutes, char *buf, size_t len)
{
    const char *sign = minutes < 0 ? "-" : "";
    int64_t m = minutes < 0 ? -minutes : minutes;
    int64_t day = reg_calendar_day_minutes(cal);
    int64_t d = day > 0 ? m / day : 0;
    m -= d * day;
    if (d > 0)
        snprintf(buf, len, "%s%lldwd %lldh%02lldm", sign, (long long)d, (long long)(m / 60), (long long)(m % 60));
    else if (m >= 60)
        snprintf(buf, len, "%s%lldh%02lldm", sign, (long long)(m / 60), (long long)(m % 60));
    else
        snprintf(buf, len, "%s%lldm", sign, (long long)m);
}

/* ---- reading lines with bounded memory ---- */

typedef enum { RD_LINE, RD_TOO_LONG, RD_IDLE, RD_END, RD_ERROR } rd_result;

typedef struct {
    int fd;
    char *buf;
    size_t cap;     /* REG_LINE_MAX + 1: a full line and its newline */
    size_t start;   /* the unread data is buf[start, end) */
    size_t end;
    size_t scan;    /* buf[start, scan) holds no newline */
    int eof;
    int skipping;   /* inside a line longer than REG_LINE_MAX */
} reader;

/* The next line (without its newline) in line and len, valid until the next
 * call. With `pending` set, answers RD_IDLE instead of blocking when the
 * input has nothing ready: the caller commits what it holds first. */
static rd_result next_line(reader *rd, int pending, const char **line, size_t *len)
{
    for (;;) {
        char *nl = memchr(rd->buf + rd->scan, '\n', rd->end - rd->scan);
        if (nl) {
            size_t at = (size_t)(nl - rd->buf);
            *line = rd->buf + rd->start;
            *len = at - rd->start;
            rd->start = rd->scan = at + 1;
            if (rd->skipping) {
                rd->skipping = 0;
                return RD_TOO_LONG;
            }
            return RD_LINE;
        }
        rd->scan = rd->end;
        if (rd->skipping || rd->end - rd->start > REG_LINE_MAX) {
            /* Too long: drop what we hold and keep dropping up to the
             * newline, so the line never sits in memory. */
            rd->skipping = 1;
            rd->start = rd->end = rd->scan = 0;
        }
        if (rd->eof) {
            if (rd->skipping) {
                rd->skipping = 0;
                return RD_TOO_LONG;
            }
            if (rd->end > rd->start) {
                /* A last line without a newline still counts. */
                *line = rd->buf + rd->start;
                *len = rd->end - rd->start;
                rd->start = rd->scan = rd->end;
                return RD_LINE;
            }
            return RD_END;
        }
        if (rd->start > 0) {
            memmove(rd->buf, rd->buf + rd->start, rd->end - rd->start);
            rd->end -= rd->start;
            rd->scan -= rd->start;
            rd->start = 0;
        }
        if (pending) {
            struct pollfd p = { .fd = rd->fd, .events = POLLIN };
            int ready;
            do
                ready = poll(&p, 1, 0);
            while (ready < 0 && errno == EINTR);
            if (ready == 0)
                return RD_IDLE;
        }
        ssize_t n;
        do
            n = read(rd->fd, rd->buf + rd->end, rd->cap - rd->end);
        while (n < 0 && errno == EINTR);
        if (n < 0)
            return RD_ERROR;
        if (n == 0)
            rd->eof = 1;
        rd->end += (size_t)n;
    }
}

/* ---- events ---- */

typedef enum { EV_SUBMIT, EV_COMPLETE, EV_BRANCH, EV_REFUSE, EV_TIMER, EV_TYPES } ev_type;

static const char *const type_names[EV_TYPES] = { "submit", "complete", "branch", "refuse", "timer" };

/* The fields of an event; the order gives the bits of the masks below. */
enum { F_EVENT_ID, F_CASE, F_TYPE, F_AT, F_SERVICE, F_VARIANT, F_CHANNEL, F_STEP, F_OUTCOME, F_COUNT };

static const char *const field_names[F_COUNT] = { "event_id", "case", "type", "at", "service",
                                                  "variant", "channel", "step", "outcome" };

#define BIT(f) (1u << (f))
#define COMMON (BIT(F_EVENT_ID) | BIT(F_CASE) | BIT(F_TYPE) | BIT(F_AT))

static const unsigned allowed[EV_TYPES] = {
    [EV_SUBMIT] = COMMON | BIT(F_SERVICE) | BIT(F_VARIANT) | BIT(F_CHANNEL),
    [EV_COMPLETE] = COMMON | BIT(F_STEP),
    [EV_BRANCH] = COMMON | BIT(F_STEP) | BIT(F_OUTCOME),
    [EV_REFUSE] = COMMON | BIT(F_STEP),
    [EV_TIMER] = COMMON | BIT(F_STEP),
};

static const unsigned required[EV_TYPES] = {
    [EV_SUBMIT] = COMMON | BIT(F_SERVICE) | BIT(F_VARIANT),
    [EV_COMPLETE] = COMMON | BIT(F_STEP),
    [EV_BRANCH] = COMMON | BIT(F_STEP) | BIT(F_OUTCOME),
    [EV_REFUSE] = COMMON,
    [EV_TIMER] = COMMON,
};

typedef struct {
    cJSON *json;
    const char *f[F_COUNT];   /* NULL when absent (or a null channel) */
    ev_type type;
    int64_t at;
} event;

/* A refusal: its reason code and message. */
typedef struct {
    const char *reason;
    char message[REG_STORE_MSG_MAX + 1];
} refusal;

static int refuse(refusal *rf, const char *reason, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int refuse(refusal *rf, const char *reason, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rf->reason = reason;
    vsnprintf(rf->message, sizeof rf->message, fmt, ap);
    va_end(ap);
    return -1;
}

/* Strict UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF) and no NUL: what JSON text and both stores accept. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        unsigned min;
        if (c == 0)
            return i;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            n = 1, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 2, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 3, min = 0x10000;
        else
            return i;
        unsigned cp = c & (0x3F >> n);
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n + 1;
    }
    return len;
}

/* cJSON decodes the escape \u0000 to a NUL that would silently cut an id
 * short; such text is refused before parsing. */
static int has_escaped_nul(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] != '\\')
            continue;
        if (s[i + 1] == 'u' && i + 5 < len && memcmp(s + i + 2, "0000", 4) == 0)
            return 1;
        i++; /* the escaped character */
    }
    return 0;
}

static int check_id(const char *name, const char *v, size_t max, refusal *rf)
{
    size_t n = strlen(v);
    if (n == 0)
        return refuse(rf, "invalid_field", "`%s` is empty", name);
    if (n > max)
        return refuse(rf, "invalid_field", "`%s` is longer than %zu bytes", name, max);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20 || v[i] == 0x7F)
            return refuse(rf, "invalid_field", "`%s` contains a control character", name);
    return 0;
}

/* Parses and checks one line; on failure fills rf (the parsed JSON, if
 * any, stays in ev->json for the answer to quote the ids). */
static int parse_event(const char *line, size_t len, event *ev, refusal *rf)
{
    memset(ev, 0, sizeof *ev);
    if (len == 0)
        return refuse(rf, "malformed_json", "empty line; every line must be one JSON object");
    size_t bad = utf8_invalid_at((const unsigned char *)line, len);
    if (bad < len)
        return refuse(rf, "malformed_json", "%s at byte %zu", line[bad] ? "invalid UTF-8" : "a NUL byte", bad + 1);
    if (has_escaped_nul(line, len))
        return refuse(rf, "malformed_json", "the escape \\u0000 is not accepted");
    const char *end = NULL;
    ev->json = cJSON_ParseWithLengthOpts(line, len, &end, 0);
    if (!ev->json) {
        const char *err = cJSON_GetErrorPtr();
        size_t at = err && err >= line && err <= line + len ? (size_t)(err - line) + 1 : 0;
        return refuse(rf, "malformed_json", "not JSON (error at byte %zu)", at);
    }
    for (; end && end < line + len; end++)
        if (*end != ' ' && *end != '\t' && *end != '\r')
            return refuse(rf, "malformed_json", "text after the JSON object at byte %zu", (size_t)(end - line) + 1);
    if (!cJSON_IsObject(ev->json))
        return refuse(rf, "malformed_json", "an event is a JSON object");
    unsigned seen = 0;
    for (const cJSON *it = ev->json->child; it; it = it->next) {
        int f = 0;
        while (f < F_COUNT && strcmp(field_names[f], it->string) != 0)
            f++;
        if (f == F_COUNT)
            continue; /* other fields travel in the journal untouched */
        if (seen & BIT(f))
            return refuse(rf, "invalid_field", "`%s` appears twice", field_names[f]);
        seen |= BIT(f);
        if (f == F_CHANNEL && cJSON_IsNull(it))
            continue;
        if (!cJSON_IsString(it))
            return refuse(rf, "invalid_field", "`%s` must be a string", field_names[f]);
        ev->f[f] = it->valuestring;
    }
    static const int first[] = { F_EVENT_ID, F_CASE, F_TYPE, F_AT };
    for (size_t i = 0; i < sizeof first / sizeof first[0]; i++)
        if (!ev->f[first[i]])
            return refuse(rf, "missing_field", "`%s` is missing", field_names[first[i]]);
    if (check_id("event_id", ev->f[F_EVENT_ID], REG_STORE_ID_MAX, rf) ||
        check_id("case", ev->f[F_CASE], REG_STORE_ID_MAX, rf))
        return -1;
    int t = 0;
    while (t < EV_TYPES && strcmp(type_names[t], ev->f[F_TYPE]) != 0)
        t++;
    if (t == EV_TYPES)
        return refuse(rf, "invalid_field", "unknown event type `%.64s`; one of submit, complete, branch, refuse, timer",
                      ev->f[F_TYPE]);
    ev->type = (ev_type)t;
    for (int f = 0; f < F_COUNT; f++) {
        if ((seen & BIT(f)) && !(allowed[t] & BIT(f)))
            return refuse(rf, "invalid_field", "`%s` has no place in a %s event", field_names[f], type_names[t]);
        if ((required[t] & BIT(f)) && !ev->f[f])
            return refuse(rf, "missing_field", "a %s event needs `%s`", type_names[t], field_names[f]);
    }
    for (int f = F_SERVICE; f < F_COUNT; f++)
        if (ev->f[f] && check_id(field_names[f], ev->f[f], REG_STORE_NAME_MAX, rf))
            return -1;
    if (reg_parse_time(ev->f[F_AT], &ev->at) != 0)
        return refuse(rf, "invalid_field", "`at` is `%.40s`, not a time: write YYYY-MM-DDTHH:MM", ev->f[F_AT]);
    return 0;
}

int reg_run_read_event(const char *line, size_t len, const char **reason)
{
    event ev;
    refusal rf = { NULL, "" };
    int rc = parse_event(line, len, &ev, &rf);
    cJSON_Delete(ev.json);
    if (reason)
        *reason = rc == 0 ? NULL : rf.reason;
    return rc == 0 ? 0 : -1;
}

/* ---- answers ---- */

/* Answers are built from constant keys and references to strings that
 * outlive the printing, so building one copies nothing (one answer is
 * printed per event). */
static void add_ref(cJSON *o, const char *key, const char *value)
{
    cJSON_AddItemToObjectCS(o, key, value ? cJSON_CreateStringReference(value) : cJSON_CreateNull());
}

static void add_bool(cJSON *o, const char *key, int value) { cJSON_AddItemToObjectCS(o, key, cJSON_CreateBool(value)); }

/* An integer as raw JSON text: cJSON prints doubles through "%1.15g" and a
 * round-trip check, the costliest part of an answer. */
static void add_integer(cJSON *o, const char *key, long value)
{
    char text[24];
    snprintf(text, sizeof text, "%ld", value);
    cJSON_AddItemToObjectCS(o, key, cJSON_CreateRaw(text));
}

/* A time's text in buf, or NULL when there is none. */
static const char *time_text(int64_t t, char buf[REG_TIME_BUFSZ])
{
    return t == REG_NO_TIME || reg_format_time(t, buf) != 0 ? NULL : buf;
}

/* Prints into a buffer on the stack first (answers are a few hundred
 * bytes), with cJSON's own allocation for the rare large one. */
static char *print_answer(cJSON *o)
{
    char buf[4096];
    char *s = cJSON_PrintPreallocated(o, buf, (int)sizeof buf, 0) ? strdup(buf) : cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

/* c is the event's case, for the marks of the deadlines (deadline_mark.h):
 * the step's clock started at the event (a timer leaves it running, so its
 * deadline alone is judged), the term's at the submission. */
static char *answer_accepted(const reg_region *rg, const reg_calendar *cal, long line, const reg_event_row *e,
                             const reg_case_row *c, int duplicate, int differs)
{
    char at[REG_TIME_BUFSZ];
    const reg_machine *m = reg_region_machine(rg, e->service);
    int st = m ? reg_find_state(m, e->state) : -1;
    int v = m ? reg_find_variant(m, c->variant) : -1;
    cJSON *o = cJSON_CreateObject();
    add_integer(o, "line", line);
    add_ref(o, "event_id", e->event_id);
    add_ref(o, "case", e->case_id);
    add_ref(o, "status", "accepted");
    add_bool(o, "duplicate", duplicate);
    if (differs)
        add_ref(o, "warning", "this event id was first used for a different event; the answer is the first event's");
    add_ref(o, "type", e->type);
    add_ref(o, "service", e->service);
    add_ref(o, "state", e->state);
    add_ref(o, "step", st >= 0 ? m->states[st].step_id : NULL);
    add_bool(o, "finished", e->finished);
    add_ref(o, "result", e->result);
    add_bool(o, "late", e->late);
    add_ref(o, "at", time_text(e->at, at));
    int64_t step_start = strcmp(e->type, "timer") == 0 ? e->step_deadline : e->at;
    reg_mark sm = reg_mark_deadline(cal, step_start, e->step_deadline, !e->finished);
    int has_term = e->term_deadline != REG_NO_TIME || (v >= 0 && m->variants[v].has_term);
    reg_mark tm = reg_mark_deadline(cal, c->submitted, e->term_deadline, has_term);
    reg_json_marked_time(o, "step_deadline", cal, sm, e->step_deadline);
    reg_json_marked_time(o, "term_deadline", cal, tm, e->term_deadline);
    return print_answer(o);
}

static char *answer_rejected(long line, const event *ev, const refusal *rf)
{
    cJSON *o = cJSON_CreateObject();
    add_integer(o, "line", line);
    /* Quote the ids when the line gave them as strings, valid or not. */
    const cJSON *id = ev->json ? cJSON_GetObjectItemCaseSensitive(ev->json, "event_id") : NULL;
    const cJSON *cs = ev->json ? cJSON_GetObjectItemCaseSensitive(ev->json, "case") : NULL;
    add_ref(o, "event_id", cJSON_IsString(id) ? id->valuestring : NULL);
    add_ref(o, "case", cJSON_IsString(cs) ? cs->valuestring : NULL);
    add_ref(o, "status", "rejected");
    add_ref(o, "reason", rf->reason);
    add_ref(o, "message", rf->message);
    return print_answer(o);
}

/* ---- applying ---- */

typedef struct {
    long line;
    char *text;      /* the line, NUL-terminated; NULL when it was too long */
    size_t len;
    char *answer;    /* set once handled in the open transaction */
    int kind;        /* what the answer says, for the statistics */
} held_line;

enum { KIND_ACCEPTED, KIND_DUPLICATE, KIND_REJECTED };

typedef struct {
    const reg_region *rg;
    const reg_calendar *cal;
    reg_store *store;
    FILE *out;
    int batch;       /* the most lines one transaction holds */
    held_line *held;
    int nheld;
    size_t held_bytes;
    int in_tx;
    int kind;        /* of the line just handled */
    reg_run_stats *stats;
} runner;

static void case_row_from(const runner *r, const reg_case *c, const char *case_id, reg_case_row *row)
{
    const reg_machine *m = c->machine;
    memset(row, 0, sizeof *row);
    reg_store_copy(row->case_id, sizeof row->case_id, case_id);
    reg_store_copy(row->region, sizeof row->region, r->rg->region);
    reg_store_copy(row->service, sizeof row->service, m->id);
    reg_store_copy(row->variant, sizeof row->variant, m->variants[c->variant].id);
    reg_store_copy(row->channel, sizeof row->channel, c->channel == REG_NO_CHANNEL ? "" : m->channels[c->channel].id);
    reg_store_copy(row->state, sizeof row->state, reg_case_state(c)->name);
    reg_store_copy(row->result, sizeof row->result, m->results[c->mc.result].id);
    row->late = c->mc.late;
    row->finished = reg_case_finished(c);
    row->submitted = c->submitted;
    row->last_event = c->last_event;
    row->step_start = c->step_start;
    row->step_deadline = c->step_deadline;
    row->term_deadline = c->term_deadline;
    row->term_unknown = reg_case_term_unknown(c);
}

static void event_row_from(const event *ev, const reg_case_row *row, reg_event_row *e)
{
    memset(e, 0, sizeof *e);
    reg_store_copy(e->event_id, sizeof e->event_id, ev->f[F_EVENT_ID]);
    reg_store_copy(e->case_id, sizeof e->case_id, ev->f[F_CASE]);
    reg_store_copy(e->type, sizeof e->type, type_names[ev->type]);
    reg_store_copy(e->service, sizeof e->service, row->service);
    reg_store_copy(e->state, sizeof e->state, row->state);
    reg_store_copy(e->result, sizeof e->result, row->result);
    e->late = row->late;
    e->finished = row->finished;
    e->at = ev->at;
    e->step_deadline = row->step_deadline;
    e->term_deadline = row->term_deadline;
}

/* The answer to an event id already in the journal: its first outcome. */
static int answer_duplicate(runner *r, const held_line *hl, const event *ev, char **answer)
{
    reg_event_row e;
    char *raw = NULL;
    int rc = reg_store_find_event(r->store, ev->f[F_EVENT_ID], &e, &raw);
    if (rc == 0) {
        reg_store_set_error(r->store, "event `%s` left the journal while it was being read", ev->f[F_EVENT_ID]);
        return REG_STORE_FAIL;
    }
    if (rc < 0)
        return rc;
    cJSON *first = cJSON_Parse(raw);
    int differs = !first || !cJSON_Compare(first, ev->json, 1);
    cJSON_Delete(first);
    free(raw);
    reg_case_row c;
    if ((rc = reg_store_get_case(r->store, e.case_id, 0, &c)) < 0)
        return rc;
    if (rc == 0) {
        reg_store_set_error(r->store, "case `%s` of journaled event `%s` is not in the store", e.case_id, e.event_id);
        return REG_STORE_FAIL;
    }
    *answer = answer_accepted(r->rg, r->cal, hl->line, &e, &c, 1, differs);
    r->kind = KIND_DUPLICATE;
    return 0;
}

static int record_refusal(runner *r, const held_line *hl, const event *ev, const refusal *rf, char **answer)
{
    reg_rejection_row row;
    memset(&row, 0, sizeof row);
    /* Ids go to the log only when they are valid ones. */
    if (ev->f[F_EVENT_ID] && strlen(ev->f[F_EVENT_ID]) <= REG_STORE_ID_MAX)
        reg_store_copy(row.event_id, sizeof row.event_id, ev->f[F_EVENT_ID]);
    if (ev->f[F_CASE] && strlen(ev->f[F_CASE]) <= REG_STORE_ID_MAX)
        reg_store_copy(row.case_id, sizeof row.case_id, ev->f[F_CASE]);
    reg_store_copy(row.reason, sizeof row.reason, rf->reason);
    reg_store_copy(row.message, sizeof row.message, rf->message);
    reg_store_now(row.recorded);
    /* Only valid UTF-8 goes into the store's text columns. */
    const char *raw = hl->text;
    if (raw && utf8_invalid_at((const unsigned char *)raw, hl->len) < hl->len)
        raw = NULL;
    int rc = reg_store_insert_rejection(r->store, &row, raw, raw ? hl->len : 0);
    if (rc < 0)
        return rc;
    *answer = answer_rejected(hl->line, ev, rf);
    r->kind = KIND_REJECTED;
    return 0;
}

/* Journals an event and writes its case; a conflict on the event id means
 * another writer journaled it first: answer as a duplicate. */
static int journal(runner *r, const held_line *hl, const event *ev, const reg_case_row *row, int is_new,
                   refusal *rf, char **answer)
{
    reg_event_row e;
    event_row_from(ev, row, &e);
    int rc = reg_store_insert_event(r->store, &e, hl->text, hl->len);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return answer_duplicate(r, hl, ev, answer);
    rc = is_new ? reg_store_insert_case(r->store, row) : reg_store_update_case(r->store, row);
    if (rc < 0)
        return rc;
    if (rc == 0 && is_new) {
        /* Another writer submitted the same case id under another event. */
        if ((rc = reg_store_delete_event(r->store, e.seq)) < 0)
            return rc;
        refuse(rf, "case_exists", "case `%s` already exists", ev->f[F_CASE]);
        return 1;
    }
    if (rc == 0) {
        reg_store_set_error(r->store, "case `%s` left the store while it was being updated", ev->f[F_CASE]);
        return REG_STORE_FAIL;
    }
    *answer = answer_accepted(r->rg, r->cal, hl->line, &e, row, 0, 0);
    if (!r->stats->accepted_any || e.at > r->stats->latest)
        r->stats->latest = e.at;
    r->stats->accepted_any = 1;
    r->kind = KIND_ACCEPTED;
    return 0;
}

/* Returns 0 with an answer, 1 with a refusal in rf, or a store failure. */
static int apply_submit(runner *r, const held_line *hl, const event *ev, refusal *rf, char **answer)
{
    /* Read the case before the journal: another writer commits both in
     * one transaction, so a case seen here has its event in the journal
     * read next, and a submission of this very event is not mistaken for
     * a second case with the same id. */
    reg_case_row row;
    int found = reg_store_get_case(r->store, ev->f[F_CASE], 0, &row);
    if (found < 0)
        return found;
    int rc = reg_store_find_event(r->store, ev->f[F_EVENT_ID], &(reg_event_row){ 0 }, NULL);
    if (rc < 0)
        return rc;
    if (rc == 1)
        return answer_duplicate(r, hl, ev, answer);
    const reg_machine *m = reg_region_machine(r->rg, ev->f[F_SERVICE]);
    if (!m) {
        char list[256] = "";
        for (size_t i = 0; i < r->rg->count && strlen(list) + 80 < sizeof list; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", r->rg->machines[i]->id);
        refuse(rf, "unknown_service", "region %s has no service `%.80s` (services: %s)", r->rg->region,
               ev->f[F_SERVICE], list);
        return 1;
    }
    if (found) {
        char t[REG_TIME_BUFSZ] = "?";
        reg_format_time(row.submitted, t);
        refuse(rf, "case_exists", "case `%s` already exists (%s, submitted %s)", ev->f[F_CASE], row.service, t);
        return 1;
    }
    reg_case c;
    char why[REG_STORE_MSG_MAX + 1];
    reg_reason reason = reg_case_submit(&c, m, r->cal, ev->f[F_VARIANT], ev->f[F_CHANNEL], ev->at, why, sizeof why);
    if (reason != REG_OK_APPLIED) {
        refuse(rf, reg_reason_name(reason), "%s", why);
        return 1;
    }
    case_row_from(r, &c, ev->f[F_CASE], &row);
    return journal(r, hl, ev, &row, 1, rf, answer);
}

static int apply_event(runner *r, const held_line *hl, const event *ev, refusal *rf, char **answer)
{
    /* A replayed event is answered without taking any lock. */
    int rc = reg_store_find_event(r->store, ev->f[F_EVENT_ID], &(reg_event_row){ 0 }, NULL);
    if (rc < 0)
        return rc;
    if (rc == 1)
        return answer_duplicate(r, hl, ev, answer);
    /* Lock the case, then look again: a writer that waited for the lock
     * now sees the journal as the other writer committed it, and must not
     * judge the event against the state that event produced. */
    reg_case_row row;
    int found = reg_store_get_case(r->store, ev->f[F_CASE], 1, &row);
    if (found < 0)
        return found;
    if (found && r->store->shared &&
        (rc = reg_store_find_event(r->store, ev->f[F_EVENT_ID], &(reg_event_row){ 0 }, NULL)) != 0)
        return rc < 0 ? rc : answer_duplicate(r, hl, ev, answer);
    if (!found) {
        refuse(rf, "unknown_case", "no case `%s`: a case starts with a submit event", ev->f[F_CASE]);
        return 1;
    }
    if (strcmp(row.region, r->rg->region) != 0) {
        refuse(rf, "wrong_region", "case `%s` is a case of region %s, not %s", row.case_id, row.region, r->rg->region);
        return 1;
    }
    const reg_machine *m = reg_region_machine(r->rg, row.service);
    reg_case c;
    char why[REG_STORE_MSG_MAX + 1];
    reg_case_saved saved = { row.variant, row.channel[0] ? row.channel : NULL, row.state, row.result, row.late,
                             row.submitted, row.last_event, row.step_start, row.step_deadline, row.term_deadline };
    if (!m) {
        refuse(rf, "stored_case_invalid", "case `%s` is of service `%s`, which this binary no longer has", row.case_id,
               row.service);
        return 1;
    }
    if (reg_case_restore(&c, m, &saved, why, sizeof why) != 0) {
        refuse(rf, "stored_case_invalid", "case `%s` no longer fits its regulation: %s", row.case_id, why);
        return 1;
    }
    /* Deadlines unknown when stored may be known to this calendar. */
    reg_case_recompute(&c, r->cal);
    static const reg_event engine_event[EV_TYPES] = { REG_EV_COMPLETE, REG_EV_COMPLETE, REG_EV_BRANCH, REG_EV_REFUSE,
                                                      REG_EV_TIMER };
    reg_case before = c;
    reg_reason reason = reg_case_apply(&c, r->cal, engine_event[ev->type], ev->f[F_STEP], ev->f[F_OUTCOME], ev->at,
                                       why, sizeof why);
    if (reason != REG_OK_APPLIED) {
        refuse(rf, reg_reason_name(reason), "%s", why);
        return 1;
    }
    /* A timer says a deadline has passed: refuse one that comes early, or
     * it would mark an on-time case late, and one that cannot be judged. */
    int step_passed = before.step_deadline != REG_NO_TIME && ev->at > before.step_deadline;
    int term_passed = before.term_deadline != REG_NO_TIME && ev->at > before.term_deadline;
    if (ev->type == EV_TIMER && !step_passed && !term_passed) {
        char t1[REG_TIME_BUFSZ] = "unknown", t2[REG_TIME_BUFSZ] = "-";
        if (before.step_deadline != REG_NO_TIME)
            reg_format_time(before.step_deadline, t1);
        if (before.term_deadline != REG_NO_TIME)
            reg_format_time(before.term_deadline, t2);
        else if (reg_case_term_unknown(&before))
            snprintf(t2, sizeof t2, "unknown");
        if (reg_case_step_unknown(&before) || reg_case_term_unknown(&before))
            refuse(rf, "deadline_unknown",
                   "no known deadline has passed at %s (step deadline %s, term deadline %s): a deadline past the "
                   "calendar's end is unknown until the calendar is extended",
                   ev->f[F_AT], t1, t2);
        else
            refuse(rf, "not_due", "no deadline has passed at %s (step deadline %s, term deadline %s)", ev->f[F_AT],
                   t1, t2);
        return 1;
    }
    reg_case_row next;
    case_row_from(r, &c, row.case_id, &next);
    return journal(r, hl, ev, &next, 0, rf, answer);
}

/* Handles one line inside the open transaction. */
static int handle(runner *r, held_line *hl)
{
    event ev;
    refusal rf = { NULL, "" };
    int rc;
    free(hl->answer);
    hl->answer = NULL;
    if (!hl->text) {
        memset(&ev, 0, sizeof ev);
        refuse(&rf, "line_too_long", "the line is longer than %d bytes and was skipped", REG_LINE_MAX);
        rc = 1;
    } else if (parse_event(hl->text, hl->len, &ev, &rf) != 0) {
        rc = 1;
    } else if (ev.type == EV_SUBMIT) {
        rc = apply_submit(r, hl, &ev, &rf, &hl->answer);
    } else {
        rc = apply_event(r, hl, &ev, &rf, &hl->answer);
    }
    if (rc == 1)
        rc = record_refusal(r, hl, &ev, &rf, &hl->answer);
    cJSON_Delete(ev.json);
    hl->kind = r->kind;
    if (rc == 0 && !hl->answer) {
        reg_store_set_error(r->store, "out of memory");
        rc = REG_STORE_FAIL;
    }
    return rc;
}

static void drop_held(runner *r)
{
    for (int i = 0; i < r->nheld; i++) {
        free(r->held[i].text);
        free(r->held[i].answer);
    }
    r->nheld = 0;
    r->held_bytes = 0;
}

/* Writes out answers first..last-1 of the held lines: only ever after the
 * transaction holding them has committed. */
static int emit(runner *r, int first, int last)
{
    r->stats->commits++;
    for (int i = first; i < last; i++) {
        long *n[] = { &r->stats->accepted, &r->stats->duplicates, &r->stats->rejected };
        (*n[r->held[i].kind])++;
        fputs(r->held[i].answer, r->out);
        fputc('\n', r->out);
    }
    if (fflush(r->out) != 0 || ferror(r->out)) {
        fprintf(stderr, "%s run: cannot write the answers: %s\n", r->rg->region, strerror(errno));
        return 1;
    }
    return 0;
}

static void end_tx(runner *r)
{
    reg_store_rollback(r->store);
    r->in_tx = 0;
}

/* After a conflict with another writer (typically a deadlock: two batches
 * that lock the same cases in different orders) the held lines run again,
 * one line per transaction. Such a transaction locks one case, so it
 * cannot close a cycle of locks, and the run goes on; each answer still
 * goes out only after its own commit. */
static int replay_singly(runner *r)
{
    fprintf(stderr, "%s run: %s; applying the batch's %d lines one at a time\n", r->rg->region,
            reg_store_error(r->store), r->nheld);
    end_tx(r);
    for (int i = 0; i < r->nheld; i++) {
        int rc = 0;
        for (int attempt = 1;; attempt++) {
            rc = reg_store_begin(r->store, 1);
            if (rc == 0) {
                r->in_tx = 1;
                rc = handle(r, &r->held[i]);
            }
            if (rc == 0)
                rc = reg_store_commit(r->store);
            if (rc == 0)
                break;
            end_tx(r);
            if (rc != REG_STORE_RETRY || attempt == RETRY_MAX)
                return 1;
            /* Back off a little longer each time. */
            struct timespec ts = { 0, (long)attempt * 5000000L };
            nanosleep(&ts, NULL);
        }
        r->in_tx = 0;
        if (emit(r, i, i + 1) != 0)
            return 1;
    }
    drop_held(r);
    return 0;
}

/* Commits the open batch and writes its answers. */
static int commit_batch(runner *r)
{
    if (!r->in_tx)
        return 0;
    int rc = reg_store_commit(r->store);
    if (rc == REG_STORE_RETRY)
        rc = replay_singly(r);
    else if (rc == 0) {
        r->in_tx = 0;
        rc = emit(r, 0, r->nheld);
        drop_held(r);
    }
    if (rc != 0) {
        fprintf(stderr, "%s run: %s\n", r->rg->region, reg_store_error(r->store));
        end_tx(r);
        return 1;
    }
    return 0;
}

static int take_line(runner *r, long lineno, const char *text, size_t len)
{
    held_line *hl = &r->held[r->nheld];
    memset(hl, 0, sizeof *hl);
    hl->line = lineno;
    if (text) {
        /* A CR of a CRLF line end is not part of the event. */
        if (len > 0 && text[len - 1] == '\r')
            len--;
        hl->text = malloc(len + 1);
        if (!hl->text) {
            fprintf(stderr, "%s run: out of memory\n", r->rg->region);
            return 1;
        }
        memcpy(hl->text, text, len);
        hl->text[len] = '\0';
        hl->len = len;
    }
    r->nheld++;
    r->held_bytes += len;
    r->stats->lines++;
    int rc = 0;
    if (!r->in_tx) {
        rc = reg_store_begin(r->store, 1);
        if (rc == 0)
            r->in_tx = 1;
    }
    if (rc == 0)
        rc = handle(r, hl);
    if (rc == REG_STORE_RETRY)
        rc = replay_singly(r) == 0 ? 0 : REG_STORE_FAIL;
    if (rc != 0) {
        fprintf(stderr, "%s run: %s\n", r->rg->region, reg_store_error(r->store));
        end_tx(r);
        return 1;
    }
    if (r->nheld >= r->batch || r->held_bytes >= BATCH_BYTES_MAX)
        return commit_batch(r);
    return 0;
}

int reg_run_stream(const reg_region *rg, const reg_calendar *cal, reg_store *store, int in, FILE *out, int batch,
                   reg_run_stats *stats)
{
    reg_run_stats local;
    memset(stats ? stats : &local, 0, sizeof local);
    batch = batch < 1 ? 1 : batch;
    runner r = { rg, cal, store, out, batch, NULL, 0, 0, 0, 0, stats ? stats : &local };
    reader rd = { .fd = in, .cap = REG_LINE_MAX + 1 };
    rd.buf = malloc(rd.cap);
    r.held = calloc((size_t)r.batch, sizeof *r.held);
    if (!rd.buf || !r.held) {
        free(rd.buf);
        free(r.held);
        fprintf(stderr, "%s run: out of memory\n", rg->region);
        return 1;
    }
    int status = 0;
    long lineno = 0;
    while (status == 0) {
        const char *line = NULL;
        size_t len = 0;
        rd_result got = next_line(&rd, r.nheld > 0, &line, &len);
        if (got == RD_IDLE) {
            /* The input stalled: commit rather than keep answers waiting. */
            status = commit_batch(&r);
        } else if (got == RD_LINE || got == RD_TOO_LONG) {
            status = take_line(&r, ++lineno, got == RD_LINE ? line : NULL, got == RD_LINE ? len : 0);
        } else {
            if (got == RD_ERROR) {
                fprintf(stderr, "%s run: cannot read the input: %s\n", rg->region, strerror(errno));
                status = 1;
            }
            if (commit_batch(&r) != 0)
                status = 1;
            break;
        }
    }
    if (r.in_tx)
        reg_store_rollback(store);
    drop_held(&r);
    free(r.held);
    free(rd.buf);
    return status;
}

/* ---- the command ---- */

static int run_usage(const reg_region *rg)
{
    fprintf(stderr, "usage: %s run [--store PATH|URL] [--batch N] < events.jsonl\n", rg->region);
    return 2;
}

int reg_cmd_run(const reg_region *rg, int argc, char **argv)
{
    const char *spec = REG_DEFAULT_STORE;
    int batch = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--store") == 0 && i + 1 < argc) {
            spec = argv[++i];
        } else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end || end == argv[i] || n < 1 || n > REG_BATCH_MAX) {
                fprintf(stderr, "%s run: --batch takes a number from 1 to %d\n", rg->region, REG_BATCH_MAX);
                return 2;
            }
            batch = (int)n;
        } else {
            fprintf(stderr, "%s run: unexpected argument `%s`\n", rg->region, argv[i]);
            return run_usage(rg);
        }
    }
    reg_calendar *cal = reg_region_calendar(rg);
    if (!cal)
        return 3;
    char err[600];
    reg_store *store = reg_store_open(spec, 1, err, sizeof err);
    if (!store) {
        fprintf(stderr, "%s run: %s\n", rg->region, err);
        reg_calendar_free(cal);
        return 1;
    }
    reg_run_stats stats;
    int status = reg_run_stream(rg, cal, store, 0, stdout, batch, &stats);
    fprintf(stderr, "%s run: %ld lines: %ld applied, %ld duplicates, %ld rejected; %ld commits\n", rg->region,
            stats.lines, stats.accepted, stats.duplicates, stats.rejected, stats.commits);
    /* Warn ahead of the calendar's end, from today or the latest event. */
    int64_t day = reg_today();
    if (stats.accepted_any && reg_day_of(stats.latest) > day)
        day = reg_day_of(stats.latest);
    char warning[600];
    if (reg_calendar_horizon(cal, day, REG_HORIZON_DAYS, warning, sizeof warning))
        fprintf(stderr, "%s run: warning: %s\n", rg->region, warning);
    reg_store_close(store);
    reg_calendar_free(cal);
    return status;
}
