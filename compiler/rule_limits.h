/* rule_limits.h - every limit regc puts on a rule file, in one place.
 *
 * A rule file that `regc check` accepts must work in every later stage:
 * the generated C, the file names of generated/, the case store of a
 * region binary and Graphviz rendering the diagrams. Each limit below is
 * derived from the stage it protects (and checked against it at compile
 * time where the runtime defines it), so that such a file is refused by
 * `regc check` with a message at its place, never later by gen, cc, the
 * store or dot. */
#ifndef REGC_RULE_LIMITS_H
#define REGC_RULE_LIMITS_H

#include <limits.h>
#include <stdint.h>

#include "../runtime/machine.h"
#include "../runtime/store.h"

/* A rule file is read whole into memory; a larger one is refused before
 * it is read, so a stray multi-gigabyte file cannot exhaust memory. */
#define MAX_FILE_BYTES (256L * 1024 * 1024)

/* Longest string literal accepted; a longer one is an error, not a crash. */
enum { MAX_STRING_BYTES = 1 << 20 };

/* Largest amount a duration may have (about 2700 years of minutes is far
 * more than any act states, and keeps every sum far from overflow). It is
 * stored in reg_duration.amount, an int32_t. */
#define MAX_DURATION_AMOUNT 1000000LL
_Static_assert(MAX_DURATION_AMOUNT <= INT32_MAX, "durations fit reg_duration.amount");

/* Bytes of a name (an identifier: regulation, region, variant, step,
 * result, actor, channel, outcome, flow item). The case store keeps a
 * region, service, variant, channel or result name in a column of
 * REG_STORE_NAME_MAX bytes, and a state as "variant.step": two names and
 * a dot. The longest generated file name, <service>.flow.<channel>.mmd,
 * then stays far below the NAME_MAX of a file system. */
enum { MAX_NAME_BYTES = (REG_STORE_NAME_MAX - 1) / 2 };
_Static_assert(2 * MAX_NAME_BYTES + 1 <= REG_STORE_NAME_MAX, "a state name fits the store");
_Static_assert(sizeof "result." - 1 + MAX_NAME_BYTES <= REG_STORE_NAME_MAX, "a result state fits the store");
_Static_assert(2 * MAX_NAME_BYTES + sizeof ".flow..mmd" - 1 <= NAME_MAX, "file names fit the file system");

/* Sizes the generated machine can hold: 16-bit state, result and outcome
 * numbers (0xFFFF is REG_NO_RESULT and REG_TO_END), 8-bit variant and
 * channel numbers (0xFF is REG_NO_VARIANT). Far above any act. */
enum { MAX_STATES = 10000, MAX_VARIANTS = 250, MAX_CHANNELS = 250 };
_Static_assert(MAX_STATES < REG_NO_RESULT && MAX_STATES < REG_TO_END, "states fit 16 bits");
_Static_assert(MAX_VARIANTS < REG_NO_VARIANT, "variants fit 8 bits");

/* Items of one flow: a case keeps its place in a flow as 1 + the item's
 * index in 8 bits (reg_machine_case.flow_pos, 0: in no flow). */
enum { MAX_FLOW_ITEMS = 250 };
_Static_assert(MAX_FLOW_ITEMS < 255, "a flow position fits 8 bits");
/* A case in a flow is stored at state CHANNEL/ITEM: two names and a slash. */
_Static_assert(2 * MAX_NAME_BYTES + 1 <= REG_STORE_NAME_MAX, "a flow position fits the store");

/* Bytes between the quotes of one string in a DOT file: Graphviz's scanner
 * refuses a longer quoted string ("longer than 16384?"), so a diagram label
 * is kept within this, escapes included. */
enum { MAX_DOT_STRING_BYTES = 16381 };

#endif
