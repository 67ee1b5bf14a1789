/* emit_json.c - the machine-readable model of a regulation (docs/model.md).
 *
 * Steps are listed per variant in the act's order with durations already
 * resolved for that variant, so a reader needs no knowledge of the
 * language's sharing and override rules. */
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "diag.h"
#include "json_out.h"
#include "util.h"

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

static void put_target(json_writer *w, const target *t)
{
    jw_object(w);
    switch (t->kind) {
    case TARGET_STEP:
        jw_key(w, "kind");
        jw_string(w, "step");
        jw_key(w, "step");
        jw_string(w, t->step.name);
        jw_key(w, "result");
        jw_string(w, t->result.name);
        break;
    case TARGET_RESULT:
        jw_key(w, "kind");
        jw_string(w, "result");
        jw_key(w, "result");
        jw_string(w, t->result.name);
        break;
    case TARGET_END:
        jw_key(w, "kind");
        jw_string(w, "end");
        break;
    }
    jw_end_object(w);
}

static void put_steps(json_writer *w, const regulation *r, const variant_decl *v)
{
    const step_list *l = variant_steps(r, v);
    jw_array(w);
    for (size_t i = 0; i < l->count; i++) {
        const step *s = &l->items[i];
        jw_object(w);
        jw_key(w, "id");
        jw_string(w, s->id.name);
        jw_key(w, "actor");
        jw_string(w, s->actor.name);
        jw_key(w, "action");
        jw_string(w, s->action);
        jw_key(w, "duration");
        put_duration(w, step_duration(s, v));
        jw_key(w, "by_channel");
        jw_object(w);
        for (size_t k = 0; k < s->noverrides; k++)
            if (s->overrides[k].key_is_channel) {
                jw_key(w, s->overrides[k].key.name);
                put_duration(w, &s->overrides[k].dur);
            }
        jw_end_object(w);
        jw_key(w, "cite");
        jw_string(w, s->cite);
        jw_key(w, "next");
        put_target(w, &s->nexts[0]);
        jw_key(w, "branches");
        jw_array(w);
        for (size_t k = 0; k < s->nbranches; k++) {
            const branch *b = &s->branches[k];
            jw_object(w);
            jw_key(w, "outcome");
            jw_string(w, b->outcome.name);
            jw_key(w, "condition");
            jw_string(w, b->condition);
            jw_key(w, "target");
            put_target(w, &b->to);
            jw_end_object(w);
        }
        jw_end_array(w);
        jw_end_object(w);
    }
    jw_end_array(w);
}

static void put_flow_target(json_writer *w, const flow_decl *f, size_t index, const flow_target *t)
{
    switch (t->kind) {
    case FLOW_TO_NEXT:
        jw_string(w, index + 1 < f->nitems ? f->items[index + 1].id.name : NULL);
        break;
    case FLOW_TO_ITEM: jw_string(w, t->item.name); break;
    case FLOW_TO_END: jw_string(w, "end"); break;
    case FLOW_TO_ERROR: jw_string(w, "error"); break;
    }
}

static void put_texts(json_writer *w, const text_decl *t, size_t n)
{
    jw_string(w, n ? t[0].text : NULL);
}

char *emit_json(const regulation *r)
{
    strbuf b;
    sb_init(&b);
    json_writer w;
    jw_init(&w, &b, false);
    jw_object(&w);
    jw_key(&w, "regulation");
    jw_string(&w, r->id.name);
    jw_key(&w, "region");
    jw_string(&w, r->nregions ? r->regions[0].name : NULL);
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
    jw_key(&w, "valid");
    jw_object(&w);
    jw_key(&w, "from");
    jw_string(&w, r->has_valid ? r->valid_from.text : NULL);
    jw_key(&w, "until");
    jw_string(&w, r->has_valid ? r->valid_until.text : NULL);
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
        jw_key(&w, "cite");
        jw_string(&w, v->cite);
        jw_key(&w, "steps");
        put_steps(&w, r, v);
        jw_end_object(&w);
    }
    jw_end_array(&w);

    jw_key(&w, "flows");
    jw_object(&w);
    for (size_t i = 0; i < r->nflows; i++) {
        const flow_decl *f = &r->flows[i];
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
            jw_string(&w, it->kind == FLOW_CHECK ? "check" : "process");
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
            put_flow_target(&w, f, k, &it->next);
            if (it->kind == FLOW_CHECK) {
                jw_key(&w, "else");
                put_flow_target(&w, f, k, &it->fail);
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

void backend_json(const regulation *r, out_files *out)
{
    out_files_add(out, xasprintf("%s.json", r->id.name), emit_json(r));
}
