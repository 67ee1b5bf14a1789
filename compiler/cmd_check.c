/* cmd_check.c - `regc check`: run the front end and the checks, report. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar_check.h"
#include "check.h"
#include "check_term.h"
#include "commands.h"
#include "diag.h"
#include "unit.h"
#include "util.h"

int use_color(FILE *f)
{
    const char *term = getenv("TERM");
    return isatty(fileno(f)) && !getenv("NO_COLOR") && term && strcmp(term, "dumb") != 0;
}

static void usage(FILE *out)
{
    fputs("usage: regc check [--json] [--terms] [--calendar FILE] [-Werror] [-Wno-NAME] [-WNAME] FILE...\n"
          "\n"
          "Parses each rule file, resolves its names, runs the checks of the process\n"
          "(docs/checks.md) and reports every error and warning as file:line:col with\n"
          "the source line, a caret and a hint.\n"
          "\n"
          "  --json     print the diagnostics as a JSON array on stdout\n"
          "  --terms    print on stdout, per variant and channel, the longest way's time\n"
          "             against the term (the figures of the term-exceeded check); with\n"
          "             --json, one object: {\"terms\": [...], \"diagnostics\": [...]}\n"
          "  --calendar FILE  the working-day calendar to check too (default: $REG_CALENDAR,\n"
          "             else rules/calendar/kz.cal when it exists): an error when it does not\n"
          "             load, a warning when its years or its confirmed years end within 60 days\n",
          out);
    check_usage(out);
    fputs("\n"
          "exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error\n",
          out);
}

int cmd_check(int argc, char **argv)
{
    bool json = false, terms = false;
    warn_options warn = { 0 };
    int nfiles = 0;
    const char *calendar = NULL;
    char **files = xcalloc((size_t)argc, sizeof *files);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            check_warn_free(&warn);
            free(files);
            return 0;
        } else if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "--terms") == 0) {
            terms = true;
        } else if (strcmp(a, "--calendar") == 0 && i + 1 < argc) {
            calendar = argv[++i];
        } else if (strncmp(a, "-W", 2) == 0) {
            if (check_warn_option(&warn, a, "regc check") != 0) {
                check_warn_free(&warn);
                free(files);
                return 2;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "regc check: unknown option `%s`\n", a);
            usage(stderr);
            check_warn_free(&warn);
            free(files);
            return 2;
        } else {
            files[nfiles++] = argv[i];
        }
    }
    calendar = calendar_check_path(calendar);
    if (nfiles == 0 && !calendar) {
        fputs("regc check: no input files\n", stderr);
        usage(stderr);
        check_warn_free(&warn);
        free(files);
        return 2;
    }
    diag_list d;
    diag_init(&d, &warn);
    /* --terms --json: one object, the figures then the diagnostics. */
    bool first = true;
    if (json && terms)
        fputs("{\"terms\": [", stdout);
    for (int i = 0; i < nfiles; i++) {
        unit u;
        unit_load(&u, files[i], &d, true);
        if (terms && u.low && json)
            term_figures_json(u.low, stdout, &first);
        else if (terms && u.low)
            term_figures_print(u.low, stdout);
        unit_free(&u);
    }
    if (json && terms)
        fputs("\n],\n\"diagnostics\": ", stdout);
    if (json)
        diag_print_json(&d, stdout);
    if (json && terms)
        fputs("}\n", stdout);
    else
        diag_print_text(&d, stderr, use_color(stderr));
    int errors = d.errors, warnings = d.warnings, cal_warnings = 0;
    if (calendar) {
        errors += calendar_check(calendar, stderr, &cal_warnings);
        warnings += cal_warnings;
    }
    if (!json && (errors || warnings))
        fprintf(stderr, "%d error%s, %d warning%s\n", errors, errors == 1 ? "" : "s", warnings,
                warnings == 1 ? "" : "s");
    diag_free(&d);
    check_warn_free(&warn);
    free(files);
    return errors ? 1 : 0;
}
