/*
 * names.c: the words of the audit module (kinds, statuses, modes) and the
 * defaults and checks of its parameters: one home for each, so that the
 * CLI, the API and the bundle print the same words.
 */
#include <math.h>
#include <string.h>

#include "khum/rla.h"

const char *khum_rla_kind_name(khum_rla_kind k)
{
    switch (k) {
    case KHUM_RLA_PAIR: return "pair";
    case KHUM_RLA_ABOVE: return "above";
    case KHUM_RLA_BELOW: return "below";
    case KHUM_RLA_QUOTA_AT_LEAST: return "quota-at-least";
    case KHUM_RLA_QUOTA_BELOW: return "quota-below";
    }
    return "?";
}

static const char *const mode_names[] = {"polling", "oneaudit", "stations"};

const char *khum_rla_mode_name(khum_rla_mode m)
{
    return (unsigned)m < 3 ? mode_names[m] : "?";
}

bool khum_rla_mode_parse(const char *s, khum_rla_mode *m)
{
    for (int i = 0; i < 3; i++)
        if (s && strcmp(s, mode_names[i]) == 0) {
            *m = (khum_rla_mode)i;
            return true;
        }
    return false;
}

const char *khum_rla_recount_why_name(khum_rla_recount_why w)
{
    switch (w) {
    case KHUM_RLA_SAMPLE: return "";
    case KHUM_RLA_WHY_TIE: return "tie";
    case KHUM_RLA_WHY_MARGIN: return "margin";
    case KHUM_RLA_WHY_WORK: return "work";
    }
    return "?";
}

void khum_rla_params_default(khum_rla_params *p)
{
    *p = (khum_rla_params){0.05, 100.0, 1e-6};
}

khum_code khum_rla_params_check(const khum_rla_params *p, khum_err *err)
{
    /* written so that NaN fails too */
    if (!(p->alpha > 0.0 && p->alpha < 1.0))
        return khum_err_set(err, KHUM_ERR_USAGE, "RLA.500",
                            "the risk limit must lie strictly between 0 and 1 (got %g)",
                            p->alpha);
    if (!(p->prior_weight >= 0.0 && isfinite(p->prior_weight)) ||
        !(p->eps >= 0.0 && p->eps < 0.5))
        return khum_err_set(err, KHUM_ERR_USAGE, "RLA.500",
                            "ALPHA's prior weight must be >= 0 and its epsilon in [0, 0.5)");
    return KHUM_OK;
}

void khum_rla_plan_opts_default(khum_rla_plan_opts *o)
{
    memset(o, 0, sizeof *o);
    khum_rla_params_default(&o->params);
    o->runs = 1000;
    o->seed = "khum-rla-plan";
    o->recount_under = 0;
    o->recount_share = 0.5;
    o->precision = 0.01;
}
