# lifecycle.sh: one lifecycle (issue 14): import, keying, make-official and
# correction all go through the entry state machine, which logs each move it
# makes once in form_event; state names are spelt in SQL only through the
# store's mapping.
. "$(dirname "$0")/lib/assert.sh"

# No SQL names a form state outside the store's mapping (state_names in
# src/store/store_forms.c, bound as parameters).
hits=$(grep -rnE "'(empty|first-entered|entries-different|needs-explanation|accepted|official)'" \
    "$KHUM_SRC/src" --include='*.c' --include='*.h')
eq "$hits" "" "form states spelt in SQL outside the store's mapping"

DB=$(newdb life)
ELE="$KHUM_TESTDATA/mini-election"
K() { "$KHUM" "$@" --db "$DB"; }
export KHUM_USER=admin
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
for u in alice bob; do
    echo correct-horse-9 | K user add $u --role clerk --scope 01 >/dev/null 2>&1 || fail "user $u"
done
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$ELE"
run 0 K import results "$ELE/results.csv" -q    # the user from $KHUM_USER
eq "$(sql "$DB" "SELECT actor FROM audit_event WHERE type = 'results.import'")" admin "the importer, from \$KHUM_USER"
moves() { sql "$DB" "SELECT count(*) FROM form_event WHERE action = '$1' AND from_state = '$2' AND to_state = '$3'"; }
eq "$(moves import empty accepted)" 3 "each imported form: empty -> accepted"
run 0 K official --user admin; has out "2 communes made official"
eq "$(moves make-official accepted official)" 3 "each form made official once"

# A correction of one station, keyed twice; making its commune official again
# moves that form only: the other station's form is official already.
F3="registered=500 received=510 cast=400 spoiled=2 unused=108 valid=390 invalid=10 CPP=190 CNRP=160 FCP=40"
run 0 K entry correct 010201-01 --reason "recount" --reference "PEC 12/2022" --user admin
run 0 K entry enter 010201-01 $F3 --user alice
run 0 K entry enter 010201-01 $F3 --user bob
run 0 K official 010201 --user admin; has out "1 commune made official"
eq "$(moves make-official accepted official)" 4 "only the corrected form moved again"
eq "$(sql "$DB" "SELECT count(*) FROM form_event WHERE action = 'make-official' AND station = '010201-02'")" 1 "an official form is not moved twice"
eq "$(sql "$DB" "SELECT version || ':' || state FROM form_version WHERE station = '010201-01' ORDER BY version" | tr '\n' ' ')" "1:official 2:official " "both versions official"
run 0 K reconcile

# An import fills the empty version a correction opened, through the same
# state machine; into any other state it is refused (F.111).
run 0 K entry correct 010201-02 --reason "clerical error" --reference "PEC 13/2022" --user admin
printf '%s\n' 'station,registered,received,cast,spoiled,unused,valid,invalid,CPP,CNRP,FCP,explanation' \
    '010201-02,400,410,300,0,110,294,6,140,110,44,' >"$T/fix.csv"
run 0 K import results "$T/fix.csv" --user admin; has out "1 form imported"
eq "$(sql "$DB" "SELECT state FROM form_version WHERE station = '010201-02' AND version = 2")" accepted "the corrected version imported"
eq "$(sql "$DB" "SELECT count(*) FROM form_event WHERE action = 'import' AND station = '010201-02' AND version = 2 AND from_state = 'empty' AND to_state = 'accepted'")" 1 "the import logged on version 2"
run 2 K import results "$T/fix.csv" --user admin; has err "fix.csv:2: station 010201-02 has a result already (state accepted)"; has err "[F.111]"
unset KHUM_USER
finish
