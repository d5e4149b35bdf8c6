/*
 * arena.c: bump allocation in a chain of blocks. A request larger than a
 * quarter block gets a block of its own, so big rows never waste a whole
 * ordinary block's tail.
 */
#include "khum/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct khum_arena_block {
    khum_arena_block *next;
    size_t cap, used;
    _Alignas(16) unsigned char data[];
};

#define ALIGN_UP(n) (((n) + 15u) & ~(size_t)15u)

void khum_arena_init(khum_arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
    a->used_total = 0;
    a->limit = 0;
}

void khum_arena_set_limit(khum_arena *a, size_t limit)
{
    a->limit = limit;
}

void khum_arena_free(khum_arena *a)
{
    khum_arena_block *b = a->head;
    while (b) {
        khum_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used_total = 0;
}

void khum_arena_reset(khum_arena *a)
{
    khum_arena_block *keep = NULL, *b = a->head;
    while (b) {
        khum_arena_block *next = b->next;
        if (!keep && b->cap == a->block_size)
            keep = b;  /* an ordinary block; large one-off blocks are freed */
        else
            free(b);
        b = next;
    }
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
    a->head = keep;
    a->used_total = 0;
}

static khum_arena_block *new_block(size_t cap)
{
    khum_arena_block *b = malloc(sizeof *b + cap);
    if (!b)
        return NULL;
    b->next = NULL;
    b->cap = cap;
    b->used = 0;
    return b;
}

void *khum_arena_alloc(khum_arena *a, size_t n)
{
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - 64)
        return NULL;
    size_t need = ALIGN_UP(n);
    if (a->limit && need > a->limit - (a->used_total < a->limit ? a->used_total : a->limit))
        return NULL;
    khum_arena_block *b = a->head;
    if (!b || b->cap - b->used < need) {
        if (need > a->block_size / 4) {
            /* A large request: its own block, linked behind the current one
             * so the current block's free tail stays usable. */
            khum_arena_block *big = new_block(need);
            if (!big)
                return NULL;
            if (b) {
                big->next = b->next;
                b->next = big;
            } else {
                a->head = big;
            }
            big->used = need;
            a->used_total += need;
            return big->data;
        }
        b = new_block(a->block_size);
        if (!b)
            return NULL;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->used_total += need;
    return p;
}

void *khum_arena_calloc(khum_arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = khum_arena_alloc(a, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

char *khum_arena_strndup(khum_arena *a, const char *s, size_t n)
{
    char *p = khum_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *khum_arena_strdup(khum_arena *a, const char *s)
{
    return khum_arena_strndup(a, s, strlen(s));
}

char *khum_arena_printf(khum_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = khum_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
