/*
 * store_votes.c: a form's votes as the JSON object kept in form_entry.votes,
 * {"CNRP":150,"CPP":222} with keys sorted, written and read here without a
 * general JSON library on the hot path: a national tabulation reads 23,602
 * of them. Anything the fast reader does not expect (escapes, spaces, a file
 * edited by hand) goes through jansson instead.
 */
#include "store_impl.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void put_string(khum_buf *b, const char *s)
{
    khum_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            khum_buf_printf(b, "\\%c", *p);
        else if (*p < 0x20)
            khum_buf_printf(b, "\\u%04x", *p);
        else
            khum_buf_putc(b, (char)*p);
    }
    khum_buf_putc(b, '"');
}

void store_votes_json(const khum_form *f, khum_buf *b)
{
    size_t order[64], n = f->n < 64 ? f->n : 64;
    for (size_t i = 0; i < n; i++) {  /* a handful of lists: insertion sort */
        size_t k = i;
        for (; k > 0 && strcmp(f->party[order[k - 1]], f->party[i]) > 0; k--)
            order[k] = order[k - 1];
        order[k] = i;
    }
    khum_buf_reset(b);
    khum_buf_putc(b, '{');
    for (size_t i = 0; i < n; i++) {
        if (i)
            khum_buf_putc(b, ',');
        put_string(b, f->party[order[i]]);
        khum_buf_printf(b, ":%lld", (long long)f->votes[order[i]]);
    }
    khum_buf_putc(b, '}');
}

static khum_code parse_slow(const char *s, khum_arena *a, khum_form *f)
{
    json_t *j = json_loads(s, 0, NULL);
    if (!json_is_object(j)) {
        json_decref(j);
        return KHUM_ERR_INPUT;
    }
    size_t n = json_object_size(j);
    f->party = khum_arena_alloc(a, (n + 1) * sizeof *f->party);
    f->votes = khum_arena_alloc(a, (n + 1) * sizeof *f->votes);
    f->n = 0;
    khum_code rc = f->party && f->votes ? KHUM_OK : KHUM_ERR_NOMEM;
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
        if (rc)
            break;
        if (!json_is_integer(v))
            rc = KHUM_ERR_INPUT;
        else if (!(f->party[f->n] = khum_arena_strdup(a, k)))
            rc = KHUM_ERR_NOMEM;
        else
            f->votes[f->n++] = json_integer_value(v);
    }
    json_decref(j);
    return rc;
}

khum_code store_votes_parse(const char *s, khum_arena *a, khum_form *f)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += *p == ':';
    f->party = khum_arena_alloc(a, (n + 1) * sizeof *f->party);
    f->votes = khum_arena_alloc(a, (n + 1) * sizeof *f->votes);
    f->n = 0;
    if (!f->party || !f->votes)
        return KHUM_ERR_NOMEM;
    const char *p = s;
    if (*p++ != '{')
        return parse_slow(s, a, f);
    while (*p == '"') {
        const char *key = ++p;
        while (*p && *p != '"' && *p != '\\')
            p++;
        if (*p != '"' || p[1] != ':' || f->n == n)
            return parse_slow(s, a, f);
        const char *end = p;
        p += 2;
        char *stop;
        long long v = strtoll(p, &stop, 10);
        if (stop == p)
            return parse_slow(s, a, f);
        if (!(f->party[f->n] = khum_arena_strndup(a, key, (size_t)(end - key))))
            return KHUM_ERR_NOMEM;
        f->votes[f->n++] = v;
        p = stop;
        if (*p == ',')
            p++;
    }
    return *p == '}' && p[1] == 0 ? KHUM_OK : parse_slow(s, a, f);
}
