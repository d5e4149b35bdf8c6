# es_style.sh: a Spanish-style municipal election (SYNTHETIC, made by
# tests/es_style/generate.py): provinces with municipalities directly under
# them, five national parties from the registry and ~2,700 local groupings
# from the election's own parties.csv, D'Hondt over the lists with 5 % of
# valid+blank ballots, ties to the list with more votes, blank ballots in
# the long results format. Every council's seats and head must equal the
# generator's own exact computation, through import, official, publish and
# verify; then the same councils under other rules (threshold base `valid`,
# ties to fewer votes) give the answers those rules give.
. "$(dirname "$0")/lib/assert.sh"

G=$KHUM_SRC/tests/es_style/generate.py
python3 "$G" "$T/es" || fail "generate"
# seats_heads TALLY_CSV: commune,party,seats,head per line, sorted.
seats_heads() {
    python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    print(",".join((r["area"], r["party"], r["seats"], r["chiefs"])))' "$1" | sort
}
# published DB=PATH N: a key, a publication of DB and its verification,
# every one of the N councils' seats recomputed without a difference.
published() {
    db=${1#DB=}
    rm -rf "$T/pub" "$T/k.key" "$T/k.pub"
    run 0 "$KHUM" keygen "$T/k"
    run 0 "$KHUM" publish --out "$T/pub" --key "$T/k.key" --db "$db"
    run 0 "$KHUM" verify "$T/pub" --key "$T/k.pub"
    has out "$2 communes' seats recomputed: no difference"
}
# load DB DIR: gazetteer, registry, election, results, official.
load() {
    run 0 "$KHUM" import gazetteer "$2/gazetteer" -q --db "$1"
    run 0 "$KHUM" import parties "$2/registry.csv" -q --db "$1"
    run 0 "$KHUM" election import "$2/election" --db "$1"
    run 0 "$KHUM" import results "$2/results/forms.csv" --votes "$2/results/votes.csv" -q \
        --db "$1"
    run 0 "$KHUM" official --db "$1"
}

DB=$(newdb es)
load "$DB" "$T/es"
run 0 "$KHUM" tally --by commune --format csv --db "$DB"
seats_heads "$T/out" >"$T/got.csv"
tail -n +2 "$T/es/expected.csv" | sort >"$T/want.csv"
eq "$(wc -l <"$T/got.csv")" "$(wc -l <"$T/want.csv")" "lists tallied"
cmp -s "$T/got.csv" "$T/want.csv" || { fail "seats or heads differ"; diff "$T/want.csv" "$T/got.csv" | head >&2; }
# The edges: exactly 5 % of valid+blank takes a seat, one vote fewer none;
# equal quotients for the last seat go to the list with more votes.
grep -q '^01001,L01001-1,1,0$' "$T/got.csv" || fail "5 % exactly takes a seat"
grep -q '^01001,L01001-2,0,0$' "$T/got.csv" || fail "one vote under 5 % takes none"
grep -q '^01002,NA,3,1$' "$T/got.csv" || fail "the tie to more votes"

published DB=$DB 400

# The same two councils under other rules: the rules are data.
python3 "$G" "$T/v" 8 || fail "generate small"
sed -i 's/,valid+blank,/,valid,/; s/more-votes>lots/fewer-votes>lots/' "$T/v/election/election.csv"
DB2=$(newdb es2)
load "$DB2" "$T/v"
run 0 "$KHUM" tally --by commune --format csv --db "$DB2"
seats_heads "$T/out" >"$T/got2.csv"
grep -q '^01001,L01001-2,1,0$' "$T/got2.csv" || fail "99 of 1,980 valid is 5 %: a seat"
grep -q '^01001,NB,5,0$' "$T/got2.csv" || fail "NB gives the seat up"
grep -q '^01002,NA,2,1$' "$T/got2.csv" || fail "fewer-votes: NA two seats"
grep -q '^01002,NB,2,0$' "$T/got2.csv" || fail "fewer-votes: NB takes the tied seat"
published DB=$DB2 8
finish
