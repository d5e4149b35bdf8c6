# cli.sh: every command answers --help; bad usage exits 2 with a message.
. "$(dirname "$0")/lib/assert.sh"

run 0 "$KHUM" --help;     has out "usage: khum"; has out "allocate"
run 0 "$KHUM" --version;  has out "khum "
run 2 "$KHUM";            has err "usage: khum"
run 2 "$KHUM" frobnicate; has err "unknown command 'frobnicate'"
for c in init import geo party demo allocate election synth entry lots official reconcile tally export council ledger; do
    run 0 "$KHUM" "$c" --help
    has out "usage: khum $c"
    hasnt out "%%"   # a help text printed as it is written, never through printf
done
run 0 "$KHUM" import gazetteer --help; has out "--ncdd FILE"
run 2 "$KHUM" import;                   has err "usage: khum import"
run 2 "$KHUM" import bananas x.csv;     has err "unknown kind 'bananas'"
run 2 "$KHUM" import gazetteer;         has err "takes one SOURCE"
run 2 "$KHUM" import seats --mandate x s.csv; has err "--mandate 'x'"
run 2 "$KHUM" import population --check p.csv; has err "--check goes with gazetteer --ncdd"
run 2 "$KHUM" init --bogus
run 2 "$KHUM" geo find x;               has err "unknown subcommand 'find'"
run 2 "$KHUM" party list extra
run 1 "$KHUM" init --db postgresql://u@127.0.0.1:1/khum; has err "cannot connect to PostgreSQL"; has err "[DB.902]"
run 1 "$KHUM" tally --db "$T/typo.db";  has err "no such database"
[ ! -e "$T/typo.db" ] || fail "a read-only command created a database"
run 0 "$KHUM" init --db "$T/new.db";    has out "schema version"
latest=$("$KHUM" --version | sed 's/.*schema \([0-9]*\).*/\1/')
eq "$(sql "$T/new.db" 'PRAGMA user_version')" "$latest" "schema version of a new database"
eq "$(sql "$T/new.db" 'PRAGMA journal_mode')" "wal" "journal mode"
finish
