/* name_index.c - open addressing over positions (see name_index.h). */
#include "name_index.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

static size_t hash_name(const char *s, bool ignore_case)
{
    size_t h = 1469598103934665603u;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= ignore_case ? (unsigned char)tolower(*p) : *p;
        h *= 1099511628211u;
    }
    return h;
}

static bool same_name(const name_index *x, const char *a, const char *b)
{
    return (x->ignore_case ? strcasecmp(a, b) : strcmp(a, b)) == 0;
}

void name_index_init(name_index *x, const char *const *names, size_t n, bool ignore_case)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    x->names = names;
    x->slots = xcalloc(cap, sizeof *x->slots);
    x->mask = cap - 1;
    x->ignore_case = ignore_case;
    for (size_t i = 0; i < n; i++) {
        size_t k = hash_name(names[i], ignore_case) & x->mask;
        /* an equal name already there stays: lookups give the first */
        while (x->slots[k] && !same_name(x, names[x->slots[k] - 1], names[i]))
            k = (k + 1) & x->mask;
        if (!x->slots[k])
            x->slots[k] = i + 1;
    }
}

long name_index_find(const name_index *x, const char *name)
{
    for (size_t k = hash_name(name, x->ignore_case) & x->mask; x->slots[k]; k = (k + 1) & x->mask)
        if (same_name(x, x->names[x->slots[k] - 1], name))
            return (long)(x->slots[k] - 1);
    return -1;
}

void name_index_free(name_index *x)
{
    free(x->slots);
    x->slots = NULL;
}
