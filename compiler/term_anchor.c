/* term_anchor.c - checks of the event or step a term counts from
 * (term_anchor.h). */
#include "term_anchor.h"

#include <string.h>

#include "util.h"

static bool has_step(const step_list *l, const char *id)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].id.name, id) == 0)
            return true;
    return false;
}

void term_anchor_check(const regulation *r, const source *src, diag_list *d)
{
    for (size_t i = 0; i < r->nvariants; i++) {
        const variant_decl *v = &r->variants[i];
        if (!v->term_anchor.name || !v->anchor_is_step)
            continue;
        const step_list *steps = v->has_steps ? &v->steps : &r->steps;
        if (!has_step(steps, v->term_anchor.name))
            diag_hint(diag_error(d, src, v->term_anchor.loc, "the term of variant `%s` counts from step `%s`, "
                                 "which it does not have", v->id.name, v->term_anchor.name),
                      "name one of the variant's steps, or count from an event: `from event %s \"...\"`",
                      v->term_anchor.name);
    }
}
