/* fmt.c - canonical printing of a rule file, comments included.
 *
 * Layout is fixed: two spaces per level, one clause per line, a step's
 * actor, duration and citation on its second line, then its branches and
 * its successor. Blank lines between items are kept (at most one), and so
 * is every comment: a comment on its own line stays before the item that
 * followed it; a comment after code stays at the end of that item's last
 * line. */
#include "fmt.h"

#include <string.h>

#include "strbuf.h"

typedef struct {
    strbuf out;
    const regulation *r;
    size_t next_comment;
    int last_line;     /* last source line already printed */
    bool last_was_comment;   /* the last output line is a comment of its own */
} printer;

static void indent(printer *p, int level)
{
    for (int i = 0; i < level; i++)
        sb_add(&p->out, "  ");
}

static void put_string(printer *p, const char *s)
{
    sb_addc(&p->out, '"');
    for (; *s; s++) {
        switch (*s) {
        case '"': sb_add(&p->out, "\\\""); break;
        case '\\': sb_add(&p->out, "\\\\"); break;
        case '\n': sb_add(&p->out, "\\n"); break;
        case '\t': sb_add(&p->out, "\\t"); break;
        default: sb_addc(&p->out, *s);
        }
    }
    sb_addc(&p->out, '"');
}

static void put_duration(printer *p, const duration *d)
{
    if (d->at_most)
        sb_add(&p->out, "at most ");
    sb_printf(&p->out, "%lld%s", d->amount, unit_name(d->unit));
}

/* Prints the comments that come before source line `line`. */
static void flush_comments(printer *p, int line, int level)
{
    const regulation *r = p->r;
    while (p->next_comment < r->ncomments && r->comments[p->next_comment].line < line) {
        const comment *c = &r->comments[p->next_comment++];
        /* A comment that followed code stays at the end of the code's last
         * line, but never joins another comment: that would merge them. */
        if (!c->own_line && !p->last_was_comment && p->out.len > 0 &&
            p->out.data[p->out.len - 1] == '\n') {
            p->out.len--;
            sb_printf(&p->out, " %s\n", c->text);
        } else {
            if (p->out.len > 0 && c->line > p->last_line + 1)
                sb_addc(&p->out, '\n');
            indent(p, level);
            sb_printf(&p->out, "%s\n", c->text);
            p->last_was_comment = true;
        }
        if (c->line > p->last_line)
            p->last_line = c->line;
    }
}

/* Starts an item at source line `line`: comments before it, and the blank
 * line that separated it from what came before, if there was one. */
static void begin_item(printer *p, int line, int level, bool first_in_block)
{
    flush_comments(p, line, level);
    if (!first_in_block && line > p->last_line + 1)
        sb_addc(&p->out, '\n');
    p->last_was_comment = false;
}

static void end_item(printer *p, int end_line)
{
    if (end_line > p->last_line)
        p->last_line = end_line;
}

static void put_target(printer *p, const target *t)
{
    switch (t->kind) {
    case TARGET_STEP:
        sb_add(&p->out, t->step.name);
        if (t->result.name)
            sb_printf(&p->out, " with %s", t->result.name);
        break;
    case TARGET_RESULT: sb_printf(&p->out, "result %s", t->result.name); break;
    case TARGET_END: sb_add(&p->out, "end"); break;
    }
}

/* Before a line of a multi-line item: the comments written before the
 * source text that this line prints, so they keep their place. */
static void part_line(printer *p, int line, int level)
{
    if (line > 0)
        flush_comments(p, line, level);
    p->last_was_comment = false;
}

static void put_step(printer *p, const step *s, int level)
{
    indent(p, level);
    sb_printf(&p->out, "step %s ", s->id.name);
    put_string(p, s->action);
    sb_addc(&p->out, '\n');
    if (s->actor.name || s->has_duration || s->nonly || s->cite) {
        int line = s->actor.name ? s->actor.loc.line : 0;
        if (s->has_duration && (line == 0 || s->dur.loc.line < line))
            line = s->dur.loc.line;
        part_line(p, line, level + 1);
        indent(p, level + 1);
        const char *sep = "";
        if (s->actor.name) {
            sb_printf(&p->out, "by %s", s->actor.name);
            sep = " ";
        }
        if (s->has_duration) {
            sb_printf(&p->out, "%stakes ", sep);
            put_duration(p, &s->dur);
            if (s->noverrides) {
                sb_add(&p->out, " [");
                for (size_t i = 0; i < s->noverrides; i++) {
                    sb_printf(&p->out, "%s%s ", i ? ", " : "", s->overrides[i].key.name);
                    put_duration(p, &s->overrides[i].dur);
                }
                sb_addc(&p->out, ']');
            }
            sep = " ";
        }
        for (size_t i = 0; i < s->nonly; i++) {
            sb_printf(&p->out, "%s%s", i ? ", " : sep[0] ? " only " : "only ", s->only[i].name);
            sep = " ";
        }
        if (s->cite) {
            sb_printf(&p->out, "%scite ", sep);
            put_string(p, s->cite);
        }
        sb_addc(&p->out, '\n');
    }
    for (size_t i = 0; i < s->nbranches; i++) {
        const branch *b = &s->branches[i];
        part_line(p, b->loc.line, level + 1);
        indent(p, level + 1);
        sb_printf(&p->out, "on %s ", b->outcome.name);
        put_string(p, b->condition);
        sb_add(&p->out, " -> ");
        put_target(p, &b->to);
        sb_addc(&p->out, '\n');
    }
    for (size_t i = 0; i < s->nnexts; i++) {
        part_line(p, s->nexts[i].loc.line, level + 1);
        indent(p, level + 1);
        sb_add(&p->out, "-> ");
        put_target(p, &s->nexts[i]);
        sb_addc(&p->out, '\n');
    }
}

static void put_flow_target(printer *p, const flow_target *t)
{
    switch (t->kind) {
    case FLOW_TO_ITEM: sb_add(&p->out, t->item.name); break;
    case FLOW_TO_END: sb_add(&p->out, "end"); break;
    case FLOW_TO_ERROR: sb_add(&p->out, "error"); break;
    case FLOW_TO_NEXT: break;
    }
}

static void put_flow(printer *p, const flow_decl *f, int level)
{
    indent(p, level);
    sb_printf(&p->out, "flow %s", f->channel.name);
    if (f->label) {
        sb_addc(&p->out, ' ');
        put_string(p, f->label);
    }
    if (f->has_duration) {
        sb_add(&p->out, " takes ");
        put_duration(p, &f->dur);
    }
    if (f->cite) {
        sb_add(&p->out, " cite ");
        put_string(p, f->cite);
    }
    sb_add(&p->out, " {\n");
    p->last_line = f->block_line;
    p->last_was_comment = false;
    for (size_t i = 0; i < f->nitems; i++) {
        const flow_item *it = &f->items[i];
        begin_item(p, it->loc.line, level + 1, i == 0);
        indent(p, level + 1);
        if (it->kind == FLOW_STEPS) {
            sb_add(&p->out, "steps");
            if (it->text) {
                sb_addc(&p->out, ' ');
                put_string(p, it->text);
            }
        } else {
            sb_printf(&p->out, "%s %s ", flow_item_keyword(it->kind), it->id.name);
            put_string(p, it->text);
        }
        if (it->kind == FLOW_CHECK) {
            sb_add(&p->out, " else ");
            put_flow_target(p, &it->fail);
        }
        if (it->has_duration) {
            sb_add(&p->out, " takes ");
            put_duration(p, &it->dur);
        }
        if (it->cite) {
            sb_add(&p->out, " cite ");
            put_string(p, it->cite);
        }
        if (it->next.kind != FLOW_TO_NEXT) {
            sb_add(&p->out, " -> ");
            put_flow_target(p, &it->next);
        }
        sb_addc(&p->out, '\n');
        end_item(p, it->end_line);
    }
    flush_comments(p, f->end_line, level + 1);
    indent(p, level);
    sb_add(&p->out, "}\n");
    p->last_was_comment = false;
}

static void put_variant(printer *p, const variant_decl *v, int level)
{
    indent(p, level);
    sb_printf(&p->out, "variant %s ", v->id.name);
    put_string(p, v->label);
    sb_printf(&p->out, " result %s", v->result.name);
    if (v->has_term || v->cite) {
        sb_addc(&p->out, '\n');
        part_line(p, v->has_term ? v->term.loc.line : 0, level + 1);
        indent(p, level + 1);
        const char *sep = "";
        if (v->has_term) {
            sb_add(&p->out, "term ");
            put_duration(p, &v->term);
            if (v->term_anchor.name)
                sb_printf(&p->out, " from %s %s", v->anchor_is_step ? "step" : "event", v->term_anchor.name);
            if (v->term_from) {
                sb_add(&p->out, v->term_anchor.name ? " " : " from ");
                put_string(p, v->term_from);
            }
            sep = " ";
        }
        if (v->cite) {
            sb_printf(&p->out, "%scite ", sep);
            put_string(p, v->cite);
        }
    }
    if (!v->has_steps) {
        sb_addc(&p->out, '\n');
        return;
    }
    sb_add(&p->out, " {\n");
    p->last_line = v->block_line;
    p->last_was_comment = false;
    for (size_t i = 0; i < v->steps.count; i++) {
        const step *s = &v->steps.items[i];
        begin_item(p, s->loc.line, level + 1, i == 0);
        put_step(p, s, level + 1);
        end_item(p, s->end_line);
    }
    flush_comments(p, v->end_line, level + 1);
    indent(p, level);
    sb_add(&p->out, "}\n");
    p->last_was_comment = false;
}

static void put_text_clause(printer *p, const char *kw, const text_decl *t)
{
    sb_printf(&p->out, "%s ", kw);
    put_string(p, t->text);
}

char *fmt_regulation(const regulation *r)
{
    printer p;
    memset(&p, 0, sizeof p);
    sb_init(&p.out);
    p.r = r;
    if (r->id.name) {
        flush_comments(&p, r->loc.line, 0);
        if (p.out.len > 0 && r->loc.line > p.last_line + 1)
            sb_addc(&p.out, '\n');
        sb_printf(&p.out, "regulation %s {\n", r->id.name);
        p.last_line = r->loc.line;
        p.last_was_comment = false;
        for (size_t i = 0; i < r->nitems; i++) {
            const item_ref *it = &r->items[i];
            size_t k = it->index;
            begin_item(&p, it->loc.line, 1, i == 0);
            switch (it->kind) {
            case ITEM_STEP:
                put_step(&p, &r->steps.items[k], 1);
                break;
            case ITEM_VARIANT:
                put_variant(&p, &r->variants[k], 1);
                break;
            case ITEM_FLOW:
                put_flow(&p, &r->flows[k], 1);
                break;
            default:
                indent(&p, 1);
                switch (it->kind) {
                case ITEM_TITLE:
                    sb_printf(&p.out, "title %s ", r->titles[k].lang.name);
                    put_string(&p, r->titles[k].text);
                    break;
                case ITEM_REGION: sb_printf(&p.out, "region %s", r->regions[k].name); break;
                case ITEM_ACT: put_text_clause(&p, "act", &r->acts[k]); break;
                case ITEM_AMENDED: put_text_clause(&p, "amended", &r->amended[k]); break;
                case ITEM_STANDARD: put_text_clause(&p, "standard", &r->standards[k]); break;
                case ITEM_REPEALED: put_text_clause(&p, "repealed", &r->repealed[k]); break;
                case ITEM_PROVIDER: put_text_clause(&p, "provider", &r->providers[k]); break;
                case ITEM_VALID:
                    sb_printf(&p.out, "valid from %s", r->valid_from.text);
                    if (r->valid_until.text)
                        sb_printf(&p.out, " until %s", r->valid_until.text);
                    break;
                case ITEM_IN_FORCE:
                case ITEM_PUBLISHED: {
                    const force_decl *f = k ? &r->repeal : &r->entry;
                    sb_add(&p.out, k ? "repeal " : "");
                    if (it->kind == ITEM_IN_FORCE && f->fixed)
                        sb_printf(&p.out, "in force on %s", f->on.text);
                    else if (it->kind == ITEM_IN_FORCE)
                        sb_printf(&p.out, "in force %dcd after publication", (int)f->after.amount);
                    else if (f->pub_earliest.loc.line == f->pub_latest.loc.line &&
                             f->pub_earliest.loc.col == f->pub_latest.loc.col) {
                        sb_printf(&p.out, "published on %s ", f->pub_earliest.text);
                        put_string(&p, f->why_earliest);
                    } else {
                        sb_printf(&p.out, "published between %s ", f->pub_earliest.text);
                        put_string(&p, f->why_earliest);
                        sb_printf(&p.out, " and %s ", f->pub_latest.text);
                        put_string(&p, f->why_latest);
                    }
                    break;
                }
                case ITEM_WORDING:
                    sb_printf(&p.out, "wording of %s", r->wording_of.name);
                    if (r->gap.present) {
                        sb_add(&p.out, " after gap ");
                        put_string(&p, r->gap.reason);
                        sb_add(&p.out, " cite ");
                        put_string(&p, r->gap.cite);
                    }
                    break;
                case ITEM_FORM:
                    sb_add(&p.out, "form ");
                    for (size_t f = k; f < k + it->count && f < r->nforms; f++)
                        sb_printf(&p.out, "%s%s", f > k ? ", " : "", r->forms[f].name);
                    break;
                case ITEM_CHANNEL:
                    sb_printf(&p.out, "channel %s ", r->channels[k].id.name);
                    put_string(&p, r->channels[k].label);
                    break;
                case ITEM_RESULT:
                    sb_printf(&p.out, "result %s ", r->results[k].id.name);
                    put_string(&p, r->results[k].label);
                    if (r->results[k].negative)
                        sb_add(&p.out, " negative");
                    break;
                case ITEM_ACTOR:
                    sb_printf(&p.out, "actor %s ", r->actors[k].id.name);
                    put_string(&p, r->actors[k].label);
                    if (r->actors[k].external)
                        sb_add(&p.out, " external");
                    break;
                default:
                    break;
                }
                sb_addc(&p.out, '\n');
            }
            end_item(&p, it->end_line);
        }
        flush_comments(&p, r->end_line, 1);
        sb_add(&p.out, "}\n");
        p.last_line = r->end_line;
        p.last_was_comment = false;
    }
    flush_comments(&p, 1 << 30, 0);
    return sb_take(&p.out);
}
