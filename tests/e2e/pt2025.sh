# pt2025.sh: a real election from elsewhere, end to end. Portugal's 308
# municipal executives of 12 October 2025 (official results, $KHUM_SHARED/
# data/pt-2025, CC BY 4.0), converted by tests/pt2025/convert.py into a
# gazetteer of two levels (districts > concelhos, no level between), an
# election with its own lists (parties.csv), D'Hondt with ties to the list
# with fewer votes, a head of council only, and each of the 3,259 parishes
# counted as a polling station in the long results format (forms + votes,
# with blank ballots). Through import, official, tally, publish and verify,
# every council's seats and president must be the official ones: 308/308.
. "$(dirname "$0")/lib/assert.sh"

SRC=${KHUM_SHARED:?}/data/pt-2025
[ -f "$SRC/cm_concelhos.csv" ] || { echo "pt-2025 data missing in $SRC" >&2; exit 1; }
python3 "$KHUM_SRC/tests/pt2025/convert.py" "$SRC" "$T/pt" || fail "convert"
# seats_heads TALLY_CSV: commune,party,seats,head per line, sorted.
seats_heads() {
    python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    print(",".join((r["area"], r["party"], r["seats"], r["chiefs"])))' "$1" | sort
}
# per_council FILE: one line per council holding all of its lines.
per_council() { awk -F, '{ k[$1] = k[$1] "|" $0 } END { for (c in k) print k[c] }' "$1" | sort; }
DB=$(newdb pt)
K() { "$KHUM" "$@" --db "$DB"; }

run 0 K import gazetteer "$T/pt/gazetteer" -q
run 0 K election import "$T/pt/election"
has out "308 communes"; has out "1583 lists"; has out "3259 stations"
run 0 K import results "$T/pt/results/forms.csv" --votes "$T/pt/results/votes.csv" -q
# A coordinator scoped to one parish code with letters, and one concelho.
adduser "$DB" coord_fa coordinator 0302FA
adduser "$DB" coord_lx coordinator 1106
run 0 K user list; has out "coord_fa"
run 0 K official

# Seats and heads of every council against the official answer.
run 0 K tally --by commune --format csv
seats_heads "$T/out" >"$T/got.csv"
tail -n +2 "$T/pt/expected.csv" | sort >"$T/want.csv"
eq "$(wc -l <"$T/got.csv")" 1583 "council lists tallied"
if ! cmp -s "$T/got.csv" "$T/want.csv"; then
    fail "seats or heads differ from the official ones"
    diff "$T/want.csv" "$T/got.csv" | head -20 >&2
fi
# Council by council: all of a council's lines equal.
per_council "$T/got.csv" >"$T/got.c"; per_council "$T/want.csv" >"$T/want.c"
councils_right=$(comm -12 "$T/got.c" "$T/want.c" | wc -l)
eq "$councils_right" 308 "councils compared"

# The nation: every list's votes, blank and null ballots summed.
run 0 K tally --format json
has out "\"registered\": $(awk -F, 'NR > 1 { s += $2 } END { print s }' "$T/pt/results/forms.csv")"
# named by the data (its gazetteer has no ISO codes: the nation), not Cambodia
run 0 K tally; has out "Nation"; hasnt out "Cambodia"

# Lisbon (1106, 17 seats) and Porto (1312, 13 seats) by name in the tally.
run 0 K tally --commune 1106; has out "Lisboa"
run 0 K tally --province 13; has out "Porto"

# Publish and verify offline: the same seats recomputed independently.
run 0 "$KHUM" keygen "$T/cne"
run 0 K publish --out "$T/pub" --key "$T/cne.key"
run 0 "$KHUM" verify "$T/pub" --key "$T/cne.pub"
has out "3,259 forms summed"
has out "308 communes' seats recomputed: no difference"

V=$T/pub/$(cat "$T/pub/current")
# Without a database: the bundle's files tallied give the database's tables.
for fmt in csv json; do
    run 0 K tally --by commune --format $fmt; mv "$T/out" "$T/db.$fmt"
    run 0 "$KHUM" tally --forms "$V/forms.csv" --votes "$V/form_votes.csv" --election "$T/pub" \
        --by commune --format $fmt
    cmp -s "$T/out" "$T/db.$fmt" || fail "tally of the bundle's files differs ($fmt)"
done
# (text tables label the lists by id: a bundle does not carry the election's own abbreviations)
run 0 "$KHUM" tally --forms "$V/forms.csv" --votes "$V/form_votes.csv" --election "$V" --province 13
has out "Porto"; has out "official"

# A published bundle's two files import back unchanged into a fresh database.
DB2=$(newdb pt2)
adduser "$DB2" chair admin   # another administrator explains what admin imported (CNT.807)
run 0 "$KHUM" import gazetteer "$T/pt/gazetteer" -q --db "$DB2"
run 0 "$KHUM" election import "$T/pt/election" --db "$DB2"
run 0 "$KHUM" import results "$V/forms.csv" --votes "$V/form_votes.csv" -q --db "$DB2"
# The 11 forms with a warning wait for their explanations, which the bundle
# carries apart (explanations.csv): the worklist names them, a coordinator
# explains each as published.
run 0 "$KHUM" entry list --state needs-explanation --format csv --db "$DB2"
eq "$(tail -n +2 "$T/out" | wc -l)" "$(tail -n +2 "$V/explanations.csv" | wc -l)" "forms waiting"
python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    print(r["station"], r["code"], sep="\t")' "$V/explanations.csv" >"$T/expl.tsv"
while IFS="$(printf '\t')" read -r station code; do
    "$KHUM" entry explain "$station" "$code" "as published in $V" --db "$DB2" --user chair >/dev/null ||
        fail "explain $station $code"
done <"$T/expl.tsv"
run 0 "$KHUM" entry list --state todo --format csv --db "$DB2"; eq "$(cat "$T/out")" "station,commune,state" "nothing waits"
run 0 "$KHUM" tally --by commune --format csv --db "$DB2"
seats_heads "$T/out" >"$T/got2.csv"
cmp -s "$T/got.csv" "$T/got2.csv" || fail "the bundle's forms re-imported give other seats"
finish
