/* ast.c - construction, release, queries and a canonical dump of the tree. */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "util.h"

regulation *ast_new(void)
{
    regulation *r = xrealloc(NULL, sizeof *r);
    memset(r, 0, sizeof *r);
    arena_init(&r->mem);
    return r;
}

void ast_free(regulation *r)
{
    if (!r)
        return;
    arena_free(&r->mem);
    free(r);
}

const char *unit_name(reg_unit u)
{
    switch (u) {
    case REG_UNIT_M: return "m";
    case REG_UNIT_H: return "h";
    case REG_UNIT_WD: return "wd";
    case REG_UNIT_CD: return "cd";
    default: return "?";
    }
}

long long duration_minutes(const duration *d, int minutes_per_day)
{
    switch (d->unit) {
    case REG_UNIT_M: return d->amount;
    case REG_UNIT_H: return d->amount * 60;
    case REG_UNIT_WD: return d->amount * minutes_per_day;
    default: return -1;
    }
}

const step_list *variant_steps(const regulation *r, const variant_decl *v)
{
    return v->has_steps ? &v->steps : &r->steps;
}

const duration *step_duration(const step *s, const variant_decl *v)
{
    for (size_t i = 0; i < s->noverrides; i++)
        if (!s->overrides[i].key_is_channel && v && strcmp(s->overrides[i].key.name, v->id.name) == 0)
            return &s->overrides[i].dur;
    return &s->dur;
}

/* ---- canonical dump ---- */

static void dump_str(strbuf *b, const char *s)
{
    if (!s) {
        sb_add(b, "-");
        return;
    }
    sb_addc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            sb_addc(b, '\\');
        if (*s == '\n')
            sb_add(b, "\\n");
        else
            sb_addc(b, *s);
    }
    sb_addc(b, '"');
}

static void dump_dur(strbuf *b, const duration *d)
{
    sb_printf(b, "%s%lld%s", d->at_most ? "<=" : "", d->amount, unit_name(d->unit));
}

static void dump_target(strbuf *b, const target *t)
{
    switch (t->kind) {
    case TARGET_STEP:
        sb_printf(b, "step:%s", t->step.name);
        if (t->result.name)
            sb_printf(b, "+%s", t->result.name);
        break;
    case TARGET_RESULT: sb_printf(b, "result:%s", t->result.name); break;
    case TARGET_END: sb_add(b, "end"); break;
    }
}

static void dump_steps(strbuf *b, const step_list *l, const char *indent)
{
    for (size_t i = 0; i < l->count; i++) {
        const step *s = &l->items[i];
        sb_printf(b, "%sstep %s ", indent, s->id.name);
        dump_str(b, s->action);
        sb_printf(b, " by %s takes ", s->actor.name ? s->actor.name : "-");
        if (s->has_duration)
            dump_dur(b, &s->dur);
        else
            sb_add(b, "-");
        for (size_t k = 0; k < s->noverrides; k++) {
            sb_printf(b, " [%s ", s->overrides[k].key.name);
            dump_dur(b, &s->overrides[k].dur);
            sb_addc(b, ']');
        }
        for (size_t k = 0; k < s->nonly; k++)
            sb_printf(b, "%s%s", k ? ", " : " only ", s->only[k].name);
        sb_add(b, " cite ");
        dump_str(b, s->cite);
        sb_addc(b, '\n');
        for (size_t k = 0; k < s->nbranches; k++) {
            const branch *br = &s->branches[k];
            sb_printf(b, "%s  on %s ", indent, br->outcome.name);
            dump_str(b, br->condition);
            sb_add(b, " -> ");
            dump_target(b, &br->to);
            sb_addc(b, '\n');
        }
        for (size_t k = 0; k < s->nnexts; k++) {
            sb_printf(b, "%s  -> ", indent);
            dump_target(b, &s->nexts[k]);
            sb_addc(b, '\n');
        }
    }
}

static void dump_flow_target(strbuf *b, const flow_target *t)
{
    switch (t->kind) {
    case FLOW_TO_NEXT: sb_add(b, "next"); break;
    case FLOW_TO_ITEM: sb_add(b, t->item.name); break;
    case FLOW_TO_END: sb_add(b, "end"); break;
    case FLOW_TO_ERROR: sb_add(b, "error"); break;
    }
}

char *ast_dump(const regulation *r)
{
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "regulation %s\n", r->id.name ? r->id.name : "-");
    for (size_t i = 0; i < r->nitems; i++) {
        const item_ref *it = &r->items[i];
        size_t k = it->index;
        switch (it->kind) {
        case ITEM_TITLE:
            sb_printf(&b, "title %s ", r->titles[k].lang.name);
            dump_str(&b, r->titles[k].text);
            break;
        case ITEM_REGION: sb_printf(&b, "region %s", r->regions[k].name); break;
        case ITEM_ACT: sb_add(&b, "act "); dump_str(&b, r->acts[k].text); break;
        case ITEM_AMENDED: sb_add(&b, "amended "); dump_str(&b, r->amended[k].text); break;
        case ITEM_STANDARD: sb_add(&b, "standard "); dump_str(&b, r->standards[k].text); break;
        case ITEM_REPEALED: sb_add(&b, "repealed "); dump_str(&b, r->repealed[k].text); break;
        case ITEM_PROVIDER: sb_add(&b, "provider "); dump_str(&b, r->providers[k].text); break;
        case ITEM_VALID:
            sb_printf(&b, "valid %s until %s", r->valid_from.text,
                      r->valid_until.text ? r->valid_until.text : "-");
            break;
        case ITEM_IN_FORCE:
        case ITEM_PUBLISHED: {
            const force_decl *f = k ? &r->repeal : &r->entry;
            if (it->kind == ITEM_IN_FORCE)
                sb_printf(&b, "%sin force %s%s", k ? "repeal " : "", f->fixed ? "on " : "",
                          f->fixed ? f->on.text : "after publication");
            else
                sb_printf(&b, "%spublished %s..%s", k ? "repeal " : "", f->pub_earliest.text, f->pub_latest.text);
            break;
        }
        case ITEM_WORDING:
            sb_printf(&b, "wording of %s", r->wording_of.name);
            if (r->gap.present)
                sb_printf(&b, " after gap \"%s\" cite \"%s\"", r->gap.reason, r->gap.cite);
            break;
        case ITEM_FORM:
            sb_add(&b, "form");
            for (size_t f = k; f < k + it->count && f < r->nforms; f++)
                sb_printf(&b, " %s", r->forms[f].name);
            break;
        case ITEM_CHANNEL:
            sb_printf(&b, "channel %s ", r->channels[k].id.name);
            dump_str(&b, r->channels[k].label);
            break;
        case ITEM_RESULT:
            sb_printf(&b, "result %s ", r->results[k].id.name);
            dump_str(&b, r->results[k].label);
            if (r->results[k].negative)
                sb_add(&b, " negative");
            break;
        case ITEM_ACTOR:
            sb_printf(&b, "actor %s ", r->actors[k].id.name);
            dump_str(&b, r->actors[k].label);
            if (r->actors[k].external)
                sb_add(&b, " external");
            break;
        case ITEM_VARIANT: {
            const variant_decl *v = &r->variants[k];
            sb_printf(&b, "variant %s ", v->id.name);
            dump_str(&b, v->label);
            sb_printf(&b, " result %s term ", v->result.name);
            if (v->has_term)
                dump_dur(&b, &v->term);
            else
                sb_add(&b, "-");
            sb_add(&b, " from ");
            if (v->term_anchor.name)
                sb_printf(&b, "%s %s ", v->anchor_is_step ? "step" : "event", v->term_anchor.name);
            dump_str(&b, v->term_from);
            sb_add(&b, " cite ");
            dump_str(&b, v->cite);
            if (v->has_steps) {
                sb_add(&b, " {\n");
                dump_steps(&b, &v->steps, "  ");
                sb_add(&b, "}");
            }
            break;
        }
        case ITEM_STEP: {
            step_list one = { &r->steps.items[k], 1 };
            dump_steps(&b, &one, "");
            b.len--; /* the newline is added below */
            break;
        }
        case ITEM_FLOW: {
            const flow_decl *f = &r->flows[k];
            sb_printf(&b, "flow %s ", f->channel.name);
            dump_str(&b, f->label);
            sb_add(&b, " takes ");
            if (f->has_duration)
                dump_dur(&b, &f->dur);
            else
                sb_add(&b, "-");
            sb_add(&b, " cite ");
            dump_str(&b, f->cite);
            sb_add(&b, " {\n");
            for (size_t n = 0; n < f->nitems; n++) {
                const flow_item *fi = &f->items[n];
                sb_printf(&b, "  %s %s ", flow_item_keyword(fi->kind), fi->id.name);
                dump_str(&b, fi->text);
                sb_add(&b, " takes ");
                if (fi->has_duration)
                    dump_dur(&b, &fi->dur);
                else
                    sb_add(&b, "-");
                sb_add(&b, " cite ");
                dump_str(&b, fi->cite);
                sb_add(&b, " next ");
                dump_flow_target(&b, &fi->next);
                if (fi->kind == FLOW_CHECK) {
                    sb_add(&b, " else ");
                    dump_flow_target(&b, &fi->fail);
                }
                sb_addc(&b, '\n');
            }
            sb_add(&b, "}");
            break;
        }
        }
        sb_addc(&b, '\n');
    }
    return sb_take(&b);
}

const char *flow_item_keyword(flow_item_kind k)
{
    switch (k) {
    case FLOW_CHECK: return "check";
    case FLOW_STEPS: return "steps";
    case FLOW_PROCESS: break;
    }
    return "process";
}

const char *flow_item_text(const flow_item *it)
{
    return it->text ? it->text : "the provider's steps";
}
