/* flow_place.c - a case's place in its channel's flow (flow_place.h). */
#include "flow_place.h"

#include <stdio.h>
#include <string.h>

#include "intake.h"

/* From the failure branch of a check, the process whose `->` is `error`:
 * the walk passes processes as the engine does (at most nitems). */
static const reg_flow_item *refusal_process(const reg_flow *f, const reg_flow_item *from)
{
    const reg_flow_item *it = from, *last = from->is_check ? NULL : from;
    const char *to = from->is_check ? from->fail : from->next;
    for (int n = 0; n < f->nitems && strcmp(to, "error") != 0; n++) {
        int k = reg_flow_item_index(f, to);
        if (k < 0 || (it = &f->items[k])->is_check)
            return last;
        last = it;
        to = it->next;
    }
    return last;
}

void reg_flow_place_of(const reg_case *c, reg_flow_place *p)
{
    memset(p, 0, sizeof *p);
    const reg_flow_item *it = reg_case_flow_item(c);
    if (!it)
        return;
    p->flow = reg_case_flow(c);
    p->channel = c->machine->channels[c->channel].id;
    p->item = it;
    if (reg_case_intake_refused(c)) {
        p->phase = "intake_refused";
        p->check = it->is_check ? it : NULL;
        p->process = refusal_process(p->flow, it);
    } else {
        p->phase = reg_case_in_intake(c) ? "intake" : "handover";
    }
}

static void add_item(cJSON *o, const char *key, const reg_flow_item *it)
{
    if (!it) {
        cJSON_AddNullToObject(o, key);
        return;
    }
    cJSON *i = cJSON_AddObjectToObject(o, key);
    cJSON_AddStringToObject(i, "id", it->id);
    cJSON_AddStringToObject(i, "text", it->text ? it->text : "");
    cJSON_AddItemToObject(i, "cite", it->cite ? cJSON_CreateString(it->cite) : cJSON_CreateNull());
}

void reg_flow_place_json(cJSON *o, const reg_flow_place *p)
{
    if (!p->flow)
        return;
    cJSON_AddStringToObject(o, "flow", p->channel);
    cJSON_AddStringToObject(o, "item", p->item->id);
    cJSON_AddStringToObject(o, "phase", p->phase);
    if (!p->check && !p->process && strcmp(p->phase, "intake_refused") != 0)
        return;
    cJSON *r = cJSON_AddObjectToObject(o, "intake_refusal");
    cJSON_AddStringToObject(r, "flow", p->channel);
    cJSON_AddItemToObject(r, "flow_cite", p->flow->cite ? cJSON_CreateString(p->flow->cite) : cJSON_CreateNull());
    add_item(r, "check", p->check);
    add_item(r, "process", p->process);
}

/* Appends "WHAT ID (CITE)" to buf. */
static void add_named(char *buf, size_t len, const char *what, const reg_flow_item *it)
{
    size_t n = strlen(buf);
    if (n < len)
        snprintf(buf + n, len - n, "%s %s%s%s%s", what, it->id, it->cite ? " (" : "", it->cite ? it->cite : "",
                 it->cite ? ")" : "");
}

void reg_flow_place_text(const reg_flow_place *p, char *buf, size_t len)
{
    if (!len)
        return;
    buf[0] = '\0';
    if (!p->flow) {
        snprintf(buf, len, "not in a flow");
    } else if (strcmp(p->phase, "intake_refused") == 0) {
        snprintf(buf, len, "refused at intake through %s (%s): ", p->channel, p->flow->cite ? p->flow->cite : "the act");
        if (p->check)
            add_named(buf, len, "check", p->check);
        if (p->check && p->process)
            add_named(buf, len, " failed, then process", p->process);
        else if (p->check && strlen(buf) + sizeof " failed" <= len)
            strcat(buf, " failed");
        else if (p->process)
            add_named(buf, len, "process", p->process);
    } else {
        snprintf(buf, len, "in the %s of the %s flow, at ", p->phase, p->channel);
        add_named(buf, len, p->item->is_check ? "check" : "process", p->item);
    }
}
