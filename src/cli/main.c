/*
 * main.c: the khum binary's entry point: global --help and --version, then
 * dispatch to one subcommand. Each subcommand parses its own options with
 * getopt_long and answers --help itself.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const cli_cmd commands[] = {
    {"init", cmd_init, "create a database, or bring its schema up to date"},
    {"import", cmd_import, "load gazetteer, population, council sizes or parties"},
    {"geo", cmd_geo, "find a province, district or commune by code or name"},
    {"party", cmd_party, "list the registered parties"},
    {"election", cmd_election, "import, show or list election definitions"},
    {"synth", cmd_synth, "generate a SYNTHETIC national election over the real gazetteer"},
    {"entry", cmd_entry, "key result forms twice, resolve, explain, correct"},
    {"lots", cmd_lots, "record the lots drawn for a tied commune"},
    {"official", cmd_official, "make communes' results official"},
    {"reconcile", cmd_reconcile, "check every level against the station forms"},
    {"tally", cmd_tally, "the results table: national, province, district or commune"},
    {"export", cmd_export, "results as NIST SP 1500-100 JSON or OpenElections CSV"},
    {"council", cmd_council, "a commune council on any date: members, posts, changes"},
    {"ledger", cmd_ledger, "the mandate ledger: record events, list them, seats on a date"},
    {"allocate", cmd_allocate, "allocate seats from a CSV of votes (D'Hondt, Cambodia, ...)"},
    {"db", cmd_db, "migrate a database, or copy a deployment between SQLite and PostgreSQL"},
    {"serve", cmd_serve, "serve the JSON API and the dashboard over HTTP"},
    {"keygen", cmd_keygen, "make the commission's Ed25519 key pair for signing bundles"},
    {"publish", cmd_publish, "write a signed, versioned bundle of the official data"},
    {"print", cmd_print, "print a protocol, summary, Form 1102 or council certificate (PDF)"},
    {"verify", cmd_verify, "check a bundle offline: signature, hashes, every total and seat"},
    {"user", cmd_user, "add, list, change or disable the users of the server"},
    {"audit", cmd_audit, "verify the hash-chained audit log, or show its events"},
    {"rla", cmd_rla, "risk-limiting audit of the seats: assertions, plan, draw, record"},
    {"demo", cmd_demo, "build a database from the reference data and show it"},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: khum [--help] [--version] COMMAND [ARGS]\n"
            "\n"
            "khum runs and keeps the record of local council elections held under\n"
            "party-list proportional representation (Cambodia's commune councils first).\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "Every command answers --help. The database is --db PATH, else $KHUM_DB,\n"
            "else khum.db; reference data is read from $KHUM_SHARED (default ../shared).\n"
            "Exit status: 0 success, 1 failure, 2 bad usage or bad input, 3 a tie needs lots.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_BAD;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("khum %s (schema %d)\n", KHUM_VERSION, khum_store_schema_latest());
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "khum: unknown command '%s' (see khum --help)\n", argv[1]);
    return EXIT_BAD;
}
