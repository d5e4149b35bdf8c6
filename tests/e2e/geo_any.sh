# geo_any.sh: a gazetteer of any country (issue 15), on the SYNTHETIC
# two-level fixture tests/data/geo-any: no districts.csv or villages.csv, no
# Khmer names, councils right under their provinces, codes of letters and
# digits that need not start with their parent's (Z20 lies in province 20).
# It runs import -> election -> results -> tally at every level -> official ->
# publish -> verify -> NIST export -> the dashboard's data API; then the bad
# inputs (a code with other characters, a parent that does not exist, a unit
# its own parent, a cycle) are refused with file:line and rule code, and
# change nothing.
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

DB=$(newdb geo)
K() { "$KHUM" "$@" --db "$DB"; }
F="$KHUM_TESTDATA/geo-any"
run 0 K import gazetteer "$F/gazetteer"
has out "gazetteer: 3 provinces, 0 districts, 6 communes, 0 villages (9 new, 0 updated, 0 unchanged)"
eq "$(sql "$DB" "SELECT parent || ':' || level FROM area WHERE code = 'Z20'")" "20:3" "a council under its province"
eq "$(sql "$DB" "SELECT count(*) FROM import_log WHERE kind = 'gazetteer'")" 2 "two files logged"
run 0 K geo show Z20; has out "commune Z20  Cume"; has out "in        province 20 Montes"
run 0 K import parties "$F/parties.csv" -q
run 0 K election import "$F/election"
has out "6 communes, 14 lists, 8 stations"
run 0 K import results "$F/election/results.csv" -q

# Every level: the provinces hold their councils by the parent column.
run 0 K tally --by province --format csv
eq "$(grep -c ',province,' "$T/out")" 9 "three provinces x three parties"
has out ",20,Montes,province,provisional (0 of 2 communes official),450,350,343,7,2,2,RED,190,4,2"
run 0 K tally --by district --format csv
eq "$(wc -l < "$T/out")" 1 "no district: the header only"
run 0 K tally --by commune --format csv --province 20
eq "$(cut -d, -f4 "$T/out" | sort -u | tr '\n' ' ')" "2001 Z20 area " "the councils of province 20"
run 0 K tally --by nation --format csv
has out ",nation,provisional (0 of 6 communes official),3750,2850,2791,59,8,8,RED,1210,12,4"
run 0 K tally --commune Z20; has out "COMMUNE Z20 Cume: provisional"
run 0 K tally --province 20; has out "PROVINCE 20 Montes: provisional (0 of 2 communes official)"
run 1 K tally --district 20; has err "20 is not a district of election synthetic-geo-any-2025"
run 2 K tally --province 2-0; has err "letters and digits"

# A scope may name a council by its code, whatever its length (0301 is a
# council here, not a district as its length would say in Cambodia).
adduser "$DB" coord1 coordinator 0301
eq "$(sql "$DB" "SELECT scope FROM app_user WHERE name = 'coord1'")" 0301 "council scope"
echo "$PW" >"$T/pw"
run 2 sh -c "\"$KHUM\" user add coord2 --role coordinator --scope 0399 --db \"$DB\" <\"$T/pw\""
has err "[AUTH.516]"

# Official in two steps: the totals stored for province 20 with 2001 are
# rewritten when Z20 (in 20, whatever its code) is made official.
run 0 K official 2001; has out "1 commune made official"
run 0 K official Z20; has out "1 commune made official"
run 0 K tally --province 20; has out "PROVINCE 20 Montes: official"
run 0 K official; has out "4 communes made official"
run 0 K tally --province 03; has out "PROVINCE 03 Nordia: official"
run 0 K reconcile

# The councils' seats by level from the ledger (candidates of the fixture).
run 0 K import candidates "$F/election/candidates.csv"
run 0 K ledger seats --by province
eq "$(grep -c '^20,' "$T/out")" 3 "province 20: three parties"
has out "20,RED,4,2"
run 0 K ledger seats --by district
eq "$(wc -l < "$T/out")" 1 "no district: the header only"

# Publish and verify: the bundle places each council in its province.
run 0 "$KHUM" keygen "$T/k"
run 0 K publish --out "$T/pub" --key "$T/k.key"
run 0 "$KHUM" verify "$T/pub" --key "$T/k.pub"
has out "6 communes' seats recomputed: no difference"
eq "$(wc -l < "$T/pub/v000001/results_district.csv")" 1 "results_district.csv: the header only"
eq "$(grep -c '^synthetic-geo-any-2025,[^,]*,1,20,' "$T/pub/v000001/results_province.csv")" 3 "province 20 published"
# verify summed the forms into the nation, the provinces and the councils
# the election places them in (3 + 3 x 3 + 14 rows) and compared each row
has out "8 forms summed into 26 area rows"

run 0 K export --format nist-1500-100 --out "$T/nist.json"
eq "$(python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
u=[x for x in d["GpUnit"] if x["@id"]=="gpu-20"][0]
print(" ".join(u["ComposingGpUnitIds"]))' "$T/nist.json")" "gpu-2001 gpu-Z20" "NIST: province 20 is made of its councils"

# The dashboard's data API: the tree as the gazetteer draws it.
start_server "$DB"
E=synthetic-geo-any-2025
req GET "/api/v1/elections/$E/areas/20"; status 200 "areas of province 20"
eq "$(json children.1.code)" Z20 "Z20 a child of 20"
eq "$(json children.1.parent)" 20 "its parent"
eq "$(json children.1.unit)" Municipality "level name from the data"
req GET "/api/v1/elections/$E/areas/Z20"; status 200 "council Z20"
eq "$(json children.0.code)" Z20A "its polling station"
req GET "/api/v1/elections/$E/results/20?by=commune"; status 200 "results of province 20"
eq "$(json areas.1.area)" Z20 "results by council in province 20"
stop_server

# Bad input: file:line, rule code, exit 2, nothing written.
snapshot() { dbdump "$DB" | sha256sum; }
before=$(snapshot)
bad_variant() {  # FILE LINE_TO_APPEND EXPECTED_TEXT
    rm -rf "$T/badg"; cp -r "$F/gazetteer" "$T/badg"
    printf '%b' "$2" >> "$T/badg/$1"
    run 2 K import gazetteer "$T/badg"
    has err "$3"
    eq "$(snapshot)" "$before" "database unchanged after $3"
}
bad_variant communes.csv 'Z2.1,20,,Dot,Concelho,Municipality,,\n' \
    "badg/communes.csv:8:1: commune code 'Z2.1' must be 1 to 16 letters and digits (column 'code') [GEO.201]"
bad_variant communes.csv 'Z21,99,,Nowhere,Concelho,Municipality,,\n' \
    "badg/communes.csv:8:1: commune Z21 belongs to province 99, which is not in the gazetteer (column 'code') [GEO.204]"
bad_variant communes.csv 'Z21,Z21,,Self,Concelho,Municipality,,\n' \
    "badg/communes.csv:8:1: commune Z21 is its own parent (column 'code') [GEO.213]"
bad_variant communes.csv 'Z21,,,Orphan,Concelho,Municipality,,\n' \
    "badg/communes.csv:8:5: commune Z21 names no province it belongs to (column 'province_code') [GEO.202]"
bad_variant communes.csv 'Z21,Z20,,Inside,Concelho,Municipality,,\n' \
    "commune Z21 belongs to Z20, which is a commune, not a province: a unit's parent is at a level above it (no cycle)"
bad_variant provinces.csv '0301,Clash,Distrito,District,,\n' \
    "commune code 0301 is already the code of province 0301"
# A cycle through the districts: each names the other as its province.
rm -rf "$T/badg"; cp -r "$F/gazetteer" "$T/badg"
printf 'code,province_code,name_latin\nD1,D2,One\nD2,D1,Two\n' > "$T/badg/districts.csv"
run 2 K import gazetteer "$T/badg"
has err "badg/districts.csv:2:1: district D1 belongs to D2, which is a district, not a province"
has err "[GEO.213]"
eq "$(snapshot)" "$before" "database unchanged after a cycle"
# Against the database: a code already used at another level.
rm -rf "$T/badg"; mkdir "$T/badg"; cp "$F/gazetteer/provinces.csv" "$T/badg/"
printf 'code,province_code,name_latin\n0301,03,Clash\n' > "$T/badg/districts.csv"
printf 'code,province_code,district_code,name_latin\n' > "$T/badg/communes.csv"
run 2 K import gazetteer "$T/badg"
has err "district code 0301 is already the code of a commune in the database"
eq "$(snapshot)" "$before" "database unchanged after a code clash"

# A commune moved to another province by a later import is moved.
rm -rf "$T/move"; cp -r "$F/gazetteer" "$T/move"
sed -i 's/^Z20,20,/Z20,11,/' "$T/move/communes.csv"
run 0 K import gazetteer "$T/move"; has out "(0 new, 1 updated, 8 unchanged)"
eq "$(sql "$DB" "SELECT parent FROM area WHERE code = 'Z20'")" 11 "Z20 now in province 11"
run 0 K tally --province 11 --by commune --format csv
eq "$(cut -d, -f4 "$T/out" | sort -u | tr '\n' ' ')" "1101 11A2 Z20 area " "the tally follows the gazetteer"
# Migrations 008 and after on a database that holds data (SQLite: 008
# rebuilds the area table with foreign keys off, then on again): run them
# once more over this one, whose elections, stations and forms refer to the
# areas, after undoing what the later ones added (009 the election's rules
# and parties, 010 blank ballots, 011 the audits' tables, 013 login failures,
# 014 the audits' mode, a column of rla_audit, which goes with the table: a
# new migration adds its undo here).
case $DB in
postgres*) ;;
*)
    rows=$(sql "$DB" "SELECT count(*) FROM area")
    sql "$DB" "DROP TABLE election_party; ALTER TABLE election DROP COLUMN threshold_e4;
        ALTER TABLE election DROP COLUMN threshold_base; ALTER TABLE election DROP COLUMN posts;
        ALTER TABLE party DROP COLUMN election; ALTER TABLE form_entry DROP COLUMN blank;
        DROP TABLE rla_reading; DROP TABLE rla_sample; DROP TABLE rla_round;
        DROP TABLE rla_manifest; DROP TABLE rla_audit;
        ALTER TABLE app_user DROP COLUMN login_failures; ALTER TABLE app_user DROP COLUMN login_last;
        ALTER TABLE app_user DROP COLUMN login_blocked_until;
        PRAGMA user_version = 7"
    run 0 K tally --province 11
    eq "$(sql "$DB" "PRAGMA user_version")" 13 "migrated again"
    eq "$(sql "$DB" "SELECT count(*) FROM area")" "$rows" "every area kept"
    eq "$(sql "$DB" "PRAGMA foreign_key_check")" "" "no dangling reference"
    eq "$(sql "$DB" "SELECT count(*) FROM sqlite_master WHERE name = 'election_commune'
        AND sql LIKE '%REFERENCES area(code)%'")" 1 "election_commune still refers to area"
    eq "$(sql "$DB" "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%area_new%'")" 0 \
        "no reference to the rebuilt table's temporary name"
    eq "$(sql "$DB" "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%2 * level%'")" 0 \
        "the NCDD length check is gone"
    ;;
esac
finish
