/* fuzz_events.c - libFuzzer harness for the event reader of the region
 * binaries: any bytes as one input line of `run`. It must answer with a
 * well-formed event or a rejection reason, never crash, leak or read out of
 * bounds (ASan and UBSan are on). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* `run` hands the reader a line without its newline and followed by a
     * NUL, as its line buffer does */
    char *line = malloc(size + 1);
    if (!line)
        return 0;
    memcpy(line, data, size);
    line[size] = '\0';
    const char *reason = NULL;
    int rc = reg_run_read_event(line, size, &reason);
    if ((rc == 0) != (reason == NULL))
        abort(); /* a rejection always says why */
    free(line);
    return 0;
}
