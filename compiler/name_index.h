/* name_index.h - finding a name among many without comparing it with each.
 *
 * A rule file at the size limit has ten thousand steps; finding each
 * step's successor, and checking that no two steps share a name, one
 * comparison at a time took time in the square of that. The index hashes
 * the names once; a lookup gives the first name equal to the one asked
 * for (exactly, or ignoring ASCII case), as a walk from the start would. */
#ifndef REGC_NAME_INDEX_H
#define REGC_NAME_INDEX_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *const *names; /* not owned: must outlive the index */
    size_t *slots;            /* 1 + a position in names; 0: empty */
    size_t mask;
    bool ignore_case;
} name_index;

/* Indexes names[0..n-1]; with ignore_case, names equal but for ASCII case
 * count as equal (as strcasecmp says). */
void name_index_init(name_index *x, const char *const *names, size_t n, bool ignore_case);
/* The smallest position of a name equal to name, or -1 when there is none. */
long name_index_find(const name_index *x, const char *name);
void name_index_free(name_index *x);

#endif
