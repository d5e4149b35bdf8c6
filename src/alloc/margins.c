/*
 * margins.c: how close each divisor allocation was. For a party A holding
 * s_A seats and a party B holding s_B, A's last winning quotient is
 * v_A / d(s_A - 1) and B's first losing one v_B / d(s_B). Moving t votes from
 * A to B changes the seats as soon as B's quotient passes A's:
 *     (v_B + t) / d_B > (v_A - t) / d_A  <=>  t > (v_A d_B - v_B d_A) / (d_A + d_B)
 * and adding a votes to B alone as soon as a > (v_A d_B - v_B d_A) / d_A.
 * Both are integers computed exactly; the common denominator of the divisors
 * cancels out. The statutory Cambodian procedure gives D'Hondt's seats
 * (cambodia.c), so its margins are D'Hondt's.
 */
#include "engine.h"

static int64_t floor_div(__int128 a, __int128 b)  /* b > 0 */
{
    __int128 q = a / b;
    if ((a % b != 0) && (a < 0))
        q--;
    return (int64_t)q;
}

khum_code khum_alloc_margins(const khum_alloc_rules *r, const khum_alloc_input *in,
                             const khum_alloc_result *res, khum_arena *a,
                             khum_alloc_margin **out, size_t *n, int *closest,
                             khum_err *err)
{
    *out = NULL;
    *n = 0;
    *closest = -1;
    if (r->method == KHUM_METHOD_LARGEST_REMAINDER || r->method == KHUM_METHOD_CAMBODIA_1998)
        return khum_err_set(err, KHUM_ERR_USAGE, "ALC.630",
                            "margins are computed for divisor methods and the statutory "
                            "procedure, not for %s", khum_method_name(r->method));
    divisors d = alloc_divisors(r);
    if (r->method == KHUM_METHOD_CAMBODIA)
        d = (divisors){KHUM_METHOD_DHONDT, 1, 1};
    size_t np = in->n;
    khum_alloc_margin *m = khum_arena_alloc(a, (np * np + 1) * sizeof *m);
    if (!m)
        return khum_err_set(err, KHUM_ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; i < np; i++) {
        const khum_alloc_party *pa = &in->parties[i];
        if (res->seats[i] == 0)
            continue;
        for (size_t j = 0; j < np; j++) {
            const khum_alloc_party *pb = &in->parties[j];
            bool capped = pb->max_seats >= 0 && res->seats[j] >= pb->max_seats;
            if (j == i || !pb->eligible || capped)
                continue;
            int64_t da = alloc_divisor_num(&d, res->seats[i] - 1);
            int64_t db = alloc_divisor_num(&d, res->seats[j]);
            __int128 gap = (__int128)pa->votes * db - (__int128)pb->votes * da;
            khum_alloc_margin *x = &m[(*n)++];
            x->holder = (int)i;
            x->challenger = (int)j;
            x->holder_last = (khum_frac){pa->votes * d.den, da};
            x->challenger_next = (khum_frac){pb->votes * d.den, db};
            int64_t move = floor_div(gap, (__int128)da + db) + 1;
            x->votes_to_move = move < 1 ? 1 : (move > pa->votes ? -1 : move);
            int64_t add = floor_div(gap, da) + 1;
            x->votes_to_add = add < 1 ? 1 : add;
        }
    }
    for (size_t k = 0; k < *n; k++) {
        if (m[k].votes_to_move < 0)
            continue;
        if (*closest < 0 || m[k].votes_to_move < m[*closest].votes_to_move ||
            (m[k].votes_to_move == m[*closest].votes_to_move &&
             m[k].votes_to_add < m[*closest].votes_to_add))
            *closest = (int)k;
    }
    *out = m;
    return KHUM_OK;
}
