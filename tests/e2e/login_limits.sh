# login_limits.sh: the login limiter of `khum serve` (issue #17). Failures
# are kept with the user in the store (migration 013) and per address;
# 20 parallel wrong logins get exactly the limit's 401s, then 429; made-up
# names from many addresses flush nothing; blocks double; an unknown user
# costs the time of a known one (a dummy Argon2id hash); session cookies are
# Secure behind a trusted proxy that says https; logout needs the CSRF token.
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

DB=$(newdb l)
K() { "$KHUM" "$@" --db "$DB"; }
for u in ann bob tim cat dan; do
    echo "$PW" | K user add $u --role clerk >/dev/null 2>&1 || fail "user add $u"
done
start_server "$DB" --threads 8
# try USER PASSWORD FROM: one login from address FROM; prints its status.
try() {
    curl -s -o /dev/null -w '%{http_code}\n' --interface "$3" -H 'Content-Type: application/json' \
        -d "{\"user\":\"$1\",\"password\":\"$2\"}" "$BASE/api/v1/session"
}

# 20 parallel wrong passwords for one user: exactly 5 refused as wrong, then blocked.
pids=""
for i in $(seq 20); do try ann wrong-password-1 127.0.0.1 >"$T/par.$i" & pids="$pids $!"; done
wait $pids   # (not the server)
eq "$(cat "$T"/par.* | grep -c 401)" 5 "401s of 20 parallel wrong logins"
eq "$(cat "$T"/par.* | grep -c 429)" 15 "429s of 20 parallel wrong logins"
eq "$(try ann "$PW" 127.0.0.2)" 429 "the right password from elsewhere while blocked"
req POST /api/v1/session '{"user":"ann","password":"x"}' --interface 127.0.0.3
eq "$(json error.code)" AUTH.506 "block's rule"
eq "$(sql "$DB" "SELECT login_failures, login_blocked_until - login_last FROM app_user
    WHERE name = 'ann'" | tr '|' ' ')" "5 30" "failures kept with the user, first block 30 s"
# Once the block is over, the next failure blocks twice as long.
sql "$DB" "UPDATE app_user SET login_blocked_until = 1 WHERE name = 'ann'"
eq "$(try ann wrong-password-1 127.0.0.4)" 401 "a try after the block"
eq "$(sql "$DB" "SELECT login_blocked_until - login_last FROM app_user WHERE name = 'ann'")" 60 \
    "the next block doubles"
sql "$DB" "UPDATE app_user SET login_blocked_until = 1 WHERE name = 'ann'"
eq "$(try ann "$PW" 127.0.0.4)" 200 "the right password after the block"
eq "$(sql "$DB" "SELECT login_failures FROM app_user WHERE name = 'ann'")" 0 "a success clears"

# Made-up names from other addresses do not wipe a real user's count (kept
# in the user's row; bench/serve/hostile floods with 520 names, past the old
# table of 512).
for a in $(seq 10 11); do
    for i in $(seq 5); do echo "127.0.0.$a flood-$a-$i"; done
done | xargs -P 8 -n 2 sh -c 'curl -s -o /dev/null --interface "$0" -H "Content-Type: application/json" \
    -d "{\"user\":\"$1\",\"password\":\"wrong-password-1\"}" "'"$BASE"'/api/v1/session"'
for i in $(seq 12); do try bob wrong-password-1 127.0.0.30; done >"$T/bob"
eq "$(tr '\n' ' ' <"$T/bob")" "401 401 401 401 401 429 429 429 429 429 429 429 " \
    "12 wrong logins for a real user after the flood"

# An unknown user costs the time of a known one (Argon2id either way).
ms() { curl -s -o /dev/null -w '%{time_total}\n' --interface 127.0.0.33 -H 'Content-Type: application/json' \
    -d "{\"user\":\"$1\",\"password\":\"wrong-password-1\"}" "$BASE/api/v1/session"; }
known=$( (ms tim; ms tim; ms tim) | awk '{ s += $1 } END { print s / NR }')
unknown=$( (ms no-such-1; ms no-such-2; ms no-such-3) | awk '{ s += $1 } END { print s / NR }')
CHECKS=$((CHECKS + 1))
awk -v k="$known" -v u="$unknown" 'BEGIN { exit !(u >= k / 2 && u <= k * 2) }' ||
    fail "unknown user $unknown s against known $known s"
stop_server

# Cookies: Secure only when the trusted proxy says the client came over https.
start_server "$DB" --trusted-proxy 127.0.0.1
cookie() {  # FROM [header]: the Set-Cookie of a good login from FROM
    curl -s -D - -o /dev/null --interface "$1" ${2:+-H "$2"} -H 'Content-Type: application/json' \
        -d "{\"user\":\"dan\",\"password\":\"$PW\"}" "$BASE/api/v1/session" | grep -i '^set-cookie'
}
cookie 127.0.0.1 "X-Forwarded-Proto: https" >"$T/c1"; has c1 "; Secure"
cookie 127.0.0.1 >"$T/c2"; hasnt c2 "Secure"
cookie 127.0.0.40 "X-Forwarded-Proto: https" >"$T/c3"; has c3 "HttpOnly"; hasnt c3 "Secure"
# Per address: after 30 failures from one address (here the proxy's own,
# without a forwarded address) the 31st is refused; behind the proxy the
# address limited is the one it forwards.
for i in $(seq 30); do try "x$i" wrong-password-1 127.0.0.1; done >"$T/addr"
eq "$(grep -c 401 "$T/addr")" 30 "30 failures from one address"
xf() { curl -s -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: $1" -H 'Content-Type: application/json' \
    -d '{"user":"dan","password":"'"$PW"'"}' "$BASE/api/v1/session"; }
eq "$(xf 10.0.0.7)" 200 "a forwarded client is not the proxy's address"
eq "$(try dan "$PW" 127.0.0.1)" 429 "the proxy's own address is blocked"
stop_server

# Logout from a browser session needs its CSRF token.
start_server "$DB"
curl -s -c "$T/jar" -o "$T/out" -H 'Content-Type: application/json' \
    -d "{\"user\":\"dan\",\"password\":\"$PW\"}" "$BASE/api/v1/session"
csrf=$(json csrf)
req DELETE /api/v1/session "" -b "$T/jar"; status 403 "logout without the CSRF token"
eq "$(json error.code)" AUTH.505 "logout's CSRF rule"
req GET /api/v1/session "" -b "$T/jar"; eq "$(json user)" dan "still logged in"
req DELETE /api/v1/session "" -b "$T/jar" -H "X-CSRF-Token: $csrf"; status 200 "logout with the token"
stop_server
finish
