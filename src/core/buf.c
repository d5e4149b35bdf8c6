/*
 * buf.c: the growable byte buffer behind CSV writing, JSON text and messages.
 * A failed allocation marks the buffer failed instead of losing data silently:
 * the caller checks b->failed once at the end.
 */
#include "khum/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void khum_buf_init(khum_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

void khum_buf_free(khum_buf *b)
{
    free(b->data);
    khum_buf_init(b);
}

void khum_buf_reset(khum_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

bool khum_buf_reserve(khum_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (extra > SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

bool khum_buf_append(khum_buf *b, const void *p, size_t n)
{
    if (!khum_buf_reserve(b, n))
        return false;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool khum_buf_puts(khum_buf *b, const char *s)
{
    return khum_buf_append(b, s, strlen(s));
}

bool khum_buf_putc(khum_buf *b, char c)
{
    return khum_buf_append(b, &c, 1);
}

bool khum_buf_printf(khum_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !khum_buf_reserve(b, (size_t)n))
        return false;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

const char *khum_thousands(int64_t v, char buf[32])
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
    int j = 0;
    if (v < 0)
        buf[j++] = '-';
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            buf[j++] = ',';
        buf[j++] = digits[i];
    }
    buf[j] = '\0';
    return buf;
}

void khum_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}
