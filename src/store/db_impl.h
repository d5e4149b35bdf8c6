/*
 * db_impl.h (internal to src/store): what a driver behind db.h provides.
 * Each driver's connection and statement structs start with db_conn and
 * db_stmt, whose only field names the driver; db.c dispatches through it.
 */
#ifndef KHUM_STORE_DB_IMPL_H
#define KHUM_STORE_DB_IMPL_H

#include "db.h"

struct db_conn {
    const struct db_driver *drv;
};

struct db_stmt {
    const struct db_driver *drv;
};

typedef struct db_driver {
    const char *name;
    khum_code (*open)(const char *uri, db_conn **out, khum_err *err);
    void (*close)(db_conn *c);
    khum_code (*exec)(db_conn *c, const char *sql, khum_err *err);
    khum_code (*begin)(db_conn *c, khum_err *err);
    khum_code (*prepare)(db_conn *c, const char *sql, db_stmt **out, khum_err *err);
    void (*finalize)(db_stmt *s);
    void (*reset)(db_stmt *s);
    void (*bind_text)(db_stmt *s, int i, const char *v);
    void (*bind_int)(db_stmt *s, int i, int64_t v);
    void (*bind_double)(db_stmt *s, int i, double v);
    void (*bind_null)(db_stmt *s, int i);
    int (*step)(db_stmt *s, khum_err *err);
    const char *(*col_text)(db_stmt *s, int i);
    int64_t (*col_int)(db_stmt *s, int i);
    double (*col_double)(db_stmt *s, int i);
    bool (*col_null)(db_stmt *s, int i);
    int (*col_count)(db_stmt *s);
    const char *(*col_name)(db_stmt *s, int i);
    int64_t (*changes)(db_conn *c);
    int (*user_version)(db_conn *c, khum_err *err);
    khum_code (*set_user_version)(db_conn *c, int v, khum_err *err);
    /* Open for reading only, changing nothing in the database (no journal
     * mode, no schema table): to look at a database khum may not own. */
    khum_code (*open_readonly)(const char *uri, db_conn **out, khum_err *err);
} db_driver;

extern const db_driver db_sqlite_driver;
extern const db_driver db_pg_driver;

#endif
