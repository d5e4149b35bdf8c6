# people.sh: the read API's person search (GET /api/v1/elections/ID/people?q=)
# that the dashboard's search box suggests from: candidates whose Latin name
# (in any case) or Khmer name contains the query, with their commune; a
# query's % and _ are plain text; a query under 2 bytes is refused (400).
# Also the nation's country (areas API), which names the dashboard's nation.
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

DB=$(newdb p)
K() { "$KHUM" "$@" --db "$DB"; }
N="$KHUM_TESTDATA/news-2017"
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$N"
run 0 K import candidates "$N/candidates.csv"
sql "$DB" "UPDATE person SET name_km = 'សុខ ចាន់' WHERE id = 'CPP-1'" >/dev/null
start_server "$DB"
E=/api/v1/elections/kh-news-2017

req GET "$E/people?q=candidate%201%20of%20cpp"
status 200 "a name in lower case"
eq "$(json people.0.person)" CPP-1 "found by its Latin name in any case"
eq "$(json people.0.commune)" 010201 "with its commune"
eq "$(json people.0.commune_name)" "Banteay Neang" "and the commune's name"
eq "$(json people.0.party)" CPP "and the list's party"
eq "$(json people.1.person)" "" "one person only"

req GET "$E/people?q=%E1%9E%9F%E1%9E%BB%E1%9E%81"   # សុខ
status 200 "a Khmer name"
eq "$(json people.0.person)" CPP-1 "found by part of its Khmer name"

req GET "$E/people?q=of%20CNRP"
status 200 "part of a name"
eq "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["people"]))' "$T/out")" \
   "$(grep -c ',CNRP,' "$N/candidates.csv")" "every CNRP candidate"

req GET "$E/people?q=%25%25"
status 200 "a query of % signs"
eq "$(json people.0.person)" "" "% is plain text, not a wildcard"

req GET "$E/people?q=x"
status 400 "one byte is too short a query"
eq "$(json error.field)" q "the refusal names q"
req GET "$E/people"
status 400 "no query"
# The nation's country, from the gazetteer's ISO 3166-2 codes (KH-1): the
# dashboard names the nation by it rather than by a constant.
req GET "$E/areas"
status 200 "the nation"
eq "$(json country)" KH "the country its provinces' ISO 3166-2 codes share"
sql "$DB" "UPDATE area SET iso3166_2 = 'TH-1' WHERE code = '01'" >/dev/null
sql "$DB" "INSERT INTO area (code, level, name_km, name_latin, iso3166_2, search_key) VALUES ('02', 1, '', 'Other', 'KH-2', 'other')" >/dev/null
stop_server
start_server "$DB"
req GET "$E/areas"
eq "$(json country)" "" "provinces of two countries: no one name"
req GET /api/v1/elections/nope/people?q=ab
status 404 "an unknown election"
stop_server
finish
