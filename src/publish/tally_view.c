/*
 * tally_view.c (publish): loading a tally with its context, and writing it as a text
 * table, CSV (one row per area and party) or JSON. Percentages are printed
 * from integers (basis points), never from floating point. The tally is a
 * live one (khum_tally_track): the server follows changed forms into it
 * (tally_view_apply) instead of loading it again.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "khum/app.h"
#include "khum/csv.h"
#include "khum/json.h"
#include "tally_view.h"

khum_code tally_view_load(khum_store *s, const char *election, tally_view *v, khum_err *err)
{
    memset(v, 0, sizeof *v);
    khum_arena_init(&v->arena, 0);
    khum_election_init(&v->e);
    khum_code rc;
    if ((rc = khum_store_load_election(s, election, &v->e, err))) {
        khum_election_free(&v->e);
        khum_arena_free(&v->arena);
        return rc;
    }
    if ((rc = khum_app_tally_live(s, &v->e, &v->t, &v->arena, &v->lots, &v->nlots, err)) ||
        (rc = khum_store_area_names(s, &v->arena, &v->names, &v->nnames, err)) ||
        (rc = khum_store_official_communes(s, v->e.id, &v->arena, &v->official,
                                           &v->nofficial, err)) ||
        (rc = khum_store_all_explanations(s, v->e.id, &v->arena, &v->expl, &v->nexpl, err)) ||
        (rc = khum_store_list_parties(s, &v->arena, &v->parties, &v->nparties, err)) ||
        (rc = khum_store_country(s, v->country, err)))
        tally_view_free(v);
    return rc;
}

khum_code tally_view_apply(tally_view *v, const khum_live_changes *c, khum_err *err)
{
    khum_code rc = KHUM_OK;
    for (size_t i = 0; i < c->n && !rc; i++)
        rc = khum_tally_update(&v->t, &v->e, c->items[i].station, c->items[i].form, v->lots,
                               v->nlots, err);
    return rc;
}

bool tally_view_worn(const tally_view *v)
{
    return v->t.reallocations > 2 * v->t.ncommunes + 64;
}

void tally_view_free(tally_view *v)
{
    khum_tally_free(&v->t);
    khum_election_free(&v->e);
    khum_arena_free(&v->arena);
    memset(v, 0, sizeof *v);
}

const khum_tally_area *tally_view_area(const tally_view *v, const char *code)
{
    return khum_tally_area_find(&v->t, code);
}

bool tally_view_commune_within(const tally_view *v, const char *commune, const char *area)
{
    const khum_election_commune *ec = khum_election_commune_find(&v->e, commune);
    return ec && khum_tally_area_within(&v->t.communes[ec - v->e.communes].area, area);
}

/* A station lies in an area through its commune (station codes need not
 * start with the commune's, nor a commune's with its province's). */
static bool station_within(const tally_view *v, const char *station, const char *area)
{
    const khum_station *st = khum_election_station_find(&v->e, station);
    return st && khum_tally_area_within(&v->t.communes[st->commune_index].area, area);
}

const khum_area_name *tally_view_names(const tally_view *v, const char *code)
{
    size_t lo = 0, hi = v->nnames;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(v->names[mid].code, code);
        if (c == 0)
            return &v->names[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Countries whose names khum prints; any other is named by its ISO code. */
static const struct { const char *cc, *latin, *km; } countries[] = {
    {"KH", "Cambodia", "កម្ពុជា"},    {"PT", "Portugal", "ព័រទុយហ្គាល់"},
    {"ES", "Spain", "អេស្ប៉ាញ"},      {"ID", "Indonesia", "ឥណ្ឌូណេស៊ី"},
};

const char *tally_view_nation(const tally_view *v, bool km)
{
    if (!v->country[0])
        return v->nation_name && *v->nation_name ? v->nation_name : km ? "ថ្នាក់ជាតិ" : "Nation";
    for (size_t i = 0; i < sizeof countries / sizeof *countries; i++)
        if (!strcmp(countries[i].cc, v->country))
            return km ? countries[i].km : countries[i].latin;
    return v->country;
}

const char *tally_view_name(const tally_view *v, const char *code)
{
    if (!*code)
        return tally_view_nation(v, false);
    const khum_area_name *n = tally_view_names(v, code);
    return n ? n->name_latin : "";
}

const char *tally_view_party_label(const tally_view *v, const char *party)
{
    for (size_t k = 0; k < v->nparties; k++)
        if (!strcmp(v->parties[k].id, party))
            return *v->parties[k].abbr ? v->parties[k].abbr : party;
    return party;
}

static size_t official_under(const tally_view *v, const khum_tally_area *a)
{
    size_t n = 0;
    for (size_t i = 0; i < v->nofficial; i++)  /* a commune: no search per official one */
        n += a->level == 3 ? strcmp(v->official[i], a->code) == 0
                           : tally_view_commune_within(v, v->official[i], a->code);
    return n;
}

void tally_view_status(const tally_view *v, const char *area, char *buf, size_t cap)
{
    const khum_tally_area *a = tally_view_area(v, area);
    size_t total = a->level == 3 ? 1 : (size_t)a->communes, off = official_under(v, a);
    char x[32], y[32];
    if (off == total)
        snprintf(buf, cap, "official");
    else if (a->level == 3)
        snprintf(buf, cap, "provisional");
    else
        snprintf(buf, cap, "provisional (%s of %s communes official)",
                 khum_thousands((int64_t)off, x), khum_thousands((int64_t)total, y));
}

/* 12.34 from a ratio, in integers. */
static const char *pct(int64_t num, int64_t den, char buf[48])
{
    if (den <= 0) {
        snprintf(buf, 48, "-");
        return buf;
    }
    int64_t bp = (num * 20000 + den) / (2 * den);
    snprintf(buf, 48, "%lld.%02lld", (long long)(bp / 100), (long long)(bp % 100));
    return buf;
}

static void text_commune(const tally_view *v, const khum_tally_commune *c, khum_buf *b)
{
    const khum_election_commune *ec = khum_election_commune_find(&v->e, c->area.code);
    if (!c->allocated) {
        khum_buf_printf(b, "\nseats: %s\n", c->needs_lots ? "waiting for lots (khum lots)"
                                                           : "waiting for every station");
    } else {
        khum_buf_printf(b, "\nseat allocation (%s), %d seats:\n",
                        khum_method_name(v->e.method), ec->seats);
        for (size_t k = 0; k < c->alloc.nsteps; k++) {
            const khum_alloc_step *s = &c->alloc.steps[k];
            char q[48], r[48];
            khum_frac_format(s->value, q, sizeof q);
            khum_frac_format(s->runner_value, r, sizeof r);
            const char *party = v->e.lists[ec->first_list + (size_t)s->party].party;
            khum_buf_printf(b, "  seat %2d  %-8s %-9s %10s", s->seat, party,
                            s->kind == KHUM_STEP_QUOTA ? "quota" : "average", q);
            if (s->runner_up >= 0)
                khum_buf_printf(b, "   next best %s %s",
                                v->e.lists[ec->first_list + (size_t)s->runner_up].party, r);
            khum_buf_printf(b, "%s\n", s->tie != KHUM_TIED_NOT ? "  (tie)" : "");
        }
    }
    khum_buf_printf(b, "\nstations:\n");
    for (size_t k = 0; k < ec->nstations; k++) {
        const khum_station *st = &v->e.stations[ec->first_station + k];
        khum_buf_printf(b, "  %-12s registered %6lld\n", st->code, (long long)st->registered);
    }
}

void tally_view_text(const tally_view *v, const char *area, khum_buf *b)
{
    const khum_tally_area *a = tally_view_area(v, area);
    const khum_tally *t = &v->t;
    char h[20], st[96], x[32], y[32], p1[48], p2[48];
    khum_hash_short(v->e.hash, h);
    tally_view_status(v, area, st, sizeof st);
    if (v->e.synthetic)
        khum_buf_puts(b, "*** SYNTHETIC DATA: invented results for demonstration, not a real "
                         "election ***\n");
    khum_buf_printf(b, "%s (%s), election hash %s\n", v->e.id, v->e.date, h);
    static const char *const level[] = {"NATION", "PROVINCE", "DISTRICT", "COMMUNE"};
    khum_buf_printf(b, "%s %s %s: %s\n\n", level[a->level], area, tally_view_name(v, area), st);
    khum_buf_printf(b, "  stations reported  %s of %s\n", khum_thousands(a->stations_reported, x),
                    khum_thousands(a->stations_expected, y));
    khum_buf_printf(b, "  registered voters  %s\n", khum_thousands(a->registered, x));
    khum_buf_printf(b, "  ballots cast       %s (turnout %s %%)\n", khum_thousands(a->cast, x),
                    pct(a->cast, a->registered, p1));
    khum_buf_printf(b, "  valid ballots      %s\n", khum_thousands(a->valid, x));
    if (v->t.nation.blank)  /* an election with blank ballots (never Cambodia's) */
        khum_buf_printf(b, "  blank ballots      %s\n", khum_thousands(a->blank, x));
    khum_buf_printf(b, "  invalid ballots    %s (%s %% of cast)\n", khum_thousands(a->invalid, x),
                    pct(a->invalid, a->cast, p2));
    if (a->level < 3)
        khum_buf_printf(b, "  communes allocated %s of %s\n",
                        khum_thousands(a->communes_allocated, x), khum_thousands(a->communes, y));
    khum_buf_printf(b, "\n  %-12s %12s %8s %7s %8s\n", "party", "votes", "%", "seats",
                    a->level < 3 ? "communes" : "chief");
    /* parties by seats, then votes, most first: the order of the dashboard */
    size_t *order = malloc((t->nparties + 1) * sizeof *order);
    for (size_t i = 0; order && i < t->nparties; i++) {
        size_t j = i;
        while (j > 0 && (a->seats[order[j - 1]] < a->seats[i] ||
                         (a->seats[order[j - 1]] == a->seats[i] &&
                          a->votes[order[j - 1]] < a->votes[i]))) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    char s1[32], c1[32];
    for (size_t i = 0; order && i < t->nparties; i++) {
        size_t p = order[i];
        if (a->votes[p] == 0 && a->seats[p] == 0)
            continue;
        khum_buf_printf(b, "  %-12s %12s %8s %7s %8s\n", tally_view_party_label(v, t->parties[p]),
                        khum_thousands(a->votes[p], x), pct(a->votes[p], a->valid, p1),
                        khum_thousands(a->seats[p], s1), khum_thousands(a->chiefs[p], c1));
    }
    free(order);
    khum_buf_printf(b, "  %-12s %12s %8s %7s %8s\n", "total", khum_thousands(a->valid, x),
                    "100.00", khum_thousands(a->seats_total, s1), "");
    if (a->level == 3)
        for (size_t i = 0; i < t->ncommunes; i++)
            if (&t->communes[i].area == a)
                text_commune(v, &t->communes[i], b);
    size_t shown = 0;
    for (size_t i = 0; i < v->nexpl; i++) {
        if (!station_within(v, v->expl[i].station, area))
            continue;
        if (shown++ == 0)
            khum_buf_puts(b, "\nwarnings explained on the forms:\n");
        if (shown <= 20)
            khum_buf_printf(b, "  %s %s: %s\n", v->expl[i].station, v->expl[i].code,
                            v->expl[i].text);
    }
    if (shown > 20)
        khum_buf_printf(b, "  ... %zu more (khum tally --format json lists them all)\n",
                        shown - 20);
}

/* The areas a --by listing covers, or the one area. */
static size_t areas_of(const tally_view *v, const char *area, int by,
                       const khum_tally_area **out, size_t cap)
{
    if (by < 0) {
        out[0] = tally_view_area(v, area);
        return 1;
    }
    size_t n = 0;
    if (by == 0 && cap)
        out[n++] = &v->t.nation;
    for (size_t i = 0; by == 1 && i < v->t.nprovinces && n < cap; i++)
        if (khum_tally_area_within(&v->t.provinces[i], area))
            out[n++] = &v->t.provinces[i];
    for (size_t i = 0; by == 2 && i < v->t.ndistricts && n < cap; i++)
        if (khum_tally_area_within(&v->t.districts[i], area))
            out[n++] = &v->t.districts[i];
    for (size_t i = 0; by == 3 && i < v->t.ncommunes && n < cap; i++)
        if (khum_tally_area_within(&v->t.communes[i].area, area))
            out[n++] = &v->t.communes[i].area;
    return n;
}

void tally_view_csv(const tally_view *v, const char *area, int by, khum_buf *b)
{
    size_t cap = v->t.ncommunes + 1;
    const khum_tally_area **list = malloc(cap * sizeof *list);
    size_t n = list ? areas_of(v, area, by, list, cap) : 0;
    char h[20];
    khum_hash_short(v->e.hash, h);
    /* blank only for an election with blank ballots: Cambodia's tables read as before */
    bool blank = v->t.nation.blank != 0;
    khum_buf_puts(b, "election,election_hash,synthetic,area,name,level,status,registered,cast,"
                     "valid,invalid,");
    khum_buf_puts(b, blank ? "blank,stations_reported,stations_expected,party,votes,seats,"
                             "chiefs\n"
                           : "stations_reported,stations_expected,party,votes,seats,chiefs\n");
    for (size_t i = 0; i < n; i++) {
        const khum_tally_area *a = list[i];
        char st[96];
        tally_view_status(v, a->code, st, sizeof st);
        for (size_t p = 0; p < v->t.nparties; p++) {
            if (a->votes[p] == 0 && a->seats[p] == 0)
                continue;
            khum_csv_put_field(b, v->e.id, true);
            khum_csv_put_field(b, h, false);
            khum_csv_put_field(b, v->e.synthetic ? "1" : "0", false);
            khum_csv_put_field(b, a->code, false);
            khum_csv_put_field(b, tally_view_name(v, a->code), false);
            static const char *const lv[] = {"nation", "province", "district", "commune"};
            khum_csv_put_field(b, lv[a->level], false);
            khum_csv_put_field(b, st, false);
            khum_buf_printf(b, ",%lld,%lld,%lld,%lld", (long long)a->registered,
                            (long long)a->cast, (long long)a->valid, (long long)a->invalid);
            if (blank)
                khum_buf_printf(b, ",%lld", (long long)a->blank);
            khum_buf_printf(b, ",%lld,%lld", (long long)a->stations_reported,
                            (long long)a->stations_expected);
            khum_csv_put_field(b, v->t.parties[p], false);
            khum_buf_printf(b, ",%lld,%d,%d\n", (long long)a->votes[p], a->seats[p],
                            a->chiefs[p]);
        }
    }
    free(list);
}

static json_t *area_json(const tally_view *v, const khum_tally_area *a)
{
    char st[96];
    tally_view_status(v, a->code, st, sizeof st);
    static const char *const lv[] = {"nation", "province", "district", "commune"};
    json_t *parties = json_array();
    for (size_t p = 0; p < v->t.nparties; p++)
        if (a->votes[p] || a->seats[p])
            json_array_append_new(parties, json_pack("{s:s, s:I, s:i, s:i}", "party",
                                                     v->t.parties[p], "votes",
                                                     (json_int_t)a->votes[p], "seats",
                                                     a->seats[p], "chiefs", a->chiefs[p]));
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:i, s:i, s:i, s:o}",
                     "area", a->code, "name", tally_view_name(v, a->code), "level",
                     lv[a->level], "status", st, "registered", (json_int_t)a->registered,
                     "cast", (json_int_t)a->cast, "valid", (json_int_t)a->valid, "invalid",
                     (json_int_t)a->invalid, "stations_reported",
                     (json_int_t)a->stations_reported, "stations_expected",
                     (json_int_t)a->stations_expected, "seats", a->seats_total, "communes",
                     a->communes, "communes_allocated", a->communes_allocated, "parties",
                     parties);
    if (o && v->t.nation.blank)
        json_object_set_new(o, "blank", json_integer((json_int_t)a->blank));
    return o;
}

void tally_view_json(const tally_view *v, const char *area, int by, khum_buf *b)
{
    size_t cap = v->t.ncommunes + 1;
    const khum_tally_area **list = malloc(cap * sizeof *list);
    size_t n = list ? areas_of(v, area, by, list, cap) : 0;
    json_t *areas = json_array(), *expl = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(areas, area_json(v, list[i]));
    for (size_t i = 0; i < v->nexpl; i++)
        if (station_within(v, v->expl[i].station, area))
            json_array_append_new(expl, json_pack("{s:s, s:s, s:s}", "station",
                                                  v->expl[i].station, "code", v->expl[i].code,
                                                  "text", v->expl[i].text));
    char h[20];
    khum_hash_short(v->e.hash, h);
    json_t *root = json_pack("{s:{s:s, s:s, s:s, s:s, s:b}, s:o, s:o}", "election", "id",
                             v->e.id, "date", v->e.date, "hash", v->e.hash, "hash_short", h,
                             "synthetic", v->e.synthetic, "areas", areas, "explanations", expl);
    khum_json_to_buf(root, 1, b);
    free(list);
}
