/* embed_example.c - a program of its own that embeds a region's machines.
 *
 * Built against build/lib/libeast_kazakhstan.a and the headers in
 * generated/east_kazakhstan/ and runtime/ (see docs/embedding.md), it lists
 * the region's services, then runs one case of the small-vessel certificate
 * from submission to its result, printing each deadline. */
#include <stdio.h>

#include "calendar.h"
#include "east_kazakhstan.h"
#include "engine.h"
#include "timefmt.h"

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "rules/calendar/kz.cal";
    reg_calendar *cal;
    char err[256];
    if (reg_calendar_load(path, &cal, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    for (size_t i = 0; i < east_kazakhstan_machine_count; i++)
        printf("service %s\n", east_kazakhstan_machines[i]->id);

    const reg_machine *m = &east_kazakhstan_small_vessel_certificate_machine;
    int64_t at;
    reg_parse_time("2026-12-11T10:00", &at);
    reg_case c;
    char why[256], t[REG_TIME_BUFSZ];
    if (reg_case_submit(&c, m, cal, "renewal", "portal", at, why, sizeof why) != REG_OK_APPLIED) {
        fprintf(stderr, "refused: %s\n", why);
        reg_calendar_free(cal);
        return 1;
    }
    /* the portal's intake: each of its checks holds at the submission */
    while (reg_case_in_intake(&c)) {
        const reg_flow_item *it = reg_case_flow_item(&c);
        if (reg_case_flow_event(&c, cal, it->id, it->is_check ? "holds" : NULL, at, why, sizeof why) != REG_OK_APPLIED) {
            fprintf(stderr, "refused: %s\n", why);
            reg_calendar_free(cal);
            return 1;
        }
    }
    reg_format_time(c.term_deadline, t);
    printf("term ends %s\n", t);
    while (!reg_case_finished(&c)) {
        const reg_state *s = reg_case_state(&c);
        reg_format_time(c.step_deadline, t);
        printf("%s by %s, due %s\n", s->step_id, m->actors[s->actor].id, t);
        /* every step is done right on its deadline */
        if (reg_case_apply(&c, cal, REG_EV_COMPLETE, s->step_id, NULL, c.step_deadline, why, sizeof why) !=
            REG_OK_APPLIED) {
            fprintf(stderr, "refused: %s\n", why);
            reg_calendar_free(cal);
            return 1;
        }
    }
    printf("result %s\n", m->results[c.mc.result].id);
    reg_calendar_free(cal);
    return 0;
}
