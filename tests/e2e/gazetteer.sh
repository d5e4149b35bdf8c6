# gazetteer.sh: importing a gazetteer; bad files (bad code, duplicate code,
# broken quoting, invalid UTF-8, missing parent) are refused with file:line:col
# and the rule code, exit 2, and leave the database exactly as it was.
. "$(dirname "$0")/lib/assert.sh"

DB=$(newdb g)
MINI="$KHUM_TESTDATA/mini-gazetteer"
run 0 "$KHUM" import gazetteer --db "$DB" "$MINI"
has out "gazetteer: 1 provinces, 1 districts, 2 communes, 3 villages (7 new, 0 updated, 0 unchanged)"
eq "$(sql "$DB" "SELECT name_km FROM area WHERE code = '01020201'")" 'ភូមិ, "ក"' "quoted Khmer name"
eq "$(sql "$DB" "SELECT count(*) FROM import_log WHERE kind = 'gazetteer'")" 4 "import log rows"
run 0 "$KHUM" import gazetteer --db "$DB" "$MINI"
has out "(0 new, 0 updated, 7 unchanged)"

snapshot() { dbdump "$DB" | sha256sum; }
before=$(snapshot)

# bad_variant FILE LINE_TO_APPEND EXPECTED_TEXT: copy the mini gazetteer,
# append one line to FILE, import it, expect exit 2, the text, no change.
bad_variant() {
    rm -rf "$T/bad"; cp -r "$MINI" "$T/bad"
    printf '%b' "$2" >> "$T/bad/$1"
    run 2 "$KHUM" import gazetteer --db "$DB" "$T/bad"
    has err "$3"
    eq "$(snapshot)" "$before" "database unchanged after $3"
}
bad_variant communes.csv '0102-0,0102,01,ក,X,,,,,,,\n' \
    "bad/communes.csv:4:1: commune code '0102-0' must be 1 to 16 letters and digits (column 'code') [GEO.201]"
bad_variant communes.csv '010201,0102,01,ក,Again,,,,,,,\n' \
    "bad/communes.csv:4:1: duplicate commune code 010201 (first defined on line 2)"
bad_variant villages.csv '01020103,010201,"ក,Broken\n' \
    "bad/villages.csv:5:17: quoted field is not closed before the end of the file (column 'name_km') [CSV.101]"
bad_variant villages.csv '01020103,010201,\341\236,Bad\n' \
    "bad/villages.csv:5:17: invalid UTF-8 (the file must be UTF-8 text) (column 'name_km') [CSV.103]"
bad_variant districts.csv '0201,02,ក,Orphan,,,,,,,\n' \
    "bad/districts.csv:3:1: district 0201 belongs to province 02, which is not in the gazetteer"
# A unit's parent is the code its parent column names, not its code's prefix
# (issue 15): a village in a commune that does not exist is refused as such.
bad_variant villages.csv '01020103,010299,ក,Moved\n' \
    "bad/villages.csv:5:1: village 01020103 belongs to commune 010299, which is not in the gazetteer (column 'code') [GEO.204]"
bad_variant communes.csv '010203,0102,02,ក,X,,,,,,,\n' \
    "bad/communes.csv:4:1: commune 010203 is in district 0102, which is in province 01, not in province 02 (column 'code') [GEO.202]"
bad_variant communes.csv '010203,0102,01,ក,X,,,,,200,103,\n' "[GEO.206]"

# A missing file names itself.
run 1 "$KHUM" import gazetteer --db "$DB" "$T/nowhere"
has err "nowhere/provinces.csv: cannot open"
eq "$(snapshot)" "$before" "database unchanged after a missing file"
finish
