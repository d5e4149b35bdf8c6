# server_crash.sh: nothing acknowledged is ever lost. Four clerks key forms
# through `khum serve` at once while the server is killed with SIGKILL at
# random moments, round after round; after every restart each entry that
# was answered 201 is in the database, no entry exists without its audit
# event (nothing half-written), the database passes its integrity check and
# the audit chain verifies. Then `khum import results` is killed mid-file:
# the database holds all of the file or none of it.
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

ROUNDS=${KHUM_CRASH_ROUNDS:-6}
NST=240
DB=$(newdb c)
K() { "$KHUM" "$@" --db "$DB"; }
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
EL="$T/el"; mkdir -p "$EL"
printf 'id,name,date,mandate,method,tie_rule,synthetic\ncrash,SYNTHETIC crash test,2022-06-05,5,cambodia,votes,1\n' >"$EL/election.csv"
printf 'commune,seats\n010201,11\n' >"$EL/communes.csv"
printf 'commune,party,ballot_no\n010201,CPP,1\n010201,CNRP,2\n' >"$EL/lists.csv"
{ echo station,commune,registered
  i=1; while [ $i -le $NST ]; do printf '010201-%03d,010201,500\n' $i; i=$((i + 1)); done
} >"$EL/stations.csv"
run 0 K election import "$EL"
PW=correct-horse-9
for u in c1 c2 c3 c4; do echo "$PW" | K user add $u --role clerk --scope 01 >/dev/null 2>&1; done

# writer USER FIRST LAST: key stations FIRST..LAST once each, record the
# acknowledged ones, stop at the first failure (the server is gone).
writer() {
    u=$1; i=$2
    tok=$(curl -s -H 'Content-Type: application/json' \
        --data "{\"user\":\"$u\",\"password\":\"$PW\"}" "$BASE/api/v1/session" |
        sed -n 's/.*"token": *"\([0-9a-f]*\)".*/\1/p')
    [ -n "$tok" ] || return 0
    while [ "$i" -le "$3" ]; do
        st=$(printf '010201-%03d' "$i")
        grep -q "^$st $u\$" "$T/ack.$u" 2>/dev/null && { i=$((i + 1)); continue; }
        code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" \
            -H 'Content-Type: application/json' --data \
            '{"registered":500,"received":500,"cast":400,"spoiled":0,"unused":100,"valid":390,"invalid":10,"votes":{"CPP":200,"CNRP":190}}' \
            "$BASE/api/v1/elections/crash/forms/$st/entries")
        case $code in
        201) echo "$st $u" >>"$T/ack.$u" ;;
        409) ;;                 # entered by this user before the crash, unacknowledged
        *) return 0 ;;
        esac
        i=$((i + 1))
    done
}
touch "$T/ack.c1" "$T/ack.c2" "$T/ack.c3" "$T/ack.c4"
r=1
while [ $r -le $ROUNDS ]; do
    start_server "$DB" --threads 4
    # c1 and c2 key stations 1-120 (second entries), c3 and c4 121-240.
    writer c1 1 120 & w1=$!; writer c2 1 120 & w2=$!
    writer c3 121 240 & w3=$!; writer c4 121 240 & w4=$!
    # A random moment 0.3 to 1.2 s after this round's first acknowledgement
    # (logins hash passwords with Argon2id: on a loaded machine under ASan the
    # first entry may take seconds; waiting for it keeps every round a test).
    before=$(cat "$T"/ack.* | wc -l); waited=0
    while [ "$(cat "$T"/ack.* | wc -l)" -eq "$before" ] && [ $waited -lt 300 ]; do
        sleep 0.1; waited=$((waited + 1))
    done
    sleep "$(awk -v s="$r$$" 'BEGIN { srand(s); printf "%.2f", 0.3 + rand() * 0.9 }')"
    kill -9 "$SRV_PID"; wait "$SRV_PID" 2>/dev/null; SRV_PID=""
    wait $w1 $w2 $w3 $w4
    [ "$BACKEND" = sqlite ] && eq "$(sql "$DB" 'PRAGMA integrity_check')" ok "integrity after kill $r"
    r=$((r + 1))
done
acked=$(cat "$T"/ack.* | wc -l)
[ "$acked" -gt 0 ] || fail "some entries were acknowledged"
lost=0
for u in c1 c2 c3 c4; do
    while read -r st who; do
        n=$(sql "$DB" "SELECT count(*) FROM form_entry WHERE station = '$st' AND entered_by = '$who'")
        [ "$n" = 1 ] || { lost=$((lost + 1)); echo "lost or doubled: $st $who ($n)" >&2; }
    done <"$T/ack.$u"
done
eq "$lost" 0 "acknowledged entries lost or doubled ($acked acknowledged, $ROUNDS kills)"
eq "$(sql "$DB" "SELECT count(*) FROM form_entry")" \
   "$(sql "$DB" "SELECT count(*) FROM audit_event WHERE type = 'form.enter'")" \
   "every entry has its audit event"
run 0 K audit verify; has out "audit log verified"
echo "crash rounds: $ROUNDS kills survived, $acked entries acknowledged" >&2

# An import killed mid-file writes nothing. The file is large enough (30,000
# stations) that the kill lands while the import runs; were it done by then,
# it must be whole.
NIMP=30000
EI="$T/ei"; mkdir -p "$EI"
sed 's/^crash,/crashimp,/' "$EL/election.csv" >"$EI/election.csv"
cp "$EL/communes.csv" "$EL/lists.csv" "$EI/"
awk -v n=$NIMP 'BEGIN { print "station,commune,registered"
    for (i = 1; i <= n; i++) printf "010201-%05d,010201,500\n", i }' >"$EI/stations.csv"
awk -v n=$NIMP 'BEGIN { print "station,registered,received,cast,spoiled,unused,valid,invalid,CPP,CNRP,explanation"
    for (i = 1; i <= n; i++) printf "010201-%05d,500,500,400,0,100,390,10,200,190,\n", i }' >"$T/results.csv"
DB2=$(newdb i)
K2() { "$KHUM" "$@" --db "$DB2"; }
run 0 K2 import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K2 import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K2 election import "$EI"
head0=$("$KHUM" audit head --db "$DB2")
K2 import results "$T/results.csv" --election crashimp --user admin -q >/dev/null 2>&1 &
ip=$!
sleep 0.1
kill -9 $ip 2>/dev/null
wait $ip 2>/dev/null
n=$(sql "$DB2" "SELECT count(*) FROM form_version")
head1=$("$KHUM" audit head --db "$DB2")
# All or nothing: either the kill came first and nothing changed, or the
# import had committed and everything is there with its one audit event.
if [ "$n" = 0 ]; then
    killed=1
    eq "$head1" "$head0" "audit head unchanged by the killed import"
else
    killed=0
    eq "$n" $NIMP "forms of an import that committed before the kill"
    eq "${head1%% *}" $((${head0%% *} + 1)) "one audit event for the import"
fi
echo "import: killed mid-file: $killed" >&2
[ "$BACKEND" = sqlite ] && eq "$(sql "$DB2" 'PRAGMA integrity_check')" ok "integrity after the killed import"
finish
