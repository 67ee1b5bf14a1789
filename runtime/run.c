/* run.c - `run`: apply a stream of events to the cases in the store, in
 * batches.
 *
 * Every input line gets exactly one answer line, and an answer is written
 * only after the transaction holding its line has committed: whatever the
 * caller has read from stdout is durable. A line is applied by apply.c; a
 * crashed run can simply be fed the same input again (event ids are
 * journaled once). docs/store.md has the format, the reasons and the
 * argument. */
#include "run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apply.h"
#include "event.h"
#include "line_reader.h"

/* A batch is committed early once it holds this many bytes of lines, so
 * that memory stays bounded whatever --batch says. */
#define BATCH_BYTES_MAX (8u << 20)
/* A line that keeps conflicting with another writer (deadlocks, a lock
 * held too long) is tried this many times before the run gives up. */
#define RETRY_MAX 20
/* What emit returns when the answers cannot be written: it has said so. */
#define WRITE_FAILED 2

typedef struct {
    applier ap;
    FILE *out;
    int batch;       /* the most lines one transaction holds */
    held_line *held;
    int nheld;
    size_t held_bytes;
    int in_tx;
    /* The store reads a batch ahead (PostgreSQL): lines are held until the
     * batch is full, then read and applied together. */
    int deferred;
} runner;

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
    r->ap.stats->commits++;
    for (int i = first; i < last; i++) {
        long *n[] = { &r->ap.stats->accepted, &r->ap.stats->duplicates, &r->ap.stats->rejected };
        (*n[r->held[i].kind])++;
        fputs(r->held[i].answer, r->out);
        fputc('\n', r->out);
    }
    if (fflush(r->out) != 0 || ferror(r->out)) {
        fprintf(stderr, "%s run: cannot write the answers: %s\n", r->ap.rg->region, strerror(errno));
        return WRITE_FAILED;
    }
    return 0;
}

static void end_tx(runner *r)
{
    reg_store_rollback(r->ap.store);
    r->in_tx = 0;
}

/* After a conflict with another writer (typically a deadlock: two batches
 * that lock the same cases in different orders) the held lines run again,
 * one line per transaction. Such a transaction locks one case, so it
 * cannot close a cycle of locks, and the run goes on; each answer still
 * goes out only after its own commit. */
static int replay_singly(runner *r)
{
    fprintf(stderr, "%s run: %s; applying the batch's %d lines one at a time\n", r->ap.rg->region,
            reg_store_error(r->ap.store), r->nheld);
    end_tx(r);
    for (int i = 0; i < r->nheld; i++) {
        int rc = 0;
        for (int attempt = 1;; attempt++) {
            rc = reg_store_begin(r->ap.store, 1);
            if (rc == 0) {
                r->in_tx = 1;
                rc = apply_line(&r->ap, &r->held[i]);
            }
            if (rc == 0)
                rc = reg_store_commit(r->ap.store);
            if (rc == 0)
                break;
            end_tx(r);
            if (rc != REG_E_RETRY || attempt == RETRY_MAX)
                return 1;
            /* Back off a little longer each time. */
            struct timespec ts = { 0, (long)attempt * 5000000L };
            nanosleep(&ts, NULL);
        }
        r->in_tx = 0;
        if (emit(r, i, i + 1) != 0)
            return WRITE_FAILED;
    }
    drop_held(r);
    return 0;
}

/* Opens the transaction of a held batch, reads the cases and event ids its
 * lines name in one go and applies the lines. */
static int apply_held(runner *r)
{
    int rc = 0;
    r->in_tx = 1;
    char **ids = calloc((size_t)r->nheld * 2 + 1, sizeof *ids);
    const char **cases = calloc((size_t)r->nheld + 1, sizeof *cases), **events = calloc((size_t)r->nheld + 1, sizeof *events);
    int nc = 0, ne = 0;
    if (!ids || !cases || !events) {
        reg_store_set_error(r->ap.store, "out of memory");
        rc = REG_E_STORE;
    }
    for (int i = 0; rc == 0 && i < r->nheld; i++) {
        event ev;
        memset(&ev, 0, sizeof ev);
        refusal rf = { NULL, "" };
        if (!r->held[i].text || parse_event(r->held[i].text, r->held[i].len, &ev, &rf) != 0) {
            cJSON_Delete(ev.json);
            continue;
        }
        const char *c = ev.f[F_CASE], *e = ev.f[F_EVENT_ID];
        char *copy;
        if (c && strlen(c) <= REG_STORE_ID_MAX && (copy = strdup(c))) {
            ids[nc + ne] = copy;
            cases[nc++] = copy;
        }
        if (e && strlen(e) <= REG_STORE_ID_MAX && (copy = strdup(e))) {
            ids[nc + ne] = copy;
            events[ne++] = copy;
        }
        cJSON_Delete(ev.json);
    }
    if (rc == 0)
        rc = reg_store_prefetch(r->ap.store, cases, nc, events, ne);
    for (int i = 0; ids && i < nc + ne; i++)
        free(ids[i]);
    free(ids);
    free(cases);
    free(events);
    for (int i = 0; rc == 0 && i < r->nheld; i++)
        rc = apply_line(&r->ap, &r->held[i]);
    return rc;
}

/* Commits the open batch and writes its answers. */
static int commit_batch(runner *r)
{
    int rc = 0;
    if (r->deferred && !r->in_tx && r->nheld > 0)
        rc = apply_held(r);
    else if (!r->in_tx)
        return 0;
    if (rc == 0)
        rc = reg_store_commit(r->ap.store);
    if (rc == REG_E_RETRY)
        rc = replay_singly(r);
    else if (rc == 0) {
        r->in_tx = 0;
        rc = emit(r, 0, r->nheld);
        drop_held(r);
    }
    if (rc != 0) {
        if (rc != WRITE_FAILED)
            fprintf(stderr, "%s run: %s\n", r->ap.rg->region, reg_store_error(r->ap.store));
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
            fprintf(stderr, "%s run: out of memory\n", r->ap.rg->region);
            return 1;
        }
        memcpy(hl->text, text, len);
        hl->text[len] = '\0';
        hl->len = len;
    }
    r->nheld++;
    r->held_bytes += len;
    r->ap.stats->lines++;
    if (r->deferred)
        return r->nheld >= r->batch || r->held_bytes >= BATCH_BYTES_MAX ? commit_batch(r) : 0;
    int rc = 0;
    if (!r->in_tx) {
        rc = reg_store_begin(r->ap.store, 1);
        if (rc == 0)
            r->in_tx = 1;
    }
    if (rc == 0)
        rc = apply_line(&r->ap, hl);
    if (rc == REG_E_RETRY)
        rc = replay_singly(r);
    if (rc != 0) {
        if (rc != WRITE_FAILED)
            fprintf(stderr, "%s run: %s\n", r->ap.rg->region, reg_store_error(r->ap.store));
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
    runner r = { { rg, cal, store, stats ? stats : &local, 0 }, out, batch, NULL, 0, 0, 0, batch > 1 && reg_store_can_prefetch(store) };
    reader rd;
    int opened = reader_open(&rd, in);
    r.held = calloc((size_t)r.batch, sizeof *r.held);
    if (opened != 0 || !r.held) {
        reader_close(&rd);
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
    reader_close(&rd);
    return status;
}

