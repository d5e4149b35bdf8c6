/*
 * cli.h: what the khum subcommands share: the command table, reporting a
 * khum_err on stderr as "khum: FILE:LINE:COL: message [RULE]" with the exit
 * status it maps to (0 ok, 1 run-time failure, 2 bad usage or input, 3 a tie
 * that needs lots), opening the store and finding the reference data.
 */
#ifndef KHUM_CLI_H
#define KHUM_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "khum/auth.h"
#include "khum/count.h"
#include "khum/json.h"
#include "khum/err.h"
#include "khum/store.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_BAD = 2, EXIT_TIE = 3 };

typedef struct cli_cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} cli_cmd;

/* Print err to stderr and return the exit status its code maps to. */
int cli_fail(const khum_err *err);
int cli_exit_status(khum_code c);
/* "khum: message" on stderr; returns EXIT_BAD (for usage errors). */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cli_warn(const khum_err *w);

/* The database path: --db, else $KHUM_DB, else "khum.db". */
const char *cli_db_path(const char *opt);
int cli_open_store(const char *db_opt, khum_store **out);
/* Who the audit log names for this command: "cli:" and $KHUM_USER or $USER. */
const char *cli_actor(char *buf, size_t cap);
/* The same for commands that only read: a missing file is an error (DB.908),
 * not a new empty database. */
int cli_open_existing(const char *db_opt, khum_store **out);

/* The reference data folder ($KHUM_SHARED or ../shared); checks that file
 * (relative to it, e.g. "data/pumi/provinces.csv") exists and otherwise
 * explains on stderr what the data is and where it comes from. */
const char *cli_shared_dir(void);
bool cli_shared_file(const char *rel, char *out, size_t cap);

/* Write b to path (stdout when NULL); reports and returns EXIT_FAIL on error. */
int cli_write_out(const char *cmd, const char *path, const khum_buf *b);
/* Write root (taking ownership) indented to stdout. */
int cli_print_json(const char *cmd, json_t *root);

/* True when stderr is a terminal (progress lines are shown only then). */
bool cli_progress_enabled(void);

/* Options shared by the count commands (cmd_count.c). */
typedef struct count_opts {
    const char *db, *election, *user, *reason, *reference;
    const char *state, *area, *format;    /* entry list */
    bool accept_valid, quiet, all;
} count_opts;
/* Parse them; -1 after printing help, EXIT_BAD on a bad option. */
int count_parse(int argc, char **argv, const char *cmd, const char *help, count_opts *o);

/* The election to work on: --election ID, or the only one stored. */
int cli_load_election(khum_store *s, const char *id, khum_election *e);
/* Open the database and load the election in one step (the store is closed
 * again when loading fails); create: whether a missing database may be made. */
int cli_open_election(const char *db_opt, const char *id, bool create, khum_store **s,
                      khum_election *e);
void cli_close_election(khum_store *s, khum_election *e);
/* tally_view_load, reporting a failure on stderr. */
struct tally_view;
int cli_view_load(khum_store *s, const char *election, struct tally_view *v);
/* The acting user: --user NAME, else $KHUM_USER; NULL (and a message) when none. */
const char *cli_user(const char *opt, const char *cmd);
/* The acting user of a write, held to what a login is: cli_user, then
 * khum_app_authorize for act on object ("" for the whole database). On
 * success *user (may be NULL) names it and the audit log records "cli:NAME";
 * otherwise the reason is on stderr and the exit status returned. */
int cli_authorize(khum_store *s, const char *opt, khum_action act, const char *object,
                  const char *cmd, const char **user);
/* A commune of the election named by its code or its name (Latin in any
 * case, or Khmer, as khum geo show finds it): the code into out. A name that
 * fits several communes lists them; none is CNL.306 as for a code. */
int cli_commune_arg(khum_store *s, const khum_election *e, const char *arg, char *out,
                    size_t cap);
/* Print the election line every report starts with (SYNTHETIC banner too). */
void cli_print_election_head(FILE *out, const khum_election *e);

int cmd_init(int argc, char **argv);
int cmd_election(int argc, char **argv);
int cmd_synth(int argc, char **argv);
/* `khum synth --stations N --councils M ...` (cmd_synth_scale.c), and what
 * it shares with the national generator (cmd_synth.c). */
int synth_scale_main(int argc, char **argv);
bool synth_write_file(const char *dir, const char *name, const khum_buf *b);
bool synth_write_election(const char *dir, const khum_election *e);
int cmd_entry(int argc, char **argv);
int cmd_lots(int argc, char **argv);
int cmd_official(int argc, char **argv);
int cmd_reconcile(int argc, char **argv);
int cmd_tally(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_council(int argc, char **argv);
int cmd_ledger(int argc, char **argv);
/* Generate a SYNTHETIC election like YEAR and load it with its results;
 * its id is written to id. */
int synth_into_store(khum_store *s, int year, unsigned long long seed, bool show_report,
                     char *id, size_t idcap);
int import_candidates_file(khum_store *s, const char *user, const char *election,
                           const char *path, bool quiet);
int import_results_file(khum_store *s, const char *election, const char *path,
                        const char *votes, const char *user, bool accept_valid, bool quiet);
int cmd_import(int argc, char **argv);
int cmd_geo(int argc, char **argv);
int cmd_party(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_allocate(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_rla(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_print(int argc, char **argv);

/* Import steps the demo reuses; each runs in its own transaction. */
int import_gazetteer_dir(khum_store *s, const char *dir, const char *user, bool quiet);
/* A gazetteer folder (provinces.csv, optional districts.csv, communes.csv,
 * optional villages.csv), read and checked. */
khum_code cli_read_pumi_dir(const char *dir, khum_gazetteer *g, khum_err *err);
/* An election folder (election.csv, communes.csv, lists.csv, stations.csv,
 * optional parties.csv: *own says whether it was there), read and checked. */
khum_code cli_read_election_dir(const char *dir, khum_election *e, bool *own, khum_err *err);
/* `khum tally --forms FILE [--votes FILE] --election DIR` (cmd_tally_files.c). */
int tally_files_main(const char *dir, const char *forms, const char *votes,
                     const char *gazetteer, const char *area, int area_level, int by,
                     const char *format, const char *outpath);
int import_population_file(khum_store *s, const char *path, int year, const char *user,
                           bool quiet);
int import_parties_csv(khum_store *s, const char *name, const char *text, size_t len,
                       const char *user, bool quiet);

#endif
