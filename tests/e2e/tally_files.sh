# tally_files.sh: `khum tally --forms FILE [--votes FILE] --election DIR`
# tabulates files without a database and answers as `khum tally` on the
# database does for the same data: the mini election's wide results file
# over its folder and gazetteer, and its published bundle (forms.csv and
# form_votes.csv, official states, names from the bundle's tables) in every
# format; the national SYNTHETIC demo's bundle likewise. A bad file gives
# no results and names file:line and rule.
. "$(dirname "$0")/lib/assert.sh"

DB=$(newdb tf)
K() { "$KHUM" "$@" --db "$DB"; }
F() { "$KHUM" tally "$@"; }
E=$KHUM_TESTDATA/mini-election
G=$KHUM_TESTDATA/mini-gazetteer
run 0 K import gazetteer "$G" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$E"
run 0 K import results "$E/results.csv" -q
# same OUTNAME ARGS...: the database's table and the files' are byte for byte equal
same() {
    name=$1; shift
    K tally "$@" >"$T/db.$name" 2>"$T/err" || fail "tally $* on the database: $(cat "$T/err")"
    F --forms "$FORMS" ${VOTES:+--votes "$VOTES"} --election "$DIR" ${GAZ:+--gazetteer "$GAZ"} \
        "$@" >"$T/files.$name" 2>"$T/err" || fail "tally $* from files: $(cat "$T/err")"
    cmp -s "$T/db.$name" "$T/files.$name" || { fail "tally $* differs"; diff "$T/db.$name" "$T/files.$name" | head >&2; }
}
compare_all() {
    for fmt in text csv json; do
        for by in nation province district commune; do same "$fmt.$by" --by "$by" --format "$fmt"; done
    done
    same nation-text
}
# The wide results file over the election folder, placed in the gazetteer: provisional.
FORMS=$E/results.csv VOTES= DIR=$E GAZ=$G compare_all
has files.nation-text "provisional"
# Official, published: the bundle's long format, names and states from the bundle.
run 0 K official
run 0 "$KHUM" keygen "$T/key"
run 0 K publish --out "$T/pub" --key "$T/key.key"
V=$T/pub/$(cat "$T/pub/current")
FORMS=$V/forms.csv VOTES=$V/form_votes.csv DIR=$T/pub GAZ= compare_all
has files.nation-text "official"
# The version folder itself names the same election.
run 0 F --forms "$V/forms.csv" --votes "$V/form_votes.csv" --election "$V" --format csv
cmp -s "$T/out" "$T/files.csv.nation" || fail "the version folder gives another table"

# Bad files: nothing printed on stdout, each bad row at file:line with its rule.
sed '3s/,[0-9]*,/,x,/' "$E/results.csv" >"$T/bad.csv"
run 2 F --forms "$T/bad.csv" --election "$E"
has err "bad.csv:3"; has err "[TAB.910]"; eq "$(cat "$T/out")" "" "no table from a bad file"
{ cat "$E/results.csv"; sed -n 2p "$E/results.csv"; } >"$T/twice.csv"
run 2 F --forms "$T/twice.csv" --election "$E"; has err "[F.112]"; has err "twice.csv:"
run 2 F --forms "$E/results.csv" --election "$T"; has err "[TAB.911]"
echo '{"id": "x"' >"$T/election.json"
run 2 F --forms "$E/results.csv" --election "$T"; has err "[TAB.911]"; has err "election.json"
run 2 F --forms "$T/none.csv" --election "$E"; has err "none.csv"
run 2 F --forms "$E/results.csv"; has err "--election DIR"

# The national SYNTHETIC demo's bundle (once: the demo builds its own SQLite database).
if [ "$BACKEND" = sqlite ] && [ -d "${KHUM_SHARED:-}/data/pumi" ]; then
    run 0 "$KHUM" demo --db "$T/demo.db"
    run 0 "$KHUM" publish --db "$T/demo.db" --out "$T/dpub" --key "$T/key.key" --user demo
    D=$T/dpub/$(cat "$T/dpub/current")
    K() { "$KHUM" "$@" --db "$T/demo.db"; }
    FORMS=$D/forms.csv VOTES=$D/form_votes.csv DIR=$T/dpub GAZ=
    for fmt in text csv json; do same "demo.$fmt" --by province --format "$fmt"; done
    same demo.commune --by commune --format csv
    same demo.nation
fi
finish
