/* check_options.c - the -W options of `regc check` and `regc gen`: which
 * warnings are on and whether they count as errors (see check.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"

static const check_info *find_check(const char *name)
{
    for (size_t i = 0; i < check_count; i++)
        if (strcmp(check_table[i].name, name) == 0)
            return &check_table[i];
    return NULL;
}

static void drop_name(const char **list, size_t *n, const char *name)
{
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(list[i], name) != 0)
            list[kept++] = list[i];
    *n = kept;
}

static void list_warnings(FILE *out)
{
    fputs("warnings:", out);
    for (size_t i = 0; i < check_count; i++)
        if (!check_table[i].error)
            fprintf(out, " %s", check_table[i].name);
    fputc('\n', out);
}

int check_warn_option(warn_options *w, const char *arg, const char *cmd)
{
    const char *name = arg + 2;
    if (strcmp(name, "error") == 0 || strcmp(name, "no-error") == 0) {
        w->werror = name[0] == 'e';
        return 0;
    }
    /* `-Wno-NAME` turns NAME off; a name is tried whole first. */
    bool enable = true;
    const check_info *ci = find_check(name);
    if (!ci && strncmp(name, "no-", 3) == 0) {
        ci = find_check(name + 3);
        enable = false;
    }
    if (!ci) {
        const char *word = strncmp(name, "no-", 3) == 0 ? name + 3 : name;
        const char **names = xcalloc(check_count, sizeof *names);
        size_t n = 0;
        for (size_t i = 0; i < check_count; i++)
            if (!check_table[i].error)
                names[n++] = check_table[i].name;
        const char *close = diag_closest(word, names, n);
        fprintf(stderr, "%s: unknown warning option `%s`", cmd, arg);
        if (close)
            fprintf(stderr, "; did you mean `-W%s%s`?", word == name ? "" : "no-", close);
        fputc('\n', stderr);
        list_warnings(stderr);
        free(names);
        return -1;
    }
    if (ci->error) {
        fprintf(stderr, "%s: `%s` is an error, not a warning; it cannot be turned on or off\n", cmd,
                ci->name);
        list_warnings(stderr);
        return -1;
    }
    drop_name(w->enabled, &w->nenabled, ci->name);
    drop_name(w->disabled, &w->ndisabled, ci->name);
    if (enable) {
        w->enabled = xrealloc(w->enabled, (w->nenabled + 1) * sizeof *w->enabled);
        w->enabled[w->nenabled++] = ci->name;
    } else {
        w->disabled = xrealloc(w->disabled, (w->ndisabled + 1) * sizeof *w->disabled);
        w->disabled[w->ndisabled++] = ci->name;
    }
    return 0;
}

void check_warn_free(warn_options *w)
{
    free(w->enabled);
    free(w->disabled);
    w->enabled = w->disabled = NULL;
    w->nenabled = w->ndisabled = 0;
}

void check_usage(FILE *out)
{
    fputs("  -Werror    treat warnings as errors (-Wno-error: do not)\n"
          "  -Wno-NAME  turn the warning NAME off\n"
          "  -WNAME     turn the warning NAME on; all are on by default, and the last\n"
          "             option given for a name wins\n"
          "\n"
          "checks (docs/checks.md says what each means and how to fix it):\n",
          out);
    for (size_t i = 0; i < check_count; i++)
        fprintf(out, "  %-22s %s%s\n", check_table[i].name, check_table[i].error ? "error: " : "",
                check_table[i].summary);
}
