/* lower.c - building the lowered model of a regulation (see lower.h). */
#include "lower.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define NEW(l, type, n) ((type *)arena_alloc(&(l)->mem, (n) * sizeof(type) + 1))

size_t lw_find_channel(const regulation *r, const char *name)
{
    for (size_t i = 0; i < r->nchannels; i++)
        if (strcmp(r->channels[i].id.name, name) == 0)
            return i;
    return LW_NONE;
}

static size_t result_index(const regulation *r, const result_decl *res)
{
    return res ? (size_t)(res - r->results) : LW_NONE;
}

static lw_target lower_target(const lowered *l, const lw_variant *v, const target *t)
{
    const regulation *r = l->r;
    lw_target out = { .src = t, .step = LW_NONE, .state = LW_NONE, .result = result_index(r, t->result_ref) };
    switch (t->kind) {
    case TARGET_STEP:
        out.kind = LW_TO_STEP;
        out.step = t->step_ref->index;
        out.state = v->first_state + out.step;
        break;
    case TARGET_RESULT:
        out.kind = LW_TO_RESULT;
        out.state = l->nstep_states + out.result;
        break;
    case TARGET_END:
        out.kind = LW_TO_END;
        out.result = LW_NONE;
        break;
    }
    return out;
}

size_t lw_ntargets(const lw_step *s)
{
    return s->nbranches + 1;
}

const lw_target *lw_target_at(const lw_step *s, size_t k)
{
    return k < s->nbranches ? &s->branches[k].to : &s->next;
}

const duration *lw_duration_on(const lw_step *s, size_t ch)
{
    if (ch != LW_NONE)
        for (size_t i = 0; i < s->nby_channel; i++)
            if (s->by_channel[i].channel == ch)
                return s->by_channel[i].dur;
    return s->dur;
}

bool lw_applies_on(const lw_step *s, size_t ch)
{
    if (ch == LW_NONE || s->nonly == 0)
        return true;
    for (size_t i = 0; i < s->nonly; i++)
        if (s->only[i] == ch)
            return true;
    return false;
}

static void lower_step(lowered *l, lw_variant *v, size_t i, const step *s)
{
    const regulation *r = l->r;
    lw_step *ls = &v->steps[i];
    ls->src = s;
    ls->index = i;
    ls->state = v->first_state + i;
    ls->actor = (size_t)(s->actor_ref - r->actors);
    ls->dur = step_duration(s, v->src);
    for (size_t k = 0; k < s->noverrides; k++)
        ls->nby_channel += s->overrides[k].key_is_channel;
    ls->by_channel = NEW(l, lw_channel_duration, ls->nby_channel);
    for (size_t k = 0, n = 0; k < s->noverrides; k++) {
        const override *o = &s->overrides[k];
        if (o->key_is_channel)
            ls->by_channel[n++] = (lw_channel_duration){ lw_find_channel(r, o->key.name), &o->dur, o };
    }
    ls->nonly = s->nonly;
    ls->only = NEW(l, size_t, s->nonly);
    for (size_t k = 0; k < s->nonly; k++)
        ls->only[k] = lw_find_channel(r, s->only[k].name);
    ls->next = lower_target(l, v, &s->nexts[0]);
    ls->nbranches = s->nbranches;
    ls->branches = NEW(l, lw_branch, s->nbranches);
    for (size_t k = 0; k < s->nbranches; k++)
        ls->branches[k] = (lw_branch){ 0, lower_target(l, v, &s->branches[k].to), &s->branches[k] };
}

/* ---- the outcome table ---- */

typedef struct {
    const char *name;
    size_t seq;           /* position among all branches of all variants */
    lw_branch *branch;
} outcome_use;

static int by_name_then_seq(const void *a, const void *b)
{
    const outcome_use *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int by_seq(const void *a, const void *b)
{
    const outcome_use *x = *(const outcome_use *const *)a, *y = *(const outcome_use *const *)b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Numbers the outcomes by their first appearance in the file, sorting
 * instead of comparing every branch with every other. */
static void number_outcomes(lowered *l)
{
    size_t n = 0;
    for (size_t v = 0; v < l->nvariants; v++)
        for (size_t i = 0; i < l->variants[v].nsteps; i++)
            n += l->variants[v].steps[i].nbranches;
    outcome_use *uses = xcalloc(n, sizeof *uses);
    size_t seq = 0;
    for (size_t v = 0; v < l->nvariants; v++)
        for (size_t i = 0; i < l->variants[v].nsteps; i++) {
            lw_step *s = &l->variants[v].steps[i];
            for (size_t k = 0; k < s->nbranches; k++, seq++)
                uses[seq] = (outcome_use){ s->branches[k].src->outcome.name, seq, &s->branches[k] };
        }
    qsort(uses, n, sizeof *uses, by_name_then_seq);
    /* The first use of each name, put back in file order, gives its number. */
    outcome_use **firsts = xcalloc(n, sizeof *firsts);
    size_t nfirst = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(uses[i].name, uses[i - 1].name) != 0)
            firsts[nfirst++] = &uses[i];
    qsort(firsts, nfirst, sizeof *firsts, by_seq);
    l->outcomes = NEW(l, const char *, nfirst);
    l->noutcomes = nfirst;
    for (size_t k = 0; k < nfirst; k++) {
        l->outcomes[k] = firsts[k]->name;
        firsts[k]->seq = k;   /* from here on: the outcome's number */
    }
    for (size_t i = 0, first = 0; i < n; i++) {
        if (i > 0 && strcmp(uses[i].name, uses[i - 1].name) != 0)
            first = i;
        uses[i].branch->outcome = uses[first].seq;
    }
    free(firsts);
    free(uses);
}

/* ---- the results a case carries ---- */

/* Walks the pairs (step, result the case carries) from the first step with
 * the variant's result. Only the variant's result and those named by `with`
 * can be carried, so the pairs use a slot per such result, not one per
 * declared result. */
static void carried_results(lowered *l, lw_variant *v)
{
    const regulation *r = l->r;
    size_t n = v->nsteps, nres = r->nresults;
    v->ends = NEW(l, bool, nres);
    if (n == 0 || v->result == LW_NONE)
        return;
    size_t *slot = xcalloc(nres, sizeof *slot);
    size_t *held = xcalloc(nres, sizeof *held);
    size_t nheld = 0;
    for (size_t k = 0; k < nres; k++)
        slot[k] = LW_NONE;
    slot[v->result] = nheld;
    held[nheld++] = v->result;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < lw_ntargets(&v->steps[i]); k++) {
            const lw_target *t = lw_target_at(&v->steps[i], k);
            if (t->kind == LW_TO_STEP && t->result != LW_NONE && slot[t->result] == LW_NONE) {
                slot[t->result] = nheld;
                held[nheld++] = t->result;
            }
        }
    bool *seen = xcalloc(n * nheld, sizeof *seen);
    size_t *queue = xcalloc(n * nheld, sizeof *queue);
    size_t head = 0, tail = 0;
    seen[0] = true; /* the first step, carrying the variant's result (slot 0) */
    queue[tail++] = 0;
    while (head < tail) {
        size_t pair = queue[head++];
        size_t res = held[pair % nheld];
        const lw_step *s = &v->steps[pair / nheld];
        for (size_t k = 0; k < lw_ntargets(s); k++) {
            const lw_target *t = lw_target_at(s, k);
            if (t->kind == LW_TO_END) {
                v->ends[res] = true;
            } else if (t->kind == LW_TO_RESULT) {
                v->ends[t->result] = true;
            } else {
                size_t next = t->step * nheld + (t->result != LW_NONE ? slot[t->result] : slot[res]);
                if (!seen[next]) {
                    seen[next] = true;
                    queue[tail++] = next;
                }
            }
        }
    }
    /* Each step's list in declaration order of the results. */
    for (size_t i = 0; i < n; i++) {
        lw_step *s = &v->steps[i];
        for (size_t k = 0; k < nheld; k++)
            s->ncarried += seen[i * nheld + k];
        s->reached = s->ncarried > 0;
        if (!s->reached)
            s->ncarried = 1;
        s->carried = NEW(l, size_t, s->ncarried);
        if (!s->reached) {
            s->carried[0] = v->result;
            continue;
        }
        size_t m = 0;
        for (size_t x = 0; x < nres; x++)
            if (slot[x] != LW_NONE && seen[i * nheld + slot[x]])
                s->carried[m++] = x;
    }
    free(slot);
    free(held);
    free(seen);
    free(queue);
}

/* ---- flows ---- */

static lw_place lower_place(size_t i, const flow_target *t)
{
    switch (t->kind) {
    case FLOW_TO_NEXT:   /* sema has made sure an item follows */
        return (lw_place){ LW_PLACE_ITEM, i + 1 };
    case FLOW_TO_ITEM:
        return (lw_place){ LW_PLACE_ITEM, t->item_index };
    case FLOW_TO_END:
        break;
    case FLOW_TO_ERROR:
        return (lw_place){ LW_PLACE_ERROR, LW_NONE };
    }
    return (lw_place){ LW_PLACE_END, LW_NONE };
}

const char *lw_place_name(const lw_flow *f, lw_place p)
{
    switch (p.kind) {
    case LW_PLACE_ITEM: return f->items[p.item].src->id.name;
    case LW_PLACE_END: break;
    case LW_PLACE_ERROR: return "error";
    }
    return "end";
}

bool lw_same_place(lw_place a, lw_place b)
{
    return a.kind == b.kind && (a.kind != LW_PLACE_ITEM || a.item == b.item);
}

static void lower_flow(lowered *l, lw_flow *lf, const flow_decl *f)
{
    lf->src = f;
    lf->channel = lw_find_channel(l->r, f->channel.name);
    lf->nitems = f->nitems;
    lf->items = NEW(l, lw_flow_item, f->nitems);
    lf->steps_item = f->nitems;
    for (size_t i = 0; i < f->nitems; i++) {
        const flow_item *it = &f->items[i];
        if (it->kind == FLOW_STEPS && lf->steps_item == f->nitems)
            lf->steps_item = i;
        lf->items[i].src = it;
        lf->items[i].next = lower_place(i, &it->next);
        lf->items[i].fail = it->kind == FLOW_CHECK ? lower_place(i, &it->fail)
                                                   : (lw_place){ LW_PLACE_END, LW_NONE };
    }
}

/* ---- the model ---- */

lowered *lower(const regulation *r)
{
    lowered *l = xcalloc(1, sizeof *l);
    arena_init(&l->mem);
    l->r = r;
    char *prefix = xasprintf("%s_%s", r->regions[0].name, r->id.name);
    l->prefix = arena_strdup(&l->mem, prefix);
    free(prefix);

    l->nvariants = r->nvariants;
    l->variants = NEW(l, lw_variant, r->nvariants);
    size_t state = 0;
    for (size_t v = 0; v < r->nvariants; v++) {
        lw_variant *lv = &l->variants[v];
        const step_list *sl = variant_steps(r, &r->variants[v]);
        lv->src = &r->variants[v];
        lv->index = v;
        lv->result = result_index(r, lv->src->result_ref);
        lv->shared = !lv->src->has_steps;
        lv->first_state = state;
        lv->nsteps = sl->count;
        lv->steps = NEW(l, lw_step, sl->count);
        state += sl->count;
    }
    l->nstep_states = state;
    l->intake_refused = r->nflows ? r->nresults : LW_NONE;
    l->nresults = r->nresults + (r->nflows ? 1 : 0);
    l->nstates = state + l->nresults;
    for (size_t v = 0; v < r->nvariants; v++) {
        lw_variant *lv = &l->variants[v];
        const step_list *sl = variant_steps(r, lv->src);
        for (size_t i = 0; i < sl->count; i++)
            lower_step(l, lv, i, &sl->items[i]);
        carried_results(l, lv);
    }
    number_outcomes(l);
    l->refusal = LW_NONE;
    for (size_t i = 0; i < r->nresults && l->refusal == LW_NONE; i++)
        if (r->results[i].negative)
            l->refusal = i;

    l->nflows = r->nflows;
    l->flows = NEW(l, lw_flow, r->nflows);
    for (size_t i = 0; i < r->nflows; i++)
        lower_flow(l, &l->flows[i], &r->flows[i]);
    return l;
}

void lower_free(lowered *l)
{
    if (!l)
        return;
    arena_free(&l->mem);
    free(l);
}

const lw_variant *lw_find_variant(const lowered *l, const char *name)
{
    for (size_t i = 0; i < l->nvariants; i++)
        if (strcmp(l->variants[i].src->id.name, name) == 0)
            return &l->variants[i];
    return NULL;
}

const lw_flow *lw_find_flow(const lowered *l, const char *channel)
{
    for (size_t i = 0; i < l->nflows; i++)
        if (strcmp(l->flows[i].src->channel.name, channel) == 0)
            return &l->flows[i];
    return NULL;
}

const char *lw_result_id(const lowered *l, size_t i)
{
    return i == l->intake_refused ? LW_INTAKE_REFUSED : l->r->results[i].id.name;
}

const char *lw_result_label(const lowered *l, size_t i)
{
    return i == l->intake_refused ? LW_INTAKE_REFUSED_LABEL : l->r->results[i].label;
}

bool lw_result_negative(const lowered *l, size_t i)
{
    return i == l->intake_refused || l->r->results[i].negative;
}
