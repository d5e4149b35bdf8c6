/*
 * err.c: filling, placing and formatting khum_err values, and the warning list.
 * Messages are truncated rather than allocated, so that reporting an
 * out-of-memory error can never itself fail.
 */
#include "khum/array.h"
#include "khum/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_bounded(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void khum_err_clear(khum_err *e)
{
    if (e)
        memset(e, 0, sizeof *e);
}

khum_code khum_err_set(khum_err *e, khum_code code, const char *rule,
                       const char *fmt, ...)
{
    if (!e)
        return code;
    /* A new error: forget the place of any earlier one (khum_err_at follows). */
    e->file[0] = e->field[0] = '\0';
    e->line = e->col = 0;
    e->code = code;
    copy_bounded(e->rule, sizeof e->rule, rule ? rule : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

void khum_err_at(khum_err *e, const char *file, long line, long col,
                 const char *field)
{
    if (!e)
        return;
    if (file)
        copy_bounded(e->file, sizeof e->file, file);
    e->line = line;
    e->col = col;
    if (field)
        copy_bounded(e->field, sizeof e->field, field);
}

size_t khum_err_format(const khum_err *e, char *buf, size_t n)
{
    size_t used = 0;
    int w;
#define APPEND(...)                                                     \
    do {                                                                \
        w = snprintf(buf + used, used < n ? n - used : 0, __VA_ARGS__); \
        if (w > 0)                                                      \
            used += (size_t)w;                                          \
    } while (0)
    if (n)
        buf[0] = '\0';
    if (e->file[0]) {
        APPEND("%s:", e->file);
        if (e->line > 0)
            APPEND("%ld:", e->line);
        if (e->line > 0 && e->col > 0)
            APPEND("%ld:", e->col);
        APPEND(" ");
    } else if (e->line > 0) {
        APPEND("line %ld: ", e->line);
    }
    APPEND("%s", e->msg);
    if (e->field[0])
        APPEND(" (column '%s')", e->field);
    if (e->rule[0])
        APPEND(" [%s]", e->rule);
#undef APPEND
    return used;
}

const char *khum_code_name(khum_code c)
{
    switch (c) {
    case KHUM_OK: return "ok";
    case KHUM_ERR_INPUT: return "bad input";
    case KHUM_ERR_USAGE: return "bad usage";
    case KHUM_ERR_NOTFOUND: return "not found";
    case KHUM_ERR_IO: return "i/o error";
    case KHUM_ERR_STORE: return "database error";
    case KHUM_ERR_NOMEM: return "out of memory";
    case KHUM_ERR_TIE: return "tie needs lots";
    case KHUM_ERR_CONFLICT: return "conflict";
    case KHUM_ERR_AUTH: return "not allowed";
    case KHUM_ERR_INTERNAL: return "internal error";
    }
    return "unknown";
}

khum_code khum_diags_add(khum_diags *d, const khum_err *e)
{
    khum_err *p = khum_grow(d->items, d->n, &d->cap, sizeof *p, NULL);
    if (!p) {
        d->lost++;
        return KHUM_ERR_NOMEM;
    }
    d->items = p;
    d->items[d->n++] = *e;
    return KHUM_OK;
}

void khum_diags_free(khum_diags *d)
{
    free(d->items);
    d->items = NULL;
    d->n = d->cap = d->lost = 0;
}
