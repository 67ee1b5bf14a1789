/* fuzz_diff.c - libFuzzer harness for `regc diff`: two versions of a rule
 * file in one input, separated by a line `//--new--` (a comment, so either
 * half is still a rule file; without it both versions are the whole input).
 *
 * When both versions are valid, the model difference and the marked
 * diagrams of every variant and flow that either version has are computed
 * and rendered, as `regc diff --dot` does. Properties: a version compared
 * with itself has no change and no mark, and "no change" is symmetric:
 * model_diff(a, b) finds nothing exactly when model_diff(b, a) does. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "check.h"
#include "diag.h"
#include "diagram.h"
#include "lower.h"
#include "model_diff.h"
#include "parse.h"
#include "sema.h"
#include "strbuf.h"
#include "util.h"

static const char SEPARATOR[] = "\n//--new--\n";

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_diff: %s\n", what);
    if (detail)
        fprintf(stderr, "%s\n", detail);
    abort();
}

typedef struct {
    char *text;
    source src;
    diag_list diags;
    regulation *reg;
    lowered *low;        /* after a clean sema */
    bool ok;
} version;

/* Parses, resolves and checks one version, as `regc diff` loads its inputs. */
static void load(version *v, const uint8_t *data, size_t len, const char *path)
{
    v->text = malloc(len + 1);
    if (!v->text)
        abort();
    memcpy(v->text, data, len);
    v->text[len] = '\0';
    v->src.path = path;
    v->src.text = v->text;
    v->src.len = len;
    diag_init(&v->diags, NULL);
    v->reg = parse_source(&v->src, &v->diags);
    v->low = NULL;
    v->ok = false;
    if (v->diags.errors == 0 && sema_check(v->reg, &v->src, &v->diags) == 0) {
        v->low = lower(v->reg);
        v->ok = check_regulation(v->low, &v->src, &v->diags) == 0 && v->diags.errors == 0;
    }
}

static void unload(version *v)
{
    lower_free(v->low);
    ast_free(v->reg);
    diag_free(&v->diags);
    free(v->text);
}

static size_t changes(const lowered *a, const lowered *b)
{
    strbuf out;
    sb_init(&out);
    size_t n = model_diff(a, b, &out);
    sb_free(&out);
    return n;
}

static bool marked(const diagram *d)
{
    bool m = d->title_mark != DG_SAME;
    for (size_t i = 0; i < d->nclusters; i++)
        m = m || d->clusters[i].mark != DG_SAME;
    for (size_t i = 0; i < d->nnodes; i++)
        m = m || d->nodes[i].mark != DG_SAME;
    for (size_t i = 0; i < d->nedges; i++)
        m = m || d->edges[i].mark != DG_SAME;
    return m;
}

/* The marked diagram of one variant (flow NULL) or flow, built the way
 * `regc diff --dot` builds it when only one version has the part. */
static void diff_part(const lowered *a, const lowered *b, const char *variant, const char *flow,
                      bool expect_same)
{
    diagram old, out;
    bool in_a, in_b;
    memset(&old, 0, sizeof old);
    memset(&out, 0, sizeof out);
    if (flow) {
        const lw_flow *fa = lw_find_flow(a, flow), *fb = lw_find_flow(b, flow);
        in_a = fa != NULL, in_b = fb != NULL;
        if (fa)
            diagram_of_flow(a, fa, &old);
        if (fb)
            diagram_of_flow(b, fb, &out);
    } else {
        const lw_variant *va = lw_find_variant(a, variant), *vb = lw_find_variant(b, variant);
        in_a = va != NULL, in_b = vb != NULL;
        if (va)
            diagram_of_variant(a, va, &old);
        if (vb)
            diagram_of_variant(b, vb, &out);
    }
    if (!in_b) {
        out.name = xstrdup(old.name);
        out.title = xstrdup(old.title);
    }
    diagram_compare(&out, &old);
    if (!in_a)
        out.title_mark = DG_ADDED;
    else if (!in_b)
        out.title_mark = DG_REMOVED;
    if (expect_same && marked(&out))
        fail("a diagram compared with itself has marks", dot_render(&out));
    free(dot_render(&out));
    free(mermaid_render(&out));
    diagram_free(&old);
    diagram_free(&out);
}

static void diff_all(const lowered *a, const lowered *b, bool expect_same)
{
    for (size_t i = 0; i < b->nvariants; i++)
        diff_part(a, b, b->variants[i].src->id.name, NULL, expect_same);
    for (size_t i = 0; i < a->nvariants; i++)
        if (!lw_find_variant(b, a->variants[i].src->id.name))
            diff_part(a, b, a->variants[i].src->id.name, NULL, expect_same);
    for (size_t i = 0; i < b->nflows; i++)
        diff_part(a, b, NULL, b->flows[i].src->channel.name, expect_same);
    for (size_t i = 0; i < a->nflows; i++)
        if (!lw_find_flow(b, a->flows[i].src->channel.name))
            diff_part(a, b, NULL, a->flows[i].src->channel.name, expect_same);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t split = size, next = 0;
    size_t seplen = sizeof SEPARATOR - 1;
    for (size_t i = 0; i + seplen <= size; i++)
        if (memcmp(data + i, SEPARATOR, seplen) == 0) {
            split = i;
            next = i + seplen;
            break;
        }
    version a, b;
    load(&a, data, split, "old.reg");
    if (next)
        load(&b, data + next, size - next, "new.reg");
    else
        load(&b, data, size, "new.reg");

    if (a.ok) {
        if (changes(a.low, a.low) != 0)
            fail("model_diff finds changes between a version and itself", a.text);
        diff_all(a.low, a.low, true);
    }
    if (a.ok && b.ok) {
        size_t ab = changes(a.low, b.low), ba = changes(b.low, a.low);
        if ((ab == 0) != (ba == 0))
            fail("model_diff sees a change one way but not the other", NULL);
        diff_all(a.low, b.low, false);
        diff_all(b.low, a.low, false);
    }
    unload(&a);
    unload(&b);
    return 0;
}
