/* cmd_export.c - `regc export`: print one generated artifact on stdout. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "commands.h"
#include "diag.h"
#include "diagram.h"
#include "unit.h"

static void export_usage(FILE *out)
{
    fputs("usage: regc export --json FILE\n"
          "       regc export --bpmn FILE\n"
          "       regc export --page FILE\n"
          "       regc export --dot|--mermaid [--variant V | --flow CHANNEL] FILE\n"
          "\n"
          "Prints the machine-readable model of a regulation (docs/model.md), its\n"
          "BPMN 2.0 document (every variant and flow, laid out; docs/diagrams.md), its\n"
          "page for reviewers (Markdown with mermaid diagrams; docs/diagrams.md), or\n"
          "one of its diagrams: the step flow of variant V (default: the first\n"
          "variant) or the information-system flow of CHANNEL.\n"
          "\n"
          "exit status: 0 ok, 1 errors in the input, 2 usage error\n",
          out);
}

/* Prints one diagram; a variant or flow that does not exist is a usage
 * error (status 2), with the names that do exist. */
static int export_diagram(const lowered *l, const char *file, const char *format,
                          const char *variant, const char *flow)
{
    const regulation *r = l->r;
    diagram d;
    if (flow) {
        const lw_flow *f = lw_find_flow(l, flow);
        if (!f) {
            fprintf(stderr, "regc export: %s has no flow for channel `%s`; flows:", file, flow);
            for (size_t i = 0; i < r->nflows; i++)
                fprintf(stderr, " %s", r->flows[i].channel.name);
            fputs(r->nflows ? "\n" : " none\n", stderr);
            return 2;
        }
        diagram_of_flow(l, f, &d);
    } else {
        const lw_variant *v = variant ? lw_find_variant(l, variant) : &l->variants[0];
        if (!v) {
            fprintf(stderr, "regc export: %s has no variant `%s`; variants:", file, variant);
            for (size_t i = 0; i < r->nvariants; i++)
                fprintf(stderr, " %s", r->variants[i].id.name);
            fputc('\n', stderr);
            return 2;
        }
        diagram_of_variant(l, v, &d);
    }
    char *text = strcmp(format, "dot") == 0 ? dot_render(&d) : mermaid_render(&d);
    fputs(text, stdout);
    free(text);
    diagram_free(&d);
    return 0;
}

int cmd_export(int argc, char **argv)
{
    const char *format = NULL, *file = NULL, *variant = NULL, *flow = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            export_usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            format = "json";
        } else if (strcmp(argv[i], "--bpmn") == 0) {
            format = "bpmn";
        } else if (strcmp(argv[i], "--page") == 0) {
            format = "page";
        } else if (strcmp(argv[i], "--dot") == 0) {
            format = "dot";
        } else if (strcmp(argv[i], "--mermaid") == 0) {
            format = "mermaid";
        } else if (strcmp(argv[i], "--variant") == 0 && i + 1 < argc) {
            variant = argv[++i];
        } else if (strcmp(argv[i], "--flow") == 0 && i + 1 < argc) {
            flow = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "regc export: unknown option `%s`\n", argv[i]);
            export_usage(stderr);
            return 2;
        } else if (file) {
            fputs("regc export: one file at a time\n", stderr);
            return 2;
        } else {
            file = argv[i];
        }
    }
    if (!format || !file) {
        export_usage(stderr);
        return 2;
    }
    if ((variant || flow) && (strcmp(format, "json") == 0 || strcmp(format, "bpmn") == 0 || strcmp(format, "page") == 0)) {
        fputs("regc export: --variant and --flow choose a diagram; use them with --dot or --mermaid\n",
              stderr);
        return 2;
    }
    if (variant && flow) {
        fputs("regc export: give either --variant or --flow\n", stderr);
        return 2;
    }
    diag_list d;
    diag_init(&d, NULL);
    unit u;
    unit_load(&u, file, &d, true);
    int status = 0;
    if (d.errors) {
        diag_print_text(&d, stderr, use_color(stderr));
        status = 1;
    } else if (strcmp(format, "json") == 0 || strcmp(format, "bpmn") == 0 || strcmp(format, "page") == 0) {
        char *text = strcmp(format, "json") == 0   ? emit_json(u.low)
                     : strcmp(format, "bpmn") == 0 ? emit_bpmn(u.low)
                                                   : emit_page(u.low);
        fputs(text, stdout);
        free(text);
    } else {
        status = export_diagram(u.low, file, format, variant, flow);
    }
    unit_free(&u);
    diag_free(&d);
    return status;
}
