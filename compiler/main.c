/* main.c - the regc driver: command line, subcommands, exit codes.
 *
 * Exit status: 0 success, 1 the input has errors (or, for diff, the inputs
 * differ), 2 bad usage, 3 out of memory or an internal failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

#ifndef REGC_VERSION
#define REGC_VERSION "0.1.0"
#endif

static const command commands[] = {
    { "check", cmd_check, "check rule files and report errors and warnings" },
    { "fmt", cmd_fmt, "print rule files in canonical layout (-w: rewrite them)" },
    { "gen", cmd_gen, "compile rule files into generated/<region>/" },
    { "export", cmd_export, "print the JSON model or a diagram of a rule file" },
    { "diff", cmd_diff, "list (or draw) the changes in meaning between two rule files" },
    { "test", cmd_test, "run the scenarios next to rule files (.test) through the engine" },
};

static void usage(FILE *out)
{
    fputs("usage: regc COMMAND [OPTIONS] FILE...\n"
          "\n"
          "regc compiles regulations of state services (rules/<region>/<service>.reg).\n"
          "\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fputs("\n"
          "options:\n"
          "  -h, --help     show this help (also `regc COMMAND --help`)\n"
          "  --version      print the version\n"
          "\n"
          "exit status: 0 ok, 1 errors in the input, 2 usage error, 3 internal failure\n"
          "language reference: docs/language.md\n",
          out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("regc %s\n", REGC_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "regc: unknown command `%s`\n", name);
    fputs("run `regc --help` for the list of commands\n", stderr);
    return 2;
}
