/* store_valid.h - what a row read back from the case store must look like.
 *
 * The store is a file or a database that other programs can change (a
 * restore gone wrong, a hand-made UPDATE, a bad disk). Every time this
 * program writes is a minute of a year a calendar can cover (calendar.h:
 * REG_YEAR_MIN to REG_YEAR_MAX) or, in a column that allows it, no time at
 * all; anything else was not written by it. store.c checks each row as it
 * comes back, so the commands report such a row as corruption instead of
 * computing with it. */
#ifndef REG_STORE_VALID_H
#define REG_STORE_VALID_H

#include <stdint.h>

#include "store.h"

/* 1 when t is a minute within the years a calendar can cover. */
int reg_store_time_in_range(int64_t t);

/* 0, or REG_E_STORE with the reason in s's error. */
int reg_store_check_case(reg_store *s, const reg_case_row *c);
int reg_store_check_event(reg_store *s, const reg_event_row *e);

#endif
