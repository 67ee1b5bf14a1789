/* versions.c - checks of the wordings of a service across files
 * (versions.h). */
#include "versions.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "validity.h"

/* The key: fields separated by ',' (no identifier or date holds one), an
 * empty date written "-". */
enum { K_REGION, K_SERVICE, K_ID, K_FROM, K_FROM_CERTAIN, K_UNTIL_EARLIEST, K_UNTIL, K_LINE, K_COL,
       K_GAP_LINE, K_GAP_COL, K_FIELDS }; /* K_GAP_*: `after gap` at, 0 when none */

typedef struct {
    const char *path;
    char *buf;
    const char *f[K_FIELDS];
    srcloc loc;
    srcloc gap;   /* line 0: no `after gap` */
} wording;

static const char *or_dash(const char *s) { return s[0] ? s : "-"; }

char *versions_key(const regulation *r)
{
    validity v;
    validity_resolve(r, &v);
    return xasprintf("%s,%s,%s,%s,%s,%s,%s,%d,%d,%d,%d", r->regions[0].name,
                     r->wording_of.name ? r->wording_of.name : r->id.name, r->id.name, or_dash(v.from),
                     or_dash(v.from_certain), or_dash(v.until_earliest), or_dash(v.until), r->id.loc.line,
                     r->id.loc.col, r->gap.present ? r->gap.loc.line : 0, r->gap.present ? r->gap.loc.col : 0);
}

static bool parse_key(const char *key, wording *w)
{
    w->buf = xstrdup(key);
    size_t n = 0;
    w->f[n++] = w->buf;
    for (char *p = w->buf; *p; p++)
        if (*p == ',') {
            if (n == K_FIELDS)
                return false;
            *p = '\0';
            w->f[n++] = p + 1;
        }
    if (n != K_FIELDS)
        return false;
    for (int i = K_FROM; i <= K_UNTIL; i++)
        if (strcmp(w->f[i], "-") == 0)
            w->f[i] = "";
    w->loc.line = atoi(w->f[K_LINE]);
    w->loc.col = atoi(w->f[K_COL]);
    w->loc.len = (int)strlen(w->f[K_ID]);
    w->gap.line = atoi(w->f[K_GAP_LINE]);
    w->gap.col = atoi(w->f[K_GAP_COL]);
    w->gap.len = 3;
    return w->loc.line > 0 && w->loc.col > 0;
}

static int by_service_then_start(const void *a, const void *b)
{
    const wording *x = a, *y = b;
    int c = strcmp(x->f[K_REGION], y->f[K_REGION]);
    if (!c)
        c = strcmp(x->f[K_SERVICE], y->f[K_SERVICE]);
    return c ? c : strcmp(x->f[K_FROM], y->f[K_FROM]);
}

static diagnostic *error_at(diag_list *d, const wording *w, const char *msg)
{
    source src = { .path = w->path, .text = NULL, .len = 0 };
    return diag_error(d, &src, w->loc, "%s", msg);
}

/* An error at the `after gap` of w. */
static diagnostic *error_at_gap(diag_list *d, const wording *w, const char *msg)
{
    source src = { .path = w->path, .text = NULL, .len = 0 };
    return diag_error(d, &src, w->gap, "%s", msg);
}

int versions_check(const char *const *paths, const char *const *keys, size_t n, diag_list *d)
{
    int errors = 0;
    wording *w = xcalloc(n ? n : 1, sizeof *w);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!keys[i])
            continue;
        w[k].path = paths[i];
        if (parse_key(keys[i], &w[k]))
            k++;
        else
            free(w[k].buf);
    }
    qsort(w, k, sizeof *w, by_service_then_start);
    /* The first wording of a service has nothing before it to leave a gap after. */
    for (size_t i = 0; i < k; i++) {
        if (!w[i].gap.line)
            continue;
        bool first = i == 0 || strcmp(w[i - 1].f[K_REGION], w[i].f[K_REGION]) != 0 ||
                     strcmp(w[i - 1].f[K_SERVICE], w[i].f[K_SERVICE]) != 0;
        if (!first)
            continue;
        char *msg = xasprintf("wording `%s` is the first of `%s`: there is no earlier wording to leave a gap after",
                              w[i].f[K_ID], w[i].f[K_SERVICE]);
        diag_hint(error_at_gap(d, &w[i], msg), "`after gap` belongs to the wording that follows the gap; remove it "
                                               "here, or add the earlier wording's file to the command");
        free(msg);
        errors++;
    }
    for (size_t i = 0; i + 1 < k; i++) {
        const wording *a = &w[i], *b = &w[i + 1];
        if (strcmp(a->f[K_REGION], b->f[K_REGION]) != 0 || strcmp(a->f[K_SERVICE], b->f[K_SERVICE]) != 0)
            continue;
        const char *service = a->f[K_SERVICE];
        char *msg = NULL;
        if (!a->f[K_FROM][0] || !b->f[K_FROM][0]) {
            const wording *x = a->f[K_FROM][0] ? b : a;
            msg = xasprintf("wording `%s` of `%s` says nothing of when it applies", x->f[K_ID], service);
            diag_hint(error_at(d, x, msg), "each wording of a service has a window: `valid from`, or `in force` and "
                                           "`published`");
        } else if (!a->f[K_UNTIL][0]) {
            msg = xasprintf("wording `%s` of `%s` applies without end, but `%s` applies from %s", a->f[K_ID], service,
                            b->f[K_ID], b->f[K_FROM]);
            diag_hint(error_at(d, a, msg),
                      "end it when the next wording begins: `valid from %s until %s`, or `repeal in force` as the "
                      "amending act words it",
                      a->f[K_FROM], b->f[K_FROM]);
        } else if (b->gap.line && strcmp(a->f[K_UNTIL_EARLIEST], b->f[K_FROM]) >= 0) {
            /* A declared gap must be one: the earlier wording surely ends before the next begins. */
            bool adjacent = strcmp(a->f[K_UNTIL_EARLIEST], b->f[K_FROM]) == 0 &&
                            strcmp(a->f[K_UNTIL], b->f[K_FROM_CERTAIN]) == 0;
            if (adjacent)
                msg = xasprintf("`%s` declares a gap after `%s`, but there is none: `%s` ends %s, the day `%s` begins",
                                b->f[K_ID], a->f[K_ID], a->f[K_ID], a->f[K_UNTIL], b->f[K_ID]);
            else
                msg = xasprintf("`%s` declares a gap after `%s`, but they overlap: `%s` ends %s, `%s` begins %s",
                                b->f[K_ID], a->f[K_ID], a->f[K_ID], a->f[K_UNTIL], b->f[K_ID], b->f[K_FROM]);
            diag_hint(error_at_gap(d, b, msg), adjacent ? "remove `after gap`: the wordings follow each other"
                                                        : "remove `after gap`, and end `%s` on the day `%s` begins",
                      a->f[K_ID], b->f[K_ID]);
        } else if (strcmp(a->f[K_UNTIL_EARLIEST], b->f[K_FROM]) != 0 ||
                   strcmp(a->f[K_UNTIL], b->f[K_FROM_CERTAIN]) != 0) {
            bool gap = strcmp(a->f[K_UNTIL], b->f[K_FROM]) < 0;
            if (gap && b->gap.line) {
                /* Declared: the days between are the law's own. */
            } else if (gap) {
                msg = xasprintf("no wording of `%s` applies from %s until %s: `%s` ends, `%s` has not begun", service,
                                a->f[K_UNTIL], b->f[K_FROM], a->f[K_ID], b->f[K_ID]);
                diag_hint(error_at(d, b, msg),
                          "a wording ends on the day the next one begins; if the law itself leaves these days "
                          "without a regulation, say so in `%s`: `wording of %s after gap \"why\" cite \"act\"`",
                          b->f[K_ID], service);
            } else {
                msg = xasprintf("wordings of `%s` overlap: `%s` ends %s, `%s` begins %s", service, a->f[K_ID],
                                a->f[K_UNTIL], b->f[K_ID], b->f[K_FROM]);
                diag_hint(error_at(d, b, msg), "a wording ends on the day the next one begins (both written from the "
                                               "amending act's entry into force, the same publication dates)");
            }
        }
        if (msg) {
            errors++;
            free(msg);
        }
    }
    for (size_t i = 0; i < k; i++)
        free(w[i].buf);
    free(w);
    return errors;
}
