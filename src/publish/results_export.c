/*
 * results_export.c: the current results in exchange formats (moved from
 * cmd_export.c so that the CLI, the server and the bundles can share them).
 *   nist-1500-100   NIST SP 1500-100 v2 Election Results Reporting JSON, valid
 *                   against its official JSON schema (tests/e2e/nist_schema.sh):
 *                   one PartyContest per commune with vote counts per party,
 *                   the ReportingUnit tree nation > province > district >
 *                   commune, parties and areas with English and Khmer names.
 *                   Status is certified when every commune is official.
 *   openelections   a flat CSV in the OpenElections style: one row per
 *                   station and party, plus rows for registered voters,
 *                   ballots cast and invalid ballots.
 * Blank ballots (validly cast for no list) appear where there are any: as
 * NIST's Undervotes of a commune's BallotCounts (a ballot that marks no
 * list in a one-choice contest), and as Blank Ballots rows.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "khum/csv.h"
#include "khum/hash.h"
#include "khum/json.h"
#include "results_export.h"

/* Every @type of the v2 JSON schema is namespaced ("ElectionResults.Party"). */
#define NIST(type) "ElectionResults." type

static json_t *text(const char *en, const char *km)
{
    json_t *t = json_array();
    json_array_append_new(t, json_pack("{s:s, s:s, s:s}", "@type", NIST("LanguageString"),
                                       "Language", "en", "Content", en));
    if (km && *km)
        json_array_append_new(t, json_pack("{s:s, s:s, s:s}", "@type", NIST("LanguageString"),
                                           "Language", "km", "Content", km));
    return json_pack("{s:s, s:o}", "@type", NIST("InternationalizedText"), "Text", t);
}

/* An area's name in English (Latin script) and, where the gazetteer has it, Khmer. */
static json_t *area_text(const tally_view *v, const char *code)
{
    const khum_area_name *n = tally_view_names(v, code);
    return text(tally_view_name(v, code), n ? n->name_km : NULL);
}

static json_t *unit(const tally_view *v, const khum_tally_area *a, const char *type)
{
    char id[32];
    snprintf(id, sizeof id, "gpu-%s", *a->code ? a->code : "kh");
    json_t *u = json_pack("{s:s, s:s, s:s, s:o}", "@type", NIST("ReportingUnit"), "@id", id, "Type",
                          type, "Name", area_text(v, a->code));
    if (!strcmp(type, "other"))
        json_object_set_new(u, "OtherType", json_string("commune"));
    json_t *kids = json_array();
    /* the units right below a: a council under a province when the country
     * has no district level */
    for (size_t i = 0; a->level < 1 && i < v->t.nprovinces; i++)
        if (!strcmp(khum_tally_area_parent(&v->t.provinces[i]), a->code))
            json_array_append_new(kids, json_sprintf("gpu-%s", v->t.provinces[i].code));
    for (size_t i = 0; a->level < 2 && i < v->t.ndistricts; i++)
        if (!strcmp(khum_tally_area_parent(&v->t.districts[i]), a->code))
            json_array_append_new(kids, json_sprintf("gpu-%s", v->t.districts[i].code));
    for (size_t i = 0; a->level < 3 && i < v->t.ncommunes; i++)
        if (!strcmp(khum_tally_area_parent(&v->t.communes[i].area), a->code))
            json_array_append_new(kids, json_sprintf("gpu-%s", v->t.communes[i].area.code));
    if (json_array_size(kids))
        json_object_set_new(u, "ComposingGpUnitIds", kids);
    else
        json_decref(kids);
    return u;
}

static json_t *contest(const tally_view *v, const khum_tally_commune *c)
{
    const khum_election_commune *ec = khum_election_commune_find(&v->e, c->area.code);
    json_t *sel = json_array();
    char gpu[16];
    snprintf(gpu, sizeof gpu, "gpu-%s", c->area.code);
    for (size_t k = 0; k < ec->nlists; k++) {
        const char *party = v->e.lists[ec->first_list + k].party;
        int p = khum_tally_party_index(&v->t, party);
        json_t *counts = json_pack("[{s:s, s:s, s:s, s:I}]", "@type", NIST("VoteCounts"),
                                   "GpUnitId", gpu, "Type", "total", "Count",
                                   (json_int_t)c->area.votes[p]);
        json_array_append_new(sel, json_pack("{s:s, s:o, s:[o], s:o, s:I}", "@type",
                                             NIST("PartySelection"), "@id",
                                             json_sprintf("sel-%s-%s", c->area.code, party),
                                             "PartyIds", json_sprintf("party-%s", party),
                                             "VoteCounts", counts, "SequenceOrder",
                                             (json_int_t)v->e.lists[ec->first_list + k].ballot_no));
    }
    char name[160], seats[64];
    snprintf(name, sizeof name, "Commune council %s %s", c->area.code,
             tally_view_name(v, c->area.code));
    /* The schema's PartyContest has no seat count (NumberElected belongs to
     * candidate contests): the ballot's subtitle says how many are elected. */
    snprintf(seats, sizeof seats, "%d seats", ec->seats);
    json_t *pc = json_pack("{s:s, s:o, s:s, s:o, s:o, s:o, s:I, s:I}", "@type",
                           NIST("PartyContest"), "@id", json_sprintf("contest-%s", c->area.code),
                           "Name", name, "ElectionDistrictId", json_string(gpu),
                           "BallotSubTitle", text(seats, NULL), "ContestSelection", sel,
                           "SubUnitsReported", (json_int_t)c->area.stations_reported,
                           "TotalSubUnits", (json_int_t)c->area.stations_expected);
    /* Blank ballots are the contest's undervotes, where the rules count them. */
    if (pc && c->area.blank)
        json_object_set_new(pc, "OtherCounts",
                            json_pack("[{s:s, s:s, s:I}]", "@type", NIST("OtherCounts"),
                                      "GpUnitId", gpu, "Undervotes",
                                      (json_int_t)c->area.blank));
    return pc;
}

khum_code results_export_nist(const tally_view *v, khum_buf *b, khum_err *err)
{
    char status[96], when[32], h[20];
    tally_view_status(v, "", status, sizeof status);
    bool certified = !strcmp(status, "official");
    bool complete = v->t.nation.stations_reported == v->t.nation.stations_expected;
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    khum_hash_short(v->e.hash, h);
    json_t *units = json_array(), *contests = json_array(), *counts = json_array();
    json_array_append_new(units, unit(v, &v->t.nation, "country"));
    for (size_t i = 0; i < v->t.nprovinces; i++)
        json_array_append_new(units, unit(v, &v->t.provinces[i], "state"));
    for (size_t i = 0; i < v->t.ndistricts; i++)
        json_array_append_new(units, unit(v, &v->t.districts[i], "county"));
    for (size_t i = 0; i < v->t.ncommunes; i++) {
        const khum_tally_commune *c = &v->t.communes[i];
        json_array_append_new(units, unit(v, &c->area, "other"));
        json_array_append_new(contests, contest(v, c));
        json_array_append_new(counts, json_pack("{s:s, s:o, s:s, s:I}", "@type",
                                                NIST("BallotCounts"), "GpUnitId",
                                                json_sprintf("gpu-%s", c->area.code), "Type",
                                                "total", "BallotsCast",
                                                (json_int_t)c->area.cast));
    }
    json_t *parties = json_array();
    for (size_t p = 0; p < v->t.nparties; p++) {
        const char *en = v->t.parties[p], *km = NULL, *abbr = v->t.parties[p];
        for (size_t k = 0; k < v->nparties; k++)
            if (!strcmp(v->parties[k].id, v->t.parties[p])) {
                en = v->parties[k].name_en;
                km = v->parties[k].name_km;
                abbr = v->parties[k].abbr;
            }
        json_array_append_new(parties, json_pack("{s:s, s:o, s:o, s:o}", "@type", NIST("Party"),
                                                 "@id", json_sprintf("party-%s", v->t.parties[p]),
                                                 "Abbreviation", text(abbr, NULL), "Name",
                                                 text(en, km)));
    }
    char notes[512];
    snprintf(notes, sizeof notes, "%skhum election %s, election hash %s; %s",
             v->e.synthetic ? "SYNTHETIC DATA, invented for demonstration, not a real "
                              "election. " : "",
             v->e.id, v->e.hash, status);
    json_t *election = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "@type",
                                 NIST("Election"), "ElectionScopeId", "gpu-kh", "StartDate",
                                 v->e.date, "EndDate", v->e.date, "Type", "general", "Name",
                                 text(v->e.name, NULL), "Contest", contests, "BallotCounts",
                                 counts);
    json_t *root = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:[o], s:o, "
                             "s:o}", "@type", NIST("ElectionReport"), "Format", "summary-contest",
                             "GeneratedDate", when, "Issuer", "khum", "IssuerAbbreviation",
                             "khum", "SequenceStart", 1, "SequenceEnd", 1, "Status",
                             certified ? "certified"
                                       : complete ? "unofficial-complete" : "unofficial-partial",
                             "VendorApplicationId", "khum " KHUM_VERSION, "Notes", notes,
                             "Election", election, "GpUnit", units, "Party", parties);
    khum_json_to_buf(root, 1, b);
    return b->failed ? khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory") : KHUM_OK;
}

typedef struct oe_row {
    const char *office, *party;
    int64_t votes;
} oe_row;

khum_code results_export_openelections(khum_store *s, const tally_view *v, khum_buf *b,
                                       khum_err *err)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_form *forms;
    size_t n;
    khum_code rc = khum_store_current_forms(s, v->e.id, &a, &forms, &n, err);
    if (rc) {
        khum_arena_free(&a);
        return rc;
    }
    khum_buf_puts(b, "province,district,commune,precinct,office,party,votes\n");
    for (size_t i = 0; i < n; i++) {
        const khum_form *f = &forms[i];
        const khum_station *st = khum_election_station_find(&v->e, f->station);
        const khum_election_commune *ec = &v->e.communes[st->commune_index];
        const char *names[3] = {tally_view_name(v, ec->province), tally_view_name(v, ec->district),
                                tally_view_name(v, st->commune)};
        oe_row rows[64];
        size_t k = 0;
        rows[k++] = (oe_row){"Registered Voters", "", f->registered};
        rows[k++] = (oe_row){"Ballots Cast", "", f->cast};
        rows[k++] = (oe_row){"Invalid Ballots", "", f->invalid};
        if (f->blank)
            rows[k++] = (oe_row){"Blank Ballots", "", f->blank};
        for (size_t p = 0; p < f->n && k < 64; p++)
            rows[k++] = (oe_row){"Commune Council", f->party[p], f->votes[p]};
        for (size_t r = 0; r < k; r++) {
            for (int c = 0; c < 3; c++)
                khum_csv_put_field(b, names[c], c == 0);
            khum_csv_put_field(b, f->station, false);
            khum_csv_put_field(b, rows[r].office, false);
            khum_csv_put_field(b, rows[r].party, false);
            khum_buf_printf(b, ",%lld\n", (long long)rows[r].votes);
        }
    }
    khum_arena_free(&a);
    return b->failed ? khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory") : KHUM_OK;
}
