/* event.h - one input line of `run` read into an event: JSON, fields,
 * types, ids and times checked, or a refusal with its reason code and
 * message (docs/store.md, "Reasons"). */
#ifndef REG_EVENT_H
#define REG_EVENT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef enum { EV_SUBMIT, EV_COMPLETE, EV_BRANCH, EV_REFUSE, EV_TIMER, EV_ANCHOR, EV_FLOW, EV_TYPES } ev_type;

extern const char *const event_type_names[EV_TYPES];

/* The fields of an event. */
enum { F_EVENT_ID, F_CASE, F_TYPE, F_AT, F_SERVICE, F_VARIANT, F_CHANNEL, F_STEP, F_OUTCOME, F_ANCHOR, F_ITEM, F_COUNT };

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

/* Fills rf like printf; returns -1. */
int refuse(refusal *rf, const char *reason, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Parses and checks one line; on failure fills rf and returns -1 (the
 * parsed JSON, if any, stays in ev->json for the answer to quote the
 * ids; the caller frees it with cJSON_Delete). */
int parse_event(const char *line, size_t len, event *ev, refusal *rf);

/* The offset of the first byte that is not strict UTF-8 (or is NUL), or
 * len: what JSON text and both stores accept. */
size_t utf8_invalid_at(const unsigned char *s, size_t len);

#endif
