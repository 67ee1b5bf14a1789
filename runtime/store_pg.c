/* store_pg.c - the case store on a PostgreSQL server, for deployments where
 * several machines apply events to the same cases (see store.h and
 * docs/store.md).
 *
 * Same tables as the SQLite store. Two writers stay correct because
 *   - every event's writes sit in the writer's transaction (READ COMMITTED);
 *   - an event for an existing case first locks the case's row
 *     (SELECT ... FOR UPDATE), so events of one case are applied one at a
 *     time, each against the state the previous one committed;
 *   - the journal's UNIQUE event_id, written with ON CONFLICT DO NOTHING,
 *     lets exactly one writer journal an event; the other sees a conflict
 *     (after waiting for the first to commit) and answers "duplicate";
 *   - a deadlock between two batches (SQLSTATE 40P01) is reported as
 *     REG_E_RETRY: the caller rolls back and runs the batch again.
 * synchronous_commit is forced on for the session, so COMMIT returns only
 * once the server has flushed the transaction to its WAL. */
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "store.h"
#include "store_schema.h"


/* Any constant: the key of the advisory lock that serialises migrations of
 * one database by several programs starting at once. */
#define MIGRATION_LOCK 0x7265676373746f72LL

/* What a batch read ahead (reg_store_prefetch): a case, or that there is
 * none; an event id, journaled before the batch or by it. */
typedef struct {
    reg_case_row row;
    int found;
    /* The statement (plus one) that writes the row at the end of the
     * batch, 0 when it is written: a case that several lines of a batch
     * change is written once, as the last one left it. */
    int dirty;
} cached_case;

enum { ID_ABSENT, ID_JOURNALED };

typedef struct {
    char *id;
    int state;
} cached_id;

/* A write sent in pipeline mode and what its result must show. */
enum { W_EVENT, W_CASE, W_PLAIN };

/* Results read back after this many pipelined writes, so that neither side
 * fills its buffers waiting for the other. */
#define PIPELINE_MAX 256

typedef struct {
    reg_store base;
    PGconn *conn;
    int batch;                 /* a prefetched batch is open */
    cached_case *cases;
    int ncases, cases_cap;
    cached_id *ids;
    int nids, ids_cap;
    int *pending;              /* W_* of each write whose result is unread */
    int npending, pending_cap;
    int pipelined;             /* the connection is in pipeline mode */
    /* The two reads of a batch, planned at each use: a plan kept from when
     * the tables were small would scan them whole once they are not. */
    char *read_sql[2];
} pg_store;

static pg_store *P(reg_store *s) { return (pg_store *)s; }

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* Takes the failure of a result (and clears it): conflicts with another
 * writer may succeed when the transaction is run again. */
static int fail(pg_store *s, PGresult *res, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : NULL;
    if (!msg || !*msg)
        msg = PQerrorMessage(s->conn);
    /* One line: the server's message, DETAIL and CONTEXT run together. */
    char clean[400];
    size_t n = 0;
    for (const char *p = msg; *p && n + 1 < sizeof clean; p++) {
        char c = *p == '\n' || *p == '\t' ? ' ' : *p;
        if (c != ' ' || (n > 0 && clean[n - 1] != ' '))
            clean[n++] = c;
    }
    while (n > 0 && clean[n - 1] == ' ')
        n--;
    clean[n] = '\0';
    reg_store_set_error(&s->base, "postgresql store: %s: %s", what, clean);
    int retry = state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0);
    PQclear(res);
    return retry ? REG_E_RETRY : REG_E_STORE;
}

static int command(pg_store *s, const char *sql, const char *what)
{
    PGresult *res = PQexec(s->conn, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        return fail(s, res, what);
    PQclear(res);
    return 0;
}

/* Parameters travel as text; times as decimal numbers, NULL for none. */
typedef struct {
    const char *v[18];
    char num[18][24];
    int n;
} params;

static void p_text(params *p, const char *t) { p->v[p->n++] = t && *t ? t : NULL; }

static void p_raw(params *p, const char *t) { p->v[p->n++] = t; }

static void p_int(params *p, int64_t x)
{
    snprintf(p->num[p->n], sizeof p->num[p->n], "%" PRId64, x);
    p->v[p->n] = p->num[p->n];
    p->n++;
}

static void p_time(params *p, int64_t t)
{
    if (t == REG_NO_TIME)
        p->v[p->n++] = NULL;
    else
        p_int(p, t);
}

static PGresult *run(pg_store *s, int which, const params *p)
{
    char name[16];
    snprintf(name, sizeof name, "s%d", which);
    return PQexecPrepared(s->conn, name, p->n, p->v, NULL, NULL, 0);
}

/* Runs a prepared query row by row (libpq's single-row mode), so that a
 * long answer, the overdue cases of a region, is never held whole in
 * memory: each row is handed to `each`, which returns 0 to go on. The rest
 * of the answer is read and dropped after a stop or a failure. */
typedef int (*row_fn)(pg_store *s, PGresult *row, void *arg);

static int run_rows(pg_store *s, int which, const params *p, const char *what, row_fn each, void *arg)
{
    char name[16];
    snprintf(name, sizeof name, "s%d", which);
    if (!PQsendQueryPrepared(s->conn, name, p->n, p->v, NULL, NULL, 0) || !PQsetSingleRowMode(s->conn))
        return fail(s, NULL, what);
    int rc = 0;
    PGresult *r;
    while ((r = PQgetResult(s->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE && rc == 0)
            rc = each(s, r, arg);
        else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && rc == 0) {
            rc = fail(s, r, what);
            continue; /* fail() cleared it */
        }
        PQclear(r);
    }
    return rc;
}

static int64_t get_int(PGresult *r, int row, int col) { return strtoll(PQgetvalue(r, row, col), NULL, 10); }

static int64_t get_time(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? REG_NO_TIME : get_int(r, row, col);
}

static int get_text(pg_store *s, PGresult *r, int row, int col, char *dst, size_t size)
{
    if (reg_store_copy(dst, size, PQgetvalue(r, row, col)) != 0) {
        reg_store_set_error(&s->base, "postgresql store: column `%s` holds a value longer than %zu bytes",
                            PQfname(r, col), size - 1);
        return REG_E_STORE;
    }
    return 0;
}

static int read_case(pg_store *s, PGresult *r, int i, reg_case_row *c)
{
    memset(c, 0, sizeof *c);
    if (get_text(s, r, i, 0, c->case_id, sizeof c->case_id) || get_text(s, r, i, 1, c->region, sizeof c->region) ||
        get_text(s, r, i, 2, c->service, sizeof c->service) || get_text(s, r, i, 3, c->variant, sizeof c->variant) ||
        get_text(s, r, i, 4, c->channel, sizeof c->channel) || get_text(s, r, i, 5, c->state, sizeof c->state) ||
        get_text(s, r, i, 6, c->result, sizeof c->result))
        return REG_E_STORE;
    c->late = (int)get_int(r, i, 7);
    c->finished = (int)get_int(r, i, 8);
    c->submitted = get_int(r, i, 9);
    c->last_event = get_int(r, i, 10);
    c->step_start = get_time(r, i, 11);
    c->step_deadline = get_time(r, i, 12);
    c->term_deadline = get_time(r, i, 13);
    c->term_anchor = get_time(r, i, 14);
    if (get_text(s, r, i, 15, c->version, sizeof c->version) ||
        get_text(s, r, i, 16, c->fingerprint, sizeof c->fingerprint))
        return REG_E_STORE;
    return 0;
}

static int read_event(pg_store *s, PGresult *r, int i, reg_event_row *e)
{
    memset(e, 0, sizeof *e);
    e->seq = get_int(r, i, 0);
    if (get_text(s, r, i, 1, e->event_id, sizeof e->event_id) || get_text(s, r, i, 2, e->case_id, sizeof e->case_id) ||
        get_text(s, r, i, 3, e->type, sizeof e->type))
        return REG_E_STORE;
    e->at = get_int(r, i, 4);
    if (get_text(s, r, i, 5, e->service, sizeof e->service) || get_text(s, r, i, 6, e->state, sizeof e->state) ||
        get_text(s, r, i, 7, e->result, sizeof e->result))
        return REG_E_STORE;
    e->late = (int)get_int(r, i, 8);
    e->finished = (int)get_int(r, i, 9);
    e->step_deadline = get_time(r, i, 10);
    e->term_deadline = get_time(r, i, 11);
    return get_text(s, r, i, 12, e->recorded, sizeof e->recorded);
}

/* ---- a prefetched batch ---- */

static cached_case *cached_case_of(pg_store *s, const char *case_id)
{
    for (int i = 0; i < s->ncases; i++)
        if (strcmp(s->cases[i].row.case_id, case_id) == 0)
            return &s->cases[i];
    return NULL;
}

static cached_id *cached_id_of(pg_store *s, const char *event_id)
{
    for (int i = 0; i < s->nids; i++)
        if (strcmp(s->ids[i].id, event_id) == 0)
            return &s->ids[i];
    return NULL;
}

static int grow(pg_store *s, void **arr, int *cap, int n, size_t size)
{
    if (n < *cap)
        return 0;
    int ncap = *cap ? *cap * 2 : 64;
    void *p = realloc(*arr, (size_t)ncap * size);
    if (!p) {
        reg_store_set_error(&s->base, "out of memory");
        return REG_E_STORE;
    }
    *arr = p;
    *cap = ncap;
    return 0;
}

static cached_case *add_case(pg_store *s, const char *case_id)
{
    cached_case *c = cached_case_of(s, case_id);
    if (c)
        return c;
    if (grow(s, (void **)&s->cases, &s->cases_cap, s->ncases, sizeof *s->cases) != 0)
        return NULL;
    c = &s->cases[s->ncases++];
    memset(c, 0, sizeof *c);
    reg_store_copy(c->row.case_id, sizeof c->row.case_id, case_id);
    return c;
}

static cached_id *add_id(pg_store *s, const char *event_id)
{
    cached_id *e = cached_id_of(s, event_id);
    if (e)
        return e;
    if (grow(s, (void **)&s->ids, &s->ids_cap, s->nids, sizeof *s->ids) != 0)
        return NULL;
    e = &s->ids[s->nids];
    if (!(e->id = strdup(event_id))) {
        reg_store_set_error(&s->base, "out of memory");
        return NULL;
    }
    e->state = ID_ABSENT;
    s->nids++;
    return e;
}

static void end_batch(pg_store *s)
{
    for (int i = 0; i < s->nids; i++)
        free(s->ids[i].id);
    s->nids = 0;
    s->ncases = 0;
    s->batch = 0;
}

/* Reads the results of the pipelined writes (one round trip) and leaves
 * pipeline mode. A write that found its key taken by another writer since
 * the batch was read gives REG_E_RETRY: the transaction must be rolled
 * back, nothing of it is kept. */
static int drain(pg_store *s)
{
    if (!s->pipelined)
        return 0;
    int rc = 0;
    if (!PQpipelineSync(s->conn))
        rc = fail(s, NULL, "cannot send a batch's writes");
    for (int i = 0; i < s->npending; i++) {
        PGresult *r;
        int first = 1;
        while ((r = PQgetResult(s->conn)) != NULL) {
            ExecStatusType st = PQresultStatus(r);
            if (first && rc == 0 && st != PGRES_PIPELINE_ABORTED) {
                int want_rows = s->pending[i] == W_EVENT;
                if (st != (want_rows ? PGRES_TUPLES_OK : PGRES_COMMAND_OK)) {
                    rc = fail(s, r, "cannot write a batch");
                    first = 0;
                    continue; /* fail() cleared it */
                }
                int taken = s->pending[i] == W_EVENT ? PQntuples(r) == 0
                            : s->pending[i] == W_CASE ? atoi(PQcmdTuples(r)) == 0
                                                      : 0;
                if (taken) {
                    reg_store_set_error(&s->base, "postgresql store: another writer wrote %s of this batch meanwhile",
                                        s->pending[i] == W_EVENT ? "an event id" : "a case");
                    rc = REG_E_RETRY;
                }
            }
            first = 0;
            PQclear(r);
        }
    }
    s->npending = 0;
    PGresult *r = PQgetResult(s->conn);
    if (PQresultStatus(r) != PGRES_PIPELINE_SYNC && rc == 0)
        rc = fail(s, r, "cannot finish a batch's writes");
    else
        PQclear(r);
    if (!PQexitPipelineMode(s->conn) && rc == 0)
        rc = fail(s, NULL, "cannot leave pipeline mode");
    s->pipelined = 0;
    return rc;
}

static int send_write(pg_store *s, int which, const params *p, int kind);
static void case_params(params *p, const reg_case_row *c);

/* Sends the batch's changed cases and reads every write's result. */
static int settle(pg_store *s)
{
    for (int i = 0; i < s->ncases; i++) {
        cached_case *c = &s->cases[i];
        if (!c->dirty)
            continue;
        params p = { .n = 0 };
        case_params(&p, &c->row);
        int rc = send_write(s, c->dirty - 1, &p, W_CASE);
        if (rc != 0)
            return rc;
        c->dirty = 0;
    }
    return drain(s);
}

/* Sends a prepared write without waiting for its result. */
static int send_write(pg_store *s, int which, const params *p, int kind)
{
    if (s->npending >= PIPELINE_MAX) {
        int rc = drain(s);
        if (rc != 0)
            return rc;
    }
    if (!s->pipelined) {
        if (!PQenterPipelineMode(s->conn))
            return fail(s, NULL, "cannot enter pipeline mode");
        s->pipelined = 1;
    }
    if (grow(s, (void **)&s->pending, &s->pending_cap, s->npending, sizeof *s->pending) != 0)
        return REG_E_STORE;
    char name[16];
    snprintf(name, sizeof name, "s%d", which);
    if (!PQsendQueryPrepared(s->conn, name, p->n, p->v, NULL, NULL, 0))
        return fail(s, NULL, "cannot send a write");
    s->pending[s->npending++] = kind;
    return 0;
}

/* A PostgreSQL text[] literal: {"a","b"} with " and \ escaped. */
static char *array_literal(const char *const *v, int n)
{
    size_t len = 3;
    for (int i = 0; i < n; i++)
        len += 2 * strlen(v[i]) + 3;
    char *out = malloc(len), *o = out;
    if (!out)
        return NULL;
    *o++ = '{';
    for (int i = 0; i < n; i++) {
        if (i)
            *o++ = ',';
        *o++ = '"';
        for (const char *c = v[i]; *c; c++) {
            if (*c == '"' || *c == '\\')
                *o++ = '\\';
            *o++ = *c;
        }
        *o++ = '"';
    }
    *o++ = '}';
    *o = '\0';
    return out;
}

/* BEGIN and both reads go in one pipeline: the cases are locked first, so
 * the journal is read after any writer holding one of them has committed. */
/* One try at reading a batch ahead: 0, a failure, or 1 when what it read
 * does not hold together and the batch must be read again. The cases are
 * locked first, then the journal is read, each in a snapshot of its own:
 * a case that existed is locked before its journal is read, so the two
 * agree; but a case that did not exist yet takes no lock, and another
 * writer may commit it and its events between the two reads. An event
 * journaled for a case of the batch that was not found says so. */
static int prefetch_once(pg_store *s, const char *const *case_ids, int ncases, const char *const *event_ids,
                         int nevents)
{
    reg_store *base = &s->base;
    end_batch(s);
    char *cases = array_literal(case_ids, ncases), *events = array_literal(event_ids, nevents);
    if (!cases || !events) {
        free(cases);
        free(events);
        reg_store_set_error(base, "out of memory");
        return REG_E_STORE;
    }
    int rc = 0;
    const char *v1[1] = { cases }, *v2[1] = { events };
    if (!PQenterPipelineMode(s->conn) || !PQsendQueryParams(s->conn, "BEGIN", 0, NULL, NULL, NULL, NULL, 0) ||
        !PQsendQueryParams(s->conn, s->read_sql[0], 1, NULL, v1, NULL, NULL, 0) ||
        !PQsendQueryParams(s->conn, s->read_sql[1], 1, NULL, v2, NULL, NULL, 0) || !PQpipelineSync(s->conn))
        rc = fail(s, NULL, "cannot read a batch");
    free(cases);
    free(events);
    PGresult *got[3] = { NULL, NULL, NULL };
    for (int q = 0; q < 3; q++) {
        PGresult *r;
        while ((r = PQgetResult(s->conn)) != NULL) {
            if (!got[q])
                got[q] = r;
            else
                PQclear(r);
        }
    }
    PGresult *sync = PQgetResult(s->conn);
    PQclear(sync);
    PQexitPipelineMode(s->conn);
    if (rc == 0 && PQresultStatus(got[0]) != PGRES_COMMAND_OK) {
        rc = fail(s, got[0], "cannot begin a transaction");
        got[0] = NULL;
    }
    PQclear(got[0]);
    got[0] = got[1];
    got[1] = got[2];
    for (int q = 0; q < 2 && rc == 0; q++)
        if (PQresultStatus(got[q]) != PGRES_TUPLES_OK) {
            rc = fail(s, got[q], "cannot read a batch");
            got[q] = NULL;
        }
    for (int i = 0; rc == 0 && i < ncases; i++)
        if (!add_case(s, case_ids[i]))
            rc = REG_E_STORE;
    for (int i = 0; rc == 0 && i < PQntuples(got[0]); i++) {
        cached_case *c = cached_case_of(s, PQgetvalue(got[0], i, 0));
        if (c) {
            rc = read_case(s, got[0], i, &c->row);
            c->found = 1;
        }
    }
    for (int i = 0; rc == 0 && i < nevents; i++)
        if (!add_id(s, event_ids[i]))
            rc = REG_E_STORE;
    int again = 0;
    for (int i = 0; rc == 0 && i < PQntuples(got[1]); i++) {
        cached_id *e = cached_id_of(s, PQgetvalue(got[1], i, 0));
        if (e)
            e->state = ID_JOURNALED;
        cached_case *c = cached_case_of(s, PQgetvalue(got[1], i, 1));
        if (c && !c->found)
            again = 1;
    }
    PQclear(got[0]);
    PQclear(got[1]);
    if (rc != 0 || again) {
        end_batch(s);
        if (again)
            PQclear(PQexec(s->conn, "ROLLBACK"));
        return rc != 0 ? rc : 1;
    }
    s->batch = 1;
    return 0;
}

static int pg_prefetch(reg_store *base, const char *const *case_ids, int ncases, const char *const *event_ids,
                       int nevents)
{
    pg_store *s = P(base);
    /* Each new try finds the cases another writer committed meanwhile, and
     * locks them; a few tries settle any race of two writers. */
    for (int tries = 0; tries < 16; tries++) {
        int rc = prefetch_once(s, case_ids, ncases, event_ids, nevents);
        if (rc != 1)
            return rc;
    }
    reg_store_set_error(base, "postgresql store: a batch's cases kept changing while it was read");
    return REG_E_STORE;
}

/* ---- transactions ---- */

static int pg_begin(reg_store *base, int write)
{
    return command(P(base), write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                   "cannot begin a transaction");
}

static int pg_commit(reg_store *base)
{
    pg_store *s = P(base);
    int rc = settle(s);
    end_batch(s);
    if (rc != 0)
        return rc;
    PGresult *res = PQexec(s->conn, "COMMIT");
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        return fail(s, res, "cannot commit");
    /* A transaction that failed earlier "commits" as a ROLLBACK. */
    int ok = strcmp(PQcmdStatus(res), "COMMIT") == 0;
    PQclear(res);
    if (!ok) {
        reg_store_set_error(base, "postgresql store: the transaction was rolled back");
        return REG_E_STORE;
    }
    return 0;
}

static void pg_rollback(reg_store *base)
{
    pg_store *s = P(base);
    drain(s);
    end_batch(s);
    PQclear(PQexec(s->conn, "ROLLBACK"));
}

/* ---- reads and writes ---- */

static int pg_find_event(reg_store *base, const char *event_id, reg_event_row *out, char **raw)
{
    pg_store *s = P(base);
    if (s->batch) {
        /* Read ahead: an id not journaled needs no question; a journaled
         * one (a duplicate) is read after the writes sent so far. */
        cached_id *e = cached_id_of(s, event_id);
        if (e && e->state == ID_ABSENT)
            return 0;
    }
    int rc0 = settle(s);
    if (rc0 != 0)
        return rc0;
    params p = { .n = 0 };
    p_text(&p, event_id);
    PGresult *r = run(s, ST_FIND_EVENT, &p);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        return fail(s, r, "cannot read the journal");
    int found = PQntuples(r) > 0;
    int rc = found ? read_event(s, r, 0, out) : 0;
    if (found && rc == 0 && raw && !(*raw = strdup(PQgetvalue(r, 0, 13)))) {
        reg_store_set_error(base, "out of memory");
        rc = REG_E_STORE;
    }
    PQclear(r);
    return rc != 0 ? rc : found;
}

static int pg_get_case(reg_store *base, const char *case_id, int lock, reg_case_row *out)
{
    pg_store *s = P(base);
    cached_case *c = s->batch ? cached_case_of(s, case_id) : NULL;
    if (c) {
        if (c->found)
            *out = c->row;
        return c->found;
    }
    int rc0 = settle(s);
    if (rc0 != 0)
        return rc0;
    params p = { .n = 0 };
    p_text(&p, case_id);
    PGresult *r = run(s, lock ? ST_LOCK_CASE : ST_GET_CASE, &p);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        return fail(s, r, "cannot read a case");
    int found = PQntuples(r) > 0;
    int rc = found ? read_case(s, r, 0, out) : 0;
    PQclear(r);
    return rc != 0 ? rc : found;
}

static int pg_insert_event(reg_store *base, reg_event_row *e, const char *raw, size_t rawlen)
{
    (void)rawlen; /* the line holds no NUL: it goes as a C string */
    pg_store *s = P(base);
    params p = { .n = 0 };
    p_text(&p, e->event_id);
    p_text(&p, e->case_id);
    p_text(&p, e->type);
    p_int(&p, e->at);
    p_text(&p, e->service);
    p_text(&p, e->state);
    p_text(&p, e->result);
    p_int(&p, e->late);
    p_int(&p, e->finished);
    p_time(&p, e->step_deadline);
    p_time(&p, e->term_deadline);
    p_text(&p, e->recorded);
    p_raw(&p, raw);
    if (s->batch) {
        /* Not journaled when the batch was read, nor by the batch (it
         * asked); drain() checks that no other writer took the id. */
        cached_id *id = add_id(s, e->event_id);
        int rc = id ? send_write(s, ST_INSERT_EVENT, &p, W_EVENT) : REG_E_STORE;
        if (rc != 0)
            return rc;
        id->state = ID_JOURNALED;
        e->seq = 0;
        return 1;
    }
    PGresult *r = run(s, ST_INSERT_EVENT, &p);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        return fail(s, r, "cannot append to the journal");
    int inserted = PQntuples(r) > 0;
    if (inserted)
        e->seq = get_int(r, 0, 0);
    PQclear(r);
    return inserted;
}

static int pg_delete_event(reg_store *base, int64_t seq)
{
    pg_store *s = P(base);
    int rc0 = settle(s);
    if (rc0 != 0)
        return rc0;
    params p = { .n = 0 };
    p_int(&p, seq);
    PGresult *r = run(s, ST_DELETE_EVENT, &p);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        return fail(s, r, "cannot take back a journal entry");
    PQclear(r);
    return 0;
}

static void case_params(params *p, const reg_case_row *c)
{
    p_text(p, c->case_id);
    p_text(p, c->region);
    p_text(p, c->service);
    p_text(p, c->variant);
    p_text(p, c->channel);
    p_text(p, c->state);
    p_text(p, c->result);
    p_int(p, c->late);
    p_int(p, c->finished);
    p_int(p, c->submitted);
    p_int(p, c->last_event);
    p_time(p, c->step_start);
    p_time(p, c->step_deadline);
    p_time(p, c->term_deadline);
    p_time(p, reg_case_row_due(c));
    p_time(p, c->term_anchor);
    p_text(p, c->version);
    p_text(p, c->fingerprint);
}

static int write_case(pg_store *s, int which, const reg_case_row *c, const char *what)
{
    params p = { .n = 0 };
    case_params(&p, c);
    if (s->batch) {
        cached_case *cc = add_case(s, c->case_id);
        if (!cc)
            return REG_E_STORE;
        cc->row = *c;
        cc->found = 1;
        /* A case the batch inserted is inserted as it ends the batch. */
        if (cc->dirty != ST_INSERT_CASE + 1)
            cc->dirty = which + 1;
        return 1;
    }
    PGresult *r = run(s, which, &p);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        return fail(s, r, what);
    int n = atoi(PQcmdTuples(r));
    PQclear(r);
    return n > 0;
}

static int pg_insert_case(reg_store *base, const reg_case_row *c)
{
    return write_case(P(base), ST_INSERT_CASE, c, "cannot add a case");
}

static int pg_update_case(reg_store *base, const reg_case_row *c)
{
    return write_case(P(base), ST_UPDATE_CASE, c, "cannot update a case");
}

static int pg_insert_rejection(reg_store *base, const reg_rejection_row *rj, const char *raw, size_t rawlen)
{
    pg_store *s = P(base);
    /* The prefix was cut to rawlen bytes; a text parameter ends at a NUL. */
    char *copy = NULL;
    if (raw) {
        copy = malloc(rawlen + 1);
        if (!copy) {
            reg_store_set_error(base, "out of memory");
            return REG_E_STORE;
        }
        memcpy(copy, raw, rawlen);
        copy[rawlen] = '\0';
    }
    params p = { .n = 0 };
    p_text(&p, rj->event_id);
    p_text(&p, rj->case_id);
    p_text(&p, rj->reason);
    p_raw(&p, rj->message);
    p_text(&p, rj->recorded);
    p_raw(&p, copy);
    if (s->batch) {
        int rc = send_write(s, ST_INSERT_REJECTION, &p, W_PLAIN);
        free(copy);
        return rc;
    }
    PGresult *r = run(s, ST_INSERT_REJECTION, &p);
    free(copy);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        return fail(s, r, "cannot record a refused event");
    PQclear(r);
    return 0;
}

typedef struct {
    reg_event_fn fn;
    void *arg;
} event_walk;

static int each_event(pg_store *s, PGresult *r, void *arg)
{
    event_walk *w = arg;
    reg_event_row e;
    int rc = read_event(s, r, 0, &e);
    return rc ? rc : w->fn(&e, w->arg);
}

static int pg_history(reg_store *base, const char *case_id, reg_event_fn fn, void *arg)
{
    pg_store *s = P(base);
    params p = { .n = 0 };
    p_text(&p, case_id);
    event_walk w = { fn, arg };
    return run_rows(s, ST_HISTORY, &p, "cannot read the journal", each_event, &w);
}

static int pg_rejections(reg_store *base, const char *case_id, reg_rejection_fn fn, void *arg)
{
    pg_store *s = P(base);
    params p = { .n = 0 };
    p_text(&p, case_id);
    PGresult *r = run(s, ST_REJECTIONS, &p);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        return fail(s, r, "cannot read the refused events");
    int rc = 0;
    reg_rejection_row rj;
    for (int i = 0; rc == 0 && i < PQntuples(r); i++) {
        memset(&rj, 0, sizeof rj);
        rj.seq = get_int(r, i, 0);
        if (get_text(s, r, i, 1, rj.event_id, sizeof rj.event_id) ||
            get_text(s, r, i, 2, rj.case_id, sizeof rj.case_id) || get_text(s, r, i, 3, rj.reason, sizeof rj.reason) ||
            get_text(s, r, i, 4, rj.message, sizeof rj.message) ||
            get_text(s, r, i, 5, rj.recorded, sizeof rj.recorded))
            rc = REG_E_STORE;
        else
            rc = fn(&rj, arg);
    }
    PQclear(r);
    return rc;
}

typedef struct {
    reg_case_fn fn;
    void *arg;
} case_walk;

static int each_case(pg_store *s, PGresult *r, void *arg)
{
    case_walk *w = arg;
    reg_case_row c;
    int rc = read_case(s, r, 0, &c);
    return rc ? rc : w->fn(&c, w->arg);
}

static int pg_overdue(reg_store *base, const char *region, int64_t at, reg_case_fn fn, void *arg)
{
    pg_store *s = P(base);
    params p = { .n = 0 };
    p_text(&p, region);
    p_int(&p, at);
    case_walk w = { fn, arg };
    return run_rows(s, ST_OVERDUE, &p, "cannot read the cases", each_case, &w);
}

static void pg_close(reg_store *base)
{
    pg_store *s = P(base);
    end_batch(s);
    free(s->cases);
    free(s->ids);
    free(s->pending);
    free(s->read_sql[0]);
    free(s->read_sql[1]);
    PQfinish(s->conn);
    free(s);
}

static const reg_store_ops pg_ops = {
    pg_begin, pg_commit, pg_rollback, pg_find_event, pg_get_case, pg_insert_event, pg_delete_event,
    pg_insert_case, pg_update_case, pg_insert_rejection, pg_history, pg_rejections, pg_overdue, pg_close,
    pg_prefetch,
};

/* ---- opening and migrations ---- */

/* For the reading commands, which never write: the schema must be this
 * program's already. */
static int check_schema(pg_store *s)
{
    PGresult *r = PQexec(s->conn, "SELECT CASE WHEN to_regclass('schema_version') IS NULL THEN -1 "
                                  "ELSE (SELECT coalesce(max(version), 0) FROM schema_version) END");
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        return fail(s, r, "cannot read the schema version");
    int version = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    if (version == REG_STORE_SCHEMA)
        return 0;
    if (version <= 0)
        reg_store_set_error(&s->base, "the postgresql database is not a case store: it holds no schema (the run "
                                      "command creates one)");
    else
        reg_store_set_error(&s->base, "postgresql store has schema version %d, %s than this program's %d: %s",
                            version, version < REG_STORE_SCHEMA ? "older" : "newer", REG_STORE_SCHEMA,
                            version < REG_STORE_SCHEMA ? "the run command brings it up to date" : "use a newer build");
    return REG_E_STORE;
}

static int migrate(pg_store *s)
{
    char sql[160];
    snprintf(sql, sizeof sql, "BEGIN; SELECT pg_advisory_xact_lock(%lld)", (long long)MIGRATION_LOCK);
    int rc = command(s, sql, "cannot lock the store to update its schema");
    if (rc == 0)
        rc = command(s, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)",
                     "cannot create the schema version table");
    int version = 0;
    if (rc == 0) {
        PGresult *r = PQexec(s->conn, "SELECT coalesce(max(version), 0) FROM schema_version");
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            rc = fail(s, r, "cannot read the schema version");
        } else {
            version = atoi(PQgetvalue(r, 0, 0));
            PQclear(r);
        }
    }
    if (rc == 0 && version > REG_STORE_SCHEMA) {
        reg_store_set_error(&s->base,
                            "postgresql store has schema version %d, newer than this program's %d: use a newer build",
                            version, REG_STORE_SCHEMA);
        rc = REG_E_STORE;
    }
    for (int v = version + 1; rc == 0 && v <= REG_STORE_SCHEMA; v++) {
        char now[24];
        reg_store_now(now);
        snprintf(sql, sizeof sql, "INSERT INTO schema_version VALUES (%d, '%s')", v, now);
        char *migration = reg_sql_migration(v, REG_SQL_POSTGRESQL);
        rc = migration ? command(s, migration, "cannot update the schema") : REG_E_STORE;
        if (!migration)
            reg_store_set_error(&s->base, "out of memory");
        free(migration);
        if (rc == 0)
            rc = command(s, sql, "cannot record the schema version");
    }
    if (rc == 0)
        return pg_commit(&s->base);
    pg_rollback(&s->base);
    return rc;
}

reg_store *reg_store_open_pg(const char *conninfo, int create, char *err, size_t errlen)
{
    pg_store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->base.ops = &pg_ops;
    s->base.kind = "postgresql";
    s->base.shared = 1;
    s->conn = PQconnectdb(conninfo);
    if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
        const char *msg = s->conn ? PQerrorMessage(s->conn) : "out of memory";
        snprintf(err, errlen, "cannot connect to the postgresql store: %.*s", (int)strcspn(msg, "\n"), msg);
        pg_close(&s->base);
        return NULL;
    }
    PQsetNoticeProcessor(s->conn, quiet_notices, NULL);
    if (PQsetClientEncoding(s->conn, "UTF8") != 0) {
        snprintf(err, errlen, "postgresql store: cannot use UTF8: %s", PQerrorMessage(s->conn));
        pg_close(&s->base);
        return NULL;
    }
    /* An acknowledged event must be on the server's disk: never let a
     * server default of synchronous_commit=off weaken that. */
    int rc = command(s, "SET synchronous_commit = on", "cannot set synchronous_commit");
    if (rc == 0)
        rc = create ? migrate(s) : check_schema(s);
    for (int i = 0; rc == 0 && i < 2; i++)
        if (!(s->read_sql[i] = reg_sql_statement(ST_PG_LOCK_CASES + i, REG_SQL_POSTGRESQL))) {
            reg_store_set_error(&s->base, "out of memory");
            rc = REG_E_STORE;
        }
    for (int i = 0; rc == 0 && i < ST_COUNT; i++) {
        char name[16];
        snprintf(name, sizeof name, "s%d", i);
        char *sql = reg_sql_statement(i, REG_SQL_POSTGRESQL);
        PGresult *r = PQprepare(s->conn, name, sql ? sql : "", 0, NULL);
        free(sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = fail(s, r, "cannot prepare a statement");
        else
            PQclear(r);
    }
    if (rc != 0) {
        snprintf(err, errlen, "%s", s->base.err);
        pg_close(&s->base);
        return NULL;
    }
    return &s->base;
}
