# http.sh: starting `khum serve` on a free loopback port and calling it with
# curl (sourced after assert.sh). req keeps the body in $T/out and the status
# in $STATUS; login sets TOKEN_<user>.
SRV_PID=""
start_server() {  # DB [extra serve options]
    db=$1; shift
    rm -f "$T/port"
    "$KHUM" serve --db "$db" --listen 127.0.0.1:0 --port-file "$T/port" "$@" \
        2>>"$T/serve.log" &
    SRV_PID=$!
    i=0
    while [ ! -s "$T/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    PORT=$(cat "$T/port")
    BASE="http://127.0.0.1:$PORT"
}
stop_server() {
    [ -n "$SRV_PID" ] && kill -TERM "$SRV_PID" 2>/dev/null && wait "$SRV_PID"
    SRV_STATUS=$?
    SRV_PID=""
}
trap 'kill -9 $SRV_PID 2>/dev/null; [ "$FAILS" -ne 0 ] && [ -s "$T/serve.log" ] && tail -30 "$T/serve.log" >&2; drop_pg_dbs; rm -rf "$T"' EXIT

# req METHOD PATH [BODY] [curl options...]
req() {
    m=$1; p=$2; shift 2
    if [ $# -gt 0 ]; then b=$1; shift; else b=""; fi
    if [ -n "$b" ]; then
        STATUS=$(curl -s -o "$T/out" -w '%{http_code}' -X "$m" -H 'Content-Type: application/json' \
            --data-binary "$b" "$@" "$BASE$p")
    else
        STATUS=$(curl -s -o "$T/out" -w '%{http_code}' -X "$m" "$@" "$BASE$p")
    fi
}
# status EXPECTED DESCRIPTION
status() {
    CHECKS=$((CHECKS + 1))
    [ "$STATUS" = "$1" ] || { fail "$2: status $STATUS, wanted $1"; head -c 400 "$T/out" >&2; echo >&2; }
}
# as USER METHOD PATH [BODY]: a request with USER's bearer token.
as() {
    u=$1; shift
    eval "tok=\${TOKEN_$u:-none}"
    m=$1; p=$2; shift 2
    req "$m" "$p" "${1:-}" -H "Authorization: Bearer $tok"
}
login() {  # USER PASSWORD
    req POST /api/v1/session "{\"user\":\"$1\",\"password\":\"$2\"}"
    t=$(json token)
    eval "TOKEN_$1=$t"
}
# json PATH: a value of the response, PATH like error.code or checks.0.code
# (python3, which the build installs, reads the JSON).
json() {
    /usr/bin/python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v.get(k) if isinstance(v, dict) else None
print("" if v is None else json.dumps(v) if isinstance(v, (dict, list)) else
      str(v).lower() if isinstance(v, bool) else v)' "$T/out" "$1" 2>/dev/null
}
