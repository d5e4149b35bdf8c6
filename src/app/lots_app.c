/*
 * lots_app.c: the lots of the mandate. Two kinds settle a tie in votes
 * (rules.md §3, §6): a commune's lots (khum lots), drawn before its results
 * are official, settle its seats and the posts of its council as formed; a
 * dissolution's lots for a commune (khum ledger lots) settle the seats it
 * redistributes there and the posts derived again after it. Every replay of
 * a council takes both from app_commune_rules, the one place they are filled
 * in, so a council reads the same in every command, export and page.
 */
#include <string.h>

#include "app_impl.h"

khum_code app_load_lots(khum_store *s, const khum_election *e, khum_arena *a, app_lots *l,
                        khum_err *err)
{
    memset(l, 0, sizeof *l);
    khum_code rc = khum_store_list_lots(s, e->id, a, &l->commune, &l->ncommune, err);
    if (!rc)
        rc = khum_store_list_event_lots(s, e->id, a, &l->event, &l->nevent, err);
    return rc;
}

void app_commune_rules(const khum_election *e, const app_lots *l, const char *commune,
                       const khum_council_rules *r, khum_council_rules *out)
{
    *out = *r;
    out->head_only = e->posts == KHUM_POSTS_HEAD;  /* the election's rule set, not the caller's */
    out->tie_rule = e->tie_rule;
    out->lots_seed = NULL;  /* a seed nobody recorded never decides a post */
    for (size_t i = 0; i < l->ncommune; i++)
        if (!strcmp(l->commune[i].commune, commune))
            out->lots_seed = l->commune[i].seed;
    out->event_lots = l->event;
    out->nevent_lots = l->nevent;
}

khum_code app_lots_before_official(khum_store *s, const khum_election *e, const char *commune,
                                   khum_err *err)
{
    bool official = false;
    khum_code rc = khum_store_is_official(s, e->id, commune, &official, err);
    if (!rc && official)  /* the council stands on them: a late draw would rewrite it */
        rc = khum_err_set(err, KHUM_ERR_CONFLICT, "CNT.823", "commune %s is official already: "
                          "lots are drawn before results are made official; a change now "
                          "goes through a correction with a reason (khum entry correct)", commune);
    return rc;
}

/* The event must be a dissolution of this election, still in force. */
static khum_code check_dissolution(khum_store *s, const khum_election *e, int64_t event,
                                   khum_err *err)
{
    khum_arena a;
    khum_arena_init(&a, 0);
    khum_ledger_event *ev;
    size_t n;
    khum_code rc = khum_store_ledger_events(s, e->id, "", &a, &ev, &n, err);
    bool found = false, reversed = false;
    for (size_t i = 0; !rc && i < n; i++) {
        found |= ev[i].id == event && ev[i].type == KHUM_EV_DISSOLVE;
        reversed |= ev[i].type == KHUM_EV_REVERSE && ev[i].reverses == event;
    }
    if (!rc && (!found || reversed))
        rc = khum_err_set(err, KHUM_ERR_NOTFOUND, "LED.610", "event %lld is not a dissolution "
                          "in force in election %s: lots settle what a dissolution does to a "
                          "commune (khum ledger show)", (long long)event, e->id);
    khum_arena_free(&a);
    return rc;
}

khum_code app_lots_args(const khum_election *e, const char *commune, const char *seed,
                        khum_err *err)
{
    if (!commune || !khum_election_commune_find(e, commune))
        return khum_err_set(err, KHUM_ERR_NOTFOUND, "CNT.821", "commune %s is not in "
                            "election %s", commune ? commune : "", e->id);
    if (!seed || !*seed)
        return khum_err_set(err, KHUM_ERR_USAGE, "CNT.822", "lots need a seed");
    return KHUM_OK;
}

khum_code khum_app_draw_event_lots(khum_store *s, const khum_election *e, const char *user,
                                   int64_t event, const char *commune, const char *seed,
                                   khum_err *err)
{
    khum_code rc = app_lots_args(e, commune, seed, err);
    if (!rc)
        rc = khum_store_begin(s, err);
    if (rc)
        return rc;
    char obj[128];
    rc = check_dissolution(s, e, event, err);
    if (!rc)
        rc = khum_store_put_event_lots(s, e->id, event, commune, seed, user, err);
    if (!rc)
        rc = app_audit(s, user, "ledger.lots", app_object(e->id, commune, obj, sizeof obj),
                       commune, NULL, json_pack("{s:I,s:s}", "event", (json_int_t)event,
                                                "seed", seed), err);
    if (!rc)
        rc = khum_store_commit(s, err);
    if (rc)
        khum_store_rollback(s);
    return rc;
}
