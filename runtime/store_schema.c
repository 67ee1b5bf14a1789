/* store_schema.c - the case store's SQL, once for both dialects
 * (store_schema.h).
 *
 * The text is written in a common form with a few markers, rendered for a
 * dialect when a store is opened:
 *   ?N            a parameter: ?N in SQLite, $N in PostgreSQL
 *   {seq}         the journal's sequence column: SQLite's rowid alias, or a
 *                 PostgreSQL identity column
 *   {for update}  a row lock: nothing in SQLite, whose write transactions
 *                 exclude each other already
 *   {returning}   the new journal row's seq (PostgreSQL; SQLite reads it
 *                 with sqlite3_last_insert_rowid) */
#include "store_schema.h"

#include <stdlib.h>
#include <string.h>

#define CASE_COLS                                                                              \
    "case_id, region, service, variant, channel, state, result, late, finished, submitted, " \
    "last_event, step_start, step_deadline, term_deadline, term_anchor, version, fingerprint"
#define EVENT_COLS                                                                         \
    "seq, event_id, case_id, type, at, service, state, result, late, finished, step_deadline, " \
    "term_deadline, recorded"

static const char *const statements[ST_PG_COUNT] = {
    [ST_FIND_EVENT] = "SELECT " EVENT_COLS ", raw FROM journal WHERE event_id = ?1",
    [ST_GET_CASE] = "SELECT " CASE_COLS " FROM cases WHERE case_id = ?1",
    [ST_LOCK_CASE] = "SELECT " CASE_COLS " FROM cases WHERE case_id = ?1{for update}",
    [ST_INSERT_EVENT] = "INSERT INTO journal (event_id, case_id, type, at, service, state, result, late, "
                        "finished, step_deadline, term_deadline, recorded, raw) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                        "ON CONFLICT (event_id) DO NOTHING{returning}",
    [ST_DELETE_EVENT] = "DELETE FROM journal WHERE seq = ?1",
    [ST_INSERT_CASE] = "INSERT INTO cases (" CASE_COLS ", due) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?16, ?17, ?18, ?15) "
                       "ON CONFLICT (case_id) DO NOTHING",
    [ST_UPDATE_CASE] = "UPDATE cases SET region = ?2, service = ?3, variant = ?4, channel = ?5, "
                       "state = ?6, result = ?7, late = ?8, finished = ?9, submitted = ?10, "
                       "last_event = ?11, step_start = ?12, step_deadline = ?13, term_deadline = ?14, "
                       "due = ?15, term_anchor = ?16, version = ?17, fingerprint = ?18 WHERE case_id = ?1",
    [ST_INSERT_REJECTION] = "INSERT INTO rejections (event_id, case_id, reason, message, recorded, raw) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_HISTORY] = "SELECT " EVENT_COLS " FROM journal WHERE case_id = ?1 ORDER BY seq",
    [ST_REJECTIONS] = "SELECT seq, event_id, case_id, reason, message, recorded FROM rejections "
                      "WHERE case_id = ?1 ORDER BY seq",
    [ST_OVERDUE] = "SELECT " CASE_COLS " FROM cases WHERE region = ?1 AND due < ?2 ORDER BY due, case_id",
    [ST_PG_LOCK_CASES] = "SELECT " CASE_COLS " FROM cases WHERE case_id = ANY(?1::text[]) "
                         "ORDER BY case_id{for update}",
    [ST_PG_JOURNALED] = "SELECT event_id, case_id FROM journal WHERE event_id = ANY(?1::text[])",
};

/* Migration i brings the schema to version i + 1. */
static const char *const migrations[REG_STORE_SCHEMA] = {
    "CREATE TABLE cases ("
    "  case_id       TEXT PRIMARY KEY,"
    "  region        TEXT NOT NULL,"
    "  service       TEXT NOT NULL,"
    "  variant       TEXT NOT NULL,"
    "  channel       TEXT,"
    "  state         TEXT NOT NULL,"
    "  result        TEXT NOT NULL,"
    "  late          INTEGER NOT NULL,"
    "  finished      INTEGER NOT NULL,"
    "  submitted     BIGINT NOT NULL,"
    "  last_event    BIGINT NOT NULL,"
    "  step_start    BIGINT,"
    "  step_deadline BIGINT,"
    "  term_deadline BIGINT,"
    "  due           BIGINT"
    ");"
    "CREATE INDEX cases_due ON cases (region, due) WHERE due IS NOT NULL;"
    "CREATE TABLE journal ("
    "  seq           {seq},"
    "  event_id      TEXT NOT NULL UNIQUE,"
    "  case_id       TEXT NOT NULL,"
    "  type          TEXT NOT NULL,"
    "  at            BIGINT NOT NULL,"
    "  service       TEXT NOT NULL,"
    "  state         TEXT NOT NULL,"
    "  result        TEXT NOT NULL,"
    "  late          INTEGER NOT NULL,"
    "  finished      INTEGER NOT NULL,"
    "  step_deadline BIGINT,"
    "  term_deadline BIGINT,"
    "  recorded      TEXT NOT NULL,"
    "  raw           TEXT NOT NULL"
    ");"
    "CREATE INDEX journal_case ON journal (case_id, seq);"
    "CREATE TABLE rejections ("
    "  seq           {seq},"
    "  event_id      TEXT,"
    "  case_id       TEXT,"
    "  reason        TEXT NOT NULL,"
    "  message       TEXT NOT NULL,"
    "  recorded      TEXT NOT NULL,"
    "  raw           TEXT"
    ");"
    "CREATE INDEX rejections_case ON rejections (case_id, seq) WHERE case_id IS NOT NULL;",
    /* 2: a term may count from an event the act names (the exam), not the
     * submission. Cases stored before counted theirs from the submission. */
    "ALTER TABLE cases ADD COLUMN term_anchor BIGINT;"
    "UPDATE cases SET term_anchor = submitted;",
    /* 3: the wording a case is pinned to and its model's fingerprint.
     * Cases stored before keep NULL: the service's own machine, unchecked. */
    "ALTER TABLE cases ADD COLUMN version TEXT;"
    "ALTER TABLE cases ADD COLUMN fingerprint TEXT;",
};

static const struct {
    const char *marker;
    const char *text[2]; /* SQLite, PostgreSQL */
} markers[] = {
    {"{seq}", {"INTEGER PRIMARY KEY", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"}},
    {"{for update}", {"", " FOR UPDATE"}},
    {"{returning}", {"", " RETURNING seq"}},
};

static char *render(const char *text, reg_sql_dialect dialect)
{
    /* Every marker's text is at most as long as 48 bytes more than the
     * marker; 3 markers at most a statement, so this bounds the output. */
    size_t cap = strlen(text) + 3 * 64 + 1;
    char *out = malloc(cap), *o = out;
    if (!out)
        return NULL;
    for (const char *p = text; *p;) {
        size_t k = 0, n = sizeof markers / sizeof markers[0];
        while (k < n && strncmp(p, markers[k].marker, strlen(markers[k].marker)) != 0)
            k++;
        if (k < n) {
            const char *t = markers[k].text[dialect];
            memcpy(o, t, strlen(t));
            o += strlen(t);
            p += strlen(markers[k].marker);
        } else {
            *o++ = *p == '?' && dialect == REG_SQL_POSTGRESQL ? '$' : *p;
            p++;
        }
    }
    *o = '\0';
    return out;
}

char *reg_sql_statement(int st, reg_sql_dialect dialect)
{
    return st >= 0 && st < (dialect == REG_SQL_POSTGRESQL ? ST_PG_COUNT : ST_COUNT) ? render(statements[st], dialect)
                                                                                  : NULL;
}

char *reg_sql_migration(int version, reg_sql_dialect dialect)
{
    return version >= 1 && version <= REG_STORE_SCHEMA ? render(migrations[version - 1], dialect) : NULL;
}
