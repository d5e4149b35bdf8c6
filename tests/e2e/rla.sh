# rla.sh: a risk-limiting audit of the seats (issue 19, docs/rla.md) through
# the command line: the seed recorded before the draw, a draw anyone can
# replay byte for byte (and one seed digit changes it), pull lists, two
# members' readings of every sampled ballot, and the bad inputs the issue
# names refused with nothing written. The fixture's ballots lie in each box
# in a known order (each list's votes in ballot order, then the invalid
# ones), so the script reads "the paper" of any sampled ballot itself.
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/rla.sh"
. "$(dirname "$0")/lib/http.sh"

# The election: 010201 (3 seats) won clearly, 010202 (3 seats) on a knife edge.
mkfixture() {
    d=$T/fx; mkdir -p "$d"
    echo "id,name,date,mandate,method,tie_rule,synthetic" >"$d/election.csv"
    echo "kh-rla,RLA fixture,2022-06-05,5,cambodia,votes,0" >>"$d/election.csv"
    printf 'commune,seats\n010201,3\n010202,3\n' >"$d/communes.csv"
    printf 'commune,party,ballot_no\n010201,CPP,1\n010201,CNRP,2\n010201,FCP,3\n' >"$d/lists.csv"
    printf '010202,CPP,1\n010202,CNRP,2\n' >>"$d/lists.csv"
    printf 'station,commune,registered\n010201-01,010201,500\n010201-02,010201,400\n' >"$d/stations.csv"
    printf '010202-01,010202,100\n' >>"$d/stations.csv"
    # station,registered,received,cast,spoiled,unused,valid,invalid,CPP,CNRP,FCP
    cat >"$d/results.csv" <<'CSV'
station,registered,received,cast,spoiled,unused,valid,invalid,CPP,CNRP,FCP
010201-01,500,400,330,0,70,320,10,300,15,5
010201-02,400,300,270,0,30,270,0,250,15,5
010202-01,100,80,61,0,19,60,1,31,29,
CSV
    # the paper: 010202's form swapped four ballots from CNRP to CPP, and
    # with them a seat (truly CNRP 2, CPP 1)
    sed 's/^010202-01,100,80,61,0,19,60,1,31,29,$/010202-01,100,80,61,0,19,60,1,27,33,/' \
        "$d/results.csv" >"$d/paper.csv"
}
mkfixture
BUNDLE=50
# truth STATION BUNDLE POSITION: what the ballot there says.
truth() { rla_truth "$T/fx/paper.csv" "$@"; }
# setup NAME [--no-users]: the fixture imported; clerks ann, bob and cat.
setup() {
    DB=$(newdb "$1")
    rla_import
    [ "${2:-}" = --no-users ] && return
    adduser "$DB" ann clerk 01; adduser "$DB" bob clerk 01; adduser "$DB" cat clerk 01
}
K() { "$KHUM" "$@" --db "$DB"; }
SEED=31415926535897932384
setup a
run 0 K rla --help; has out "khum rla SUBCOMMAND"
run 2 K rla frobnicate; has err "unknown subcommand"

# Bad input: clear errors, nothing written (the seed is checked first).
before=$(dbdump "$DB")
run 2 K rla draw --seed 3141592653589793238 --ballots 10; has err "[RLA.540]"; has err "19 digits"
run 2 K rla draw --seed 3141592653589793238x4 --ballots 10; has err "[RLA.540]"
run 2 K rla draw --seed $SEED --ballots 10 --risk-limit 1.5; has err "[RLA.544]"
run 2 K rla draw --seed $SEED --ballots 10 --risk-limit 0; has err "[RLA.544]"
run 2 K rla draw --seed $SEED --ballots 10 --risk-limit x; has err "[RLA.544]"
run 2 K rla draw --seed $SEED --ballots 10 --bundle-size 0; has err "--bundle-size takes"
run 2 K rla draw --seed $SEED --ballots 0; has err "--ballots takes a whole number"
eq "$(dbdump "$DB")" "$before" "refused draws write nothing"

# Before the communes are official: no draw (the seed, checked and logged
# first, stays: it was rolled in public).
run 1 K rla draw --seed $SEED --ballots 10 --commune 010201 --bundle-size $BUNDLE
has err "[RLA.547]"
eq "$(sql "$DB" "SELECT count(*) FROM rla_sample")" 0 "nothing drawn before official"
eq "$(sql "$DB" "SELECT count(*) FROM audit_event WHERE type = 'rla.seed'")" 1 "the seed is logged"
run 0 K official
before=$(dbdump "$DB")
run 1 K rla draw --seed 31415926535897932385 --ballots 10; has err "[RLA.545]"
eq "$(dbdump "$DB")" "$before" "another seed is refused, nothing written"

# The draw: the seed's event comes before every draw's in the log.
run 0 K rla draw --seed $SEED --ballots 20 --format csv
has err "commune 010201: round 1, 20 more ballots drawn, 20 of 600 in the sample"
has out "commune,station,bundle,position,seq,round"
eq "$(grep -c '^010201,' "$T/out")" 20 "20 ballots of 010201 in the pull list"
eq "$(grep -c '^010202,' "$T/out")" 20 "20 ballots of 010202 in the pull list"
cp "$T/out" "$T/pull-a.csv"
[ "$(sql "$DB" "SELECT min(id) FROM audit_event WHERE type = 'rla.draw'")" -gt \
  "$(sql "$DB" "SELECT id FROM audit_event WHERE type = 'rla.seed'")" ] ||
    fail "the seed is logged before the first draw"
run 1 K rla draw --seed $SEED --ballots 20 --commune 010201; has err "[RLA.548]"
run 0 K rla pull --format json; has out '"pull"'; has out '"bundle"'
run 0 K rla pull --commune 010202; has out "commune 010202, station 010202-01"

# Byte for byte from the seed and the manifest, on another database; one
# digit of the seed changes the sample.
DBA=$DB
setup b --no-users; run 0 K official
run 0 K rla draw --seed $SEED --ballots 20 --format csv --bundle-size $BUNDLE
cmp -s "$T/out" "$T/pull-a.csv" || fail "the same seed draws the same pull list"
setup c --no-users; run 0 K official
run 0 K rla draw --seed 31415926535897932385 --ballots 20 --format csv --bundle-size $BUNDLE
cmp -s "$T/out" "$T/pull-a.csv" && fail "one digit of the seed changes the sample"
DB=$DBA

# Readings: each ballot read by two members who must agree.
first=$(sed -n 2p "$T/pull-a.csv")
st=$(echo "$first" | cut -d, -f2); bu=$(echo "$first" | cut -d, -f3); po=$(echo "$first" | cut -d, -f4)
r=$(truth "$st" "$bu" "$po")
before=$(dbdump "$DB")
run 1 K rla record --station "$st" --bundle 99 --position 99 --reading "$r" --user ann
has err "[RLA.550]"; has err "is not a ballot of the audit's sample"
run 2 K rla record --station "$st" --bundle "$bu" --position "$po" --reading XYZ --user ann
has err "[RLA.549]"
run 2 K rla record --station "$st" --bundle "$bu" --position "$po" --user ann
has err "--reading"
eq "$(dbdump "$DB")" "$before" "refused readings write nothing"
run 0 K rla record --station "$st" --bundle "$bu" --position "$po" --reading "$r" --user ann
has out ": first-read"
before=$(dbdump "$DB")
run 1 K rla record --station "$st" --bundle "$bu" --position "$po" --reading "$r" --user ann
has err "[RLA.551]"
eq "$(dbdump "$DB")" "$before" "the same member twice writes nothing"
run 0 K rla record --station "$st" --bundle "$bu" --position "$po" --reading blank --user bob
has out ": different"
run 0 K rla record --station "$st" --bundle "$bu" --position "$po" --reading "$r" --user cat
has out ": agreed"
run 1 K rla record --station "$st" --bundle "$bu" --position "$po" --reading "$r" --user admin
has err "[RLA.552]"
eq "$(sql "$DB" "SELECT count(*) FROM audit_event WHERE type = 'rla.read'")" 3 "every reading audited"

# A board's sheet: all or nothing.
echo "station,bundle,position,reading" >"$T/sheet.csv"
tail -n +3 "$T/pull-a.csv" | while IFS=, read -r c st bu po seq rd; do
    echo "$st,$bu,$po,$(truth "$st" "$bu" "$po")"; done >>"$T/sheet.csv"
cp "$T/sheet.csv" "$T/bad.csv"; echo "010201-01,1,x,CPP" >>"$T/bad.csv"
before=$(dbdump "$DB")
run 2 K rla record --file "$T/bad.csv" --user ann; has err "[RLA.553]"; has err "bad.csv:"
head -3 "$T/sheet.csv" >"$T/bad2.csv"; echo "010201-01,9,9,CPP" >>"$T/bad2.csv"
run 1 K rla record --file "$T/bad2.csv" --user ann; has err "[RLA.550]"; has err "bad2.csv:4"
eq "$(dbdump "$DB")" "$before" "a sheet with a bad row writes nothing"
run 0 K rla record --file "$T/sheet.csv" --user ann; has out "39 readings recorded"
run 0 K rla record --file "$T/sheet.csv" --user bob; has out "39 readings recorded"
hasnt out "read differently"

# The audit to its end through the command line: the plan, then rounds
# until 010201 is confirmed; 010202's seats are wrong (the paper gives
# CNRP the second seat), so its sample grows to every ballot without
# confirming: a full hand count.
run 0 K rla assertions 010201 --format csv
has out "commune,kind,winner,loser,margin,ballots,diluted_margin,upper_bound,flip,binding"
run 0 K rla assertions --format json; has out '"binding": true'
run 0 K rla plan --risk-limit 0.05 --runs 100
has out "010202"; has out "full hand count"; has out "national: 2 communes"
run 2 K rla plan --risk-limit 5; has err "[RLA.544]"
run 0 K rla status; has out "010201   escalate"; has out "to escalate 2"
# sheet ROUND: every ballot of that round as the paper says.
sheet() {
    echo "station,bundle,position,reading"
    K rla pull --format csv | awk -F, -v r="$1" 'NR > 1 && $6 == r' |
        while IFS=, read -r c st bu po seq rd; do echo "$st,$bu,$po,$(truth "$st" "$bu" "$po")"; done
}
run 0 K rla draw --seed $SEED --ballots 150
has err "commune 010202: round 2, 41 more ballots drawn, 61 of 61 in the sample (every ballot: a full hand count)"
run 0 K rla status; has out "010201   reading"
sheet 2 >"$T/r2.csv"
run 0 K rla record --file "$T/r2.csv" --user ann
run 0 K rla record --file "$T/r2.csv" --user bob
run 0 K rla status --format csv
has out "010201,confirmed,600,2,150,150,0,"
has out "010202,full-count,61,2,61,61,0,"
run 0 K rla status --format json
has out '"confirmed": 1'; has out '"full_count": 1'
run 0 K rla status; has out "confirmed 1, reading 0, to escalate 0, not started 0, full hand count 1"

# The bundle carries the audit and verifies offline; a reading changed in
# it fails, and verify says what the change does to the p-values.
run 0 "$KHUM" keygen "$T/ncec"
run 0 K publish --out "$T/pub" --key "$T/ncec.key"
[ -f "$T/pub/v000001/rla_assertions.json" ] && [ -f "$T/pub/v000001/rla_audit.json" ] ||
    fail "the bundle holds rla_assertions.json and rla_audit.json"
has_json() { grep -q "$2" "$T/pub/v000001/$1" || fail "$1 lacks $2"; }
has_json rla_audit.json "\"seed\": \"$SEED\""; has_json rla_audit.json '"stage": "full-count"'
has_json rla_assertions.json '"margin"'
run 0 "$KHUM" verify "$T/pub" --key "$T/ncec.pub"
cp -r "$T/pub/v000001" "$T/tampered"
python3 - "$T/tampered/rla_audit.json" <<'PY'
import json, sys
p = sys.argv[1]; d = json.load(open(p))
c = [c for c in d["communes"] if c["commune"] == "010201"][0]
for r in c["readings"]:
    if r["seq"] <= 5: r["reading"] = "CNRP" if r["reading"] == "CPP" else "CPP"
json.dump(d, open(p, "w"), indent=1)
PY
run 1 "$KHUM" verify "$T/tampered" --key "$T/ncec.pub"
has err "[VER.903]"; has err "[RLA.563]"
cp -r "$T/pub/v000001" "$T/tampered2"
sed -i 's/"ballot": \([0-9]*\),/"ballot": 1\1,/' "$T/tampered2/rla_audit.json"
run 1 "$KHUM" verify "$T/tampered2" --key "$T/ncec.pub"; has err "[RLA.562]"

# The full hand count of 010202 differs from its form: it goes through a
# correction with the audit as its reference (docs/rla-procedure.md), two
# clerks key the count, the commune is made official again, and the audit,
# whose sample is every ballot, confirms the corrected seats.
run 0 K entry correct 010202-01 --reason "full hand count of the risk-limiting audit" \
    --reference "rla kh-rla/010202 round 2" --user admin
hand="registered=100 received=80 cast=61 spoiled=0 unused=19 valid=60 invalid=1 CPP=27 CNRP=33"
run 0 K entry enter 010202-01 $hand --user ann
run 0 K entry enter 010202-01 $hand --user bob; has out "accepted"
run 0 K official 010202 --user admin
run 0 K rla status --format csv; has out "010202,confirmed,61,2,61,61,0,"
eq "$(sql "$DB" "SELECT count(*) FROM form_version WHERE station = '010202-01'
    AND reference = 'rla kh-rla/010202 round 2'")" 1 "the correction names the audit"

# The same audit through the API, on a fresh database: draw, pull list, two
# members' sheets, status; bad input refused with nothing written.
setup api; run 0 K official
start_server "$DB" --web "$KHUM_SRC/web"
login admin "$PW"; login ann "$PW"; login bob "$PW"
E=/api/v1/elections/kh-rla/rla
as admin POST $E/draw '{"seed":"3141592653589793238","ballots":150}'
status 422 "a seed of 19 digits"; eq "$(json error.code)" RLA.540 "seed rule"
as admin POST $E/draw '{"seed":"'$SEED'","ballots":150,"risk_limit":"1"}'
eq "$(json error.code)" RLA.544 "risk limit outside (0, 1)"
eq "$(sql "$DB" "SELECT count(*) FROM rla_audit")" 0 "no audit from bad input"
as ann POST $E/draw '{"seed":"'$SEED'","ballots":150}'; status 403 "a clerk draws nothing"
as admin POST $E/draw '{"seed":"'$SEED'","ballots":150,"bundle":'$BUNDLE'}'
status 201 "draw"; eq "$(json drawn.0.after)" 150 "150 ballots of 010201"
as admin GET "$E/pull?format=csv"; status 200 "pull list"
# The API's draw is the command line's: the same seed, the same pull list.
sed -n '1p;/^010201,/p' "$T/out" | cut -d, -f1-5 >"$T/api-pull.csv"
"$KHUM" rla pull --format csv --db "$DBA" | sed -n '1p;/^010201,/p' | cut -d, -f1-5 >"$T/cli-pull.csv"
cmp -s "$T/api-pull.csv" "$T/cli-pull.csv" || fail "the API draws what the CLI drew"
as admin GET "$E/pull?format=csv"
tail -n +2 "$T/out" | while IFS=, read -r c st bu po seq rd; do
    echo "{\"station\":\"$st\",\"bundle\":$bu,\"position\":$po,\"reading\":\"$(truth "$st" "$bu" "$po")\"}"
done | paste -sd, - | sed 's/^/{"readings":[/; s/$/]}/' >"$T/sheet.json"
before=$(dbdump "$DB")
as ann POST $E/readings '{"readings":[{"station":"010201-01","bundle":99,"position":1,"reading":"CPP"}]}'
status 404 "a ballot not in the sample"; eq "$(json error.code)" RLA.550 "not in sample"
eq "$(dbdump "$DB")" "$before" "nothing written"
as ann POST $E/readings "$(cat "$T/sheet.json")"; status 201 "ann's sheet"
before=$(dbdump "$DB")
as ann POST $E/readings "$(cat "$T/sheet.json")"; status 409 "ann again"
eq "$(json error.code)" RLA.551 "the same member twice"
eq "$(dbdump "$DB")" "$before" "the same member twice writes nothing"
as bob POST $E/readings "$(cat "$T/sheet.json")"; status 201 "bob's sheet"
as admin GET $E/status; status 200 "status"
eq "$(json summary.confirmed)" 1 "010201 confirmed through the API"
eq "$(json summary.full_count)" 1 "010202 to a full hand count through the API"
as admin GET "$E/assertions?commune=010201"; status 200 "assertions"
eq "$(json communes.0.commune)" 010201 "one commune's assertions"
as admin GET "$E/plan?risk_limit=0.05&runs=50"; status 200 "plan"
eq "$(json national.communes)" 2 "the national plan"
as admin GET "$E/status?commune=999999"; status 404 "an unknown commune"
as admin POST $E/status '{}'; status 405 "status is read"
# The audit's pages in headless Chromium (tests/browser/rla.test.mjs), once:
# they read the same API on either backend.
PW_DIR="$KHUM_SRC/tests/browser"
if [ "$BACKEND" = sqlite ]; then
    if command -v node >/dev/null && [ -x /usr/bin/chromium ] &&
        [ -d "$PW_DIR/node_modules/playwright-core" ]; then
        CHECKS=$((CHECKS + 1))
        node "$PW_DIR/rla.test.mjs" "$BASE" kh-rla >"$T/node.log" 2>&1 ||
            fail "the audit's pages in the browser"
        cat "$T/node.log"
    else
        echo "rla.sh: the browser check needs node, /usr/bin/chromium and" \
            "tests/browser/node_modules (scripts/install-deps)" >&2
    fi
fi
stop_server
finish
