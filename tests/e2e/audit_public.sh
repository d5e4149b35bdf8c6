# audit_public.sh: the public audit list has no gaps and every error answer
# has a JSON body, even when what the request named is not valid UTF-8. A
# refused request is logged with the bytes it named; the list shows each
# invalid byte as the four characters \xHH instead of leaving the event out,
# and an error message that would carry such a byte is escaped the same way.
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

DB=$(newdb ap)
K() { "$KHUM" "$@" --db "$DB"; }
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$KHUM_TESTDATA/mini-election"
PW=correct-horse-9
echo "$PW" | K user add adm --role admin >/dev/null 2>&1 || fail "user add adm"
echo "$PW" | KHUM_USER=adm K user add ann --role clerk --scope 010201 >/dev/null 2>&1 ||
    fail "user add ann"
start_server "$DB"
E=/api/v1/elections/kh-test-2022
login ann "$PW"; status 200 "login ann"

# A clerk out of scope, at a station whose code is not UTF-8: refused and logged.
as ann POST "$E/forms/01%FF%FE/entries" '{}'; status 403 "out of scope"
eq "$(json error.code)" AUTH.504 "the refusal has a JSON body with its code"
eq "$(sql "$DB" "SELECT count(*) FROM audit_event WHERE type = 'access.denied'")" 1 \
    "the refusal is in the audit log"

# The list shows every event of the chain, the refusal too, its bytes escaped.
req GET /api/v1/audit; status 200 "audit list"
python3 - "$T/out" >"$T/check" 2>&1 <<'PY' || fail "audit list: $(cat "$T/check")"
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["events"]
ids = [e["id"] for e in ev]
assert ids == list(range(1, d["head_id"] + 1)), "ids %s, head %d" % (ids, d["head_id"])
for a, b in zip(ev, ev[1:]):
    assert b["prev_hash"] == a["hash"], "event %d does not chain in the list" % b["id"]
last = ev[-1]
assert last["type"] == "access.denied", last
assert last["object"] == "01\\xFF\\xFE", repr(last["object"])
assert "\\xFF\\xFE" in last["after"]["detail"], last["after"]
PY
req GET "/api/v1/audit?type=access.denied"; status 200 "audit list by type"
eq "$(json events.0.object)" '01\xFF\xFE' "the filtered list has the event"

# Errors whose message names the bytes: a JSON body, the bytes escaped.
req GET "$E/areas/01%FF"; status 404 "unknown area, not UTF-8"
eq "$(json error.code)" GEO.210 "area error has a JSON body"
has out '01\\xFF'
stop_server
eq "$SRV_STATUS" 0 "server stops cleanly"
finish
