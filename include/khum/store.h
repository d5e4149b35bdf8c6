/*
 * khum/store.h: persistence. The only part of khum that speaks SQL; every
 * other module hands it structs. One database per deployment, opened from a
 * path (SQLite, the default) or, later, a postgresql:// URI. Opening applies
 * any pending schema migration (src/store/schema/NNN_*.sql).
 *
 * Writes are grouped by the caller between khum_store_begin and
 * khum_store_commit; on any error the caller calls khum_store_rollback and
 * the database is exactly as before.
 */
#ifndef KHUM_STORE_H
#define KHUM_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "khum/arena.h"
#include "khum/err.h"
#include "khum/geo.h"

typedef struct khum_store khum_store;

khum_code khum_store_open(const char *uri, khum_store **out, khum_err *err);
void khum_store_close(khum_store *s);
const char *khum_store_backend(const khum_store *s);    /* "sqlite" */
int khum_store_schema_version(const khum_store *s);
int khum_store_schema_latest(void);                      /* migrations compiled in */

khum_code khum_store_begin(khum_store *s, khum_err *err);
khum_code khum_store_commit(khum_store *s, khum_err *err);
void khum_store_rollback(khum_store *s);

typedef struct khum_upsert_stats {
    size_t inserted, updated, unchanged;
} khum_upsert_stats;

/* Insert or update units (parents before children, as khum_gazetteer_check
 * leaves them). A parent that is neither given nor stored fails with GEO.204
 * naming the unit's file and line. Centroids are kept when the input has none. */
khum_code khum_store_put_units(khum_store *s, const khum_unit *units, size_t n,
                               khum_upsert_stats *st, khum_err *err);
/* Read every unit whose code starts with prefix ("" for all) into g. */
khum_code khum_store_load_gazetteer(khum_store *s, const char *prefix,
                                    khum_gazetteer *g, khum_err *err);
khum_code khum_store_area_exists(khum_store *s, khum_level l, const char *code,
                                 bool *exists, khum_err *err);

/* Replace the population of the given communes for one year. Every commune
 * must exist (the caller filters unknown codes into warnings first). */
khum_code khum_store_put_population(khum_store *s, int year, const khum_population *rows,
                                    size_t n, khum_err *err);
/* Set council sizes; an unknown commune fails with SEAT.404 at its line. */
khum_code khum_store_put_council_sizes(khum_store *s, const khum_council_size *rows,
                                       size_t n, const char *source, khum_err *err);
khum_code khum_store_put_parties(khum_store *s, const khum_party *rows, size_t n,
                                 khum_upsert_stats *st, khum_err *err);
khum_code khum_store_list_parties(khum_store *s, khum_arena *a, khum_party **rows,
                                  size_t *n, khum_err *err);

/* Record an accepted import (kind: "gazetteer", "population", ...). */
khum_code khum_store_log_import(khum_store *s, const char *kind, const char *source,
                                const char *sha256_hex, int64_t rows, khum_err *err);

typedef struct khum_geo_counts {
    int64_t provinces, districts, communes, villages;
    int64_t communes_with_population;    /* in the latest census year stored */
    int64_t population_year;             /* 0 when none */
    int64_t population_total;
    int64_t communes_with_seats;         /* in the latest mandate stored */
    int64_t seats_mandate, seats_total;
    int64_t parties;
} khum_geo_counts;

khum_code khum_store_geo_counts(khum_store *s, khum_geo_counts *out, khum_err *err);

/* A unit with what `khum geo show` prints about it. */
typedef struct khum_area_info {
    khum_unit unit;
    const char *parent_name;             /* Latin name of the parent, "" for provinces */
    const char *province_name;
    int64_t children;                    /* districts / communes / villages below */
    int64_t population, population_year; /* latest census, -1 / 0 when none */
    int seats, seats_mandate;             /* latest mandate, 0 when none */
} khum_area_info;

/* Find units by exact code, or by name: Latin (case-insensitive, UNGEGN too)
 * or Khmer, exact matches first, then names containing the query. Villages
 * are searched only by code. At most limit results. */
khum_code khum_store_find_areas(khum_store *s, const char *query, size_t limit,
                                khum_arena *a, khum_area_info **out, size_t *n,
                                khum_err *err);

#endif
