# demo_guard.sh: `khum demo` never destroys data it did not make. It builds
# demo.db by default (not khum.db, not $KHUM_DB), replaces an earlier demo, and
# refuses (DB.914, exit 2, not one byte changed) a database holding a real
# election, another program's SQLite database, or a file that is no database.
. "$(dirname "$0")/lib/assert.sh"

# A database with a real (not SYNTHETIC) election in it, on the backend under test.
REAL=$(newdb real)
K() { "$KHUM" "$@" --db "$REAL"; }
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$KHUM_TESTDATA/mini-election"
before=$(dbdump "$REAL" | sha256sum)
run 2 "$KHUM" demo --db "$REAL" --no-election; has err "[DB.914]"; has err "nothing was changed"
eq "$(dbdump "$REAL" | sha256sum)" "$before" "the real election after a refused demo"

# $KHUM_DB names the real database: the demo still builds demo.db where it runs.
mkdir "$T/here"
(cd "$T/here" && KHUM_DB="$REAL" "$KHUM" demo --no-election >"$T/out" 2>"$T/err") ||
    fail "khum demo without --db: $(cat "$T/err")"
CHECKS=$((CHECKS + 1)); [ -s "$T/here/demo.db" ] || fail "khum demo without --db made no demo.db"
eq "$(dbdump "$REAL" | sha256sum)" "$before" "the real election after a demo with KHUM_DB set"

# An earlier demo is replaced.
run 0 "$KHUM" demo --db "$T/here/demo.db" --no-election; has out "Building"

# Another program's SQLite database and a file that is no database: refused,
# byte for byte as they were (mode=ro: not even the journal mode changes).
sqlite3 "$T/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
printf 'commune,seats\n010201,5\n' >"$T/notes.csv"
for f in "$T/other.db" "$T/notes.csv"; do
    sum=$(sha256sum <"$f")
    run 2 "$KHUM" demo --db "$f" --no-election; has err "[DB.914]"
    eq "$(sha256sum <"$f")" "$sum" "$f after a refused demo"
done
CHECKS=$((CHECKS + 1)); [ ! -e "$T/other.db-wal" ] || fail "the refused demo opened other.db for writing"
finish
