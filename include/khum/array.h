/*
 * khum/array.h: the one growable array of khum. A list whose length is not
 * known before it is read (rows of a query, units of a file) grows here,
 * doubling, in an arena or on the heap; running out of memory is reported to
 * the caller, never mistaken for the end of the list.
 */
#ifndef KHUM_ARRAY_H
#define KHUM_ARRAY_H

#include <stddef.h>

#include "khum/arena.h"

/* Grows items (n in use, *cap allocated, size bytes each) so that one more
 * fits, and returns the array, moved if it had to grow (from arena, or with
 * realloc when arena is NULL). NULL when memory is exhausted: items and *cap
 * are then untouched and still valid. While items is NULL, *cap may name the
 * first capacity wanted (0: a small default). */
void *khum_grow(void *items, size_t n, size_t *cap, size_t size, khum_arena *arena);

typedef struct khum_array {
    void *items;        /* NULL while empty */
    size_t n, cap;      /* items in use, items allocated */
    size_t size;        /* bytes per item */
    khum_arena *arena;  /* where the items live; NULL: the heap (khum_array_free) */
} khum_array;

void khum_array_init(khum_array *v, size_t size, khum_arena *arena);
/* A new zeroed item at the end, or NULL (the array unchanged) when memory is
 * exhausted. */
void *khum_array_push(khum_array *v);
/* Frees a heap array; an arena's goes with its arena. */
void khum_array_free(khum_array *v);

#endif
