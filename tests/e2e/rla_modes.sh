# rla_modes.sh: how a risk-limiting audit measures (issue 19, docs/rla.md):
# the mode recorded with the seed (polling, or ONEAudit against the official
# station forms), chosen once, and `khum rla status`, the bundle and
# `khum verify` measuring by it. One commune of two stations, each nearly all
# for one list, where the same sample of 110 ballots confirms the seat by
# ONEAudit and not yet by polling. (On average polling needs fewer ballots
# here, `khum rla plan` says: ONEAudit's values vary little, so it is the
# steadier of the two, and this seed draws a sample that is unlucky for
# polling.)
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/rla.sh"
. "$(dirname "$0")/lib/http.sh"

mkfixture() {
    d=$T/fx; mkdir -p "$d"
    echo "id,name,date,mandate,method,tie_rule,synthetic" >"$d/election.csv"
    echo "kh-modes,RLA modes fixture,2022-06-05,5,cambodia,votes,0" >>"$d/election.csv"
    printf 'commune,seats\n010201,1\n' >"$d/communes.csv"
    printf 'commune,party,ballot_no\n010201,CPP,1\n010201,CNRP,2\n' >"$d/lists.csv"
    printf 'station,commune,registered\n010201-01,010201,500\n010201-02,010201,400\n' \
        >"$d/stations.csv"
    cat >"$d/results.csv" <<'CSV'
station,registered,received,cast,spoiled,unused,valid,invalid,CPP,CNRP
010201-01,500,400,300,0,100,300,0,285,15
010201-02,400,200,150,0,50,150,0,12,138
CSV
}
mkfixture
BUNDLE=50
# truth STATION BUNDLE POSITION: the ballot there (each list's votes in
# ballot order, then the invalid ones); here the paper is the forms.
truth() { rla_truth "$T/fx/results.csv" "$@"; }
K() { "$KHUM" "$@" --db "$DB"; }
setup() {
    DB=$(newdb "$1")
    rla_import
    adduser "$DB" ann clerk 01; adduser "$DB" bob clerk 01
    run 0 K official
}
# read_all: both members read every ballot of the sample as the paper says.
read_all() {
    echo "station,bundle,position,reading" >"$T/sheet.csv"
    K rla pull --format csv | tail -n +2 | while IFS=, read -r c st bu po seq rd; do
        echo "$st,$bu,$po,$(truth "$st" "$bu" "$po")"; done >>"$T/sheet.csv"
    run 0 K rla record --file "$T/sheet.csv" --user ann
    run 0 K rla record --file "$T/sheet.csv" --user bob
}
SEED=31415926535897932382

# Polling (the mode when none is named): 110 ballots do not confirm yet.
setup polling
run 0 K rla draw --seed $SEED --ballots 110 --bundle-size $BUNDLE
has err "(mode polling)"
eq "$(sql "$DB" "SELECT mode FROM rla_audit")" polling "polling when no mode is named"
read_all
run 0 K rla status --format csv; has out "010201,escalate,450,1,110,110,0,"
run 0 K rla status; has out "by polling"
cp "$T/sheet.csv" "$T/sheet-polling.csv"

# ONEAudit: a mode that is not one is refused with nothing written.
setup oneaudit
before=$(dbdump "$DB")
run 2 K rla draw --seed $SEED --ballots 110 --mode stations; has err "[RLA.564]"
run 2 K rla draw --seed $SEED --ballots 110 --mode sideways; has err "[RLA.564]"
eq "$(dbdump "$DB")" "$before" "a bad mode writes nothing"
run 0 K rla draw --seed $SEED --ballots 110 --mode oneaudit --bundle-size $BUNDLE
has err "(mode oneaudit)"
eq "$(sql "$DB" "SELECT count(*) FROM audit_event WHERE type = 'rla.seed'
    AND "after" LIKE '%oneaudit%'")" 1 "the mode is in the seed's event"
read_all
cmp -s "$T/sheet.csv" "$T/sheet-polling.csv" || fail "the same seed, the same sample"
run 0 K rla status --format csv; has out "010201,confirmed,450,1,110,110,0,"
run 0 K rla status --format json; has out '"mode": "oneaudit"'; has out '"confirmed": 1'
# The mode is chosen once, with the seed.
before=$(dbdump "$DB")
run 1 K rla draw --seed $SEED --ballots 120 --mode polling; has err "[RLA.565]"
eq "$(dbdump "$DB")" "$before" "another mode is refused, nothing written"
run 0 K rla draw --seed $SEED --ballots 120 --mode oneaudit; has err "round 2"

# The bundle says the mode; verify replays ONEAudit from the forms.
run 0 "$KHUM" keygen "$T/ncec"
run 0 K publish --out "$T/pub" --key "$T/ncec.key"
grep -q '"mode": "oneaudit"' "$T/pub/v000001/rla_audit.json" ||
    fail "rla_audit.json names the mode"
run 0 "$KHUM" verify "$T/pub" --key "$T/ncec.pub"
# Claimed as polling, the same readings give other p-values: verify says so.
cp -r "$T/pub/v000001" "$T/tampered"
sed -i 's/"mode": "oneaudit"/"mode": "polling"/' "$T/tampered/rla_audit.json"
run 1 "$KHUM" verify "$T/tampered" --key "$T/ncec.pub"; has err "[RLA.563]"
cp -r "$T/pub/v000001" "$T/tampered2"
sed -i 's/"mode": "oneaudit"/"mode": "stations"/' "$T/tampered2/rla_audit.json"
run 1 "$KHUM" verify "$T/tampered2" --key "$T/ncec.pub"; has err "[RLA.564]"

# The API's draw takes the mode too, under the same rules.
DBO=$DB
start_server "$DBO"
login admin "$PW"
E=/api/v1/elections/kh-modes/rla
before=$(dbdump "$DBO")
as admin POST $E/draw '{"seed":"'$SEED'","ballots":130,"mode":"polling"}'
status 409 "another mode through the API"; eq "$(json error.code)" RLA.565 "mode rule"
eq "$(dbdump "$DBO")" "$before" "nothing written"
as admin GET $E/status; status 200 "status"; eq "$(json mode)" oneaudit "the API says the mode"
stop_server
setup api
start_server "$DB"
login admin "$PW"
as admin POST $E/draw '{"seed":"'$SEED'","ballots":110,"mode":"sideways"}'
status 422 "a mode that is not one"; eq "$(json error.code)" RLA.564 "mode rule"
eq "$(sql "$DB" "SELECT count(*) FROM rla_audit")" 0 "no audit from a bad mode"
as admin POST $E/draw '{"seed":"'$SEED'","ballots":110,"mode":"oneaudit","bundle":'$BUNDLE'}'
status 201 "draw by ONEAudit"; eq "$(sql "$DB" "SELECT mode FROM rla_audit")" oneaudit "recorded"
stop_server
finish
