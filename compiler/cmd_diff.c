/* cmd_diff.c - `regc diff OLD NEW`: what a new version of a regulation
 * changes, for review (docs/diagrams.md).
 *
 * Like diff(1), the exit status says whether there is a difference, so a
 * script can tell "only the layout or comments changed" (0) from a change
 * in meaning (1). With --dot it draws the change instead of listing it. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "diag.h"
#include "diagram.h"
#include "model_diff.h"
#include "unit.h"
#include "util.h"

static void diff_usage(FILE *out)
{
    fputs("usage: regc diff [--dot [--variant V | --flow CHANNEL]] OLD NEW\n"
          "\n"
          "Lists the changes in meaning from the rule file OLD to NEW, one a line:\n"
          "metadata, channels, results, actors, variants and their steps, flows.\n"
          "Comments and layout do not count.\n"
          "\n"
          "  --dot             print a Graphviz diagram of NEW instead, with what was\n"
          "                    added in green, removed in dashed red, changed in orange\n"
          "  --variant V       the variant to draw (default: the first of NEW)\n"
          "  --flow CHANNEL    draw the information-system flow of CHANNEL instead\n"
          "\n"
          "exit status: 0 no difference, 1 different, 2 usage error or an input that\n"
          "cannot be read or has errors\n",
          out);
}

/* The diagram of what the new version changes in one variant or flow.
 * A part that only one version has is drawn from that version. Returns
 * false with a message when neither version has it. */
static bool changed_diagram(const lowered *a, const lowered *b, const char *variant, const char *flow,
                            diagram *out)
{
    diagram old;
    bool in_a, in_b;
    if (flow) {
        const lw_flow *fa = lw_find_flow(a, flow), *fb = lw_find_flow(b, flow);
        in_a = fa != NULL, in_b = fb != NULL;
        if (fa)
            diagram_of_flow(a, fa, &old);
        if (fb)
            diagram_of_flow(b, fb, out);
    } else {
        const char *name = variant ? variant : b->variants[0].src->id.name;
        const lw_variant *va = lw_find_variant(a, name), *vb = lw_find_variant(b, name);
        in_a = va != NULL, in_b = vb != NULL;
        if (va)
            diagram_of_variant(a, va, &old);
        if (vb)
            diagram_of_variant(b, vb, out);
    }
    if (!in_a && !in_b) {
        if (flow)
            fprintf(stderr, "regc diff: neither version has a flow for channel `%s`\n", flow);
        else
            fprintf(stderr, "regc diff: neither version has a variant `%s`\n", variant);
        return false;
    }
    if (!in_a) {
        memset(&old, 0, sizeof old);
        diagram_compare(out, &old);
        out->title_mark = DG_ADDED;
        return true;
    }
    if (!in_b) {
        memset(out, 0, sizeof *out);
        out->name = xstrdup(old.name);
        out->title = xstrdup(old.title);
        diagram_compare(out, &old);
        out->title_mark = DG_REMOVED;
    } else {
        diagram_compare(out, &old);
    }
    diagram_free(&old);
    return true;
}

int cmd_diff(int argc, char **argv)
{
    const char *files[2] = { NULL, NULL };
    const char *variant = NULL, *flow = NULL;
    int nfiles = 0;
    bool dot = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            diff_usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--dot") == 0) {
            dot = true;
        } else if (strcmp(argv[i], "--variant") == 0 && i + 1 < argc) {
            variant = argv[++i];
        } else if (strcmp(argv[i], "--flow") == 0 && i + 1 < argc) {
            flow = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "regc diff: unknown option `%s`\n", argv[i]);
            diff_usage(stderr);
            return 2;
        } else if (nfiles == 2) {
            fputs("regc diff: give two files, OLD and NEW\n", stderr);
            return 2;
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (nfiles != 2) {
        fputs("regc diff: give two files, OLD and NEW\n", stderr);
        diff_usage(stderr);
        return 2;
    }
    if ((variant || flow) && !dot) {
        fputs("regc diff: --variant and --flow choose the diagram of --dot\n", stderr);
        return 2;
    }
    if (variant && flow) {
        fputs("regc diff: give either --variant or --flow\n", stderr);
        return 2;
    }

    diag_list d;
    diag_init(&d, NULL);
    unit ua, ub;
    unit_load(&ua, files[0], &d, true);
    unit_load(&ub, files[1], &d, true);
    int status;
    if (d.errors) {
        /* Warnings alone do not stop a comparison and are not repeated here:
         * `regc check` reports them. */
        diag_print_text(&d, stderr, use_color(stderr));
        fprintf(stderr, "regc diff: cannot compare: %d error%s in the input\n", d.errors,
                d.errors == 1 ? "" : "s");
        status = 2;
    } else {
        strbuf out;
        sb_init(&out);
        size_t n = model_diff(ua.low, ub.low, &out);
        status = n ? 1 : 0;
        if (dot) {
            diagram dg;
            if (changed_diagram(ua.low, ub.low, variant, flow, &dg)) {
                char *text = dot_render(&dg);
                fputs(text, stdout);
                free(text);
                diagram_free(&dg);
            } else {
                status = 2;
            }
        } else if (n) {
            fputs(out.data, stdout);
        }
        sb_free(&out);
    }
    unit_free(&ua);
    unit_free(&ub);
    diag_free(&d);
    return status;
}
