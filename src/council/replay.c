/*
 * replay.c: a council on any date, and whether the whole ledger holds. The
 * ledger is append-only; the state on a date is computed, never stored: form
 * the council, then apply the events effective up to that date in order. A
 * reversal does not delete the mistaken event: from the reversal's date on,
 * the replay leaves that event out, while the days before still show what
 * was recorded then. So a ledger is valid when every date of the mandate
 * replays, which comes down to a few dates (khum_ledger_check).
 */
#include <stdio.h>
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

/* The replay; *failed names the event that could not apply, if one did not. */
static khum_code replay(const char *commune, int seats, const khum_council_list *lists,
                        size_t nlists, const char *formed_on, const khum_ledger_event *events,
                        size_t nevents, const char *as_of, const khum_council_rules *r,
                        khum_arena *a, khum_council *c, khum_changes *out,
                        const khum_ledger_event **failed, khum_err *err)
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
        if ((rc = khum_council_apply(c, ev, r, a, out, err)) && failed)
            *failed = ev;
    }
    free(order);
    return rc;
}

khum_code khum_ledger_replay(const char *commune, int seats, const khum_council_list *lists,
                             size_t nlists, const char *formed_on,
                             const khum_ledger_event *events, size_t nevents,
                             const char *as_of, const khum_council_rules *r, khum_arena *a,
                             khum_council *c, khum_changes *out, khum_err *err)
{
    return replay(commune, seats, lists, nlists, formed_on, events, nevents, as_of, r, a, c,
                  out, NULL, err);
}

/* The set of events a replay applies changes only with the date asked and
 * with the reversals in effect; between two reversals' dates, the latest day
 * sees every event the earlier days see, in the same order. So the dates to
 * replay are the end of the mandate and the eve of each reversal. */
khum_code khum_ledger_check(const char *commune, int seats, const khum_council_list *lists,
                            size_t nlists, const char *formed_on,
                            const khum_ledger_event *events, size_t nevents, const char *end,
                            const khum_council_rules *r, khum_arena *a,
                            const khum_ledger_event **broken, khum_err *err)
{
    *broken = NULL;
    khum_council c;
    khum_code rc = replay(commune, seats, lists, nlists, formed_on, events, nevents, end, r,
                          a, &c, NULL, broken, err);
    for (size_t i = 0; i < nevents && !rc; i++) {
        if (events[i].type != KHUM_EV_REVERSE || strcmp(events[i].date, formed_on) <= 0 ||
            strcmp(events[i].date, end) > 0)
            continue;
        char eve[11];
        khum_days_date(khum_date_days(events[i].date) - 1, eve);
        rc = replay(commune, seats, lists, nlists, formed_on, events, nevents, eve, r, a, &c,
                    NULL, broken, err);
    }
    return rc;
}

void khum_mandate_end(const char *polling_day, const char *next_polling_day, char out[11])
{
    int y = atoi(polling_day), m = atoi(polling_day + 5), d = atoi(polling_day + 8);
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y + 5, m, m == 2 && d == 29 ? 28 : d);
    memcpy(out, tmp, 10);
    out[10] = '\0';
    if (next_polling_day && *next_polling_day && strcmp(next_polling_day, out) <= 0)
        khum_days_date(khum_date_days(next_polling_day) - 1, out);
}
