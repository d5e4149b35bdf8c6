/*
 * api_read.c: the read endpoints (no login): elections, areas, results at
 * every level, a commune's seats with protocol and margins, councils on a
 * date, the ledger, form states and people by name (the audit log and the
 * publication bundles: api_records.c).
 * Public answers are cached per path, arguments read and data version, and
 * carry an ETag.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "khum/auth.h"
#include "khum/publish.h"
#include "srv.h"

/* The query arguments a read endpoint reads; any other is refused
 * (SRV.860), so that made-up arguments can neither fill the cache nor go
 * unnoticed as a misspelling. */
static const char *const *route_args(srv_req *r)
{
    static const char *const none[] = {NULL}, *const by[] = {"by", NULL},
                             *const date[] = {"date", NULL}, *const commune[] = {"commune", NULL},
                             *const until[] = {"until", NULL}, *const q[] = {"q", NULL},
                             *const worklist[] = {"state", "area", NULL},
                             *const audit[] = {"after", "limit", "actor", "type", "area", NULL};
    const char *s0 = r->nseg ? r->seg[0] : "", *what = r->nseg >= 3 ? r->seg[2] : "";
    if (!strcmp(s0, "audit") && r->nseg == 1)
        return audit;
    if (strcmp(s0, "elections") || r->nseg < 3)
        return none;
    if (!strcmp(what, "results"))
        return by;
    if (!strcmp(what, "councils"))
        return date;
    if (!strcmp(what, "ledger"))
        return commune;
    if (!strcmp(what, "mandate"))
        return until;
    if (!strcmp(what, "people"))
        return q;
    return !strcmp(what, "forms") && r->nseg == 3 ? worklist : none;
}

/* Whether the server is up, with what it holds: the cache against its
 * bound and the open connections (an operator's view of hostile traffic). */
static void health(srv_req *r)
{
    size_t entries, bytes, max_bytes;
    int conns;
    long ops, batches;
    srv_stats(r->srv, &entries, &bytes, &max_bytes, &conns);
    srv_writer_counts(r->srv, &ops, &batches);
    json_t *o = json_pack("{s:s,s:s,s:i,s:I,s:{s:I,s:I,s:I},s:i}", "status", "ok", "backend",
                          khum_store_backend(r->store), "schema",
                          khum_store_schema_version(r->store), "data_version",
                          (json_int_t)r->version, "cache", "entries", (json_int_t)entries,
                          "bytes", (json_int_t)bytes, "max_bytes", (json_int_t)max_bytes,
                          "connections", conns);
    /* How the results follow the forms and how writes share their commits. */
    json_object_set_new(o, "tally",
                        json_pack("{s:I,s:I}", "loads",
                                  (json_int_t)atomic_load(&r->srv->tally_loads), "follows",
                                  (json_int_t)atomic_load(&r->srv->tally_follows)));
    json_object_set_new(o, "writes", json_pack("{s:I,s:I}", "operations", (json_int_t)ops,
                                               "batches", (json_int_t)batches));
    srv_json(r, 200, o);
}

/* The cache key: method, path and the arguments the endpoint reads, in the
 * endpoint's order (?b=1&a=2 and ?a=2&b=1 are one entry); NULL with the
 * answer set when an argument is unknown. */
static const char *cache_key(srv_req *r)
{
    const char *const *names = route_args(r);
    if (!srv_args_only(r, names))
        return NULL;
    khum_buf b;
    khum_buf_init(&b);
    khum_buf_printf(&b, "%s %s?", r->method, r->url);
    for (; *names; names++) {
        const char *v = srv_arg(r, *names);
        if (v)
            khum_buf_printf(&b, "&%s=%s", *names, v);
    }
    const char *key = b.failed ? "" : khum_arena_strdup(&r->arena, b.data);
    khum_buf_free(&b);
    return key;
}

static int level_of(const char *s)
{
    if (!s || !*s)
        return -1;
    return !strcmp(s, "nation") ? 0 : !strcmp(s, "province") ? 1 : !strcmp(s, "district") ? 2
           : !strcmp(s, "commune") ? 3 : -2;
}

static void elections_list(srv_req *r)
{
    khum_election_row *rows;
    size_t n;
    khum_err err;
    khum_err_clear(&err);
    if (khum_store_list_elections(r->store, &r->arena, &rows, &n, &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:i,s:s,s:b}", "id", rows[i].id,
                                             "name", rows[i].name, "date", rows[i].date,
                                             "mandate", rows[i].mandate, "hash", rows[i].hash,
                                             "synthetic", rows[i].synthetic));
    srv_json(r, 200, json_pack("{s:o}", "elections", arr));
}

static void election_show(srv_req *r, srv_election *el, srv_view *v)
{
    const khum_election *e = &el->e;
    char h[20];
    khum_hash_short(e->hash, h);
    json_t *o = json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:b,s:I,s:I,s:I,s:I,s:I,s:s,s:I}",
                          "id", e->id, "name", e->name ? e->name : "", "date", e->date,
                          "mandate", e->mandate, "method", khum_method_name(e->method),
                          "hash", e->hash, "hash_short", h, "synthetic", e->synthetic,
                          "communes", (json_int_t)e->ncommunes, "stations",
                          (json_int_t)e->nstations, "official_communes",
                          (json_int_t)v->v.nofficial, "stations_reported",
                          (json_int_t)v->v.t.nation.stations_reported, "seats",
                          (json_int_t)v->v.t.nation.seats_total, "status",
                          v->v.nofficial == e->ncommunes ? "official" : "provisional",
                          "data_version", (json_int_t)r->version);
    json_t *rules = khum_election_rules_json(e);  /* threshold, tie chain, posts */
    json_object_update(o, rules);
    json_decref(rules);
    srv_json(r, 200, o);
}

static json_t *coord(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

static json_t *area_ref(const tally_view *v, const khum_tally_area *a)
{
    const khum_area_name *n = a->level ? tally_view_names(v, a->code) : NULL;
    json_t *o = json_pack("{s:s,s:i,s:s,s:s,s:I,s:I,s:b}", "code", a->code, "level", a->level,
                          "name", n ? n->name_latin : tally_view_name(v, a->code), "name_km",
                          n ? n->name_km : tally_view_nation(v, true), "stations_expected",
                          (json_int_t)a->stations_expected, "stations_reported",
                          (json_int_t)a->stations_reported, "complete", a->complete);
    /* the tree as the gazetteer draws it, for breadcrumbs and level names */
    json_object_set_new(o, "parent", json_string(khum_tally_area_parent(a)));
    json_object_set_new(o, "unit", json_string(n && n->unit ? n->unit : ""));
    json_object_set_new(o, "lat", coord(n ? n->lat : NAN));
    json_object_set_new(o, "lon", coord(n ? n->lon : NAN));
    return o;
}

/* A commune the gazetteer gives no centroid is placed at the nearest area
 * above it that has one (its district, else its province), marked
 * "approx": the map draws every commune and says how many are placed so. */
static void place_approximately(const tally_view *v, const khum_tally_area *a, json_t *o)
{
    if (json_is_number(json_object_get(o, "lat")))
        return;
    const char *up[2] = {a->district, a->province};
    for (int k = 0; k < 2; k++) {
        const khum_area_name *n = up[k] && *up[k] ? tally_view_names(v, up[k]) : NULL;
        if (n && isfinite(n->lat) && isfinite(n->lon)) {
            json_object_set_new(o, "lat", coord(n->lat));
            json_object_set_new(o, "lon", coord(n->lon));
            json_object_set_new(o, "approx", json_true());
            return;
        }
    }
}

/* Every commune: names, centroid, seats, the chief's party on polling day
 * and the votes and seats per list, for the map and the search box. */
static void communes(srv_req *r, srv_election *el, srv_view *v)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < v->v.t.ncommunes; i++) {
        const khum_tally_commune *c = &v->v.t.communes[i];
        json_t *o = area_ref(&v->v, &c->area);
        place_approximately(&v->v, &c->area, o);
        json_object_set_new(o, "seats", json_integer(el->e.communes[i].seats));
        json_object_set_new(o, "chief_party", c->chief_party >= 0
                                                  ? json_string(v->v.t.parties[c->chief_party])
                                                  : json_null());
        json_t *lists = json_object();
        for (size_t p = 0; p < v->v.t.nparties; p++)
            if (c->area.votes[p] || c->area.seats[p])
                json_object_set_new(lists, v->v.t.parties[p],
                                    json_pack("[I,i]", (json_int_t)c->area.votes[p],
                                              c->area.seats[p]));
        json_object_set_new(o, "lists", lists);
        json_array_append_new(arr, o);
    }
    srv_json(r, 200, json_pack("{s:s,s:o}", "election", el->e.id, "communes", arr));
}

/* Every membership of the mandate to today: seats and posts with their
 * periods, as rows [person, commune, party, role, start, end, start_reason,
 * end_reason] (end "" while current): the map's chiefs on any date, the
 * party page's series and its defections are all read from these. */
static void mandate(srv_req *r, srv_election *el, srv_view *v)
{
    /* The mandate to its end (khum_mandate_end), or to today. */
    char today[11], end[11];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    const char *until = srv_arg(r, "until");
    khum_council_rules rules;
    khum_council_rules_default(&rules);
    khum_memberships m = {0};
    khum_changes ch = {0};
    khum_err err;
    khum_err_clear(&err);
    if (khum_app_mandate_end(r->store, &el->e, end, &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    if (strcmp(end, today) < 0)
        memcpy(today, end, sizeof today);
    if (khum_app_mandate(r->store, &el->e, &v->v.t, NULL, until ? until : today, &rules,
                         &r->arena, &m, &ch, &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    json_t *rows = json_array();
    for (size_t i = 0; i < m.n; i++) {
        const khum_membership *x = &m.v[i];
        json_array_append_new(rows, json_pack("[s,s,s,s,s,s,s,s]", x->person, x->commune,
                                              x->party, x->role, x->start, x->end,
                                              x->start_reason, x->end_reason));
    }
    srv_json(r, 200, json_pack("{s:s,s:s,s:s,s:o}", "election", el->e.id, "from", el->e.date,
                               "until", until ? until : today, "memberships", rows));
}

static void provinces_geojson(srv_req *r)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/data/voa-2018/cambodia_provinces.geojson", r->srv->shared);
    FILE *f = *r->srv->shared ? fopen(path, "rb") : NULL;
    if (!f) {
        srv_failf(r, 404, "SRV.706", NULL, "the province boundaries are not available: khum "
                  "serve reads data/voa-2018/cambodia_provinces.geojson from the reference "
                  "data ($KHUM_SHARED; origin: github.com/VOANews/cambodia-election, see its "
                  "SOURCE.md)");
        return;
    }
    srv_answer_file(r, f, "application/geo+json");
}

/* An area and the units right below it (a council may sit right under its
 * province); a council's children are its polling stations. */
static void areas(srv_req *r, srv_election *el, srv_view *v, const char *code)
{
    const tally_view *tv = &v->v;
    const khum_tally_area *me = khum_tally_area_find(&tv->t, code);
    json_t *kids = json_array();
    json_t *self = me ? area_ref(tv, me) : NULL;
    for (size_t i = 0; me && me->level < 1 && i < tv->t.nprovinces; i++)
        if (!strcmp(khum_tally_area_parent(&tv->t.provinces[i]), code))
            json_array_append_new(kids, area_ref(tv, &tv->t.provinces[i]));
    for (size_t i = 0; me && me->level < 2 && i < tv->t.ndistricts; i++)
        if (!strcmp(khum_tally_area_parent(&tv->t.districts[i]), code))
            json_array_append_new(kids, area_ref(tv, &tv->t.districts[i]));
    for (size_t i = 0; me && me->level < 3 && i < tv->t.ncommunes; i++)
        if (!strcmp(khum_tally_area_parent(&tv->t.communes[i].area), code))
            json_array_append_new(kids, area_ref(tv, &tv->t.communes[i].area));
    const khum_election_commune *ec =
        me && me->level == 3 ? khum_election_commune_find(&el->e, code) : NULL;
    for (size_t k = 0; ec && k < ec->nstations; k++) {
        const khum_station *st = &el->e.stations[ec->first_station + k];
        json_array_append_new(kids, json_pack("{s:s,s:i,s:I}", "code", st->code, "level", 4,
                                              "registered", (json_int_t)st->registered));
    }
    if (!self) {
        json_decref(kids);
        srv_failf(r, 404, "GEO.210", NULL, "%s is not an area of election %s", code,
                  el->e.id);
        return;
    }
    json_object_set_new(self, "children", kids);
    if (me->level == 0) {  /* the nation: named by its country's code, from the data */
        char cc[3];
        khum_err err;
        khum_err_clear(&err);
        if (khum_store_country(r->store, cc, &err)) {
            json_decref(self);
            srv_fail(r, 0, &err);
            return;
        }
        json_object_set_new(self, "country", json_string(cc));
    }
    srv_json(r, 200, self);
}

static void results(srv_req *r, srv_view *v, const char *code)
{
    int by = level_of(srv_arg(r, "by"));
    if (by == -2) {
        srv_failf(r, 400, "HTTP.400", "by", "by is nation, province, district or commune");
        return;
    }
    if (!tally_view_area(&v->v, code)) {
        srv_failf(r, 404, "GEO.210", NULL, "%s is not an area of election %s", code,
                  v->v.e.id);
        return;
    }
    r->status = 200;
    r->ctype = "application/json; charset=utf-8";
    tally_view_json(&v->v, code, by, &r->out);
}

static const char *lots_seed(srv_req *r, const char *election, const char *commune)
{
    khum_commune_lots *lots;
    size_t n;
    khum_err err;
    khum_err_clear(&err);
    if (khum_store_list_lots(r->store, election, &r->arena, &lots, &n, &err))
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(lots[i].commune, commune))
            return lots[i].seed;
    return NULL;
}

static void seats(srv_req *r, srv_election *el, srv_view *v, const char *commune)
{
    const khum_election_commune *ec = khum_election_commune_find(&el->e, commune);
    if (!ec) {
        srv_failf(r, 404, "CNT.821", NULL, "commune %s is not in election %s", commune,
                  el->e.id);
        return;
    }
    size_t i = (size_t)(ec - el->e.communes);
    json_t *o = khum_seats_json(&el->e, &v->v.t, i, lots_seed(r, el->e.id, commune),
                                &r->arena);
    if (!o) {
        srv_failf(r, 500, "HTTP.500", NULL, "out of memory");
        return;
    }
    json_object_set_new(o, "name", json_string(tally_view_name(&v->v, commune)));
    srv_json(r, 200, o);
}

/* A reason of the council's domain (council.c, ledger.c) as a code the
 * dashboard translates (its i18n keys 'why:CODE'), so that a reason reads
 * in the page's language without the page matching English text; "" for a
 * reason with figures in it (a tie's parties), shown as it is. */
static const char *reason_code(const char *why)
{
    static const char *const codes[][2] = {
        {"elected", "elected"}, {"redistribution", "redistribution"},
        {"replacement", "replacement"}, {"defection", "defection"}, {"resign", "resign"},
        {"die", "die"}, {"remove", "remove"}, {"expel", "expel"}, {"defect", "defect"},
        {"dissolve", "dissolve"}, {"party dissolved", "party-dissolved"},
        {"next candidate of the same list", "next-candidate"},
        {"next sitting councillor of the list", "next-councillor"},
        {"redistributed seat of a dissolved party", "redistributed-seat"},
        {"posts derived again after the dissolution", "posts-after-dissolution"},
        {"posts derived again after the redistribution", "posts-after-redistribution"},
        {"defector keeps the seat (defector_keeps_seat)", "defector-keeps-seat"}};
    for (size_t i = 0; why && i < sizeof codes / sizeof *codes; i++)
        if (!strcmp(why, codes[i][0]))
            return codes[i][1];
    return "";
}

static json_t *changes_json(const khum_changes *ch)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < ch->n; i++) {
        const khum_change *c = &ch->v[i];
        json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "event",
                                             (json_int_t)c->event, "date", c->date, "commune",
                                             c->commune ? c->commune : "", "what", c->what,
                                             "person", c->person ? c->person : "", "name",
                                             c->name ? c->name : "", "party",
                                             c->party ? c->party : "", "post",
                                             khum_post_name(c->post), "detail",
                                             c->detail ? c->detail : ""));
        json_object_set_new(json_array_get(arr, i), "detail_code",
                            json_string(reason_code(c->detail)));
    }
    return arr;
}

/* What waits for lots: posts or redistributed seats a tie decides (event 0:
 * the commune's own lots, khum lots; else the dissolution's, khum ledger lots). */
static json_t *pending_json(const khum_council *c)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < c->npending; i++)
        json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:s}", "event",
                                             (json_int_t)c->pending[i].event, "date",
                                             c->pending[i].date ? c->pending[i].date : "",
                                             "what", c->pending[i].what, "parties",
                                             c->pending[i].parties));
    return arr;
}

static void council(srv_req *r, srv_election *el, srv_view *v, const char *commune)
{
    const char *date = srv_arg(r, "date");
    int y, m, d;
    if (date && !khum_parse_date(date, &y, &m, &d)) {
        srv_failf(r, 400, "HTTP.400", "date", "date is YYYY-MM-DD, not '%s'", date);
        return;
    }
    khum_council_rules rules;
    khum_council_rules_default(&rules);  /* the lots are filled in by khum_app_council */
    khum_council c;
    khum_changes ch = {0};
    khum_err err;
    khum_err_clear(&err);
    /* A date outside the mandate is 422 (CNL.310); none is today, or the
     * mandate's last day once it is over ("clamped": the page says so). */
    char day[11], end[11];
    bool clamped;
    if (khum_app_council_day(r->store, &el->e, date, day, end, &clamped, &err) ||
        khum_app_council(r->store, &el->e, &v->v.t, commune, day, &rules, &r->arena, &c, &ch,
                         &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    json_t *members = json_array();
    for (size_t i = 0; i < c.n; i++) {
        const khum_member *mb = &c.m[i];
        json_array_append_new(members, json_pack("{s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:s}",
                                                 "person", mb->person, "name",
                                                 mb->name ? mb->name : "", "list_party",
                                                 mb->list_party, "party", mb->party,
                                                 "list_position", mb->list_pos, "post",
                                                 khum_post_name(mb->post), "since",
                                                 mb->since ? mb->since : "", "why",
                                                 mb->why ? mb->why : "", "post_since",
                                                 mb->post_since ? mb->post_since : "",
                                                 "post_why", mb->post_why ? mb->post_why : ""));
        json_t *o = json_array_get(members, i);
        json_object_set_new(o, "why_code", json_string(reason_code(mb->why)));
        json_object_set_new(o, "post_why_code", json_string(reason_code(mb->post_why)));
    }
    srv_json(r, 200, json_pack("{s:s,s:s,s:s,s:b,s:{s:s,s:s},s:i,s:i,s:o,s:o,s:o}", "commune",
                               commune, "name", tally_view_name(&v->v, commune), "date", day,
                               "clamped", clamped, "mandate", "start", el->e.date, "end", end,
                               "seats", c.seats, "vacant", c.vacant, "members", members,
                               "changes", changes_json(&ch), "pending_lots", pending_json(&c)));
}

static void ledger(srv_req *r, srv_election *el)
{
    const char *commune = srv_arg(r, "commune");
    khum_ledger_event *ev;
    size_t n;
    khum_err err;
    khum_err_clear(&err);
    if (khum_store_ledger_events(r->store, el->e.id, commune && *commune ? commune : NULL,
                                 &r->arena, &ev, &n, &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *decl = json_array();
        for (size_t k = 0; k < ev[i].ndeclining; k++)
            json_array_append_new(decl, json_string(ev[i].declining[k]));
        json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:I,s:s}", "id",
                                             (json_int_t)ev[i].id, "date", ev[i].date, "type",
                                             khum_event_name(ev[i].type), "commune",
                                             ev[i].commune ? ev[i].commune : "", "person",
                                             ev[i].person ? ev[i].person : "", "party",
                                             ev[i].party ? ev[i].party : "", "to_party",
                                             ev[i].to_party ? ev[i].to_party : "", "declining",
                                             decl, "reverses", (json_int_t)ev[i].reverses,
                                             "reference", ev[i].reference ? ev[i].reference : ""));
    }
    srv_json(r, 200, json_pack("{s:s,s:o}", "election", el->e.id, "events", arr));
}

static json_t *form_values(const khum_form *f)
{
    json_t *votes = json_object();
    for (size_t i = 0; i < f->n; i++)
        json_object_set_new(votes, f->party[i], json_integer(f->votes[i]));
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "registered",
                     (json_int_t)f->registered, "received", (json_int_t)f->received, "cast",
                     (json_int_t)f->cast, "spoiled", (json_int_t)f->spoiled, "unused",
                     (json_int_t)f->unused, "valid", (json_int_t)f->valid, "invalid",
                     (json_int_t)f->invalid, "blank", (json_int_t)f->blank, "votes", votes);
}

/* A form's state. The values of entries that are not accepted yet are shown
 * only to a coordinator or administrator, who must compare them. */
static void form(srv_req *r, srv_election *el, const char *station, bool privileged)
{
    const khum_station *st = khum_election_station_find(&el->e, station);
    if (!st) {
        srv_failf(r, 404, "F.107", NULL, "station %s is not a polling station of election %s",
                  station, el->e.id);
        return;
    }
    khum_form_version fv;
    khum_err err;
    khum_err_clear(&err);
    if (khum_store_form_version(r->store, el->e.id, station, 0, &r->arena, &fv, &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    json_t *o = json_pack("{s:s,s:s,s:I,s:s,s:i}", "station", station, "commune", st->commune,
                          "registered", (json_int_t)st->registered, "state",
                          fv.exists ? khum_form_state_name(fv.state) : "empty", "version",
                          fv.exists ? fv.version : 1);
    if (fv.exists) {
        json_object_set_new(o, "first_user", json_string(fv.first_user));
        json_object_set_new(o, "second_user", json_string(fv.second_user));
    }
    int64_t ids[3] = {fv.accepted_entry, privileged ? fv.first_entry : 0,
                      privileged ? fv.second_entry : 0};
    const char *names[3] = {"accepted", "first", "second"};
    for (int i = 0; i < 3; i++) {
        khum_form f;
        if (!ids[i] || khum_store_load_entry(r->store, ids[i], &r->arena, &f, &err))
            continue;
        json_t *vals = form_values(&f);
        khum_checks c;
        khum_form_check(&el->e, &f, &c);
        json_object_set_new(vals, "checks", srv_checks_json(&c));
        json_object_set_new(o, names[i], vals);
    }
    const char **codes, **texts;
    size_t n;
    if (fv.exists && !khum_store_explanations(r->store, el->e.id, station, fv.version,
                                              &r->arena, &codes, &texts, &n, &err)) {
        json_t *ex = json_object();
        for (size_t i = 0; i < n; i++)
            json_object_set_new(ex, codes[i], json_string(texts[i]));
        json_object_set_new(o, "explanations", ex);
    }
    srv_json(r, 200, o);
}

static void parties(srv_req *r)
{
    khum_party *p;
    size_t n;
    khum_err err;
    khum_err_clear(&err);
    if (khum_store_list_parties(r->store, &r->arena, &p, &n, &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "id", p[i].id,
                                             "abbr", p[i].abbr, "name_en", p[i].name_en,
                                             "name_km", p[i].name_km, "colour", p[i].colour,
                                             "dissolved", p[i].dissolved ? p[i].dissolved : ""));
    srv_json(r, 200, json_pack("{s:o}", "parties", arr));
}

/* Who is logged in: {"user": null} without a session (not 401: a page asks
 * this before anyone logs in, and browsers log every 401 as an error). */
static void session_show(srv_req *r)
{
    if (!srv_session(r, false)) {
        srv_json(r, 200, json_pack("{s:n}", "user"));
        return;
    }
    srv_json(r, 200, json_pack("{s:s,s:s,s:s,s:s}", "user", r->sess.user, "role",
                               r->sess.role, "scope", r->sess.scope, "csrf", r->sess.csrf));
}

/* The forms in some states (?state=, default todo: the coordinator's
 * worklist) within an area (?area=), for the dashboard's queue. */
static void worklist(srv_req *r, srv_election *el)
{
    const char *state = srv_arg(r, "state"), *area = srv_arg(r, "area");
    unsigned mask;
    char bad[64];
    if (!khum_form_states_parse(state && *state ? state : "todo", &mask, bad, sizeof bad)) {
        srv_failf(r, 400, "HTTP.400", "state", "'%s' is no form state", bad);
        return;
    }
    khum_worklist_row *rows;
    size_t n;
    khum_err err;
    khum_err_clear(&err);
    if (khum_app_worklist(r->store, &el->e, mask, area, &r->arena, &rows, &n, &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "station", rows[i].station,
                                             "commune", rows[i].commune, "state",
                                             khum_form_state_name(rows[i].state)));
    srv_json(r, 200, json_pack("{s:s,s:o}", "election", el->e.id, "forms", arr));
}

/* Candidates (councillors among them) whose Latin or Khmer name contains
 * ?q= (2 characters at least), with their commune's name: the dashboard's
 * search suggests them and opens the commune. */
static void people(srv_req *r, srv_election *el, srv_view *v)
{
    const char *q = srv_arg(r, "q");
    if (!q || strlen(q) < 2 || strlen(q) > 200) {
        srv_failf(r, 400, "HTTP.400", "q", "q is a name or part of one, 2 to 200 bytes");
        return;
    }
    khum_candidate_row *rows;
    size_t n;
    khum_err err;
    khum_err_clear(&err);
    if (khum_store_find_candidates(r->store, el->e.id, q, 20, &r->arena, &rows, &n, &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:i}", "person",
                                             rows[i].person, "name", rows[i].name_latin,
                                             "name_km", rows[i].name_km, "commune",
                                             rows[i].commune, "commune_name",
                                             tally_view_name(&v->v, rows[i].commune), "party",
                                             rows[i].party, "position", rows[i].position));
    srv_json(r, 200, json_pack("{s:s,s:s,s:o}", "election", el->e.id, "query", q, "people", arr));
}

/* Routes under /api/v1/elections/ID/ that need the election and its view. */
static bool election_route(srv_req *r, const char *key)
{
    khum_err err;
    khum_err_clear(&err);
    const char *what = r->nseg >= 3 ? r->seg[2] : "";
    const char *arg = r->nseg >= 4 ? r->seg[3] : "";
    bool known = r->nseg == 2 || (r->nseg <= 4 && (!strcmp(what, "results") ||
                                                   !strcmp(what, "areas"))) ||
                 (r->nseg == 4 && (!strcmp(what, "seats") || !strcmp(what, "councils") ||
                                   !strcmp(what, "forms"))) ||
                 (r->nseg == 3 && (!strcmp(what, "ledger") || !strcmp(what, "communes") ||
                                   !strcmp(what, "mandate") || !strcmp(what, "forms") ||
                                   !strcmp(what, "people")));
    if (!known || r->probe)
        return known;
    srv_election *el;
    if (srv_election_get(r, r->seg[1], &el, &err)) {
        srv_fail(r, 0, &err);
        return true;
    }
    if (!strcmp(what, "forms") && r->nseg == 3) {  /* states change with every entry */
        worklist(r, el);
        return true;
    }
    if (!strcmp(what, "forms")) {   /* per user: not cached */
        /* The two entries' figures: to whoever may settle them (khum/auth.h). */
        khum_err no;
        bool priv = srv_session(r, false) &&
                    khum_auth_allows(khum_role_parse(r->sess.role), r->sess.scope,
                                     KHUM_DO_RESOLVE, arg, &no) == KHUM_OK;
        khum_buf_reset(&r->out);
        form(r, el, arg, priv);
        return true;
    }
    if (!strcmp(what, "ledger")) {
        ledger(r, el);
        srv_cache_put(r, key);
        return true;
    }
    srv_view *v;
    if (srv_view_get(r, el, &v, &err)) {
        srv_fail(r, 0, &err);
        return true;
    }
    if (r->nseg == 2)
        election_show(r, el, v);
    else if (!strcmp(what, "results"))
        results(r, v, arg);
    else if (!strcmp(what, "areas"))
        areas(r, el, v, arg);
    else if (!strcmp(what, "seats"))
        seats(r, el, v, arg);
    else if (!strcmp(what, "communes"))
        communes(r, el, v);
    else if (!strcmp(what, "mandate"))
        mandate(r, el, v);
    else if (!strcmp(what, "people"))
        people(r, el, v);
    else
        council(r, el, v, arg);
    srv_view_put(r->srv, v);
    srv_cache_put(r, key);
    return true;
}

bool api_read(srv_req *r)
{
    const char *s0 = r->nseg ? r->seg[0] : "";
    bool session = r->nseg == 1 && !strcmp(s0, "session");
    bool known = (r->nseg == 1 && (!strcmp(s0, "health") || !strcmp(s0, "elections") ||
                                   !strcmp(s0, "audit") || !strcmp(s0, "parties"))) ||
                 (r->nseg >= 2 && !strcmp(s0, "elections")) ||
                 (r->nseg == 2 && !strcmp(s0, "audit") && !strcmp(r->seg[1], "head")) ||
                 (r->nseg >= 1 && r->nseg <= 3 && !strcmp(s0, "publications")) ||
                 (r->nseg == 2 && !strcmp(s0, "geo") && !strcmp(r->seg[1], "provinces")) ||
                 session;
    if (!known)
        return false;
    if (r->probe)
        return !(r->nseg >= 2 && !strcmp(s0, "elections")) || election_route(r, NULL);
    if (session) {
        if (srv_args_only(r, route_args(r)))
            session_show(r);
        return true;
    }
    const char *key = cache_key(r);
    if (!key)
        return true;   /* an unknown argument: 400 */
    if (*key && srv_cache_get(r, key))
        return true;
    if (!strcmp(s0, "health")) {
        health(r);
        return true;
    }
    if (!strcmp(s0, "elections") && r->nseg == 1)
        elections_list(r);
    else if (!strcmp(s0, "parties"))
        parties(r);
    else if (!strcmp(s0, "elections"))
        return election_route(r, key);
    else if (!strcmp(s0, "audit"))
        srv_audit_log(r, r->nseg == 2);
    else if (!strcmp(s0, "geo"))
        provinces_geojson(r);
    else
        srv_publications(r);
    srv_cache_put(r, key);
    return true;
}
