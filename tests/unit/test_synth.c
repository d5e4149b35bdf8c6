/*
 * test_synth.c: the synthetic generator's refusals (SYN.902 to SYN.904) and
 * a small generation that is whole: every station has a form that passes
 * its checks, the seats add up, and the result says it is synthetic.
 */
#include "testutil.h"

#include "khum/synth.h"

static khum_synth_commune communes[20];
static char codes[20][8];

static void params(khum_synth_params *p)
{
    static const khum_synth_party parties[] = {{"CPP", 6000}, {"CNRP", 4000}};
    khum_err err;
    assert_int_equal(khum_synth_preset(2022, p, &err), KHUM_OK);
    p->communes = 20;
    p->seats = 20 * 7;
    p->stations = 60;
    p->registered = 60 * 500;
    p->cast = 60 * 400;
    p->invalid = 60 * 8;
    p->parties = parties;
    p->nparties = 2;
    for (int i = 0; i < 20; i++) {
        snprintf(codes[i], sizeof codes[i], "0102%02d", i + 1);
        communes[i] = (khum_synth_commune){codes[i], 1000 + 100 * i, 600 + 60 * i};
    }
}

static void refusals(void **state)
{
    khum_synth_params p;
    khum_synth_out out;
    khum_err err;
    params(&p);
    khum_err_clear(&err);
    assert_int_not_equal(khum_synth_run(&p, communes, 19, &out, &err), KHUM_OK);
    assert_string_equal(err.rule, "SYN.902");   /* not the communes the figures are for */
    khum_synth_free(&out);
    params(&p);
    p.seats = 20 * 12;                          /* more than 11 seats a council */
    khum_err_clear(&err);
    assert_int_not_equal(khum_synth_run(&p, communes, 20, &out, &err), KHUM_OK);
    assert_string_equal(err.rule, "SYN.903");
    khum_synth_free(&out);
    params(&p);
    p.nparties = 1;
    khum_err_clear(&err);
    assert_int_not_equal(khum_synth_run(&p, communes, 20, &out, &err), KHUM_OK);
    assert_string_equal(err.rule, "SYN.904");
    khum_synth_free(&out);
}

static void whole(void **state)
{
    khum_synth_params p;
    khum_synth_out out;
    khum_err err;
    params(&p);
    khum_err_clear(&err);
    assert_int_equal(khum_synth_run(&p, communes, 20, &out, &err), KHUM_OK);
    assert_true(out.election.synthetic);
    assert_int_equal(out.nforms, out.election.nstations);
    int seats = 0;
    for (size_t i = 0; i < out.election.ncommunes; i++)
        seats += out.election.communes[i].seats;
    assert_int_equal(seats, 140);
    for (size_t i = 0; i < out.nforms; i++) {
        khum_checks c;
        khum_form_check(&out.election, &out.forms[i], &c);
        assert_int_equal(c.errors, 0);  /* SYN.905 guards this inside the generator too */
    }
    khum_synth_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(refusals), cmocka_unit_test(whole)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
