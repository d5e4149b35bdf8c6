/*
 * manifest.c: the ballot manifest of one council. The official forms say how
 * many ballots each polling station's box holds; the board keeps them in
 * bundles of a stated size, so ballot k of the council is found by station
 * (in code order), then bundle, then position, both counted from 1 as the
 * board counts. Station, bundle and position are all the pull list needs.
 */
#include <string.h>

#include "khum/rla_draw.h"

#define BUNDLE_MAX 100000

khum_code khum_rla_manifest_check(khum_rla_manifest *m, khum_err *err)
{
    m->total = 0;
    if (m->bundle < 1 || m->bundle > BUNDLE_MAX)
        return khum_err_set(err, KHUM_ERR_INPUT, "RLA.541",
                            "a bundle holds 1 to %d ballots, not %d", BUNDLE_MAX, m->bundle);
    for (size_t i = 0; i < m->nboxes; i++) {
        const khum_rla_box *b = &m->boxes[i];
        if (b->ballots < 0 || b->ballots > INT64_MAX / 4 - m->total)
            return khum_err_set(err, KHUM_ERR_INPUT, "RLA.542",
                                "council %s: station %s cannot hold %lld ballots", m->commune,
                                b->station, (long long)b->ballots);
        for (size_t k = 0; k < i; k++)
            if (!strcmp(m->boxes[k].station, b->station))
                return khum_err_set(err, KHUM_ERR_INPUT, "RLA.542",
                                    "council %s: station %s is in the manifest twice",
                                    m->commune, b->station);
        m->total += b->ballots;
    }
    return KHUM_OK;
}

khum_code khum_rla_manifest_locate(const khum_rla_manifest *m, int64_t k,
                                   khum_rla_ballot *out, khum_err *err)
{
    int64_t offset = k;
    for (size_t i = 0; k >= 0 && i < m->nboxes; i++) {
        if (offset < m->boxes[i].ballots) {
            *out = (khum_rla_ballot){.index = k, .box = i, .bundle = offset / m->bundle + 1,
                                     .position = offset % m->bundle + 1};
            return KHUM_OK;
        }
        offset -= m->boxes[i].ballots;
    }
    return khum_err_set(err, KHUM_ERR_INPUT, "RLA.543",
                        "council %s has no ballot %lld: its manifest holds %lld", m->commune,
                        (long long)k, (long long)m->total);
}
