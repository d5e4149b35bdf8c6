/*
 * audit.c: the hash of an audit event, the digests of the rows it wrote,
 * and the check of a chain of events (khum/audit.h gives the exact byte
 * layouts, so that an observer can recompute them with any SHA-256 tool).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "khum/audit.h"

static void put_field(khum_sha256 *st, const char *v)
{
    char head[32];
    size_t len = v ? strlen(v) : 0;
    int n = snprintf(head, sizeof head, "%zu:", len);
    khum_sha256_update(st, head, (size_t)n);
    if (len)
        khum_sha256_update(st, v, len);
    khum_sha256_update(st, "\n", 1);
}

void khum_audit_hash(const khum_audit_event *ev, char out[KHUM_SHA256_HEX])
{
    khum_sha256 st;
    char id[32];
    snprintf(id, sizeof id, "%" PRId64, ev->id);
    khum_sha256_init(&st);
    khum_sha256_update(&st, "khum-audit-v1\n", 14);
    const char *fields[] = {id, ev->at, ev->actor, ev->type, ev->object,
                            ev->area, ev->before, ev->after, ev->prev};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        put_field(&st, fields[i]);
    if (ev->rows && *ev->rows)
        put_field(&st, ev->rows);
    khum_sha256_final_hex(&st, out);
}

void khum_audit_row_digest(const char *table, const char *const *cols, size_t ncols,
                           char out[KHUM_SHA256_HEX])
{
    khum_sha256 st;
    khum_sha256_init(&st);
    khum_sha256_update(&st, "khum-row-v1\n", 12);
    put_field(&st, table);
    for (size_t i = 0; i < ncols; i++)
        put_field(&st, cols[i]);
    khum_sha256_final_hex(&st, out);
}

void khum_audit_rows_init(khum_audit_rows *r)
{
    khum_sha256_init(&r->state);
    khum_sha256_update(&r->state, "khum-rows-v1\n", 13);
    r->n = 0;
}

void khum_audit_rows_add(khum_audit_rows *r, const char *table, const char *key,
                         const char *digest)
{
    put_field(&r->state, table);
    put_field(&r->state, key);
    put_field(&r->state, digest);
    r->n++;
}

void khum_audit_rows_final(khum_audit_rows *r, char out[KHUM_SHA256_HEX])
{
    khum_sha256_final_hex(&r->state, out);
}

khum_code khum_audit_check_chain(const khum_audit_event *ev, size_t n, const char *prev_hash,
                                 size_t *checked, khum_err *err)
{
    const char *prev = prev_hash ? prev_hash : KHUM_AUDIT_GENESIS;
    *checked = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ev[i].prev, prev) != 0)
            return khum_err_set(err, KHUM_ERR_INPUT, "AUD.502",
                                "audit event %" PRId64 " does not chain to the event before "
                                "it (an event was removed, inserted or changed)", ev[i].id);
        char h[KHUM_SHA256_HEX];
        khum_audit_hash(&ev[i], h);
        if (strcmp(h, ev[i].hash) != 0)
            return khum_err_set(err, KHUM_ERR_INPUT, "AUD.501",
                                "audit event %" PRId64 " was changed: its hash does not "
                                "match its fields", ev[i].id);
        prev = ev[i].hash;
        (*checked)++;
    }
    return KHUM_OK;
}
