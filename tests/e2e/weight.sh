# weight.sh: the dashboard's weight on the national demo (SYNTHETIC, 1,646
# communes): responses are gzip'd when the client takes it (and not when it
# does not), and a first visit transfers at most 200 KB for the overview and
# 600 KB for the map (tests/browser/weight.test.mjs, headless Chromium).
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

PW_DIR="$KHUM_SRC/tests/browser"
if ! command -v node >/dev/null || [ ! -x /usr/bin/chromium ] || [ ! -d "$PW_DIR/node_modules/playwright-core" ]; then
    echo "weight.sh needs node, /usr/bin/chromium and tests/browser/node_modules" >&2
    exit 1
fi
DEMO="$T/demo.db"   # SQLite only: the demo is the same on both backends
run 0 "$KHUM" demo --db "$DEMO"
start_server "$DEMO" --web "$KHUM_SRC/web"
E=/api/v1/elections/synthetic-kh-commune-2017-s1
curl -s -D "$T/h" -o "$T/c.gz" -H 'Accept-Encoding: gzip' "$BASE$E/communes"
grep -qi '^Content-Encoding: gzip' "$T/h" || fail "JSON gzip'd for a client that takes it"
grep -qi '^Vary: Accept-Encoding' "$T/h" || fail "Vary: Accept-Encoding"
curl -s -D "$T/h2" -o "$T/c.json" "$BASE$E/communes"
grep -qi '^Content-Encoding' "$T/h2" && fail "plain JSON for a client that does not take gzip"
gunzip -c "$T/c.gz" | cmp -s - "$T/c.json" || fail "the gzip'd body is the same JSON"
[ "$(wc -c <"$T/c.gz")" -lt "$(( $(wc -c <"$T/c.json") / 4 ))" ] || fail "gzip saves at least 3/4"
curl -s -D "$T/h3" -o /dev/null -H 'Accept-Encoding: gzip' "$BASE/js/app.js"
grep -qi '^Content-Encoding: gzip' "$T/h3" || fail "scripts gzip'd"
CHECKS=$((CHECKS + 6))
CHECKS=$((CHECKS + 1))
node "$PW_DIR/weight.test.mjs" "$BASE" >"$T/node.log" 2>&1 || fail "the transfer budgets"
cat "$T/node.log"
stop_server
finish
