/*
 * import_app.c: the imports of reference data as operations (khum/app_import.h).
 * Each follows the template of entry_app.c: begin, load, decide, write, log
 * every source file in import_log with an audit event of the acting user
 * (path, SHA-256, rows), commit; any error rolls back, so a refused import
 * changes nothing, not even the audit log.
 */
#include <stdio.h>

#include "app_impl.h"
#include "khum/app_import.h"

khum_code khum_import_file_digest(khum_import_file *f, khum_err *err)
{
    return khum_sha256_file(f->path, f->sha256, err);
}

/* import_log row and audit event "import.KIND" for one source file. */
static khum_code log_file(khum_store *s, const char *user, const char *kind,
                          const khum_import_file *f, khum_err *err)
{
    khum_code rc = khum_store_put_import_log(s, kind, f->path, f->sha256, f->rows, err);
    if (rc)
        return rc;
    char type[64];
    snprintf(type, sizeof type, "import.%s", kind);
    return app_audit(s, user, type, f->path, "", NULL,
                     json_pack("{s:I, s:s}", "rows", (json_int_t)f->rows, "sha256", f->sha256),
                     err);
}

static khum_code log_files(khum_store *s, const char *user, const char *kind,
                           const khum_import_file *files, size_t n, khum_err *err)
{
    khum_code rc = KHUM_OK;
    for (size_t i = 0; i < n && !rc; i++)
        rc = log_file(s, user, kind, &files[i], err);
    return rc;
}

json_t *app_files_json(const khum_import_file *files, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:I}", "path", files[i].path, "sha256",
                                           files[i].sha256, "rows", (json_int_t)files[i].rows));
    return a;
}

/* Commit on success, roll back otherwise. */
static khum_code end(khum_store *s, khum_code rc, khum_err *err)
{
    if (!rc)
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    return rc;
}

khum_code khum_app_import_gazetteer(khum_store *s, const char *user, const char *kind,
                                    const khum_gazetteer *g, const khum_import_file *files,
                                    size_t nfiles, khum_upsert_stats *st, khum_err *err)
{
    khum_code rc = khum_store_begin(s, err);
    if (rc)
        return rc;
    rc = khum_store_put_units(s, g->units, g->n, st, err);
    if (!rc)
        rc = log_files(s, user, kind, files, nfiles, err);
    return end(s, rc, err);
}

/* Keep the rows whose commune is in the gazetteer, inside the transaction so
 * that the decision sees the gazetteer the rows are written against. */
static khum_code keep_known_communes(khum_store *s, const char *path, khum_population *rows,
                                     size_t n, size_t *kept, khum_diags *skipped,
                                     khum_err *err)
{
    *kept = 0;
    for (size_t i = 0; i < n; i++) {
        bool exists;
        khum_code rc = khum_store_area_exists(s, KHUM_COMMUNE, rows[i].commune, &exists, err);
        if (rc)
            return rc;
        if (exists) {
            rows[(*kept)++] = rows[i];
            continue;
        }
        khum_err w;
        khum_err_clear(&w);
        khum_err_set(&w, KHUM_ERR_INPUT, "POP.305",
                     "commune %s (%s) is not in the gazetteer: not imported", rows[i].commune,
                     *rows[i].name ? rows[i].name : "no name");
        khum_err_at(&w, path, rows[i].line, 0, NULL);
        if (khum_diags_add(skipped, &w))
            return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    }
    return KHUM_OK;
}

khum_code khum_app_import_population(khum_store *s, const char *user, int year,
                                     khum_population *rows, size_t n, khum_import_file *file,
                                     size_t *kept, khum_diags *skipped, khum_err *err)
{
    khum_code rc = khum_store_begin(s, err);
    if (rc)
        return rc;
    rc = keep_known_communes(s, file->path, rows, n, kept, skipped, err);
    if (!rc && (rc = khum_store_put_population(s, year, rows, *kept, err)))
        khum_err_at(err, file->path, err->line, 0, NULL);
    file->rows = (int64_t)*kept;
    if (!rc)
        rc = log_file(s, user, "population", file, err);
    return end(s, rc, err);
}

khum_code khum_app_import_seats(khum_store *s, const char *user, const khum_council_size *rows,
                                size_t n, const khum_import_file *file, khum_err *err)
{
    khum_code rc = khum_store_begin(s, err);
    if (rc)
        return rc;
    rc = khum_store_put_council_sizes(s, rows, n, file->path, err);
    if (!rc)
        rc = log_file(s, user, "seats", file, err);
    return end(s, rc, err);
}

khum_code khum_app_import_parties(khum_store *s, const char *user, const khum_party *rows,
                                  size_t n, const khum_import_file *file,
                                  khum_upsert_stats *st, khum_err *err)
{
    khum_code rc = khum_store_begin(s, err);
    if (rc)
        return rc;
    if ((rc = khum_store_put_parties(s, rows, n, st, err)))
        khum_err_at(err, file->path, err->line, 0, NULL);
    if (!rc)
        rc = log_file(s, user, "parties", file, err);
    return end(s, rc, err);
}
