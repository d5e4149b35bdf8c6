/*
 * test_store.c: the SQLite store: migrations from an empty file, refusing a
 * newer schema, transactions that leave nothing behind on error, upserts that
 * report what changed, and finding units by code and by name.
 */
#include "testutil.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include "khum/app.h"
#include "khum/app_import.h"
#include "khum/hash.h"
#include "khum/store.h"
#include "store/store_impl.h"

typedef struct fixture {
    char path[256];
    char pgname[64];      /* the PostgreSQL database made for this test, "" for SQLite */
    khum_store *s;
} fixture;

/* KHUM_TEST_BACKEND=postgresql: every test that is not about SQLite itself
 * runs on a new PostgreSQL database made from KHUM_TEST_PG. */
static bool on_pg(void)
{
    const char *b = getenv("KHUM_TEST_BACKEND");
    return b && strcmp(b, "postgresql") == 0;
}

static int pg_admin(const char *sql)
{
    const char *uri = getenv("KHUM_TEST_PG");
    PGconn *c = uri ? PQconnectdb(uri) : NULL;
    int ok = c && PQstatus(c) == CONNECTION_OK;
    if (ok) {
        PGresult *r = PQexec(c, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok)
            fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
        PQclear(r);
    }
    PQfinish(c);
    return ok ? 0 : -1;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (on_pg()) {
        static int serial;
        char sql[128];
        snprintf(f->pgname, sizeof f->pgname, "unit_store_%d_%d", (int)getpid(), serial++);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->pgname);
        const char *uri = getenv("KHUM_TEST_PG");
        if (!uri || pg_admin(sql))
            return -1;
        snprintf(f->path, sizeof f->path, "%.*s/%s", (int)(strrchr(uri, '/') - uri), uri,
                 f->pgname);
        khum_err err;
        if (khum_store_open(f->path, &f->s, &err))
            return -1;
        *state = f;
        return 0;
    }
    snprintf(f->path, sizeof f->path, "/tmp/khum-test-store-XXXXXX");
    int fd = mkstemp(f->path);
    if (fd < 0)
        return -1;
    close(fd);
    unlink(f->path);  /* start from no file at all */
    khum_err err;
    if (khum_store_open(f->path, &f->s, &err))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    khum_store_close(f->s);
    if (*f->pgname) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", f->pgname);
        pg_admin(sql);
        free(f);
        return 0;
    }
    char side[300];
    unlink(f->path);
    snprintf(side, sizeof side, "%s-wal", f->path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", f->path);
    unlink(side);
    free(f);
    return 0;
}

static khum_unit unit(khum_level l, const char *code, const char *latin, long line)
{
    static char parents[16][9];
    static int next;
    char *p = parents[next++ % 16];
    snprintf(p, 9, "%.*s", (int)(khum_level_code_len(l) - 2), code);
    khum_unit u = {.level = l, .code = code, .parent = p, .name_km = "ក",
                   .name_latin = latin, .name_ungegn = "", .unit_km = "", .unit_latin = "",
                   .unit_en = "", .iso3166_2 = "", .source = "g.csv", .line = line};
    return u;
}

static void test_migrations(void **state)
{
    fixture *f = *state;
    assert_int_equal(khum_store_schema_version(f->s), khum_store_schema_latest());
    assert_true(khum_store_schema_latest() >= 1);
    khum_geo_counts c;
    khum_err err;
    assert_int_equal(khum_store_geo_counts(f->s, &c, &err), KHUM_OK);
    assert_int_equal(c.communes, 0);
    /* Opening again applies nothing and keeps the version. */
    khum_store *again;
    assert_int_equal(khum_store_open(f->path, &again, &err), KHUM_OK);
    assert_int_equal(khum_store_schema_version(again), khum_store_schema_latest());
    khum_store_close(again);
}

static void test_newer_schema_refused(void **state)
{
    if (on_pg())
        skip();  /* about SQLite files themselves */
    fixture *f = *state;
    sqlite3 *h;
    assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    khum_store *s;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_store_open(f->path, &s, &err), KHUM_ERR_STORE);
    assert_string_equal(err.rule, "DB.906");
    assert_null(s);
}

extern const char *const khum_schema_migrations[];

/* A database at schema 4 (votes in form_entry_votes rows) is migrated to 5
 * (votes as JSON in the entry row) with every vote kept. */
static void test_votes_migration(void **state)
{
    if (on_pg())
        skip();  /* about SQLite files themselves */
    fixture *f = *state;
    khum_store_close(f->s);
    f->s = NULL;
    unlink(f->path);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(sqlite3_exec(h, khum_schema_migrations[i], NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h,
        "PRAGMA user_version = 4;"
        "INSERT INTO form_entry VALUES (7, 'e', '010201-01', 1, 1, 'ann', 't',"
        " 500, 510, 400, 2, 108, 390, 10);"
        "INSERT INTO form_entry VALUES (8, 'e', '010201-02', 1, 1, 'ann', 't',"
        " 1, 1, 0, 0, 1, 0, 0);"
        "INSERT INTO form_entry_votes VALUES (7, 'FCP', 40), (7, 'CPP', 200), (7, 'CNRP', 150);",
        NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_store_open(f->path, &f->s, &err), KHUM_OK);
    assert_int_equal(khum_store_schema_version(f->s), khum_store_schema_latest());
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_form form;
    assert_int_equal(khum_store_load_entry(f->s, 7, &a, &form, &err), KHUM_OK);
    assert_int_equal(form.n, 3);
    assert_string_equal(form.party[0], "CNRP");   /* sorted by list, as before */
    assert_int_equal(form.votes[0], 150);
    assert_string_equal(form.party[2], "FCP");
    assert_int_equal(form.votes[2], 40);
    assert_int_equal(form.valid, 390);
    assert_int_equal(khum_store_load_entry(f->s, 8, &a, &form, &err), KHUM_OK);
    assert_int_equal(form.n, 0);                  /* an entry without votes: {} */
    khum_arena_free(&a);
}

/* Votes JSON: sorted keys, escapes written and read back (the slow path). */
static void test_votes_json(void **state)
{
    const char *party[] = {"Z\"Q", "A", "M\\N"};
    int64_t votes[] = {3, 1, 2};
    khum_form f = {.station = "s", .n = 3, .party = party, .votes = votes};
    khum_buf b;
    khum_buf_init(&b);
    store_votes_json(&f, &b);
    assert_string_equal(b.data, "{\"A\":1,\"M\\\\N\":2,\"Z\\\"Q\":3}");
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_form g = {0};
    assert_int_equal(store_votes_parse(b.data, &a, &g), KHUM_OK);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.party[1], "M\\N");
    assert_string_equal(g.party[2], "Z\"Q");
    assert_int_equal(g.votes[2], 3);
    assert_int_equal(store_votes_parse("{ \"A\" : 5 }", &a, &g), KHUM_OK);  /* spaces: jansson */
    assert_int_equal(g.votes[0], 5);
    assert_int_equal(store_votes_parse("[1]", &a, &g), KHUM_ERR_INPUT);
    assert_int_equal(store_votes_parse("{\"A\":\"x\"}", &a, &g), KHUM_ERR_INPUT);
    khum_arena_set_limit(&a, a.used_total + 16);  /* room for the arrays, not the names */
    assert_int_equal(store_votes_parse("{\"A\":1,\"B\":2}", &a, &g), KHUM_ERR_NOMEM);
    khum_buf_free(&b);
    khum_arena_free(&a);
}

/* The store's own failures: an entry that does not exist (CNT.810), a row
 * that breaks a constraint (DB.903), a statement that fails (DB.901), a
 * file that cannot be read to the end (IO.802). */
static void test_store_failures(void **state)
{
    fixture *f = *state;
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_form form;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_store_load_entry(f->s, 999999, &a, &form, &err), KHUM_ERR_NOTFOUND);
    assert_string_equal(err.rule, "CNT.810");
    khum_ledger_event ev = {.date = "2022-07-01", .type = KHUM_EV_RESIGN, .commune = "010201",
                            .person = "p"};
    int64_t id;
    assert_int_equal(khum_store_begin(f->s, &err), KHUM_OK);
    khum_err_clear(&err);
    assert_int_equal(khum_store_add_ledger_event(f->s, "no-such-election", &ev, "u", &id, &err),
                     KHUM_ERR_CONFLICT);  /* the election's foreign key */
    assert_string_equal(err.rule, "DB.903");
    khum_store_rollback(f->s);
    char hex[KHUM_SHA256_HEX];
    khum_err_clear(&err);
    assert_int_equal(khum_sha256_file("/tmp", hex, &err), KHUM_ERR_IO);  /* a directory */
    assert_string_equal(err.rule, "IO.802");
    khum_arena_free(&a);
}

/* A statement that fails outright: a table gone behind the store's back. */
static void test_statement_failure(void **state)
{
    if (on_pg())
        skip();  /* drops a table with SQLite's own tool */
    fixture *f = *state;
    sqlite3 *h;
    assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "DROP TABLE party", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_party *rows;
    size_t n;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_store_list_parties(f->s, &a, &rows, &n, &err), KHUM_ERR_STORE);
    assert_string_equal(err.rule, "DB.901");
    khum_arena_free(&a);
}

/* PostgreSQL giving up one of two conflicting serializable transactions is
 * DB.910, a conflict (409 through the server): the client tries again. */
static void test_serialization_failure(void **state)
{
    if (!on_pg())
        skip();  /* a PostgreSQL error */
    fixture *f = *state;
    khum_store *b;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_store_open(f->path, &b, &err), KHUM_OK);
    db_conn *x = f->s->db, *y = b->db;
    assert_int_equal(db_exec(x, "CREATE TABLE ser (v INTEGER)", &err), KHUM_OK);
    /* Write skew: each reads what the other writes. */
    assert_int_equal(db_exec(x, "BEGIN ISOLATION LEVEL SERIALIZABLE;"
                                " SELECT count(*) FROM ser WHERE v = 2", &err), KHUM_OK);
    assert_int_equal(db_exec(y, "BEGIN ISOLATION LEVEL SERIALIZABLE;"
                                " SELECT count(*) FROM ser WHERE v = 1", &err), KHUM_OK);
    assert_int_equal(db_exec(x, "INSERT INTO ser VALUES (1)", &err), KHUM_OK);
    assert_int_equal(db_exec(y, "INSERT INTO ser VALUES (2)", &err), KHUM_OK);
    assert_int_equal(db_exec(x, "COMMIT", &err), KHUM_OK);
    khum_err_clear(&err);
    assert_int_equal(db_exec(y, "COMMIT", &err), KHUM_ERR_CONFLICT);
    assert_string_equal(err.rule, "DB.910");
    khum_store_close(b);
}

/* A copy whose target lost a row does not verify (DB.913). */
static void test_copy_verify(void **state)
{
    if (on_pg())
        skip();  /* both ends are SQLite files here; e2e db_copy.sh crosses backends */
    fixture *f = *state;
    khum_err err;
    khum_err_clear(&err);
    khum_party p = {.id = "ZZ", .abbr = "ZZ", .name_km = "", .name_en = "Z", .colour = "",
                    .registered = "", .dissolved = ""};
    khum_upsert_stats st;
    assert_int_equal(khum_store_begin(f->s, &err), KHUM_OK);
    assert_int_equal(khum_store_put_parties(f->s, &p, 1, &st, &err), KHUM_OK);
    assert_int_equal(khum_store_commit(f->s, &err), KHUM_OK);
    char other[320];
    snprintf(other, sizeof other, "%s-copy", f->path);
    unlink(other);
    khum_store *b;
    assert_int_equal(khum_store_open(other, &b, &err), KHUM_OK);
    khum_copy_stats cs;
    assert_int_equal(khum_store_copy(f->s, b, &cs, NULL, NULL, &err), KHUM_OK);
    khum_store_close(b);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(other, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "DELETE FROM party", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(khum_store_open(other, &b, &err), KHUM_OK);
    khum_err_clear(&err);
    assert_int_equal(khum_store_copy_verify(f->s, b, &cs, &err), KHUM_ERR_STORE);
    assert_string_equal(err.rule, "DB.913");
    khum_store_close(b);
    unlink(other);
}

static void test_missing_parent_rolls_back(void **state)
{
    fixture *f = *state;
    khum_unit units[] = {unit(KHUM_PROVINCE, "01", "One", 2),
                         unit(KHUM_DISTRICT, "0101", "D", 3),
                         unit(KHUM_DISTRICT, "0201", "Orphan", 4)};
    khum_err err;
    khum_err_clear(&err);
    khum_upsert_stats st;
    assert_int_equal(khum_store_begin(f->s, &err), KHUM_OK);
    assert_int_equal(khum_store_put_units(f->s, units, 3, &st, &err), KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "GEO.204");
    assert_int_equal(err.line, 4);
    assert_string_equal(err.file, "g.csv");
    khum_store_rollback(f->s);
    khum_geo_counts c;
    assert_int_equal(khum_store_geo_counts(f->s, &c, &err), KHUM_OK);
    assert_int_equal(c.provinces + c.districts, 0);  /* nothing of the import remains */
}

static void test_upsert_stats(void **state)
{
    fixture *f = *state;
    khum_unit units[] = {unit(KHUM_PROVINCE, "01", "One", 2),
                         unit(KHUM_DISTRICT, "0101", "D", 3),
                         unit(KHUM_COMMUNE, "010101", "Kâmpóng Cham", 4)};
    khum_err err;
    khum_upsert_stats st;
    assert_int_equal(khum_store_put_units(f->s, units, 3, &st, &err), KHUM_OK);
    assert_int_equal(st.inserted, 3);
    assert_int_equal(khum_store_put_units(f->s, units, 3, &st, &err), KHUM_OK);
    assert_int_equal(st.unchanged, 3);
    assert_int_equal(st.inserted + st.updated, 0);
    units[1].name_latin = "Renamed";
    assert_int_equal(khum_store_put_units(f->s, units, 3, &st, &err), KHUM_OK);
    assert_int_equal(st.updated, 1);

    khum_arena a;
    khum_arena_init(&a, 0);
    khum_area_info *r;
    size_t n;
    assert_int_equal(khum_store_find_areas(f->s, "KÂMPÓNG CHAM", 10, &a, &r, &n, &err), KHUM_OK);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].unit.code, "010101");
    assert_string_equal(r[0].parent_name, "Renamed");
    assert_string_equal(r[0].province_name, "One");
    assert_int_equal(khum_store_find_areas(f->s, "0101", 10, &a, &r, &n, &err), KHUM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].children, 1);
    assert_int_equal(khum_store_find_areas(f->s, "pong", 10, &a, &r, &n, &err), KHUM_OK);
    assert_int_equal(n, 0);  /* 'pong' is not in 'kâmpóng': accents are letters */
    assert_int_equal(khum_store_find_areas(f->s, "ក", 10, &a, &r, &n, &err), KHUM_OK);
    assert_int_equal(n, 3);  /* the Khmer name matches exactly at every level */
    assert_int_equal(r[0].unit.level, KHUM_PROVINCE);

    khum_council_size sizes[] = {{"010101", 5, 7, 2}, {"999999", 5, 9, 3}};
    assert_int_equal(khum_store_begin(f->s, &err), KHUM_OK);
    assert_int_equal(khum_store_put_council_sizes(f->s, sizes, 2, "s.csv", &err),
                     KHUM_ERR_INPUT);
    assert_string_equal(err.rule, "SEAT.404");
    assert_int_equal(err.line, 3);
    khum_store_rollback(f->s);
    assert_int_equal(khum_store_put_council_sizes(f->s, sizes, 1, "s.csv", &err), KHUM_OK);
    khum_population pop[] = {{"010101", "", 1234, 800, 2}};
    assert_int_equal(khum_store_put_population(f->s, 2011, pop, 1, &err), KHUM_OK);
    khum_geo_counts c;
    assert_int_equal(khum_store_geo_counts(f->s, &c, &err), KHUM_OK);
    assert_int_equal(c.communes_with_seats, 1);
    assert_int_equal(c.seats_total, 7);
    assert_int_equal(c.population_total, 1234);
    assert_int_equal(c.population_year, 2011);
    assert_int_equal(khum_store_find_areas(f->s, "010101", 10, &a, &r, &n, &err), KHUM_OK);
    assert_int_equal(r[0].seats, 7);
    assert_int_equal(r[0].population, 1234);
    khum_arena_free(&a);
}

static void test_parties_round_trip(void **state)
{
    fixture *f = *state;
    khum_party p[] = {{"CPP", "CPP", "គណបក្សប្រជាជនកម្ពុជា", "Cambodian People's Party",
                       "#1f4e9c", "", "", 2},
                      {"CNRP", "CNRP", "", "Cambodia National Rescue Party", "", "",
                       "2017-11-16", 3}};
    khum_err err;
    khum_upsert_stats st;
    assert_int_equal(khum_store_put_parties(f->s, p, 2, &st, &err), KHUM_OK);
    assert_int_equal(st.inserted, 2);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_party *out;
    size_t n;
    assert_int_equal(khum_store_list_parties(f->s, &a, &out, &n, &err), KHUM_OK);
    assert_int_equal(n, 2);
    assert_string_equal(out[0].id, "CNRP");  /* ordered by id */
    assert_string_equal(out[0].dissolved, "2017-11-16");
    assert_string_equal(out[1].name_km, "គណបក្សប្រជាជនកម្ពុជា");
    khum_arena_free(&a);
}

/* Who may write (khum_app_authorize, the check of the CLI and the server),
 * bootstrapping the first administrator, and scopes held to the gazetteer. */
static void test_users_authorize(void **state)
{
    fixture *f = *state;
    khum_err err;
    const char *pw = "correct-horse-9";
    assert_int_equal(khum_app_user_bootstrap(f->s, NULL, "ann", "clerk", "", pw, &err),
                     KHUM_ERR_AUTH);
    assert_string_equal(err.rule, "AUTH.518");
    assert_int_equal(khum_app_user_bootstrap(f->s, NULL, "nec", "admin", "", pw, &err),
                     KHUM_OK);
    assert_int_equal(khum_app_user_bootstrap(f->s, NULL, "eve", "admin", "", pw, &err),
                     KHUM_ERR_AUTH);
    assert_string_equal(err.rule, "AUTH.517");
    /* No gazetteer yet: no scope names a place. */
    assert_int_equal(khum_app_user_add(f->s, "nec", "col", "coordinator", "01", pw, &err),
                     KHUM_ERR_USAGE);
    assert_string_equal(err.rule, "AUTH.516");
    khum_unit units[] = {unit(KHUM_PROVINCE, "01", "One", 2),
                         unit(KHUM_DISTRICT, "0101", "D", 3),
                         unit(KHUM_COMMUNE, "010101", "C", 4)};
    khum_upsert_stats st;
    assert_int_equal(khum_store_put_units(f->s, units, 3, &st, &err), KHUM_OK);
    assert_int_equal(khum_app_user_add(f->s, "nec", "col", "coordinator", "99", pw, &err),
                     KHUM_ERR_USAGE);
    assert_int_equal(khum_app_user_add(f->s, "nec", "col", "coordinator", "0101;010102-01",
                                       pw, &err), KHUM_ERR_USAGE);
    assert_string_equal(err.rule, "AUTH.516");
    assert_int_equal(khum_app_user_add(f->s, "nec", "col", "coordinator", "0101;010101-01",
                                       pw, &err), KHUM_OK);
    assert_int_equal(khum_app_user_add(f->s, "nec", "obs", "observer", "", pw, &err), KHUM_OK);
    assert_int_equal(khum_app_user_change(f->s, "nec", "col", NULL, "98", NULL, -1, &err),
                     KHUM_ERR_USAGE);
    assert_string_equal(err.rule, "AUTH.516");
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_user *u;
    size_t n;
    assert_int_equal(khum_store_list_users(f->s, &a, &u, &n, &err), KHUM_OK);
    assert_int_equal(n, 3);   /* nec, col, obs: every refusal wrote nothing */
    khum_arena_free(&a);

    assert_int_equal(khum_app_authorize(f->s, "col", KHUM_DO_LEDGER, "010101", &err), KHUM_OK);
    assert_int_equal(khum_app_authorize(f->s, "col", KHUM_DO_LEDGER, "020101", &err),
                     KHUM_ERR_AUTH);
    assert_string_equal(err.rule, "AUTH.504");
    assert_int_equal(khum_app_authorize(f->s, "col", KHUM_DO_IMPORT, "", &err), KHUM_ERR_AUTH);
    assert_string_equal(err.rule, "AUTH.503");
    assert_int_equal(khum_app_authorize(f->s, "obs", KHUM_DO_LEDGER, "010101", &err),
                     KHUM_ERR_AUTH);
    assert_string_equal(err.rule, "AUTH.503");
    assert_int_equal(khum_app_authorize(f->s, "journalist1", KHUM_DO_LEDGER, "010101", &err),
                     KHUM_ERR_AUTH);
    assert_string_equal(err.rule, "AUTH.514");
    assert_int_equal(khum_app_authorize(f->s, "nec", KHUM_DO_USERS, "", &err), KHUM_OK);
    assert_int_equal(khum_app_user_change(f->s, "nec", "col", NULL, NULL, NULL, 1, &err),
                     KHUM_OK);
    assert_int_equal(khum_app_authorize(f->s, "col", KHUM_DO_LEDGER, "010101", &err),
                     KHUM_ERR_AUTH);
    assert_string_equal(err.rule, "AUTH.515");
}

/* ---- making results official against a correction (issue 14) ----------- */

/* The mini election of tests/data in the store, its three forms imported. */
static void load_mini(khum_store *s, khum_election *e)
{
    const char *data = getenv("KHUM_TESTDATA");
    assert_non_null(data);
    char path[512];
    khum_err err;
    khum_err_clear(&err);
    khum_gazetteer g;
    khum_gazetteer_init(&g);
    static const char *const pumi[] = {"provinces", "districts", "communes", "villages"};
    for (int l = 0; l < 4; l++) {
        snprintf(path, sizeof path, "%s/mini-gazetteer/%s.csv", data, pumi[l]);
        khum_csv *c;
        assert_int_equal(khum_csv_open_path(path, &c, &err), KHUM_OK);
        assert_int_equal(khum_gazetteer_read_pumi(&g, (khum_level)(l + 1), c, &err), KHUM_OK);
        khum_csv_close(c);
    }
    assert_int_equal(khum_gazetteer_check(&g, &err), KHUM_OK);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_party *parties;
    size_t np;
    khum_csv *c;
    snprintf(path, sizeof path, "%s/../../data/parties/kh.csv", data);
    assert_int_equal(khum_csv_open_path(path, &c, &err), KHUM_OK);
    assert_int_equal(khum_parties_read(c, &a, &parties, &np, &err), KHUM_OK);
    khum_csv_close(c);
    khum_upsert_stats st;
    assert_int_equal(khum_store_begin(s, &err), KHUM_OK);
    assert_int_equal(khum_store_put_units(s, g.units, g.n, &st, &err), KHUM_OK);
    assert_int_equal(khum_store_put_parties(s, parties, np, &st, &err), KHUM_OK);
    assert_int_equal(khum_store_commit(s, &err), KHUM_OK);
    free(parties);  /* the reader's array; the strings are in a */
    khum_gazetteer_free(&g);
    static const char *const names[] = {"election", "communes", "lists", "stations"};
    khum_csv *f[4];
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/mini-election/%s.csv", data, names[i]);
        assert_int_equal(khum_csv_open_path(path, &f[i], &err), KHUM_OK);
    }
    khum_election_init(e);
    assert_int_equal(khum_election_read(e, f[0], f[1], f[2], f[3], &err), KHUM_OK);
    for (int i = 0; i < 4; i++)
        khum_csv_close(f[i]);
    bool existed;
    assert_int_equal(khum_app_import_election(s, NULL, e, NULL, 0, &existed, &err), KHUM_OK);
    snprintf(path, sizeof path, "%s/mini-election/results.csv", data);
    assert_int_equal(khum_csv_open_path(path, &c, &err), KHUM_OK);
    khum_form_reader *r;
    assert_int_equal(khum_form_reader_open(c, e, &a, &r, &err), KHUM_OK);
    khum_form forms[3];
    const char *expl;
    for (int i = 0; i < 3; i++)
        assert_int_equal(khum_form_reader_next(r, &forms[i], &expl, &err), 1);
    assert_int_equal(khum_app_import_forms(s, e, "test", forms, NULL, NULL, 3, &err), KHUM_OK);
    khum_csv_close(c);
    khum_arena_free(&a);
}

typedef struct race {
    khum_store *other;        /* a second connection: a coordinator correcting a form */
    const khum_election *e;
    int calls;
    khum_code met;            /* what the correction met inside the first operation */
} race;

/* Station 010201-01 corrected (a recount moved 10 votes) and keyed twice. */
static khum_code correct_station(khum_store *s, const khum_election *e, khum_err *err)
{
    const char *party[] = {"CNRP", "CPP", "FCP"};
    int64_t votes[] = {160, 190, 40};
    khum_form f = {.station = "010201-01", .registered = 500, .received = 510, .cast = 400,
                   .spoiled = 2, .unused = 108, .valid = 390, .invalid = 10, .n = 3,
                   .party = party, .votes = votes};
    int version;
    khum_entry_outcome o;
    khum_code rc = khum_app_correct(s, e, "coord", "010201-01", "recount", "NEC 12/2022",
                                    &version, err);
    if (!rc)
        rc = khum_app_enter(s, e, "clerk1", &f, &o, err);
    if (!rc)
        rc = khum_app_enter(s, e, "clerk2", &f, &o, err);
    return rc;
}

static void race_hook(void *ctx, const char *point)
{
    race *r = ctx;
    if (strcmp(point, "official.decided") != 0 || r->calls++)
        return;
    khum_err err;
    khum_err_clear(&err);
    r->met = correct_station(r->other, r->e, &err);
}

/* A correction committed between make-official's decision and its write:
 * whatever the timing, the record is one a serial order gives: either the
 * corrected form is still accepted and the stored totals await it (official
 * first), or it is official and the totals are its figures (correction
 * first); never an official form whose figures the official totals lack. */
static void test_official_against_correction(void **state)
{
    fixture *f = *state;
    khum_election e;
    load_mini(f->s, &e);
    khum_err err;
    khum_err_clear(&err);
    khum_diags problems = {0};
    size_t done;
    assert_int_equal(khum_app_make_official(f->s, &e, "nec", NULL, 0, &done, &problems, &err),
                     KHUM_OK);
    assert_int_equal(done, 2);
    race r = {.e = &e, .met = -1};
    assert_int_equal(khum_store_open(f->path, &r.other, &err), KHUM_OK);
    assert_int_equal(khum_store_set_lock_wait(r.other, 0, &err), KHUM_OK);
    khum_store_set_hook(f->s, race_hook, &r);
    const char *commune[] = {"010201"};
    khum_code rc = khum_app_make_official(f->s, &e, "nec", commune, 1, &done, &problems, &err);
    khum_store_set_hook(f->s, NULL, NULL);
    assert_int_equal(r.calls, 1);
    if (r.met != KHUM_OK)  /* it waited for the lock: it comes after, as it would */
        assert_int_equal(correct_station(r.other, &e, &err), KHUM_OK);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_form_version v;
    assert_int_equal(khum_store_form_version(f->s, e.id, "010201-01", 0, &a, &v, &err),
                     KHUM_OK);
    assert_int_equal(v.version, 2);
    khum_diags d = {0};
    assert_int_equal(khum_app_reconcile(f->s, &e, &d, &err), KHUM_OK);
    if (v.state == KHUM_FS_OFFICIAL)
        assert_int_equal(d.n, 0);              /* correction, then official */
    else
        assert_int_equal(v.state, KHUM_FS_ACCEPTED);  /* official, then correction */
    assert_int_equal(rc, KHUM_OK);
    /* The lock makes the order official-then-correction here. */
    assert_int_not_equal(r.met, KHUM_OK);
    assert_int_equal(v.state, KHUM_FS_ACCEPTED);
    assert_true(d.n > 0);
    khum_diags_free(&d);
    khum_diags_free(&problems);
    khum_arena_free(&a);
    khum_store_close(r.other);
    khum_election_free(&e);
}

/* One election with a row in every list the store reads, so that each list
 * function has something to allocate for. */
static const char seed_sql[] =
    "INSERT INTO area (code, level, parent, name_km, name_latin, search_key) VALUES"
    " ('01', 1, NULL, 'ក', 'Banteay Meanchey', 'banteay meanchey'),"
    " ('0102', 2, '01', 'ក', 'Mongkol Borei', 'mongkol borei'),"
    " ('010202', 3, '0102', 'ក', 'Banteay Neang', 'banteay neang');"
    "INSERT INTO population (commune, year, total, adults) VALUES ('010202', 2019, 9000, 6000);"
    "INSERT INTO party (id, abbr, name_en) VALUES ('P', 'P', 'Party P');"
    "INSERT INTO election (id, poll_date, mandate, method, tie_rule, hash, created_at) VALUES"
    " ('E1', '2022-06-05', 5, 'largest-remainder', 'lot', 'h', '2022-06-06T00:00:00Z');"
    "INSERT INTO election_commune VALUES ('E1', '010202', 5);"
    "INSERT INTO election_list VALUES ('E1', '010202', 'P', 1);"
    "INSERT INTO person (id, name_latin) VALUES ('S1', 'Sok'), ('S2', 'Dara');"
    "INSERT INTO candidate VALUES ('E1', '010202', 'P', 1, 'S1'), ('E1', '010202', 'P', 2, 'S2');"
    "INSERT INTO station VALUES ('E1', '01020201', '010202', 100), ('E1', '01020202', '010202', 90);"
    "INSERT INTO form_entry (id, election, station, version, slot, entered_by, entered_at,"
    " registered, received, ballots_cast, spoiled, unused, valid, invalid, votes) VALUES"
    " (1, 'E1', '01020201', 1, 0, 'clerk', 't', 100, 80, 70, 0, 10, 68, 2, '{\"P\":68}');"
    "INSERT INTO form_version (election, station, version, state, accepted_entry, opened_by,"
    " opened_at) VALUES ('E1', '01020201', 1, 'accepted', 1, 'clerk', 't');"
    "INSERT INTO form_explanation VALUES"
    " ('E1', '01020201', 1, 'W.201', 'a', 'u', 't'), ('E1', '01020201', 1, 'W.202', 'b', 'u', 't'),"
    " ('E1', '01020201', 1, 'W.203', 'c', 'u', 't'), ('E1', '01020201', 1, 'W.204', 'd', 'u', 't'),"
    " ('E1', '01020201', 1, 'W.205', 'e', 'u', 't'), ('E1', '01020201', 1, 'W.206', 'f', 'u', 't'),"
    " ('E1', '01020201', 1, 'W.207', 'g', 'u', 't'), ('E1', '01020201', 1, 'W.208', 'h', 'u', 't'),"
    " ('E1', '01020201', 1, 'W.209', 'i', 'u', 't');"
    "INSERT INTO commune_lots VALUES ('E1', '010202', 'seed', 'u', 't');"
    "INSERT INTO commune_official VALUES ('E1', '010202', 'u', 't');"
    "INSERT INTO official_total VALUES ('E1', '010202', 'valid', 68), ('E1', '010202', 'P', 68);"
    "INSERT INTO ledger_event (id, election, effective_date, type, commune, person, reference,"
    " recorded_by, recorded_at) VALUES (1, 'E1', '2023-01-01', 'resign', '010202', 'S1', 'r',"
    " 'u', 't'), (2, 'E1', '2023-02-01', 'resign', '010202', 'S2', 'r', 'u', 't');";

enum { L_EXPLANATIONS, L_CURRENT, L_STATES, L_LOTS, L_TOTALS, L_OFFICIAL, L_CANDIDATES,
       L_LEDGER, L_FIND, L_ELECTIONS, L_POPULATION, L_NAMES, L_ALL_EXPLANATIONS, L_COUNT };

/* Calls list function `which`; *whole says whether every row read has all its
 * strings (a NULL string is memory lost without an error). */
static khum_code run_list(khum_store *s, int which, khum_arena *a, size_t *n, bool *whole,
                          khum_err *err)
{
    const char **c1 = NULL, **c2 = NULL;
    khum_form *forms = NULL;
    khum_form_state *states = NULL;
    khum_commune_lots *lots = NULL;
    khum_published_total *totals = NULL;
    khum_candidate_row *cand = NULL;
    khum_ledger_event *ev = NULL;
    khum_area_info *info = NULL;
    khum_election_row *el = NULL;
    khum_commune_pop *pop = NULL;
    khum_area_name *names = NULL;
    khum_explanation_row *ex = NULL;
    khum_code rc = KHUM_OK;
    *n = 0;
    switch (which) {
    case L_EXPLANATIONS: rc = khum_store_explanations(s, "E1", "01020201", 1, a, &c1, &c2, n, err); break;
    case L_CURRENT: rc = khum_store_current_forms(s, "E1", a, &forms, n, err); break;
    case L_STATES: rc = khum_store_form_states(s, "E1", a, &c1, &states, n, err); break;
    case L_LOTS: rc = khum_store_list_lots(s, "E1", a, &lots, n, err); break;
    case L_TOTALS: rc = khum_store_official_totals(s, "E1", a, &totals, n, err); break;
    case L_OFFICIAL: rc = khum_store_official_communes(s, "E1", a, &c1, n, err); break;
    case L_CANDIDATES: rc = khum_store_commune_candidates(s, "E1", "010202", a, &cand, n, err); break;
    case L_LEDGER: rc = khum_store_ledger_events(s, "E1", "010202", a, &ev, n, err); break;
    case L_FIND: rc = khum_store_find_areas(s, "banteay", 10, a, &info, n, err); break;
    case L_ELECTIONS: rc = khum_store_list_elections(s, a, &el, n, err); break;
    case L_POPULATION: rc = khum_store_commune_population(s, a, &pop, n, err); break;
    case L_NAMES: rc = khum_store_area_names(s, a, &names, n, err); break;
    case L_ALL_EXPLANATIONS: rc = khum_store_all_explanations(s, "E1", a, &ex, n, err); break;
    }
    *whole = true;
    for (size_t i = 0; !rc && i < *n; i++) {
        switch (which) {
        case L_EXPLANATIONS: *whole &= c1[i] && c2[i]; break;
        case L_CURRENT: *whole &= forms[i].station != NULL; break;
        case L_STATES: *whole &= c1[i] != NULL; break;
        case L_LOTS: *whole &= lots[i].commune && lots[i].seed; break;
        case L_TOTALS: *whole &= totals[i].area && totals[i].field; break;
        case L_OFFICIAL: *whole &= c1[i] != NULL; break;
        case L_CANDIDATES: *whole &= cand[i].party && cand[i].person && cand[i].name_latin &&
                                     cand[i].name_km && cand[i].sex; break;
        case L_LEDGER: *whole &= ev[i].date && ev[i].commune && ev[i].person &&
                                 ev[i].party && ev[i].to_party && ev[i].reference; break;
        case L_FIND: *whole &= info[i].unit.code && info[i].unit.name_latin; break;
        case L_ELECTIONS: *whole &= el[i].id && el[i].name && el[i].date && el[i].hash; break;
        case L_POPULATION: *whole &= pop[i].code != NULL; break;
        case L_NAMES: *whole &= names[i].code && names[i].name_latin && names[i].name_km; break;
        case L_ALL_EXPLANATIONS: *whole &= ex[i].station && ex[i].code && ex[i].text; break;
        }
    }
    return rc;
}

/* Every list function, given an arena that runs out at every point of its
 * work, either lists every row whole or says KHUM_ERR_NOMEM: never a shorter
 * list, an empty one or rows with strings missing, as a success. */
static void test_lists_report_out_of_memory(void **state)
{
    fixture *f = *state;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(db_exec(f->s->db, seed_sql, &err), KHUM_OK);
    static const size_t expect[L_COUNT] = {9, 1, 2, 1, 2, 1, 2, 2, 2, 1, 1, 3, 9};
    for (int which = 0; which < L_COUNT; which++) {
        khum_arena a;
        khum_arena_init(&a, 0);
        size_t n;
        bool whole;
        assert_int_equal(run_list(f->s, which, &a, &n, &whole, &err), KHUM_OK);
        if (n != expect[which] || !whole)
            fail_msg("list %d: %zu rows (expected %zu), whole %d", which, n, expect[which], whole);
        size_t need = a.used_total;
        khum_arena_free(&a);
        for (size_t limit = 1; limit <= need; limit += limit < 256 ? 1 : 16) {
            khum_arena_init(&a, 0);
            khum_arena_set_limit(&a, limit);
            khum_err_clear(&err);
            khum_code rc = run_list(f->s, which, &a, &n, &whole, &err);
            if (rc == KHUM_ERR_NOMEM)
                assert_int_equal(err.code, KHUM_ERR_NOMEM);
            else if (rc != KHUM_OK || n != expect[which] || !whole)
                fail_msg("list %d with %zu bytes: code %d, %zu rows of %zu, whole %d", which,
                         limit, rc, n, expect[which], whole);
            khum_arena_free(&a);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_votes_migration, setup, teardown),
        cmocka_unit_test(test_votes_json),
        cmocka_unit_test_setup_teardown(test_store_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_statement_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_serialization_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_parent_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upsert_stats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parties_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_users_authorize, setup, teardown),
        cmocka_unit_test_setup_teardown(test_official_against_correction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lists_report_out_of_memory, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
