/* cmd_gen.c - `regc gen`: compile rule files into generated/<region>/.
 *
 * Nothing is written unless every input passes: a half-updated generated/
 * directory would mix two versions of the rules. The files of a region
 * that the run did not produce are removed, so generated/ always mirrors
 * rules/ exactly (renamed regulations leave nothing stale behind). */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "check.h"
#include "commands.h"
#include "diag.h"
#include "outfile.h"
#include "unit.h"
#include "util.h"

static const backend_fn backends[] = {
    backend_json,
    backend_c,
    backend_dot,
    backend_mermaid,
    backend_bpmn,
    backend_page,
};

static const region_backend_fn region_backends[] = {
    backend_c_region,
    backend_page_region,
};

void out_files_add(out_files *o, char *name, char *text)
{
    o->files = xrealloc(o->files, (o->count + 1) * sizeof *o->files);
    o->files[o->count].name = name;
    o->files[o->count].text = text;
    o->count++;
}

void out_files_free(out_files *o)
{
    for (size_t i = 0; i < o->count; i++) {
        free(o->files[i].name);
        free(o->files[i].text);
    }
    free(o->files);
    o->files = NULL;
    o->count = 0;
}

static void gen_usage(FILE *out)
{
    fputs("usage: regc gen [-o DIR] [-Werror] [-Wno-NAME] [-WNAME] FILE...\n"
          "\n"
          "Compiles rule files into DIR/<region>/ (default: generated): the JSON model,\n"
          "the C state machine and header, the diagrams, the BPMN document, the page\n"
          "(<service>.md), and a header and an index page (README.md) per region.\n"
          "Writes nothing when any file has errors; warnings are printed and do not\n"
          "stop it (unless -Werror). Files in DIR/<region>/ that this run does not\n"
          "produce are removed.\n"
          "\n",
          out);
    check_usage(out);
    fputs("\n"
          "exit status: 0 ok, 1 errors in the input, 2 usage error, 3 write failure\n",
          out);
}

static int cmp_reg(const void *a, const void *b)
{
    const regulation *x = *(regulation *const *)a, *y = *(regulation *const *)b;
    int c = strcmp(x->regions[0].name, y->regions[0].name);
    return c ? c : strcmp(x->id.name, y->id.name);
}

/* Units by region and regulation, then in command-line order, so the files
 * that define the same regulation end up next to each other. */
static int cmp_unit(const void *a, const void *b)
{
    const unit *x = *(const unit *const *)a, *y = *(const unit *const *)b;
    int c = cmp_reg(&x->reg, &y->reg);
    return c ? c : (x > y) - (x < y);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Removes files of dir that are not in keep. The names to keep are sorted
 * once, so pruning a region of thousands of files stays linear-logarithmic. */
static int prune(const char *dir, const out_files *keep)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    const char **names = xrealloc(NULL, (keep->count + 1) * sizeof *names);
    for (size_t i = 0; i < keep->count; i++)
        names[i] = keep->files[i].name;
    qsort(names, keep->count, sizeof *names, cmp_name);
    struct dirent *e;
    int status = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        const char *key = e->d_name;
        bool wanted = bsearch(&key, names, keep->count, sizeof *names, cmp_name) != NULL;
        if (!wanted) {
            char *path = xasprintf("%s/%s", dir, e->d_name);
            if (remove(path) != 0) {
                fprintf(stderr, "regc: cannot remove stale %s\n", path);
                status = -1;
            }
            free(path);
        }
    }
    closedir(d);
    free(names);
    return status;
}

int cmd_gen(int argc, char **argv)
{
    const char *outdir = "generated";
    warn_options warn = { 0 };
    char **files = xcalloc((size_t)argc, sizeof *files);
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            gen_usage(stdout);
            check_warn_free(&warn);
            free(files);
            return 0;
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            outdir = argv[++i];
        } else if (strncmp(argv[i], "-W", 2) == 0) {
            if (check_warn_option(&warn, argv[i], "regc gen") != 0) {
                check_warn_free(&warn);
                free(files);
                return 2;
            }
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "regc gen: unknown option `%s`\n", argv[i]);
            gen_usage(stderr);
            check_warn_free(&warn);
            free(files);
            return 2;
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (nfiles == 0) {
        fputs("regc gen: no input files\n", stderr);
        gen_usage(stderr);
        check_warn_free(&warn);
        free(files);
        return 2;
    }

    diag_list d;
    diag_init(&d, &warn);
    unit *units = xcalloc((size_t)nfiles, sizeof *units);
    for (int i = 0; i < nfiles; i++)
        unit_load(&units[i], files[i], &d, true);
    diag_print_text(&d, stderr, use_color(stderr));
    int status = 0;
    if (d.errors) {
        fprintf(stderr, "%d error%s; nothing generated\n", d.errors, d.errors == 1 ? "" : "s");
        status = 1;
        goto done;
    }
    /* Sorted, the files of one regulation are neighbours: each is reported
     * against every earlier file of its group. */
    unit **sorted = xcalloc((size_t)nfiles, sizeof *sorted);
    for (int i = 0; i < nfiles; i++)
        sorted[i] = &units[i];
    qsort(sorted, (size_t)nfiles, sizeof *sorted, cmp_unit);
    for (int i = 1, group = 0; i < nfiles; i++) {
        if (cmp_reg(&sorted[i]->reg, &sorted[group]->reg) != 0) {
            group = i;
            continue;
        }
        for (int j = group; j < i; j++) {
            fprintf(stderr, "%s: error: regulation `%s` is also defined in %s\n", sorted[i]->src.path,
                    sorted[i]->reg->id.name, sorted[j]->src.path);
            status = 1;
        }
    }
    const lowered **regs = xcalloc((size_t)nfiles, sizeof *regs);
    for (int i = 0; i < nfiles; i++)
        regs[i] = sorted[i]->low;
    free(sorted);
    if (status) {
        free(regs);
        goto done;
    }

    for (int start = 0; start < nfiles && status == 0;) {
        const char *region = regs[start]->r->regions[0].name;
        int end = start;
        while (end < nfiles && strcmp(regs[end]->r->regions[0].name, region) == 0)
            end++;
        out_files out = { NULL, 0 };
        for (int i = start; i < end; i++)
            for (size_t b = 0; b < sizeof backends / sizeof backends[0]; b++)
                backends[b](regs[i], &out);
        for (size_t b = 0; b < sizeof region_backends / sizeof region_backends[0]; b++)
            if (region_backends[b])
                region_backends[b](region, regs + start, (size_t)(end - start), &out);
        char *dir = xasprintf("%s/%s", outdir, region);
        if (make_dirs(dir) != 0)
            status = 3;
        for (size_t f = 0; f < out.count && status == 0; f++) {
            char *path = xasprintf("%s/%s", dir, out.files[f].name);
            if (write_if_changed(path, out.files[f].text) != 0)
                status = 3;
            free(path);
        }
        if (status == 0 && prune(dir, &out) != 0)
            status = 3;
        free(dir);
        out_files_free(&out);
        start = end;
    }
    free(regs);
done:
    for (int i = 0; i < nfiles; i++)
        unit_free(&units[i]);
    free(units);
    free(files);
    diag_free(&d);
    check_warn_free(&warn);
    return status;
}
