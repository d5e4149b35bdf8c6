# replica.sh: read-only servers on PostgreSQL streaming replicas, for real
# (docs/deploy.md). A primary and a hot-standby replica made with
# pg_basebackup -R run on loopback ports in a temporary folder; `khum serve`
# runs on each. Forms keyed through the primary's server are answered by the
# replica's within the stated lag (REPLICA_LAG, 10 s, polled every 0.1 s),
# its cached results (ETag) follow replication, and every write on the
# replica is refused with DB.905, through the API and the CLI, changing
# nothing. Skips (exit 0, with a message) where the PostgreSQL server tools
# are missing; runs once (under the SQLite pass: it makes its own servers).
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

if [ "$BACKEND" = postgresql ]; then
    echo "replica.sh starts its own primary and replica: it runs once, under e2e/replica"
    exit 0
fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
for tool in initdb pg_ctl pg_basebackup psql; do
    if [ ! -x "$bin/$tool" ]; then
        echo "SKIP replica.sh: $tool (PostgreSQL server tools) not installed"
        exit 0
    fi
done
REPLICA_LAG=10
PG=$(mktemp -d /tmp/khum-replica.XXXXXX)
chown postgres "$PG" 2>/dev/null || true
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
P1=$(free_port); P2=$(free_port)
REPL_PID=""
cleanup_pg() {
    [ -n "$REPL_PID" ] && kill -TERM "$REPL_PID" 2>/dev/null && wait "$REPL_PID" 2>/dev/null
    for d in replica primary; do
        [ -d "$PG/$d" ] && as_pg "$bin/pg_ctl -D '$PG/$d' -m immediate stop" >/dev/null 2>&1
    done
    rm -rf "$PG"
}
start_pg() {  # DIR PORT
    as_pg "$bin/pg_ctl -D '$PG/$1' -l '$PG/$1.log' -w -o \"-k '$PG' -h 127.0.0.1 -p $2 -c fsync=off -c hot_standby=on\" start" >/dev/null ||
        { fail "start $1"; tail -5 "$PG/$1.log" >&2; }
}
as_pg "$bin/initdb -D '$PG/primary' -A trust -U postgres --no-sync" >/dev/null || fail "initdb"
start_pg primary "$P1"
"$bin/psql" -h 127.0.0.1 -p "$P1" -U postgres -qAt -c "CREATE ROLE khum LOGIN" -c "CREATE DATABASE khum OWNER khum" || fail "create khum"
PRIMARY=postgresql://khum@127.0.0.1:$P1/khum
REPLICA=postgresql://khum@127.0.0.1:$P2/khum

# The election on the primary, with two clerks; then the replica copies it.
bootstrap "$PRIMARY"
K() { "$KHUM" "$@" --db "$PRIMARY"; }
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$KHUM_TESTDATA/mini-election"
adduser "$PRIMARY" ann clerk 0102
adduser "$PRIMARY" bob clerk 0102
as_pg "$bin/pg_basebackup -h 127.0.0.1 -p $P1 -U postgres -D '$PG/replica' -R -X stream -c fast" >/dev/null 2>&1 ||
    fail "pg_basebackup"
start_pg replica "$P2"
eq "$("$bin/psql" -h 127.0.0.1 -p "$P2" -U postgres -qAt -c 'SELECT pg_is_in_recovery()')" t "the replica is a hot standby"

# A server on each.
start_server "$PRIMARY"
PBASE=$BASE
rm -f "$T/port"
"$KHUM" serve --db "$REPLICA" --listen 127.0.0.1:0 --port-file "$T/port" 2>>"$T/replica.log" &
REPL_PID=$!
i=0; while [ ! -s "$T/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
RBASE=http://127.0.0.1:$(cat "$T/port")
E=/api/v1/elections/kh-test-2022
BASE=$RBASE; req GET $E; status 200 "the replica's server answers"
eq "$(json stations_reported)" 0 "nothing reported yet (replica)"
curl -s -D "$T/h" -o /dev/null "$RBASE$E/results"
etag0=$(sed -n 's/^ETag: *\(.*\)\r$/\1/Ip' "$T/h")

# Writes on the replica are refused with DB.905, and change nothing.
BASE=$RBASE; req POST /api/v1/session "{\"user\":\"ann\",\"password\":\"$PW\"}"
[ "$STATUS" -ge 500 ] || fail "a login on the replica (it writes a session): status $STATUS"
grep -q "DB.905" "$T/out" || fail "the replica's refusal names DB.905: $(head -c 300 "$T/out")"
echo "$PW" | "$KHUM" user add carl --role clerk --db "$REPLICA" >"$T/out" 2>"$T/err" && fail "user add on the replica"
has err "[DB.905]"
run 1 "$KHUM" import parties "$KHUM_SRC/data/parties/kh.csv" -q --db "$REPLICA"; has err "[DB.905]"

# Two clerks key one form through the primary: the replica answers it in time.
BASE=$PBASE
login ann "$PW"; status 200 "login ann (primary)"
login bob "$PW"; status 200 "login bob (primary)"
F1='{"registered":500,"received":510,"cast":400,"spoiled":2,"unused":108,"valid":390,"invalid":10,"votes":{"CPP":200,"CNRP":150,"FCP":40}}'
as ann POST $E/forms/010201-01/entries "$F1"; status 201 "first entry (primary)"
as bob POST $E/forms/010201-01/entries "$F1"; status 201 "second entry (primary)"
eq "$(json state)" accepted "the form is accepted"
t0=$(date +%s%N)
BASE=$RBASE
i=0
while :; do
    req GET $E
    [ "$(json stations_reported)" = 1 ] && break
    i=$((i + 1))
    [ $i -ge $((REPLICA_LAG * 10)) ] && { fail "the replica did not answer the form within ${REPLICA_LAG} s"; break; }
    sleep 0.1
done
lag_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "replica answered the accepted form after ${lag_ms} ms (bound ${REPLICA_LAG} s)"
# Its read cache followed: a new ETag, and the results carry the form's votes.
curl -s -D "$T/h" -o "$T/out" "$RBASE$E/results"
etag1=$(sed -n 's/^ETag: *\(.*\)\r$/\1/Ip' "$T/h")
[ -n "$etag0" ] && [ "$etag0" != "$etag1" ] || fail "the replica's cached results changed ETag ($etag0 -> $etag1)"
grep -q '"votes": *200' "$T/out" || grep -q '"votes":200' "$T/out" || fail "the replica's results carry the form's votes"
req GET $E/results "" -H "If-None-Match: $etag0"; status 200 "the old ETag is stale on the replica"
# The primary and the replica agree on the results.
curl -s "$PBASE$E/results" >"$T/p.json"
cmp -s "$T/out" "$T/p.json" || fail "the replica's results differ from the primary's"
run 0 "$KHUM" tally --db "$REPLICA"; has out "stations reported  1 of 3"

stop_server
cleanup_pg
finish
