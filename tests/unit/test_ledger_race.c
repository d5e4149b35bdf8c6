/*
 * test_ledger_race.c: two ledger events on one person, recorded through two
 * store connections at once, always leave a record that some serial order
 * gives. The interleaving is driven, not hoped for: connection A's decision
 * hook (khum_store_set_hook) starts connection B's operation and
 * lets it run to its end, or until it waits for A's transaction, before A
 * writes. And group commit: operations in one batch (khum_store_batch_begin)
 * each succeed or fail alone and are seen only once the batch commits. Runs
 * on SQLite and, with KHUM_TEST_BACKEND=postgresql, on PostgreSQL. The
 * database is built with the khum binary ($KHUM).
 */
#include "testutil.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "khum/app.h"

static bool on_pg(void)
{
    const char *b = getenv("KHUM_TEST_BACKEND");
    return b && strcmp(b, "postgresql") == 0;
}

/* Run a shell command; 0 when it exits 0. */
static int sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    if (st)
        fprintf(stderr, "failed (%d): %s\n", st, cmd);
    return st;
}

typedef struct fixture {
    char uri[512];
    char pgname[64];        /* "" on SQLite */
    char dir[64];           /* the SQLite database's folder */
} fixture;

/* A new empty database: a SQLite file or a PostgreSQL database. */
static int new_database(fixture *f, int serial)
{
    if (on_pg()) {
        const char *admin = getenv("KHUM_TEST_PG");
        if (!admin || !strrchr(admin, '/'))
            return -1;
        snprintf(f->pgname, sizeof f->pgname, "unit_race_%d_%d", (int)getpid(), serial);
        snprintf(f->uri, sizeof f->uri, "%.*s/%s", (int)(strrchr(admin, '/') - admin), admin,
                 f->pgname);
        return sh("psql '%s' -qAt -c 'CREATE DATABASE %s' >/dev/null", admin, f->pgname);
    }
    (void)serial;
    snprintf(f->dir, sizeof f->dir, "/tmp/khum-test-race-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->uri, sizeof f->uri, "%s/race.db", f->dir);
    return 0;
}

/* The 2017 story's commune (CNRP 3, CPP 2; CPP-1 and CPP-2 sit) made official. */
static int setup(void **state)
{
    static int serial;
    fixture *f = calloc(1, sizeof *f);
    const char *khum = getenv("KHUM"), *data = getenv("KHUM_TESTDATA"),
               *src = getenv("KHUM_SRC");
    if (!f || !khum || !data || !src || new_database(f, serial++)) {
        free(f);
        return -1;
    }
    const char *d = f->uri;
    setenv("KHUM_USER", "admin", 1);   /* every write names a user: the one bootstrapped */
    if (sh("echo correct-horse-9 | KHUM_USER= %s user add admin --role admin --db '%s' >/dev/null", khum,
           d) ||
        sh("%s import gazetteer %s/mini-gazetteer -q --db '%s'", khum, data, d) ||
        sh("%s import parties %s/data/parties/kh.csv -q --db '%s'", khum, src, d) ||
        sh("%s election import %s/news-2017 --db '%s' >/dev/null", khum, data, d) ||
        sh("%s import results %s/news-2017/results.csv -q --user admin --db '%s'", khum, data,
           d) ||
        sh("%s import candidates %s/news-2017/candidates.csv --user admin --db '%s' >/dev/null",
           khum, data, d) ||
        sh("%s official --user admin --db '%s' >/dev/null", khum, d))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (*f->pgname) {
        sh("psql '%s' -qAt -c 'DROP DATABASE IF EXISTS %s WITH (FORCE)' >/dev/null",
           getenv("KHUM_TEST_PG"), f->pgname);
    } else {  /* the database and its -wal and -shm files */
        sh("rm -rf '%s'", f->dir);
    }
    free(f);
    return 0;
}

/* Connection B's operation, run on a thread of its own from A's hook. */
typedef struct other {
    khum_store *s;
    const khum_election *e;
    const khum_ledger_event *ev;
    khum_code rc;
    khum_err err;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool started, done;
} other;

static void *record_other(void *p)
{
    other *o = p;
    khum_council_rules r;
    khum_council_rules_default(&r);
    int64_t id;
    khum_code rc = khum_app_record_event(o->s, o->e, o->ev, &r, "admin", &id, &o->err);
    pthread_mutex_lock(&o->mu);
    o->rc = rc;
    o->done = true;
    pthread_cond_signal(&o->cv);
    pthread_mutex_unlock(&o->mu);
    return NULL;
}

/* A has decided and not written: B runs now. It either finishes (A's
 * decision did not hold the writers' lock) or is still waiting for A after
 * a second, which is all it can do while A's transaction is open. */
static void run_other_now(void *ctx, const char *point)
{
    assert_string_equal(point, "ledger.decided");
    other *o = ctx;
    if (o->started)
        return;
    o->started = true;
    assert_int_equal(pthread_create(&o->thread, NULL, record_other, o), 0);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 1;
    pthread_mutex_lock(&o->mu);
    while (!o->done && pthread_cond_timedwait(&o->cv, &o->mu, &until) == 0)
        ;
    pthread_mutex_unlock(&o->mu);
}

static int64_t count_events(khum_store *s, const char *election)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_ledger_event *ev;
    size_t n = 0;
    khum_err err;
    assert_int_equal(khum_store_ledger_events(s, election, NULL, &a, &ev, &n, &err), KHUM_OK);
    khum_arena_free(&a);
    return (int64_t)n;
}

/* A records `first`; between its decision and its write, B records `second`
 * for the same person. Exactly one is recorded, the other refused with
 * `rule`, and the council reads on every date after both. */
static void race(fixture *f, const char *first, const char *second, const char *rule)
{
    khum_store *a, *b;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_store_open(f->uri, &a, &err), KHUM_OK);
    assert_int_equal(khum_store_open(f->uri, &b, &err), KHUM_OK);
    khum_election ea, eb;
    khum_election_init(&ea);
    khum_election_init(&eb);
    assert_int_equal(khum_store_load_election(a, "kh-news-2017", &ea, &err), KHUM_OK);
    assert_int_equal(khum_store_load_election(b, "kh-news-2017", &eb, &err), KHUM_OK);
    khum_ledger_event eva = {.date = first, .type = KHUM_EV_RESIGN, .commune = "010201",
                             .person = "CPP-2"};
    khum_ledger_event evb = eva;
    evb.date = second;
    other o = {.s = b, .e = &eb, .ev = &evb};
    pthread_mutex_init(&o.mu, NULL);
    pthread_cond_init(&o.cv, NULL);
    khum_store_set_hook(a, run_other_now, &o);
    khum_council_rules r;
    khum_council_rules_default(&r);
    int64_t id = 0;
    khum_code rca = khum_app_record_event(a, &ea, &eva, &r, "admin", &id, &err);
    assert_true(o.started);
    pthread_join(o.thread, NULL);
    /* A went first (it held the lock): B saw A's event and was refused. */
    assert_int_equal(rca, KHUM_OK);
    assert_int_equal(o.rc, KHUM_ERR_CONFLICT);
    assert_string_equal(o.err.rule, rule);
    assert_int_equal(count_events(a, "kh-news-2017"), 1);
    khum_tally t;
    assert_int_equal(khum_app_tally(a, &ea, &t, &err), KHUM_OK);
    khum_arena ar;
    khum_arena_init(&ar, 0);
    khum_council c;
    const char *days[] = {"2017-09-15", "2017-09-25", "2022-06-04"};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(khum_app_council(a, &ea, &t, "010201", days[i], &r, &ar, &c, NULL,
                                          &err), KHUM_OK);
    khum_arena_free(&ar);
    khum_tally_free(&t);
    pthread_mutex_destroy(&o.mu);
    pthread_cond_destroy(&o.cv);
    khum_election_free(&ea);
    khum_election_free(&eb);
    khum_store_close(a);
    khum_store_close(b);
}

/* B's resignation is back-dated before A's: it would break A's (LED.606). */
static void test_back_dated_second(void **state)
{
    race(*state, "2017-09-20", "2017-09-10", "LED.606");
}

/* B's resignation comes after A's: the person no longer sits (LED.601). */
static void test_later_second(void **state)
{
    race(*state, "2017-09-10", "2017-09-20", "LED.601");
}

/* A batch: the chain keeps the operations' order, a refused operation rolls
 * back to its savepoint and the others commit, another connection sees
 * nothing before the commit, and a batch rolled back leaves nothing. */
static void test_batch(void **state)
{
    fixture *f = *state;
    khum_store *s, *peer;
    khum_err err;
    khum_err_clear(&err);
    assert_int_equal(khum_store_open(f->uri, &s, &err), KHUM_OK);
    assert_int_equal(khum_store_open(f->uri, &peer, &err), KHUM_OK);
    khum_election e;
    khum_election_init(&e);
    assert_int_equal(khum_store_load_election(s, "kh-news-2017", &e, &err), KHUM_OK);
    int64_t h0, h;
    char hash[KHUM_SHA256_HEX];
    assert_int_equal(khum_store_audit_head(s, &h0, hash, &err), KHUM_OK);
    khum_entry_outcome o;
    assert_int_equal(khum_store_batch_begin(s, &err), KHUM_OK);
    assert_int_equal(khum_app_audit(s, "admin", "test.one", "a", "", "", &err), KHUM_OK);
    /* official already: the state machine refuses, inside its savepoint */
    assert_int_not_equal(khum_app_resolve(s, &e, "admin", "010201-01", KHUM_ACT_KEEP_FIRST,
                                          "a reason", &o, &err), KHUM_OK);
    assert_int_equal(khum_app_audit(s, "admin", "test.two", "b", "", "", &err), KHUM_OK);
    assert_int_equal(khum_store_audit_head(peer, &h, hash, &err), KHUM_OK);
    assert_int_equal(h, h0);   /* nothing to acknowledge before the commit */
    assert_int_equal(khum_store_batch_commit(s, &err), KHUM_OK);
    assert_int_equal(khum_store_audit_head(peer, &h, hash, &err), KHUM_OK);
    assert_int_equal(h, h0 + 2);
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_audit_event *ev;
    size_t n, checked;
    khum_audit_filter flt = {.after_id = h0};
    assert_int_equal(khum_store_audit_list(peer, &flt, &a, &ev, &n, &err), KHUM_OK);
    assert_int_equal(n, 2);
    assert_string_equal(ev[0].type, "test.one");
    assert_string_equal(ev[1].type, "test.two");
    assert_int_equal(khum_store_audit_verify(peer, &checked, hash, &err), KHUM_OK);
    /* rolled back whole */
    assert_int_equal(khum_store_batch_begin(s, &err), KHUM_OK);
    assert_int_equal(khum_app_audit(s, "admin", "test.three", "c", "", "", &err), KHUM_OK);
    khum_store_batch_rollback(s);
    assert_int_equal(khum_store_audit_head(peer, &h, hash, &err), KHUM_OK);
    assert_int_equal(h, h0 + 2);
    /* and the connection is back to one transaction per operation */
    assert_int_equal(khum_app_audit(s, "admin", "test.four", "d", "", "", &err), KHUM_OK);
    assert_int_equal(khum_store_audit_head(peer, &h, hash, &err), KHUM_OK);
    assert_int_equal(h, h0 + 3);
    khum_arena_free(&a);
    khum_election_free(&e);
    khum_store_close(peer);
    khum_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_back_dated_second, setup, teardown),
        cmocka_unit_test_setup_teardown(test_later_second, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
