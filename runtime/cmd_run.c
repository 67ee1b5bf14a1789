/* cmd_run.c - the `run` command of a region binary: options, the store,
 * the stream, and the warning ahead of the calendar's end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar_horizon.h"
#include "run.h"
#include "timefmt.h"

static int run_usage(const reg_region *rg)
{
    fprintf(stderr, "usage: %s run [--store PATH|URL] [--batch N] < events.jsonl\n", rg->region);
    return 2;
}

int reg_cmd_run(const reg_region *rg, int argc, char **argv)
{
    const char *spec = REG_DEFAULT_STORE;
    int batch = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--store") == 0 && i + 1 < argc) {
            spec = argv[++i];
        } else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end || end == argv[i] || n < 1 || n > REG_BATCH_MAX) {
                fprintf(stderr, "%s run: --batch takes a number from 1 to %d\n", rg->region, REG_BATCH_MAX);
                return 2;
            }
            batch = (int)n;
        } else {
            fprintf(stderr, "%s run: unexpected argument `%s`\n", rg->region, argv[i]);
            return run_usage(rg);
        }
    }
    reg_calendar *cal = reg_region_calendar(rg);
    if (!cal)
        return 3;
    char err[600];
    reg_store *store = reg_store_open(spec, 1, err, sizeof err);
    if (!store) {
        fprintf(stderr, "%s run: %s\n", rg->region, err);
        reg_calendar_free(cal);
        return 1;
    }
    reg_run_stats stats;
    int status = reg_run_stream(rg, cal, store, 0, stdout, batch, &stats);
    fprintf(stderr, "%s run: %ld lines: %ld applied, %ld duplicates, %ld rejected; %ld commits\n", rg->region,
            stats.lines, stats.accepted, stats.duplicates, stats.rejected, stats.commits);
    /* Warn ahead of the calendar's end, from today or the latest event. */
    int64_t day = reg_today();
    if (stats.accepted_any && reg_day_of(stats.latest) > day)
        day = reg_day_of(stats.latest);
    char warning[600];
    if (reg_calendar_horizon(cal, day, REG_HORIZON_DAYS, warning, sizeof warning))
        fprintf(stderr, "%s run: warning: %s\n", rg->region, warning);
    reg_store_close(store);
    reg_calendar_free(cal);
    return status;
}
