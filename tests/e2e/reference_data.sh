# reference_data.sh: the demo over the real reference data in $KHUM_SHARED,
# the NCDD export against pumi, population and council sizes, and the message
# given when the reference data is missing.
. "$(dirname "$0")/lib/assert.sh"

DB=$(newdb demo --empty)   # the demo adds its own administrator, "demo"
run 0 "$KHUM" demo --db "$DB"
export KHUM_USER=demo   # its administrator makes the imports below
has out "provinces       25"
has out "districts      210"
has out "communes      1652"
has out "villages     14578"
has out "communes with population data (2011 census): 1456 of 1652"
has err "165 of 1621 commune codes match no commune"
eq "$(sql "$DB" "SELECT count(*) FROM area WHERE level = 3 AND unit_latin = 'Sangkat'")" 274 "sangkats"
eq "$(sql "$DB" "SELECT count(*) FROM party")" 20 "parties"
eq "$(ls "$T" | grep -c building)" 0 "no temporary database left"

# Looking up a commune by code, Latin name (any case) and Khmer name.
run 0 "$KHUM" geo show --db "$DB" 030802;       has out "commune 030802  Kaoh Sotin / កោះសូទិន"
run 0 "$KHUM" geo show --db "$DB" "KAOH SOTIN"; has out "commune 030802"
run 0 "$KHUM" geo show --db "$DB" "កោះសូទិន";   has out "commune 030802"; has out "villages  15"
run 0 "$KHUM" geo show --db "$DB" --json 12;    has out '"name_latin": "Phnom Penh"'
run 1 "$KHUM" geo show --db "$DB" "Atlantis";   has err "no province, district, commune or village matches"

# The raw NCDD export of Kampong Cham: strict import refuses the bad row...
NCDD="$KHUM_SHARED/data/pumi/ncdd_gazetteer_kampong_cham_2023-03-02.csv"
before=$(dbdump "$DB" | sha256sum)
run 2 "$KHUM" import gazetteer --db "$DB" --ncdd "$NCDD"
has err "ncdd_gazetteer_kampong_cham_2023-03-02.csv:580:6: village code '30802' must have 7 or 8 digits (column 'Code') [GEO.201]"
eq "$(dbdump "$DB" | sha256sum)" "$before" "database unchanged"
# ...and --check compares it with the pumi data: two known differences.
run 1 "$KHUM" import gazetteer --db "$DB" --ncdd "$NCDD" --check --accept-valid
has out "check: province 03: 1066 units in the file, 1067 in the database, 2 differences"
has err "commune 031310: Khmer name 'សូរ្យសែន' differs from 'សូរសែន្យ' [GEO.212]"
has err "village 03080215 (Ti Dobbram) is in the reference but not in this input [GEO.210]"
has err "1 row rejected and skipped"
eq "$(dbdump "$DB" | sha256sum)" "$before" "--check writes nothing"

# Population on its own lists every unmatched code with its line.
run 0 "$KHUM" import population --db "$DB" "$KHUM_SHARED/data/odc-2011/commune_population_2011.csv"
has out "population 2011: 1456 communes"
eq "$(grep -c 'is not in the gazetteer: not imported \[POP.305\]' "$T/err")" 165 "unmatched codes listed"
printf 'Com_Code,TT_Both\n030802,100\n' > "$T/p.csv"
run 2 "$KHUM" import population --db "$DB" "$T/p.csv"
has err "which census year? give --year YEAR"
run 0 "$KHUM" import population --db "$DB" --year 2019 "$T/p.csv"
eq "$(sql "$DB" "SELECT total FROM population WHERE commune = '030802' AND year = 2019")" 100 "2019 row"

# Council sizes: the rule set's sizes, a known commune, a mandate.
printf 'commune,seats\n030802,9\n010201,11\n' > "$T/s.csv"
run 0 "$KHUM" import seats --db "$DB" --mandate 5 "$T/s.csv"; has out "seats: 2 communes, 20 seats"
printf 'commune,seats\n030802,9\n999999,5\n' > "$T/s.csv"
run 2 "$KHUM" import seats --db "$DB" --mandate 5 "$T/s.csv"
has err "s.csv:3:1: commune 999999 is not in the gazetteer (import it first) (column 'commune') [SEAT.404]"
printf 'commune,seats\n030802,6\n' > "$T/s.csv"
run 2 "$KHUM" import seats --db "$DB" --mandate 5 "$T/s.csv"
has err "council size '6' is not allowed (the rule set allows 5, 7, 9 or 11) (column 'seats') [SEAT.402]"
run 0 "$KHUM" import seats --db "$DB" --mandate 5 --sizes any "$T/s.csv"
eq "$(sql "$DB" "SELECT seats FROM council_size WHERE commune = '030802'")" 6 "size with --sizes any"
run 0 "$KHUM" party list --db "$DB"; has out "CNRP,CNRP,Cambodia National Rescue Party,គណបក្សសង្គ្រោះជាតិ,#e8731c,,2017-11-16"

# Without the reference data, the demo says what it needs and where it comes from.
KHUM_SHARED="$T/none" run 1 "$KHUM" demo --db "$T/x.db"
has err "reference data file $T/none/data/pumi/communes.csv is missing"
has err "https://github.com/dwilkie/pumi"
has err "SOURCE.md"
finish
