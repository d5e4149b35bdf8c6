/*
 * tally_view.h: a tally with what reports print around it: area names,
 * which communes are official, and the explanations of warnings. Shared by
 * `khum tally`, `khum export`, `khum publish` and the server.
 */
#ifndef KHUM_TALLY_VIEW_H
#define KHUM_TALLY_VIEW_H

#include "khum/app.h"
#include "khum/count.h"
#include "khum/store.h"

typedef struct tally_view {
    khum_arena arena;
    khum_election e;
    khum_tally t;
    khum_area_name *names;
    size_t nnames;
    const char **official;          /* communes made official, sorted */
    size_t nofficial;
    khum_explanation_row *expl;
    size_t nexpl;
    khum_party *parties;            /* the registry, for names and colours */
    size_t nparties;
    khum_commune_lots *lots;        /* for the communes the live tally allocates again */
    size_t nlots;
    char country[3];                /* ISO 3166-1 of the gazetteer's provinces, or "" */
    const char *nation_name;        /* a bundle's own name for the nation, or NULL */
} tally_view;

khum_code tally_view_load(khum_store *s, const char *election, tally_view *v, khum_err *err);
void tally_view_free(tally_view *v);
/* Follow the forms that changed (khum_app_live_changes, read beforehand
 * without touching the view): each replaces its station's in the live
 * tally. On an error the view is inconsistent: load it again. */
khum_code tally_view_apply(tally_view *v, const khum_live_changes *c, khum_err *err);
/* Has the live tally allocated communes again so often (each keeps its
 * protocol in the view's arena) that a fresh load should replace it? */
bool tally_view_worn(const tally_view *v);
const khum_tally_area *tally_view_area(const tally_view *v, const char *code);
/* True when the commune of this code is in the election and lies in area. */
bool tally_view_commune_within(const tally_view *v, const char *commune, const char *area);
const char *tally_view_name(const tally_view *v, const char *code);
/* The nation's name, Latin or Khmer, from the data: its country when the
 * gazetteer's ISO 3166-2 codes name one (khum_store_country), else the word
 * "Nation" (never Cambodia for another country's election). */
const char *tally_view_nation(const tally_view *v, bool km);
/* A party as people read it: the registry's abbreviation (FUNCINPEC for the
 * id FCP), the one label the dashboard shows too; the id when unregistered. */
const char *tally_view_party_label(const tally_view *v, const char *party);
/* The names and centroid of an area (NULL for the nation or an unknown code). */
const khum_area_name *tally_view_names(const tally_view *v, const char *code);
/* "official", or "provisional (12 of 1,646 communes official)" */
void tally_view_status(const tally_view *v, const char *area, char *buf, size_t cap);
void tally_view_text(const tally_view *v, const char *area, khum_buf *b);
void tally_view_csv(const tally_view *v, const char *area, int by, khum_buf *b);
void tally_view_json(const tally_view *v, const char *area, int by, khum_buf *b);

#endif
