/* migrate.c - `<region> migrate`: moves the open cases pinned to one
 * wording of a service onto another wording of this binary, by a plan
 * (docs/semantics.md §10.1).
 *
 * Each open case of --from is planned on its own: its variant, channel and
 * carried result must exist in --to under the same id, and its current
 * step too, under the same id or the one `--map OLD=NEW` gives. A case
 * that cannot be planned stays where it is, and the run says why. A moved
 * case keeps its history, its submission, its late mark, the start of its
 * current step and the anchor of its term; its step deadline and its term
 * deadline are recomputed from them with the durations of --to. Every move
 * is journaled as a `migrate` event (the plan in its raw text), in the
 * same transaction as the case, so a move is never half done; moving the
 * same case again to the same wording is answered from the journal. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_view.h"
#include "engine.h"
#include "run.h"
#include "store.h"
#include "timefmt.h"
#include "version.h"

#define MAX_MAPS 64

typedef struct {
    const char *old_name, *new_name;
} name_map;

typedef struct {
    const char *from, *to, *spec, *at_text;
    int dry_run, json;
    name_map maps[MAX_MAPS];
    int nmaps;
} migrate_options;

/* The case ids of the open cases of --from, collected in a read pass. */
typedef struct {
    const char *from;
    char **ids;
    size_t n, cap;
} id_list;

static int collect(const reg_case_row *row, void *arg)
{
    id_list *l = arg;
    const char *version = row->version[0] ? row->version : row->service;
    if (row->finished || strcmp(version, l->from) != 0)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **ids = realloc(l->ids, cap * sizeof *ids);
        if (!ids)
            return REG_E_STORE;
        l->ids = ids;
        l->cap = cap;
    }
    if (!(l->ids[l->n] = strdup(row->case_id)))
        return REG_E_STORE;
    l->n++;
    return 0;
}

static const char *mapped(const migrate_options *o, const char *name)
{
    for (int i = 0; i < o->nmaps; i++)
        if (strcmp(o->maps[i].old_name, name) == 0)
            return o->maps[i].new_name;
    return name;
}

/* Plans one case onto `to`: 0 with the moved case in *out, or -1 with why. */
static int plan(const migrate_options *o, const reg_machine *to, const reg_calendar *cal, const reg_case_row *row,
                reg_case *out, char *why, size_t whylen)
{
    const char *dot = strchr(row->state, '.');
    const char *step = dot ? dot + 1 : row->state;
    const char *new_step = mapped(o, step);
    const char *new_result = mapped(o, row->result);
    if (reg_find_variant(to, row->variant) < 0) {
        snprintf(why, whylen, "`%s` has no variant `%s`", to->id, row->variant);
        return -1;
    }
    char state[2 * REG_STORE_NAME_MAX + 2];
    const char *slash = strchr(row->state, '/');
    int st = 0;
    if (slash) /* in a flow: CHANNEL/ITEM, items matched by id (or --map) */
        snprintf(state, sizeof state, "%.*s/%s", (int)(slash - row->state), row->state, mapped(o, slash + 1));
    else if (snprintf(state, sizeof state, "%s.%s", row->variant, new_step) >= 0)
        st = reg_find_state(to, state);
    if (!slash && (st < 0 || st >= to->first_result_state)) {
        if (new_step != step)
            snprintf(why, whylen, "step `%.100s` (mapped from `%.100s`) is not a step of variant `%.100s` in `%.100s`",
                     new_step, step, row->variant, to->id);
        else
            snprintf(why, whylen,
                     "step `%.100s` was removed in `%.100s` and no --map gives its counterpart: add --map %.100s=STEP",
                     step, to->id, step);
        return -1;
    }
    reg_case_saved saved = { row->variant, row->channel[0] ? row->channel : NULL, state, new_result, row->late,
                             row->submitted, row->last_event, row->step_start, row->step_deadline,
                             row->term_deadline, row->term_anchor };
    char restore_why[256];
    if (reg_case_restore(out, to, &saved, restore_why, sizeof restore_why) != 0) {
        snprintf(why, whylen, "%s", restore_why);
        return -1;
    }
    int rc = reg_case_restart_clocks(out, cal);
    if (rc != 0) {
        snprintf(why, whylen, "its deadlines cannot be computed: %s", reg_strerror(rc));
        return -1;
    }
    return 0;
}

static void row_of(const reg_case *c, const reg_case_row *old, reg_case_row *row)
{
    const reg_machine *m = c->machine;
    *row = *old;
    reg_store_copy(row->version, sizeof row->version, m->id);
    reg_store_copy(row->fingerprint, sizeof row->fingerprint, m->fingerprint ? m->fingerprint : "");
    reg_case_place(c, row->state, sizeof row->state);
    reg_store_copy(row->result, sizeof row->result, m->results[c->mc.result].id);
    row->step_deadline = c->step_deadline;
    row->term_deadline = c->term_deadline;
    row->term_anchor = c->term_anchor;
    row->term_unknown = reg_case_term_unknown(c);
}

/* The journal entry of a move: type `migrate`, the plan as its raw text. */
static int journal_move(reg_store *store, const reg_case_row *old, const reg_case_row *now, int64_t at,
                        const migrate_options *o, int *duplicate)
{
    reg_event_row e;
    memset(&e, 0, sizeof e);
    snprintf(e.event_id, sizeof e.event_id, "migrate:%.60s:%.40s:%.20s", old->case_id, now->version, now->fingerprint);
    reg_store_copy(e.case_id, sizeof e.case_id, old->case_id);
    reg_store_copy(e.type, sizeof e.type, "migrate");
    reg_store_copy(e.service, sizeof e.service, now->service);
    reg_store_copy(e.state, sizeof e.state, now->state);
    reg_store_copy(e.result, sizeof e.result, now->result);
    e.late = now->late;
    e.finished = now->finished;
    e.at = at;
    e.step_deadline = now->step_deadline;
    e.term_deadline = now->term_deadline;
    cJSON *raw = cJSON_CreateObject();
    cJSON_AddStringToObject(raw, "type", "migrate");
    cJSON_AddStringToObject(raw, "case", old->case_id);
    cJSON *from = cJSON_AddObjectToObject(raw, "from");
    cJSON_AddStringToObject(from, "version", old->version[0] ? old->version : old->service);
    cJSON_AddStringToObject(from, "fingerprint", old->fingerprint);
    cJSON_AddStringToObject(from, "state", old->state);
    cJSON *to = cJSON_AddObjectToObject(raw, "to");
    cJSON_AddStringToObject(to, "version", now->version);
    cJSON_AddStringToObject(to, "fingerprint", now->fingerprint);
    cJSON_AddStringToObject(to, "state", now->state);
    cJSON *map = cJSON_AddObjectToObject(raw, "map");
    for (int i = 0; i < o->nmaps; i++)
        cJSON_AddStringToObject(map, o->maps[i].old_name, o->maps[i].new_name);
    char *text = cJSON_PrintUnformatted(raw);
    cJSON_Delete(raw);
    if (!text)
        return REG_E_STORE;
    int rc = reg_store_insert_event(store, &e, text, strlen(text));
    free(text);
    *duplicate = rc == 0;
    return rc < 0 ? rc : 0;
}

static int parse_options(const reg_region *rg, int argc, char **argv, migrate_options *o)
{
    memset(o, 0, sizeof *o);
    o->spec = REG_DEFAULT_STORE;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
            o->from = argv[++i];
        else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
            o->to = argv[++i];
        else if (strcmp(argv[i], "--store") == 0 && i + 1 < argc)
            o->spec = argv[++i];
        else if (strcmp(argv[i], "--at") == 0 && i + 1 < argc)
            o->at_text = argv[++i];
        else if (strcmp(argv[i], "--dry-run") == 0)
            o->dry_run = 1;
        else if (strcmp(argv[i], "--map") == 0 && i + 1 < argc) {
            char *eq = strchr(argv[++i], '=');
            if (!eq || eq == argv[i] || !eq[1] || o->nmaps == MAX_MAPS) {
                fprintf(stderr, "%s migrate: --map takes OLD=NEW (a step or result id), not `%s`\n", rg->region,
                        argv[i]);
                return -1;
            }
            *eq = '\0';
            o->maps[o->nmaps].old_name = argv[i];
            o->maps[o->nmaps].new_name = eq + 1;
            o->nmaps++;
        } else {
            fprintf(stderr, "%s migrate: unexpected argument `%s`\n", rg->region, argv[i]);
            return -1;
        }
    }
    if (!o->from || !o->to) {
        fprintf(stderr, "usage: %s migrate --from VERSION --to VERSION [--map OLD=NEW]... [--dry-run] [--at TIME] "
                        "[--store S]\n", rg->region);
        return -1;
    }
    return 0;
}

int reg_cmd_migrate(const reg_region *rg, int argc, char **argv)
{
    migrate_options o;
    if (parse_options(rg, argc, argv, &o) != 0)
        return 2;
    const reg_machine *to = reg_region_machine(rg, o.to);
    if (!to) {
        fprintf(stderr, "%s migrate: this binary has no version `%s`; `list` names the versions it has\n", rg->region,
                o.to);
        return 2;
    }
    int64_t at;
    if (o.at_text) {
        if (parse_at(rg, "migrate", o.at_text, &at) != 0)
            return 2;
    } else {
        at = local_now();
    }
    reg_calendar *cal = reg_region_calendar(rg);
    if (!cal)
        return 3;
    char err[600];
    reg_store *store = reg_store_open(o.spec, !o.dry_run, err, sizeof err);
    if (!store) {
        fprintf(stderr, "%s migrate: %s\n", rg->region, err);
        reg_calendar_free(cal);
        return 3;
    }
    id_list ids = { o.from, NULL, 0, 0 };
    int rc = reg_store_begin(store, 0);
    if (rc == 0)
        rc = reg_store_overdue(store, rg->region, INT64_MAX, collect, &ids);
    reg_store_rollback(store);
    size_t moved = 0, cannot = 0, already = 0;
    for (size_t i = 0; rc == 0 && i < ids.n; i++) {
        reg_case_row row, now;
        if ((rc = reg_store_begin(store, !o.dry_run)) != 0)
            break;
        int found = reg_store_get_case(store, ids.ids[i], !o.dry_run, &row);
        if (found <= 0) {
            rc = found;
            reg_store_rollback(store);
            continue; /* gone or finished since the read pass */
        }
        if (strcmp(row.version, to->id) == 0 && to->fingerprint && strcmp(row.fingerprint, to->fingerprint) == 0) {
            already++; /* on the target wording already */
            reg_store_rollback(store);
            continue;
        }
        reg_case c;
        char why[600];
        if (strcmp(reg_machine_service(to), row.service) != 0) {
            snprintf(why, sizeof why, "`%s` is not a wording of `%s`", to->id, row.service);
            found = -1;
        } else {
            found = plan(&o, to, cal, &row, &c, why, sizeof why);
        }
        if (found < 0) {
            printf("cannot   %s at %s: %s\n", row.case_id, row.state, why);
            cannot++;
            reg_store_rollback(store);
            continue;
        }
        row_of(&c, &row, &now);
        char t1[REG_TIME_BUFSZ] = "-", t2[REG_TIME_BUFSZ] = "-";
        if (now.step_deadline != REG_NO_TIME)
            reg_format_time(now.step_deadline, t1);
        if (now.term_deadline != REG_NO_TIME)
            reg_format_time(now.term_deadline, t2);
        if (o.dry_run) {
            printf("would move %s: %s (%s) -> %s (%s), step deadline %s, term deadline %s\n", row.case_id,
                   row.state, row.version[0] ? row.version : row.service, now.state, now.version, t1, t2);
            moved++;
            reg_store_rollback(store);
            continue;
        }
        int duplicate = 0;
        rc = journal_move(store, &row, &now, at, &o, &duplicate);
        if (rc == 0 && !duplicate)
            rc = reg_store_update_case(store, &now) == 1 ? 0 : REG_E_STORE;
        if (rc == 0)
            rc = reg_store_commit(store);
        else
            reg_store_rollback(store);
        if (rc == 0 && !duplicate) {
            printf("moved    %s: %s (%s) -> %s (%s), step deadline %s, term deadline %s\n", row.case_id, row.state,
                   row.version[0] ? row.version : row.service, now.state, now.version, t1, t2);
            moved++;
        }
    }
    if (rc == 0)
        printf("%s %zu of %zu open cases of %s to %s; %zu cannot move\n", o.dry_run ? "would move" : "moved", moved,
               ids.n - already, o.from, o.to, cannot);
    else
        fprintf(stderr, "%s migrate: %s\n", rg->region, reg_store_error(store));
    for (size_t i = 0; i < ids.n; i++)
        free(ids.ids[i]);
    free(ids.ids);
    reg_store_close(store);
    reg_calendar_free(cal);
    return rc != 0 ? 3 : cannot && !o.dry_run ? 1 : 0;
}
