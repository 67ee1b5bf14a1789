/* emit_c.c - the C back end: one state machine per regulation, and a
 * header plus a table of machines per region.
 *
 * The machine is static data (runtime/machine.h) and a generated `apply`
 * function: a switch over states, then over events and outcomes, with
 * every transition a constant. Nothing is allocated and nothing searched
 * when a case moves. Names in the output come from the rule file, and the
 * order of everything follows the file, so the output is reproducible and
 * a reviewer can read it against the rules. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "diag.h"
#include "strbuf.h"
#include "util.h"

/* A C string literal that always ends where it should: quotes, backslashes
 * and control bytes escaped, `??` broken up so no trigraph can form, and
 * invisible characters (utf8_invisible) written as octal bytes: raw in
 * source, they can make code read differently from how it compiles. */
static void c_string(strbuf *b, const char *s)
{
    if (!s) {
        sb_add(b, "NULL");
        return;
    }
    sb_addc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        unsigned cp;
        size_t n = utf8_decode((const char *)p, &cp);
        if (utf8_invisible(cp)) {
            for (size_t i = 0; i < n; i++)
                sb_printf(b, "\\%03o", p[i]);
            p += n - 1;
        } else if (n > 1) {
            sb_addn(b, (const char *)p, n);
            p += n - 1;
        } else if (c == '"' || c == '\\')
            sb_printf(b, "\\%c", c);
        else if (c == '\n')
            sb_add(b, "\\n");
        else if (c == '\t')
            sb_add(b, "\\t");
        else if (c < 0x20 || c == 0x7f)
            sb_printf(b, "\\%03o", c);
        else if (c == '?' && p[1] == '?')
            sb_add(b, "?\\");
        else
            sb_addc(b, (char)c);
    }
    sb_addc(b, '"');
}

static void c_duration(strbuf *b, const duration *d)
{
    static const char *const units[] = {
        [REG_UNIT_M] = "REG_UNIT_M", [REG_UNIT_H] = "REG_UNIT_H",
        [REG_UNIT_WD] = "REG_UNIT_WD", [REG_UNIT_CD] = "REG_UNIT_CD",
    };
    sb_printf(b, "{ %lld, %s, %d }", d->amount, units[d->unit],
              d->at_most ? 1 : 0);
}

static void upper(strbuf *b, const char *s)
{
    for (; *s; s++)
        sb_addc(b, (char)toupper((unsigned char)*s));
}

/* Numbering of states and outcomes, shared by the data and the switch. */
typedef struct {
    const regulation *r;
    char *prefix;               /* <region>_<service> */
    size_t nstates_steps;
    size_t *variant_first;      /* first state of each variant */
    const char **outcomes;
    size_t noutcomes;
} layout;

static size_t result_index(const regulation *r, const result_decl *res)
{
    return (size_t)(res - r->results);
}

static size_t outcome_index(const layout *l, const char *name)
{
    for (size_t i = 0; i < l->noutcomes; i++)
        if (strcmp(l->outcomes[i], name) == 0)
            return i;
    return 0;
}

static void layout_init(layout *l, const regulation *r)
{
    memset(l, 0, sizeof *l);
    l->r = r;
    l->prefix = xasprintf("%s_%s", r->regions[0].name, r->id.name);
    l->variant_first = xrealloc(NULL, (r->nvariants + 1) * sizeof *l->variant_first);
    size_t n = 0;
    for (size_t v = 0; v < r->nvariants; v++) {
        l->variant_first[v] = n;
        n += variant_steps(r, &r->variants[v])->count;
    }
    l->nstates_steps = n;
    /* outcomes in order of first appearance in the file */
    size_t cap = 8;
    l->outcomes = xrealloc(NULL, cap * sizeof *l->outcomes);
    for (size_t v = 0; v < r->nvariants; v++) {
        const step_list *sl = variant_steps(r, &r->variants[v]);
        for (size_t i = 0; i < sl->count; i++)
            for (size_t k = 0; k < sl->items[i].nbranches; k++) {
                const char *o = sl->items[i].branches[k].outcome.name;
                bool seen = false;
                for (size_t j = 0; j < l->noutcomes && !seen; j++)
                    seen = strcmp(l->outcomes[j], o) == 0;
                if (seen)
                    continue;
                if (l->noutcomes == cap) {
                    cap *= 2;
                    l->outcomes = xrealloc(l->outcomes, cap * sizeof *l->outcomes);
                }
                l->outcomes[l->noutcomes++] = o;
            }
    }
}

static void layout_free(layout *l)
{
    free(l->prefix);
    free(l->variant_first);
    free(l->outcomes);
}

/* The state a target leads to, as C text for the data table. */
static void target_data(strbuf *b, const layout *l, size_t vfirst, const target *t)
{
    const regulation *r = l->r;
    switch (t->kind) {
    case TARGET_STEP:
        sb_printf(b, "{ %zu, ", vfirst + t->step_ref->index);
        if (t->result_ref)
            sb_printf(b, "%zu }", result_index(r, t->result_ref));
        else
            sb_add(b, "REG_NO_RESULT }");
        break;
    case TARGET_RESULT:
        sb_printf(b, "{ %zu, %zu }", l->nstates_steps + result_index(r, t->result_ref),
                  result_index(r, t->result_ref));
        break;
    case TARGET_END:
        sb_add(b, "{ REG_TO_END, REG_NO_RESULT }");
        break;
    }
}

/* The statements that perform a transition inside the switch. */
static void target_code(strbuf *b, const layout *l, size_t vfirst, const target *t)
{
    const regulation *r = l->r;
    switch (t->kind) {
    case TARGET_STEP:
        if (t->result_ref)
            sb_printf(b, "c->result = %zu; ", result_index(r, t->result_ref));
        sb_printf(b, "c->state = %zu; ", vfirst + t->step_ref->index);
        break;
    case TARGET_RESULT:
        sb_printf(b, "c->result = %zu; c->state = %zu; ", result_index(r, t->result_ref),
                  l->nstates_steps + result_index(r, t->result_ref));
        break;
    case TARGET_END:
        sb_printf(b, "c->state = (uint16_t)(%zu + c->result); ", l->nstates_steps);
        break;
    }
    sb_add(b, "return REG_STEP_OK;");
}

static char *emit_header(const layout *l)
{
    const regulation *r = l->r;
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "/* Generated by regc from rules/%s/%s.reg. Do not edit: change the rule file. */\n",
              r->regions[0].name, r->id.name);
    sb_add(&b, "#ifndef REGC_");
    upper(&b, l->prefix);
    sb_add(&b, "_H\n#define REGC_");
    upper(&b, l->prefix);
    sb_add(&b, "_H\n\n#include \"machine.h\"\n\n");
    sb_printf(&b, "extern const reg_machine %s_machine;\n\n", l->prefix);
    sb_add(&b, "/* States: the steps of each variant (PREFIX__VARIANT__STEP), then the\n"
               " * results (PREFIX__RESULT__RESULT). */\nenum {\n");
    for (size_t v = 0; v < r->nvariants; v++) {
        const variant_decl *vd = &r->variants[v];
        const step_list *sl = variant_steps(r, vd);
        for (size_t i = 0; i < sl->count; i++) {
            sb_add(&b, "    ");
            upper(&b, l->prefix);
            sb_add(&b, "__");
            upper(&b, vd->id.name);
            sb_add(&b, "__");
            upper(&b, sl->items[i].id.name);
            sb_printf(&b, " = %zu,\n", l->variant_first[v] + i);
        }
    }
    for (size_t i = 0; i < r->nresults; i++) {
        sb_add(&b, "    ");
        upper(&b, l->prefix);
        sb_add(&b, "__RESULT__");
        upper(&b, r->results[i].id.name);
        sb_printf(&b, " = %zu,\n", l->nstates_steps + i);
    }
    sb_add(&b, "};\n\n#endif\n");
    return sb_take(&b);
}

static const char *flow_target_text(const flow_decl *f, size_t index, const flow_target *t)
{
    switch (t->kind) {
    case FLOW_TO_NEXT: return index + 1 < f->nitems ? f->items[index + 1].id.name : "end";
    case FLOW_TO_ITEM: return t->item.name;
    case FLOW_TO_END: return "end";
    case FLOW_TO_ERROR: return "error";
    }
    return "end";
}

static size_t channel_index(const regulation *r, const char *name)
{
    for (size_t i = 0; i < r->nchannels; i++)
        if (strcmp(r->channels[i].id.name, name) == 0)
            return i;
    return 0;
}

static char *emit_source(const layout *l)
{
    const regulation *r = l->r;
    const char *p = l->prefix;
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "/* Generated by regc from rules/%s/%s.reg. Do not edit: change the rule file. */\n",
              r->regions[0].name, r->id.name);
    sb_printf(&b, "#include \"%s.h\"\n\n#include <stddef.h>\n\n", r->id.name);

    sb_printf(&b, "static const reg_decl %s_actors[] = {\n", p);
    for (size_t i = 0; i < r->nactors; i++) {
        sb_printf(&b, "    { \"%s\", ", r->actors[i].id.name);
        c_string(&b, r->actors[i].label);
        sb_printf(&b, ", %d },\n", r->actors[i].external ? 1 : 0);
    }
    sb_add(&b, "};\n\n");
    sb_printf(&b, "static const reg_decl %s_results[] = {\n", p);
    for (size_t i = 0; i < r->nresults; i++) {
        sb_printf(&b, "    { \"%s\", ", r->results[i].id.name);
        c_string(&b, r->results[i].label);
        sb_printf(&b, ", %d },\n", r->results[i].negative ? 1 : 0);
    }
    sb_add(&b, "};\n\n");
    if (r->nchannels) {
        sb_printf(&b, "static const reg_named %s_channels[] = {\n", p);
        for (size_t i = 0; i < r->nchannels; i++) {
            sb_printf(&b, "    { \"%s\", ", r->channels[i].id.name);
            c_string(&b, r->channels[i].label);
            sb_add(&b, " },\n");
        }
        sb_add(&b, "};\n\n");
    }
    if (l->noutcomes) {
        sb_printf(&b, "static const char *const %s_outcomes[] = {", p);
        for (size_t i = 0; i < l->noutcomes; i++)
            sb_printf(&b, "%s\"%s\"", i ? ", " : " ", l->outcomes[i]);
        sb_add(&b, " };\n\n");
    }

    /* per-state branch and channel tables */
    for (size_t v = 0; v < r->nvariants; v++) {
        const variant_decl *vd = &r->variants[v];
        const step_list *sl = variant_steps(r, vd);
        for (size_t i = 0; i < sl->count; i++) {
            const step *s = &sl->items[i];
            size_t nch = 0;
            for (size_t k = 0; k < s->noverrides; k++)
                nch += s->overrides[k].key_is_channel;
            if (nch) {
                sb_printf(&b, "static const reg_channel_duration %s_%s_%s_by_channel[] = {\n", p,
                          vd->id.name, s->id.name);
                for (size_t k = 0; k < s->noverrides; k++)
                    if (s->overrides[k].key_is_channel) {
                        sb_printf(&b, "    { %zu, ", channel_index(r, s->overrides[k].key.name));
                        c_duration(&b, &s->overrides[k].dur);
                        sb_printf(&b, " }, /* %s */\n", s->overrides[k].key.name);
                    }
                sb_add(&b, "};\n");
            }
            if (s->nbranches) {
                sb_printf(&b, "static const reg_branch %s_%s_%s_branches[] = {\n", p, vd->id.name,
                          s->id.name);
                for (size_t k = 0; k < s->nbranches; k++) {
                    const branch *br = &s->branches[k];
                    sb_printf(&b, "    { %zu, ", outcome_index(l, br->outcome.name));
                    c_string(&b, br->condition);
                    sb_add(&b, ", ");
                    target_data(&b, l, l->variant_first[v], &br->to);
                    sb_printf(&b, " }, /* %s */\n", br->outcome.name);
                }
                sb_add(&b, "};\n");
            }
        }
    }

    sb_printf(&b, "\nstatic const reg_state %s_states[] = {\n", p);
    for (size_t v = 0; v < r->nvariants; v++) {
        const variant_decl *vd = &r->variants[v];
        const step_list *sl = variant_steps(r, vd);
        for (size_t i = 0; i < sl->count; i++) {
            const step *s = &sl->items[i];
            size_t nch = 0;
            for (size_t k = 0; k < s->noverrides; k++)
                nch += s->overrides[k].key_is_channel;
            sb_printf(&b, "    { /* %zu */\n        \"%s.%s\", \"%s\", %zu, REG_NO_RESULT, %zu,\n        ",
                      l->variant_first[v] + i, vd->id.name, s->id.name, s->id.name, v,
                      (size_t)(s->actor_ref - r->actors));
            c_string(&b, s->action);
            sb_add(&b, ",\n        ");
            c_duration(&b, step_duration(s, vd));
            if (nch)
                sb_printf(&b, ", %zu, %s_%s_%s_by_channel, ", nch, p, vd->id.name, s->id.name);
            else
                sb_add(&b, ", 0, NULL, ");
            c_string(&b, s->cite);
            sb_add(&b, ",\n        ");
            target_data(&b, l, l->variant_first[v], &s->nexts[0]);
            if (s->nbranches)
                sb_printf(&b, ", %zu, %s_%s_%s_branches },\n", s->nbranches, p, vd->id.name, s->id.name);
            else
                sb_add(&b, ", 0, NULL },\n");
        }
    }
    for (size_t i = 0; i < r->nresults; i++)
        sb_printf(&b,
                  "    { /* %zu */\n        \"result.%s\", NULL, REG_NO_VARIANT, %zu, 0,\n"
                  "        NULL, { 0, 0, 0 }, 0, NULL, NULL, { 0, REG_NO_RESULT }, 0, NULL },\n",
                  l->nstates_steps + i, r->results[i].id.name, i);
    sb_add(&b, "};\n\n");

    sb_printf(&b, "static const reg_variant %s_variants[] = {\n", p);
    for (size_t v = 0; v < r->nvariants; v++) {
        const variant_decl *vd = &r->variants[v];
        sb_printf(&b, "    { \"%s\", ", vd->id.name);
        c_string(&b, vd->label);
        sb_printf(&b, ", %zu, %d, ", result_index(r, vd->result_ref), vd->has_term ? 1 : 0);
        if (vd->has_term)
            c_duration(&b, &vd->term);
        else
            sb_add(&b, "{ 0, 0, 0 }");
        sb_add(&b, ",\n      ");
        c_string(&b, vd->term_from);
        sb_add(&b, ", ");
        c_string(&b, vd->cite);
        sb_printf(&b, ", %zu, %zu },\n", l->variant_first[v], variant_steps(r, vd)->count);
    }
    sb_add(&b, "};\n\n");

    for (size_t i = 0; i < r->nflows; i++) {
        const flow_decl *f = &r->flows[i];
        sb_printf(&b, "static const reg_flow_item %s_flow_%s[] = {\n", p, f->channel.name);
        for (size_t k = 0; k < f->nitems; k++) {
            const flow_item *it = &f->items[k];
            sb_printf(&b, "    { \"%s\", %d, ", it->id.name, it->kind == FLOW_CHECK);
            c_string(&b, it->text);
            sb_add(&b, ", ");
            c_string(&b, it->cite);
            sb_printf(&b, ", \"%s\", ", flow_target_text(f, k, &it->next));
            if (it->kind == FLOW_CHECK)
                sb_printf(&b, "\"%s\" },\n", flow_target_text(f, k, &it->fail));
            else
                sb_add(&b, "NULL },\n");
        }
        sb_add(&b, "};\n");
    }
    if (r->nflows) {
        sb_printf(&b, "\nstatic const reg_flow %s_flows[] = {\n", p);
        for (size_t i = 0; i < r->nflows; i++) {
            const flow_decl *f = &r->flows[i];
            sb_printf(&b, "    { %zu, ", channel_index(r, f->channel.name));
            c_string(&b, f->label);
            sb_printf(&b, ", %d, ", f->has_duration ? 1 : 0);
            if (f->has_duration)
                c_duration(&b, &f->dur);
            else
                sb_add(&b, "{ 0, 0, 0 }");
            sb_add(&b, ", ");
            c_string(&b, f->cite);
            sb_printf(&b, ", %zu, %s_flow_%s },\n", f->nitems, p, f->channel.name);
        }
        sb_add(&b, "};\n");
    }

    /* the transition function */
    size_t refusal = (size_t)-1;
    for (size_t i = 0; i < r->nresults && refusal == (size_t)-1; i++)
        if (r->results[i].negative)
            refusal = i;
    sb_printf(&b,
              "\nstatic reg_step_status %s_apply(reg_machine_case *c, reg_event ev, uint16_t outcome)\n"
              "{\n"
              "    if (c->state >= %zu)\n"
              "        return REG_STEP_FINISHED;\n"
              "    if (ev == REG_EV_TIMER) {\n"
              "        c->late = 1;\n"
              "        return REG_STEP_OK;\n"
              "    }\n",
              p, l->nstates_steps);
    if (refusal != (size_t)-1)
        sb_printf(&b,
                  "    if (ev == REG_EV_REFUSE) {\n"
                  "        c->result = %zu;\n"
                  "        c->state = %zu;\n"
                  "        return REG_STEP_OK;\n"
                  "    }\n",
                  refusal, l->nstates_steps + refusal);
    else
        sb_add(&b, "    if (ev == REG_EV_REFUSE)\n        return REG_STEP_NO_REFUSAL;\n");
    if (l->noutcomes == 0)
        sb_add(&b, "    (void)outcome;\n");
    sb_add(&b, "    switch (c->state) {\n");
    for (size_t v = 0; v < r->nvariants; v++) {
        const variant_decl *vd = &r->variants[v];
        const step_list *sl = variant_steps(r, vd);
        for (size_t i = 0; i < sl->count; i++) {
            const step *s = &sl->items[i];
            sb_printf(&b, "    case %zu: /* %s.%s */\n", l->variant_first[v] + i, vd->id.name,
                      s->id.name);
            sb_add(&b, "        if (ev == REG_EV_COMPLETE) { ");
            target_code(&b, l, l->variant_first[v], &s->nexts[0]);
            sb_add(&b, " }\n");
            if (s->nbranches) {
                sb_add(&b, "        if (ev == REG_EV_BRANCH) {\n            switch (outcome) {\n");
                for (size_t k = 0; k < s->nbranches; k++) {
                    const branch *br = &s->branches[k];
                    sb_printf(&b, "            case %zu: /* %s */ ", outcome_index(l, br->outcome.name),
                              br->outcome.name);
                    target_code(&b, l, l->variant_first[v], &br->to);
                    sb_addc(&b, '\n');
                }
                sb_add(&b, "            }\n        }\n");
            }
            sb_add(&b, "        return REG_STEP_NOT_ALLOWED;\n");
        }
    }
    sb_add(&b, "    }\n    return REG_STEP_NOT_ALLOWED;\n}\n\n");

    sb_printf(&b, "const reg_machine %s_machine = {\n", p);
    sb_printf(&b, "    \"%s\", \"%s\",\n    ", r->id.name, r->regions[0].name);
    const char *langs[] = { "kk", "ru", "en" };
    for (size_t k = 0; k < 3; k++) {
        const char *t = NULL;
        for (size_t i = 0; i < r->ntitles; i++)
            if (strcmp(r->titles[i].lang.name, langs[k]) == 0)
                t = r->titles[i].text;
        c_string(&b, t);
        sb_add(&b, k < 2 ? ",\n    " : ",\n    ");
    }
    c_string(&b, r->nacts ? r->acts[0].text : NULL);
    sb_add(&b, ",\n    ");
    c_string(&b, r->nstandards ? r->standards[0].text : NULL);
    sb_add(&b, ",\n    ");
    c_string(&b, r->nrepealed ? r->repealed[0].text : NULL);
    sb_add(&b, ",\n    ");
    c_string(&b, r->nproviders ? r->providers[0].text : NULL);
    sb_add(&b, ",\n    ");
    c_string(&b, r->has_valid ? r->valid_from.text : NULL);
    sb_add(&b, ", ");
    c_string(&b, r->has_valid ? r->valid_until.text : NULL);
    sb_printf(&b, ",\n    %zu, %zu, %zu, %zu, %zu, %zu, %zu,\n", r->nactors, r->nresults, r->nchannels,
              r->nvariants, l->noutcomes, l->nstates_steps + r->nresults, r->nflows);
    sb_printf(&b, "    %s_actors, %s_results, ", p, p);
    if (r->nchannels)
        sb_printf(&b, "%s_channels, ", p);
    else
        sb_add(&b, "NULL, ");
    sb_printf(&b, "%s_variants, ", p);
    if (l->noutcomes)
        sb_printf(&b, "%s_outcomes,\n", p);
    else
        sb_add(&b, "NULL,\n");
    sb_printf(&b, "    %s_states, %zu, ", p, l->nstates_steps);
    if (refusal != (size_t)-1)
        sb_printf(&b, "%zu, ", refusal);
    else
        sb_add(&b, "REG_NO_RESULT, ");
    if (r->nflows)
        sb_printf(&b, "%s_flows,\n", p);
    else
        sb_add(&b, "NULL,\n");
    sb_printf(&b, "    %s_apply,\n};\n", p);
    return sb_take(&b);
}

void backend_c(const regulation *r, out_files *out)
{
    layout l;
    layout_init(&l, r);
    out_files_add(out, xasprintf("%s.h", r->id.name), emit_header(&l));
    out_files_add(out, xasprintf("%s.c", r->id.name), emit_source(&l));
    layout_free(&l);
}

void backend_c_region(const char *region, const regulation *const *regs, size_t n, out_files *out)
{
    strbuf h, c;
    sb_init(&h);
    sb_init(&c);
    sb_printf(&h,
              "/* Generated by regc from rules/%s/. Do not edit: change the rule files. */\n"
              "/* The state machines of region %s, for embedding: link build/lib/lib%s.a. */\n"
              "#ifndef REGC_REGION_",
              region, region, region);
    upper(&h, region);
    sb_add(&h, "_H\n#define REGC_REGION_");
    upper(&h, region);
    sb_add(&h, "_H\n\n#include <stddef.h>\n\n#include \"machine.h\"\n\n");
    for (size_t i = 0; i < n; i++)
        sb_printf(&h, "#include \"%s.h\"\n", regs[i]->id.name);
    sb_printf(&h,
              "\n/* Every machine of the region, sorted by id. */\n"
              "extern const reg_machine *const %s_machines[];\n"
              "extern const size_t %s_machine_count;\n\n#endif\n",
              region, region);
    sb_printf(&c,
              "/* Generated by regc from rules/%s/. Do not edit: change the rule files. */\n"
              "#include \"%s.h\"\n\n"
              "const reg_machine *const %s_machines[] = {\n",
              region, region, region);
    for (size_t i = 0; i < n; i++)
        sb_printf(&c, "    &%s_%s_machine,\n", region, regs[i]->id.name);
    sb_printf(&c, "};\n\nconst size_t %s_machine_count = %zu;\n", region, n);
    out_files_add(out, xasprintf("%s.h", region), sb_take(&h));
    out_files_add(out, xasprintf("%s.c", region), sb_take(&c));
}
