/* store_sqlite.c - the case store in one SQLite file (see store.h and
 * docs/store.md).
 *
 * The file is in WAL mode with synchronous=FULL: a commit returns only
 * after its WAL frames are on disk, so an acknowledged event survives a
 * crash of the program and of the machine. A writer takes the write lock
 * at BEGIN (BEGIN IMMEDIATE), so two processes on one file queue for it
 * instead of failing half-way through a batch. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "store.h"
#include "store_schema.h"

/* How long a writer waits for another one to commit before giving up. */
#define BUSY_TIMEOUT_MS 30000


typedef struct {
    reg_store base;
    sqlite3 *db;
    char *path;
    sqlite3_stmt *st[ST_COUNT];
} sqlite_store;

static sqlite_store *S(reg_store *s) { return (sqlite_store *)s; }

/* Maps an SQLite code to the store's: a lock held too long by another
 * writer may clear on a second try; anything else is a failure. */
static int fail(sqlite_store *s, int rc, const char *what)
{
    reg_store_set_error(&s->base, "store `%s`: %s: %s", s->path, what, sqlite3_errmsg(s->db));
    int primary = rc & 0xFF;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? REG_E_RETRY : REG_E_STORE;
}

static int exec(sqlite_store *s, const char *sql, const char *what)
{
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        reg_store_set_error(&s->base, "store `%s`: %s: %s", s->path, what, msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        int primary = rc & 0xFF;
        return primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? REG_E_RETRY : REG_E_STORE;
    }
    return 0;
}

static sqlite3_stmt *prep(sqlite_store *s, int which)
{
    sqlite3_stmt *st = s->st[which];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_time(sqlite3_stmt *st, int i, int64_t t)
{
    if (t == REG_NO_TIME)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, t);
}

static int64_t col_time(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? REG_NO_TIME : sqlite3_column_int64(st, i);
}

/* Copies a text column into a fixed field; a value too long for it was not
 * written by this program. */
static int col_text(sqlite_store *s, sqlite3_stmt *st, int i, char *dst, size_t size)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    if (reg_store_copy(dst, size, v ? v : "") != 0) {
        reg_store_set_error(&s->base, "store `%s`: column `%s` holds a value longer than %zu bytes",
                            s->path, sqlite3_column_name(st, i), size - 1);
        return REG_E_STORE;
    }
    return 0;
}

static int read_case(sqlite_store *s, sqlite3_stmt *st, reg_case_row *c)
{
    memset(c, 0, sizeof *c);
    if (col_text(s, st, 0, c->case_id, sizeof c->case_id) || col_text(s, st, 1, c->region, sizeof c->region) ||
        col_text(s, st, 2, c->service, sizeof c->service) || col_text(s, st, 3, c->variant, sizeof c->variant) ||
        col_text(s, st, 4, c->channel, sizeof c->channel) || col_text(s, st, 5, c->state, sizeof c->state) ||
        col_text(s, st, 6, c->result, sizeof c->result))
        return REG_E_STORE;
    c->late = sqlite3_column_int(st, 7);
    c->finished = sqlite3_column_int(st, 8);
    c->submitted = sqlite3_column_int64(st, 9);
    c->last_event = sqlite3_column_int64(st, 10);
    c->step_start = col_time(st, 11);
    c->step_deadline = col_time(st, 12);
    c->term_deadline = col_time(st, 13);
    c->term_anchor = col_time(st, 14);
    if (col_text(s, st, 15, c->version, sizeof c->version) ||
        col_text(s, st, 16, c->fingerprint, sizeof c->fingerprint))
        return REG_E_STORE;
    return 0;
}

static int read_event(sqlite_store *s, sqlite3_stmt *st, reg_event_row *e)
{
    memset(e, 0, sizeof *e);
    e->seq = sqlite3_column_int64(st, 0);
    if (col_text(s, st, 1, e->event_id, sizeof e->event_id) || col_text(s, st, 2, e->case_id, sizeof e->case_id) ||
        col_text(s, st, 3, e->type, sizeof e->type))
        return REG_E_STORE;
    e->at = sqlite3_column_int64(st, 4);
    if (col_text(s, st, 5, e->service, sizeof e->service) || col_text(s, st, 6, e->state, sizeof e->state) ||
        col_text(s, st, 7, e->result, sizeof e->result))
        return REG_E_STORE;
    e->late = sqlite3_column_int(st, 8);
    e->finished = sqlite3_column_int(st, 9);
    e->step_deadline = col_time(st, 10);
    e->term_deadline = col_time(st, 11);
    return col_text(s, st, 12, e->recorded, sizeof e->recorded);
}

/* ---- transactions ---- */

static int sq_begin(reg_store *base, int write)
{
    return exec(S(base), write ? "BEGIN IMMEDIATE" : "BEGIN", "cannot begin a transaction");
}

static int sq_commit(reg_store *base)
{
    return exec(S(base), "COMMIT", "cannot commit");
}

static void sq_rollback(reg_store *base)
{
    sqlite_store *s = S(base);
    /* Statements left mid-walk would keep the transaction open. */
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_reset(s->st[i]);
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- reads and writes ---- */

static int sq_find_event(reg_store *base, const char *event_id, reg_event_row *out, char **raw)
{
    sqlite_store *s = S(base);
    sqlite3_stmt *st = prep(s, ST_FIND_EVENT);
    bind_text(st, 1, event_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW)
        return fail(s, rc, "cannot read the journal");
    if (read_event(s, st, out) != 0)
        return REG_E_STORE;
    if (raw) {
        const char *r = (const char *)sqlite3_column_text(st, 13);
        *raw = strdup(r ? r : "");
        if (!*raw) {
            reg_store_set_error(base, "out of memory");
            return REG_E_STORE;
        }
    }
    sqlite3_reset(st);
    return 1;
}

static int sq_get_case(reg_store *base, const char *case_id, int lock, reg_case_row *out)
{
    (void)lock; /* the write transaction already holds the file's write lock */
    sqlite_store *s = S(base);
    sqlite3_stmt *st = prep(s, ST_GET_CASE);
    bind_text(st, 1, case_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW)
        return fail(s, rc, "cannot read a case");
    int r = read_case(s, st, out);
    sqlite3_reset(st);
    return r == 0 ? 1 : r;
}

static int sq_insert_event(reg_store *base, reg_event_row *e, const char *raw, size_t rawlen)
{
    sqlite_store *s = S(base);
    sqlite3_stmt *st = prep(s, ST_INSERT_EVENT);
    bind_text(st, 1, e->event_id);
    bind_text(st, 2, e->case_id);
    bind_text(st, 3, e->type);
    sqlite3_bind_int64(st, 4, e->at);
    bind_text(st, 5, e->service);
    bind_text(st, 6, e->state);
    bind_text(st, 7, e->result);
    sqlite3_bind_int(st, 8, e->late);
    sqlite3_bind_int(st, 9, e->finished);
    bind_time(st, 10, e->step_deadline);
    bind_time(st, 11, e->term_deadline);
    bind_text(st, 12, e->recorded);
    sqlite3_bind_text(st, 13, raw, (int)rawlen, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "cannot append to the journal");
    if (sqlite3_changes(s->db) == 0)
        return 0;
    e->seq = sqlite3_last_insert_rowid(s->db);
    return 1;
}

static int sq_delete_event(reg_store *base, int64_t seq)
{
    sqlite_store *s = S(base);
    sqlite3_stmt *st = prep(s, ST_DELETE_EVENT);
    sqlite3_bind_int64(st, 1, seq);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fail(s, rc, "cannot take back a journal entry");
}

static void bind_case(sqlite3_stmt *st, const reg_case_row *c)
{
    bind_text(st, 1, c->case_id);
    bind_text(st, 2, c->region);
    bind_text(st, 3, c->service);
    bind_text(st, 4, c->variant);
    bind_text(st, 5, c->channel);
    bind_text(st, 6, c->state);
    bind_text(st, 7, c->result);
    sqlite3_bind_int(st, 8, c->late);
    sqlite3_bind_int(st, 9, c->finished);
    sqlite3_bind_int64(st, 10, c->submitted);
    sqlite3_bind_int64(st, 11, c->last_event);
    bind_time(st, 12, c->step_start);
    bind_time(st, 13, c->step_deadline);
    bind_time(st, 14, c->term_deadline);
    bind_time(st, 15, reg_case_row_due(c));
    bind_time(st, 16, c->term_anchor);
    bind_text(st, 17, c->version);
    bind_text(st, 18, c->fingerprint);
}

static int sq_insert_case(reg_store *base, const reg_case_row *c)
{
    sqlite_store *s = S(base);
    sqlite3_stmt *st = prep(s, ST_INSERT_CASE);
    bind_case(st, c);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "cannot add a case");
    return sqlite3_changes(s->db) ? 1 : 0;
}

static int sq_update_case(reg_store *base, const reg_case_row *c)
{
    sqlite_store *s = S(base);
    sqlite3_stmt *st = prep(s, ST_UPDATE_CASE);
    bind_case(st, c);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "cannot update a case");
    return sqlite3_changes(s->db) ? 1 : 0;
}

static int sq_insert_rejection(reg_store *base, const reg_rejection_row *r, const char *raw, size_t rawlen)
{
    sqlite_store *s = S(base);
    sqlite3_stmt *st = prep(s, ST_INSERT_REJECTION);
    bind_text(st, 1, r->event_id);
    bind_text(st, 2, r->case_id);
    bind_text(st, 3, r->reason);
    sqlite3_bind_text(st, 4, r->message, -1, SQLITE_STATIC);
    bind_text(st, 5, r->recorded);
    if (raw)
        sqlite3_bind_text(st, 6, raw, (int)rawlen, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fail(s, rc, "cannot record a refused event");
}

static int sq_history(reg_store *base, const char *case_id, reg_event_fn fn, void *arg)
{
    sqlite_store *s = S(base);
    sqlite3_stmt *st = prep(s, ST_HISTORY);
    bind_text(st, 1, case_id);
    int rc, stop = 0;
    reg_event_row e;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (read_event(s, st, &e) != 0) {
            sqlite3_reset(st);
            return REG_E_STORE;
        }
        stop = fn(&e, arg);
    }
    sqlite3_reset(st);
    if (stop)
        return stop;
    return rc == SQLITE_DONE ? 0 : fail(s, rc, "cannot read the journal");
}

static int sq_rejections(reg_store *base, const char *case_id, reg_rejection_fn fn, void *arg)
{
    sqlite_store *s = S(base);
    sqlite3_stmt *st = prep(s, ST_REJECTIONS);
    bind_text(st, 1, case_id);
    int rc, stop = 0;
    reg_rejection_row r;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&r, 0, sizeof r);
        r.seq = sqlite3_column_int64(st, 0);
        if (col_text(s, st, 1, r.event_id, sizeof r.event_id) || col_text(s, st, 2, r.case_id, sizeof r.case_id) ||
            col_text(s, st, 3, r.reason, sizeof r.reason) || col_text(s, st, 4, r.message, sizeof r.message) ||
            col_text(s, st, 5, r.recorded, sizeof r.recorded)) {
            sqlite3_reset(st);
            return REG_E_STORE;
        }
        stop = fn(&r, arg);
    }
    sqlite3_reset(st);
    if (stop)
        return stop;
    return rc == SQLITE_DONE ? 0 : fail(s, rc, "cannot read the refused events");
}

static int sq_overdue(reg_store *base, const char *region, int64_t at, reg_case_fn fn, void *arg)
{
    sqlite_store *s = S(base);
    sqlite3_stmt *st = prep(s, ST_OVERDUE);
    bind_text(st, 1, region);
    sqlite3_bind_int64(st, 2, at);
    int rc, stop = 0;
    reg_case_row c;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (read_case(s, st, &c) != 0) {
            sqlite3_reset(st);
            return REG_E_STORE;
        }
        stop = fn(&c, arg);
    }
    sqlite3_reset(st);
    if (stop)
        return stop;
    return rc == SQLITE_DONE ? 0 : fail(s, rc, "cannot read the cases");
}

static void sq_close(reg_store *base)
{
    sqlite_store *s = S(base);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

static const reg_store_ops sqlite_ops = {
    sq_begin, sq_commit, sq_rollback, sq_find_event, sq_get_case, sq_insert_event, sq_delete_event,
    sq_insert_case, sq_update_case, sq_insert_rejection, sq_history, sq_rejections, sq_overdue, sq_close,
    NULL,
};

/* ---- opening and migrations ---- */

static int schema_version(sqlite_store *s, int *version)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "SELECT coalesce(max(version), 0) FROM schema_version", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        /* No version table yet: a new store. */
        if (strstr(sqlite3_errmsg(s->db), "no such table")) {
            *version = 0;
            return 0;
        }
        return fail(s, rc, "cannot read the schema version");
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : fail(s, rc, "cannot read the schema version");
}

/* `create` is 0 for the reading commands, which never write: a store
 * whose schema is not this program's is refused, not brought up to date. */
static int migrate(sqlite_store *s, int create)
{
    int version;
    int rc = schema_version(s, &version);
    if (rc == 0 && version == REG_STORE_SCHEMA)
        return 0; /* the usual case: nothing to write */
    if (rc != 0)
        return rc;
    if (!create && version == 0) {
        reg_store_set_error(&s->base, "`%s` is not a case store: it holds no schema (the run command creates one)",
                            s->path);
        return REG_E_STORE;
    }
    if (!create && version < REG_STORE_SCHEMA) {
        reg_store_set_error(&s->base,
                            "store `%s` has schema version %d, older than this program's %d: the run command "
                            "brings it up to date",
                            s->path, version, REG_STORE_SCHEMA);
        return REG_E_STORE;
    }
    /* Another process may be migrating too: decide under the write lock. */
    if ((rc = exec(s, "BEGIN IMMEDIATE", "cannot lock the store to update its schema")) != 0)
        return rc;
    rc = exec(s, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)",
              "cannot create the schema version table");
    if (rc == 0)
        rc = schema_version(s, &version);
    if (rc == 0 && version > REG_STORE_SCHEMA) {
        reg_store_set_error(&s->base,
                            "store `%s` has schema version %d, newer than this program's %d: use a newer build",
                            s->path, version, REG_STORE_SCHEMA);
        rc = REG_E_STORE;
    }
    for (int v = version + 1; rc == 0 && v <= REG_STORE_SCHEMA; v++) {
        char now[24], sql[128];
        reg_store_now(now);
        snprintf(sql, sizeof sql, "INSERT INTO schema_version VALUES (%d, '%s')", v, now);
        char *migration = reg_sql_migration(v, REG_SQL_SQLITE);
        rc = migration ? exec(s, migration, "cannot update the schema") : REG_E_STORE;
        if (!migration)
            reg_store_set_error(&s->base, "out of memory");
        free(migration);
        if (rc == 0)
            rc = exec(s, sql, "cannot record the schema version");
    }
    if (rc == 0)
        return exec(s, "COMMIT", "cannot commit the schema");
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* A file SQLite cannot read as a database, or finds damaged: say what it
 * means for the store and what to do, with SQLite's own words after. */
static void explain_damage(sqlite_store *s, char *err, size_t errlen)
{
    int primary = sqlite3_extended_errcode(s->db) & 0xFF;
    if (primary != SQLITE_CORRUPT && primary != SQLITE_NOTADB)
        return;
    snprintf(err, errlen,
             "`%s` is not a valid case store (SQLite: %s): restore it from a backup, or give --store the name "
             "of a file that does not exist yet and the run command creates a new store there",
             s->path, sqlite3_errmsg(s->db));
}

reg_store *reg_store_open_sqlite(const char *path, int create, char *err, size_t errlen)
{
    if (!create && access(path, F_OK) != 0) {
        snprintf(err, errlen, "no store at `%s` (the run command creates it)", path);
        return NULL;
    }
    sqlite_store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->base.ops = &sqlite_ops;
    s->base.kind = "sqlite";
    s->base.shared = 0;
    /* One thread uses the connection: no mutex around every call. */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open store `%s`: %s", path, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        sq_close(&s->base);
        return NULL;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    /* WAL: readers (status, overdue) never block the writer; FULL: the WAL
     * is synced at every commit (docs/store.md, durability). Switching a
     * new file to WAL while another process creates the same store can be
     * refused as busy without SQLite's busy handler being asked, so it is
     * retried here for as long as the busy timeout. */
    /* A reading command leaves the journal mode as it is: a store made by
     * run is in WAL mode already, and switching writes to the file. */
    int wal = create ? exec(s, "PRAGMA journal_mode = WAL", "cannot switch to WAL") : 0;
    for (int waited = 0; wal == REG_E_RETRY && waited < BUSY_TIMEOUT_MS; waited += 10) {
        usleep(10 * 1000);
        wal = exec(s, "PRAGMA journal_mode = WAL", "cannot switch to WAL");
    }
    if (wal != 0 ||
        exec(s, "PRAGMA synchronous = FULL", "cannot set synchronous") != 0 || migrate(s, create) != 0) {
        snprintf(err, errlen, "%s", s->base.err);
        explain_damage(s, err, errlen);
        sq_close(&s->base);
        return NULL;
    }
    for (int i = 0; i < ST_COUNT; i++) {
        char *sql = reg_sql_statement(i, REG_SQL_SQLITE);
        rc = sql ? sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) : SQLITE_NOMEM;
        free(sql);
        if (rc != SQLITE_OK) {
            snprintf(err, errlen, "store `%s`: cannot prepare a statement: %s", path, sqlite3_errmsg(s->db));
            explain_damage(s, err, errlen);
            sq_close(&s->base);
            return NULL;
        }
    }
    return &s->base;
}
