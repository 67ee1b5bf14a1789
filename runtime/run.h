/* run.h - the commands of a region binary that use the case store: run
 * (apply a stream of events, run.c), status and overdue (report.c).
 * docs/store.md describes the event format, the answers and the store. */
#ifndef REG_RUN_H
#define REG_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "calendar.h"
#include "machine.h"
#include "store.h"

#define REG_DEFAULT_STORE "cases.db"
/* Longest input line (without its newline); longer lines are refused
 * without being held in memory. */
#define REG_LINE_MAX (1024 * 1024)
/* Largest --batch. */
#define REG_BATCH_MAX 10000

/* The machines of one region, as the command line holds them. */
typedef struct {
    const char *region;
    const reg_machine *const *machines;
    size_t count;
    const char *calendar_path;
} reg_region;

/* Reads one event line exactly as `run` does before it looks at the store:
 * JSON, fields, types, ids, times. Returns 0 for a well-formed event, or -1
 * with the rejection's reason code in *reason (a static string). Used by the
 * event reader's fuzz harness and by tools that validate events first. */
int reg_run_read_event(const char *line, size_t len, const char **reason);

/* The machine of a service of the region, or NULL. */
const reg_machine *reg_region_machine(const reg_region *r, const char *service);
/* The machine a stored case is pinned to (runtime/version.h), or NULL with
 * why naming the missing version. */
const reg_machine *reg_region_case_machine(const reg_region *r, const char *service, const char *version,
                                           const char *fingerprint, char *why, size_t whylen);

/* What a run did, line by line. */
typedef struct {
    long lines;
    long accepted;    /* applied now */
    long duplicates;  /* applied before: acknowledged again */
    long rejected;
    long commits;
    int accepted_any; /* an event was applied, and latest is its time */
    int64_t latest;   /* the latest time of an applied event */
} reg_run_stats;

/* Reads events, one JSON object a line, from the file descriptor `in` and
 * applies them to the store; writes one JSON answer a line to `out`, each
 * only after the transaction that holds it has committed. Up to `batch`
 * events share a transaction; a batch is also committed when `in` has
 * nothing more to read at once, and at the end of the input. Returns 0
 * when every line was answered, or 1 when the store or the input failed
 * (the message is on stderr; answered lines stay durable). */
int reg_run_stream(const reg_region *r, const reg_calendar *cal, reg_store *store, int in, FILE *out,
                   int batch, reg_run_stats *stats);

/* The subcommands; argv[0] is the command's name. Exit codes as in cli.h,
 * except that run exits 1 when the store cannot be opened or written. */
int reg_cmd_run(const reg_region *r, int argc, char **argv);
int reg_cmd_status(const reg_region *r, int argc, char **argv);
int reg_cmd_overdue(const reg_region *r, int argc, char **argv);
int reg_cmd_migrate(const reg_region *r, int argc, char **argv);
/* calendar YEAR [--json] (calendar_cmd.c): a year's days off and status. */
int reg_cmd_calendar(const reg_region *r, int argc, char **argv);

/* Shared by the subcommands: the calendar (NULL after a message on
 * stderr), and working minutes as text ("1wd 2h05m", "0m"). */
reg_calendar *reg_region_calendar(const reg_region *r);
void reg_working_text(const reg_calendar *cal, int64_t minutes, char *buf, size_t len);

#endif
