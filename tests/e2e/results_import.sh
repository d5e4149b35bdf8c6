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
run 0 K import results "$T/bad.csv" --accept-valid; has out "1 form imported, 3 rows rejected"
run 2 K import results "$ELE/results.csv"; has err "results.csv:2: station 010201-01 has a result already"
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

# Issue 14: the import drops nothing silently and records who and what.
DB=$(newdb honest)
export KHUM_USER=admin   # (the setup's writes; results import names its user)
echo correct-horse-9 | K user add chief --role admin >/dev/null 2>&1 || fail "user chief"
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$ELE"
# A column naming no list of the election: refused as the API refuses it.
sed '1s/$/,ZZZ/; 2,$s/$/,999/' "$ELE/results.csv" > "$T/zzz.csv"
before=$(dbdump "$DB" | sha256sum)
run 2 K import results "$T/zzz.csv" --user chief
has err "zzz.csv:1:"; has err "column 'ZZZ' names no list of election kh-test-2022"; has err "[F.106]"
eq "$(dbdump "$DB" | sha256sum)" "$before" "an unknown list column writes nothing"
# A header-only file: a no-op, without an audit event.
head -1 "$ELE/results.csv" > "$T/header.csv"
run 0 K import results "$T/header.csv" --user chief; has out "no rows: nothing imported"
eq "$(dbdump "$DB" | sha256sum)" "$before" "a header-only file writes nothing"
# The options before the file; the event names the user, the file, its SHA-256 and rows.
run 0 K import results --user chief "$ELE/results.csv"; has out "3 forms imported"
eq "$(sql "$DB" "SELECT actor FROM audit_event WHERE type = 'results.import'")" chief "the importer"
ev=$(sql "$DB" "SELECT after FROM audit_event WHERE type = 'results.import'")
sha=$(sha256sum "$ELE/results.csv" | cut -d' ' -f1)
case $ev in *"\"sha256\":\"$sha\""*) ;; *) fail "no SHA-256 in the event: $ev" ;; esac
case $ev in *"\"file\":\"$ELE/results.csv\""*) ;; *) fail "no file in the event: $ev" ;; esac
case $ev in *'"rows":3'*) ;; *) fail "no rows in the event: $ev" ;; esac
eq "$(sql "$DB" "SELECT count(*) FROM form_event WHERE action = 'import' AND actor = 'chief'")" 3 "each form's import logged by its user"
# Errors name the file, never the user; bad input is exit 2 everywhere.
run 2 K import results --user chief "$ELE/results.csv"
has err "results.csv:2: station 010201-01 has a result already"; hasnt err "chief:"
run 2 K import results "$T/missing.csv" --user chief; has err "missing.csv: cannot open"
: > "$T/empty.csv"
run 2 K import results "$T/empty.csv" --user chief; has err "[CSV.109]"
unset KHUM_USER
finish
