/* fingerprint.c - the meaning of a compiled regulation as a hash
 * (fingerprint.h). The canonical text is what the engine reads from the
 * generated machine apart from labels: changing a label or a citation
 * keeps the fingerprint; renaming a step, changing a duration or a
 * transition, or a flow's items and times, changes it. */
#include "fingerprint.h"

#include <stdint.h>
#include <stdio.h>

#include "strbuf.h"

static void put_dur(strbuf *b, const duration *d)
{
    if (d)
        sb_printf(b, "%lld/%d/%d", d->amount, (int)d->unit, d->at_most ? 1 : 0);
    else
        sb_add(b, "-");
}

static void put_target(strbuf *b, const lw_target *t)
{
    sb_printf(b, "%d:%zd:%zd", (int)t->kind, t->state == LW_NONE ? (ssize_t)-1 : (ssize_t)t->state,
              t->result == LW_NONE ? (ssize_t)-1 : (ssize_t)t->result);
}

void model_fingerprint(const lowered *l, char out[17])
{
    const regulation *r = l->r;
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "service %s\n", r->wording_of.name ? r->wording_of.name : r->id.name);
    for (size_t i = 0; i < r->nresults; i++)
        sb_printf(&b, "result %s %d\n", r->results[i].id.name, r->results[i].negative ? 1 : 0);
    for (size_t i = 0; i < r->nchannels; i++)
        sb_printf(&b, "channel %s\n", r->channels[i].id.name);
    for (size_t i = 0; i < r->nactors; i++)
        sb_printf(&b, "actor %s\n", r->actors[i].id.name);
    for (size_t i = 0; i < l->noutcomes; i++)
        sb_printf(&b, "outcome %s\n", l->outcomes[i]);
    for (size_t i = 0; i < l->nvariants; i++) {
        const lw_variant *v = &l->variants[i];
        sb_printf(&b, "variant %s %zu ", v->src->id.name, v->result);
        put_dur(&b, v->src->has_term ? &v->src->term : NULL);
        sb_printf(&b, " %s %s\n", v->src->term_anchor.name ? (v->src->anchor_is_step ? "step" : "event") : "-",
                  v->src->term_anchor.name ? v->src->term_anchor.name : "-");
        for (size_t k = 0; k < v->nsteps; k++) {
            const lw_step *s = &v->steps[k];
            sb_printf(&b, " step %s %zu %zu ", s->src->id.name, s->state, s->actor);
            put_dur(&b, s->dur);
            for (size_t c = 0; c < s->nby_channel; c++) {
                sb_printf(&b, " ch%zu=", s->by_channel[c].channel);
                put_dur(&b, s->by_channel[c].dur);
            }
            sb_add(&b, " -> ");
            put_target(&b, &s->next);
            for (size_t j = 0; j < s->nbranches; j++) {
                sb_printf(&b, " on%zu ", s->branches[j].outcome);
                put_target(&b, &s->branches[j].to);
            }
            sb_add(&b, "\n");
        }
    }
    /* Flows run (docs/semantics.md §9): their items, places and times
     * decide a case submitted through their channel. */
    for (size_t i = 0; i < l->nflows; i++) {
        const lw_flow *f = &l->flows[i];
        sb_printf(&b, "flow %zu ", f->channel);
        put_dur(&b, f->src->has_duration ? &f->src->dur : NULL);
        sb_printf(&b, " steps@%zu\n", f->steps_item);
        for (size_t k = 0; k < f->nitems; k++) {
            const flow_item *it = f->items[k].src;
            sb_printf(&b, " item %s %d ", it->id.name, (int)it->kind);
            put_dur(&b, it->has_duration ? &it->dur : NULL);
            sb_printf(&b, " -> %s", lw_place_name(f, f->items[k].next));
            if (it->kind == FLOW_CHECK)
                sb_printf(&b, " else %s", lw_place_name(f, f->items[k].fail));
            sb_add(&b, "\n");
        }
    }
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < b.len; i++) {
        h ^= (unsigned char)b.data[i];
        h *= 1099511628211ull;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
    sb_free(&b);
}
