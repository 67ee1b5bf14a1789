/* emit_json.c - the machine-readable model of a regulation (docs/model.md).
 *
 * Steps are listed per variant in the act's order with durations already
 * resolved for that variant, so a reader needs no knowledge of the
 * language's sharing and override rules: the lowered model (lower.h)
 * written out as JSON. */
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "diag.h"
#include "json_out.h"
#include "util.h"
#include "fingerprint.h"
#include "validity.h"

static void put_duration(json_writer *w, const duration *d)
{
    jw_object(w);
    jw_key(w, "amount");
    jw_int(w, d->amount);
    jw_key(w, "unit");
    jw_string(w, unit_name(d->unit));
    jw_key(w, "at_most");
    jw_bool(w, d->at_most);
    jw_end_object(w);
}

static void put_target(json_writer *w, const regulation *r, const lw_variant *v, const lw_target *t)
{
    jw_object(w);
    switch (t->kind) {
    case LW_TO_STEP:
        jw_key(w, "kind");
        jw_string(w, "step");
        jw_key(w, "step");
        jw_string(w, v->steps[t->step].src->id.name);
        jw_key(w, "result");
        jw_string(w, t->result != LW_NONE ? r->results[t->result].id.name : NULL);
        break;
    case LW_TO_RESULT:
        jw_key(w, "kind");
        jw_string(w, "result");
        jw_key(w, "result");
        jw_string(w, r->results[t->result].id.name);
        break;
    case LW_TO_END:
        jw_key(w, "kind");
        jw_string(w, "end");
        break;
    }
    jw_end_object(w);
}

static void put_steps(json_writer *w, const regulation *r, const lw_variant *v)
{
    jw_array(w);
    for (size_t i = 0; i < v->nsteps; i++) {
        const lw_step *s = &v->steps[i];
        jw_object(w);
        jw_key(w, "id");
        jw_string(w, s->src->id.name);
        jw_key(w, "actor");
        jw_string(w, r->actors[s->actor].id.name);
        jw_key(w, "action");
        jw_string(w, s->src->action);
        jw_key(w, "duration");
        put_duration(w, s->dur);
        jw_key(w, "by_channel");
        jw_object(w);
        for (size_t k = 0; k < s->nby_channel; k++) {
            jw_key(w, r->channels[s->by_channel[k].channel].id.name);
            put_duration(w, s->by_channel[k].dur);
        }
        jw_end_object(w);
        if (s->nonly) {   /* absent: every channel runs the step */
            jw_key(w, "only");
            jw_array(w);
            for (size_t k = 0; k < s->nonly; k++)
                jw_string(w, r->channels[s->only[k]].id.name);
            jw_end_array(w);
        }
        jw_key(w, "cite");
        jw_string(w, s->src->cite);
        jw_key(w, "next");
        put_target(w, r, v, &s->next);
        jw_key(w, "branches");
        jw_array(w);
        for (size_t k = 0; k < s->nbranches; k++) {
            const lw_branch *b = &s->branches[k];
            jw_object(w);
            jw_key(w, "outcome");
            jw_string(w, b->src->outcome.name);
            jw_key(w, "condition");
            jw_string(w, b->src->condition);
            jw_key(w, "target");
            put_target(w, r, v, &b->to);
            jw_end_object(w);
        }
        jw_end_array(w);
        jw_end_object(w);
    }
    jw_end_array(w);
}

static void put_texts(json_writer *w, const text_decl *t, size_t n)
{
    jw_string(w, n ? t[0].text : NULL);
}

char *emit_json(const lowered *l)
{
    const regulation *r = l->r;
    strbuf b;
    sb_init(&b);
    json_writer w;
    jw_init(&w, &b, false);
    jw_object(&w);
    jw_key(&w, "regulation");
    jw_string(&w, r->id.name);
    jw_key(&w, "region");
    jw_string(&w, r->nregions ? r->regions[0].name : NULL);
    char fp[17];
    model_fingerprint(l, fp);
    jw_key(&w, "fingerprint");
    jw_string(&w, fp);
    if (r->wording_of.name) {
        jw_key(&w, "wording_of");
        jw_string(&w, r->wording_of.name);
    }
    jw_key(&w, "title");
    jw_object(&w);
    for (size_t i = 0; i < r->ntitles; i++) {
        jw_key(&w, r->titles[i].lang.name);
        jw_string(&w, r->titles[i].text);
    }
    jw_end_object(&w);
    jw_key(&w, "act");
    put_texts(&w, r->acts, r->nacts);
    jw_key(&w, "amended");
    jw_array(&w);
    for (size_t i = 0; i < r->namended; i++)
        jw_string(&w, r->amended[i].text);
    jw_end_array(&w);
    jw_key(&w, "standard");
    put_texts(&w, r->standards, r->nstandards);
    jw_key(&w, "repealed");
    put_texts(&w, r->repealed, r->nrepealed);
    validity v;
    validity_resolve(r, &v);
    jw_key(&w, "valid");
    jw_object(&w);
    jw_key(&w, "from");
    jw_string(&w, v.from[0] ? v.from : NULL);
    jw_key(&w, "until");
    jw_string(&w, v.until[0] ? v.until : NULL);
    if (v.note[0]) {
        jw_key(&w, "from_certain");
        jw_string(&w, v.from_certain[0] ? v.from_certain : NULL);
        jw_key(&w, "until_earliest");
        jw_string(&w, v.until_earliest[0] ? v.until_earliest : NULL);
        jw_key(&w, "uncertain");
        jw_string(&w, v.note);
    }
    jw_end_object(&w);
    jw_key(&w, "provider");
    put_texts(&w, r->providers, r->nproviders);
    jw_key(&w, "form");
    jw_array(&w);
    for (size_t i = 0; i < r->nforms; i++)
        jw_string(&w, r->forms[i].name);
    jw_end_array(&w);

    jw_key(&w, "channels");
    jw_array(&w);
    for (size_t i = 0; i < r->nchannels; i++) {
        jw_object(&w);
        jw_key(&w, "id");
        jw_string(&w, r->channels[i].id.name);
        jw_key(&w, "label");
        jw_string(&w, r->channels[i].label);
        jw_end_object(&w);
    }
    jw_end_array(&w);
    jw_key(&w, "actors");
    jw_array(&w);
    for (size_t i = 0; i < r->nactors; i++) {
        jw_object(&w);
        jw_key(&w, "id");
        jw_string(&w, r->actors[i].id.name);
        jw_key(&w, "label");
        jw_string(&w, r->actors[i].label);
        jw_key(&w, "external");
        jw_bool(&w, r->actors[i].external);
        jw_end_object(&w);
    }
    jw_end_array(&w);
    jw_key(&w, "results");
    jw_array(&w);
    for (size_t i = 0; i < r->nresults; i++) {
        jw_object(&w);
        jw_key(&w, "id");
        jw_string(&w, r->results[i].id.name);
        jw_key(&w, "label");
        jw_string(&w, r->results[i].label);
        jw_key(&w, "negative");
        jw_bool(&w, r->results[i].negative);
        jw_end_object(&w);
    }
    jw_end_array(&w);

    jw_key(&w, "variants");
    jw_array(&w);
    for (size_t i = 0; i < r->nvariants; i++) {
        const variant_decl *v = &r->variants[i];
        jw_object(&w);
        jw_key(&w, "name");
        jw_string(&w, v->id.name);
        jw_key(&w, "label");
        jw_string(&w, v->label);
        jw_key(&w, "result");
        jw_string(&w, v->result.name);
        jw_key(&w, "term");
        if (v->has_term)
            put_duration(&w, &v->term);
        else
            jw_null(&w);
        jw_key(&w, "term_from");
        jw_string(&w, v->term_from);
        if (v->term_anchor.name) {
            jw_key(&w, v->anchor_is_step ? "term_from_step" : "term_from_event");
            jw_string(&w, v->term_anchor.name);
        }
        jw_key(&w, "cite");
        jw_string(&w, v->cite);
        jw_key(&w, "steps");
        put_steps(&w, r, &l->variants[i]);
        jw_end_object(&w);
    }
    jw_end_array(&w);

    jw_key(&w, "flows");
    jw_object(&w);
    for (size_t i = 0; i < l->nflows; i++) {
        const lw_flow *lf = &l->flows[i];
        const flow_decl *f = lf->src;
        jw_key(&w, f->channel.name);
        jw_object(&w);
        jw_key(&w, "label");
        jw_string(&w, f->label);
        jw_key(&w, "duration");
        if (f->has_duration)
            put_duration(&w, &f->dur);
        else
            jw_null(&w);
        jw_key(&w, "cite");
        jw_string(&w, f->cite);
        jw_key(&w, "items");
        jw_array(&w);
        for (size_t k = 0; k < f->nitems; k++) {
            const flow_item *it = &f->items[k];
            jw_object(&w);
            jw_key(&w, "id");
            jw_string(&w, it->id.name);
            jw_key(&w, "kind");
            jw_string(&w, flow_item_keyword(it->kind));
            jw_key(&w, "text");
            jw_string(&w, it->text);
            jw_key(&w, "duration");
            if (it->has_duration)
                put_duration(&w, &it->dur);
            else
                jw_null(&w);
            jw_key(&w, "cite");
            jw_string(&w, it->cite);
            jw_key(&w, "next");
            jw_string(&w, lw_place_name(lf, lf->items[k].next));
            if (it->kind == FLOW_CHECK) {
                jw_key(&w, "else");
                jw_string(&w, lw_place_name(lf, lf->items[k].fail));
            }
            jw_end_object(&w);
        }
        jw_end_array(&w);
        jw_end_object(&w);
    }
    jw_end_object(&w);
    jw_end_object(&w);
    return sb_take(&b);
}

void backend_json(const lowered *l, out_files *out)
{
    out_files_add(out, xasprintf("%s.json", l->r->id.name), emit_json(l));
}
