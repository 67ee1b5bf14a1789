/* commands.h - the subcommands of regc, one file each (cmd_*.c).
 * Each takes argv with argv[0] the command name and returns the exit code. */
#ifndef REGC_COMMANDS_H
#define REGC_COMMANDS_H

#include <stdio.h>

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

int cmd_check(int argc, char **argv);
int cmd_fmt(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_test(int argc, char **argv);

/* Shared by commands: true when stderr is a terminal that takes colour. */
int use_color(FILE *f);

#endif
