/* event.c - reading one input line of `run` into an event (event.h). */
#include "event.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "run.h"
#include "timefmt.h"

const char *const event_type_names[EV_TYPES] = { "submit", "complete", "branch", "refuse", "timer", "anchor", "flow" };

/* In the order of the F_ constants, which give the bits of the masks below. */
static const char *const field_names[F_COUNT] = { "event_id", "case", "type", "at", "service",
                                                  "variant", "channel", "step", "outcome", "anchor", "item" };

#define BIT(f) (1u << (f))
#define COMMON (BIT(F_EVENT_ID) | BIT(F_CASE) | BIT(F_TYPE) | BIT(F_AT))

static const unsigned allowed[EV_TYPES] = {
    [EV_SUBMIT] = COMMON | BIT(F_SERVICE) | BIT(F_VARIANT) | BIT(F_CHANNEL),
    [EV_COMPLETE] = COMMON | BIT(F_STEP),
    [EV_BRANCH] = COMMON | BIT(F_STEP) | BIT(F_OUTCOME),
    [EV_REFUSE] = COMMON | BIT(F_STEP),
    [EV_TIMER] = COMMON | BIT(F_STEP),
    [EV_ANCHOR] = COMMON | BIT(F_ANCHOR),
    [EV_FLOW] = COMMON | BIT(F_ITEM) | BIT(F_OUTCOME),
};

static const unsigned required[EV_TYPES] = {
    [EV_SUBMIT] = COMMON | BIT(F_SERVICE) | BIT(F_VARIANT),
    [EV_COMPLETE] = COMMON | BIT(F_STEP),
    [EV_BRANCH] = COMMON | BIT(F_STEP) | BIT(F_OUTCOME),
    [EV_REFUSE] = COMMON,
    [EV_TIMER] = COMMON,
    [EV_ANCHOR] = COMMON | BIT(F_ANCHOR),
    [EV_FLOW] = COMMON | BIT(F_ITEM),
};

int refuse(refusal *rf, const char *reason, const char *fmt, ...)
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
size_t utf8_invalid_at(const unsigned char *s, size_t len)
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

int parse_event(const char *line, size_t len, event *ev, refusal *rf)
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
    while (t < EV_TYPES && strcmp(event_type_names[t], ev->f[F_TYPE]) != 0)
        t++;
    if (t == EV_TYPES)
        return refuse(rf, "invalid_field", "unknown event type `%.64s`; one of submit, complete, branch, refuse, timer, anchor, flow",
                      ev->f[F_TYPE]);
    ev->type = (ev_type)t;
    for (int f = 0; f < F_COUNT; f++) {
        if ((seen & BIT(f)) && !(allowed[t] & BIT(f)))
            return refuse(rf, "invalid_field", "`%s` has no place in a %s event", field_names[f], event_type_names[t]);
        if ((required[t] & BIT(f)) && !ev->f[f])
            return refuse(rf, "missing_field", "a %s event needs `%s`", event_type_names[t], field_names[f]);
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

