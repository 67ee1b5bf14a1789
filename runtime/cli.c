/* cli.c - subcommands of a region binary: list, show, timeline; run,
 * status and overdue live with the case store (run.c, report.c).
 *
 * Output for people is plain aligned text; `--json` gives the same facts
 * for programs, built with cJSON. Errors go to stderr with the exit codes
 * of cli.h. */
#include "cli.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "deadline.h"
#include "deadline_mark.h"
#include "mark_out.h"
#include "engine.h"
#include "intake.h"
#include "reg_error.h"
#include "run.h"
#include "timefmt.h"

#ifndef REG_DEFAULT_CALENDAR
#define REG_DEFAULT_CALENDAR "rules/calendar/kz.cal"
#endif

typedef struct {
    const char *region;
    const reg_machine *const *machines;
    size_t count;
    const char *calendar_path;
} region_ctx;

static const char *unit_text(uint8_t u)
{
    static const char *const names[] = { "m", "h", "wd", "cd" };
    return u < 4 ? names[u] : "?";
}

static void duration_text(reg_duration d, char *buf, size_t len)
{
    snprintf(buf, len, "%s%d%s", d.at_most ? "<=" : "", (int)d.amount, unit_text(d.unit));
}

static const reg_machine *find_machine(const region_ctx *ctx, const char *id)
{
    for (size_t i = 0; i < ctx->count; i++)
        if (strcmp(ctx->machines[i]->id, id) == 0)
            return ctx->machines[i];
    return NULL;
}

static int unknown_service(const region_ctx *ctx, const char *id)
{
    fprintf(stderr, "%s: unknown service `%s`\n", ctx->region, id);
    fprintf(stderr, "services of %s:", ctx->region);
    for (size_t i = 0; i < ctx->count; i++)
        fprintf(stderr, " %s", ctx->machines[i]->id);
    fputs("\n", stderr);
    return 1;
}

static reg_calendar *load_calendar(const region_ctx *ctx)
{
    reg_calendar *cal = NULL;
    char err[512];
    int rc = reg_calendar_load(ctx->calendar_path, &cal, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "%s: cannot load the calendar: %s\n", ctx->region, err);
        fputs("hint: give its path with --calendar FILE or REG_CALENDAR\n", stderr);
        return NULL;
    }
    return cal;
}

static void print_json(cJSON *j)
{
    char *s = cJSON_PrintUnformatted(j);
    if (s) {
        puts(s);
        free(s);
    }
    cJSON_Delete(j);
}

/* ---- list ---- */

static int cmd_list(const region_ctx *ctx, int argc, char **argv)
{
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else {
            fprintf(stderr, "usage: %s list [--json]\n", ctx->region);
            return 2;
        }
    }
    if (json) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < ctx->count; i++) {
            const reg_machine *m = ctx->machines[i];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "service", m->id);
            cJSON_AddStringToObject(o, "title", m->title_kk ? m->title_kk : "");
            cJSON_AddItemToObject(o, "valid_from", m->valid_from ? cJSON_CreateString(m->valid_from) : cJSON_CreateNull());
            cJSON_AddItemToObject(o, "valid_until", m->valid_until ? cJSON_CreateString(m->valid_until) : cJSON_CreateNull());
            if (m->service)
                cJSON_AddStringToObject(o, "wording_of", m->service);
            if (m->gap_reason) {
                cJSON *g = cJSON_AddObjectToObject(o, "after_gap");
                cJSON_AddStringToObject(g, "reason", m->gap_reason);
                cJSON_AddStringToObject(g, "cite", m->gap_cite ? m->gap_cite : "");
            }
            if (m->validity_note) {
                cJSON_AddItemToObject(o, "valid_from_certain", m->valid_from_certain ? cJSON_CreateString(m->valid_from_certain) : cJSON_CreateNull());
                cJSON_AddItemToObject(o, "valid_until_earliest", m->valid_until_earliest ? cJSON_CreateString(m->valid_until_earliest) : cJSON_CreateNull());
                cJSON_AddStringToObject(o, "validity_uncertain", m->validity_note);
            }
            cJSON_AddItemToArray(arr, o);
        }
        print_json(arr);
        return 0;
    }
    for (size_t i = 0; i < ctx->count; i++) {
        const reg_machine *m = ctx->machines[i];
        printf("%-34s %s%s%s%s%s%s\n", m->id, m->valid_until ? "[repealed " : "",
               m->valid_until ? m->valid_until : "", m->valid_until ? "] " : "", m->service ? "[wording of " : "",
               m->service ? m->service : "", m->service ? "]" : "");
        printf("    %s\n", m->title_kk ? m->title_kk : "");
        if (m->gap_reason)
            printf("    after a gap: %s (%s)\n", m->gap_reason, m->gap_cite ? m->gap_cite : "");
    }
    return 0;
}

/* Widths of the step and actor columns of a variant's table, so long ids
 * do not push the other columns out of line. */
static void column_widths(const reg_machine *m, const reg_variant *var, int *wstep, int *wactor)
{
    *wstep = 4;
    *wactor = 5;
    for (int s = 0; s < var->nsteps; s++) {
        const reg_state *st = &m->states[var->first_state + s];
        int ls = (int)strlen(st->step_id), la = (int)strlen(m->actors[st->actor].id);
        if (ls > *wstep)
            *wstep = ls;
        if (la > *wactor)
            *wactor = la;
    }
}

/* ---- show ---- */

/* The flows as a case runs them (docs/semantics.md, section 11): the items
 * a case waits at, in order, with what ends the intake when a check fails;
 * `steps`; the handover. */
static void show_flows(const reg_machine *m)
{
    for (int f = 0; f < m->nflows; f++) {
        const reg_flow *fl = &m->flows[f];
        char d[32] = "no time stated";
        if (fl->has_duration)
            duration_text(fl->duration, d, sizeof d);
        printf("\nflow %s (%s): %s; intake %s\n", m->channels[fl->channel].id, fl->cite ? fl->cite : "-",
               fl->label ? fl->label : "", d);
        for (int i = 0; i < fl->nitems; i++) {
            const reg_flow_item *it = &fl->items[i];
            const char *part = i < fl->steps_item ? "intake  " : i == fl->steps_item ? "        " : "handover";
            if (it->is_steps) {
                printf("  %s steps     the documents reach the provider; the variant's steps run  %s\n", part,
                       it->cite ? it->cite : "");
                continue;
            }
            char id[24];
            snprintf(id, sizeof id, "%s %s", it->is_check ? "check" : "process", it->id);
            printf("  %s %-13s", part, id);
            if (it->is_check && i < fl->steps_item)
                printf(" waits for {\"type\":\"flow\",\"item\":\"%s\",\"outcome\":\"holds\"|\"fails\"}; fails -> %s",
                       it->id, it->fail);
            else if (it->is_check)
                printf(" holds unless the result is negative; else -> %s", it->fail);
            else if (it->has_duration) {
                duration_text(it->duration, d, sizeof d);
                printf(" takes %s, waits for {\"type\":\"flow\",\"item\":\"%s\"}; -> %s", d, it->id, it->next);
            } else
                printf(" passed at once; -> %s%s", it->next,
                       strcmp(it->next, "error") == 0 && i < fl->steps_item ? " (the case ends intake_refused)" : "");
            printf("  %s\n", it->cite ? it->cite : "");
        }
    }
}

static int cmd_show(const region_ctx *ctx, int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s show SERVICE\n", ctx->region);
        return 2;
    }
    const reg_machine *m = find_machine(ctx, argv[1]);
    if (!m)
        return unknown_service(ctx, argv[1]);
    printf("%s (%s)\n", m->id, m->region);
    if (m->title_kk)
        printf("  title     %s\n", m->title_kk);
    if (m->title_ru)
        printf("  title ru  %s\n", m->title_ru);
    if (m->act)
        printf("  act       %s\n", m->act);
    if (m->standard)
        printf("  standard  %s\n", m->standard);
    if (m->provider)
        printf("  provider  %s\n", m->provider);
    printf("  in force  from %s until %s\n", m->valid_from ? m->valid_from : "-",
           m->valid_until ? m->valid_until : "(not repealed)");
    if (m->gap_reason)
        printf("  after gap no wording applies before %s: %s (%s)\n", m->valid_from ? m->valid_from : "-",
               m->gap_reason, m->gap_cite ? m->gap_cite : "");
    if (m->validity_note)
        printf("  uncertain surely in force from %s%s%s; %s\n", m->valid_from_certain ? m->valid_from_certain : "-",
               m->valid_until_earliest ? ", repeal possible from " : "",
               m->valid_until_earliest ? m->valid_until_earliest : "", m->validity_note);
    if (m->repealed)
        printf("  repealed  %s\n", m->repealed);
    if (m->nchannels) {
        printf("  channels ");
        for (int i = 0; i < m->nchannels; i++)
            printf(" %s", m->channels[i].id);
        printf("\n");
    }
    printf("  results  ");
    for (int i = 0; i < m->nresults; i++)
        printf(" %s%s", m->results[i].id, m->results[i].flag ? " (negative)" : "");
    printf("\n\nactors\n");
    for (int i = 0; i < m->nactors; i++)
        printf("  %-20s %s%s\n", m->actors[i].id, m->actors[i].label,
               m->actors[i].flag ? "  [outside body]" : "");
    for (int v = 0; v < m->nvariants; v++) {
        const reg_variant *var = &m->variants[v];
        char term[32] = "none";
        if (var->has_term)
            duration_text(var->term, term, sizeof term);
        printf("\nvariant %s: %s\n  result %s, term %s%s%s%s\n", var->id, var->label,
               m->results[var->result].id, term, var->term_from ? " from \"" : "",
               var->term_from ? var->term_from : "", var->term_from ? "\"" : "");
        if (var->term_anchor_event)
            printf("  the term counts from the event `%s`: {\"type\":\"anchor\",\"anchor\":\"%s\"}\n",
                   var->term_anchor_event, var->term_anchor_event);
        else if (var->term_anchor_step)
            printf("  the term counts from the moment the case reaches step `%s`\n", var->term_anchor_step);
        int wstep, wactor;
        column_widths(m, var, &wstep, &wactor);
        for (int s = 0; s < var->nsteps; s++) {
            const reg_state *st = &m->states[var->first_state + s];
            char d[32];
            duration_text(st->duration, d, sizeof d);
            printf("  %2d. %-*s %-*s %-7s", s + 1, wstep, st->step_id, wactor, m->actors[st->actor].id, d);
            for (int k = 0; k < st->nby_channel; k++) {
                char cd[32];
                duration_text(st->by_channel[k].duration, cd, sizeof cd);
                printf(" [%s %s]", m->channels[st->by_channel[k].channel].id, cd);
            }
            for (int k = 0; k < st->nonly; k++)
                printf("%s%s", k ? ", " : " only ", m->channels[st->only[k]].id);
            printf("  %s\n", st->cite ? st->cite : "");
            printf("      %s\n", st->action);
            for (int k = 0; k < st->nbranches; k++) {
                const reg_branch *b = &st->branches[k];
                const char *to = b->to.state == REG_TO_END ? "end" : m->states[b->to.state].name;
                printf("      on %s -> %s%s%s  (%s)\n", m->outcomes[b->outcome], to,
                       b->to.result != REG_NO_RESULT ? " with " : "",
                       b->to.result != REG_NO_RESULT ? m->results[b->to.result].id : "", b->condition);
            }
        }
    }
    show_flows(m);
    return 0;
}

/* ---- timeline ---- */

static const char *const weekdays[] = { "Monday", "Tuesday", "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday" };

/* ---- timeline ---- */

static void time_or_dash(int64_t t, char buf[REG_TIME_BUFSZ])
{
    if (t == REG_NO_TIME || reg_format_time(t, buf) != 0)
        snprintf(buf, REG_TIME_BUFSZ, "-");
}

/* The steps of variant v that a case through channel ch passes over
 * (`only` other channels): a JSON array, or a line of text. Nothing when
 * there are none, so timelines of other cases read as before. */
static void skipped_steps(const reg_machine *m, const reg_variant *v, uint8_t ch, cJSON *root)
{
    cJSON *arr = NULL;
    int n = 0;
    for (int i = 0; i < v->nsteps; i++) {
        const reg_state *st = &m->states[v->first_state + i];
        if (reg_state_applies(st, ch))
            continue;
        if (root) {
            if (!arr)
                arr = cJSON_AddArrayToObject(root, "skipped");
            cJSON_AddItemToArray(arr, cJSON_CreateString(st->step_id));
            continue;
        }
        printf("%s%s (only", n++ ? ", " : "\n  skipped through this channel: ", st->step_id);
        for (int k = 0; k < st->nonly; k++)
            printf("%s%s", k ? ", " : " ", m->channels[st->only[k]].id);
        printf(")");
    }
    if (!root && n)
        printf("\n");
}

static int cmd_timeline(const region_ctx *ctx, int argc, char **argv)
{
    const char *service = NULL, *variant = NULL, *channel = NULL, *submitted = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--variant") == 0 && i + 1 < argc)
            variant = argv[++i];
        else if (strcmp(argv[i], "--channel") == 0 && i + 1 < argc)
            channel = argv[++i];
        else if (strcmp(argv[i], "--submitted") == 0 && i + 1 < argc)
            submitted = argv[++i];
        else if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (argv[i][0] != '-' && !service)
            service = argv[i];
        else {
            fprintf(stderr, "%s timeline: unexpected argument `%s`\n", ctx->region, argv[i]);
            service = NULL;
            break;
        }
    }
    if (!service || !submitted) {
        fprintf(stderr,
                "usage: %s timeline SERVICE [--variant V] [--channel C] --submitted YYYY-MM-DDTHH:MM [--json]\n",
                ctx->region);
        return 2;
    }
    const reg_machine *m = find_machine(ctx, service);
    if (!m)
        return unknown_service(ctx, service);
    if (!variant)
        variant = m->variants[0].id;
    int64_t at;
    if (reg_parse_time(submitted, &at) != 0) {
        fprintf(stderr, "%s timeline: `%s` is not a time; write YYYY-MM-DDTHH:MM, e.g. 2026-12-11T10:00\n",
                ctx->region, submitted);
        return 2;
    }
    reg_calendar *cal = load_calendar(ctx);
    if (!cal)
        return 3;
    reg_case c;
    char why[256];
    reg_reason r = reg_case_submit(&c, m, cal, variant, channel, at, why, sizeof why);
    if (r != REG_OK_APPLIED) {
        fprintf(stderr, "%s timeline: %s\n", ctx->region, why);
        if (r == REG_R_UNKNOWN_VARIANT || r == REG_R_UNKNOWN_CHANNEL) {
            fputs(r == REG_R_UNKNOWN_VARIANT ? "variants:" : "channels:", stderr);
            int n = r == REG_R_UNKNOWN_VARIANT ? m->nvariants : m->nchannels;
            for (int i = 0; i < n; i++)
                fprintf(stderr, " %s", r == REG_R_UNKNOWN_VARIANT ? m->variants[i].id : m->channels[i].id);
            fputs("\n", stderr);
        }
        reg_calendar_free(cal);
        return 1;
    }
    /* Walk the main path: every step completes on its deadline and the
     * case follows each step's `->`. Once a deadline is unknown (past the
     * calendar's end) the later steps' times are unknown too; the path is
     * still shown. */
    const reg_variant *var = &m->variants[c.variant];
    int64_t arrival = at;
    reg_intake_arrival(m, c.channel, cal, at, &arrival);
    /* Every check of the intake holds and the intake uses all its time. */
    if (reg_case_in_intake(&c))
        reg_case_arrive(&c, cal, arrival == REG_NO_TIME ? at : arrival);
    int wstep, wactor;
    column_widths(m, var, &wstep, &wactor);
    cJSON *root = NULL, *steps = NULL;
    char t1[REG_TIME_BUFSZ], t2[REG_TIME_BUFSZ];
    reg_mark_notes notes = { 0 };
    if (json) {
        root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "service", m->id);
        cJSON_AddStringToObject(root, "variant", var->id);
        cJSON_AddItemToObject(root, "channel", channel ? cJSON_CreateString(channel) : cJSON_CreateNull());
        reg_format_time(at, t1);
        cJSON_AddStringToObject(root, "submitted", t1);
        if (arrival != at) {   /* only where the channel's intake takes time */
            time_or_dash(arrival, t1);
            cJSON_AddItemToObject(root, "arrival", arrival == REG_NO_TIME ? cJSON_CreateNull() : cJSON_CreateString(t1));
        }
        steps = cJSON_AddArrayToObject(root, "steps");
    } else {
        reg_format_time(at, t1);
        printf("%s, variant %s%s%s, submitted %s (%s)\n\n", m->id, var->id, channel ? ", channel " : "",
               channel ? channel : "", t1, weekdays[reg_weekday(reg_day_of(at))]);
        if (arrival != at) {
            const reg_flow *f = reg_intake_flow(m, c.channel);
            char dt[32];
            duration_text(f->duration, dt, sizeof dt);
            time_or_dash(arrival, t1);
            printf("  intake through %s takes %s (%s): the documents reach the provider at %s\n\n", channel, dt,
                   f->cite ? f->cite : "the act", arrival == REG_NO_TIME ? "an unknown time" : t1);
        }
        printf("  %-3s %-*s %-*s %-8s %-16s  %s\n", "#", wstep, "step", wactor, "actor", "takes", "start",
               "deadline");
    }
    int status = 0, known = 1;
    reg_mark first_unknown = { REG_MARK_UNKNOWN, 0 };
    for (int n = 1; !reg_case_finished(&c) && !reg_case_in_handover(&c) && n <= m->nstates; n++) {
        const reg_state *st = reg_case_state(&c);
        reg_duration d = reg_state_duration(st, c.channel);
        reg_mark mk = known ? reg_mark_deadline(cal, c.step_start, c.step_deadline, 1) : first_unknown;
        if (mk.kind == REG_MARK_UNKNOWN)
            first_unknown = mk;
        time_or_dash(known ? c.step_start : REG_NO_TIME, t1);
        time_or_dash(known ? c.step_deadline : REG_NO_TIME, t2);
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", st->step_id);
            cJSON_AddStringToObject(o, "actor", m->actors[st->actor].id);
            cJSON_AddItemToObject(o, "start", known ? cJSON_CreateString(t1) : cJSON_CreateNull());
            reg_json_marked_time(o, "deadline", cal, mk, c.step_deadline);
            reg_mark_note(&notes, cal, mk);
            cJSON_AddItemToArray(steps, o);
        } else {
            char dt[32], dl[600];
            duration_text(d, dt, sizeof dt);
            reg_marked_time_text(&notes, cal, mk, c.step_deadline, 1, dl, sizeof dl);
            printf("  %-3d %-*s %-*s %-8s %-16s  %s\n", n, wstep, st->step_id, wactor, m->actors[st->actor].id, dt,
                   known ? t1 : "unknown", dl);
        }
        int64_t done = c.step_deadline;
        if (done == REG_NO_TIME) {
            known = 0;
            done = c.last_event; /* the path goes on; its times are unknown */
        }
        r = reg_case_apply(&c, cal, REG_EV_COMPLETE, st->step_id, NULL, done, why, sizeof why);
        if (r != REG_OK_APPLIED) {
            fprintf(stderr, "%s timeline: %s\n", ctx->region, why);
            status = 1;
            break;
        }
    }
    /* The handover after the steps: each process that takes time, done on
     * its deadline (the checks after the steps follow the result). */
    cJSON *handover = json && reg_case_in_handover(&c) ? cJSON_AddArrayToObject(root, "handover") : NULL;
    for (int n = 0; status == 0 && reg_case_in_handover(&c) && n <= 255; n++) {
        const reg_flow_item *it = reg_case_flow_item(&c);
        reg_mark mk = known ? reg_mark_deadline(cal, c.step_start, c.step_deadline, 1) : first_unknown;
        time_or_dash(known ? c.step_start : REG_NO_TIME, t1);
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", it->id);
            cJSON_AddStringToObject(o, "flow", m->channels[c.channel].id);
            cJSON_AddItemToObject(o, "start", known ? cJSON_CreateString(t1) : cJSON_CreateNull());
            reg_json_marked_time(o, "deadline", cal, mk, c.step_deadline);
            reg_mark_note(&notes, cal, mk);
            cJSON_AddItemToArray(handover, o);
        } else {
            char dt[32], dl[600];
            duration_text(it->duration, dt, sizeof dt);
            reg_marked_time_text(&notes, cal, mk, c.step_deadline, 1, dl, sizeof dl);
            if (n == 0)
                printf("  handover through %s (%s):\n", m->channels[c.channel].id,
                       reg_case_flow(&c)->cite ? reg_case_flow(&c)->cite : "the act");
            printf("  %-3s %-*s %-*s %-8s %-16s  %s\n", "-", wstep, it->id, wactor, "", dt, known ? t1 : "unknown", dl);
        }
        int64_t done = c.step_deadline;
        if (done == REG_NO_TIME) {
            known = 0;
            done = c.last_event;
        }
        r = reg_case_flow_event(&c, cal, it->id, NULL, done, why, sizeof why);
        if (r != REG_OK_APPLIED) {
            fprintf(stderr, "%s timeline: %s\n", ctx->region, why);
            status = 1;
        }
    }
    /* A term counted from an event (the exam) has not started in a
     * timeline, which receives no such event: it is shown as pending. */
    int pending = reg_case_term_pending(&c);
    char pending_text[160] = "";
    if (pending)
        snprintf(pending_text, sizeof pending_text, "from the %s: not yet passed",
                 var->term_anchor_event ? var->term_anchor_event : var->term_anchor_step);
    reg_mark tm = reg_mark_deadline(cal, c.term_anchor != REG_NO_TIME ? c.term_anchor : c.submitted, c.term_deadline,
                                    var->has_term && !pending);
    int complete = known && tm.kind != REG_MARK_UNKNOWN;
    if (json) {
        reg_json_marked_time(root, "term_deadline", cal, tm, c.term_deadline);
        if (pending)
            cJSON_AddStringToObject(root, "term_pending", pending_text);
        reg_mark_note(&notes, cal, tm);
        skipped_steps(m, var, c.channel, root);
        cJSON_AddBoolToObject(root, "complete", complete);
        cJSON *arr = cJSON_AddArrayToObject(root, "notes");
        for (int i = 0; i < notes.n; i++)
            cJSON_AddItemToArray(arr, cJSON_CreateString(notes.text[i]));
        if (status == 0)
            print_json(root);
        else
            cJSON_Delete(root);
    } else if (status == 0) {
        skipped_steps(m, var, c.channel, NULL);
        if (pending) {
            char term[32];
            duration_text(var->term, term, sizeof term);
            printf("\n  term %s%s%s%s: pending, counted %s\n", term, var->term_from ? " from \"" : "",
                   var->term_from ? var->term_from : "", var->term_from ? "\"" : "", pending_text);
        } else if (tm.kind != REG_MARK_NONE) {
            char term[32], dl[600];
            duration_text(var->term, term, sizeof term);
            reg_marked_time_text(&notes, cal, tm, c.term_deadline, 1, dl, sizeof dl);
            printf("\n  term %s%s%s%s: %s\n", term, var->term_from ? " from \"" : "",
                   var->term_from ? var->term_from : "", var->term_from ? "\"" : "", dl);
        } else {
            printf("\n  the act states no term for this variant\n");
        }
        reg_mark_notes_print(&notes);
        if (!complete)
            printf("\n  the timeline is incomplete: some deadlines are unknown until the calendar is extended\n");
    }
    reg_calendar_free(cal);
    return status;
}

/* ---- entry ---- */

static void usage(const region_ctx *ctx, FILE *out)
{
    fprintf(out,
            "usage: %s [--calendar FILE] COMMAND [ARGS]\n"
            "\n"
            "The state services of region %s: their regulations compiled to state\n"
            "machines, with deadlines on the working-day calendar.\n"
            "\n"
            "commands:\n"
            "  list [--json]                 the services of the region\n"
            "  show SERVICE                  variants, steps, actors and terms of a service\n"
            "  timeline SERVICE [--variant V] [--channel C] --submitted YYYY-MM-DDTHH:MM [--json]\n"
            "                                every step's start and deadline, and the term's deadline\n"
            "  run [--store S] [--batch N]   apply events (JSON lines on stdin) to the cases in the store;\n"
            "                                one JSON answer a line on stdout, each once it is durable\n"
            "  status CASE [--store S] [--at TIME] [--json]\n"
            "                                a case: its state, deadlines, lateness and history\n"
            "  overdue --at TIME [--store S] [--json]\n"
            "                                open cases past a step or term deadline, latest first,\n"
            "                                and those whose deadline is unknown\n"
            "  calendar YEAR [--json]        the year's days off and worked weekend days, with their\n"
            "                                sources, and whether the year is confirmed\n"
            "  migrate --from VERSION --to VERSION [--map OLD=NEW]... [--dry-run] [--at TIME] [--store S]\n"
            "                                move the open cases of one wording onto another by a plan\n"
            "\n"
            "options:\n"
            "  --calendar FILE   the calendar data (default: $REG_CALENDAR, else %s)\n"
            "  -h, --help        this help\n"
            "  --store S         (run, status, overdue, migrate) an SQLite file, default %s, or a\n"
            "                    PostgreSQL URL postgresql://user@host:port/db\n"
            "\n"
            "exit status: 0 ok, 1 refused or failed, 2 usage error, 3 internal failure,\n"
            "4 (status) the case is stranded: it no longer fits the rules this binary was built from;\n"
            "run: 0 every line answered (rejections included), 1 the store failed, 2 usage\n",
            ctx->region, ctx->region, REG_DEFAULT_CALENDAR, REG_DEFAULT_STORE);
}

int reg_cli_main(int argc, char **argv, const char *region, const reg_machine *const *machines,
                 size_t count)
{
    region_ctx ctx = { region, machines, count, getenv("REG_CALENDAR") };
    if (!ctx.calendar_path || !*ctx.calendar_path)
        ctx.calendar_path = REG_DEFAULT_CALENDAR;
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--calendar") == 0 && i + 1 < argc) {
            ctx.calendar_path = argv[i + 1];
            i += 2;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(&ctx, stdout);
            return 0;
        } else {
            fprintf(stderr, "%s: unknown option `%s`\n", region, argv[i]);
            usage(&ctx, stderr);
            return 2;
        }
    }
    if (i >= argc) {
        usage(&ctx, stderr);
        return 2;
    }
    const char *cmd = argv[i];
    int sub_argc = argc - i;
    char **sub_argv = argv + i;
    for (int k = 1; k < sub_argc; k++)
        if (strcmp(sub_argv[k], "-h") == 0 || strcmp(sub_argv[k], "--help") == 0) {
            usage(&ctx, stdout);
            return 0;
        }
    if (strcmp(cmd, "list") == 0)
        return cmd_list(&ctx, sub_argc, sub_argv);
    if (strcmp(cmd, "show") == 0)
        return cmd_show(&ctx, sub_argc, sub_argv);
    if (strcmp(cmd, "timeline") == 0)
        return cmd_timeline(&ctx, sub_argc, sub_argv);
    reg_region reg = { ctx.region, ctx.machines, ctx.count, ctx.calendar_path };
    if (strcmp(cmd, "run") == 0)
        return reg_cmd_run(&reg, sub_argc, sub_argv);
    if (strcmp(cmd, "status") == 0)
        return reg_cmd_status(&reg, sub_argc, sub_argv);
    if (strcmp(cmd, "overdue") == 0)
        return reg_cmd_overdue(&reg, sub_argc, sub_argv);
    if (strcmp(cmd, "migrate") == 0)
        return reg_cmd_migrate(&reg, sub_argc, sub_argv);
    if (strcmp(cmd, "calendar") == 0)
        return reg_cmd_calendar(&reg, sub_argc, sub_argv);
    fprintf(stderr, "%s: unknown command `%s`\n", region, cmd);
    usage(&ctx, stderr);
    return 2;
}
