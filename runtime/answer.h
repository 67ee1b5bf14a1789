/* answer.h - the JSON answer line `run` writes for each input line
 * (docs/store.md, "Answers"). */
#ifndef REG_ANSWER_H
#define REG_ANSWER_H

#include "calendar.h"
#include "event.h"
#include "run.h"
#include "store.h"

/* An applied event: the journal row e of its case c (c gives where the
 * clocks of the deadlines started, for their marks). The caller frees the
 * text; NULL when out of memory. */
char *answer_accepted(const reg_region *rg, const reg_calendar *cal, long line, const reg_event_row *e,
                      const reg_case_row *c, int duplicate, int differs);

/* A refused line, with the ids the line gave as strings. */
char *answer_rejected(long line, const event *ev, const refusal *rf);

#endif
