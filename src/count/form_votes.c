/*
 * form_votes.c: the long results format's votes file (VOTES.csv:
 * station,party,votes, one row per station and list, in any order), laid
 * onto the forms read from its forms file (FORMS.csv: the figures only).
 * These are the two files a published bundle carries (forms.csv,
 * form_votes.csv), and the format that scales: a wide file needs a column
 * per list and fails at CSV.108 (column 32,766), while an election of local
 * lists has thousands of them.
 *
 * The file is read one row at a time and each row goes straight to its
 * slot: the station's form by an index over the election's stations, the
 * list by a hash on (commune, party) built once. No row is kept and nothing
 * is searched, so the work grows with the rows and no faster.
 *
 * A bad row (F.106, F.107, F.110, F.115, F.116) is listed at the votes
 * file's line and marks its station's form bad; the forms' own checks
 * (khum_form_check) run afterwards, on the figures and votes together.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khum/count.h"
#include "khum/str.h"

/* (commune, party) -> index into e->lists: open addressing, index + 1, 0 empty. */
typedef struct list_index {
    uint32_t *slot;
    size_t mask;
} list_index;

static uint64_t list_key(size_t commune, const char *party)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)commune;
    for (const unsigned char *p = (const unsigned char *)party; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static bool list_index_build(list_index *ix, const khum_election *e, khum_arena *a)
{
    size_t size = 16;
    while (size < 2 * e->nlists)
        size *= 2;
    if (!(ix->slot = khum_arena_calloc(a, size, sizeof *ix->slot)))
        return false;
    ix->mask = size - 1;
    for (size_t c = 0; c < e->ncommunes; c++) {
        const khum_election_commune *ec = &e->communes[c];
        for (size_t k = 0; k < ec->nlists; k++) {
            size_t li = ec->first_list + k;
            size_t h = (size_t)list_key(c, e->lists[li].party) & ix->mask;
            while (ix->slot[h])
                h = (h + 1) & ix->mask;
            ix->slot[h] = (uint32_t)li + 1;
        }
    }
    return true;
}

/* The position of party among commune c's lists, -1 when it does not contest there. */
static long list_find(const list_index *ix, const khum_election *e, size_t c, const char *party)
{
    size_t h = (size_t)list_key(c, party) & ix->mask;
    for (; ix->slot[h]; h = (h + 1) & ix->mask) {
        size_t li = ix->slot[h] - 1;
        const khum_election_commune *ec = &e->communes[c];
        if (li >= ec->first_list && li < ec->first_list + ec->nlists &&
            strcmp(e->lists[li].party, party) == 0)
            return (long)(li - ec->first_list);
    }
    return -1;
}

/* Where each form's votes go: slots off[i] .. off[i] + nlists of its
 * commune; line[] the votes row that filled a slot (0: none yet). */
typedef struct layout {
    long *form_of;     /* per election station: the form's index, -1 none */
    size_t *off;       /* per form, its first slot */
    int64_t *votes;
    long *line;
    size_t *given;     /* per form, the slots filled */
} layout;

static bool layout_build(layout *l, const khum_election *e, khum_form *forms, size_t n,
                         khum_arena *a)
{
    if (!(l->form_of = khum_arena_alloc(a, (e->nstations + 1) * sizeof *l->form_of)) ||
        !(l->off = khum_arena_alloc(a, (n + 1) * sizeof *l->off)) ||
        !(l->given = khum_arena_calloc(a, n + 1, sizeof *l->given)))
        return false;
    for (size_t s = 0; s < e->nstations; s++)
        l->form_of[s] = -1;
    size_t slots = 0;
    for (size_t i = 0; i < n; i++) {
        const khum_station *st = khum_form_station(e, &forms[i]);
        l->off[i] = slots;
        if (!st)
            continue;  /* not a station of the election: its own check says so (F.107) */
        forms[i].st = st;
        forms[i].station = st->code;
        size_t si = (size_t)(st - e->stations);
        if (l->form_of[si] < 0)
            l->form_of[si] = (long)i;
        slots += e->communes[st->commune_index].nlists;
    }
    l->off[n] = slots;
    return (l->votes = khum_arena_calloc(a, slots + 1, sizeof *l->votes)) &&
           (l->line = khum_arena_calloc(a, slots + 1, sizeof *l->line));
}

static void refuse(khum_diags *rejected, const khum_csv *csv, const char *rule,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A refused row, at the votes file's line (the row as a whole is wrong). */
static void refuse(khum_diags *rejected, const khum_csv *csv, const char *rule,
                   const char *fmt, ...)
{
    khum_err e;
    khum_err_clear(&e);
    va_list ap;
    va_start(ap, fmt);
    char msg[sizeof e.msg];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    khum_err_set(&e, KHUM_ERR_INPUT, rule, "%s", msg);
    khum_err_at(&e, khum_csv_name(csv), khum_csv_line(csv), 0, NULL);
    khum_diags_add(rejected, &e);
}

/* One votes row into its slot, or refused (its form, when known, marked bad). */
static void take_row(khum_csv *csv, const khum_election *e, const list_index *ix, layout *l,
                     bool *bad, const char *forms_name, khum_diags *rejected, const int col[3])
{
    long line = khum_csv_line(csv);
    const char *code = khum_csv_get(csv, (size_t)col[0]);
    const char *party = khum_csv_get(csv, (size_t)col[1]);
    const khum_station *st = khum_election_station_find(e, code);
    if (!st) {
        refuse(rejected, csv, "F.107", "station %s is not a polling station of election %s",
               code, e->id);
        return;
    }
    long fi = l->form_of[st - e->stations];
    if (fi < 0) {
        refuse(rejected, csv, "F.115", "station %s has no form in %s (none, or one refused)",
               code, forms_name);
        return;
    }
    const khum_election_commune *ec = &e->communes[st->commune_index];
    long k = list_find(ix, e, st->commune_index, party);
    int64_t v;
    khum_err row;
    khum_err_clear(&row);
    if (k < 0)
        refuse(rejected, csv, "F.106", "station %s: party %s does not contest commune %s",
               code, party, ec->code);
    else if (l->line[l->off[fi] + (size_t)k])
        refuse(rejected, csv, "F.116", "station %s: votes for %s given twice (first at line "
               "%ld)", code, party, l->line[l->off[fi] + (size_t)k]);
    else if (!khum_parse_i64(khum_csv_get(csv, (size_t)col[2]), &v)) {
        khum_csv_field_error(csv, (size_t)col[2], &row, KHUM_ERR_INPUT, "F.110",
                             "'%s' is not a whole number", khum_csv_get(csv, (size_t)col[2]));
        khum_diags_add(rejected, &row);
    } else {
        l->votes[l->off[fi] + (size_t)k] = v;
        l->line[l->off[fi] + (size_t)k] = line;
        l->given[fi]++;
        return;
    }
    bad[fi] = true;
}

/* Each form's votes from its slots, in ballot order: the lists given, or,
 * for a form given none and with no valid ballot, every list at 0. */
static bool lay_votes(const khum_election *e, const layout *l, khum_form *forms, size_t n,
                      khum_arena *a)
{
    for (size_t i = 0; i < n; i++) {
        khum_form *f = &forms[i];
        f->n = 0;
        if (!f->st)
            continue;
        const khum_election_commune *ec = &e->communes[f->st->commune_index];
        bool zeros = l->given[i] == 0 && f->valid == 0;
        size_t m = zeros ? ec->nlists : l->given[i];
        const char **party = khum_arena_alloc(a, (m + 1) * sizeof *party);
        int64_t *votes = khum_arena_alloc(a, (m + 1) * sizeof *votes);
        if (!party || !votes)
            return false;
        for (size_t k = 0; k < ec->nlists; k++)
            if (zeros || l->line[l->off[i] + k]) {
                party[f->n] = e->lists[ec->first_list + k].party;
                votes[f->n++] = l->votes[l->off[i] + k];
            }
        f->party = party;
        f->votes = votes;
    }
    return true;
}

khum_code khum_form_votes_read(khum_csv *csv, const khum_election *e, khum_form *forms,
                               size_t nforms, const char *forms_name, bool *bad, khum_arena *a,
                               khum_diags *rejected, size_t *rows, khum_err *err)
{
    static const char *const names[3] = {"station", "party", "votes"};
    int col[3];
    list_index ix;
    layout l;
    *rows = 0;
    khum_code rc = khum_csv_has_header(csv) ? KHUM_OK : khum_csv_read_header(csv, err);
    if (rc || (rc = khum_csv_require(csv, names, col, 3, err)))
        return rc;
    if (!list_index_build(&ix, e, a) || !layout_build(&l, e, forms, nforms, a))
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    int got;
    while ((got = khum_csv_next(csv, err)) == 1) {
        ++*rows;
        take_row(csv, e, &ix, &l, bad, forms_name, rejected, col);
    }
    if (got < 0)
        return err->code;
    return lay_votes(e, &l, forms, nforms, a) ? KHUM_OK
                                               : khum_err_set(err, KHUM_ERR_NOMEM, "",
                                                              "out of memory");
}
