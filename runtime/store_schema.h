/* store_schema.h - the one source of the case store's SQL: the schema
 * migrations and the statements, written once and rendered for each
 * back end's dialect (SQLite, PostgreSQL). docs/store.md describes the
 * tables. A migration is never edited once shipped: the next schema
 * change is a new entry. */
#ifndef REG_STORE_SCHEMA_H
#define REG_STORE_SCHEMA_H

#include "store.h"

typedef enum { REG_SQL_SQLITE, REG_SQL_POSTGRESQL } reg_sql_dialect;

/* The statements both back ends prepare when they open a store. */
enum {
    ST_FIND_EVENT,
    ST_GET_CASE,
    ST_LOCK_CASE,       /* the same, holding the row to the end of the transaction */
    ST_INSERT_EVENT,
    ST_DELETE_EVENT,
    ST_INSERT_CASE,
    ST_UPDATE_CASE,
    ST_INSERT_REJECTION,
    ST_HISTORY,
    ST_REJECTIONS,
    ST_OVERDUE,
    ST_COUNT,
    /* PostgreSQL only (a text[] parameter): a batch's cases, locked in one
     * order, and which of a batch's event ids are journaled already. */
    ST_PG_LOCK_CASES = ST_COUNT,
    ST_PG_JOURNALED,
    ST_PG_COUNT
};

/* The text of statement `st` (ST_*) or of the migration that brings the
 * schema to `version` (1 ... REG_STORE_SCHEMA), in the dialect: parameters
 * ?N or $N, the journal's sequence column, row locks, RETURNING. Returns a
 * string the caller frees, or NULL when out of memory. */
char *reg_sql_statement(int st, reg_sql_dialect dialect);
char *reg_sql_migration(int version, reg_sql_dialect dialect);

#endif
