/*
 * khum/geo.h: the administrative geography (province > district > commune >
 * village), commune population, council sizes and the party registry, as plain
 * structs read from CSV readers. Pure: no files are opened and no SQL is run
 * here; the CLI hands in a khum_csv and the store persists what comes back.
 *
 * Codes are text of 1 to 16 ASCII letters and digits, unique across levels
 * (Cambodia's NCDD codes: 2 digits for a province, 4 for a district, 6 for a
 * commune, 8 for a village; Portugal's DICOFRE: 2, 4, 6 characters, some with
 * letters, "0302FA"). A unit's parent is the code its file names in the
 * parent column, never inferred from the code; a commune (a council) may sit
 * directly under its province when the country has no district level.
 */
#ifndef KHUM_GEO_H
#define KHUM_GEO_H

#include <stdbool.h>
#include <stdint.h>

#include "khum/arena.h"
#include "khum/csv.h"
#include "khum/err.h"

typedef enum khum_level {
    KHUM_PROVINCE = 1,
    KHUM_DISTRICT = 2,
    KHUM_COMMUNE = 3,
    KHUM_VILLAGE = 4
} khum_level;

const char *khum_level_name(khum_level l);  /* "province", ... */
size_t khum_level_code_len(khum_level l);   /* NCDD only: 2, 4, 6, 8 */

typedef struct khum_unit {
    khum_level level;
    const char *code, *parent;           /* parent is "" for a province */
    khum_level parent_level;             /* the parent's level; 0: any level above */
    const char *province;                /* a commune under a district: its file's
                                          * province column ("" when none), checked */
    const char *name_km, *name_latin, *name_ungegn;
    const char *unit_km, *unit_latin, *unit_en;  /* e.g. ឃុំ / Khum / Commune */
    const char *iso3166_2;               /* provinces only */
    bool has_centroid;
    double lat, lon;
    const char *source;                  /* file name, for messages */
    long line;
} khum_unit;

typedef struct khum_gazetteer {
    khum_arena arena;                    /* owns every string of every unit */
    khum_unit *units;
    size_t n, cap;
    char title_province[128];            /* NCDD files: the province named in the title */
    bool sorted;                         /* by (level, code): khum_gazetteer_check did it */
} khum_gazetteer;

void khum_gazetteer_init(khum_gazetteer *g);
void khum_gazetteer_free(khum_gazetteer *g);
/* Append a copy of u; its strings must already live in g->arena (or be static). */
khum_code khum_gazetteer_add(khum_gazetteer *g, const khum_unit *u, khum_err *err);
size_t khum_gazetteer_count(const khum_gazetteer *g, khum_level l);
const khum_unit *khum_gazetteer_find(const khum_gazetteer *g, khum_level l,
                                     const char *code);

/* One pumi-style CSV (provinces.csv, districts.csv, communes.csv or
 * villages.csv) whose rows are all of level l. Columns: code, name_latin,
 * optional name_km (villages need one of the two names), name_ungegn,
 * unit_km, unit_latin, unit_en, iso3166_2, lat, long, and the parent:
 * province_code (districts), district_code or, when that is absent or empty,
 * province_code (communes), commune_code (villages). */
khum_code khum_gazetteer_read_pumi(khum_gazetteer *g, khum_level l, khum_csv *csv,
                                   khum_err *err);

/* A raw NCDD gazetteer export (title line, blank line, header Type,Code,...;
 * Type is the Khmer unit word). When rejected is non-NULL, rows that break a
 * rule are collected there and skipped; otherwise the first one fails. */
khum_code khum_gazetteer_read_ncdd(khum_gazetteer *g, khum_csv *csv,
                                   khum_diags *rejected, khum_err *err);

/* Internal consistency: no code twice (at any level, GEO.203), no unit its
 * own parent or under a unit of its own level or below (GEO.213), every
 * parent present when its level is present (GEO.204), and a commune's
 * province column naming its district's province (GEO.202). */
khum_code khum_gazetteer_check(khum_gazetteer *g, khum_err *err);

/* Differences of b against a (both passed through khum_gazetteer_check),
 * restricted to codes starting with prefix:
 * units only in a, only in b, or with other names. Each difference is one
 * warning (rule GEO.210/211/212) in out. Returns the number of differences. */
size_t khum_gazetteer_diff(const khum_gazetteer *a, const khum_gazetteer *b,
                           const char *prefix, khum_diags *out);

/* Commune population for one census year. */
typedef struct khum_population {
    const char *commune;                 /* 6-digit code */
    const char *name;                    /* as given in the file, may be "" */
    int64_t total;                       /* persons */
    int64_t adults;                      /* persons aged 18+, -1 when absent */
    long line;
} khum_population;

/* Columns: Com_Code|commune|commune_code, TT_Both|population,
 * optional Both_UP_18|adults and Commune|name. *rows is malloc'd (the
 * caller frees it), its strings live in a; the same for council sizes and
 * parties below. */
khum_code khum_population_read(khum_csv *csv, khum_arena *a, khum_population **rows,
                               size_t *n, khum_err *err);

/* Council size of one commune in one mandate. */
typedef struct khum_council_size {
    const char *commune;
    int mandate;
    int seats;
    long line;
} khum_council_size;

/* Columns: commune|commune_code|code, seats, optional mandate (else
 * default_mandate, which must then be > 0). allowed lists the legal sizes
 * (e.g. 5,7,9,11), n_allowed 0 accepts any size from 1 to 1000. */
khum_code khum_council_sizes_read(khum_csv *csv, khum_arena *a, int default_mandate,
                                  const int *allowed, size_t n_allowed,
                                  khum_council_size **rows, size_t *n, khum_err *err);

/* A registered political party. */
typedef struct khum_party {
    const char *id, *abbr, *name_km, *name_en;
    const char *colour;                  /* "#rrggbb" or "" */
    const char *registered, *dissolved;  /* "YYYY-MM-DD" or "" */
    long line;
} khum_party;

/* Columns: abbr, name_en, optional id (default: abbr), name_km, colour,
 * registered, dissolved. */
khum_code khum_parties_read(khum_csv *csv, khum_arena *a, khum_party **rows,
                            size_t *n, khum_err *err);

#endif
