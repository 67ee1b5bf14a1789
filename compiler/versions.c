/* versions.c - checks of the wordings of a service across files
 * (versions.h). */
#include "versions.h"

#include <stdlib.h>
#include <string.h>

#include "validity.h"

typedef struct {
    const unit *u;
    const char *service;
    validity v;
} wording;

static const char *service_of(const regulation *r) { return r->wording_of.name ? r->wording_of.name : r->id.name; }

static int by_service_then_start(const void *a, const void *b)
{
    const wording *x = a, *y = b;
    int c = strcmp(x->u->reg->regions[0].name, y->u->reg->regions[0].name);
    if (!c)
        c = strcmp(x->service, y->service);
    return c ? c : strcmp(x->v.from, y->v.from);
}

int versions_check(unit *const *units, size_t n, diag_list *d)
{
    int errors = 0;
    wording *w = calloc(n ? n : 1, sizeof *w);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!units[i]->ok)
            continue;
        w[k].u = units[i];
        w[k].service = service_of(units[i]->reg);
        validity_resolve(units[i]->reg, &w[k].v);
        k++;
    }
    qsort(w, k, sizeof *w, by_service_then_start);
    for (size_t i = 0; i + 1 < k; i++) {
        const wording *a = &w[i], *b = &w[i + 1];
        if (strcmp(a->u->reg->regions[0].name, b->u->reg->regions[0].name) != 0 || strcmp(a->service, b->service) != 0)
            continue;
        const regulation *ra = a->u->reg, *rb = b->u->reg;
        if (!a->v.from[0] || !b->v.from[0]) {
            const wording *x = a->v.from[0] ? b : a;
            diag_hint(diag_error(d, &x->u->src, x->u->reg->id.loc, "wording `%s` of `%s` says nothing of when it applies",
                                 x->u->reg->id.name, x->service),
                      "each wording of a service has a window: `valid from`, or `in force` and `published`");
            errors++;
        } else if (!a->v.until[0]) {
            diag_hint(diag_error(d, &a->u->src, ra->id.loc, "wording `%s` of `%s` applies without end, but `%s` applies from %s",
                                 ra->id.name, a->service, rb->id.name, b->v.from),
                      "end it when the next wording begins: `valid from %s until %s`, or `repeal in force` as the "
                      "amending act words it",
                      a->v.from, b->v.from);
            errors++;
        } else if (strcmp(a->v.until_earliest, b->v.from) != 0 || strcmp(a->v.until, b->v.from_certain) != 0) {
            bool gap = strcmp(a->v.until, b->v.from) < 0;
            diag_hint(diag_error(d, &b->u->src, rb->id.loc,
                                 gap ? "no wording of `%s` applies from %s until %s: `%s` ends, `%s` has not begun"
                                     : "wordings of `%s` overlap: `%s` ends %s, `%s` begins %s",
                                 a->service, gap ? a->v.until : ra->id.name, gap ? b->v.from : a->v.until,
                                 gap ? ra->id.name : rb->id.name, gap ? rb->id.name : b->v.from),
                      "a wording ends on the day the next one begins (both written from the amending act's entry "
                      "into force, the same publication dates)");
            errors++;
        }
    }
    free(w);
    return errors;
}
