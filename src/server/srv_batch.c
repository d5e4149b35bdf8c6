/*
 * srv_batch.c: group commit for the form writes of election night. Every
 * write used to hold the writers' lock (BEGIN IMMEDIATE, a PostgreSQL
 * advisory lock) across its own commit and flush, so 64 clerks queued for
 * 64 fsyncs one after the other. The audit chain needs an order, not a lock
 * across each flush: here one writer thread with its own connection takes
 * whatever operations are queued (up to BATCH_MAX), runs them in order in
 * one transaction, each in a savepoint of its own (khum_store_batch_begin:
 * a refused operation rolls back to its savepoint and changes nothing),
 * commits once, and only then wakes the requests: nothing is acknowledged
 * before it is durable, and a failed commit fails every operation of the
 * batch. The request threads still do everything else (parsing, sessions,
 * checks of scope), so the writer's time goes to the operations alone.
 */
#include <stdlib.h>
#include <string.h>

#include "srv.h"

enum { BATCH_MAX = 256 };

typedef struct srv_job {
    khum_code (*op)(khum_store *st, void *ctx);
    void *ctx;
    khum_err *err;
    khum_code rc;
    bool done;
    struct srv_job *next;
} srv_job;

typedef struct srv_writer {
    khum_store *store;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t queued, done;
    srv_job *head, *tail;
    bool stop;
    long ops, batches;
} srv_writer;

/* Run one batch of jobs (a list) on the writer's connection. */
static void run_batch(srv_writer *w, srv_job *jobs)
{
    khum_err berr;
    khum_err_clear(&berr);
    khum_code rc = khum_store_batch_begin(w->store, &berr);
    for (srv_job *j = jobs; j; j = j->next)
        j->rc = rc ? (*j->err = berr, rc) : j->op(w->store, j->ctx);
    if (!rc && (rc = khum_store_batch_commit(w->store, &berr)))
        for (srv_job *j = jobs; j; j = j->next)
            if (j->rc == KHUM_OK) {  /* not stored after all: never acknowledged */
                j->rc = rc;
                *j->err = berr;
            }
}

static void *writer_main(void *arg)
{
    srv_writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->head && !w->stop)
            pthread_cond_wait(&w->queued, &w->mu);
        if (!w->head)
            break;
        srv_job *jobs = w->head, *last = jobs;
        long n = 1;
        while (last->next && n < BATCH_MAX) {
            last = last->next;
            n++;
        }
        w->head = last->next;
        if (!w->head)
            w->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&w->mu);
        run_batch(w, jobs);
        pthread_mutex_lock(&w->mu);
        w->ops += n;
        w->batches++;
        for (srv_job *j = jobs; j; j = j->next)
            j->done = true;
        pthread_cond_broadcast(&w->done);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

khum_code srv_writer_start(khum_server *s, khum_err *err)
{
    srv_writer *w = calloc(1, sizeof *w);
    if (!w)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    khum_code rc = khum_store_open(s->db, &w->store, err);
    if (rc) {
        free(w);
        return rc;
    }
    khum_store_set_actor(w->store, "server");
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->queued, NULL);
    pthread_cond_init(&w->done, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w)) {
        khum_store_close(w->store);
        free(w);
        return khum_err_set(err, KHUM_ERR_INTERNAL, "TLY.892", "cannot start the writer "
                            "thread");
    }
    s->writer = w;
    return KHUM_OK;
}

/* After the daemon stopped: the queue is empty, the writer finishes. */
void srv_writer_stop(khum_server *s)
{
    srv_writer *w = s->writer;
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->queued);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    khum_store_close(w->store);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->queued);
    pthread_cond_destroy(&w->done);
    free(w);
    s->writer = NULL;
}

khum_code srv_batched(khum_server *s, khum_code (*op)(khum_store *st, void *ctx), void *ctx,
                      khum_err *err)
{
    srv_writer *w = s->writer;
    srv_job j = {.op = op, .ctx = ctx, .err = err};
    pthread_mutex_lock(&w->mu);
    if (w->tail)
        w->tail->next = &j;
    else
        w->head = &j;
    w->tail = &j;
    pthread_cond_signal(&w->queued);
    while (!j.done)
        pthread_cond_wait(&w->done, &w->mu);
    pthread_mutex_unlock(&w->mu);
    return j.rc;
}

void srv_writer_counts(khum_server *s, long *ops, long *batches)
{
    srv_writer *w = s->writer;
    *ops = *batches = 0;
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    *ops = w->ops;
    *batches = w->batches;
    pthread_mutex_unlock(&w->mu);
}
