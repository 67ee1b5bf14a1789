/* store.c - choosing a store back end by the --store text, and what the
 * back ends share (see store.h). */
#include "store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "store_valid.h"

static int has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

reg_store *reg_store_open(const char *spec, int create, char *err, size_t errlen)
{
    if (!spec || !*spec) {
        snprintf(err, errlen, "no store given");
        return NULL;
    }
    if (has_prefix(spec, "postgresql://") || has_prefix(spec, "postgres://"))
        return reg_store_open_pg(spec, create, err, errlen);
    if (has_prefix(spec, "sqlite:"))
        spec += strlen("sqlite:");
    return reg_store_open_sqlite(spec, create, err, errlen);
}

void reg_store_close(reg_store *s)
{
    if (s)
        s->ops->close(s);
}

const char *reg_store_error(const reg_store *s) { return s->err; }

void reg_store_set_error(reg_store *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
}

int reg_store_begin(reg_store *s, int write) { return s->ops->begin(s, write); }
int reg_store_commit(reg_store *s) { return s->ops->commit(s); }
void reg_store_rollback(reg_store *s) { s->ops->rollback(s); }
int reg_store_can_prefetch(const reg_store *s) { return s->ops->prefetch != NULL; }
int reg_store_prefetch(reg_store *s, const char *const *case_ids, int ncases, const char *const *event_ids,
                       int nevents)
{
    return s->ops->prefetch ? s->ops->prefetch(s, case_ids, ncases, event_ids, nevents) : 0;
}

int reg_store_find_event(reg_store *s, const char *event_id, reg_event_row *out, char **raw)
{
    if (raw)
        *raw = NULL;
    int rc = s->ops->find_event(s, event_id, out, raw);
    if (rc == 1 && reg_store_check_event(s, out) != 0) {
        if (raw) {
            free(*raw);
            *raw = NULL;
        }
        return REG_E_STORE;
    }
    return rc;
}

int reg_store_get_case(reg_store *s, const char *case_id, int lock, reg_case_row *out)
{
    int rc = s->ops->get_case(s, case_id, lock, out);
    return rc == 1 && reg_store_check_case(s, out) != 0 ? REG_E_STORE : rc;
}

int reg_store_insert_event(reg_store *s, reg_event_row *ev, const char *raw, size_t rawlen)
{
    reg_store_now(ev->recorded);
    return s->ops->insert_event(s, ev, raw, rawlen);
}

int reg_store_delete_event(reg_store *s, int64_t seq) { return s->ops->delete_event(s, seq); }
int reg_store_insert_case(reg_store *s, const reg_case_row *c) { return s->ops->insert_case(s, c); }
int reg_store_update_case(reg_store *s, const reg_case_row *c) { return s->ops->update_case(s, c); }

/* Refused lines are kept for the record, not replayed: a prefix is enough
 * to recognise one, and bounds what a hostile line costs the store. */
#define REJECTION_RAW_MAX 4096

int reg_store_insert_rejection(reg_store *s, const reg_rejection_row *r, const char *raw, size_t rawlen)
{
    if (raw)
        rawlen = reg_utf8_prefix(raw, rawlen, REJECTION_RAW_MAX);
    return s->ops->insert_rejection(s, r, raw, rawlen);
}

/* The walks hand each row to the caller only once it has been checked. */
typedef struct {
    reg_store *s;
    reg_event_fn event_fn;
    reg_case_fn case_fn;
    void *arg;
} checked_walk;

static int checked_event(const reg_event_row *row, void *arg)
{
    checked_walk *w = arg;
    return reg_store_check_event(w->s, row) != 0 ? REG_E_STORE : w->event_fn(row, w->arg);
}

static int checked_case(const reg_case_row *row, void *arg)
{
    checked_walk *w = arg;
    return reg_store_check_case(w->s, row) != 0 ? REG_E_STORE : w->case_fn(row, w->arg);
}

int reg_store_history(reg_store *s, const char *case_id, reg_event_fn fn, void *arg)
{
    checked_walk w = { s, fn, NULL, arg };
    return s->ops->history(s, case_id, checked_event, &w);
}

int reg_store_rejections(reg_store *s, const char *case_id, reg_rejection_fn fn, void *arg)
{
    return s->ops->rejections(s, case_id, fn, arg);
}

int reg_store_overdue(reg_store *s, const char *region, int64_t at, reg_case_fn fn, void *arg)
{
    checked_walk w = { s, NULL, fn, arg };
    return s->ops->overdue(s, region, at, checked_case, &w);
}

int64_t reg_case_row_due(const reg_case_row *c)
{
    if (c->finished)
        return REG_NO_TIME;
    /* An unknown deadline is due from the start of its clock: overdue
     * then reads the case and says the deadline is unknown, or computes it
     * with a calendar that now covers it. */
    int64_t step = c->step_deadline == REG_NO_TIME ? c->step_start : c->step_deadline;
    int64_t term = c->term_unknown ? c->submitted : c->term_deadline;
    if (term != REG_NO_TIME && (step == REG_NO_TIME || term < step))
        return term;
    return step;
}

int reg_store_copy(char *dst, size_t size, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= size) {
        dst[0] = '\0';
        return -1;
    }
    memcpy(dst, src ? src : "", n + 1);
    return 0;
}

size_t reg_utf8_prefix(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    /* Step back over continuation bytes to the start of a sequence. */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

void reg_store_now(char buf[24])
{
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(buf, 24, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, 24, "unknown");
}
