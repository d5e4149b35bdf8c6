# ledger_validity.sh: the mandate can never become unreadable. An event is
# recorded only if the whole ledger stays valid to the end of the mandate:
# a back-dated resignation that would break a later one, an event after the
# mandate's end, a reversal that would break a later event and a reversal of
# an event that does not exist are refused with the ledger's own codes and
# nothing is written; the council, the mandate and `khum publish` still
# work afterwards. Through the CLI and through the API (khum serve).
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

F="$KHUM_TESTDATA/news-2017"
PW=correct-horse-9
# setup DB: the 2017 story's commune (CNRP 3, CPP 2) made official, by the
# administrator "admin" that newdb adds.
setup() {
    run 0 "$KHUM" import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q --db "$1"
    run 0 "$KHUM" import parties "$KHUM_SRC/data/parties/kh.csv" -q --db "$1"
    run 0 "$KHUM" election import "$F" --db "$1"
    run 0 "$KHUM" import results "$F/results.csv" -q --user admin --db "$1"
    run 0 "$KHUM" import candidates "$F/candidates.csv" --user admin --db "$1"
    run 0 "$KHUM" official --user admin --db "$1"
}
events() { sql "$1" "SELECT count(*) FROM ledger_event"; }

DB=$(newdb cli)
setup "$DB"
K() { "$KHUM" "$@" --db "$DB"; }
run 0 K ledger add resign --date 2017-09-20 --commune 010201 --person CPP-2 --user admin
has out "event 1 recorded"

# The same resignation back-dated: valid on its own date, but event 1 would
# then resign someone who no longer sits. Refused, naming event 1.
before=$(dbdump "$DB")
run 1 K ledger add resign --date 2017-09-10 --commune 010201 --person CPP-2 --user admin
has err "[LED.606]"; has err "event 1 (resign on 2017-09-20)"
has err "CPP-2 does not hold a seat in commune 010201"
eq "$(dbdump "$DB")" "$before" "a refused back-dated event writes nothing"
# A back-dated event that breaks nothing is still welcome.
run 0 K ledger add resign --date 2017-08-01 --commune 010201 --person CNRP-3 --user admin
has out "event 2 recorded"

# An event after the mandate's end (five years from 2017-06-04) is refused.
run 2 K ledger add resign --date 2023-01-01 --commune 010201 --person CPP-1 --user admin
has err "[LED.603]"; has err "2022-06-04"
eq "$(events "$DB")" 2 "no event after the mandate's end"

# Reversing a dissolution that a later event depends on: CPP-6 holds a
# redistributed seat and resigns; the reversal would unseat him before that.
run 0 K ledger add dissolve --party CNRP --date 2017-11-16 --user admin; has out "event 3 recorded"
run 0 K council show 010201 --on 2017-12-01; has out "CPP-6"
run 0 K ledger add resign --date 2018-01-10 --commune 010201 --person CPP-6 --user admin
has out "event 4 recorded"
before=$(dbdump "$DB")
run 1 K ledger add reverse --reverses 3 --date 2018-02-01 --user admin
has err "[LED.606]"; has err "event 4 (resign on 2018-01-10)"
eq "$(dbdump "$DB")" "$before" "a refused reversal writes nothing"

# Reversing an event that does not exist: the ledger's own rule, not DB.903.
run 1 K ledger add reverse --reverses 99 --date 2018-02-01 --user admin
has err "[LED.607]"; hasnt err "DB.903"
eq "$(dbdump "$DB")" "$before" "a reversal of nothing writes nothing"
# Reversing the resignation first, then the dissolution, leaves a valid ledger.
run 0 K ledger add reverse --reverses 4 --date 2018-02-01 --user admin; has out "event 5 recorded"
run 1 K ledger add reverse --reverses 4 --date 2018-02-03 --user admin; has err "[LED.608]"
run 1 K ledger add reverse --reverses 5 --date 2018-02-03 --user admin; has err "[LED.608]"
run 1 K ledger add reverse --reverses 3 --date 2017-11-01 --user admin; has err "[LED.608]"
run 0 K ledger add reverse --reverses 3 --date 2018-02-02 --user admin; has out "event 6 recorded"

# Everything still reads: the council on any date, the mandate, the bundle.
for d in 2017-10-01 2017-12-01 2018-03-01; do
    run 0 K council show 010201 --on $d
done
run 0 K council show 010201 --on 2018-03-01; has out "CNRP 3, CPP 2"; has out "CNRP-4 "
run 0 K ledger export --format memberships; has out "CPP-3"
run 0 "$KHUM" keygen "$T/k"
run 0 K publish --out "$T/pub" --key "$T/k.key"; has out "published"

# The next mandate's polling day on record ends this one on its eve.
mkdir "$T/next"; cp "$F"/*.csv "$T/next/"
sed -i 's/^kh-news-2017,.*/kh-next-2022,The next mandate,2022-05-01,5,cambodia,votes,0/' "$T/next/election.csv"
run 0 K election import "$T/next"
run 2 K ledger add resign --date 2022-05-15 --commune 010201 --person CPP-1 --user admin --election kh-news-2017
has err "[LED.603]"; has err "to its end (2022-04-30)"
run 0 K ledger add resign --date 2022-04-30 --commune 010201 --person CPP-1 --user admin --election kh-news-2017
run 0 K ledger export --format timeseries --election kh-news-2017; has out "2022-04-30,"; hasnt out "2022-05-01,"

# The same through the API.
DB=$(newdb api)
setup "$DB"
start_server "$DB"
E=/api/v1/elections/kh-news-2017
login admin "$PW"; status 200 "login"
as admin POST $E/ledger '{"type":"resign","date":"2017-09-20","commune":"010201","person":"CPP-2"}'
status 201 "resignation"
as admin POST $E/ledger '{"type":"resign","date":"2017-09-10","commune":"010201","person":"CPP-2"}'
status 409 "back-dated resignation"; eq "$(json error.code)" LED.606 "back-dated code"
as admin POST $E/ledger '{"type":"resign","date":"2023-01-01","commune":"010201","person":"CPP-1"}'
status 422 "after the mandate"; eq "$(json error.code)" LED.603 "after the mandate code"
as admin POST $E/ledger '{"type":"reverse","date":"2018-01-01","reverses":99}'
status 404 "reversal of nothing"; eq "$(json error.code)" LED.607 "reversal of nothing code"
# Six resignations of one person on different dates at once: one is recorded.
pids=""
for d in 10 11 12 13 14 15; do
    curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer $TOKEN_admin" \
        -H 'Content-Type: application/json' \
        --data-binary "{\"type\":\"resign\",\"date\":\"2017-10-$d\",\"commune\":\"010201\",\"person\":\"CPP-1\"}" \
        "$BASE$E/ledger" >>"$T/codes" &
    pids="$pids $!"
done
wait $pids
eq "$(grep -c 201 "$T/codes")" 1 "one of six concurrent resignations recorded"
eq "$(events "$DB")" 2 "two events in all"
req GET $E/mandate; status 200 "mandate"
req GET "$E/mandate?until=2017-10-31"; status 200 "mandate to a date"
stop_server
run 0 "$KHUM" council show 010201 --on 2017-10-31 --db "$DB"
run 0 "$KHUM" publish --out "$T/pub2" --key "$T/k.key" --db "$DB"; has out "published"

# A ledger broken before this check (a back-dated resignation written
# straight into the table) is repaired by reversing the mistaken event on its
# own date; a reversal dated later would leave the days before it broken.
sql "$DB" "INSERT INTO ledger_event (election, effective_date, type, commune, person, recorded_by, recorded_at) VALUES ('kh-news-2017', '2017-09-10', 'resign', '010201', 'CPP-2', 'admin', '2017-09-10T00:00:00Z')" >/dev/null
bad=$(sql "$DB" "SELECT max(id) FROM ledger_event")
run 1 "$KHUM" council show 010201 --on 2017-10-31 --db "$DB"; has err "[LED.601]"
run 1 "$KHUM" ledger add reverse --reverses "$bad" --date 2017-10-01 --user admin --db "$DB"
has err "[LED.606]"
run 0 "$KHUM" ledger add reverse --reverses "$bad" --date 2017-09-10 --user admin --db "$DB"
run 0 "$KHUM" council show 010201 --on 2017-10-31 --db "$DB"
finish
