# dashboard.sh: the dashboard in Debian's headless Chromium (playwright-core,
# tests/browser/dashboard.test.mjs) against `khum serve` on loopback. The
# database holds the 2017 story of tests/data/news-2017 (a CNRP chief until
# the dissolution of 16 Nov 2017) and an election still being counted
# (tests/data/mini-election) with two clerks and a coordinator.
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

PW_DIR="$KHUM_SRC/tests/browser"
if ! command -v node >/dev/null || [ ! -x /usr/bin/chromium ] || [ ! -d "$PW_DIR/node_modules/playwright-core" ] ||
   [ ! -d "$PW_DIR/node_modules/axe-core" ] || ! "$KHUM_SRC/scripts/vendor-web" --check; then
    echo "dashboard.sh needs node, /usr/bin/chromium, tests/browser/node_modules and web/vendor" >&2
    echo "(scripts/install-deps installs them; .ci/run does so)" >&2
    exit 1
fi
DB=$(newdb w)
K() { "$KHUM" "$@" --db "$DB"; }
N="$KHUM_TESTDATA/news-2017"
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
adduser "$DB" nec admin
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$N"
run 0 K import results "$N/results.csv" -q
run 0 K import candidates "$N/candidates.csv"
run 0 K official --user nec
run 0 K ledger add defect --commune 010201 --person CNRP-2 --to-party CPP --date 2017-10-23 --user nec
run 0 K ledger add dissolve --party CNRP --date 2017-11-16 --reference "Supreme Court" --user nec
run 0 K ledger add resign --commune 010201 --person CPP-3 --date 2018-02-01 --user nec
# A councillor's Khmer name, for the person search in Khmer.
sql "$DB" "UPDATE person SET name_km = 'សុខ ចាន់' WHERE id = 'CPP-1'" >/dev/null
# A dissolution whose redistribution hangs on a tie (tests/data/tie-2017):
# the commune page shows it waiting for lots.
TIE="$KHUM_TESTDATA/tie-2017"
echo correct-horse-9 | K user add chair --role admin >/dev/null 2>&1 || fail "user chair"
run 0 K election import "$TIE"
run 0 K import results "$TIE/results.csv" -q --election kh-tie-2017
run 0 K import candidates "$TIE/candidates.csv" --election kh-tie-2017
run 0 K official --user chair --election kh-tie-2017
run 0 K ledger add dissolve --party CNRP --date 2017-11-16 --user chair --election kh-tie-2017
run 0 K election import "$KHUM_TESTDATA/mini-election"
PW=correct-horse-9
for u in clerk1:clerk clerk2:clerk coord:coordinator; do
    echo "$PW" | K user add "${u%%:*}" --role "${u#*:}" --scope 01 >/dev/null 2>&1 || fail "user ${u%%:*}"
done
# One commune without a centroid (as 419 of the real gazetteer's are): the
# map places it at its district's, hollow, and counts it.
sql "$DB" "UPDATE area SET lat = NULL, lon = NULL WHERE code = '010202'" >/dev/null
# Another country's election in a database of its own (tests/data/geo-any:
# Portuguese-like councils, no Khmer names): its map is framed on its own
# councils, not on Cambodia. Served first, on a port of its own.
G=$(newdb g)
GEO="$KHUM_TESTDATA/geo-any"
KG() { "$KHUM" "$@" --db "$G"; }
run 0 KG import gazetteer "$GEO/gazetteer" -q
run 0 KG import parties "$GEO/parties.csv" -q
run 0 KG election import "$GEO/election"
run 0 KG import results "$GEO/election/results.csv" -q
run 0 KG official
run 0 KG import candidates "$GEO/election/candidates.csv"
start_server "$G" --web "$KHUM_SRC/web"
BASE_G=$BASE
SRV_G=$SRV_PID
start_server "$DB" --web "$KHUM_SRC/web"
mkdir -p "$T/shots"
CHECKS=$((CHECKS + 1))
# Every page in both widths and languages (axe-core, screenshots): on
# SQLite only, the pages being the same on both backends.
PAGES=1; [ "$BACKEND" = sqlite ] || PAGES=0
if ! KHUM_PAGES=$PAGES node "$PW_DIR/dashboard.test.mjs" "$BASE" "$PW" "$T/shots" "$BASE_G" >"$T/node.log" 2>&1; then
    fail "the browser test failed"
fi
cat "$T/node.log"
kill -TERM "$SRV_G" 2>/dev/null && wait "$SRV_G"
# Keep the screenshots where CI can find them: beside the build's binary
# (build*/browser-shots/), one per page, width and language.
SHOTS=${KHUM_SHOTS:-$(dirname "$KHUM")/browser-shots/$BACKEND}
mkdir -p "$SHOTS" && cp "$T"/shots/*.png "$SHOTS/" 2>/dev/null
q="SELECT state FROM form_version WHERE election = 'kh-test-2022' AND station"
eq "$(sql "$DB" "$q = '010201-01'")" accepted "the form keyed twice in the browser"
eq "$(sql "$DB" "$q = '010201-02'")" accepted "the form resolved in the browser"
stop_server
finish
