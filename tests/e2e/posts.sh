# posts.sh: posts, ties, lots and successions by the letter of rules.md §3,
# §5, §6 (issue 20, items 1-6), each on a small election built here:
#  1. a tie that decides the 1st deputy waits for lots like the chief's;
#  2. a dissolution whose redistribution is tied waits for the dissolution's
#     lots in that commune (khum ledger lots), shown as pending until then;
#  3. one replay: council show, ledger seats and the memberships export name
#     the same chief after a three-way tie settled by lots;
#  4. lots for an official commune are refused (CNT.823);
#  5. the chief's post stays with its list while its 1st deputy sits;
#  6. a what-if reading never fails on an event it cannot apply.
. "$(dirname "$0")/lib/assert.sh"

# mk NAME SEATS PARTY:VOTES...: an election of one commune (010201) in $T/NAME.
mk() {
    d="$T/$1"; seats=$2; shift 2
    mkdir -p "$d"
    echo "id,name,date,mandate,method,tie_rule,synthetic" >"$d/election.csv"
    echo "kh-$(basename "$d"),fixture,2017-06-04,4,cambodia,votes,0" >>"$d/election.csv"
    printf 'commune,seats\n010201,%s\n' "$seats" >"$d/communes.csv"
    echo "commune,party,ballot_no" >"$d/lists.csv"
    echo "commune,party,position,person,name_latin,sex,birth_year" >"$d/candidates.csv"
    hdr="station,registered,received,cast,spoiled,unused,valid,invalid"; row=""; valid=0; n=0
    for pv in "$@"; do
        p=${pv%%:*}; v=${pv#*:}; n=$((n + 1))
        echo "010201,$p,$n" >>"$d/lists.csv"
        i=1; while [ $i -le $((2 * seats)) ]; do
            echo "010201,$p,$i,$p-$i,$p $i,M,1970" >>"$d/candidates.csv"; i=$((i + 1)); done
        hdr="$hdr,$p"; row="$row,$v"; valid=$((valid + v))
    done
    printf 'station,commune,registered\n010201-01,010201,%s\n' $((2 * valid)) >"$d/stations.csv"
    printf '%s\n010201-01,%s,%s,%s,0,100,%s,0%s\n' "$hdr" $((2 * valid)) $((valid + 100)) \
        "$valid" "$valid" "$row" >"$d/results.csv"
}
# setup NAME: a database with that election imported, users admin and nec.
setup() {
    DB=$(newdb "$1")
    run 0 "$KHUM" import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q --db "$DB"
    run 0 "$KHUM" import parties "$KHUM_SRC/data/parties/kh.csv" -q --db "$DB"
    run 0 "$KHUM" election import "$T/$1" --db "$DB"
    run 0 "$KHUM" import results "$T/$1/results.csv" -q --db "$DB"
    run 0 "$KHUM" import candidates "$T/$1/candidates.csv" --db "$DB"
}
K() { "$KHUM" "$@" --db "$DB"; }

# 1. CPP 600, CNRP 200, FCP 200 for 5 seats: CPP 3, CNRP 1, FCP 1; the 1st
#    deputy hangs on the CNRP-FCP tie. No lots: not official, no draw.
mk d1 5 CPP:600 CNRP:200 FCP:200
setup d1
run 1 K official 010201 --user admin; has err "[R.406]"
eq "$(sql "$DB" "SELECT count(*) FROM commune_official")" 0 "a post tie keeps the commune from being official"
run 0 K lots 010201 seed-d1 --user admin
run 0 K official 010201 --user admin
run 0 K council show 010201 --on 2017-07-01
has out "chief          CPP-1"; hasnt out "waiting for lots"
d1=$(grep '^  first-deputy' "$T/out" | awk '{print $2}'); d2=$(grep '^  second-deputy' "$T/out" | awk '{print $2}')
[ "$d1,$d2" = CNRP-1,FCP-1 ] || [ "$d1,$d2" = FCP-1,CNRP-1 ] ||
    fail "the deputies are CNRP-1 and FCP-1 in the order the lots give, got '$d1' '$d2'"
# 4. Lots for an official commune are refused; the council stays as it was.
run 1 K lots 010201 other-seed --user admin; has err "[CNT.823]"
run 0 K council show 010201 --on 2017-07-01; has out "first-deputy   $d1"

# 3. A three-way tie for the chief (CPP, CNRP, FCP 300 each, 9 seats, 3 each),
#    settled by lots: one answer in council show, ledger seats and memberships.
mk d3 9 CPP:300 CNRP:300 FCP:300
setup d3
run 1 K official 010201 --user admin; has err "[R.406]"
run 0 K lots 010201 seed-3 --user admin   # draws CNRP; an empty seed would draw FCP
run 0 K official 010201 --user admin
run 0 K council show 010201 --on 2017-07-01
chief=$(grep '^  chief' "$T/out" | awk '{print $2}'); party=${chief%-*}
eq "$chief" CNRP-1 "the lots of seed-3 give the chief to CNRP"
[ -n "$chief" ] || fail "a chief is named once the lots are drawn"
run 0 K ledger seats --on 2017-07-01; has out "$party,3,1"
run 0 K ledger export --format memberships --on 2017-07-01
has out "$chief,$party $(echo "${chief#*-}"),010201,$party,chief,2017-06-04,"

# 2. CNRP 2,000 holds all 5 seats; CPP 300 and FCP 300. Its dissolution
#    gives 2 each by the quota and the last seat and the chief hang on a tie.
mk d2 5 CNRP:2000 CPP:300 FCP:300
setup d2
run 0 K official --user admin
run 0 K council show 010201 --on 2017-07-01; has out "CNRP 5"
run 0 K ledger add dissolve --party CNRP --date 2017-11-16 --reference "Supreme Court" --user admin
has out "event 1 recorded"
run 0 K council show 010201 --on 2017-12-01
has out "0 of 5 seats filled"; has out "waiting for lots:"
has out "redistributed seats: tie between CPP,FCP after event 1 (2017-11-16): khum ledger lots 1 010201 SEED"
run 0 K ledger seats --on 2017-12-01; has err "1 waits for lots"; has out "total,0,"
run 0 K ledger changes; has out "pending"
run 0 K ledger export --format memberships --on 2017-12-31
# The dashboard's commune page reads what waits from the API; the API draws too.
. "$(dirname "$0")/lib/http.sh"
start_server "$DB"
req GET "/api/v1/elections/kh-d2/councils/010201?date=2017-12-01"; status 200 "council"
eq "$(json pending_lots.0.what)" "redistributed seats" "pending in the API"
eq "$(json pending_lots.0.parties)" "CPP,FCP" "the tied lists"
eq "$(json pending_lots.0.event)" 1 "the dissolution"
login admin correct-horse-9
as admin POST /api/v1/elections/kh-d2/lots '{"commune":"010201","seed":"s","event":9}'
status 404 "lots for an event that is no dissolution"; eq "$(json error.code)" LED.610 "rule"
stop_server
run 1 K ledger lots 7 010201 s --user admin; has err "[LED.610]"
run 0 K ledger lots 1 010201 seed-dissolution --user admin
run 1 K ledger lots 1 010201 again --user admin; has err "[LED.611]"
run 0 K council show 010201 --on 2017-12-01
has out "5 of 5 seats filled"; hasnt out "waiting for lots"
grep -q '^  chief ' "$T/out" || fail "a chief once the dissolution's lots are drawn"
grep -Eq "CPP 3, FCP 2|FCP 3, CPP 2|CPP 2, FCP 3|FCP 2, CPP 3" "$T/out" || fail "3 and 2 seats after the lots"
run 0 K ledger seats --on 2017-12-01; hasnt err "waits for lots"; has out "total,5,"
eq "$(sql "$DB" "SELECT count(*) FROM audit_event WHERE type = 'ledger.lots'")" 1 "the draw is audited"
eq "$(sql "$DB" "SELECT drawn_by || ' ' || seed FROM ledger_lots")" "admin seed-dissolution" "who drew which seed"

# 5. CPP 600, CNRP 400 for 5 seats: CPP 3 (chief CPP-1, 1st deputy CPP-2),
#    CNRP 2. CPP-3 to CPP-10 resign one after another until the list is
#    exhausted; then the chief resigns: the 1st deputy (same list) takes it.
mk d5 5 CPP:600 CNRP:400
setup d5
run 0 K official --user admin
day=1
for p in 3 4 5 6 7 8 9 10; do
    run 0 K ledger add resign --commune 010201 --person CPP-$p --date 2017-08-0$day --user admin
    day=$((day + 1))
done
run 0 K ledger add resign --commune 010201 --person CPP-1 --date 2017-09-01 --user admin
for opt in "" --deputy-moves-up; do
    run 0 K council show 010201 --on 2017-09-02 $opt
    has out "chief          CPP-2"; hasnt out "chief          CNRP"
    hasnt out "councillor of another list"
done
run 0 K council show 010201 --on 2017-09-02
has out "CPP-2      CPP    chief: deputy of the same list: the list has no other councillor"
hasnt out "first-deputy"   # the list has no one left for it: vacant by default
# --deputy-moves-up keeps the rank order (LAMC Art 40): the 2nd deputy moves
# up to 1st deputy and the 2nd deputy's post follows its own list.
run 0 K council show 010201 --on 2017-09-02 --deputy-moves-up
has out "first-deputy   CNRP-1"; has out "second-deputy  CNRP-2"

# Option: the CPP list is exhausted with two vacant seats and CPP-2 sitting.
# Its dissolution redistributes every seat it won by default (LEMNA 118(e)
# "its seats"); with --pool-without-vacant only the one it still held.
run 0 K ledger add dissolve --party CPP --date 2017-12-01 --user admin
run 0 K council show 010201 --on 2017-12-02; has out "5 of 5 seats filled; CNRP 5"
run 0 K council show 010201 --on 2017-12-02 --pool-without-vacant; has out "3 of 5 seats filled; CNRP 3"

# 6. The news story: under the law CNRP-2's defection seats CNRP-4, who later
#    resigns; read with --defector-keeps-seat, the resignation has no meaning.
DB=$(newdb news)
F="$KHUM_TESTDATA/news-2017"
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$F"
run 0 K import results "$F/results.csv" -q
run 0 K import candidates "$F/candidates.csv"
run 0 K official --user admin
run 0 K ledger add defect --commune 010201 --person CNRP-2 --to-party CPP --date 2017-10-23 --user admin
run 0 K ledger add resign --commune 010201 --person CNRP-4 --date 2017-11-01 --user admin
run 0 K council show 010201 --on 2017-11-02 --defector-keeps-seat
has out "skipped"; has out "resign has no meaning under this reading: CNRP-4 holds no seat then"
has out "CNRP 2, CPP 3"
run 0 K ledger seats --on 2017-11-02 --defector-keeps-seat; has out "total,5,"
run 0 K ledger export --format memberships --on 2017-12-31 --defector-keeps-seat
# Under the law the record still holds, and a resignation that cannot apply
# is refused whatever reading the clerk asks for.
run 0 K council show 010201 --on 2017-11-02; has out "CNRP-5"
run 1 K ledger add resign --commune 010201 --person CNRP-9 --date 2017-11-03 --defector-keeps-seat --user admin
has err "[LED.601]"
finish
