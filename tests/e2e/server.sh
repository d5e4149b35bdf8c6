# server.sh: `khum serve` end to end: reads (elections, areas, results,
# seats, forms, audit head) with ETags and cache invalidation; two clerks
# key one form (agree) and another (disagree), the coordinator resolves;
# check failures answer 422 with their codes; the administrator makes the
# results official; browser sessions need the CSRF token; failed logins are
# rate-limited; and hostile input: malformed JSON, wrong types, huge
# numbers, oversized bodies, long URLs, path traversal, SQL metacharacters,
# invalid UTF-8. SIGTERM stops the server cleanly.
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

DB=$(newdb s)
K() { "$KHUM" "$@" --db "$DB"; }
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$KHUM_TESTDATA/mini-election"
PW=correct-horse-9
for u in ann:clerk:010201 bob:clerk:0102 cid:clerk:0102 col:coordinator:01 adm:admin:; do
    name=${u%%:*}; rest=${u#*:}; role=${rest%%:*}; scope=${rest#*:}
    echo "$PW" | K user add "$name" --role "$role" --scope "$scope" >/dev/null 2>&1 ||
        fail "user add $name"
done
mkdir -p "$T/web" "$T/secret"
echo '<h1>khum</h1>' >"$T/web/index.html"
echo TOPSECRET-CONTENT >"$T/secret/key.txt"
start_server "$DB" --web "$T/web" --max-body 4096
E=/api/v1/elections/kh-test-2022

# Reads without login.
req GET /api/v1/health; status 200 health; eq "$(json status)" ok "health"
req GET /api/v1/elections; status 200 elections; eq "$(json elections.0.id)" kh-test-2022 "id"
req GET $E; status 200 election; eq "$(json status)" provisional "status"
eq "$(json tie_rule),$(json threshold_base),$(json posts)" "votes,valid,chief-deputies" "the election's rule set"
eq "$(json stations_reported)" 0 "nothing reported yet"
req GET $E/areas/010201; status 200 areas; eq "$(json children.1.code)" 010201-02 "stations"
req GET $E/areas/99; status 404 "unknown area"; eq "$(json error.code)" GEO.210 "area code"
req GET $E/results/010201; status 200 results
req GET /api/v1/elections/nope; status 404 "unknown election"
req GET /api/v1/nothing; status 404 "unknown endpoint"; eq "$(json error.code)" HTTP.404 "404 code"
req DELETE $E/results; status 405 "wrong method"; eq "$(json error.code)" HTTP.405 "405 code"
curl -s -D "$T/h" -o /dev/null "$BASE$E/results"
etag=$(sed -n 's/^ETag: *\(.*\)\r$/\1/Ip' "$T/h")
[ -n "$etag" ] || fail "results carry an ETag"
req GET $E/results "" -H "If-None-Match: $etag"; status 304 "unchanged results"
# A static file: one Cache-Control (revalidate: no-cache), one ETag; 304 when unchanged.
curl -s -D "$T/h" -o /dev/null "$BASE/index.html"
eq "$(grep -ci '^Cache-Control:' "$T/h")" 1 "one Cache-Control on a static file"
grep -qi '^Cache-Control: no-cache' "$T/h" || fail "a static file is revalidated (no-cache)"
eq "$(grep -ci '^ETag:' "$T/h")" 1 "one ETag on a static file"
setag=$(sed -n 's/^ETag: *\(.*\)\r$/\1/Ip' "$T/h")
eq "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $setag" "$BASE/index.html")" 304 \
    "an unchanged static file"

# Two clerks agree on 010201-01.
for u in ann bob cid col adm; do login $u "$PW"; status 200 "login $u"; done
F1='{"registered":500,"received":510,"cast":400,"spoiled":2,"unused":108,"valid":390,"invalid":10,"votes":{"CPP":200,"CNRP":150,"FCP":40}}'
as ann POST $E/forms/010201-01/entries "$F1"; status 201 "first entry"
eq "$(json state)" first-entered "after the first entry"
as ann POST $E/forms/010201-01/entries "$F1"; status 409 "same clerk twice"
eq "$(json error.code)" CNT.802 "same clerk code"
as bob POST $E/forms/010201-01/entries "$F1"; status 201 "second entry"
eq "$(json state)" accepted "entries agree"
# The cache follows the data: the same ETag now gets a new body.
req GET $E/results "" -H "If-None-Match: $etag"; status 200 "results changed"
eq "$(json areas.0.stations_reported)" 1 "one station reported"

# They disagree on 010201-02; the coordinator keeps the second entry.
F2='{"registered":400,"received":410,"cast":300,"spoiled":0,"unused":110,"valid":294,"invalid":6,"votes":{"CPP":150,"CNRP":100,"FCP":44}}'
F2b='{"registered":400,"received":410,"cast":300,"spoiled":0,"unused":110,"valid":294,"invalid":6,"votes":{"CPP":140,"CNRP":110,"FCP":44}}'
as ann POST $E/forms/010201-02/entries "$F2b"; status 201 "first entry (wrong)"
as cid POST $E/forms/010201-02/entries "$F2"; status 201 "second entry (right)"
eq "$(json state)" entries-different "entries differ"; eq "$(json differs)" "" "blind: the keyer is not told which fields"
hasnt out "CNRP,CPP"
as ann GET $E/forms/010201-02; hasnt out '"first":'
as col GET $E/forms/010201-02; has out '"first":'; has out '"second":'
as adm GET $E/forms/010201-02; has out '"first":'
# The coordinator's worklist: the form whose entries differ, by area.
req GET "$E/forms?state=todo&area=01"; status 200 worklist
eq "$(json forms.0.station)" 010201-02 "the differing form is on the list"
eq "$(json forms.0.state)" entries-different "its state"
req GET "$E/forms?area=02"; status 200 "worklist elsewhere"; eq "$(json forms.0.station)" "" "nothing in 02"
req GET "$E/forms?state=bogus"; status 400 "an unknown state"
as col POST $E/forms/010201-02/resolve '{"action":"keep-second"}'; status 422 "a decision without a reason"
eq "$(json error.code)" CNT.808 "the reason is asked for"
as col POST $E/forms/010201-02/resolve '{"action":"keep-second","reason":"paper form checked"}'; status 200 resolve
eq "$(json state)" accepted "resolved"
as col POST $E/forms/010201-02/resolve '{"action":"explode"}'; status 400 "bad action"
eq "$(json error.code)" REQ.107 "unknown action code"

# A form that fails a check: 422 with its codes, nothing written.
before=$(sql "$DB" "SELECT count(*) FROM form_entry")
BAD='{"registered":600,"received":612,"cast":450,"spoiled":1,"unused":161,"valid":440,"invalid":9,"votes":{"CPP":300,"CNRP":140}}'
as bob POST $E/forms/010202-01/entries "$BAD"; status 422 "failed check"
eq "$(json error.code)" F.103 "valid + invalid != cast"; has out '"checks":'
eq "$(sql "$DB" "SELECT count(*) FROM form_entry")" "$before" "nothing written on 422"
# A warning (invalid above 5 %) needs an explanation; SQL metacharacters are data.
W='{"registered":600,"received":612,"cast":450,"spoiled":1,"unused":161,"valid":420,"invalid":30,"votes":{"CPP":280,"CNRP":140}}'
as bob POST $E/forms/010202-01/entries "$W"; status 201 "warning entry 1"
as cid POST $E/forms/010202-01/entries "$W"; status 201 "warning entry 2"
eq "$(json state)" needs-explanation "warning open"
TXT="rain'); DROP TABLE form_entry; --"
as col POST $E/forms/010202-01/explanations "{\"code\":\"W.201\",\"text\":\"$TXT\"}"
status 200 explain; eq "$(json state)" accepted "explained"
eq "$(sql "$DB" "SELECT text FROM form_explanation WHERE code = 'W.201'")" "$TXT" "text kept verbatim"

# The administrator makes everything official; seats and councils answer.
as col POST $E/official '{}'; status 403 "coordinator may not make official"
as adm POST $E/official '{}'; status 200 official; eq "$(json made_official)" 2 "communes"
req GET $E; eq "$(json status)" official "official now"
req GET $E/seats/010201; status 200 seats; eq "$(json seats)" 5 "seats of 010201"
has out '"protocol":'; has out '"margins":'
# A council on a day outside the mandate is 422 (CNL.310).
req GET "$E/councils/010201?date=2030-01-01"; status 422 "a day after the mandate"
eq "$(json error.code)" CNL.310 "outside the mandate"
req GET "$E/councils/010201?date=2022-06-04"; status 422 "the day before polling day"

# Browser sessions: cookie alone is not enough for a write.
curl -s -c "$T/jar" -o "$T/out" -H 'Content-Type: application/json' \
    --data "{\"user\":\"col\",\"password\":\"$PW\"}" "$BASE/api/v1/session"
csrf=$(json csrf)
grep -q "HttpOnly" "$T/jar" || fail "session cookie is HttpOnly"
req POST $E/forms/010201-01/resolve '{"action":"keep-first","reason":"paper form checked"}' -b "$T/jar"
status 403 "cookie without CSRF"; eq "$(json error.code)" AUTH.505 "csrf code"
req POST $E/forms/010201-01/resolve '{"action":"keep-first","reason":"paper form checked"}' -b "$T/jar" -H "X-CSRF-Token: $csrf"
status 409 "cookie with CSRF reaches the state machine"
req GET /api/v1/session "" -b "$T/jar"; status 200 "who am I"; eq "$(json user)" col "session user"
req GET /api/v1/session; status 200 "no session"; eq "$(json user)" "" "no user without a session"

# Hostile input.
as adm POST $E/lots '{"commune": '; status 400 "malformed JSON"; eq "$(json error.code)" REQ.101 "json code"
as adm POST $E/lots '[1,2]'; status 400 "not an object"; eq "$(json error.code)" REQ.102 "array code"
as adm POST $E/lots '{"seed": "x"}'; status 400 "missing field"; eq "$(json error.code)" REQ.103 "missing code"
long=$(head -c 2100 /dev/zero | tr '\0' 'b')
as adm POST $E/lots "{\"commune\":\"010201\",\"seed\":\"$long\"}"; status 400 "too long"
eq "$(json error.code)" REQ.105 "too long code"
req GET "$E/results?by=galaxy"; status 400 "bad query"; eq "$(json error.code)" HTTP.400 "query code"
req GET /api/v1/publications; status 404 "no bundles"; eq "$(json error.code)" SRV.705 "no publish dir"
as adm POST $E/lots '{"commune": 12, "seed": "x"}'; status 400 "wrong type"; eq "$(json error.code)" REQ.104 "type code"
eq "$(json error.field)" commune "field named"
as bob POST $E/forms/010202-01/entries '{"registered":99999999999999999999999}'; status 400 "huge number"
as bob POST $E/forms/010202-01/entries '{"registered":5000000000,"received":0,"cast":0,"spoiled":0,"unused":0,"valid":0,"invalid":0,"votes":{}}'
status 400 "number out of range"; eq "$(json error.code)" REQ.106 "range code"
big=$(head -c 6000 /dev/zero | tr '\0' 'a')
as adm POST $E/lots "{\"commune\":\"$big\"}"; status 413 "oversized body"; eq "$(json error.code)" HTTP.413 "413 code"
long=$(head -c 70000 /dev/zero | tr '\0' 'a')
req GET "/api/v1/$long"; CHECKS=$((CHECKS + 1))
case $STATUS in 414|431|400) ;; *) fail "long URL: $STATUS";; esac
req GET "/api/v1/elections/$(head -c 1100 /dev/zero | tr '\0' 'c')"; status 414 "URL over 1 KiB"
eq "$(json error.code)" HTTP.414 "414 code"
printf '{"commune":"01\377\376","seed":"x"}' >"$T/bad.json"
STATUS=$(curl -s -o "$T/out" -w '%{http_code}' -H "Authorization: Bearer $TOKEN_adm" \
    --data-binary @"$T/bad.json" "$BASE$E/lots")
status 400 "invalid UTF-8"
for p in /../secret/key.txt /%2e%2e/secret/key.txt /..%2fsecret/key.txt /web/../../secret/key.txt; do
    STATUS=$(curl -s --path-as-is -o "$T/out" -w '%{http_code}' "$BASE$p")
    status 404 "path traversal $p"; hasnt out TOPSECRET
done
req GET /; status 200 "dashboard index"; has out "<h1>khum</h1>"
as adm POST "$E/forms/x'%20OR%201=1--/entries" "$F1"; status 404 "SQL in a station code"
eq "$(sql "$DB" "SELECT count(*) FROM form_entry")" 6 "entries after the hostile round"

# SQL metacharacters in every string field of every write: refused on their
# content (never 500), stored verbatim when valid, and every table still there.
SQLI="x'); DELETE FROM form_entry; DROP TABLE audit_event; --"
for ep in "forms/010202-01/resolve:action" "forms/010202-01/explanations:code" \
          "forms/010202-01/explanations:text" "forms/010202-01/corrections:reason" \
          "forms/010202-01/corrections:reference" "lots:commune" "lots:seed" \
          "ledger:type" "ledger:date" "ledger:commune" "ledger:person" "ledger:party" \
          "ledger:to_party" "ledger:reference" "official:communes"; do
    path=${ep%%:*}; field=${ep#*:}
    if [ "$field" = communes ]; then
        body="{\"communes\":[\"$SQLI\"]}"
    else
        body="{"
        for kv in action=keep-first code=W.201 text=t reason=r reference=d commune=010201 \
                  seed=s type=resign date=2022-07-01 person=p party=CPP to_party=CNRP; do
            k=${kv%%=*}; v=${kv#*=}
            [ "$k" = "$field" ] && v=$SQLI
            body="$body\"$k\":\"$v\","
        done
        body="${body%,}}"
    fi
    as adm POST "$E/$path" "$body"; CHECKS=$((CHECKS + 1))
    case $STATUS in 5*|000) fail "SQL metacharacters in $ep: $STATUS $(cat "$T/out")";; esac
    [ -n "${KHUM_DEBUG:-}" ] && echo "$ep $STATUS $(cat "$T/out")" >&2
done
eq "$(sql "$DB" "SELECT count(*) FROM form_entry")" 6 "form entries survive SQL metacharacters"
[ "$(sql "$DB" "SELECT count(*) FROM audit_event")" -gt 0 ] || fail "audit table survives"
# (the communes are official, so lots are refused there whatever the seed: CNT.823)
eq "$(sql "$DB" "SELECT count(*) FROM commune_lots")" 0 "no lots for an official commune"

# Failed logins are limited per user.
for i in 1 2 3 4 5; do req POST /api/v1/session '{"user":"ann","password":"wrong-wrong"}'; done
status 401 "wrong password"; eq "$(json error.code)" AUTH.502 "wrong password code"
req POST /api/v1/session "{\"user\":\"ann\",\"password\":\"$PW\"}"; status 429 "rate-limited"
eq "$(json error.code)" AUTH.506 "rate limit code"
req DELETE /api/v1/session "" -H "Authorization: Bearer $TOKEN_bob"; status 200 logout
as bob POST $E/forms/010202-01/entries "$W"; status 401 "logged out"

# Refusals at start-up.
run 2 "$KHUM" serve --db "$DB" --listen localhost:0; has err "[SRV.701]"
run 1 "$KHUM" serve --db "$DB" --listen 127.0.0.1:0 --web "$T/no-such-dir"; has err "[SRV.702]"
run 1 "$KHUM" serve --db "$DB" --listen "127.0.0.1:$PORT"; has err "[SRV.703]"
stop_server
eq "$SRV_STATUS" 0 "clean stop on SIGTERM"
has serve.log "finishing requests in flight"
run 0 K audit verify; has out "audit log verified"
run 0 K audit show --actor adm --type results; has out "results.official"
finish
