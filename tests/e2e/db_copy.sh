# db_copy.sh: a whole deployment moved from SQLite to PostgreSQL and back:
# every table's rows, the audit chain and head, and the same official
# results and bundle checks on each; copying into a database that is not
# empty is refused and changes nothing.
. "$(dirname "$0")/lib/assert.sh"

[ -n "${KHUM_TEST_PG:-}" ] || { echo "db_copy.sh needs KHUM_TEST_PG (make check starts one)" >&2; exit 1; }
A="$T/a.db"
N="$KHUM_TESTDATA/news-2017"
K() { "$KHUM" "$@" --db "$A"; }
bootstrap "$A"
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
adduser "$A" nec admin
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$N"
run 0 K import results "$N/results.csv" -q
run 0 K import candidates "$N/candidates.csv"
run 0 K official --user nec
run 0 K ledger add dissolve --party CNRP --date 2017-11-16 --user nec
echo "correct-horse-9" | K user add ann --role clerk --scope 01 >/dev/null 2>&1
P=$(BACKEND=postgresql newdb copy --empty)
run 0 "$KHUM" db copy --from "$A" --to "$P"
has out "(sqlite) to $P (postgresql): 29 tables"; has out "verified"
run 0 "$KHUM" db migrate --db "$P"; has out "postgresql database at schema version"
run 0 "$KHUM" audit verify --db "$P"
eq "$("$KHUM" audit head --db "$P")" "$("$KHUM" audit head --db "$A")" "audit head on PostgreSQL"
run 0 "$KHUM" tally --db "$A" --format csv; cp "$T/out" "$T/tally.a"
run 0 "$KHUM" tally --db "$P" --format csv; cp "$T/out" "$T/tally.p"
eq "$(cmp -s "$T/tally.a" "$T/tally.p" && echo same)" same "official results on both backends"
run 0 "$KHUM" council show 010201 --on 2018-01-01 --db "$P"; has out "CPP"
# The copied identity sequences move on: a new event gets a new id.
run 0 "$KHUM" ledger add resign --commune 010201 --person CPP-3 --date 2018-02-01 --user nec --db "$P"
# And back to a new SQLite file.
B="$T/b.db"
run 0 "$KHUM" db copy --from "$P" --to "$B"; has out "(postgresql) to $B (sqlite)"
eq "$(sql "$B" "SELECT count(*) FROM ledger_event")" 2 "both ledger events in the copy back"
# Not into a database that has data.
before=$(dbdump "$B" | sha256sum)
run 1 "$KHUM" db copy --from "$A" --to "$B"; has err "[DB.912]"
eq "$(dbdump "$B" | sha256sum)" "$before" "a refused copy changes nothing"
finish
