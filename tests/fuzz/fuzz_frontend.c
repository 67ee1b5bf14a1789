/* fuzz_frontend.c - libFuzzer harness for the whole compiler front end.
 *
 * Any byte string goes through the scanner and the parser; the diagnostics
 * are rendered (text and JSON) because their caret arithmetic indexes into
 * the quoted source line. A file that parses is formatted and the result
 * parsed again: it must parse cleanly, dump to the same tree and format to
 * the same bytes, since `regc fmt -w` rewrites authors' files and a lossy
 * formatter would silently change a regulation. A file that also passes
 * sema and the static checks goes through every back end; the JSON must be
 * valid, and the formatted copy must mean the same to `regc diff` (no model
 * change, nothing marked in any diagram). Every violated property aborts, so
 * libFuzzer keeps the input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ast.h"
#include "backends.h"
#include "check.h"
#include "diag.h"
#include "diagram.h"
#include "lower.h"
#include "fmt.h"
#include "model_diff.h"
#include "parse.h"
#include "sema.h"
#include "strbuf.h"

/* Prints what went wrong with both texts, then aborts so the fuzzer keeps
 * the input as a crash. */
static void fail(const char *what, const char *a, const char *b)
{
    fprintf(stderr, "fuzz_frontend: %s\n", what);
    if (a)
        fprintf(stderr, "---- first ----\n%s\n", a);
    if (b)
        fprintf(stderr, "---- second ----\n%s\n", b);
    abort();
}

static FILE *sink;

static void render(const diag_list *d)
{
    diag_print_text(d, sink, false);
    diag_print_text(d, sink, true);
    diag_print_json(d, sink);
}

/* One parsed text with what must outlive the tree (diagnostics quote it). */
typedef struct {
    char *text;
    source src;
    diag_list diags;
    regulation *reg;
    lowered *low;        /* after a clean sema */
} parsed;

static void parse_text(parsed *p, char *text, size_t len, const char *path)
{
    p->text = text;
    p->src.path = path;
    p->src.text = text;
    p->src.len = len;
    diag_init(&p->diags, NULL);
    p->reg = parse_source(&p->src, &p->diags);
    p->low = NULL;
}

static void parsed_free(parsed *p)
{
    lower_free(p->low);
    ast_free(p->reg);
    diag_free(&p->diags);
    free(p->text);
}

/* fmt(r) must parse without errors, mean the same, and be a fixed point.
 * Returns the parse of the formatted text for the later comparisons. */
static void fmt_round_trip(const regulation *r, parsed *again)
{
    char *text = fmt_regulation(r);
    parse_text(again, text, strlen(text), "fmt.reg");
    if (again->diags.errors) {
        diag_print_text(&again->diags, stderr, false);
        fail("the output of fmt does not parse", text, NULL);
    }
    char *before = ast_dump(r), *after = ast_dump(again->reg);
    if (strcmp(before, after) != 0)
        fail("fmt changed the meaning of the file (ast_dump differs)", before, after);
    char *twice = fmt_regulation(again->reg);
    if (strcmp(text, twice) != 0)
        fail("fmt is not idempotent", text, twice);
    free(twice);
    free(before);
    free(after);
}

static void check_json(const char *what, const char *text)
{
    cJSON *doc = cJSON_Parse(text);
    if (!doc)
        fail(what, text, NULL);
    cJSON_Delete(doc);
}

static void run_backends(const lowered *r)
{
    char *json = emit_json(r);
    check_json("emit_json produced invalid JSON", json);
    free(json);

    out_files out = { NULL, 0 };
    backend_json(r, &out);
    backend_c(r, &out);
    backend_dot(r, &out);
    backend_mermaid(r, &out);
    backend_c_region(r->r->regions[0].name, &r, 1, &out);
    for (size_t i = 0; i < out.count; i++) {
        size_t n = strlen(out.files[i].name);
        if (n > 5 && strcmp(out.files[i].name + n - 5, ".json") == 0)
            check_json("a .json file of the back ends is invalid", out.files[i].text);
    }
    out_files_free(&out);
}

static void all_same(const diagram *d)
{
    bool same = d->title_mark == DG_SAME;
    for (size_t i = 0; i < d->nclusters; i++)
        same = same && d->clusters[i].mark == DG_SAME;
    for (size_t i = 0; i < d->nnodes; i++)
        same = same && d->nodes[i].mark == DG_SAME;
    for (size_t i = 0; i < d->nedges; i++)
        same = same && d->edges[i].mark == DG_SAME;
    if (!same) {
        char *text = dot_render(d);
        fail("regc diff marks a change between a file and its fmt output", text, NULL);
    }
}

/* Renders the marked diagram of old against new (as `regc diff --dot`
 * does) and requires that nothing is marked. */
static void compare_diagrams(diagram *old, diagram *new_)
{
    diagram_compare(new_, old);
    all_same(new_);
    free(dot_render(new_));
    free(mermaid_render(new_));
    diagram_free(old);
    diagram_free(new_);
}

/* The formatted copy b of a must mean the same to `regc diff`. */
static void same_meaning(const lowered *a, const lowered *b)
{
    strbuf changes;
    sb_init(&changes);
    if (model_diff(a, b, &changes) != 0)
        fail("model_diff finds changes between a file and its fmt output", changes.data, NULL);
    sb_free(&changes);
    for (size_t i = 0; i < a->nvariants; i++) {
        const lw_variant *vb = lw_find_variant(b, a->variants[i].src->id.name);
        if (!vb)
            fail("a variant is missing after fmt", a->variants[i].src->id.name, NULL);
        diagram old, new_;
        diagram_of_variant(a, &a->variants[i], &old);
        diagram_of_variant(b, vb, &new_);
        compare_diagrams(&old, &new_);
    }
    for (size_t i = 0; i < a->nflows; i++) {
        const lw_flow *fb = lw_find_flow(b, a->flows[i].src->channel.name);
        if (!fb)
            fail("a flow is missing after fmt", a->flows[i].src->channel.name, NULL);
        diagram old, new_;
        diagram_of_flow(a, &a->flows[i], &old);
        diagram_of_flow(b, fb, &new_);
        compare_diagrams(&old, &new_);
    }
}

/* What `regc check` and `regc gen` run after parsing: sema, then, on a
 * clean sema, lowering and the checks. True when there is no error. */
static bool resolve(parsed *p)
{
    int before = p->diags.errors;
    if (sema_check(p->reg, &p->src, &p->diags) == 0) {
        p->low = lower(p->reg);
        check_regulation(p->low, &p->src, &p->diags);
    }
    return p->diags.errors == before;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    sink = fopen("/dev/null", "w");
    if (!sink)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The parser needs a NUL-terminated copy, like read_file gives it. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    parsed in;
    parse_text(&in, text, size, "fuzz.reg");
    if (in.diags.errors == 0) {
        parsed again;
        fmt_round_trip(in.reg, &again);
        if (resolve(&in)) {
            if (!resolve(&again))
                fail("the fmt output of a valid file has errors", again.text, NULL);
            run_backends(in.low);
            same_meaning(in.low, again.low);
        }
        parsed_free(&again);
    }
    render(&in.diags);
    parsed_free(&in);
    return 0;
}
