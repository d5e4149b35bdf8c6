/*
 * store_query.c: read-only questions about the geography: the national
 * counts the demo prints, and finding a unit by code or by name.
 */
#include "store_impl.h"

#include <math.h>
#include <string.h>

#include "khum/str.h"

static int64_t scalar(khum_store *s, const char *sql, khum_err *err)
{
    db_stmt *st;
    if (db_prepare(s->db, sql, &st, err))
        return -1;
    int r = db_step(st, err);
    int64_t v = r == DB_ROW ? db_col_int(st, 0) : (r == DB_DONE ? 0 : -1);
    db_finalize(st);
    return v;
}

khum_code khum_store_geo_counts(khum_store *s, khum_geo_counts *o, khum_err *err)
{
    memset(o, 0, sizeof *o);
    int64_t *dst[] = {&o->provinces, &o->districts, &o->communes, &o->villages,
                      &o->population_year, &o->communes_with_population,
                      &o->population_total, &o->seats_mandate,
                      &o->communes_with_seats, &o->seats_total, &o->parties};
    static const char *const sql[] = {
        "SELECT count(*) FROM area WHERE level = 1",
        "SELECT count(*) FROM area WHERE level = 2",
        "SELECT count(*) FROM area WHERE level = 3",
        "SELECT count(*) FROM area WHERE level = 4",
        "SELECT coalesce(max(year), 0) FROM population",
        "SELECT count(*) FROM population WHERE year = (SELECT max(year) FROM population)",
        "SELECT coalesce(sum(total), 0) FROM population"
        " WHERE year = (SELECT max(year) FROM population)",
        "SELECT coalesce(max(mandate), 0) FROM council_size",
        "SELECT count(*) FROM council_size"
        " WHERE mandate = (SELECT max(mandate) FROM council_size)",
        "SELECT coalesce(sum(seats), 0) FROM council_size"
        " WHERE mandate = (SELECT max(mandate) FROM council_size)",
        "SELECT count(*) FROM party",
    };
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
        if ((*dst[i] = scalar(s, sql[i], err)) < 0)
            return KHUM_ERR_STORE;
    return KHUM_OK;
}

static const char *const area_cols =
    "a.code, a.level, coalesce(a.parent, ''), a.name_km, a.name_latin, a.name_ungegn,"
    " a.unit_km, a.unit_latin, a.unit_en, a.iso3166_2, a.lat, a.lon,"
    " coalesce(p.name_latin, ''), coalesce(pr.name_latin, ''),"
    " (SELECT count(*) FROM area c WHERE c.parent = a.code),"
    " coalesce((SELECT total FROM population x WHERE x.commune = a.code"
    "           ORDER BY year DESC LIMIT 1), -1),"
    " coalesce((SELECT year FROM population x WHERE x.commune = a.code"
    "           ORDER BY year DESC LIMIT 1), 0),"
    " coalesce((SELECT seats FROM council_size x WHERE x.commune = a.code"
    "           ORDER BY mandate DESC LIMIT 1), 0),"
    " coalesce((SELECT mandate FROM council_size x WHERE x.commune = a.code"
    "           ORDER BY mandate DESC LIMIT 1), 0),"
    " coalesce(p.level, 0), coalesce(pr.code, '')"
    /* pr: the province above, found by walking the parents the gazetteer
     * named (up to three: a village's commune, district, province) */
    " FROM area a LEFT JOIN area p ON p.code = a.parent"
    " LEFT JOIN area g ON g.code = p.parent LEFT JOIN area gg ON gg.code = g.parent"
    " LEFT JOIN area pr ON pr.code = CASE WHEN a.level = 1 THEN a.code"
    "  WHEN p.level = 1 THEN p.code WHEN g.level = 1 THEN g.code"
    "  WHEN gg.level = 1 THEN gg.code END";

static bool read_info(db_stmt *st, khum_arena *a, khum_area_info *o)
{
    khum_unit *u = &o->unit;
    memset(o, 0, sizeof *o);
    u->code = khum_arena_strdup(a, db_col_text(st, 0));
    u->level = (khum_level)db_col_int(st, 1);
    u->parent = khum_arena_strdup(a, db_col_text(st, 2));
    u->name_km = khum_arena_strdup(a, db_col_text(st, 3));
    u->name_latin = khum_arena_strdup(a, db_col_text(st, 4));
    u->name_ungegn = khum_arena_strdup(a, db_col_text(st, 5));
    u->unit_km = khum_arena_strdup(a, db_col_text(st, 6));
    u->unit_latin = khum_arena_strdup(a, db_col_text(st, 7));
    u->unit_en = khum_arena_strdup(a, db_col_text(st, 8));
    u->iso3166_2 = khum_arena_strdup(a, db_col_text(st, 9));
    u->has_centroid = !db_col_null(st, 10);
    u->lat = db_col_double(st, 10);
    u->lon = db_col_double(st, 11);
    u->source = "database";
    o->parent_name = khum_arena_strdup(a, db_col_text(st, 12));
    o->province_name = khum_arena_strdup(a, db_col_text(st, 13));
    o->children = db_col_int(st, 14);
    o->population = db_col_int(st, 15);
    o->population_year = db_col_int(st, 16);
    o->seats = (int)db_col_int(st, 17);
    o->seats_mandate = (int)db_col_int(st, 18);
    u->parent_level = (khum_level)db_col_int(st, 19);
    o->province_code = khum_arena_strdup(a, db_col_text(st, 20));
    return u->code && u->parent && u->name_km && u->name_latin && u->name_ungegn &&
           u->unit_km && u->unit_latin && u->unit_en && u->iso3166_2 && o->parent_name &&
           o->province_name && o->province_code;
}

/* Run one search query (bound to the key) and append its rows to out. */
static khum_code collect(khum_store *s, const char *where, const char *key, size_t limit,
                         khum_arena *a, khum_area_info *out, size_t *n, khum_err *err)
{
    khum_buf sql;
    khum_buf_init(&sql);
    khum_buf_printf(&sql, "SELECT %s WHERE %s ORDER BY a.level, a.code LIMIT %zu",
                    area_cols, where, limit);
    if (sql.failed)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    db_stmt *st;
    khum_code rc = db_prepare(s->db, sql.data, &st, err);
    khum_buf_free(&sql);
    if (rc)
        return rc;
    db_bind_text(st, 1, key);
    int r = DB_DONE;
    while (*n < limit && (r = db_step(st, err)) == DB_ROW) {
        bool dup = false;
        for (size_t i = 0; i < *n && !dup; i++)
            dup = strcmp(out[i].unit.code, db_col_text(st, 0)) == 0;
        if (dup)
            continue;
        if (!read_info(st, a, &out[*n])) {
            db_finalize(st);
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        }
        (*n)++;
    }
    db_finalize(st);
    return r == DB_ERROR ? KHUM_ERR_STORE : KHUM_OK;
}

khum_code khum_store_find_areas(khum_store *s, const char *query, size_t limit,
                                khum_arena *a, khum_area_info **out, size_t *n,
                                khum_err *err)
{
    *n = 0;
    *out = khum_arena_calloc(a, limit ? limit : 1, sizeof **out);
    if (!*out)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    size_t qlen = strlen(query);
    if (khum_is_area_code(query)) {  /* a code (010201, 0302FA), else a name */
        khum_code rc = collect(s, "a.code = ?1", query, limit, a, *out, n, err);
        if (rc || *n || khum_is_digits(query, qlen))
            return rc;
    }
    khum_buf key;
    khum_buf_init(&key);
    if (!khum_utf8_fold_latin(&key, query, qlen) || !key.data) {
        khum_buf_free(&key);
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
    /* Exact name first (any of the Latin, UNGEGN or Khmer names), then names
     * that contain the query; villages are too many to search by name. */
    khum_code rc = collect(s,
        "a.level < 4 AND instr(char(31) || a.search_key || char(31),"
        " char(31) || ?1 || char(31)) > 0", key.data, limit, a, *out, n, err);
    if (!rc && *n < limit)
        rc = collect(s, "a.level < 4 AND instr(a.search_key, ?1) > 0", key.data, limit, a,
                     *out, n, err);
    khum_buf_free(&key);
    return rc;
}

khum_code khum_store_list_elections(khum_store *s, khum_arena *a, khum_election_row **rows,
                                    size_t *n, khum_err *err)
{
    *n = 0;
    *rows = NULL;
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT id, name, poll_date, hash, mandate, synthetic"
                                     " FROM election ORDER BY poll_date, id", &st, err);
    if (rc)
        return rc;
    khum_array v;
    khum_array_init(&v, sizeof **rows, a);
    bool ok = true;
    int r;
    while (ok && (r = db_step(st, err)) == DB_ROW) {
        khum_election_row *e = khum_array_push(&v);
        if (!(ok = e != NULL))
            break;
        e->id = store_dup(st, 0, a, &ok);
        e->name = store_dup(st, 1, a, &ok);
        e->date = store_dup(st, 2, a, &ok);
        e->hash = store_dup(st, 3, a, &ok);
        e->mandate = (int)db_col_int(st, 4);
        e->synthetic = db_col_int(st, 5) != 0;
    }
    *rows = v.items;
    *n = ok ? v.n : 0;
    return store_list_end(st, r, ok, err);
}

khum_code khum_store_commune_population(khum_store *s, khum_arena *a, khum_commune_pop **rows,
                                        size_t *n, khum_err *err)
{
    *n = 0;
    *rows = NULL;
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "SELECT a.code, coalesce(p.total, -1), coalesce(p.adults, -1) FROM area a"
        " LEFT JOIN population p ON p.commune = a.code AND p.year ="
        " (SELECT max(year) FROM population x WHERE x.commune = a.code)"
        " WHERE a.level = 3 ORDER BY a.code", &st, err);
    if (rc)
        return rc;
    khum_array v;
    khum_array_init(&v, sizeof **rows, a);
    bool ok = true;
    int r;
    while (ok && (r = db_step(st, err)) == DB_ROW) {
        khum_commune_pop *c = khum_array_push(&v);
        if ((ok = c != NULL)) {
            c->code = store_dup(st, 0, a, &ok);
            c->population = db_col_int(st, 1);
            c->adults = db_col_int(st, 2);
        }
    }
    *rows = v.items;
    *n = ok ? v.n : 0;
    return store_list_end(st, r, ok, err);
}

khum_code khum_store_area_names(khum_store *s, khum_arena *a, khum_area_name **rows,
                                size_t *n, khum_err *err)
{
    *n = 0;
    *rows = NULL;
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT code, name_latin, name_km, lat, lon,"
                                     " CASE WHEN unit_en <> '' THEN unit_en ELSE unit_latin END"
                                     " FROM area"
                                     " WHERE level < 4 ORDER BY code", &st, err);
    if (rc)
        return rc;
    khum_array v;
    khum_array_init(&v, sizeof **rows, a);
    bool ok = true;
    int r;
    while (ok && (r = db_step(st, err)) == DB_ROW) {
        khum_area_name *x = khum_array_push(&v);
        if (!(ok = x != NULL))
            break;
        x->code = store_dup(st, 0, a, &ok);
        x->name_latin = store_dup(st, 1, a, &ok);
        x->name_km = store_dup(st, 2, a, &ok);
        x->lat = db_col_null(st, 3) ? NAN : db_col_double(st, 3);
        x->lon = db_col_null(st, 4) ? NAN : db_col_double(st, 4);
        x->unit = store_dup(st, 5, a, &ok);
    }
    *rows = v.items;
    *n = ok ? v.n : 0;
    return store_list_end(st, r, ok, err);
}

khum_code khum_store_country(khum_store *s, char out[3], khum_err *err)
{
    out[0] = 0;
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT DISTINCT upper(substr(iso3166_2, 1, 2)) FROM area"
                                     " WHERE level = 1 AND iso3166_2 LIKE '__-%'", &st, err);
    if (rc)
        return rc;
    int r, rows = 0;
    while ((r = db_step(st, err)) == DB_ROW)
        if (rows++ == 0)
            snprintf(out, 3, "%s", db_col_text(st, 0));
    if (rows != 1)
        out[0] = 0;  /* none, or provinces of several countries: no one name */
    return store_list_end(st, r, true, err);
}

khum_code khum_store_all_explanations(khum_store *s, const char *election, khum_arena *a,
                                      khum_explanation_row **rows, size_t *n, khum_err *err)
{
    *n = 0;
    *rows = NULL;
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "SELECT x.station, x.code, x.text FROM form_explanation x WHERE x.election = ?1"
        " AND x.version = (SELECT max(version) FROM form_version v WHERE v.election ="
        " x.election AND v.station = x.station AND v.state IN (?2, ?3))"
        " ORDER BY x.station, x.code", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, election);
    store_bind_result_states(st, 2);
    khum_array v;
    khum_array_init(&v, sizeof **rows, a);
    bool ok = true;
    int r;
    while (ok && (r = db_step(st, err)) == DB_ROW) {
        khum_explanation_row *x = khum_array_push(&v);
        if ((ok = x != NULL)) {
            x->station = store_dup(st, 0, a, &ok);
            x->code = store_dup(st, 1, a, &ok);
            x->text = store_dup(st, 2, a, &ok);
        }
    }
    *rows = v.items;
    *n = ok ? v.n : 0;
    return store_list_end(st, r, ok, err);
}
