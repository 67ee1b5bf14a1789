/* emit_page.c - the page of a regulation, <service>.md, and the index of a
 * region, README.md (docs/diagrams.md): what a reviewer reads in a pull
 * request. Built from the lowered model only, so a fact the model gains
 * shows on the page by adding it here.
 *
 * A page has the act and its validity, the channels, the results and the
 * actors, the statutory terms, a table of steps per variant and of items
 * per information-system flow, each followed by its diagram as a
 * ```mermaid block (the Mermaid back end's text, which GitHub draws), and
 * the warnings `regc check` gives for the regulation. Tables keep the order
 * of the rule file, one row per step, so a changed duration is a changed
 * row.
 *
 * Every text from the rule file is escaped for GitHub Markdown: the
 * characters that make emphasis, links, code, tables, math or HTML (`\`,
 * `` ` ``, `*`, `_`, `[`, `]`, `|`, `~`, `$`) take a backslash, `<`, `>`
 * and `&` are entities, a line break is `<br>`, and characters a reader
 * cannot see (bidirectional controls, zero-width characters) or control
 * characters are written visibly as <U+XXXX>. Inside a mermaid block the
 * Mermaid back end's own escaping holds (emit_mermaid.c). */
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "check.h"
#include "diag.h"
#include "diagram.h"
#include "util.h"
#include "validity.h"

static const char *const md_ascii[128] = {
    ['\\'] = "\\\\", ['`'] = "\\`", ['*'] = "\\*", ['_'] = "\\_", ['['] = "\\[", [']'] = "\\]",
    ['|'] = "\\|", ['~'] = "\\~", ['$'] = "\\$", ['<'] = "&lt;", ['>'] = "&gt;", ['&'] = "&amp;",
    ['\n'] = "<br>", ['\t'] = " ",
};
static const quoting md_quoting = { "", "", md_ascii, "&lt;U+%04X&gt;", "&lt;U+%04X&gt;" };

/* Text from the rule file, as Markdown that shows exactly that text. */
static void md(strbuf *b, const char *s)
{
    sb_quote(b, s, &md_quoting);
}

static const char *page_title(const regulation *r)
{
    for (size_t i = 0; i < r->ntitles; i++)
        if (strcmp(r->titles[i].lang.name, "kk") == 0)
            return r->titles[i].text;
    return r->ntitles ? r->titles[0].text : NULL;
}

static void put_duration(strbuf *b, const duration *d)
{
    dg_put_duration(b, d);
}

static void put_mermaid(strbuf *b, const diagram *d)
{
    char *text = mermaid_render(d);
    sb_add(b, "\n```mermaid\n");
    sb_add(b, text);
    sb_add(b, "```\n");
    free(text);
}

/* ---- the act ---- */

static void put_texts(strbuf *b, const char *what, const text_decl *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sb_printf(b, "- **%s:** ", what);
        md(b, t[i].text);
        sb_addc(b, '\n');
    }
}

static void put_act(strbuf *b, const regulation *r)
{
    sb_add(b, "\n## Act\n\n");
    put_texts(b, "Act", r->acts, r->nacts);
    put_texts(b, "Amended by", r->amended, r->namended);
    put_texts(b, "Standard", r->standards, r->nstandards);
    put_texts(b, "Repealed by", r->repealed, r->nrepealed);
    validity v;
    validity_resolve(r, &v);
    sb_add(b, "- **Valid:** ");
    if (!v.from[0])
        sb_add(b, "not stated in the rule file");
    else if (v.until[0])
        sb_printf(b, "from %s until %s (the first day it no longer applies)", v.from, v.until);
    else
        sb_printf(b, "from %s, no end date", v.from);
    sb_addc(b, '\n');
    if (v.note[0]) {
        sb_add(b, "- **Not known:** ");
        md(b, v.note);
        sb_addc(b, '\n');
    }
    put_texts(b, "Provider", r->providers, r->nproviders);
    if (r->nforms) {
        sb_add(b, "- **Forms:** ");
        for (size_t i = 0; i < r->nforms; i++)
            sb_printf(b, "%s%s", i ? ", " : "", r->forms[i].name);
        sb_addc(b, '\n');
    }
    for (size_t i = 0; i < r->ntitles; i++)
        if (r->titles[i].text != page_title(r)) {
            sb_printf(b, "- **Title (%s):** ", r->titles[i].lang.name);
            md(b, r->titles[i].text);
            sb_addc(b, '\n');
        }
}

/* ---- channels, results, actors, terms ---- */

static void put_channels(strbuf *b, const lowered *l)
{
    const regulation *r = l->r;
    sb_add(b, "\n## Channels\n\n| channel | name | information-system flow |\n|---|---|---|\n");
    for (size_t i = 0; i < r->nchannels; i++) {
        sb_printf(b, "| `%s` | ", r->channels[i].id.name);
        md(b, r->channels[i].label);
        sb_add(b, " | ");
        const lw_flow *f = lw_find_flow(l, r->channels[i].id.name);
        if (!f)
            sb_add(b, "none in the rule file");
        else
            sb_printf(b, "[%zu items](#flow-%s)", f->nitems, r->channels[i].id.name);
        sb_add(b, " |\n");
    }
}

static void put_results(strbuf *b, const lowered *l)
{
    const regulation *r = l->r;
    sb_add(b, "\n## Results\n\n| result | name | kind | variants that can end with it |\n|---|---|---|---|\n");
    for (size_t i = 0; i < r->nresults; i++) {
        sb_printf(b, "| `%s` | ", r->results[i].id.name);
        md(b, r->results[i].label);
        sb_printf(b, " | %s | ", r->results[i].negative ? "negative (a refusal)" : "positive");
        size_t n = 0;
        for (size_t v = 0; v < l->nvariants; v++)
            if (l->variants[v].ends[i])
                sb_printf(b, "%s`%s`", n++ ? ", " : "", l->variants[v].src->id.name);
        sb_add(b, n ? " |\n" : "none |\n");
    }
}

static void put_actors(strbuf *b, const regulation *r)
{
    sb_add(b, "\n## Actors\n\n| actor | name | |\n|---|---|---|\n");
    for (size_t i = 0; i < r->nactors; i++) {
        sb_printf(b, "| `%s` | ", r->actors[i].id.name);
        md(b, r->actors[i].label);
        sb_printf(b, " | %s |\n", r->actors[i].external ? "outside the provider" : "");
    }
}

static void put_term(strbuf *b, const variant_decl *v)
{
    if (!v->has_term) {
        sb_add(b, "no term in the rule file");
        return;
    }
    put_duration(b, &v->term);
    if (v->term_from) {
        sb_add(b, " from ");
        md(b, v->term_from);
    }
    if (v->cite) {
        sb_add(b, " (");
        md(b, v->cite);
        sb_addc(b, ')');
    }
}

static void put_terms(strbuf *b, const lowered *l)
{
    sb_add(b, "\n## Terms\n\n| variant | result | term |\n|---|---|---|\n");
    for (size_t i = 0; i < l->nvariants; i++) {
        const variant_decl *v = l->variants[i].src;
        sb_printf(b, "| [`%s`](#variant-%s) | `%s` | ", v->id.name, v->id.name,
                  l->r->results[l->variants[i].result].id.name);
        put_term(b, v);
        sb_add(b, " |\n");
    }
}

/* ---- variants ---- */

static void put_target(strbuf *b, const lowered *l, const lw_variant *v, const lw_target *t)
{
    switch (t->kind) {
    case LW_TO_STEP: sb_printf(b, "→ `%s`", v->steps[t->step].src->id.name); break;
    case LW_TO_RESULT: sb_printf(b, "→ result `%s`", l->r->results[t->result].id.name); break;
    case LW_TO_END: sb_add(b, "→ end"); break;
    }
    if (t->kind != LW_TO_RESULT && t->result != LW_NONE)
        sb_printf(b, " with `%s`", l->r->results[t->result].id.name);
}

static void put_variant(strbuf *b, const lowered *l, const lw_variant *v)
{
    const regulation *r = l->r;
    const variant_decl *vd = v->src;
    sb_printf(b, "\n<a id=\"variant-%s\"></a>\n\n## Variant `%s`: ", vd->id.name, vd->id.name);
    md(b, vd->label);
    sb_printf(b, "\n\n- **Result:** `%s`\n- **Term:** ", r->results[v->result].id.name);
    put_term(b, vd);
    sb_printf(b, "\n- **Steps:** %s\n", v->shared ? "the shared steps of the regulation" : "its own");
    if (v->nsteps == 0) {
        sb_add(b, "\nNo steps.\n");
    } else {
        sb_add(b, "\n| # | step | actor | duration | action | citation | then |\n"
                  "|---|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < v->nsteps; i++) {
            const lw_step *s = &v->steps[i];
            sb_printf(b, "| %zu | `%s`%s | `%s` | ", i + 1, s->src->id.name,
                      s->reached ? "" : " (no way reaches it)", r->actors[s->actor].id.name);
            put_duration(b, s->dur);
            for (size_t k = 0; k < s->nby_channel; k++) {
                sb_printf(b, "<br>%s ", r->channels[s->by_channel[k].channel].id.name);
                put_duration(b, s->by_channel[k].dur);
            }
            sb_add(b, " | ");
            md(b, s->src->action);
            sb_add(b, " | ");
            if (s->src->cite)
                md(b, s->src->cite);
            sb_add(b, " | ");
            for (size_t k = 0; k < s->nbranches; k++) {
                const lw_branch *br = &s->branches[k];
                sb_printf(b, "on `%s`", br->src->outcome.name);
                if (br->src->condition) {
                    sb_add(b, " (");
                    md(b, br->src->condition);
                    sb_addc(b, ')');
                }
                sb_addc(b, ' ');
                put_target(b, l, v, &br->to);
                sb_add(b, "<br>");
            }
            if (s->nbranches)
                sb_add(b, "otherwise ");
            put_target(b, l, v, &s->next);
            sb_add(b, " |\n");
        }
    }
    diagram d;
    diagram_of_variant(l, v, &d);
    put_mermaid(b, &d);
    diagram_free(&d);
}

/* ---- information-system flows ---- */

static void put_place(strbuf *b, const lw_flow *f, lw_place p)
{
    if (p.kind == LW_PLACE_ITEM)
        sb_printf(b, "→ `%s`", lw_place_name(f, p));
    else
        sb_printf(b, "→ %s", lw_place_name(f, p));
}

static void put_flow(strbuf *b, const lowered *l, const lw_flow *f)
{
    const regulation *r = l->r;
    const flow_decl *fd = f->src;
    const channel_decl *ch = &r->channels[f->channel];
    sb_printf(b, "\n<a id=\"flow-%s\"></a>\n\n## Flow through `%s`: ", ch->id.name, ch->id.name);
    md(b, fd->label ? fd->label : ch->label);
    sb_add(b, "\n\n- **Duration:** ");
    if (fd->has_duration)
        put_duration(b, &fd->dur);
    else
        sb_add(b, "not stated");
    if (fd->cite) {
        sb_add(b, "\n- **Citation:** ");
        md(b, fd->cite);
    }
    sb_add(b, "\n\n| # | item | kind | what | duration | citation | then | when the check fails |\n"
              "|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < f->nitems; i++) {
        const lw_flow_item *it = &f->items[i];
        const flow_item *src = it->src;
        bool check = src->kind == FLOW_CHECK;
        sb_printf(b, "| %zu | `%s` | %s | ", i + 1, src->id.name, flow_item_keyword(src->kind));
        md(b, flow_item_text(src));
        sb_add(b, " | ");
        if (src->has_duration)
            put_duration(b, &src->dur);
        sb_add(b, " | ");
        if (src->cite)
            md(b, src->cite);
        sb_add(b, " | ");
        put_place(b, f, it->next);
        sb_add(b, " | ");
        if (check)
            put_place(b, f, it->fail);
        sb_add(b, " |\n");
    }
    diagram d;
    diagram_of_flow(l, f, &d);
    put_mermaid(b, &d);
    diagram_free(&d);
}

/* ---- findings ---- */

/* The warnings of `regc check` for the regulation, every warning on; the
 * model passed the checks' errors before a back end runs. */
void page_findings(const lowered *l, diag_list *d)
{
    source src = { l->r->id.name, NULL, 0 };
    diag_init(d, NULL);
    check_regulation(l, &src, d);
}

static void put_findings(strbuf *b, const diag_list *found)
{
    const diag_list d = *found;
    sb_add(b, "\n## Findings\n\n");
    if (d.count == 0) {
        sb_add(b, "`regc check` finds nothing to report.\n");
    } else {
        sb_printf(b, "`regc check` reports %zu warning%s ([docs/checks.md](../../docs/checks.md) says "
                     "what each check means, [docs/findings.md](../../docs/findings.md) why the shipped rules keep "
                     "them):\n\n",
                  d.count, d.count == 1 ? "" : "s");
        for (size_t i = 0; i < d.count; i++) {
            const diagnostic *g = &d.items[i];
            sb_printf(b, "- line %d, `%s`: ", g->line, g->flag ? g->flag : "error");
            md(b, g->msg);
            if (g->hint) {
                sb_add(b, ". *Hint:* ");
                md(b, g->hint);
            }
            sb_addc(b, '\n');
        }
    }
}

/* ---- the page and the index ---- */

char *emit_page_found(const lowered *l, const diag_list *found)
{
    const regulation *r = l->r;
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "<!-- %s.md: generated by regc from the rule file; edit the rule file, not this file -->\n\n# ",
              r->id.name);
    const char *title = page_title(r);
    if (title)
        md(&b, title);
    else
        sb_printf(&b, "`%s`", r->id.name);
    sb_printf(&b, "\n\nRegulation `%s` of region `%s`: [index](README.md) · [BPMN](%s.bpmn) · "
                  "[JSON model](%s.json)\n",
              r->id.name, r->regions[0].name, r->id.name, r->id.name);
    put_act(&b, r);
    put_channels(&b, l);
    put_results(&b, l);
    put_actors(&b, r);
    put_terms(&b, l);
    for (size_t i = 0; i < l->nvariants; i++)
        put_variant(&b, l, &l->variants[i]);
    for (size_t i = 0; i < l->nflows; i++)
        put_flow(&b, l, &l->flows[i]);
    put_findings(&b, found);
    return sb_take(&b);
}

char *emit_page(const lowered *l)
{
    diag_list d;
    page_findings(l, &d);
    char *page = emit_page_found(l, &d);
    diag_free(&d);
    return page;
}

/* One row of the region's index page: what backend_page_region needs of a
 * regulation, so that `regc gen` can free each tree after its file (and
 * keep the row for a file it does not read again). */
char *page_index_row(const lowered *l)
{
    diag_list d;
    page_findings(l, &d);
    char *row = page_index_row_found(l, d.count);
    diag_free(&d);
    return row;
}

char *page_index_row_found(const lowered *l, size_t nwarnings)
{
    const regulation *r = l->r;
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "| [`%s`](%s.md) | ", r->id.name, r->id.name);
    const char *title = page_title(r);
    if (title)
        md(&b, title);
    sb_add(&b, " | ");
    validity v;
    validity_resolve(r, &v);
    if (!v.from[0])
        sb_add(&b, "not stated");
    else if (v.until[0])
        sb_printf(&b, "%s – %s%s", v.from, v.until, v.note[0] ? " (uncertain)" : "");
    else
        sb_printf(&b, "from %s%s", v.from, v.note[0] ? " (uncertain)" : "");
    sb_add(&b, " | ");
    for (size_t i = 0; i < l->nvariants; i++)
        sb_printf(&b, "%s[`%s`](%s.md#variant-%s)", i ? ", " : "", l->variants[i].src->id.name, r->id.name,
                  l->variants[i].src->id.name);
    sb_add(&b, " | ");
    for (size_t f = 0; f < l->nflows; f++) {
        const char *ch = r->channels[l->flows[f].channel].id.name;
        sb_printf(&b, "%s[`%s`](%s.md#flow-%s)", f ? ", " : "", ch, r->id.name, ch);
    }
    sb_printf(&b, " | %zu warning%s | [BPMN](%s.bpmn) · [JSON](%s.json) |", nwarnings, nwarnings == 1 ? "" : "s",
              r->id.name, r->id.name);
    return sb_take(&b);
}

void backend_page_region(const char *region, const char *const *rows, size_t n, out_files *out)
{
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "<!-- README.md: generated by regc from the rule files; edit the rule files, not this file -->\n\n"
                  "# Region `%s`\n\n"
                  "%zu regulation%s. Each page has the act, the steps of every variant with their "
                  "durations and citations, the intake flows, the diagrams and the compiler's findings.\n\n"
                  "| regulation | title | valid | variants | flows | findings | files |\n"
                  "|---|---|---|---|---|---|---|\n",
              region, n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
        sb_add(&b, rows[i]);
        sb_addc(&b, '\n');
    }
    out_files_add(out, xstrdup("README.md"), sb_take(&b));
}
