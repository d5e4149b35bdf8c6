# results_import.sh: bulk import of digitized forms: every row checked; a
# file with a rejected row writes nothing unless --accept-valid; lots settle
# a tie before results can be official; a SYNTHETIC national election adds
# up to the published totals.
. "$(dirname "$0")/lib/assert.sh"

DB=$(newdb r)
ELE="$KHUM_TESTDATA/mini-election"
K() { "$KHUM" "$@" --db "$DB"; }
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$ELE"
head -1 "$ELE/results.csv" > "$T/bad.csv"
sed -n 2p "$ELE/results.csv" >> "$T/bad.csv"
echo "010201-02,400,410,300,0,110,294,6,150,100,4x," >> "$T/bad.csv"
echo "010202-01,600,612,450,1,161,440,10,300,141,," >> "$T/bad.csv"
sed -n 2p "$ELE/results.csv" >> "$T/bad.csv"
run 2 K import results "$T/bad.csv"
has err "bad.csv:3:43: '4x' is not a whole number (column 'FCP') [F.110]"
has err "bad.csv:4: station 010202-01: the lists' votes add up to 441, not to the 440 valid ballots [F.102]"
has err "bad.csv:5: station 010201-01 appears more than once in the file [F.112]"
has err "3 of 4 rows rejected: nothing was written"
eq "$(sql "$DB" "SELECT count(*) FROM form_entry")" 0 "nothing written"
run 0 K import results "$T/bad.csv" --accept-valid; has out "1 forms imported, 3 rows rejected"
run 1 K import results "$ELE/results.csv"; has err "station 010201-01 has a result already"
eq "$(sql "$DB" "SELECT count(*) FROM form_entry")" 1 "the second file changed nothing"

# A tie for the last seat of 010202 (CPP 300, CNRP 300, 7 seats).
DB=$(newdb tie)
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
adduser "$DB" nec admin
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$ELE"
sed 's/^010202-01,.*/010202-01,600,612,580,1,31,580,0,290,290,,/' "$ELE/results.csv" > "$T/tie.csv"
run 0 K import results "$T/tie.csv"
run 1 K official 010202 --user nec; has err "commune 010202: seats wait for lots (khum lots 010202 SEED) [R.405]"
run 0 K lots 010202 "NEC draw 2022-06-20" --user nec
run 1 K lots 010202 "again" --user nec; has err "[CNT.820]"
run 0 K official --user nec; has out "2 communes made official"
run 0 K tally --commune 010202; has out "(tie)"
eq "$(sql "$DB" "SELECT value FROM official_total WHERE area = '010202' AND field = 'seats'")" 7 "seats after the lot"

# A SYNTHETIC national election adds up to the published totals exactly.
DB=$(newdb s --empty)   # the demo adds its own administrator, "demo"
run 0 "$KHUM" demo --db "$DB" --no-election
run 0 K synth --like 2022 --seed 3 --out "$T/syn" --load --user demo
has out "SYNTHETIC election synthetic-kh-commune-2022-s3"
has out "loaded synthetic-kh-commune-2022-s3: 23602 stations' results accepted"
run 0 K election show
has out "*** SYNTHETIC DATA"; has out "communes   1652"; has out "seats      11,622"
has out "stations   23,602, 9,205,681 registered voters"
has "out" "SYNTHETIC"
grep -q "SYNTHETIC DATA - NOT A REAL ELECTION" "$T/syn/README.txt" || fail "README says synthetic"
eq "$(sed -n 2p "$T/syn/election.csv" | cut -d, -f1)" "synthetic-kh-commune-2022-s3" "synthetic id"
# The same seed gives the same election.
run 0 K synth --like 2022 --seed 3 --out "$T/syn2"
cmp -s "$T/syn/results.csv" "$T/syn2/results.csv" || fail "same seed, same results"
finish
