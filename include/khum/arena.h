/*
 * khum/arena.h: a region allocator. Everything made while handling one import,
 * one request or one allocation run lives in one arena and is freed at once,
 * so no single string or row needs its own free().
 */
#ifndef KHUM_ARENA_H
#define KHUM_ARENA_H

#include <stddef.h>

typedef struct khum_arena_block khum_arena_block;

typedef struct khum_arena {
    khum_arena_block *head;
    size_t block_size;  /* size of ordinary blocks; larger requests get their own */
    size_t used_total;  /* bytes handed out, for reports and tests */
    size_t limit;       /* 0: none; else no more than this many bytes are handed out */
} khum_arena;

void khum_arena_init(khum_arena *a, size_t block_size);  /* 0: 64 KiB */
void khum_arena_free(khum_arena *a);                     /* frees every block */
/* Forget every allocation but keep one block for reuse: for loops that make
 * and drop the same kind of data many times. */
void khum_arena_reset(khum_arena *a);
/* Refuse (NULL) any allocation that would take the bytes handed out past
 * limit: how tests show that a caller reports running out of memory. */
void khum_arena_set_limit(khum_arena *a, size_t limit);

/* 16-byte aligned, uninitialised; NULL only when memory is exhausted. */
void *khum_arena_alloc(khum_arena *a, size_t n);
void *khum_arena_calloc(khum_arena *a, size_t count, size_t size);
char *khum_arena_strdup(khum_arena *a, const char *s);
char *khum_arena_strndup(khum_arena *a, const char *s, size_t n);
char *khum_arena_printf(khum_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
