/* emit_bpmn.c - BPMN 2.0 XML of a regulation, with its diagram laid out
 * (docs/diagrams.md), for the tools process people use (bpmn.io, Camunda
 * Modeler). Built from the lowered model only.
 *
 * One collaboration holds a pool per variant, for the provider, with a lane
 * per actor the variant uses (in the order the actors are declared), and a
 * pool per channel's information-system flow:
 *
 *   - a step is a task named "<step> · <duration>", its action and citation,
 *     with the durations and citation again in its documentation; the
 *     variant's statutory term is in the pool's name and the process's
 *     documentation (deadlines are documented, not timers: the act's terms
 *     count working time by a calendar that BPMN timers cannot express);
 *   - a step with branches is followed by an exclusive gateway: one flow per
 *     branch with its condition, the step's successor as the default flow;
 *   - each result the variant can end with is an end event; a `-> end` that
 *     can finish with several results goes through a gateway that tells them
 *     apart by the result the case carries;
 *   - in a flow a process is a task and a check (шарт) is a task followed by
 *     a gateway with a `yes` flow and an `else` flow (the default) to its
 *     failure path; a flow ends in an end event or an error end event.
 *
 * Layout is regc's own and fixed: steps (or flow items) in the act's order
 * along x, one column each, lanes stacked along y; the failure paths of a
 * flow on a second row. No position depends on a text, so changing a
 * duration changes one line of the file. Ids are names from the rule file
 * (v-<variant>-step-<step>, f-<channel>-item-<item>, ...), never counters.
 *
 * Every text is escaped as XML character data: `&`, `<`, `>` and `"` as
 * entities, line breaks as `&#10;`, characters a reader cannot see as
 * numeric references, and what XML 1.0 cannot hold at all (control
 * characters, U+FFFE, U+FFFF) as the visible text <U+XXXX>. */
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "diagram.h"
#include "util.h"
#include "validity.h"

/* ---- the layout's measures, in pixels ---- */
enum {
    POOL_BAND = 30,    /* the pool's name, left of its lanes */
    LANE_BAND = 30,    /* a lane's name */
    LANE_H = 180,      /* a lane, or a row of a flow */
    START_COL = 110,   /* the column of the start event */
    COL = 340,         /* the column of a step: a task and the gateway after it */
    RESULT_COL = 150,  /* the column of an end event */
    TASK_W = 200,
    TASK_H = 140,
    TASK_X = 40,       /* the task's left edge in its column */
    GATE_X = 280,      /* the gateway's left edge in its column */
    GATE = 50,
    EVENT = 36,
    END_LABEL_H = 56,  /* the name below an end event */
    POOL_GAP = 60,     /* between two pools */
    POOL_END = 40      /* right of the last column */
};

/* ---- XML text ---- */

static void xml_text(strbuf *b, const char *s)
{
    const char *run = s; /* characters written as they are, in one piece */
    while (*s) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c < 0x7F && c != '&' && c != '<' && c != '>' && c != '"') {
            s++;
            continue;
        }
        if (utf8_plain_pair(s)) {
            s += 2;
            continue;
        }
        sb_addn(b, run, (size_t)(s - run));
        unsigned cp;
        size_t n = utf8_decode(s, &cp);
        switch (cp) {
        case '&': sb_add(b, "&amp;"); break;
        case '<': sb_add(b, "&lt;"); break;
        case '>': sb_add(b, "&gt;"); break;
        case '"': sb_add(b, "&quot;"); break;
        case '\n': sb_add(b, "&#10;"); break;
        case '\t': sb_add(b, "&#9;"); break;
        default:
            if (cp < 0x20 || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF)
                sb_printf(b, "&lt;U+%04X&gt;", cp);
            else if (utf8_invisible(cp))
                sb_printf(b, "&#%u;", cp);
            else
                sb_addn(b, s, n);
        }
        s += n;
        run = s;
    }
    sb_addn(b, run, (size_t)(s - run));
}

/* ---- the model as it will be written ---- */

/* BN_CALL: a flow's `steps`, where the provider's steps (a variant's pool) run. */
typedef enum { BN_START, BN_TASK, BN_CALL, BN_GATEWAY, BN_END, BN_ERROR } bn_kind;

typedef struct {
    char *id;
    bn_kind kind;
    char *name;        /* NULL: none */
    char *doc;         /* NULL: none */
    size_t lane;       /* index into the pool's lanes; LW_NONE in a pool without lanes */
    char *deflt;       /* a gateway's default flow */
    int x, y, w, h;
} bnode;

typedef struct {
    char *id;
    size_t from, to;   /* node indices */
    char *name;
    char *cond;        /* the condition expression, NULL: none */
} bflow;

typedef struct {
    char *id;
    char *name;
    char *doc;
} blane;

typedef struct {
    char *key;         /* v-<variant> or f-<channel> */
    char *name, *doc;
    blane *lanes; size_t nlanes;
    bnode *nodes; size_t nnodes;
    bflow *flows; size_t nflows;
    int x, y, w, h;
} bpool;

static size_t add_node(bpool *p, char *id, bn_kind kind, char *name, char *doc, size_t lane)
{
    p->nodes = xgrow(p->nodes, p->nnodes, sizeof *p->nodes);
    p->nodes[p->nnodes] = (bnode){ id, kind, name, doc, lane, NULL, 0, 0, 0, 0 };
    return p->nnodes++;
}

static void add_flow(bpool *p, char *id, size_t from, size_t to, char *name, char *cond)
{
    p->flows = xgrow(p->flows, p->nflows, sizeof *p->flows);
    p->flows[p->nflows++] = (bflow){ id, from, to, name, cond };
}

static void place(bnode *n, int x, int y, int w, int h)
{
    n->x = x;
    n->y = y;
    n->w = w;
    n->h = h;
}

static void pool_free(bpool *p)
{
    for (size_t i = 0; i < p->nlanes; i++) {
        free(p->lanes[i].id);
        free(p->lanes[i].name);
        free(p->lanes[i].doc);
    }
    for (size_t i = 0; i < p->nnodes; i++) {
        free(p->nodes[i].id);
        free(p->nodes[i].name);
        free(p->nodes[i].doc);
        free(p->nodes[i].deflt);
    }
    for (size_t i = 0; i < p->nflows; i++) {
        free(p->flows[i].id);
        free(p->flows[i].name);
        free(p->flows[i].cond);
    }
    free(p->lanes);
    free(p->nodes);
    free(p->flows);
    free(p->key);
    free(p->name);
    free(p->doc);
}

/* ---- a variant ---- */

typedef struct {
    size_t task;       /* node of the step's task */
    size_t branch;     /* its branch gateway, LW_NONE: none */
    size_t carried;    /* the gateway before its `-> end` results, LW_NONE: none */
} step_nodes;

/* The node a target of step s leads to; result_node[x] is the end event of
 * result x. */
static size_t target_node(const lw_step *s, const lw_target *t, const step_nodes *sn,
                          const size_t *result_node)
{
    switch (t->kind) {
    case LW_TO_STEP: return sn[t->step].task;
    case LW_TO_RESULT: return result_node[t->result];
    case LW_TO_END: break;
    }
    return sn[s->index].carried != LW_NONE ? sn[s->index].carried : result_node[s->carried[0]];
}

static char *target_name(const regulation *r, const branch *br, const lw_target *t)
{
    strbuf b;
    sb_init(&b);
    if (br)
        sb_printf(&b, "%s: %s", br->outcome.name, br->condition ? br->condition : "");
    if (t->kind == LW_TO_STEP && t->result != LW_NONE)
        sb_printf(&b, "%swith %s", br ? "\n" : "", r->results[t->result].id.name);
    if (b.len == 0) {
        sb_free(&b);
        return NULL;
    }
    return sb_take(&b);
}

static char *step_doc(const regulation *r, const lw_step *s)
{
    strbuf b;
    sb_init(&b);
    const actor_decl *a = &r->actors[s->actor];
    sb_printf(&b, "step %s\nactor %s: %s%s\nduration ", s->src->id.name, a->id.name, a->label,
              a->external ? " (external)" : "");
    dg_put_duration(&b, s->dur);
    for (size_t k = 0; k < s->nby_channel; k++) {
        sb_printf(&b, "\nduration on %s ", r->channels[s->by_channel[k].channel].id.name);
        dg_put_duration(&b, s->by_channel[k].dur);
    }
    dg_put_only(&b, r, s, "\nonly for ");
    if (s->src->cite)
        sb_printf(&b, "\ncite %s", s->src->cite);
    return sb_take(&b);
}

static char *step_name(const regulation *r, const lw_step *s)
{
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "%s · ", s->src->id.name);
    dg_put_duration(&b, s->dur);
    for (size_t k = 0; k < s->nby_channel; k++) {
        sb_add(&b, k == 0 ? " (" : ", ");
        sb_printf(&b, "%s ", r->channels[s->by_channel[k].channel].id.name);
        dg_put_duration(&b, s->by_channel[k].dur);
    }
    if (s->nby_channel)
        sb_addc(&b, ')');
    dg_put_only(&b, r, s, "\nonly ");
    sb_printf(&b, "\n%s", s->src->action);
    if (s->src->cite)
        sb_printf(&b, "\n%s", s->src->cite);
    return sb_take(&b);
}

static char *variant_doc(const regulation *r, const lw_variant *lv)
{
    const variant_decl *v = lv->src;
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "variant %s: %s\nresult %s\nterm ", v->id.name, v->label ? v->label : "",
              r->results[lv->result].id.name);
    if (v->has_term) {
        dg_put_duration(&b, &v->term);
        if (v->term_from)
            sb_printf(&b, " from %s", v->term_from);
    } else {
        sb_add(&b, "not stated");
    }
    if (v->cite)
        sb_printf(&b, "\ncite %s", v->cite);
    return sb_take(&b);
}

static void variant_pool(const lowered *low, const lw_variant *lv, bpool *p)
{
    const regulation *r = low->r;
    const variant_decl *v = lv->src;
    memset(p, 0, sizeof *p);
    p->key = xasprintf("v-%s", v->id.name);
    {
        strbuf b;
        sb_init(&b);
        sb_printf(&b, "variant %s · term ", v->id.name);
        if (v->has_term)
            dg_put_duration(&b, &v->term);
        else
            sb_add(&b, "not stated");
        p->name = sb_take(&b);
    }
    p->doc = variant_doc(r, lv);

    /* Lanes: the actors the variant's steps use, in declaration order. */
    size_t *lane_of_actor = xcalloc(r->nactors, sizeof *lane_of_actor);
    bool *uses = xcalloc(r->nactors + 1, sizeof *uses);
    for (size_t i = 0; i < lv->nsteps; i++)
        uses[lv->steps[i].actor] = true;
    for (size_t a = 0; a < r->nactors; a++) {
        lane_of_actor[a] = LW_NONE;
        if (!uses[a])
            continue;
        lane_of_actor[a] = p->nlanes;
        p->lanes = xgrow(p->lanes, p->nlanes, sizeof *p->lanes);
        const actor_decl *ad = &r->actors[a];
        p->lanes[p->nlanes++] = (blane){ xasprintf("%s-lane-%s", p->key, ad->id.name), xstrdup(ad->label),
                                         xasprintf("actor %s%s", ad->id.name, ad->external ? " (external)" : "") };
    }
    free(uses);

    /* Results the variant can end with: those its targets name, in
     * declaration order; each in the lane of the first step leading to it. */
    size_t nr = r->nresults;
    size_t *result_lane = xcalloc(nr + 1, sizeof *result_lane);
    for (size_t x = 0; x < nr; x++)
        result_lane[x] = LW_NONE;
    for (size_t i = 0; i < lv->nsteps; i++) {
        const lw_step *s = &lv->steps[i];
        size_t lane = lane_of_actor[s->actor];
        for (size_t k = 0; k < lw_ntargets(s); k++) {
            const lw_target *t = lw_target_at(s, k);
            if (t->kind == LW_TO_RESULT && result_lane[t->result] == LW_NONE)
                result_lane[t->result] = lane;
            else if (t->kind == LW_TO_END)
                for (size_t c = 0; c < s->ncarried; c++)
                    if (result_lane[s->carried[c]] == LW_NONE)
                        result_lane[s->carried[c]] = lane;
        }
    }

    size_t first_lane = lv->nsteps ? lane_of_actor[lv->steps[0].actor] : 0;
    size_t start = add_node(p, xasprintf("%s-start", p->key), BN_START, xstrdup("start"), NULL, first_lane);
    step_nodes *sn = xcalloc(lv->nsteps + 1, sizeof *sn);
    for (size_t i = 0; i < lv->nsteps; i++) {
        const lw_step *s = &lv->steps[i];
        size_t lane = lane_of_actor[s->actor];
        sn[i].task = add_node(p, xasprintf("%s-step-%s", p->key, s->src->id.name), BN_TASK, step_name(r, s),
                              step_doc(r, s), lane);
        sn[i].branch = sn[i].carried = LW_NONE;
        if (s->nbranches)
            sn[i].branch = add_node(p, xasprintf("%s-branch-%s", p->key, s->src->id.name), BN_GATEWAY,
                                    xasprintf("%s: outcome", s->src->id.name), NULL, lane);
        bool to_end = false;
        for (size_t k = 0; k < lw_ntargets(s); k++)
            to_end |= lw_target_at(s, k)->kind == LW_TO_END;
        if (to_end && s->ncarried > 1)
            sn[i].carried = add_node(p, xasprintf("%s-carried-%s", p->key, s->src->id.name), BN_GATEWAY,
                                     xasprintf("%s: result carried", s->src->id.name), NULL, lane);
    }
    size_t *result_node = xcalloc(nr + 1, sizeof *result_node);
    for (size_t x = 0; x < nr; x++) {
        result_node[x] = LW_NONE;
        if (result_lane[x] == LW_NONE)
            continue;
        const result_decl *res = &r->results[x];
        result_node[x] = add_node(p, xasprintf("%s-result-%s", p->key, res->id.name), BN_END,
                                  xasprintf("%s: %s", res->id.name, res->label),
                                  xasprintf("result %s%s", res->id.name, res->negative ? " (negative)" : ""),
                                  result_lane[x]);
    }

    /* Flows, in step order: into the first step, then per step its gateway
     * and branches before its successor, then its carried results. */
    if (lv->nsteps)
        add_flow(p, xasprintf("%s-next-start", p->key), start, sn[0].task, NULL, NULL);
    for (size_t i = 0; i < lv->nsteps; i++) {
        const lw_step *s = &lv->steps[i];
        const char *sid = s->src->id.name;
        size_t from = sn[i].task;
        if (sn[i].branch != LW_NONE) {
            add_flow(p, xasprintf("%s-to-branch-%s", p->key, sid), sn[i].task, sn[i].branch, NULL, NULL);
            from = sn[i].branch;
            for (size_t k = 0; k < s->nbranches; k++) {
                const lw_branch *b = &s->branches[k];
                add_flow(p, xasprintf("%s-on-%s-%s", p->key, sid, b->src->outcome.name), from,
                         target_node(s, &b->to, sn, result_node), target_name(r, b->src, &b->to),
                         xstrdup(b->src->condition ? b->src->condition : b->src->outcome.name));
            }
            p->nodes[from].deflt = xasprintf("%s-next-%s", p->key, sid);
        }
        add_flow(p, xasprintf("%s-next-%s", p->key, sid), from, target_node(s, &s->next, sn, result_node),
                 target_name(r, NULL, &s->next), NULL);
        if (sn[i].carried != LW_NONE)
            for (size_t c = 0; c < s->ncarried; c++) {
                const char *res = r->results[s->carried[c]].id.name;
                add_flow(p, xasprintf("%s-carried-%s-%s", p->key, sid, res), sn[i].carried,
                         result_node[s->carried[c]], xasprintf("with %s", res),
                         xasprintf("the case carries the result %s", res));
            }
    }

    /* Columns: the start event, a column per step (task, then gateways),
     * a column per result. */
    int x0 = POOL_BAND + LANE_BAND;
    place(&p->nodes[start], x0 + (START_COL - EVENT) / 2, (int)first_lane * LANE_H + (LANE_H - EVENT) / 2,
          EVENT, EVENT);
    for (size_t i = 0; i < lv->nsteps; i++) {
        int cx = x0 + START_COL + (int)i * COL;
        int ly = (int)p->nodes[sn[i].task].lane * LANE_H;
        place(&p->nodes[sn[i].task], cx + TASK_X, ly + (LANE_H - TASK_H) / 2, TASK_W, TASK_H);
        int gy = ly + (LANE_H - GATE) / 2;
        if (sn[i].branch != LW_NONE)
            place(&p->nodes[sn[i].branch], cx + GATE_X, gy, GATE, GATE);
        if (sn[i].carried != LW_NONE)
            place(&p->nodes[sn[i].carried], cx + GATE_X, sn[i].branch != LW_NONE ? ly + LANE_H - GATE - 4 : gy,
                  GATE, GATE);
    }
    int rx = x0 + START_COL + (int)lv->nsteps * COL;
    for (size_t x = 0; x < nr; x++) {
        if (result_node[x] == LW_NONE)
            continue;
        place(&p->nodes[result_node[x]], rx + (RESULT_COL - EVENT) / 2,
              (int)result_lane[x] * LANE_H + (LANE_H - EVENT) / 2, EVENT, EVENT);
        rx += RESULT_COL;
    }
    p->w = rx + POOL_END;
    p->h = (int)(p->nlanes ? p->nlanes : 1) * LANE_H;

    free(result_node);
    free(sn);
    free(result_lane);
    free(lane_of_actor);
}

/* ---- an information-system flow ---- */

static char *item_doc(const flow_item *it)
{
    strbuf b;
    sb_init(&b);
    if (it->kind == FLOW_STEPS)
        sb_add(&b, "steps: the documents reach the provider; the variant's steps run (its pool)");
    else
        sb_printf(&b, "%s %s", flow_item_keyword(it->kind), it->id.name);
    if (it->has_duration) {
        sb_add(&b, "\nduration ");
        dg_put_duration(&b, &it->dur);
    }
    if (it->cite)
        sb_printf(&b, "\ncite %s", it->cite);
    return sb_take(&b);
}

static void flow_pool(const lowered *low, const lw_flow *lf, bpool *p)
{
    const regulation *r = low->r;
    const flow_decl *f = lf->src;
    memset(p, 0, sizeof *p);
    p->key = xasprintf("f-%s", f->channel.name);
    const char *channel_label = r->channels[lf->channel].label;
    p->name = xasprintf("flow %s: %s", f->channel.name, channel_label ? channel_label : f->channel.name);
    {
        strbuf b;
        sb_init(&b);
        sb_printf(&b, "flow %s: %s\nchannel %s", f->channel.name, f->label ? f->label : "", f->channel.name);
        if (f->has_duration) {
            sb_add(&b, "\nduration ");
            dg_put_duration(&b, &f->dur);
        }
        if (f->cite)
            sb_printf(&b, "\ncite %s", f->cite);
        p->doc = sb_take(&b);
    }

    /* The main path: what the start reaches along `next` and `yes`; the rest
     * (the failure paths) goes on the second row. */
    size_t n = lf->nitems;
    bool *main_path = xcalloc(n + 1, sizeof *main_path);
    for (size_t i = 0; n && !main_path[i];) {
        main_path[i] = true;
        if (lf->items[i].next.kind != LW_PLACE_ITEM)
            break;
        i = lf->items[i].next.item;
    }
    bool to_end = false, to_error = false;
    for (size_t i = 0; i < n; i++) {
        const lw_flow_item *it = &lf->items[i];
        bool check = it->src->kind == FLOW_CHECK;
        to_end |= it->next.kind == LW_PLACE_END || (check && it->fail.kind == LW_PLACE_END);
        to_error |= it->next.kind == LW_PLACE_ERROR || (check && it->fail.kind == LW_PLACE_ERROR);
    }

    size_t start = add_node(p, xasprintf("%s-start", p->key), BN_START, xstrdup("start"), NULL, LW_NONE);
    size_t *task = xcalloc(n + 1, sizeof *task), *gate = xcalloc(n + 1, sizeof *gate);
    for (size_t i = 0; i < n; i++) {
        const flow_item *it = lf->items[i].src;
        strbuf b;
        sb_init(&b);
        sb_add(&b, it->id.name);
        if (it->has_duration) {
            sb_add(&b, " · ");
            dg_put_duration(&b, &it->dur);
        }
        sb_printf(&b, "\n%s", flow_item_text(it));
        if (it->cite)
            sb_printf(&b, "\n%s", it->cite);
        task[i] = add_node(p, xasprintf("%s-item-%s", p->key, it->id.name),
                           it->kind == FLOW_STEPS ? BN_CALL : BN_TASK, sb_take(&b), item_doc(it), LW_NONE);
        gate[i] = LW_NONE;
        if (it->kind == FLOW_CHECK)
            gate[i] = add_node(p, xasprintf("%s-check-%s", p->key, it->id.name), BN_GATEWAY,
                               xasprintf("%s: holds?", it->id.name), NULL, LW_NONE);
    }
    size_t end = LW_NONE, error = LW_NONE;
    if (to_end)
        end = add_node(p, xasprintf("%s-end", p->key), BN_END, xstrdup("end"), NULL, LW_NONE);
    if (to_error)
        error = add_node(p, xasprintf("%s-error", p->key), BN_ERROR, xstrdup("error"),
                         xstrdup("the flow ends with an error message to the applicant"), LW_NONE);

#define PLACE_NODE(pl) ((pl).kind == LW_PLACE_ITEM ? task[(pl).item] : (pl).kind == LW_PLACE_END ? end : error)
    if (n)
        add_flow(p, xasprintf("%s-next-start", p->key), start, task[0], NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        const lw_flow_item *it = &lf->items[i];
        const char *iid = it->src->id.name;
        if (gate[i] == LW_NONE) {
            add_flow(p, xasprintf("%s-next-%s", p->key, iid), task[i], PLACE_NODE(it->next), NULL, NULL);
            continue;
        }
        add_flow(p, xasprintf("%s-to-check-%s", p->key, iid), task[i], gate[i], NULL, NULL);
        add_flow(p, xasprintf("%s-yes-%s", p->key, iid), gate[i], PLACE_NODE(it->next), xstrdup("yes"),
                 xstrdup(flow_item_text(it->src)));
        add_flow(p, xasprintf("%s-else-%s", p->key, iid), gate[i], PLACE_NODE(it->fail), xstrdup("else"), NULL);
        p->nodes[gate[i]].deflt = xasprintf("%s-else-%s", p->key, iid);
    }
#undef PLACE_NODE

    int x0 = POOL_BAND;
    place(&p->nodes[start], x0 + (START_COL - EVENT) / 2, (LANE_H - EVENT) / 2, EVENT, EVENT);
    bool second_row = false;
    for (size_t i = 0; i < n; i++) {
        int cx = x0 + START_COL + (int)i * COL;
        int ly = main_path[i] ? 0 : LANE_H;
        second_row |= !main_path[i];
        place(&p->nodes[task[i]], cx + TASK_X, ly + (LANE_H - TASK_H) / 2, TASK_W, TASK_H);
        if (gate[i] != LW_NONE)
            place(&p->nodes[gate[i]], cx + GATE_X, ly + (LANE_H - GATE) / 2, GATE, GATE);
    }
    int rx = x0 + START_COL + (int)n * COL;
    if (end != LW_NONE) {
        place(&p->nodes[end], rx + (RESULT_COL - EVENT) / 2, (LANE_H - EVENT) / 2, EVENT, EVENT);
        rx += RESULT_COL;
    }
    if (error != LW_NONE) {
        place(&p->nodes[error], rx + (RESULT_COL - EVENT) / 2, LANE_H + (LANE_H - EVENT) / 2, EVENT, EVENT);
        rx += RESULT_COL;
        second_row = true;
    }
    p->w = rx + POOL_END;
    p->h = (second_row ? 2 : 1) * LANE_H;
    free(task);
    free(gate);
    free(main_path);
}

/* ---- writing ---- */

static void put_attr(strbuf *b, const char *name, const char *value)
{
    if (!value)
        return;
    sb_printf(b, " %s=\"", name);
    xml_text(b, value);
    sb_addc(b, '"');
}

static void put_documentation(strbuf *b, const char *doc)
{
    if (!doc)
        return;
    sb_add(b, "<bpmn:documentation>");
    xml_text(b, doc);
    sb_add(b, "</bpmn:documentation>");
}

static const char *node_tag(bn_kind k)
{
    switch (k) {
    case BN_START: return "bpmn:startEvent";
    case BN_TASK: return "bpmn:task";
    case BN_CALL: return "bpmn:callActivity";
    case BN_GATEWAY: return "bpmn:exclusiveGateway";
    case BN_END:
    case BN_ERROR: break;
    }
    return "bpmn:endEvent";
}

/* The flows into (or out of) each node, in the order of the pool's flows:
 * node i's are flow[start[i]] .. flow[start[i + 1] - 1]. One pass over the
 * flows instead of one per node: a pool may hold 10,000 steps. */
typedef struct {
    size_t *start, *flow;
} flows_by_node;

static void flows_by_node_init(flows_by_node *x, const bpool *p, bool incoming)
{
    x->start = xcalloc(p->nnodes + 2, sizeof *x->start);
    x->flow = xcalloc(p->nflows + 1, sizeof *x->flow);
    for (size_t f = 0; f < p->nflows; f++)
        x->start[(incoming ? p->flows[f].to : p->flows[f].from) + 2]++;
    for (size_t i = 2; i < p->nnodes + 2; i++)
        x->start[i] += x->start[i - 1];
    /* start[i + 1] counts node i's flows placed so far; once all are, it is where node i + 1's begin */
    for (size_t f = 0; f < p->nflows; f++)
        x->flow[x->start[(incoming ? p->flows[f].to : p->flows[f].from) + 1]++] = f;
}

static void flows_by_node_free(flows_by_node *x)
{
    free(x->start);
    free(x->flow);
}

static void put_process(strbuf *b, const bpool *p)
{
    sb_printf(b, "  <bpmn:process id=\"process-%s\" isExecutable=\"false\">", p->key);
    put_documentation(b, p->doc);
    sb_addc(b, '\n');
    if (p->nlanes) {
        sb_printf(b, "    <bpmn:laneSet id=\"%s-lanes\">\n", p->key);
        for (size_t l = 0; l < p->nlanes; l++) {
            sb_printf(b, "      <bpmn:lane id=\"%s\"", p->lanes[l].id);
            put_attr(b, "name", p->lanes[l].name);
            sb_addc(b, '>');
            put_documentation(b, p->lanes[l].doc);
            sb_addc(b, '\n');
            for (size_t i = 0; i < p->nnodes; i++)
                if (p->nodes[i].lane == l)
                    sb_printf(b, "        <bpmn:flowNodeRef>%s</bpmn:flowNodeRef>\n", p->nodes[i].id);
            sb_add(b, "      </bpmn:lane>\n");
        }
        sb_add(b, "    </bpmn:laneSet>\n");
    }
    flows_by_node in, out;
    flows_by_node_init(&in, p, true);
    flows_by_node_init(&out, p, false);
    for (size_t i = 0; i < p->nnodes; i++) {
        const bnode *n = &p->nodes[i];
        const char *tag = node_tag(n->kind);
        sb_printf(b, "    <%s id=\"%s\"", tag, n->id);
        put_attr(b, "name", n->name);
        if (n->kind == BN_GATEWAY)
            put_attr(b, "default", n->deflt);
        sb_addc(b, '>');
        put_documentation(b, n->doc);
        for (size_t k = in.start[i]; k < in.start[i + 1]; k++)
            sb_printf(b, "<bpmn:incoming>%s</bpmn:incoming>", p->flows[in.flow[k]].id);
        for (size_t k = out.start[i]; k < out.start[i + 1]; k++)
            sb_printf(b, "<bpmn:outgoing>%s</bpmn:outgoing>", p->flows[out.flow[k]].id);
        if (n->kind == BN_ERROR)
            sb_printf(b, "<bpmn:errorEventDefinition id=\"%s-definition\"/>", n->id);
        sb_printf(b, "</%s>\n", tag);
    }
    flows_by_node_free(&in);
    flows_by_node_free(&out);
    for (size_t i = 0; i < p->nflows; i++) {
        const bflow *f = &p->flows[i];
        sb_printf(b, "    <bpmn:sequenceFlow id=\"%s\"", f->id);
        put_attr(b, "name", f->name);
        sb_printf(b, " sourceRef=\"%s\" targetRef=\"%s\"", p->nodes[f->from].id, p->nodes[f->to].id);
        if (!f->cond) {
            sb_add(b, "/>\n");
            continue;
        }
        sb_add(b, "><bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\">");
        xml_text(b, f->cond);
        sb_add(b, "</bpmn:conditionExpression></bpmn:sequenceFlow>\n");
    }
    sb_add(b, "  </bpmn:process>\n");
}

static void put_bounds(strbuf *b, int x, int y, int w, int h)
{
    sb_printf(b, "<dc:Bounds x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", x, y, w, h);
}

static void label_bounds(strbuf *b, int x, int y, int w, int h)
{
    sb_add(b, "<bpmndi:BPMNLabel>");
    put_bounds(b, x, y, w, h);
    sb_add(b, "</bpmndi:BPMNLabel>");
}

/* An edge from the right of its source to the left of its target, turning
 * once just after the source, so it runs along the target's lane or row;
 * an edge back (or within a column)
 * leaves from the bottom and enters from the bottom, below both. */
static void put_waypoints(strbuf *b, const bpool *p, const bnode *s, const bnode *t)
{
    int ox = p->x, oy = p->y;
    int sx = ox + s->x, sy = oy + s->y, tx = ox + t->x, ty = oy + t->y;
    int scy = sy + s->h / 2, tcy = ty + t->h / 2;
    int pts[4][2];
    int n = 0;
    if (tx > sx + s->w) {
        pts[n][0] = sx + s->w, pts[n++][1] = scy;
        if (scy != tcy) {
            pts[n][0] = sx + s->w + 16, pts[n++][1] = scy;
            pts[n][0] = sx + s->w + 16, pts[n++][1] = tcy;
        }
        pts[n][0] = tx, pts[n++][1] = tcy;
    } else {
        int below = (sy + s->h > ty + t->h ? sy + s->h : ty + t->h) + 12;
        pts[n][0] = sx + s->w / 2, pts[n++][1] = sy + s->h;
        pts[n][0] = sx + s->w / 2, pts[n++][1] = below;
        pts[n][0] = tx + t->w / 2, pts[n++][1] = below;
        pts[n][0] = tx + t->w / 2, pts[n++][1] = ty + t->h;
    }
    for (int i = 0; i < n; i++)
        sb_printf(b, "<di:waypoint x=\"%d\" y=\"%d\"/>", pts[i][0], pts[i][1]);
}

static void put_di(strbuf *b, const bpool *p)
{
    sb_printf(b, "      <bpmndi:BPMNShape id=\"pool-%s-di\" bpmnElement=\"pool-%s\" isHorizontal=\"true\">", p->key,
              p->key);
    put_bounds(b, p->x, p->y, p->w, p->h);
    sb_add(b, "</bpmndi:BPMNShape>\n");
    for (size_t l = 0; l < p->nlanes; l++) {
        sb_printf(b, "      <bpmndi:BPMNShape id=\"%s-di\" bpmnElement=\"%s\" isHorizontal=\"true\">", p->lanes[l].id,
                  p->lanes[l].id);
        put_bounds(b, p->x + POOL_BAND, p->y + (int)l * LANE_H, p->w - POOL_BAND, LANE_H);
        sb_add(b, "</bpmndi:BPMNShape>\n");
    }
    for (size_t i = 0; i < p->nnodes; i++) {
        const bnode *n = &p->nodes[i];
        sb_printf(b, "      <bpmndi:BPMNShape id=\"%s-di\" bpmnElement=\"%s\"%s>", n->id, n->id,
                  n->kind == BN_GATEWAY ? " isMarkerVisible=\"true\"" : "");
        put_bounds(b, p->x + n->x, p->y + n->y, n->w, n->h);
        /* An end event's name is the result and its label: below the event,
         * as wide as the event's column, so neighbouring results' names do
         * not run into each other. */
        if (n->kind == BN_END)
            label_bounds(b, p->x + n->x + n->w / 2 - (RESULT_COL - 14) / 2, p->y + n->y + n->h + 6,
                         RESULT_COL - 14, END_LABEL_H);
        sb_add(b, "</bpmndi:BPMNShape>\n");
    }
    for (size_t i = 0; i < p->nflows; i++) {
        const bflow *f = &p->flows[i];
        sb_printf(b, "      <bpmndi:BPMNEdge id=\"%s-di\" bpmnElement=\"%s\">", f->id, f->id);
        put_waypoints(b, p, &p->nodes[f->from], &p->nodes[f->to]);
        sb_add(b, "</bpmndi:BPMNEdge>\n");
    }
}

static char *regulation_doc(const regulation *r)
{
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "regulation %s", r->id.name);
    for (size_t i = 0; i < r->ntitles; i++)
        sb_printf(&b, "\ntitle %s: %s", r->titles[i].lang.name, r->titles[i].text);
    for (size_t i = 0; i < r->nacts; i++)
        sb_printf(&b, "\nact %s", r->acts[i].text);
    for (size_t i = 0; i < r->namended; i++)
        sb_printf(&b, "\namended %s", r->amended[i].text);
    validity v;
    validity_resolve(r, &v);
    if (v.from[0] || v.until[0]) {
        sb_printf(&b, "\nvalid from %s", v.from[0] ? v.from : "-");
        if (v.until[0])
            sb_printf(&b, " until %s", v.until);
        if (v.note[0])
            sb_printf(&b, " (uncertain: %s)", v.note);
    }
    for (size_t i = 0; i < r->nrepealed; i++)
        sb_printf(&b, "\nrepealed %s", r->repealed[i].text);
    for (size_t i = 0; i < r->nproviders; i++)
        sb_printf(&b, "\nprovider %s", r->providers[i].text);
    return sb_take(&b);
}

char *emit_bpmn(const lowered *l)
{
    const regulation *r = l->r;
    size_t npools = l->nvariants + l->nflows;
    bpool *pools = xcalloc(npools + 1, sizeof *pools);
    int y = 0;
    for (size_t i = 0; i < npools; i++) {
        if (i < l->nvariants)
            variant_pool(l, &l->variants[i], &pools[i]);
        else
            flow_pool(l, &l->flows[i - l->nvariants], &pools[i]);
        pools[i].x = 0;
        pools[i].y = y;
        y += pools[i].h + POOL_GAP;
    }
    const char *provider = r->nproviders ? r->providers[0].text : "provider";

    strbuf b;
    sb_init(&b);
    sb_add(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb_printf(&b, "<!-- %s: generated by regc from the rule file; edit the rule file, not this file -->\n",
              r->id.name);
    sb_printf(&b,
              "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\""
              " xmlns:bpmndi=\"http://www.omg.org/spec/BPMN/20100524/DI\""
              " xmlns:dc=\"http://www.omg.org/spec/DD/20100524/DC\""
              " xmlns:di=\"http://www.omg.org/spec/DD/20100524/DI\""
              " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
              " id=\"regulation-%s\" targetNamespace=\"urn:regc:%s:%s\" exporter=\"regc\">\n",
              r->id.name, r->regions[0].name, r->id.name);
    sb_add(&b, "  <bpmn:collaboration id=\"collaboration\">");
    char *doc = regulation_doc(r);
    put_documentation(&b, doc);
    free(doc);
    sb_addc(&b, '\n');
    for (size_t i = 0; i < npools; i++) {
        sb_printf(&b, "    <bpmn:participant id=\"pool-%s\"", pools[i].key);
        char *name = i < l->nvariants ? xasprintf("%s · %s", provider, pools[i].name) : xstrdup(pools[i].name);
        put_attr(&b, "name", name);
        free(name);
        sb_printf(&b, " processRef=\"process-%s\"/>\n", pools[i].key);
    }
    sb_add(&b, "  </bpmn:collaboration>\n");
    for (size_t i = 0; i < npools; i++)
        put_process(&b, &pools[i]);
    sb_add(&b, "  <bpmndi:BPMNDiagram id=\"diagram\">\n"
               "    <bpmndi:BPMNPlane id=\"plane\" bpmnElement=\"collaboration\">\n");
    for (size_t i = 0; i < npools; i++)
        put_di(&b, &pools[i]);
    sb_add(&b, "    </bpmndi:BPMNPlane>\n  </bpmndi:BPMNDiagram>\n</bpmn:definitions>\n");
    for (size_t i = 0; i < npools; i++)
        pool_free(&pools[i]);
    free(pools);
    return sb_take(&b);
}

void backend_bpmn(const lowered *l, out_files *out)
{
    out_files_add(out, xasprintf("%s.bpmn", l->r->id.name), emit_bpmn(l));
}
