/*
 * khum/app_import.h: importing reference data (gazetteer, population,
 * council sizes, parties) as operations, so that the CLI and the server can
 * offer them with no copied code. The caller reads and checks the file into
 * structs (src/geo, src/count, src/council); the operation begins, loads what it decides on, decides,
 * writes, records each source file (path, SHA-256, rows) in import_log and as
 * an audit event of the acting user, and commits, or changes nothing.
 */
#ifndef KHUM_APP_IMPORT_H
#define KHUM_APP_IMPORT_H

#include "khum/app.h"
#include "khum/geo.h"
#include "khum/hash.h"

/* One source file of an import. */
typedef struct khum_import_file {
    const char *path;              /* as given: names the file in the audit log */
    char sha256[KHUM_SHA256_HEX];  /* of the bytes read */
    int64_t rows;                  /* rows it brought */
} khum_import_file;

/* f->sha256 from the file at f->path (IO.801, IO.802). */
khum_code khum_import_file_digest(khum_import_file *f, khum_err *err);

/* In each operation, user is the acting user the audit events name (NULL:
 * the store's actor). kind is "gazetteer" (pumi folder: one file per level)
 * or "gazetteer-ncdd". */
khum_code khum_app_import_gazetteer(khum_store *s, const char *user, const char *kind,
                                    const khum_gazetteer *g, const khum_import_file *files,
                                    size_t nfiles, khum_upsert_stats *st, khum_err *err);
/* The rows whose commune the gazetteer lacks are left out, each added to
 * skipped as a POP.305 warning at its line; the others are moved to the front
 * of rows and counted in *kept (file->rows is set to it). */
khum_code khum_app_import_population(khum_store *s, const char *user, int year,
                                     khum_population *rows, size_t n, khum_import_file *file,
                                     size_t *kept, khum_diags *skipped, khum_err *err);
khum_code khum_app_import_seats(khum_store *s, const char *user, const khum_council_size *rows,
                                size_t n, const khum_import_file *file, khum_err *err);
khum_code khum_app_import_parties(khum_store *s, const char *user, const khum_party *rows,
                                  size_t n, const khum_import_file *file,
                                  khum_upsert_stats *st, khum_err *err);

/* Check and store an election definition in one transaction; the audit
 * event names the folder's files (NULL, 0 for a generated one). */
khum_code khum_app_import_election(khum_store *s, const char *user, const khum_election *e,
                                   const khum_import_file *files, size_t nfiles,
                                   bool *existed, khum_err *err);
/* Check candidate lists against the election (each list at least 2 x the
 * commune's seats: CNL.302) and store them in one transaction; file may be
 * NULL (generated lists). */
khum_code khum_app_import_candidates(khum_store *s, const char *user, const khum_election *e,
                                     const khum_candidate_row *rows, size_t n,
                                     const khum_import_file *file, khum_err *err);

#endif
