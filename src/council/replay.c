/*
 * replay.c: a council on any date. The ledger is append-only; the state on a
 * date is computed, never stored: form the council, then apply the events
 * effective up to that date in order. A reversal does not delete the
 * mistaken event: from the reversal's date on, the replay leaves that event
 * out, while the days before still show what was recorded then.
 */
#include <stdlib.h>
#include <string.h>

#include "khum/council.h"
#include "khum/str.h"

static int by_date_id(const void *pa, const void *pb)
{
    const khum_ledger_event *a = *(const khum_ledger_event *const *)pa;
    const khum_ledger_event *b = *(const khum_ledger_event *const *)pb;
    int c = strcmp(a->date, b->date);
    if (c)
        return c;
    return (a->id > b->id) - (a->id < b->id);
}

static bool reversed_by_then(const khum_ledger_event *events, size_t n, int64_t id,
                             const char *as_of)
{
    for (size_t i = 0; i < n; i++)
        if (events[i].type == KHUM_EV_REVERSE && events[i].reverses == id &&
            strcmp(events[i].date, as_of) <= 0)
            return true;
    return false;
}

khum_code khum_ledger_replay(const char *commune, int seats, const khum_council_list *lists,
                             size_t nlists, const char *formed_on,
                             const khum_ledger_event *events, size_t nevents,
                             const char *as_of, const khum_council_rules *r, khum_arena *a,
                             khum_council *c, khum_changes *out, khum_err *err)
{
    khum_code rc = khum_council_form(commune, seats, lists, nlists, r, formed_on, a, c, err);
    if (rc || strcmp(as_of, formed_on) < 0)
        return rc;
    const khum_ledger_event **order = malloc((nevents + 1) * sizeof *order);
    if (!order)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < nevents; i++)
        order[i] = &events[i];
    khum_sort(order, nevents, sizeof *order, by_date_id);
    for (size_t i = 0; i < nevents && !rc; i++) {
        const khum_ledger_event *ev = order[i];
        if (strcmp(ev->date, as_of) > 0)
            break;
        if (ev->type == KHUM_EV_REVERSE || strcmp(ev->date, formed_on) < 0 ||
            reversed_by_then(events, nevents, ev->id, as_of))
            continue;
        if (ev->type != KHUM_EV_DISSOLVE && ev->commune && *ev->commune &&
            strcmp(ev->commune, commune) != 0)
            continue;
        rc = khum_council_apply(c, ev, r, a, out, err);
    }
    free(order);
    return rc;
}
