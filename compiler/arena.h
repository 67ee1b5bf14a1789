/* arena.h - one allocation region per parsed file.
 *
 * The AST of a rule file lives and dies as a whole: every node and string is
 * allocated from the file's arena and released by one arena_free(), so error
 * recovery in the parser never has to free half-built nodes. */
#ifndef REGC_ARENA_H
#define REGC_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct {
    arena_block *head;
} arena;

void arena_init(arena *a);
void arena_free(arena *a);
/* Zeroed memory; aborts with a message when the machine is out of memory. */
void *arena_alloc(arena *a, size_t size);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
/* Appends one element to a growable array living in the arena. *items and
 * *count describe the array; capacity doubles, old storage stays in the arena. */
void *arena_push(arena *a, void *items, size_t *count, size_t elem_size);

#endif
