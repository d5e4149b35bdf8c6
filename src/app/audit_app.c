/*
 * audit_app.c: the operations' audit events, and appending one on its own
 * (a refused write, a user added) for the server and the CLI.
 */
#include <stdio.h>
#include <stdlib.h>

#include "app_impl.h"
#include "khum/json.h"

static char *dump(json_t *j)
{
    if (!j)
        return NULL;
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    json_decref(j);
    return s;
}

khum_code app_audit(khum_store *s, const char *actor, const char *type, const char *object,
                    const char *area, json_t *before, json_t *after, khum_err *err)
{
    char *b = dump(before), *a = dump(after);
    khum_audit_event ev = {.actor = actor, .type = type, .object = object, .area = area,
                           .before = b, .after = a};
    khum_code rc = khum_store_audit(s, &ev, NULL, err);
    free(b);
    free(a);
    return rc;
}

const char *app_object(const char *election, const char *code, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s", election, code);
    return buf;
}

khum_code khum_app_audit(khum_store *s, const char *actor, const char *type,
                         const char *object, const char *area, const char *detail,
                         khum_err *err)
{
    khum_code rc = khum_store_begin(s, err);
    if (rc)
        return rc;
    /* khum_json_string: a detail quoting bytes that are not UTF-8 is kept. */
    json_t *after = detail && *detail ? json_pack("{s:o}", "detail", khum_json_string(detail))
                                      : NULL;
    rc = app_audit(s, actor, type, object, area, NULL, after, err);
    if (!rc)
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    return rc;
}
