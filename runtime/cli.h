/* cli.h - the command line of a region binary (build/bin/<region>). */
#ifndef REG_CLI_H
#define REG_CLI_H

#include <stddef.h>

#include "machine.h"

/* Runs one command over the machines of a region; returns the exit code:
 * 0 success, 1 a refused request or a failed check, 2 bad usage, 3 an
 * internal failure (calendar or store unreadable). */
int reg_cli_main(int argc, char **argv, const char *region, const reg_machine *const *machines,
                 size_t count);

#endif
