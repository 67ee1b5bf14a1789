/* cmd_test.c - `regc test`: run the scenarios written next to the rule
 * files (docs/scenarios.md) through the runtime's engine and calendar, and
 * report failures like compiler errors; with --coverage, what they
 * exercise. */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calendar.h"
#include "calendar_check.h"
#include "commands.h"
#include "coverage.h"
#include "diag.h"
#include "json_out.h"
#include "machine_build.h"
#include "scenario.h"
#include "scenario_run.h"
#include "unit.h"
#include "util.h"

static void usage(FILE *out)
{
    fputs("usage: regc test [--json] [--coverage] [--diagrams DIR] [--calendar FILE] [--rules FILE]\n"
          "                 [FILE|DIR...]\n"
          "\n"
          "Runs the scenarios of rule files: rules/<region>/<service>.test next to\n"
          "rules/<region>/<service>.reg (docs/scenarios.md), through the engine and the\n"
          "working-day calendar of the region binaries. A failure is reported as\n"
          "file:line:col with what was expected, what the engine says, and a hint.\n"
          "\n"
          "  FILE       a .test file, or a .reg file (its .test is run); DIR: every .test\n"
          "             under it. Without one: every .test under rules/\n"
          "  --json     print the results and the failures as one JSON object on stdout\n"
          "  --coverage print per regulation which variants, channels, paths, steps,\n"
          "             branches and results the scenarios exercise, and a total\n"
          "  --diagrams DIR  also write <service>.<variant>.coverage.dot and .mmd into DIR,\n"
          "             covered parts green, the rest red and dashed\n"
          "  --rules FILE  run the scenarios against this rule file instead of the .reg\n"
          "             next to each (e.g. an edited copy)\n"
          "  --calendar FILE  the working-day calendar (default: $REG_CALENDAR, else\n"
          "             rules/calendar/kz.cal)\n"
          "\n"
          "exit status: 0 every scenario passed, 1 a scenario failed or a file has errors,\n"
          "2 usage error\n",
          out);
}

typedef struct {
    char **items;
    size_t n, cap;
} path_list;

static void add_path(path_list *l, char *p)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->n++] = p;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .test file under dir, depth first. */
static void walk(const char *dir, path_list *out, int depth)
{
    DIR *d = opendir(dir);
    if (!d || depth > 16) {
        if (d)
            closedir(d);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            walk(p, out, depth + 1);
            free(p);
        } else if (ends_with(p, ".test")) {
            add_path(out, p);
        } else {
            free(p);
        }
    }
    closedir(d);
}

/* The rule file a scenario file belongs to: the same name with .reg. */
static char *rule_path(const char *test)
{
    size_t n = strlen(test) - strlen(".test");
    return xasprintf("%.*s.reg", (int)n, test);
}

typedef struct {
    char *test, *rules;
    sc_tally tally;
    bool broken;         /* the rule file or the scenario file did not load */
} file_result;

int cmd_test(int argc, char **argv)
{
    bool json = false, want_coverage = false;
    const char *calendar = NULL, *diagrams = NULL, *rules = NULL;
    path_list files = { 0 };
    int status = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            goto done;
        } else if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "--coverage") == 0) {
            want_coverage = true;
        } else if (strcmp(a, "--diagrams") == 0 && i + 1 < argc) {
            diagrams = argv[++i];
            want_coverage = true;
        } else if (strcmp(a, "--calendar") == 0 && i + 1 < argc) {
            calendar = argv[++i];
        } else if (strcmp(a, "--rules") == 0 && i + 1 < argc) {
            rules = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "regc test: unknown option `%s`\n", a);
            usage(stderr);
            status = 2;
            goto done;
        } else {
            struct stat st;
            if (stat(a, &st) == 0 && S_ISDIR(st.st_mode)) {
                size_t before = files.n;
                walk(a, &files, 0);
                qsort(files.items + before, files.n - before, sizeof *files.items, by_name);
            } else if (ends_with(a, ".reg")) {
                char *t = xasprintf("%.*s.test", (int)(strlen(a) - 4), a);
                add_path(&files, t);
            } else {
                add_path(&files, xstrdup(a));
            }
        }
    }
    if (argc <= 1 || files.n == 0) {
        bool any_arg = false;
        for (int i = 1; i < argc; i++)
            any_arg |= argv[i][0] != '-' || strcmp(argv[i], "-") == 0;
        if (!any_arg) {
            walk("rules", &files, 0);
            qsort(files.items, files.n, sizeof *files.items, by_name);
        }
        if (files.n == 0) {
            fputs("regc test: no scenario files (rules/<region>/<service>.test)\n", stderr);
            status = 2;
            goto done;
        }
    }
    calendar = calendar_check_path(calendar);
    reg_calendar *cal = NULL;
    char err[512];
    if (!calendar || reg_calendar_load(calendar, &cal, err, sizeof err) != 0) {
        fprintf(stderr, "regc test: %s\n", calendar ? err : "no calendar: give --calendar FILE or set REG_CALENDAR");
        status = 2;
        goto done;
    }

    diag_list d;
    diag_init(&d, NULL);
    file_result *res = xcalloc(files.n, sizeof *res);
    cov_counts *counts = xcalloc(files.n, sizeof *counts);
    /* The coverage tables, printed after the results. */
    char *table_text = NULL;
    size_t table_len = 0;
    FILE *tables = open_memstream(&table_text, &table_len);
    if (!tables)
        out_of_memory();
    cov_counts total = { 0 };
    sc_tally all = { 0 };
    for (size_t i = 0; i < files.n; i++) {
        file_result *fr = &res[i];
        fr->test = files.items[i];
        if (!ends_with(fr->test, ".test")) {
            diag_hint(diag_plain(&d, fr->test, "not a scenario file"),
                      "scenarios live in rules/<region>/<service>.test, next to the rule file");
            fr->broken = true;
            continue;
        }
        fr->rules = rules ? xstrdup(rules) : rule_path(fr->test);
        int before = d.errors;
        scenario_file sf;
        scenario_read(&sf, fr->test, NULL, 0, &d);
        if (d.errors != before) {
            scenario_file_free(&sf);
            fr->broken = true;
            continue;
        }
        /* The rule file's warnings are regc check's business; its errors stop the run. */
        diag_list rd;
        diag_init(&rd, NULL);
        unit u;
        unit_load(&u, fr->rules, &rd, true);
        if (!u.ok || !u.low) {
            diagnostic *rec = diag_plain(&d, fr->test, "its rule file %s does not compile (%d error%s)", fr->rules,
                                         rd.errors, rd.errors == 1 ? "" : "s");
            diag_hint(rec, "run `regc check %s`", fr->rules);
            diag_free(&rd);
            unit_free(&u);
            scenario_file_free(&sf);
            fr->broken = true;
            continue;
        }
        diag_free(&rd);
        {
            arena mem;
            arena_init(&mem);
            coverage cov;
            coverage_init(&cov, u.low, machine_build(u.low, &mem), fr->rules);
            scenario_run_file(&sf, &cov, cal, &d, &fr->tally);
            all.scenarios += fr->tally.scenarios;
            all.passed += fr->tally.passed;
            all.failed += fr->tally.failed;
            coverage_count(&cov, &counts[i]);
            if (want_coverage) {
                coverage_print(&cov, tables, &total);
                coverage_print_missing(&cov, tables);
            }
            if (diagrams && coverage_diagrams(&cov, diagrams) != 0) {
                diag_plain(&d, diagrams, "cannot write the coverage diagrams of %s into this directory", fr->rules);
                fr->broken = true;
            }
            coverage_free(&cov);
            arena_free(&mem);
        }
        scenario_file_free(&sf);
        unit_free(&u);
    }
    fclose(tables);
    int broken = 0;
    for (size_t i = 0; i < files.n; i++)
        broken += res[i].broken;
    if (d.errors || all.failed || broken)
        status = 1;
    if (json) {
        printf("{\n\"scenarios\": %d, \"passed\": %d, \"failed\": %d,\n\"files\": [", all.scenarios, all.passed,
               all.failed);
        for (size_t i = 0; i < files.n; i++) {
            printf("%s\n {\"file\": ", i ? "," : "");
            json_write_string(stdout, res[i].test);
            printf(", \"scenarios\": %d, \"passed\": %d, \"failed\": %d, \"loaded\": %s", res[i].tally.scenarios,
                   res[i].tally.passed, res[i].tally.failed, res[i].broken ? "false" : "true");
            if (want_coverage && !res[i].broken) {
                fputs(", \"coverage\": {", stdout);
                for (int k = 0; k < CK_COUNT; k++)
                    printf("%s\"%s\": {\"covered\": %zu, \"total\": %zu}", k ? ", " : "",
                           coverage_kind_name((cov_kind)k), counts[i].hit[k], counts[i].total[k]);
                fputs("}", stdout);
            }
            fputs("}", stdout);
        }
        fputs("\n],\n\"diagnostics\": ", stdout);
        diag_print_json(&d, stdout);
        fputs("}\n", stdout);
    } else {
        diag_print_text(&d, stderr, use_color(stderr));
        for (size_t i = 0; i < files.n; i++) {
            const file_result *fr = &res[i];
            if (fr->broken)
                printf("ERROR %s: not run\n", fr->test);
            else
                printf("%s  %s: %d scenario%s, %d failed\n", fr->tally.failed ? "FAIL" : "ok  ", fr->test,
                       fr->tally.scenarios, fr->tally.scenarios == 1 ? "" : "s", fr->tally.failed);
        }
        if (want_coverage && table_len) {
            fputs("\ncoverage\n", stdout);
            fwrite(table_text, 1, table_len, stdout);
            coverage_print_total(&total, stdout);
        }
        printf("%d scenario%s, %d passed, %d failed", all.scenarios, all.scenarios == 1 ? "" : "s", all.passed,
               all.failed);
        if (broken)
            printf(", %d file%s not run", broken, broken == 1 ? "" : "s");
        fputs("\n", stdout);
    }
    free(table_text);
    for (size_t i = 0; i < files.n; i++)
        free(res[i].rules);
    free(res);
    free(counts);
    diag_free(&d);
    reg_calendar_free(cal);
done:
    for (size_t i = 0; i < files.n; i++)
        free(files.items[i]);
    free(files.items);
    return status;
}
