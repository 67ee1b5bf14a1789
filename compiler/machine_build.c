/* machine_build.c - a reg_machine from the lowered model (machine_build.h).
 * Field for field what emit_c.c generates; see that file for the layout. */
#include "machine_build.h"

#include <string.h>

#include "fingerprint.h"
#include "validity.h"

static reg_duration rt_duration(const duration *d)
{
    return (reg_duration){ .amount = (int32_t)d->amount, .unit = (uint8_t)d->unit, .at_most = d->at_most ? 1 : 0 };
}

static reg_target rt_target(const lw_target *t)
{
    if (t->kind == LW_TO_END)
        return (reg_target){ .state = REG_TO_END, .result = REG_NO_RESULT };
    return (reg_target){ .state = (uint16_t)t->state,
                         .result = t->result == LW_NONE ? REG_NO_RESULT : (uint16_t)t->result };
}

static void *table(arena *mem, size_t n, size_t size)
{
    if (n == 0)
        return NULL;
    void *p = arena_alloc(mem, n * size);
    memset(p, 0, n * size);
    return p;
}

static const char *title_in(const regulation *r, const char *lang)
{
    for (size_t i = 0; i < r->ntitles; i++)
        if (strcmp(r->titles[i].lang.name, lang) == 0)
            return r->titles[i].text;
    return NULL;
}

static void fill_step(arena *mem, const lw_variant *v, const lw_step *s, reg_state *st)
{
    size_t n = strlen(v->src->id.name) + 1 + strlen(s->src->id.name) + 1;
    char *name = arena_alloc(mem, n);
    memcpy(name, v->src->id.name, strlen(v->src->id.name));
    name[strlen(v->src->id.name)] = '.';
    memcpy(name + strlen(v->src->id.name) + 1, s->src->id.name, strlen(s->src->id.name) + 1);
    st->name = name;
    st->step_id = s->src->id.name;
    st->variant = (uint8_t)v->index;
    st->result = REG_NO_RESULT;
    st->actor = (uint16_t)s->actor;
    st->action = s->src->action;
    st->duration = rt_duration(s->dur);
    reg_channel_duration *bc = table(mem, s->nby_channel, sizeof *bc);
    for (size_t k = 0; k < s->nby_channel; k++)
        bc[k] = (reg_channel_duration){ .channel = (uint16_t)s->by_channel[k].channel,
                                        .duration = rt_duration(s->by_channel[k].dur) };
    st->nby_channel = (uint16_t)s->nby_channel;
    st->by_channel = bc;
    st->cite = s->src->cite;
    st->next = rt_target(&s->next);
    reg_branch *br = table(mem, s->nbranches, sizeof *br);
    for (size_t k = 0; k < s->nbranches; k++)
        br[k] = (reg_branch){ .outcome = (uint16_t)s->branches[k].outcome,
                              .condition = s->branches[k].src->condition,
                              .to = rt_target(&s->branches[k].to) };
    st->nbranches = (uint16_t)s->nbranches;
    st->branches = br;
    if (s->nonly) {
        uint16_t *only = table(mem, s->nonly, sizeof *only);
        for (size_t k = 0; k < s->nonly; k++)
            only[k] = (uint16_t)s->only[k];
        st->nonly = (uint16_t)s->nonly;
        st->only = only;
    }
}

const reg_machine *machine_build(const lowered *l, arena *mem)
{
    const regulation *r = l->r;
    reg_machine *m = table(mem, 1, sizeof *m);
    m->id = r->id.name;
    m->region = r->regions[0].name;
    m->title_kk = title_in(r, "kk");
    m->title_ru = title_in(r, "ru");
    m->title_en = title_in(r, "en");
    m->act = r->nacts ? r->acts[0].text : NULL;
    m->standard = r->nstandards ? r->standards[0].text : NULL;
    m->repealed = r->nrepealed ? r->repealed[0].text : NULL;
    m->provider = r->nproviders ? r->providers[0].text : NULL;
    /* As emit_c.c writes them into the generated machine. */
    validity v;
    validity_resolve(r, &v);
    m->valid_from = v.from[0] ? arena_strdup(mem, v.from) : NULL;
    m->valid_until = v.until[0] ? arena_strdup(mem, v.until) : NULL;
    if (v.note[0]) {
        m->valid_from_certain = v.from_certain[0] ? arena_strdup(mem, v.from_certain) : NULL;
        m->valid_until_earliest = v.until_earliest[0] ? arena_strdup(mem, v.until_earliest) : NULL;
        m->validity_note = arena_strdup(mem, v.note);
    }
    m->service = r->wording_of.name;
    char fp[17];
    model_fingerprint(l, fp);
    m->fingerprint = arena_strdup(mem, fp);

    reg_decl *actors = table(mem, r->nactors, sizeof *actors);
    for (size_t i = 0; i < r->nactors; i++)
        actors[i] = (reg_decl){ r->actors[i].id.name, r->actors[i].label, r->actors[i].external };
    reg_decl *results = table(mem, l->nresults, sizeof *results);
    for (size_t i = 0; i < l->nresults; i++)
        results[i] = (reg_decl){ lw_result_id(l, i), lw_result_label(l, i), lw_result_negative(l, i) };
    reg_named *channels = table(mem, r->nchannels, sizeof *channels);
    for (size_t i = 0; i < r->nchannels; i++)
        channels[i] = (reg_named){ r->channels[i].id.name, r->channels[i].label };

    reg_variant *variants = table(mem, l->nvariants, sizeof *variants);
    reg_state *states = table(mem, l->nstates, sizeof *states);
    for (size_t v = 0; v < l->nvariants; v++) {
        const lw_variant *lv = &l->variants[v];
        const variant_decl *vd = lv->src;
        variants[v] = (reg_variant){ .id = vd->id.name, .label = vd->label, .result = (uint16_t)lv->result,
                                     .has_term = vd->has_term, .term_from = vd->term_from, .cite = vd->cite,
                                     .first_state = (uint16_t)lv->first_state, .nsteps = (uint16_t)lv->nsteps };
        if (vd->has_term)
            variants[v].term = rt_duration(&vd->term);
        if (vd->term_anchor.name) {
            if (vd->anchor_is_step)
                variants[v].term_anchor_step = vd->term_anchor.name;
            else
                variants[v].term_anchor_event = vd->term_anchor.name;
        }
        for (size_t i = 0; i < lv->nsteps; i++)
            fill_step(mem, lv, &lv->steps[i], &states[lv->steps[i].state]);
    }
    for (size_t i = 0; i < l->nresults; i++) {
        reg_state *st = &states[l->nstep_states + i];
        size_t n = strlen("result.") + strlen(lw_result_id(l, i)) + 1;
        char *name = arena_alloc(mem, n);
        memcpy(name, "result.", 7);
        memcpy(name + 7, lw_result_id(l, i), n - 7);
        *st = (reg_state){ .name = name, .variant = REG_NO_VARIANT, .result = (uint16_t)i,
                           .next = { .state = 0, .result = REG_NO_RESULT } };
    }

    reg_flow *flows = table(mem, l->nflows, sizeof *flows);
    for (size_t i = 0; i < l->nflows; i++) {
        const lw_flow *lf = &l->flows[i];
        const flow_decl *f = lf->src;
        reg_flow_item *items = table(mem, lf->nitems, sizeof *items);
        for (size_t k = 0; k < lf->nitems; k++) {
            const flow_item *it = lf->items[k].src;
            items[k] = (reg_flow_item){ .id = it->id.name, .is_check = it->kind == FLOW_CHECK, .text = it->text,
                                        .cite = it->cite, .next = lw_place_name(lf, lf->items[k].next),
                                        .fail = it->kind == FLOW_CHECK ? lw_place_name(lf, lf->items[k].fail) : NULL,
                                        .is_steps = it->kind == FLOW_STEPS, .has_duration = it->has_duration };
            if (it->has_duration)
                items[k].duration = rt_duration(&it->dur);
        }
        flows[i] = (reg_flow){ .channel = (uint16_t)lf->channel, .label = f->label, .has_duration = f->has_duration,
                               .cite = f->cite, .nitems = (uint16_t)lf->nitems, .items = items,
                               .steps_item = (uint16_t)lf->steps_item };
        if (f->has_duration)
            flows[i].duration = rt_duration(&f->dur);
    }

    m->nactors = (uint16_t)r->nactors;
    m->nresults = (uint16_t)l->nresults;
    m->nchannels = (uint16_t)r->nchannels;
    m->nvariants = (uint16_t)l->nvariants;
    m->noutcomes = (uint16_t)l->noutcomes;
    m->nstates = (uint16_t)l->nstates;
    m->nflows = (uint16_t)l->nflows;
    m->actors = actors;
    m->results = results;
    m->channels = channels;
    m->variants = variants;
    m->outcomes = (const char *const *)l->outcomes;
    m->states = states;
    m->first_result_state = (uint16_t)l->nstep_states;
    m->refusal_result = l->refusal == LW_NONE ? REG_NO_RESULT : (uint16_t)l->refusal;
    m->flows = flows;
    m->intake_refused = l->intake_refused == LW_NONE ? REG_NO_RESULT : (uint16_t)l->intake_refused;
    return m;
}
