/* flow_place.h - where a case stands in its channel's flow, as `run`'s
 * answers, `status`, `overdue` and `show` tell it: in the intake or the
 * handover at an item, or refused at intake by a check. */
#ifndef REG_FLOW_PLACE_H
#define REG_FLOW_PLACE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "engine.h"

typedef struct {
    const reg_flow *flow;          /* NULL: the case is not in a flow */
    const char *channel;
    const char *phase;             /* "intake", "handover" or "intake_refused" */
    const reg_flow_item *item;     /* the item it is at (refused: where it ended) */
    /* intake_refused: the check that failed (NULL when a process led to
     * `error` without one) and the process that ended the intake. */
    const reg_flow_item *check, *process;
} reg_flow_place;

void reg_flow_place_of(const reg_case *c, reg_flow_place *p);

/* Adds "flow", "item" and "phase" to o, and "intake_refusal" for a case
 * refused at intake (the flow, the check and the process with their
 * texts and citations). Nothing when the case is not in a flow. */
void reg_flow_place_json(cJSON *o, const reg_flow_place *p);

/* One line of text: "in the intake of the portal flow, at check c1 (1-шарт)". */
void reg_flow_place_text(const reg_flow_place *p, char *buf, size_t len);

#endif
