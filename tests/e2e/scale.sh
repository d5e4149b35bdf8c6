# scale.sh: the generator at any size and the whole path on it, small
# (the sizes of bench/scale, 1x to 35x Cambodia, are a separate target):
# `khum synth --stations N --councils M` writes a SYNTHETIC gazetteer,
# election and results file that the imports take; a seed gives the same
# files; sizes out of range are refused (TAB.913). Then import, official,
# tally (from the database and from the files: the same table), publish and
# verify.
. "$(dirname "$0")/lib/assert.sh"

S=$T/syn
run 0 "$KHUM" synth --stations 1500 --councils 120 --parties 9 --seats 3-12 --method sainte-lague --seed 7 --out "$S"
has out "SYNTHETIC election synthetic-scale-1500-s7: 120 councils"; has out "1500 stations"
hash=$(sed -n 's/.*hash \([0-9a-f-]*\)$/\1/p' "$T/out")
head -1 "$S/results.csv" | grep -q "^station,registered,.*,L09,explanation$" || fail "results header"
eq "$(tail -n +2 "$S/results.csv" | wc -l)" 1500 "forms"
eq "$(tail -n +2 "$S/gazetteer/provinces.csv" | wc -l)" 2 "provinces (14 regencies of 5 councils each)"
grep -q "sainte-lague" "$S/election/election.csv" || fail "method"
run 0 "$KHUM" synth --stations 1500 --councils 120 --parties 9 --method sainte-lague --seed 7 --out "$T/again"
cmp -s "$S/results.csv" "$T/again/results.csv" || fail "the same seed gives other forms"
run 0 "$KHUM" synth --stations 1500 --councils 120 --parties 9 --method sainte-lague --seed 8 --out "$T/other"
cmp -s "$S/results.csv" "$T/other/results.csv" && fail "another seed gives the same forms"
run 2 "$KHUM" synth --stations 100 --councils 120 --out "$T/x"; has err "[TAB.913]"
run 2 "$KHUM" synth --stations 1000 --councils 10 --parties 1 --out "$T/x"; has err "[TAB.913]"
run 2 "$KHUM" synth --stations 1000 --councils 10 --seats 3-13 --out "$T/x"; has err "--seats"
run 2 "$KHUM" synth --stations 1000 --councils 10 --method nosuch --out "$T/x"; has err "nosuch"

DB=$(newdb scale)
K() { "$KHUM" "$@" --db "$DB"; }
run 0 K import gazetteer "$S/gazetteer" -q
run 0 K election import "$S/election"; has out "120 communes"; has out "hash $hash"
run 0 K import results "$S/results.csv" -q
run 0 K official
run 0 K tally; has out "SYNTHETIC DATA"; has out "stations reported  1,500 of 1,500"
for by in province district commune; do
    run 0 K tally --by $by --format csv; mv "$T/out" "$T/db.csv"
    run 0 "$KHUM" tally --forms "$S/results.csv" --election "$S/election" --gazetteer "$S/gazetteer" --by $by --format csv
    # the files know nothing of official: compare all but the status column
    cut -d, -f1-6,8- "$T/db.csv" >"$T/a"; cut -d, -f1-6,8- "$T/out" >"$T/b"
    cmp -s "$T/a" "$T/b" || fail "tally by $by from the files differs from the database's"
done
run 0 "$KHUM" keygen "$T/k"
run 0 K publish --out "$T/pub" --key "$T/k.key"
run 0 "$KHUM" verify "$T/pub" --key "$T/k.pub"; has out "1,500 forms summed"
has out "seats recomputed: no difference"  # (a commune waiting for lots: none to compare)
finish
