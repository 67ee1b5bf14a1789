/* cmd_fmt.c - `regc fmt`: print or rewrite rule files in canonical layout. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "diag.h"
#include "fmt.h"
#include "unit.h"
#include "util.h"

static void fmt_usage(FILE *out)
{
    fputs("usage: regc fmt [-w | -l] FILE...\n"
          "\n"
          "Prints each rule file in the canonical layout (comments kept).\n"
          "\n"
          "  -w   rewrite the files in place (only those that change)\n"
          "  -l   list the files whose layout differs, print nothing else\n"
          "\n"
          "A file with syntax errors is not formatted: its errors are reported.\n"
          "exit status: 0 ok, 1 errors (or, with -l, files that differ), 2 usage error\n",
          out);
}

/* Writes text to path through a temporary file and a rename, so an
 * interrupted rewrite never leaves a half-written rule file. The rename
 * replaces what it is given: so a symbolic link is followed (the file it
 * names is rewritten and the link stays a link), and the new file gets the
 * old one's permissions. */
static int write_atomically(const char *path, const char *text)
{
    char *real = realpath(path, NULL);
    const char *target = real ? real : path;
    struct stat st;
    bool have_mode = stat(target, &st) == 0;
    char *tmp = xasprintf("%s.fmt-tmp", target);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        fprintf(stderr, "%s: cannot write: %s\n", tmp, strerror(errno));
        free(tmp);
        free(real);
        return -1;
    }
    size_t n = strlen(text);
    bool ok = fwrite(text, 1, n, f) == n;
    if (have_mode && fchmod(fileno(f), st.st_mode & 07777) != 0)
        ok = false;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, target) != 0) {
        fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
        remove(tmp);
        free(tmp);
        free(real);
        return -1;
    }
    free(tmp);
    free(real);
    return 0;
}

int cmd_fmt(int argc, char **argv)
{
    bool write = false, list = false;
    int status = 0, nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fmt_usage(stdout);
            return 0;
        }
        if (strcmp(argv[i], "-w") == 0)
            write = true;
        else if (strcmp(argv[i], "-l") == 0)
            list = true;
        else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "regc fmt: unknown option `%s`\n", argv[i]);
            fmt_usage(stderr);
            return 2;
        } else
            nfiles++;
    }
    if (nfiles == 0) {
        fputs("regc fmt: no input files\n", stderr);
        fmt_usage(stderr);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            continue;
        diag_list d;
        diag_init(&d, NULL);
        unit u;
        unit_load(&u, argv[i], &d, false);
        if (!u.syntax_ok) {
            diag_print_text(&d, stderr, use_color(stderr));
            status = 1;
        } else {
            char *text = fmt_regulation(u.reg);
            bool same = strlen(text) == u.src.len && memcmp(text, u.src.text, u.src.len) == 0;
            if (list) {
                if (!same) {
                    printf("%s\n", argv[i]);
                    status = 1;
                }
            } else if (write) {
                if (!same && write_atomically(argv[i], text) != 0)
                    status = 1;
            } else {
                fputs(text, stdout);
            }
            free(text);
        }
        unit_free(&u);
        diag_free(&d);
    }
    return status;
}
