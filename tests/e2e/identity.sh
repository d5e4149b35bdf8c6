# identity.sh: who may write through the command line (issue 14, defect 4).
# --user (or $KHUM_USER) must name an existing, enabled user whose role and
# scope allow the write, the same check the server makes; whoever keyed an
# entry of a form may neither settle nor explain it; scopes name places of
# the gazetteer; the first administrator is added without --user, and only
# while there is none. Every refusal writes nothing (compared by a dump).
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

refused() {  # STATUS CODE CMD...: fails with STATUS, names CODE, writes nothing
    want=$1; code=$2; shift 2
    before=$(dbdump "$DB" | sha256sum)
    run "$want" "$@"
    has err "$code"
    eq "$(dbdump "$DB" | sha256sum)" "$before" "$code writes nothing"
}

# The first administrator: without --user only while there is none, and only
# an administrator.
DB=$(newdb boot --empty)
run 0 "$KHUM" init --db "$DB"
printf '%s\n' "$PW" >"$T/pw"
refused 1 "[AUTH.518]" sh -c "KHUM_USER= \"$KHUM\" user add ann --role clerk --db \"$DB\" <\"$T/pw\""
run 0 sh -c "KHUM_USER= \"$KHUM\" user add admin --role admin --db \"$DB\" <\"$T/pw\""
refused 1 "[AUTH.517]" sh -c "KHUM_USER= \"$KHUM\" user add eve --role admin --db \"$DB\" <\"$T/pw\""
refused 2 "who is acting?" sh -c "KHUM_USER= \"$KHUM\" user disable admin --db \"$DB\""
refused 1 "[AUTH.514]" sh -c "\"$KHUM\" user add eve --role admin --user eve --db \"$DB\" <\"$T/pw\""

DB=$(newdb id)
K() { "$KHUM" "$@" --db "$DB"; }
N="$KHUM_TESTDATA/news-2017"
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$N"
run 0 K import results "$N/results.csv" --election kh-news-2017 -q
run 0 K import candidates "$N/candidates.csv" --election kh-news-2017
run 0 K official --election kh-news-2017
run 0 K election import "$KHUM_TESTDATA/mini-election"

# Scopes are checked against the gazetteer (mini-gazetteer: province 01,
# district 0102, communes 010201 and 010202).
refused 2 "[AUTH.516]" sh -c "\"$KHUM\" user add bad --role coordinator --scope 99 --db \"$DB\" <\"$T/pw\""
refused 2 "[AUTH.516]" sh -c "\"$KHUM\" user add bad --role clerk --scope '010201;010299-01' --db \"$DB\" <\"$T/pw\""
refused 2 "[AUTH.516]" sh -c "\"$KHUM\" user add bad --role clerk --scope 0102010 --db \"$DB\" <\"$T/pw\""
adduser "$DB" clerk1 clerk 010201
adduser "$DB" clerk2 clerk 010201-01
adduser "$DB" coord1 coordinator 01
adduser "$DB" coord2 coordinator 0102
adduser "$DB" coord3 coordinator 010202
adduser "$DB" journalist2 observer
refused 2 "[AUTH.516]" K user set coord3 --scope 98
# Only an administrator manages users.
refused 1 "[AUTH.503]" sh -c "\"$KHUM\" user add x --role clerk --user coord1 --db \"$DB\" <\"$T/pw\""
refused 1 "[AUTH.503]" K user disable clerk2 --user clerk1

# Unknown users and observers record nothing: not the defection of the news,
# not an import.
DEFECT="ledger add defect --commune 010201 --person CNRP-2 --to-party CPP --date 2017-10-23 --election kh-news-2017"
refused 1 "no user journalist1" K $DEFECT --user journalist1
has err "[AUTH.514]"
refused 1 "[AUTH.503]" K $DEFECT --user journalist2
refused 2 "who is acting?" env KHUM_USER= "$KHUM" $DEFECT --db "$DB"
refused 1 "[AUTH.503]" K import parties "$KHUM_SRC/data/parties/kh.csv" --user coord1 -q
refused 1 "[AUTH.514]" K election import "$N" --user nobody
# A coordinator outside the commune's scope is refused; inside, recorded.
refused 1 "[AUTH.504]" K $DEFECT --user coord3
refused 1 "[AUTH.503]" K ledger add dissolve --party CNRP --date 2017-11-16 --election kh-news-2017 --user coord1
run 0 K $DEFECT --user coord1
eq "$(sql "$DB" "SELECT count(*) FROM ledger_event")" 1 "one ledger event"

# Entries: a clerk keys only in scope and never settles.
E="--election kh-test-2022"
F1="registered=500 received=510 cast=400 spoiled=2 unused=108 valid=390 invalid=10 CPP=200 CNRP=150 FCP=40"
F2="registered=500 received=510 cast=400 spoiled=2 unused=108 valid=390 invalid=10 CPP=190 CNRP=160 FCP=40"
F3="registered=400 received=410 cast=300 spoiled=0 unused=110 valid=294 invalid=6 CPP=150 CNRP=100 FCP=44"
refused 1 "[AUTH.504]" K entry enter 010201-02 $F3 $E --user clerk2
refused 1 "[AUTH.504]" K entry enter 010202-01 $F1 $E --user clerk1
run 0 K entry enter 010201-01 $F1 $E --user clerk1; has out "empty -> first-entered"
run 0 K entry enter 010201-01 $F2 $E --user coord1; has out "entries-different"
refused 1 "[AUTH.503]" K entry resolve 010201-01 keep-first --reason "paper form checked" $E --user clerk1
# Separation of duties: coord1 keyed the second entry, so may not settle it.
refused 1 "[CNT.807]" K entry resolve 010201-01 keep-second --reason "paper form checked" $E --user coord1
refused 1 "[AUTH.504]" K entry resolve 010201-01 keep-first --reason "paper form checked" $E --user coord3
run 0 K entry resolve 010201-01 keep-first --reason "paper form checked" $E --user coord2; has out "entries-different -> accepted"
# A form with a warning: its keyers may not explain it, another coordinator may.
W="registered=600 received=612 cast=150 spoiled=1 unused=461 valid=140 invalid=10 CPP=100 CNRP=40"
run 0 K entry enter 010202-01 $W $E --user coord3
run 0 K entry enter 010202-01 $W $E --user coord1; has out "needs-explanation"
refused 1 "[CNT.807]" K entry explain 010202-01 W.201 "flooding cut the road" $E --user coord3
run 0 K entry explain 010202-01 W.201 "flooding cut the road" $E --user coord2

# A disabled user is refused; enabled again, allowed.
run 0 K user disable clerk1
refused 1 "[AUTH.515]" K entry enter 010201-02 $F3 $E --user clerk1
run 0 K user enable clerk1
run 0 K entry enter 010201-02 $F3 $E --user clerk1

# The server makes the same checks (khum_app_authorize and the operations):
# coord2 keys the second, different entry of 010201-02, so may not settle it
# through the API either; coord1 may.
F4="registered=400 received=410 cast=300 spoiled=0 unused=110 valid=294 invalid=6 CPP=140 CNRP=110 FCP=44"
run 0 K entry enter 010201-02 $F4 $E --user coord2; has out "entries-different"
start_server "$DB"
for u in coord1 coord2 journalist2; do login $u "$PW"; status 200 "login $u"; done
A=/api/v1/elections/kh-test-2022/forms/010201-02/resolve
as coord2 POST $A '{"action":"keep-first","reason":"paper form checked"}'; status 403 "the keyer settles"
eq "$(json error.code)" CNT.807 "separation of duties on the server"
as journalist2 POST $A '{"action":"keep-first","reason":"paper form checked"}'; status 403 "an observer settles"
as coord1 POST $A '{"action":"keep-first","reason":"paper form checked"}'; status 200 "another coordinator settles"
stop_server

# The audit log names the user who acted.
eq "$(sql "$DB" "SELECT count(*) FROM audit_event WHERE actor = 'coord2'")" 3 "coord2's three writes"
run 0 K audit verify
finish
