# concurrency.sh: 32 clerks at once through `khum serve`, on SQLite and on
# PostgreSQL: pairs key the same 16 stations at the same moment, and all 32
# key station 17 together. Every 201 must be in the database exactly once,
# station 17 must have exactly two entries (the others 409), the audit
# chains verify, and both backends give the same official results.
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

[ -n "${KHUM_TEST_PG:-}" ] || { echo "concurrency.sh needs KHUM_TEST_PG (make check starts one)" >&2; exit 1; }
EL="$T/el"; mkdir -p "$EL"
printf 'id,name,date,mandate,method,tie_rule,synthetic\nconc,SYNTHETIC concurrency test,2022-06-05,5,cambodia,votes,1\n' >"$EL/election.csv"
printf 'commune,seats\n010201,11\n' >"$EL/communes.csv"
printf 'commune,party,ballot_no\n010201,CPP,1\n010201,CNRP,2\n010201,FCP,3\n' >"$EL/lists.csv"
{ echo station,commune,registered
  i=1; while [ $i -le 17 ]; do printf '010201-%02d,010201,500\n' $i; i=$((i + 1)); done
} >"$EL/stations.csv"
PW=correct-horse-9
body() {  # station number -> a valid form whose votes depend on it
    c=$((100 + $1 * 7)); n=$((300 - c))
    printf '{"registered":500,"received":500,"cast":400,"spoiled":0,"unused":100,"valid":390,"invalid":10,"votes":{"CPP":%d,"CNRP":%d,"FCP":90}}' $c $n
}
client() {  # USER STATION...
    u=$1; shift
    tok=$(curl -s -H 'Content-Type: application/json' -d "{\"user\":\"$u\",\"password\":\"$PW\"}" \
          "$BASE/api/v1/session" | sed -n 's/.*"token": *"\([0-9a-f]*\)".*/\1/p')
    for k in "$@"; do
        st=$(printf '010201-%02d' "$k")
        code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" \
            -H 'Content-Type: application/json' --data "$(body "$k")" \
            "$BASE/api/v1/elections/conc/forms/$st/entries")
        echo "$st $u $code" >>"$T/log.$u"
    done
}
scenario() {  # DB -> the official results in $T/result.<label>
    db=$1; label=$2
    K() { "$KHUM" "$@" --db "$db"; }
    run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
    run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
    run 0 K election import "$EL"
    i=1; while [ $i -le 32 ]; do
        printf '%s\n' "$PW" | K user add "$(printf 'c%02d' $i)" --role clerk --scope 01 >/dev/null 2>&1 || fail "user $i"
        i=$((i + 1)); done
    printf '%s\n' "$PW" | K user add chair --role admin >/dev/null 2>&1
    rm -f "$T"/log.*
    start_server "$db" --threads 8
    pids=""
    i=1; while [ $i -le 32 ]; do  # c01 and c02 key station 1, ..., c31 and c32 station 16; all 17
        client "$(printf 'c%02d' $i)" $(((i + 1) / 2)) 17 &
        pids="$pids $!"; i=$((i + 1)); done
    wait $pids
    acked=$(cat "$T"/log.* | grep -c ' 201$')
    bad=$(cat "$T"/log.* | grep -vc ' 201$\| 409$' || true)
    eq "$bad" 0 "answers other than 201 and 409 ($label)"
    eq "$acked" 34 "acknowledged entries: 16 pairs and two for station 17 ($label)"
    eq "$(grep '^010201-17 ' "$T"/log.* | grep -c ' 201$')" 2 "station 17 acknowledged twice ($label)"
    lost=0
    for f in "$T"/log.*; do
        while read -r st who code; do
            [ "$code" = 201 ] || continue
            n=$(sql "$db" "SELECT count(*) FROM form_entry WHERE election = 'conc' AND station = '$st' AND entered_by = '$who'")
            [ "$n" = 1 ] || { lost=$((lost + 1)); echo "$st $who: $n rows" >&2; }
        done <"$f"
    done
    eq "$lost" 0 "every acknowledged entry exactly once ($label)"
    eq "$(sql "$db" "SELECT count(*) FROM form_entry WHERE election = 'conc'")" 34 "entries stored ($label)"
    eq "$(sql "$db" "SELECT count(*) FROM form_version WHERE election = 'conc' AND state = 'accepted'")" 17 "all 17 forms accepted ($label)"
    tok=$(curl -s -H 'Content-Type: application/json' -d "{\"user\":\"chair\",\"password\":\"$PW\"}" \
          "$BASE/api/v1/session" | sed -n 's/.*"token": *"\([0-9a-f]*\)".*/\1/p')
    STATUS=$(curl -s -o "$T/out" -w '%{http_code}' -H "Authorization: Bearer $tok" \
        -H 'Content-Type: application/json' -d '{}' "$BASE/api/v1/elections/conc/official")
    status 200 "made official ($label)"
    stop_server
    run 0 K audit verify; has out "audit log verified"
    run 0 K tally --election conc --format csv
    cp "$T/out" "$T/result.$label"
}
scenario "$(BACKEND=sqlite newdb c)" sqlite
PGDB=$(BACKEND=postgresql newdb conc)
scenario "$PGDB" postgresql
CHECKS=$((CHECKS + 1))
cmp -s "$T/result.sqlite" "$T/result.postgresql" || { fail "official results differ between the backends"; diff "$T/result.sqlite" "$T/result.postgresql" | head >&2; }
finish
