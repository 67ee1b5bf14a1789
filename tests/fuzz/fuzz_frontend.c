/* fuzz_frontend.c - libFuzzer harness for the whole compiler front end.
 *
 * Any byte string goes through the scanner and the parser; the diagnostics
 * are rendered (text and JSON) because their caret arithmetic indexes into
 * the quoted source line. A file that parses is formatted and the result
 * parsed again: it must parse cleanly, dump to the same tree and format to
 * the same bytes, since `regc fmt -w` rewrites authors' files and a lossy
 * formatter would silently change a regulation. A file that also passes
 * sema goes through every back end, and the JSON model must be valid JSON.
 * Every violated property aborts, so libFuzzer records the input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ast.h"
#include "backends.h"
#include "diag.h"
#include "fmt.h"
#include "parse.h"
#include "sema.h"

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

/* fmt(r) must parse without errors, mean the same, and be a fixed point. */
static void check_fmt_round_trip(const regulation *r)
{
    char *text = fmt_regulation(r);
    source src = { "fmt.reg", text, strlen(text) };
    diag_list d;
    diag_init(&d, NULL);
    regulation *again = parse_source(&src, &d);
    if (d.errors) {
        render(&d);
        diag_print_text(&d, stderr, false);
        fail("the output of fmt does not parse", text, NULL);
    }
    char *before = ast_dump(r), *after = ast_dump(again);
    if (strcmp(before, after) != 0)
        fail("fmt changed the meaning of the file (ast_dump differs)", before, after);
    char *twice = fmt_regulation(again);
    if (strcmp(text, twice) != 0)
        fail("fmt is not idempotent", text, twice);
    free(twice);
    free(before);
    free(after);
    ast_free(again);
    diag_free(&d);
    free(text);
}

static void check_json(const char *what, const char *text)
{
    cJSON *doc = cJSON_Parse(text);
    if (!doc)
        fail(what, text, NULL);
    cJSON_Delete(doc);
}

static void run_backends(const regulation *r)
{
    char *json = emit_json(r);
    check_json("emit_json produced invalid JSON", json);
    free(json);

    out_files out = { NULL, 0 };
    backend_json(r, &out);
    backend_c(r, &out);
    backend_c_region(r->regions[0].name, &r, 1, &out);
    for (size_t i = 0; i < out.count; i++) {
        size_t n = strlen(out.files[i].name);
        if (n > 5 && strcmp(out.files[i].name + n - 5, ".json") == 0)
            check_json("a .json file of the back ends is invalid", out.files[i].text);
    }
    out_files_free(&out);
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
    source src = { "fuzz.reg", text, size };
    diag_list d;
    diag_init(&d, NULL);

    regulation *r = parse_source(&src, &d);
    if (d.errors == 0) {
        check_fmt_round_trip(r);
        if (sema_check(r, &src, &d) == 0 && d.errors == 0)
            run_backends(r);
    }
    render(&d);

    ast_free(r);
    diag_free(&d);
    free(text);
    return 0;
}
