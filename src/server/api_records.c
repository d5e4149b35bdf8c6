/*
 * api_records.c: the read endpoints of the record itself: the audit log
 * (its head, or its events after an id with filters) and the publication
 * bundles a server is started with (--publish), each file served as it is.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "khum/auth.h"
#include "khum/publish.h"
#include "srv.h"

/* The whole of f into r's answer (f is closed). */
void srv_answer_file(srv_req *r, FILE *f, const char *ctype)
{
    char buf[65536];
    size_t n;
    khum_buf_reset(&r->out);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        khum_buf_append(&r->out, buf, n);
    fclose(f);
    r->status = 200;
    r->ctype = ctype;
}

void srv_audit_log(srv_req *r, bool head_only)
{
    khum_err err;
    khum_err_clear(&err);
    char head[KHUM_SHA256_HEX];
    int64_t id;
    if (khum_store_audit_head(r->store, &id, head, &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    if (head_only) {
        srv_json(r, 200, json_pack("{s:I,s:s}", "id", (json_int_t)id, "hash", head));
        return;
    }
    const char *after = srv_arg(r, "after"), *limit = srv_arg(r, "limit");
    khum_audit_filter f = {.actor = srv_arg(r, "actor"), .type = srv_arg(r, "type"),
                           .area = srv_arg(r, "area"),
                           .after_id = after ? strtoll(after, NULL, 10) : 0,
                           .limit = limit ? (size_t)strtoull(limit, NULL, 10) : 1000};
    if (f.limit == 0 || f.limit > 10000)
        f.limit = 10000;
    khum_audit_event *ev;
    size_t n;
    if (khum_store_audit_list(r->store, &f, &r->arena, &ev, &n, &err)) {
        srv_fail(r, 0, &err);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, khum_audit_json(&ev[i]));
    srv_json(r, 200, json_pack("{s:I,s:s,s:o}", "head_id", (json_int_t)id, "head_hash", head,
                               "events", arr));
}

static int is_version(const struct dirent *de)
{
    return de->d_name[0] == 'v' && de->d_name[1] &&
           strspn(de->d_name + 1, "0123456789") == strlen(de->d_name + 1);
}

void srv_publications(srv_req *r)
{
    const char *root = r->srv->pub;
    if (!*root) {
        srv_failf(r, 404, "SRV.705", NULL, "this server publishes no bundles (khum serve "
                  "--publish DIR)");
        return;
    }
    if (r->nseg >= 3) {  /* publications/VERSION/FILE */
        char rel[600], real[PATH_MAX];
        snprintf(rel, sizeof rel, "%s/%s", r->seg[1], r->seg[2]);
        struct stat st;
        int fd = srv_open_under(root, rel, &st, real, sizeof real);
        if (fd < 0) {
            srv_failf(r, 404, "HTTP.404", NULL, "no such file: %s", rel);
            return;
        }
        FILE *f = fdopen(fd, "rb");
        if (!f) {
            close(fd);
            srv_failf(r, 500, "HTTP.500", NULL, "cannot read %s", rel);
            return;
        }
        const char *dot = strrchr(real, '.');
        srv_answer_file(r, f, dot && !strcmp(dot, ".csv") ? "text/csv; charset=utf-8"
                          : dot && !strcmp(dot, ".json") ? "application/json; charset=utf-8"
                                                         : "text/plain; charset=utf-8");
        return;
    }
    /* Names are v + zero-padded numbers: sorted by name is sorted by version. */
    struct dirent **list;
    int n = scandir(root, &list, is_version, alphasort);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(arr, json_string(list[i]->d_name));
        free(list[i]);
    }
    if (n >= 0)
        free(list);
    char cur[64] = "";
    FILE *f = fopen(khum_arena_printf(&r->arena, "%s/current", root), "r");
    if (f) {
        if (fgets(cur, sizeof cur, f))
            cur[strcspn(cur, "\r\n")] = 0;
        fclose(f);
    }
    srv_json(r, 200, json_pack("{s:s,s:o}", "current", cur, "versions", arr));
}

