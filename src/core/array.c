/*
 * array.c: growing arrays by doubling, in an arena or on the heap
 * (khum/array.h). An arena cannot resize in place, so growing there copies
 * into a new block and leaves the old one to the arena: at most as much again
 * as the final array.
 */
#include "khum/array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *khum_grow(void *items, size_t n, size_t *cap, size_t size, khum_arena *arena)
{
    if (n < *cap && items)
        return items;
    size_t nc = *cap ? *cap : 8;
    while (nc <= n) {
        if (nc > SIZE_MAX / 2)
            return NULL;
        nc *= 2;
    }
    if (size && nc > SIZE_MAX / size)
        return NULL;
    void *p;
    if (arena) {
        p = khum_arena_alloc(arena, nc * size);
        if (p && n)
            memcpy(p, items, n * size);
    } else {
        p = realloc(items, nc * size);
    }
    if (p)
        *cap = nc;
    return p;
}

void khum_array_init(khum_array *v, size_t size, khum_arena *arena)
{
    v->items = NULL;
    v->n = v->cap = 0;
    v->size = size;
    v->arena = arena;
}

void *khum_array_push(khum_array *v)
{
    void *p = khum_grow(v->items, v->n, &v->cap, v->size, v->arena);
    if (!p)
        return NULL;
    v->items = p;
    char *item = (char *)p + v->n++ * v->size;
    memset(item, 0, v->size);
    return item;
}

void khum_array_free(khum_array *v)
{
    if (!v->arena)
        free(v->items);
    v->items = NULL;
    v->n = v->cap = 0;
}
