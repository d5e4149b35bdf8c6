/*
 * store_election.c: storing and loading election definitions. Loading ends
 * by recomputing the hash: a definition changed behind khum's back (by hand
 * in SQL) no longer matches the hash it was imported with, and is refused.
 */
#include <string.h>

#include "store_impl.h"

static khum_code prepare_all(khum_store *s, const char *const *sql, db_stmt **st, size_t n,
                             khum_err *err)
{
    for (size_t i = 0; i < n; i++) {
        khum_code rc = db_prepare(s->db, sql[i], &st[i], err);
        if (rc) {
            for (size_t k = 0; k < i; k++)
                db_finalize(st[k]);
            return rc;
        }
    }
    return KHUM_OK;
}

static void finalize_all(db_stmt **st, size_t n)
{
    for (size_t i = 0; i < n; i++)
        db_finalize(st[i]);
}

static khum_code step_done(db_stmt *st, khum_err *err)
{
    return db_step(st, err) == DB_ERROR ? err->code : KHUM_OK;
}

/* Look up the stored hash of an election: "" when there is none. */
static khum_code stored_hash(khum_store *s, const char *id, char hash[65], khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT hash FROM election WHERE id = ?", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, id);
    int r = db_step(st, err);
    snprintf(hash, 65, "%s", r == DB_ROW ? db_col_text(st, 0) : "");
    db_finalize(st);
    return r == DB_ERROR ? KHUM_ERR_STORE : KHUM_OK;
}

static khum_code check_refs(khum_store *s, const khum_election *e, khum_err *err)
{
    static const char *const sql[] = {"SELECT 1 FROM area WHERE code = ? AND level = 3",
                                      "SELECT 1 FROM party WHERE id = ?"};
    db_stmt *st[2];
    khum_code rc = prepare_all(s, sql, st, 2, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < e->ncommunes && !rc; i++) {
        db_reset(st[0]);
        db_bind_text(st[0], 1, e->communes[i].code);
        int r = db_step(st[0], err);
        if (r == DB_ERROR)
            rc = KHUM_ERR_STORE;
        else if (r == DB_DONE) {
            rc = khum_err_set(err, KHUM_ERR_INPUT, "ELE.708", "commune %s is not in the "
                              "gazetteer (khum import gazetteer first)", e->communes[i].code);
            khum_err_at(err, e->src[0] ? e->src[0] : "", e->communes[i].line, 0, NULL);
        }
    }
    for (size_t i = 0; i < e->nlists && !rc; i++) {
        db_reset(st[1]);
        db_bind_text(st[1], 1, e->lists[i].party);
        int r = db_step(st[1], err);
        if (r == DB_ERROR)
            rc = KHUM_ERR_STORE;
        else if (r == DB_DONE) {
            rc = khum_err_set(err, KHUM_ERR_INPUT, "ELE.709", "party %s is not in the party "
                              "registry (khum import parties first)", e->lists[i].party);
            khum_err_at(err, e->src[1] ? e->src[1] : "", e->lists[i].line, 0, NULL);
        }
    }
    finalize_all(st, 2);
    return rc;
}

/* The election's own lists (parties.csv) enter the registry marked with the
 * election that brought them; an id the registry holds already is reused
 * when it names the same list (abbreviation and English name), and refused
 * when it names another (ELE.724): lists.csv would then mean two things. */
static khum_code put_own_parties(khum_store *s, const khum_election *e, khum_err *err)
{
    static const char *const sql[] = {
        "SELECT abbr, name_en FROM party WHERE id = ?",
        ("INSERT INTO party (id, abbr, name_km, name_en, colour, election)"
         " VALUES (?, ?, ?, ?, ?, ?)")};
    db_stmt *st[2];
    khum_code rc = prepare_all(s, sql, st, 2, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < e->nparties && !rc; i++) {
        const khum_election_party *p = &e->parties[i];
        db_reset(st[0]);
        db_bind_text(st[0], 1, p->id);
        int r = db_step(st[0], err);
        if (r == DB_ERROR) {
            rc = KHUM_ERR_STORE;
        } else if (r == DB_ROW) {
            if (strcmp(db_col_text(st[0], 0), p->abbr) || strcmp(db_col_text(st[0], 1), p->name_en)) {
                rc = khum_err_set(err, KHUM_ERR_INPUT, "ELE.724", "party %s is %s (%s) here but "
                                  "%s (%s) in the party registry: give the election's list an id "
                                  "of its own", p->id, p->name_en, p->abbr,
                                  db_col_text(st[0], 1), db_col_text(st[0], 0));
                khum_err_at(err, e->src[3] ? e->src[3] : "parties.csv", p->line, 0, NULL);
            }
        } else {
            db_reset(st[1]);
            const char *v[] = {p->id, p->abbr, p->name_km, p->name_en, p->colour, e->id};
            for (int k = 0; k < 6; k++)
                db_bind_text(st[1], k + 1, v[k] ? v[k] : "");
            rc = step_done(st[1], err);
        }
    }
    finalize_all(st, 2);
    return rc;
}

/* election_party: the lists as this election defined them (its hash covers
 * them even if the registry's copy is renamed later). */
static khum_code put_party_rows(khum_store *s, const khum_election *e, khum_err *err)
{
    if (e->nparties == 0)
        return KHUM_OK;
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "INSERT INTO election_party (election, party, abbr, "
                              "name_en, name_km, colour) VALUES (?, ?, ?, ?, ?, ?)", &st, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < e->nparties && !rc; i++) {
        const khum_election_party *p = &e->parties[i];
        const char *v[] = {e->id, p->id, p->abbr, p->name_en, p->name_km, p->colour};
        db_reset(st);
        for (int k = 0; k < 6; k++)
            db_bind_text(st, k + 1, v[k] ? v[k] : "");
        rc = step_done(st, err);
    }
    db_finalize(st);
    return rc;
}

khum_code khum_store_put_election(khum_store *s, const khum_election *e, bool *existed,
                                  khum_err *err)
{
    *existed = false;
    char hash[65];
    khum_code rc = stored_hash(s, e->id, hash, err);
    if (rc)
        return rc;
    if (hash[0]) {
        if (strcmp(hash, e->hash) == 0)
            return *existed = true, KHUM_OK;
        char a[20], b[20];
        khum_hash_short(hash, a);
        khum_hash_short(e->hash, b);
        return khum_err_set(err, KHUM_ERR_CONFLICT, "ELE.707",
                            "election %s is already stored with another definition (hash %s, "
                            "this one %s): use a new id", e->id, a, b);
    }
    if ((rc = put_own_parties(s, e, err)) || (rc = check_refs(s, e, err)))
        return rc;
    static const char *const sql[] = {
        ("INSERT INTO election (id, name, poll_date, mandate, method, tie_rule, synthetic, hash,"
         " created_at, threshold_e4, threshold_base, posts)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        "INSERT INTO election_commune (election, commune, seats) VALUES (?, ?, ?)",
        "INSERT INTO election_list (election, commune, party, ballot_no) VALUES (?, ?, ?, ?)",
        "INSERT INTO station (election, code, commune, registered) VALUES (?, ?, ?, ?)"};
    db_stmt *st[4];
    if ((rc = prepare_all(s, sql, st, 4, err)))
        return rc;
    char now[32];
    store_now(now);
    db_bind_text(st[0], 1, e->id);
    db_bind_text(st[0], 2, e->name ? e->name : "");
    db_bind_text(st[0], 3, e->date);
    db_bind_int(st[0], 4, e->mandate);
    db_bind_text(st[0], 5, khum_method_name(e->method));
    char tie[64];
    const char *legacy = khum_tie_rule_legacy(&e->tie_rule);
    khum_tie_rule_format(&e->tie_rule, tie, sizeof tie);
    db_bind_text(st[0], 6, legacy ? legacy : tie);
    db_bind_int(st[0], 7, e->synthetic);
    db_bind_text(st[0], 8, e->hash);
    db_bind_text(st[0], 9, now);
    db_bind_int(st[0], 10, e->threshold_e4);
    db_bind_text(st[0], 11, khum_threshold_base_name(e->threshold_base));
    db_bind_text(st[0], 12, khum_posts_name(e->posts));
    rc = step_done(st[0], err);
    if (!rc)
        rc = put_party_rows(s, e, err);
    for (size_t i = 0; i < e->ncommunes && !rc; i++) {
        db_reset(st[1]);
        db_bind_text(st[1], 1, e->id);
        db_bind_text(st[1], 2, e->communes[i].code);
        db_bind_int(st[1], 3, e->communes[i].seats);
        rc = step_done(st[1], err);
    }
    for (size_t i = 0; i < e->nlists && !rc; i++) {
        db_reset(st[2]);
        db_bind_text(st[2], 1, e->id);
        db_bind_text(st[2], 2, e->lists[i].commune);
        db_bind_text(st[2], 3, e->lists[i].party);
        db_bind_int(st[2], 4, e->lists[i].ballot_no);
        rc = step_done(st[2], err);
    }
    for (size_t i = 0; i < e->nstations && !rc; i++) {
        db_reset(st[3]);
        db_bind_text(st[3], 1, e->id);
        db_bind_text(st[3], 2, e->stations[i].code);
        db_bind_text(st[3], 3, e->stations[i].commune);
        db_bind_int(st[3], 4, e->stations[i].registered);
        rc = step_done(st[3], err);
    }
    finalize_all(st, 4);
    return rc;
}

static khum_code load_head(khum_store *s, const char *id, khum_election *e, char *hash,
                           khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db,
        "SELECT id, name, poll_date, mandate, method, tie_rule, synthetic, hash,"
        " (SELECT count(*) FROM election), threshold_e4, threshold_base, posts FROM election"
        " WHERE id = ?1 OR ?1 = '' ORDER BY created_at DESC, id LIMIT 1", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, id ? id : "");
    int r = db_step(st, err);
    if (r == DB_ROW && (!id || !*id) && db_col_int(st, 8) > 1) {
        db_finalize(st);
        return khum_err_set(err, KHUM_ERR_USAGE, "ELE.711",
                            "the database holds several elections: say which with --election ID");
    }
    if (r != DB_ROW) {
        db_finalize(st);
        if (r == DB_ERROR)
            return KHUM_ERR_STORE;
        return khum_err_set(err, KHUM_ERR_NOTFOUND, "ELE.712", id && *id
                                ? "no election '%s' in the database" : "%sno election in the "
                                  "database (khum election import DIR, or khum synth)",
                            id ? id : "");
    }
    khum_arena *a = &e->arena;
    e->id = khum_arena_strdup(a, db_col_text(st, 0));
    e->name = khum_arena_strdup(a, db_col_text(st, 1));
    e->date = khum_arena_strdup(a, db_col_text(st, 2));
    e->mandate = (int)db_col_int(st, 3);
    khum_method_parse(db_col_text(st, 4), &e->method);
    char why[160];  /* a rule stored by a later khum: the hash check refuses it */
    if (!khum_tie_rule_parse(db_col_text(st, 5), &e->tie_rule, why, sizeof why))
        e->tie_rule = (khum_tie_rule){.n = 0};
    e->threshold_e4 = (int32_t)db_col_int(st, 9);
    khum_threshold_base_parse(db_col_text(st, 10), &e->threshold_base);
    khum_posts_parse(db_col_text(st, 11), &e->posts);
    e->synthetic = db_col_int(st, 6) != 0;
    snprintf(hash, 65, "%s", db_col_text(st, 7));
    db_finalize(st);
    return e->id && e->name && e->date ? KHUM_OK
                                        : khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
}

/* The election's own lists, by id, as it defined them. */
static khum_code load_own_parties(khum_store *s, khum_election *e, khum_err *err)
{
    db_stmt *st;
    khum_code rc = db_prepare(s->db, "SELECT party, abbr, name_en, name_km, colour,"
                              " (SELECT count(*) FROM election_party WHERE election = ?1)"
                              " FROM election_party WHERE election = ?1 ORDER BY party", &st, err);
    if (rc)
        return rc;
    db_bind_text(st, 1, e->id);
    int r;
    khum_arena *a = &e->arena;
    while ((r = db_step(st, err)) == DB_ROW) {
        if (!e->parties &&
            !(e->parties = khum_arena_calloc(a, (size_t)db_col_int(st, 5) + 1,
                                             sizeof *e->parties)))
            break;
        khum_election_party *p = &e->parties[e->nparties++];
        p->id = khum_arena_strdup(a, db_col_text(st, 0));
        p->abbr = khum_arena_strdup(a, db_col_text(st, 1));
        p->name_en = khum_arena_strdup(a, db_col_text(st, 2));
        p->name_km = khum_arena_strdup(a, db_col_text(st, 3));
        p->colour = khum_arena_strdup(a, db_col_text(st, 4));
    }
    db_finalize(st);
    if (r == DB_ERROR)
        return KHUM_ERR_STORE;
    return r == DB_ROW ? khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory") : KHUM_OK;
}

khum_code khum_store_load_election(khum_store *s, const char *id, khum_election *e,
                                   khum_err *err)
{
    char hash[65];
    khum_code rc = load_head(s, id, e, hash, err);
    if (rc)
        return rc;
    static const char *const sql[] = {
        /* each council's province and district, from the parents the
         * gazetteer named (a council under a province has no district) */
        ("SELECT ec.commune, ec.seats,"
         " CASE WHEN p.level = 2 THEN coalesce(p.parent, '') ELSE coalesce(p.code, '') END,"
         " CASE WHEN p.level = 2 THEN p.code ELSE '' END"
         " FROM election_commune ec LEFT JOIN area c ON c.code = ec.commune"
         " LEFT JOIN area p ON p.code = c.parent"
         " WHERE ec.election = ? ORDER BY ec.commune"),
        ("SELECT commune, party, ballot_no FROM election_list WHERE election = ?"
         " ORDER BY commune, ballot_no"),
        ("SELECT code, commune, registered FROM station WHERE election = ?"
         " ORDER BY commune, code"),
        ("SELECT (SELECT count(*) FROM election_commune WHERE election = ?1),"
         " (SELECT count(*) FROM election_list WHERE election = ?1),"
         " (SELECT count(*) FROM station WHERE election = ?1)")};
    db_stmt *st[4];
    if ((rc = prepare_all(s, sql, st, 4, err)))
        return rc;
    for (int i = 0; i < 4; i++)
        db_bind_text(st[i], 1, e->id);
    khum_arena *a = &e->arena;
    if (db_step(st[3], err) != DB_ROW) {
        finalize_all(st, 4);
        return KHUM_ERR_STORE;
    }
    e->communes = khum_arena_calloc(a, (size_t)db_col_int(st[3], 0) + 1, sizeof *e->communes);
    e->lists = khum_arena_calloc(a, (size_t)db_col_int(st[3], 1) + 1, sizeof *e->lists);
    e->stations = khum_arena_calloc(a, (size_t)db_col_int(st[3], 2) + 1, sizeof *e->stations);
    int r;
    while ((r = db_step(st[0], err)) == DB_ROW) {
        khum_election_commune *c = &e->communes[e->ncommunes++];
        c->code = khum_arena_strdup(a, db_col_text(st[0], 0));
        c->seats = (int)db_col_int(st[0], 1);
        c->province = khum_arena_strdup(a, db_col_text(st[0], 2));
        c->district = khum_arena_strdup(a, db_col_text(st[0], 3));
    }
    while (r != DB_ERROR && (r = db_step(st[1], err)) == DB_ROW) {
        khum_contest_list *l = &e->lists[e->nlists++];
        l->commune = khum_arena_strdup(a, db_col_text(st[1], 0));
        l->party = khum_arena_strdup(a, db_col_text(st[1], 1));
        l->ballot_no = (int)db_col_int(st[1], 2);
    }
    while (r != DB_ERROR && (r = db_step(st[2], err)) == DB_ROW) {
        khum_station *x = &e->stations[e->nstations++];
        x->code = khum_arena_strdup(a, db_col_text(st[2], 0));
        x->commune = khum_arena_strdup(a, db_col_text(st[2], 1));
        x->registered = db_col_int(st[2], 2);
    }
    finalize_all(st, 4);
    if (r == DB_ERROR)
        return KHUM_ERR_STORE;
    if ((rc = load_own_parties(s, e, err)) || (rc = khum_election_finish(e, err)))
        return rc;
    if (strcmp(hash, e->hash) != 0)
        return khum_err_set(err, KHUM_ERR_STORE, "ELE.710",
                            "election %s in the database no longer matches its hash: its "
                            "definition was changed outside khum", e->id);
    return KHUM_OK;
}
