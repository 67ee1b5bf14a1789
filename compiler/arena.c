/* arena.c - bump allocator for the AST (see arena.h). */
#include "arena.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
    arena_block *next;
    size_t used, size;
    max_align_t data[];
};

enum { BLOCK_MIN = 64 * 1024 };

void arena_init(arena *a) { a->head = NULL; }

void arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

void *arena_alloc(arena *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    if (size > SIZE_MAX - align)
        out_of_memory();
    size = (size + align - 1) / align * align;
    arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t cap = size > BLOCK_MIN ? size : BLOCK_MIN;
        b = xmalloc(sizeof *b + cap);
        b->next = a->head;
        b->used = 0;
        b->size = cap;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

/* Capacity is implicit: the array is full whenever count is a power of two
 * (or zero), so no separate capacity field has to travel with each array. */
void *arena_push(arena *a, void *items, size_t *count, size_t elem_size)
{
    size_t n = *count;
    char *base = items;
    if (n == 0 || (n & (n - 1)) == 0) {
        size_t cap = n ? n * 2 : 4;
        if (n >= 4 || n == 0) {
            char *grown = arena_alloc(a, cap * elem_size);
            if (n)
                memcpy(grown, base, n * elem_size);
            base = grown;
        }
    }
    memset(base + n * elem_size, 0, elem_size);
    *count = n + 1;
    return base;
}
