/*
 * candidates.c: reading candidate lists (LECC 2006 Arts 49-52; rules.md §4):
 * one ordered list per party per commune, positions 1..n without gaps, a
 * person on one list only, at least 2 x seats names, candidates at least 25
 * years old on polling day. Columns: commune, party, position, person, and
 * optional name_latin, name_km, sex (F/M), birth_year.
 */
#include <stdlib.h>
#include <string.h>

#include "khum/council.h"
#include "khum/str.h"

static int cmp_cand(const void *pa, const void *pb)
{
    const khum_candidate_row *a = pa, *b = pb;
    int c = strcmp(a->commune, b->commune);
    if (!c)
        c = strcmp(a->party, b->party);
    return c ? c : a->position - b->position;
}

static int cmp_person(const void *pa, const void *pb)
{
    return strcmp((*(const khum_candidate_row *const *)pa)->person,
                  (*(const khum_candidate_row *const *)pb)->person);
}

static khum_code row_error(khum_err *err, const char *source, long line, const char *rule,
                           const char *msg)
{
    khum_err_set(err, KHUM_ERR_INPUT, rule, "%s", msg);
    khum_err_at(err, source, line, 0, NULL);
    return KHUM_ERR_INPUT;
}

khum_code khum_candidates_read(khum_csv *csv, int poll_year, khum_arena *a,
                               khum_candidate_row **rows, size_t *n, khum_err *err)
{
    *rows = NULL;
    *n = 0;
    khum_code rc = khum_csv_read_header(csv, err);
    static const char *const req[] = {"commune", "party", "position", "person"};
    int c[4];
    if (rc || (rc = khum_csv_require(csv, req, c, 4, err)))
        return rc;
    int cl = khum_csv_col(csv, "name_latin|name"), ck = khum_csv_col(csv, "name_km");
    int cs = khum_csv_col(csv, "sex"), cb = khum_csv_col(csv, "birth_year");
    size_t cap = 0;
    int r;
    while ((r = khum_csv_next(csv, err)) > 0) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4096;
            khum_candidate_row *p = khum_arena_alloc(a, cap * sizeof *p);
            if (!p)
                return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
            if (*n)
                memcpy(p, *rows, *n * sizeof *p);
            *rows = p;
        }
        khum_candidate_row *x = &(*rows)[(*n)++];
        memset(x, 0, sizeof *x);
        x->commune = khum_arena_strdup(a, khum_csv_get(csv, (size_t)c[0]));
        x->party = khum_arena_strdup(a, khum_csv_get(csv, (size_t)c[1]));
        x->person = khum_arena_strdup(a, khum_csv_get(csv, (size_t)c[3]));
        x->name_latin = khum_arena_strdup(a, cl >= 0 ? khum_csv_get(csv, (size_t)cl) : "");
        x->name_km = khum_arena_strdup(a, ck >= 0 ? khum_csv_get(csv, (size_t)ck) : "");
        x->sex = khum_arena_strdup(a, cs >= 0 ? khum_csv_get(csv, (size_t)cs) : "");
        x->line = khum_csv_line(csv);
        long v;
        if (!khum_parse_int_range(khum_csv_get(csv, (size_t)c[2]), 1, 10000, &v))
            return khum_csv_field_error(csv, (size_t)c[2], err, KHUM_ERR_INPUT, "CNL.304",
                                        "position '%s' must be a number from 1",
                                        khum_csv_get(csv, (size_t)c[2]));
        x->position = (int)v;
        if (!khum_is_area_code(x->commune) || !*x->party || khum_is_blank(x->person))
            return khum_csv_field_error(csv, 0, err, KHUM_ERR_INPUT, "CNL.306",
                                        "each row needs a commune code (letters and digits), "
                                        "a party and a person id");
        if (*x->sex && strcmp(x->sex, "F") && strcmp(x->sex, "M"))
            return khum_csv_field_error(csv, (size_t)cs, err, KHUM_ERR_INPUT, "CNL.307",
                                        "sex '%s' must be F, M or empty", x->sex);
        x->birth_year = 0;
        if (cb >= 0 && khum_csv_len(csv, (size_t)cb)) {
            if (!khum_parse_int_range(khum_csv_get(csv, (size_t)cb), 1900, 2100, &v))
                return khum_csv_field_error(csv, (size_t)cb, err, KHUM_ERR_INPUT, "CNL.307",
                                            "birth_year '%s' is not a year",
                                            khum_csv_get(csv, (size_t)cb));
            x->birth_year = (int)v;
            if (poll_year - x->birth_year < 25)  /* LAMC Art 14: at least 25 on polling day */
                return khum_csv_field_error(csv, (size_t)cb, err, KHUM_ERR_INPUT, "CNL.305",
                                            "candidate %s, born %d, is under 25 on polling "
                                            "day", x->person, x->birth_year);
        }
    }
    if (r < 0)
        return err->code;
    khum_sort(*rows, *n, sizeof **rows, cmp_cand);
    const char *src = khum_csv_name(csv);
    for (size_t i = 0; i < *n; i++) {  /* positions 1..n without gaps or repeats */
        const khum_candidate_row *x = &(*rows)[i];
        bool first = i == 0 || strcmp(x->commune, (*rows)[i - 1].commune) ||
                     strcmp(x->party, (*rows)[i - 1].party);
        int want = first ? 1 : (*rows)[i - 1].position + 1;
        if (x->position != want) {
            char msg[160];
            snprintf(msg, sizeof msg, "list %s in commune %s: position %d where %d is due",
                     x->party, x->commune, x->position, want);
            return row_error(err, src, x->line, "CNL.304", msg);
        }
    }
    const khum_candidate_row **byp = malloc((*n + 1) * sizeof *byp);
    if (!byp)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < *n; i++)
        byp[i] = &(*rows)[i];
    khum_sort(byp, *n, sizeof *byp, cmp_person);
    for (size_t i = 1; i < *n && !rc; i++)
        if (!strcmp(byp[i]->person, byp[i - 1]->person)) {
            char msg[200];
            snprintf(msg, sizeof msg, "person %s stands on two lists (%s %s and %s %s)",
                     byp[i]->person, byp[i - 1]->commune, byp[i - 1]->party, byp[i]->commune,
                     byp[i]->party);
            rc = row_error(err, src, byp[i]->line, "CNL.303", msg);
        }
    free(byp);
    return rc;
}
