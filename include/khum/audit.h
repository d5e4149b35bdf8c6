/*
 * khum/audit.h: the audit log's events and their hash chain, pure. Each
 * event's hash covers its own fields and the previous event's hash, so
 * changing, inserting or removing any event changes every hash after it.
 * The store appends events (khum_store_audit); anyone holding the events
 * can check the chain with khum_audit_check_chain.
 *
 * Hash: SHA-256 over "khum-audit-v1\n" then each field as "<length>:<bytes>\n"
 * in this order: id, at, actor, type, object, area, before, after, prev.
 * Length-prefixing keeps fields that contain newlines unambiguous. An event
 * that wrote recorded rows has a tenth field, rows (below), hashed after
 * prev in the same way; an event without rows (every event before schema 6)
 * hashes exactly as before.
 *
 * Rows: the store notes each recorded row an operation writes (a form
 * entry, a form version, an official total, a ledger event, ...) and the
 * event commits to them. A row's digest is SHA-256 over "khum-row-v1\n",
 * the table name as a field, then each column of the table's layout as a
 * field (integers in decimal, NULL as empty). The event's rows field is
 * SHA-256 over "khum-rows-v1\n" then, for each row in the order written,
 * three fields: table, key (the primary key's columns joined by '/'), row
 * digest. docs/server.md lists the layouts.
 */
#ifndef KHUM_AUDIT_H
#define KHUM_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "khum/err.h"
#include "khum/hash.h"

/* The hash the first event chains from. */
#define KHUM_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct khum_audit_event {
    int64_t id;
    const char *at;        /* UTC, 2026-11-21T05:00:00.123Z */
    const char *actor;     /* user name, "cli:<login>" or "system" */
    const char *type;      /* "form.enter", "import.gazetteer", "access.denied", ... */
    const char *object;    /* what it concerns: "kh-2022/010201-01", a file, a user */
    const char *area;      /* area or station code for filtering, "" when none */
    const char *before, *after;  /* compact JSON, "" when none */
    const char *prev;      /* hash of the previous event (GENESIS for the first) */
    const char *hash;      /* this event's hash as stored */
    const char *rows;      /* digest of the rows it wrote, "" (or NULL) when none */
} khum_audit_event;

void khum_audit_hash(const khum_audit_event *ev, char out[KHUM_SHA256_HEX]);

/* One row's digest from its table and its column values as text (NULL as ""). */
void khum_audit_row_digest(const char *table, const char *const *cols, size_t ncols,
                           char out[KHUM_SHA256_HEX]);

/* An event's digest of its rows, fed one row at a time in the order written. */
typedef struct khum_audit_rows {
    khum_sha256 state;
    size_t n;
} khum_audit_rows;

void khum_audit_rows_init(khum_audit_rows *r);
void khum_audit_rows_add(khum_audit_rows *r, const char *table, const char *key,
                         const char *digest);
void khum_audit_rows_final(khum_audit_rows *r, char out[KHUM_SHA256_HEX]);

/* Check n events in id order: each one's prev is the hash before it
 * (prev_hash: GENESIS, or the hash of the event before the first one given)
 * and its hash is right. The first break fails with AUD.501 (the stored hash
 * does not match its fields) or AUD.502 (the chain link is broken), naming
 * the event id; *checked counts the events that passed. */
khum_code khum_audit_check_chain(const khum_audit_event *ev, size_t n, const char *prev_hash,
                                 size_t *checked, khum_err *err);

#endif
