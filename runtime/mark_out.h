/* mark_out.h - deadlines with their marks in the output of the region
 * binary's commands (timeline, run, status, overdue): the same fields in
 * every JSON answer, the same words in every table. */
#ifndef REG_MARK_OUT_H
#define REG_MARK_OUT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "deadline_mark.h"

/* The distinct sentences of the provisional and unknown deadlines of one
 * output, printed once under a table and referred to as [n]. */
#define REG_MAX_MARK_NOTES 8
typedef struct {
    char text[REG_MAX_MARK_NOTES][512];
    int n;
} reg_mark_notes;

/* Adds the sentence of a mark; returns its number (1...), or 0 when the
 * mark needs none. */
int reg_mark_note(reg_mark_notes *notes, const reg_calendar *cal, reg_mark mark);

/* Prints the notes as "  [n] sentence" lines after an empty line. */
void reg_mark_notes_print(const reg_mark_notes *notes);

/* Adds `key`: the time or null, `key_status`: none, definite, provisional
 * or unknown, and `key_note`: the sentence, for provisional and unknown. */
void reg_json_marked_time(cJSON *o, const char *key, const reg_calendar *cal, reg_mark mark, int64_t t);

/* A deadline for a table: "2027-01-05T18:00 (provisional) [1]" (with
 * the weekday after the time when `weekday` is set), "unknown [2]", "-"
 * for none; the sentence is added to notes. */
void reg_marked_time_text(reg_mark_notes *notes, const reg_calendar *cal, reg_mark mark, int64_t t, int weekday,
                          char *buf, size_t len);

#endif
