# server_authz.sh: the authorization matrix of `khum serve`: every role x
# every write endpoint x an object inside and outside the user's scope, plus
# no login at all. Bodies are chosen so that an allowed call fails later, on
# its content (400/404/422), and changes nothing: only the decision is tested.
# Every refusal must be in the audit log as access.denied, and the chain
# must still verify.
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

DB=$(newdb s)
K() { "$KHUM" "$@" --db "$DB"; }
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$KHUM_TESTDATA/mini-election"
PW=correct-horse-9
for u in clerk:clerk:010201 coord:coordinator:010201 obs:observer:; do   # admin: newdb
    name=${u%%:*}; rest=${u#*:}; role=${rest%%:*}; scope=${rest#*:}
    echo "$PW" | K user add "$name" --role "$role" --scope "$scope" >/dev/null 2>&1 ||
        fail "user add $name"
done
start_server "$DB"
for u in clerk coord admin obs; do login $u "$PW"; status 200 "login $u"; done

E=/api/v1/elections/kh-test-2022
# endpoint name, path for the object inside (IN) / outside (OUT) the scope, body
cell() {  # USER ENDPOINT WHERE EXPECT
    u=$1; ep=$2; where=$3; want=$4
    if [ "$where" = in ]; then st=010201-01; cm=010201; else st=010202-01; cm=010202; fi
    case $ep in
    entries|resolve|explanations|corrections) path=$E/forms/$st/$ep; body='{}' ;;
    official) path=$E/official; body='{"communes":["999999"]}' ;;
    lots) path=$E/lots; body='{"commune":"999999","seed":"s"}' ;;
    ledger) path=$E/ledger; body="{\"type\":\"resign\",\"date\":\"2000-01-01\",\"commune\":\"$cm\",\"person\":\"p\"}" ;;
    dissolve) path=$E/ledger; body='{"type":"dissolve","date":"2000-01-01","party":"CNRP"}' ;;
    esac
    if [ "$u" = anon ]; then req POST "$path" "$body"; else as "$u" POST "$path" "$body"; fi
    CHECKS=$((CHECKS + 1))
    case $want in
    ok) case $STATUS in 401|403|405|500) fail "$u $ep $where: $STATUS, wanted allowed";; esac ;;
    *) [ "$STATUS" = "${want%%:*}" ] && [ "$(json error.code)" = "${want#*:}" ] ||
        fail "$u $ep $where: $STATUS $(json error.code), wanted $want" ;;
    esac
}
D503=403:AUTH.503; D504=403:AUTH.504; NOLOGIN=401:AUTH.501
# Scoped objects: entries, resolve, explanations, ledger. The others concern
# the whole election (official, lots, dissolve) or need the administrator.
for w in in out; do
    [ $w = in ] && S=ok || S=$D504
    cell clerk entries $w $S;  cell coord entries $w $S;  cell admin entries $w ok
    cell obs entries $w $D503; cell anon entries $w $NOLOGIN
    for ep in resolve explanations ledger; do
        cell clerk $ep $w $D503; cell coord $ep $w $S; cell admin $ep $w ok
        cell obs $ep $w $D503;  cell anon $ep $w $NOLOGIN
    done
    for ep in corrections official lots dissolve; do
        cell clerk $ep $w $D503; cell coord $ep $w $D503; cell admin $ep $w ok
        cell obs $ep $w $D503;  cell anon $ep $w $NOLOGIN
    done
done
# Refusals by role or scope: inside, entries 1 (observer) + 3 scoped
# endpoints x 2 (clerk, observer) + 4 administrator-only x 3 = 19; outside,
# entries 3 + 3 x 3 + 4 x 3 = 24.
denied=$(sql "$DB" "SELECT count(*) FROM audit_event WHERE type = 'access.denied'")
eq "$denied" 43 "access.denied events"
req GET "/api/v1/audit?type=access&limit=1"
eq "$(json events.0.actor)" obs "first refusal's actor in the API"
eq "$(json events.0.area)" 010201-01 "first refusal's object"

# Nothing was written by the allowed calls either (they failed on content).
eq "$(sql "$DB" "SELECT count(*) FROM form_entry")" 0 "no entry written"
eq "$(sql "$DB" "SELECT count(*) FROM ledger_event")" 0 "no ledger event written"
# A disabled user's session ends at once.
run 0 K user disable clerk
as clerk POST $E/forms/010201-01/entries '{}'; status 401 "disabled clerk"
stop_server
eq "$SRV_STATUS" 0 "server stopped cleanly on SIGTERM"
run 0 K audit verify; has out "audit log verified"
finish
