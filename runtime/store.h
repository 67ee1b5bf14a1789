/* store.h - the case store of a region binary: the current state of every
 * case, the append-only journal of the events applied to them, and a log
 * of refused events.
 *
 * Two back ends share this interface and one schema (docs/store.md):
 * SQLite (a file; the default) and PostgreSQL (a server that several
 * machines share). reg_store_open picks one from the --store text. Every
 * write happens inside a transaction opened with reg_store_begin; nothing
 * is visible to others, or durable, before reg_store_commit returns 0.
 *
 * Return values: lookups give 1 (found) or 0 (not found); inserts give 1
 * (inserted) or 0 (the key is already there; nothing was written); every
 * call may give REG_E_STORE (the store cannot be used: the message is in
 * reg_store_error) or REG_E_RETRY (a conflict with another writer, such
 * as a deadlock: roll back and run its work again, run.c does it line by
 * line). After any negative return the open transaction must be rolled
 * back. */
#ifndef REG_STORE_H
#define REG_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "reg_error.h"


#define REG_STORE_ID_MAX 200    /* bytes of an event id or a case id */
#define REG_STORE_NAME_MAX 127  /* bytes of a region, service, variant, ... name */
#define REG_STORE_MSG_MAX 511   /* bytes of a refusal's message */
#define REG_STORE_SCHEMA 3      /* the schema version this build writes */

typedef struct reg_store reg_store;

/* One case (table `cases`). Times are minutes as in timefmt.h, REG_NO_TIME
 * (engine.h) where the case has none; channel is "" for none. */
typedef struct {
    char case_id[REG_STORE_ID_MAX + 1];
    char region[REG_STORE_NAME_MAX + 1];
    char service[REG_STORE_NAME_MAX + 1];
    char variant[REG_STORE_NAME_MAX + 1];
    char channel[REG_STORE_NAME_MAX + 1];
    char state[REG_STORE_NAME_MAX + 1];   /* machine state name: issue.register */
    char result[REG_STORE_NAME_MAX + 1];  /* the result carried, or ended with */
    int late;
    int finished;
    int64_t submitted, last_event, step_start, step_deadline, term_deadline;
    /* When the term's count started: the submission, or the event or step
     * the act counts it from; REG_NO_TIME while that has not happened. */
    int64_t term_anchor;
    /* The wording the case is pinned to (the machine's id; "" for a case
     * stored before wordings were kept) and its model's fingerprint
     * (runtime/version.h). */
    char version[REG_STORE_NAME_MAX + 1];
    char fingerprint[24];
    /* Not a column: set by the writer when the variant has a term whose
     * deadline is unknown (past the calendar's end), for the `due` column.
     * An open case with no step deadline has an unknown one. */
    int term_unknown;
} reg_case_row;

/* One applied event (table `journal`) and the state it left its case in. */
typedef struct {
    int64_t seq;                          /* order of application in the store */
    char event_id[REG_STORE_ID_MAX + 1];
    char case_id[REG_STORE_ID_MAX + 1];
    char type[16];
    char service[REG_STORE_NAME_MAX + 1];
    char state[REG_STORE_NAME_MAX + 1];
    char result[REG_STORE_NAME_MAX + 1];
    int late;
    int finished;
    int64_t at, step_deadline, term_deadline;
    char recorded[24];                    /* wall clock, UTC: 2026-05-20T10:00:00Z */
} reg_event_row;

/* One refused event (table `rejections`); event_id and case_id are "" when
 * the line did not give them. */
typedef struct {
    int64_t seq;
    char event_id[REG_STORE_ID_MAX + 1];
    char case_id[REG_STORE_ID_MAX + 1];
    char reason[48];
    char message[REG_STORE_MSG_MAX + 1];
    char recorded[24];
} reg_rejection_row;

/* Called once per row; a non-zero return stops the walk and is returned. */
typedef int (*reg_case_fn)(const reg_case_row *row, void *arg);
typedef int (*reg_event_fn)(const reg_event_row *row, void *arg);
typedef int (*reg_rejection_fn)(const reg_rejection_row *row, void *arg);

/* What each back end provides (store_sqlite.c, store_pg.c). */
typedef struct {
    int (*begin)(reg_store *s, int write);
    int (*commit)(reg_store *s);
    void (*rollback)(reg_store *s);
    int (*find_event)(reg_store *s, const char *event_id, reg_event_row *out, char **raw);
    int (*get_case)(reg_store *s, const char *case_id, int lock, reg_case_row *out);
    int (*insert_event)(reg_store *s, reg_event_row *ev, const char *raw, size_t rawlen);
    int (*delete_event)(reg_store *s, int64_t seq);
    int (*insert_case)(reg_store *s, const reg_case_row *c);
    int (*update_case)(reg_store *s, const reg_case_row *c);
    int (*insert_rejection)(reg_store *s, const reg_rejection_row *r, const char *raw, size_t rawlen);
    int (*history)(reg_store *s, const char *case_id, reg_event_fn fn, void *arg);
    int (*rejections)(reg_store *s, const char *case_id, reg_rejection_fn fn, void *arg);
    int (*overdue)(reg_store *s, const char *region, int64_t at, reg_case_fn fn, void *arg);
    void (*close)(reg_store *s);
    /* NULL where a batch gains nothing from it (SQLite); see
     * reg_store_prefetch. */
    int (*prefetch)(reg_store *s, const char *const *case_ids, int ncases, const char *const *event_ids,
                    int nevents);
} reg_store_ops;

/* The common head of every back end's store. */
struct reg_store {
    const reg_store_ops *ops;
    const char *kind;              /* "sqlite" or "postgresql" */
    /* 1 when other writers commit while a write transaction is open
     * (PostgreSQL); 0 when a write transaction excludes them (SQLite). */
    int shared;
    char err[512];
};

/* Opens a store: "postgresql://..." or "postgres://..." (a libpq URL) for
 * PostgreSQL, anything else is the path of an SQLite file ("sqlite:PATH"
 * is accepted too). `create` is for the command that writes (run): it
 * allows a new SQLite file to be made and brings the schema up to
 * REG_STORE_SCHEMA (docs/store.md, migrations). Without it (status,
 * overdue) nothing is written: a missing file, an empty one, or a store
 * whose schema is not REG_STORE_SCHEMA is an error. A store written by a
 * newer build is always refused, and so is a damaged SQLite file, with
 * what to do. Returns NULL with a message in err on failure. */
reg_store *reg_store_open(const char *spec, int create, char *err, size_t errlen);
reg_store *reg_store_open_sqlite(const char *path, int create, char *err, size_t errlen);
reg_store *reg_store_open_pg(const char *conninfo, int create, char *err, size_t errlen);
void reg_store_close(reg_store *s);

/* The last failure's message. */
const char *reg_store_error(const reg_store *s);

/* A transaction: `write` takes the write lock at once (SQLite) so that a
 * batch never has to upgrade a read lock; a read-only one gives a
 * consistent snapshot to status queries. */
int reg_store_begin(reg_store *s, int write);
int reg_store_commit(reg_store *s);
void reg_store_rollback(reg_store *s);

/* For a store where each statement is a round trip to a server
 * (PostgreSQL): opens a write transaction (in place of reg_store_begin)
 * and, before a batch's lines are applied, locks the batch's cases and reads them and which of its event
 * ids are journaled, in one round trip. Until commit or rollback the
 * batch's reads are then answered from what was read and its writes are
 * sent without waiting for their results (pipelined); the results are
 * checked before COMMIT, and a write that finds another writer got there
 * first (an event id or a case id taken meanwhile) makes the commit give
 * REG_E_RETRY, so the caller rolls back and applies the lines one at a
 * time. reg_store_can_prefetch says whether the store does this. */
int reg_store_can_prefetch(const reg_store *s);
int reg_store_prefetch(reg_store *s, const char *const *case_ids, int ncases, const char *const *event_ids,
                       int nevents);

/* The journal row of an event id; *raw (if raw is not NULL) receives the
 * line as received, owned by the caller (free). */
int reg_store_find_event(reg_store *s, const char *event_id, reg_event_row *out, char **raw);
/* A case; `lock` holds its row until the end of the transaction
 * (PostgreSQL: SELECT ... FOR UPDATE) so that two writers take turns. */
int reg_store_get_case(reg_store *s, const char *case_id, int lock, reg_case_row *out);
/* Appends to the journal; sets ev->seq and ev->recorded. 0 when the event
 * id is already journaled. */
int reg_store_insert_event(reg_store *s, reg_event_row *ev, const char *raw, size_t rawlen);
/* Takes back an event appended in the open transaction. */
int reg_store_delete_event(reg_store *s, int64_t seq);
int reg_store_insert_case(reg_store *s, const reg_case_row *c);
/* Returns 1, or 0 when there is no such case. */
int reg_store_update_case(reg_store *s, const reg_case_row *c);
/* raw may be NULL (a line too long to keep); it is cut to 4096 bytes. */
int reg_store_insert_rejection(reg_store *s, const reg_rejection_row *r, const char *raw, size_t rawlen);
/* The journal of a case, in order of application. */
int reg_store_history(reg_store *s, const char *case_id, reg_event_fn fn, void *arg);
/* The refused events that named a case, in order. */
int reg_store_rejections(reg_store *s, const char *case_id, reg_rejection_fn fn, void *arg);
/* The open cases of a region with a step or term deadline before `at`,
 * read through the index on the earliest open deadline. */
int reg_store_overdue(reg_store *s, const char *region, int64_t at, reg_case_fn fn, void *arg);

/* Helpers for the back ends. */
/* The earliest open deadline of a case (the `due` column), where an
 * unknown deadline counts from the start of its clock: REG_NO_TIME once
 * the case has finished. */
int64_t reg_case_row_due(const reg_case_row *c);
/* Copies text into a fixed field; returns -1 when it does not fit. */
int reg_store_copy(char *dst, size_t size, const char *src);
/* Length of the longest prefix of s[0..len) that is at most `max` bytes and
 * does not cut a UTF-8 sequence. */
size_t reg_utf8_prefix(const char *s, size_t len, size_t max);
/* The current wall clock, UTC, as 2026-05-20T10:00:00Z. */
void reg_store_now(char buf[24]);
/* Sets s->err like printf. */
void reg_store_set_error(reg_store *s, const char *fmt, ...);

#endif
