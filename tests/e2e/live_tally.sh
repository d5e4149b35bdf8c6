# live_tally.sh: the server's results follow each form without counting the
# election again (#17). Two clerks key the forms of the mini election one by
# one through `khum serve`; after every write the server's results for every
# commune equal a full count by `khum tally` on the same database, and the
# server loaded its tally once and followed every change after it
# (/api/v1/health: tally.loads, tally.follows). Official results and lots
# change more than a form and load it again; a correction replaces an
# official form with a new one. `khum reconcile` replays the forms through
# the live tally and finds no difference.
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

DB=$(newdb live)
K() { "$KHUM" "$@" --db "$DB"; }
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$KHUM_TESTDATA/mini-election"
PW=correct-horse-9
for u in ann bob; do adduser "$DB" $u clerk 01; done
adduser "$DB" adm admin
start_server "$DB"
E=/api/v1/elections/kh-test-2022
for u in ann bob adm; do login $u "$PW"; status 200 "login $u"; done

# same WHAT: the server's results by commune and the nation equal a full count.
same() {
    for by in commune nation; do
        curl -s "$BASE$E/results?by=$by" >"$T/srv.json"
        K tally --by $by --format json >"$T/cli.json" 2>/dev/null
        cmp -s "$T/srv.json" "$T/cli.json" ||
            { fail "$1: the server's results by $by equal a full count"; diff "$T/srv.json" "$T/cli.json" | head >&2; }
        CHECKS=$((CHECKS + 1))
    done
}
# loads N WHAT: the server has loaded its tally N times.
loads() {
    req GET /api/v1/health
    eq "$(json tally.loads)" "$1" "$2: tally loaded $1 time(s)"
}
# key STATION JSON: both clerks key the form; it is accepted.
key() {
    as ann POST "$E/forms/$1/entries" "$2"; status 201 "$1 first entry"
    as bob POST "$E/forms/$1/entries" "$2"; status 201 "$1 second entry"
    eq "$(json state)" accepted "$1 accepted"
}

same "before any form"
F1='{"registered":500,"received":510,"cast":400,"spoiled":2,"unused":108,"valid":390,"invalid":10,"votes":{"CPP":200,"CNRP":150,"FCP":40}}'
F2='{"registered":400,"received":410,"cast":300,"spoiled":0,"unused":110,"valid":294,"invalid":6,"votes":{"CPP":150,"CNRP":100,"FCP":44}}'
F3='{"registered":600,"received":610,"cast":450,"spoiled":0,"unused":160,"valid":440,"invalid":10,"votes":{"CPP":300,"CNRP":140}}'
key 010201-01 "$F1"; same "one station"
key 010202-01 "$F3"; same "commune 010202 complete"
key 010201-02 "$F2"; same "every station"
loads 1 "after six entries"
req GET /api/v1/health
[ "$(json tally.follows)" -ge 3 ] || fail "the changes were followed ($(json tally.follows))"
CHECKS=$((CHECKS + 1))

# Official results change more than a form: the tally is loaded again.
as adm POST $E/official '{"communes":["010201"]}'; status 200 "official"
same "010201 official"
loads 2 "after official results"
# A correction opens a new version; its agreed entries replace the form.
as adm POST $E/forms/010201-02/corrections '{"reason":"recount","reference":"NEC 12/2022"}'
status 201 correction
same "a correction opened"
F2c='{"registered":400,"received":410,"cast":300,"spoiled":0,"unused":110,"valid":294,"invalid":6,"votes":{"CPP":140,"CNRP":110,"FCP":44}}'
key 010201-02 "$F2c"; same "the corrected form"
loads 2 "after the correction"
as adm POST $E/official '{"communes":["010201"]}'; status 200 "official again"
same "010201 official again"
stop_server
run 0 K reconcile
has out "0 differences"
finish
