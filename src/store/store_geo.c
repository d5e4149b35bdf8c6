/*
 * store_geo.c: persisting and querying the geography, population, council
 * sizes, parties and the import log. Parents are checked with a lookup before
 * each insert so that a missing parent is reported as the input's fault
 * (GEO.204 at file:line), not as a bare foreign-key failure; a unit's parent
 * is the code its file named (a later import may move it), never a prefix.
 */
#include "store_impl.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "khum/str.h"

void store_now(char buf[32])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static khum_code search_key(const khum_unit *u, khum_buf *key)
{
    khum_buf f;
    khum_buf_init(&f);
    khum_buf_reset(key);
    khum_utf8_fold_latin(&f, u->name_latin, strlen(u->name_latin));
    khum_buf_append(key, f.data ? f.data : "", f.len);
    khum_buf_putc(key, '\x1f');
    khum_utf8_fold_latin(&f, u->name_ungegn, strlen(u->name_ungegn));
    khum_buf_append(key, f.data ? f.data : "", f.len);
    khum_buf_putc(key, '\x1f');
    khum_buf_puts(key, u->name_km);
    khum_buf_free(&f);
    return key->failed ? KHUM_ERR_NOMEM : KHUM_OK;
}

/* Whether sql (one text parameter, and an integer one when level > 0)
 * finds a row. */
static khum_code row_exists(khum_store *s, const char *sql, const char *code, int level,
                            bool *exists, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db, sql, &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, code);
    if (level > 0)
        db_bind_int(st, 2, level);
    int r = db_step(st, err);
    db_finalize(st);
    if (r == DB_ERROR)
        return KHUM_ERR_STORE;
    *exists = (r == DB_ROW);
    return KHUM_OK;
}

khum_code khum_store_area_exists(khum_store *s, khum_level l, const char *code,
                                 bool *exists, khum_err *err)
{
    return row_exists(s, "SELECT 1 FROM area WHERE code = ? AND level = ?", code, (int)l,
                      exists, err);
}

khum_code khum_store_station_exists(khum_store *s, const char *code, bool *exists,
                                    khum_err *err)
{
    return row_exists(s, "SELECT 1 FROM station WHERE code = ? LIMIT 1", code, 0, exists, err);
}

static int64_t count_rows(khum_store *s, const char *sql, khum_err *err)
{
    db_stmt *st;
    if (db_prepare(s->db, sql, &st, err))
        return -1;
    int64_t n = db_step(st, err) == DB_ROW ? db_col_int(st, 0) : -1;
    db_finalize(st);
    return n;
}

static const char *const upsert_area_sql =
    "INSERT INTO area (code, level, parent, name_km, name_latin, name_ungegn, unit_km,"
    " unit_latin, unit_en, iso3166_2, lat, lon, search_key)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (code) DO UPDATE SET"
    "  name_km = excluded.name_km, name_latin = excluded.name_latin,"
    "  name_ungegn = CASE WHEN excluded.name_ungegn = '' THEN area.name_ungegn"
    "                ELSE excluded.name_ungegn END,"
    "  unit_km = CASE WHEN excluded.unit_km = '' THEN area.unit_km ELSE excluded.unit_km END,"
    "  unit_latin = CASE WHEN excluded.unit_latin = '' THEN area.unit_latin"
    "               ELSE excluded.unit_latin END,"
    "  unit_en = CASE WHEN excluded.unit_en = '' THEN area.unit_en ELSE excluded.unit_en END,"
    "  iso3166_2 = CASE WHEN excluded.iso3166_2 = '' THEN area.iso3166_2"
    "              ELSE excluded.iso3166_2 END,"
    "  lat = COALESCE(excluded.lat, area.lat), lon = COALESCE(excluded.lon, area.lon),"
    "  search_key = excluded.search_key, parent = excluded.parent"
    " WHERE area.name_km IS DISTINCT FROM excluded.name_km OR area.name_latin IS DISTINCT FROM excluded.name_latin"
    "  OR area.parent IS DISTINCT FROM excluded.parent"
    "  OR (excluded.name_ungegn <> '' AND area.name_ungegn IS DISTINCT FROM excluded.name_ungegn)"
    "  OR (excluded.unit_km <> '' AND area.unit_km IS DISTINCT FROM excluded.unit_km)"
    "  OR (excluded.lat IS NOT NULL AND (area.lat IS DISTINCT FROM excluded.lat"
    "      OR area.lon IS DISTINCT FROM excluded.lon))";

/* The level of the area with this code in the database, 0 when none. */
static khum_code stored_level(db_stmt *level_of, const char *code, int *level, khum_err *err)
{
    db_reset(level_of);
    db_bind_text(level_of, 1, code);
    int r = db_step(level_of, err);
    if (r == DB_ERROR)
        return KHUM_ERR_STORE;
    *level = r == DB_ROW ? (int)db_col_int(level_of, 0) : 0;
    return KHUM_OK;
}

static khum_code unit_refused(khum_err *err, const khum_unit *u, const char *rule,
                              const char *fmt, const char *a, const char *b)
{
    khum_err_set(err, KHUM_ERR_INPUT, rule, fmt, khum_level_name(u->level), u->code, a, b);
    khum_err_at(err, u->source, u->line, 1, "code");
    return KHUM_ERR_INPUT;
}

/* A unit keeps its level for good (the area table keys it by code alone),
 * and its parent must be in the database already at a level above it (the
 * level its file named, when it named one). */
static khum_code check_stored(db_stmt *level_of, const khum_unit *u, khum_err *err)
{
    int own, parent;
    khum_code rc = stored_level(level_of, u->code, &own, err);
    if (rc)
        return rc;
    if (own && own != (int)u->level)
        return unit_refused(err, u, "GEO.203", "%s code %s is already the code of a %s in "
                            "the database%s: a code names one unit at one level",
                            khum_level_name((khum_level)own), "");
    if (u->level == KHUM_PROVINCE)
        return KHUM_OK;
    if ((rc = stored_level(level_of, u->parent, &parent, err)))
        return rc;
    khum_level want = u->parent_level ? u->parent_level : (khum_level)(u->level - 1);
    if (!parent)
        return unit_refused(err, u, "GEO.204", "%s %s belongs to %s %s, which is neither in "
                            "this input nor in the database", khum_level_name(want), u->parent);
    if (parent >= (int)u->level || (u->parent_level && parent != (int)u->parent_level))
        return unit_refused(err, u, "GEO.213", "%s %s belongs to %s, which is a %s in the "
                            "database: a unit's parent is at a level above it (no cycle)",
                            u->parent, khum_level_name((khum_level)parent));
    return KHUM_OK;
}

static khum_code put_unit(khum_store *s, db_stmt *ins, db_stmt *level_of, const khum_unit *u,
                          khum_buf *key, bool *changed, khum_err *err)
{
    khum_code rc = check_stored(level_of, u, err);
    if (rc)
        return rc;
    if (search_key(u, key))
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    db_reset(ins);
    db_bind_text(ins, 1, u->code);
    db_bind_int(ins, 2, u->level);
    db_bind_text(ins, 3, u->level == KHUM_PROVINCE ? NULL : u->parent);
    db_bind_text(ins, 4, u->name_km);
    db_bind_text(ins, 5, u->name_latin);
    db_bind_text(ins, 6, u->name_ungegn ? u->name_ungegn : "");
    db_bind_text(ins, 7, u->unit_km ? u->unit_km : "");
    db_bind_text(ins, 8, u->unit_latin ? u->unit_latin : "");
    db_bind_text(ins, 9, u->unit_en ? u->unit_en : "");
    db_bind_text(ins, 10, u->iso3166_2 ? u->iso3166_2 : "");
    if (u->has_centroid) {
        db_bind_double(ins, 11, u->lat);
        db_bind_double(ins, 12, u->lon);
    }
    db_bind_text(ins, 13, key->data);
    if (db_step(ins, err) == DB_ERROR) {
        khum_err_at(err, u->source, u->line, 0, NULL);
        return err->code;
    }
    *changed = db_changes(s->db) > 0;
    return KHUM_OK;
}

khum_code khum_store_put_units(khum_store *s, const khum_unit *units, size_t n,
                               khum_upsert_stats *st, khum_err *err)
{
    memset(st, 0, sizeof *st);
    int64_t before = count_rows(s, "SELECT count(*) FROM area", err);
    if (before < 0)
        return KHUM_ERR_STORE;
    db_stmt *ins = NULL, *parent = NULL;
    khum_code rc;
    if ((rc = db_prepare(s->db, upsert_area_sql, &ins, err)) ||
        (rc = db_prepare(s->db, "SELECT level FROM area WHERE code = ?", &parent, err)))
        goto done;
    khum_buf key;
    khum_buf_init(&key);
    size_t changed = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        bool ch = false;
        rc = put_unit(s, ins, parent, &units[i], &key, &ch, err);
        changed += ch;
    }
    khum_buf_free(&key);
    if (rc)
        goto done;
    int64_t after = count_rows(s, "SELECT count(*) FROM area", err);
    if (after < 0) {
        rc = KHUM_ERR_STORE;
        goto done;
    }
    st->inserted = (size_t)(after - before);
    st->updated = changed - st->inserted;
    st->unchanged = n - changed;
done:
    db_finalize(ins);
    db_finalize(parent);
    return rc;
}

khum_code khum_store_load_gazetteer(khum_store *s, const char *prefix,
                                    khum_gazetteer *g, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "SELECT code, level, coalesce(parent, ''), name_km, name_latin, name_ungegn,"
        " unit_km, unit_latin, unit_en, iso3166_2, lat, lon FROM area"
        " WHERE substr(code, 1, length(?1)) = ?1 ORDER BY level, code", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, prefix);
    int r;
    while ((r = db_step(st, err)) == DB_ROW) {
        khum_arena *a = &g->arena;
        khum_unit u = {
            .level = (khum_level)db_col_int(st, 1),
            .code = khum_arena_strdup(a, db_col_text(st, 0)),
            .parent = khum_arena_strdup(a, db_col_text(st, 2)),
            .name_km = khum_arena_strdup(a, db_col_text(st, 3)),
            .name_latin = khum_arena_strdup(a, db_col_text(st, 4)),
            .name_ungegn = khum_arena_strdup(a, db_col_text(st, 5)),
            .unit_km = khum_arena_strdup(a, db_col_text(st, 6)),
            .unit_latin = khum_arena_strdup(a, db_col_text(st, 7)),
            .unit_en = khum_arena_strdup(a, db_col_text(st, 8)),
            .iso3166_2 = khum_arena_strdup(a, db_col_text(st, 9)),
            .has_centroid = !db_col_null(st, 10),
            .lat = db_col_double(st, 10),
            .lon = db_col_double(st, 11),
            .source = "database",
            .line = -1,
        };
        if (!u.code || !u.parent || !u.name_km || !u.name_latin || !u.name_ungegn ||
            !u.unit_km || !u.unit_latin || !u.unit_en || !u.iso3166_2) {
            db_finalize(st);
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
        }
        if ((rc = khum_gazetteer_add(g, &u, err))) {
            db_finalize(st);
            return rc;
        }
    }
    db_finalize(st);
    return r == DB_ERROR ? KHUM_ERR_STORE : KHUM_OK;
}

khum_code khum_store_put_population(khum_store *s, int year, const khum_population *rows,
                                    size_t n, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "INSERT INTO population (commune, year, total, adults) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (commune, year) DO UPDATE SET total = excluded.total,"
        " adults = excluded.adults", &st, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        db_reset(st);
        db_bind_text(st, 1, rows[i].commune);
        db_bind_int(st, 2, year);
        db_bind_int(st, 3, rows[i].total);
        if (rows[i].adults >= 0)
            db_bind_int(st, 4, rows[i].adults);
        if (db_step(st, err) == DB_ERROR) {
            khum_err_at(err, NULL, rows[i].line, 0, NULL);
            db_finalize(st);
            return err->code;
        }
    }
    db_finalize(st);
    return KHUM_OK;
}

khum_code khum_store_put_council_sizes(khum_store *s, const khum_council_size *rows,
                                       size_t n, const char *source, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "INSERT INTO council_size (commune, mandate, seats) VALUES (?, ?, ?)"
        " ON CONFLICT (commune, mandate) DO UPDATE SET seats = excluded.seats", &st, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        bool exists;
        if ((rc = khum_store_area_exists(s, KHUM_COMMUNE, rows[i].commune, &exists, err)))
            break;
        if (!exists) {
            rc = khum_err_set(err, KHUM_ERR_INPUT, "SEAT.404",
                              "commune %s is not in the gazetteer (import it first)",
                              rows[i].commune);
            khum_err_at(err, source, rows[i].line, 1, "commune");
            break;
        }
        db_reset(st);
        db_bind_text(st, 1, rows[i].commune);
        db_bind_int(st, 2, rows[i].mandate);
        db_bind_int(st, 3, rows[i].seats);
        if (db_step(st, err) == DB_ERROR)
            rc = err->code;
    }
    db_finalize(st);
    return rc;
}

khum_code khum_store_put_parties(khum_store *s, const khum_party *rows, size_t n,
                                 khum_upsert_stats *st, khum_err *err)
{
    memset(st, 0, sizeof *st);
    db_stmt *ins;
    int64_t before = count_rows(s, "SELECT count(*) FROM party", err);
    if (before < 0)
        return KHUM_ERR_STORE;
    khum_code rc = db_prepare(s->db,
        "INSERT INTO party (id, abbr, name_km, name_en, colour, registered, dissolved)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
        " abbr = excluded.abbr, name_km = excluded.name_km, name_en = excluded.name_en,"
        " colour = excluded.colour, registered = excluded.registered,"
        " dissolved = excluded.dissolved"
        " WHERE party.abbr IS DISTINCT FROM excluded.abbr OR party.name_km IS DISTINCT FROM excluded.name_km"
        " OR party.name_en IS DISTINCT FROM excluded.name_en OR party.colour IS DISTINCT FROM excluded.colour"
        " OR party.registered IS DISTINCT FROM excluded.registered"
        " OR party.dissolved IS DISTINCT FROM excluded.dissolved", &ins, err);
    if (rc)
        return rc;
    size_t changed = 0;
    for (size_t i = 0; i < n; i++) {
        const khum_party *p = &rows[i];
        db_reset(ins);
        db_bind_text(ins, 1, p->id);
        db_bind_text(ins, 2, p->abbr);
        db_bind_text(ins, 3, p->name_km);
        db_bind_text(ins, 4, p->name_en);
        db_bind_text(ins, 5, p->colour);
        db_bind_text(ins, 6, *p->registered ? p->registered : NULL);
        db_bind_text(ins, 7, *p->dissolved ? p->dissolved : NULL);
        if (db_step(ins, err) == DB_ERROR) {
            khum_err_at(err, NULL, p->line, 0, NULL);
            db_finalize(ins);
            return err->code;
        }
        changed += db_changes(s->db) > 0;
    }
    db_finalize(ins);
    int64_t after = count_rows(s, "SELECT count(*) FROM party", err);
    if (after < 0)
        return KHUM_ERR_STORE;
    st->inserted = (size_t)(after - before);
    st->updated = changed - st->inserted;
    st->unchanged = n - changed;
    return KHUM_OK;
}

khum_code khum_store_list_parties(khum_store *s, khum_arena *a, khum_party **rows,
                                  size_t *n, khum_err *err)
{
    *n = 0;
    *rows = NULL;
    int64_t count = count_rows(s, "SELECT count(*) FROM party", err);
    if (count < 0)
        return KHUM_ERR_STORE;
    khum_party *v = khum_arena_calloc(a, (size_t)count + 1, sizeof *v);
    db_stmt *st;
    if (!v)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    khum_code rc = db_prepare(s->db,
        "SELECT id, abbr, name_km, name_en, colour, coalesce(registered, ''),"
        " coalesce(dissolved, '') FROM party ORDER BY id", &st, err);
    if (rc)
        return rc;
    int r;
    while (*n < (size_t)count && (r = db_step(st, err)) == DB_ROW) {
        khum_party *p = &v[(*n)++];
        p->id = khum_arena_strdup(a, db_col_text(st, 0));
        p->abbr = khum_arena_strdup(a, db_col_text(st, 1));
        p->name_km = khum_arena_strdup(a, db_col_text(st, 2));
        p->name_en = khum_arena_strdup(a, db_col_text(st, 3));
        p->colour = khum_arena_strdup(a, db_col_text(st, 4));
        p->registered = khum_arena_strdup(a, db_col_text(st, 5));
        p->dissolved = khum_arena_strdup(a, db_col_text(st, 6));
    }
    db_finalize(st);
    *rows = v;
    return KHUM_OK;
}

khum_code khum_store_put_import_log(khum_store *s, const char *kind, const char *source,
                                    const char *sha256_hex, int64_t rows, khum_err *err)
{
    char when[32];
    store_now(when);
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "INSERT INTO import_log (kind, source, sha256, rows, imported_at)"
        " VALUES (?, ?, ?, ?, ?)", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, kind);
    db_bind_text(st, 2, source);
    db_bind_text(st, 3, sha256_hex);
    db_bind_int(st, 4, rows);
    db_bind_text(st, 5, when);
    return store_run(st, err);
}
