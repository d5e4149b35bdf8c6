# audit_rows.sh: the audit chain covers the figures. Each event commits to a
# digest of the recorded rows it wrote (form entries, form versions, official
# totals, ledger events, ...), so a figure changed in the database behind
# khum's back fails `khum audit verify` (AUD.503) naming the table, the row
# and the event that wrote it; changing the row digests too fails the event
# (AUD.504); putting the figure back verifies again. Through the bulk import
# and through keyed entries, on SQLite and PostgreSQL.
. "$(dirname "$0")/lib/assert.sh"

PW=correct-horse-9
setup() {  # DB ELECTION: reference data, an election, an administrator
    "$KHUM" import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q --db "$1" || fail "gazetteer"
    "$KHUM" import parties "$KHUM_SRC/data/parties/kh.csv" -q --db "$1" || fail "parties"
    "$KHUM" election import "$2" --db "$1" >/dev/null || fail "election"
    echo "$PW" | "$KHUM" user add adm --role admin --db "$1" >/dev/null 2>&1 || fail "user adm"
}
verified() {  # MESSAGE
    run 0 K audit verify; has out "audit log verified"
}
broken() {  # RULE TEXT...: verify fails with RULE naming each TEXT
    run 2 K audit verify; has err "[$1]"; shift
    for t in "$@"; do has err "$t"; done
}
tampered() {  # CHANGE UNDO TEXT...: after CHANGE verify fails (AUD.503) naming each
    sql "$DB" "$1"; undo=$2; shift 2      # TEXT; after UNDO it verifies again
    broken AUD.503 "$@"
    sql "$DB" "$undo"
    verified
}

# The bulk import, candidates, official results and the ledger.
DB=$(newdb bulk)
K() { "$KHUM" "$@" --db "$DB"; }
F="$KHUM_TESTDATA/news-2017"
setup "$DB" "$F"
run 0 K import results "$F/results.csv" -q --user adm
run 0 K import candidates "$F/candidates.csv" --user adm
run 0 K official --user adm
run 0 K ledger add defect --commune 010201 --person CNRP-2 --to-party CPP --date 2017-10-23 --user adm
verified

id=$(sql "$DB" "SELECT accepted_entry FROM form_version WHERE station = '010201-01'")
ev=$(sql "$DB" "SELECT id FROM audit_event WHERE type = 'results.import'")
votes=$(sql "$DB" "SELECT votes FROM form_entry WHERE id = $id")
tampered "UPDATE form_entry SET votes = replace(votes, '\"CPP\":', '\"CPP\":1') WHERE id = $id" \
    "UPDATE form_entry SET votes = '$votes' WHERE id = $id" \
    "form_entry $id" "audit event $ev"
tampered "UPDATE form_entry SET valid = valid + 1 WHERE id = $id" \
    "UPDATE form_entry SET valid = valid - 1 WHERE id = $id" \
    "form_entry $id" "audit event $ev"

ev=$(sql "$DB" "SELECT id FROM audit_event WHERE type = 'results.official'")
tampered "UPDATE official_total SET value = value + 5 WHERE area = '010201' AND field = 'valid'" \
    "UPDATE official_total SET value = value - 5 WHERE area = '010201' AND field = 'valid'" \
    "official_total kh-news-2017/010201/valid" "audit event $ev"
# The state of a form and which entry counts are part of the record too.
tampered "UPDATE form_version SET state = 'accepted' WHERE station = '010201-01'" \
    "UPDATE form_version SET state = 'official' WHERE station = '010201-01'" \
    "form_version kh-news-2017/010201-01/1" "audit event $ev"

lid=$(sql "$DB" "SELECT id FROM ledger_event")
ev=$(sql "$DB" "SELECT max(id) FROM audit_event")
tampered "UPDATE ledger_event SET person = 'CNRP-3' WHERE id = $lid" \
    "UPDATE ledger_event SET person = 'CNRP-2' WHERE id = $lid" \
    "ledger_event $lid" "audit event $ev"
sql "$DB" "DELETE FROM ledger_event WHERE id = $lid"
broken AUD.503 "ledger_event $lid" "missing"

# Keyed entries, explanations and official results.
DB=$(newdb keyed)
setup "$DB" "$KHUM_TESTDATA/mini-election"
for u in ann bob; do
    echo "$PW" | KHUM_USER=adm K user add $u --role clerk --scope 01 >/dev/null 2>&1 || fail "user $u"
done
F1="registered=500 received=510 cast=400 spoiled=2 unused=108 valid=390 invalid=10 CPP=200 CNRP=150 FCP=40"
run 0 K entry enter 010201-01 $F1 --user ann
run 0 K entry enter 010201-01 $F1 --user bob
W="registered=600 received=612 cast=150 spoiled=1 unused=461 valid=140 invalid=10 CPP=100 CNRP=40"
run 0 K entry enter 010202-01 $W --user ann
run 0 K entry enter 010202-01 $W --user bob
run 0 K entry explain 010202-01 W.203 "flooding cut the road until noon" --user adm
run 0 K entry explain 010202-01 W.201 "ballots wet from the flood were counted invalid" --user adm
run 0 K official 010202 --user adm
verified
id=$(sql "$DB" "SELECT accepted_entry FROM form_version WHERE station = '010201-01'")
ev=$(sql "$DB" "SELECT min(id) FROM audit_event WHERE object = 'kh-test-2022/010201-01'")
tampered "UPDATE form_entry SET valid = 391, invalid = 9 WHERE id = $id" \
    "UPDATE form_entry SET valid = 390, invalid = 10 WHERE id = $id" \
    "form_entry $id" "audit event $ev"
tampered "UPDATE form_explanation SET text = 'no flood' WHERE code = 'W.203'" \
    "UPDATE form_explanation SET text = 'flooding cut the road until noon' WHERE code = 'W.203'" \
    "form_explanation kh-test-2022/010202-01/1/W.203"
id2=$(sql "$DB" "SELECT first_entry FROM form_version WHERE station = '010202-01'")
tampered "UPDATE form_version SET accepted_entry = $id2 WHERE station = '010201-01'" \
    "UPDATE form_version SET accepted_entry = $id WHERE station = '010201-01'" \
    "form_version kh-test-2022/010201-01/1"

# The row digest follows the documented layout (docs/server.md), so any
# SHA-256 tool recomputes it: here an official total's.
field() { printf '%d:%s\n' "${#1}" "$1"; }
want=$( { printf 'khum-row-v1\n'; field official_total; field kh-test-2022; field 010202
          field valid; field 140; } | sha256sum | cut -c1-64)
eq "$(sql "$DB" "SELECT digest FROM audit_row WHERE tbl = 'official_total' AND row_key = 'kh-test-2022/010202/valid'")" \
    "$want" "an official total's digest recomputed with sha256sum"

# The digests an event recorded are covered by its hash: changing one (to
# hide a changed row) fails that event, AUD.504, not the row.
ev=$(sql "$DB" "SELECT max(event) FROM audit_row WHERE tbl = 'official_total'")
sql "$DB" "DROP TRIGGER IF EXISTS audit_row_no_update" 2>/dev/null
if [ "$BACKEND" = postgresql ]; then sql "$DB" "ALTER TABLE audit_row DISABLE TRIGGER USER" >/dev/null; fi
sql "$DB" "UPDATE audit_row SET digest = '$(printf %064d 0)' WHERE tbl = 'official_total' AND row_key = 'kh-test-2022/010202/valid'"
broken AUD.504 "audit event $ev"
finish
