# hostile.sh: `khum serve` under hostile traffic (issue #17). The response
# cache is keyed on the arguments an endpoint reads (an unknown one is 400,
# SRV.860) and stays within its bound in bytes whatever is asked; every
# route the dashboard calls still answers. Connections are limited per
# address (503 SRV.861 with Retry-After); /health answers while 2,000
# connections are held from one address; slow (slowloris) and idle
# connections are closed at their deadlines, and half-sent requests closed
# by the client leave no socket in CLOSE_WAIT. Loopback only: other
# clients are other 127.0.0.x addresses.
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

DB=$(newdb h)
K() { "$KHUM" "$@" --db "$DB"; }
C() { /usr/bin/python3 "$(dirname "$0")/lib/conns.py" "$@"; }
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$KHUM_TESTDATA/mini-election"
mkdir -p "$T/web"
echo '<h1>khum</h1>' >"$T/web/index.html"
start_server "$DB" --web "$T/web" --cache-mb 1
E=/api/v1/elections/kh-test-2022

# Every read route with the arguments it takes (web/js and docs/server.md).
for p in /api/v1/health /api/v1/elections $E "$E/results?by=province" "$E/results/01?by=commune" \
         $E/areas $E/seats/010201 "$E/ledger?commune=010201" "$E/forms?state=todo&area=01" $E/communes \
         "/api/v1/audit?after=0&limit=5&actor=admin&type=user&area=01" /api/v1/audit/head \
         /api/v1/parties; do
    req GET "$p"; status 200 "GET $p"
done
# Councils exist once results are official: the arguments are read all the same.
for p in "$E/councils/010201?date=2023-01-01" "$E/mandate?until=2027-01-01"; do
    req GET "$p"; status 409 "GET $p"; eq "$(json error.code)" CNL.309 "GET $p"
done
# The dashboard's page arguments are the page's, not the API's.
req GET "/index.html?election=kh-test-2022&refresh=5"; status 200 "dashboard page with arguments"

# An argument no endpoint reads: 400, naming it and what is read.
req GET "$E/results?by=province&z=1"; status 400 "unknown argument"
eq "$(json error.code)" SRV.860 "unknown argument's rule"
eq "$(json error.field)" z "unknown argument's name"
has out "reads by"
req GET "/api/v1/health?z=1"; status 400 "unknown argument on health"
req GET "/api/v1/session?x=1"; status 400 "unknown argument on the session"
# Normalised: the same arguments in another order are one cache entry.
req GET "/api/v1/audit?limit=3&after=0"; a=$(cat "$T/out")
req GET "/api/v1/health"; n1=$(json cache.entries)
req GET "/api/v1/audit?after=0&limit=3"; eq "$(cat "$T/out")" "$a" "same answer in any order"
req GET "/api/v1/health"; eq "$(json cache.entries)" "$n1" "no new cache entry for another order"

# 800 distinct keys (some 4 KB each) against a 1 MiB bound: the cache
# fills and holds it, older entries evicted.
curl -s -o /dev/null "$BASE/api/v1/audit?limit=[1-800]"
req GET /api/v1/health
eq "$(json cache.max_bytes)" 1048576 "cache bound from --cache-mb"
b=$(json cache.bytes); n=$(json cache.entries)
CHECKS=$((CHECKS + 1))
[ "$b" -le 1048576 ] && [ "$b" -gt 524288 ] && [ "$n" -lt 800 ] ||
    fail "cache holds $n entries in $b bytes: wanted full to at most 1 MiB"
stop_server

# Limits per address: past 8 open connections, 503 with Retry-After.
start_server "$DB" --max-conns-per-address 8 --request-timeout 2 --idle-timeout 2
C over "$PORT" 127.0.0.3 8 >"$T/over"
has over "503"
has over "retry-after 5"
has over "SRV.861"
# Another address is not held up by that one.
req GET /api/v1/health; status 200 "health from another address"
# A request sent one byte at a time is cut off at the request timeout (2 s).
C slow "$PORT" 127.0.0.4 0.3 12 >"$T/slow"
s=$(awk '{ print int($3) }' "$T/slow")
CHECKS=$((CHECKS + 1)); [ "$s" -ge 1 ] && [ "$s" -le 5 ] || fail "slowloris: $(cat "$T/slow")"
# An idle kept-alive connection is closed at the idle timeout (2 s).
C idle "$PORT" 127.0.0.4 12 >"$T/idle"
s=$(awk '{ print int($3) }' "$T/idle")
CHECKS=$((CHECKS + 1)); [ "$s" -ge 1 ] && [ "$s" -le 5 ] || fail "idle: $(cat "$T/idle")"
stop_server

# The defaults: 2,000 connections held from one address leave /health free.
start_server "$DB"
C hold "$PORT" 127.0.0.2 2000 4 >"$T/hold" &
hp=$!
sleep 2
t=$(curl -s -o "$T/out" -w '%{time_total}' --max-time 3 "$BASE/api/v1/health")
eq "$(json status)" ok "health while 2,000 connections are held"
CHECKS=$((CHECKS + 1))
awk -v t="$t" 'BEGIN { exit !(t < 1) }' || fail "health took $t s while connections were held"
wait $hp
# 1,000 half-sent requests closed by the client: no socket lingers.
C halfsent "$PORT" 127.0.0.5 1000 >/dev/null
sleep 1
cw=$(ss -Htn state close-wait "( sport = :$PORT )" | wc -l)
eq "$cw" 0 "sockets in CLOSE_WAIT after half-sent requests"
req GET /api/v1/health; status 200 "health after the flood"
stop_server
eq "$SRV_STATUS" 0 "server stopped cleanly"
finish
