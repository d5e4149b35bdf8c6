# diskfull.sh: a full disk and a read-only database. On a small tmpfs, an
# import into a database whose disk is full fails with DB.904 and writes
# nothing; reads go on; after space is freed the same import succeeds. On
# the same file system remounted read-only, reads go on and every write
# fails with DB.905. Needs root to mount (exit 77, skipped, otherwise).
. "$(dirname "$0")/lib/assert.sh"

M="$T/small"
mkdir -p "$M"
if ! mount -t tmpfs -o size=24m tmpfs "$M" 2>/dev/null; then
    echo "diskfull.sh: cannot mount a tmpfs here (needs root): skipped" >&2
    exit 77
fi
trap 'umount "$M" 2>/dev/null; rm -rf "$T"' EXIT
DB="$M/k.db"
K() { "$KHUM" "$@" --db "$DB"; }
bootstrap "$DB"
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
EL="$T/el"; mkdir -p "$EL"
printf 'id,name,date,mandate,method,tie_rule,synthetic\nfull,SYNTHETIC disk test,2022-06-05,5,cambodia,votes,1\n' >"$EL/election.csv"
printf 'commune,seats\n010201,11\n' >"$EL/communes.csv"
printf 'commune,party,ballot_no\n010201,CPP,1\n010201,CNRP,2\n' >"$EL/lists.csv"
awk 'BEGIN { print "station,commune,registered"; for (i = 1; i <= 8000; i++) printf "010201-%04d,010201,500\n", i }' >"$EL/stations.csv"
awk 'BEGIN { print "station,registered,received,cast,spoiled,unused,valid,invalid,CPP,CNRP,explanation"
             for (i = 1; i <= 8000; i++) printf "010201-%04d,500,500,400,0,100,390,10,200,190,\n", i }' >"$T/results.csv"
run 0 K election import "$EL"
before=$(dbdump "$DB" | sha256sum)
head0=$("$KHUM" audit head --db "$DB")
# Fill the file system, leaving a few kilobytes.
dd if=/dev/zero of="$M/filler" bs=4k 2>/dev/null || true
rm -f "$M/filler"; dd if=/dev/zero of="$M/filler" bs=4k count=$(( $(df -k "$M" | awk 'NR == 2 { print $4 }') / 4 - 2 )) 2>/dev/null
run 1 K import results "$T/results.csv" --user admin -q
has err "[DB.904]"; has err "the disk is full: nothing was written"
run 0 K election show; has out "full"                 # reads go on
eq "$("$KHUM" audit head --db "$DB")" "$head0" "no audit event for the failed import"
rm -f "$M/filler"
# (the sqlite3 tool itself cannot open a database on a full disk: compare now)
eq "$(dbdump "$DB" | sha256sum)" "$before" "a failed import on a full disk changes nothing"
eq "$(sql "$DB" 'PRAGMA integrity_check')" ok "integrity after the full disk"
run 0 K audit verify
run 0 K import results "$T/results.csv" --user admin -q
eq "$(sql "$DB" "SELECT count(*) FROM form_version")" 8000 "the import succeeds once there is space"

# Read-only.
after=$(dbdump "$DB" | sha256sum)
mount -o remount,ro "$M"
run 0 K tally --election full; has out "provisional"
run 0 K election show; has out "full"
run 1 K lots 010201 seed --user admin; has err "[DB.905]"; has err "read-only"
echo "correct-horse-9" | K user add ann --role clerk >"$T/out" 2>"$T/err"; CHECKS=$((CHECKS + 1))
grep -qF "[DB.905]" "$T/err" || fail "user add on a read-only database: $(cat "$T/err")"
mount -o remount,rw "$M"
eq "$(dbdump "$DB" | sha256sum)" "$after" "nothing written while read-only"
run 0 K audit verify
finish
