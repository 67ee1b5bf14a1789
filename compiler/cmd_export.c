/* cmd_export.c - `regc export`: print one generated artifact on stdout. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "commands.h"
#include "diag.h"
#include "unit.h"

static void export_usage(FILE *out)
{
    fputs("usage: regc export --json FILE\n"
          "\n"
          "Prints the machine-readable model of a regulation (docs/model.md).\n"
          "\n"
          "exit status: 0 ok, 1 errors in the input, 2 usage error\n",
          out);
}

int cmd_export(int argc, char **argv)
{
    const char *format = NULL, *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            export_usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            format = "json";
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "regc export: unknown option `%s`\n", argv[i]);
            export_usage(stderr);
            return 2;
        } else if (file) {
            fputs("regc export: one file at a time\n", stderr);
            return 2;
        } else {
            file = argv[i];
        }
    }
    if (!format || !file) {
        export_usage(stderr);
        return 2;
    }
    diag_list d;
    diag_init(&d, NULL);
    unit u;
    unit_load(&u, file, &d, true);
    int status = 0;
    if (d.errors) {
        diag_print_text(&d, stderr, use_color(stderr));
        status = 1;
    } else {
        char *text = emit_json(u.reg);
        fputs(text, stdout);
        free(text);
    }
    unit_free(&u);
    diag_free(&d);
    return status;
}
