/* parse.c - runs the flex scanner and the bison parser over one source. */
#include "parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule_limits.h"
#include "parse_state.h"
#include "parser.h"
#include "lexer.h"
#include "util.h"


char *read_file(const char *path, size_t *len, diag_list *diags)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        diagnostic *d = diag_plain(diags, path, "cannot open file: %s", strerror(errno));
        if (errno == ENOENT)
            diag_hint(d, "check the path; rule files live in rules/<region>/<service>.reg");
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = xrealloc(NULL, cap);
    for (;;) {
        if (cap - n < 2) {
            if (cap >= (size_t)MAX_FILE_BYTES) {
                diag_hint(diag_plain(diags, path, "file is larger than %ld MiB", MAX_FILE_BYTES >> 20),
                          "a rule file describes one regulation; split the input");
                free(buf);
                if (f != stdin)
                    fclose(f);
                return NULL;
            }
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    int err = ferror(f);
    if (f != stdin)
        fclose(f);
    if (err) {
        diag_plain(diags, path, "cannot read file: %s", strerror(EIO));
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

regulation *parse_source(const source *src, diag_list *diags)
{
    regulation *reg = ast_new();
    lex_state st;
    memset(&st, 0, sizeof st);
    st.reg = reg;
    st.diags = diags;
    st.src = src;
    st.line = 1;
    st.col = 1;
    st.cur_steps = &reg->steps;

    yyscan_t scanner;
    if (yylex_init_extra(&st, &scanner) != 0) {
        out_of_memory();
    }
    YY_BUFFER_STATE buf = yy_scan_bytes(src->text, (int)src->len, scanner);
    int errors_before = diags->errors;
    yyparse(scanner, &st);
    yy_delete_buffer(buf, scanner);
    yylex_destroy(scanner);

    if (st.ntokens == 0 && diags->errors == errors_before) {
        srcloc at = { 1, 1, 1 };
        diag_hint(diag_error(diags, src, at, reg->ncomments ? "file has only comments" : "file is empty"),
                  "a rule file holds one `regulation NAME { ... }`; see docs/language.md");
    } else if (st.nregulations == 0 && diags->errors == errors_before) {
        srcloc at = { 1, 1, 1 };
        diag_error(diags, src, at, "no regulation in this file");
    }
    return reg;
}
