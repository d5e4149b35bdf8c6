# group_commit.sh: form writes share commits (#17). Eight clerks' sessions
# key 120 forms at once through `khum serve`; the server's writer thread runs
# them in batches of one transaction, each operation in a savepoint of its
# own. A clerk keying a form twice is refused (409) inside a batch without
# touching the other operations of it; every form ends accepted; the
# operations outnumber the commits (/api/v1/health: writes). Then the same
# under kill -9: the server is killed while the clerks type, restarted, and
# every entry that was answered 201 is stored exactly once, the audit chain
# verifies and no entry lacks its event.
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

NST=120
DB=$(newdb g)
K() { "$KHUM" "$@" --db "$DB"; }
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
mkelection() {  # ID DIR: NST stations in commune 010201
    mkdir -p "$2"
    printf 'id,name,date,mandate,method,tie_rule,synthetic\n%s,SYNTHETIC batches,2022-06-05,5,cambodia,votes,1\n' "$1" >"$2/election.csv"
    printf 'commune,seats\n010201,11\n' >"$2/communes.csv"
    printf 'commune,party,ballot_no\n010201,CPP,1\n010201,CNRP,2\n' >"$2/lists.csv"
    awk -v n=$NST 'BEGIN { print "station,commune,registered"
        for (i = 1; i <= n; i++) printf "010201-%03d,010201,500\n", i }' >"$2/stations.csv"
}
mkelection gc "$T/gc"; run 0 K election import "$T/gc"
mkelection gk "$T/gk"; run 0 K election import "$T/gk"
for u in c1 c2 c3 c4; do adduser "$DB" $u clerk 01; done
FORM='{"registered":500,"received":500,"cast":400,"spoiled":0,"unused":100,"valid":390,"invalid":10,"votes":{"CPP":200,"CNRP":190}}'

# eight ELECTION: four clerks, two sessions each, key both entries of every
# form at once (threads of one python3, so the load is the server's, not
# the shell's); each 201 goes to $T/ack.ELECTION.USER.N, every tenth form is
# keyed twice by the same clerk (refused, 409), a station already
# acknowledged is skipped, and a session stops when the server is gone.
cat >"$T/clerks.py" <<'PY'
import json, os, sys, threading, urllib.request, urllib.error
base, election, tmp, pw, form = sys.argv[1:6]
def post(path, body, tok=None):
    req = urllib.request.Request(base + path, data=body.encode(), method="POST")
    req.add_header("Content-Type", "application/json")
    if tok:
        req.add_header("Authorization", "Bearer " + tok)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError:
        return 0, b""
def clerk(user, n, first, last):
    st, body = post("/api/v1/session", json.dumps({"user": user, "password": pw}))
    if st != 200:
        return
    tok = json.loads(body)["token"]
    out = "%s/ack.%s.%s.%d" % (tmp, election, user, n)
    done = set(open(out).read().split()) if os.path.exists(out) else set()
    with open(out, "a") as f:
        for i in range(first, last + 1):
            station = "010201-%03d" % i
            if station in done:
                continue
            for k in range(2 if i % 10 == 0 else 1):
                code, _ = post("/api/v1/elections/%s/forms/%s/entries" % (election, station),
                               form, tok)
                if code == 201:
                    f.write(station + "\n")
                    f.flush()
                elif code != 409:
                    return
ts = [threading.Thread(target=clerk, args=("c%d" % (2 * h + u + 1), part, first, first + 29))
      for h, start in ((0, 1), (1, 61)) for part, first in ((0, start), (1, start + 30))
      for u in (0, 1)]
for t in ts:
    t.start()
for t in ts:
    t.join()
PY
eight() {
    /usr/bin/python3 "$T/clerks.py" "$BASE" "$1" "$T" "$PW" "$FORM"
}
# stored ELECTION: every acknowledged entry is in the database exactly once.
stored() {
    for f in "$T"/ack."$1".*; do
        u=$(basename "$f" | cut -d. -f3)
        sed "s/\$/ $u/" "$f"
    done | sort >"$T/acked"
    sql "$DB" "SELECT station || ' ' || entered_by FROM form_entry WHERE election = '$1'" |
        sort >"$T/stored"
    eq "$(comm -23 "$T/acked" "$T/stored" | wc -l)" 0 \
       "$1: acknowledged entries stored ($(wc -l <"$T/acked") acknowledged)"
    eq "$(uniq -d "$T/stored" | wc -l)" 0 "$1: no entry stored twice"
}

start_server "$DB" --threads 12
eight gc
stored gc
eq "$(cat "$T"/ack.gc.* | wc -l)" $((2 * NST)) "every entry acknowledged once, the repeats refused"
eq "$(sql "$DB" "SELECT count(*) FROM form_version WHERE election = 'gc' AND state = 'accepted'")" \
   $NST "every form accepted"
req GET /api/v1/health
ops=$(json writes.operations); batches=$(json writes.batches)
eq "$ops" $((2 * NST + 2 * NST / 10)) "every entry and refusal went through the writer"
[ -n "$batches" ] && [ "$batches" -gt 0 ] && [ "$batches" -lt "$ops" ] ||
    fail "operations shared commits ($ops operations in ${batches:-no} batches)"
CHECKS=$((CHECKS + 1))
echo "group commit: $ops operations in $batches commits" >&2
req GET /api/v1/elections/gc/results
eq "$(json areas.0.stations_reported)" $NST "the results count every form"

# kill -9 while the clerks type, then finish the forms.
eight gk &
wk=$!
while [ "$(cat "$T"/ack.gk.* 2>/dev/null | wc -l)" -lt 20 ]; do sleep 0.1; done
kill -9 "$SRV_PID"; wait "$SRV_PID" 2>/dev/null; SRV_PID=""
wait $wk
[ "$BACKEND" = sqlite ] && eq "$(sql "$DB" 'PRAGMA integrity_check')" ok "integrity after kill -9"
stored gk
start_server "$DB" --threads 12
eight gk
stop_server
stored gk
eq "$(sql "$DB" "SELECT count(*) FROM form_version WHERE election = 'gk' AND state = 'accepted'")" \
   $NST "every form accepted after the kill"
eq "$(sql "$DB" "SELECT count(*) FROM form_entry")" \
   "$(sql "$DB" "SELECT count(*) FROM audit_event WHERE type = 'form.enter'")" \
   "every entry has its audit event"
run 0 K audit verify; has out "audit log verified"
run 0 K reconcile --election gk
finish
