# blank_votes.sh: blank ballots and list votes in a file of their own
# (issue 15, items 3 and 4). A wide results file takes an optional blank
# column; `import results FORMS.csv --votes VOTES.csv` reads the long format
# (the two files a bundle carries) and tallies as the wide one does; every
# bad row of either file is refused at file:line with its rule code and
# nothing is written; a published bundle's forms.csv and form_votes.csv
# import back unchanged into a fresh database and verify; audit verify
# covers blank.
. "$(dirname "$0")/lib/assert.sh"

ELE="$KHUM_TESTDATA/mini-election"
setup() {
    DB=$(newdb "$1")
    run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
    run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
    run 0 K election import "$ELE"
}
K() { "$KHUM" "$@" --db "$DB"; }

# ---- the wide format with a blank column ----
setup wide
cat > "$T/wide.csv" <<'EOF'
station,registered,received,cast,spoiled,unused,valid,blank,invalid,CPP,CNRP,FCP,explanation
010201-01,500,510,400,2,108,380,15,5,190,150,40,
010201-02,400,410,300,0,110,290,4,6,150,100,40,
010202-01,600,612,450,1,161,440,0,10,300,140,,
EOF
run 0 K import results "$T/wide.csv"; has out "3 forms imported"
eq "$(sql "$DB" "SELECT sum(blank) FROM form_entry")" 19 "blank stored"
run 0 K tally --format csv --by commune; cp "$T/out" "$T/tally-wide.csv"
has out "blank"
run 0 K export --format openelections; has out "Banteay Neang,010201-01,Blank Ballots,,15"
run 0 K export --format nist-1500-100; has out '"Undervotes": 19'
# ... as the contest's undervotes, valid against the NIST v2 schema
cp "$T/out" "$T/nist.json"
PY=python3; $PY -c 'import jsonschema' 2>/dev/null || PY=/usr/bin/python3
run 0 $PY "$KHUM_TESTDATA/nist/validate.py" "$T/nist.json"; has out "0 schema errors"
run 0 K official
eq "$(sql "$DB" "SELECT value FROM official_total WHERE area = '' AND field = 'blank'")" 19 \
   "official total of blank"
run 0 K audit verify
# blank is part of each entry's row digest: a change behind khum's back is found
sql "$DB" "UPDATE form_entry SET blank = 16 WHERE station = '010201-01'" >/dev/null
run 2 K audit verify; has err "[AUD.503]"
sql "$DB" "UPDATE form_entry SET blank = 15 WHERE station = '010201-01'" >/dev/null
run 0 K audit verify

# blank larger than cast (F.114): refused, nothing written
setup big
sed 's/^010201-01,500,510,400,2,108,380,15,5,/010201-01,500,510,400,2,108,380,401,5,/' \
    "$T/wide.csv" > "$T/big.csv"
before=$(dbdump "$DB" | sha256sum)
run 2 K import results "$T/big.csv"
has err "big.csv:2: station 010201-01: 401 blank ballots but only 400 ballots cast [F.114]"
eq "$(dbdump "$DB" | sha256sum)" "$before" "blank above cast writes nothing"

# ---- the long format: FORMS.csv and VOTES.csv ----
cat > "$T/forms.csv" <<'EOF'
station,commune,state,registered,received,cast,spoiled,unused,valid,blank,invalid
010201-01,010201,accepted,500,510,400,2,108,380,15,5
010201-02,010201,accepted,400,410,300,0,110,290,4,6
010202-01,010202,accepted,600,612,450,1,161,440,0,10
EOF
cat > "$T/votes.csv" <<'EOF'
station,party,votes
010201-01,CPP,190
010201-01,CNRP,150
010201-01,FCP,40
010201-02,FCP,40
010201-02,CNRP,100
010201-02,CPP,150
010202-01,CPP,300
010202-01,CNRP,140
EOF
setup long
run 0 K import results "$T/forms.csv" --votes "$T/votes.csv"; has out "3 forms imported"
run 0 K tally --format csv --by commune
cmp -s "$T/out" "$T/tally-wide.csv" || fail "the long format tallies as the wide one"
ev=$(sql "$DB" "SELECT after FROM audit_event WHERE type = 'results.import'")
sha=$(sha256sum "$T/votes.csv" | cut -d' ' -f1)
case "$ev" in *"$sha"*) ;; *) fail "the event records the votes file's SHA-256: $ev" ;; esac

# every bad votes row: file:line and rule code, nothing written
setup badvotes
before=$(dbdump "$DB" | sha256sum)
grep -v '^010202-01' "$T/forms.csv" > "$T/fbad.csv"
sed 's/^010201-01,FCP,40$/010201-01,FCP,4x/' "$T/votes.csv" > "$T/bad.csv"
cat >> "$T/bad.csv" <<'EOF'
010201-02,CPP,150
099999-01,CPP,1
010201-02,KNUP,1
EOF
run 2 K import results "$T/fbad.csv" --votes "$T/bad.csv"
has err "bad.csv:4:"; has err "'4x' is not a whole number (column 'votes') [F.110]"
has err "bad.csv:8: station 010202-01 has no form in fbad.csv (none, or one refused) [F.115]"
has err "bad.csv:9: station 010202-01 has no form in fbad.csv (none, or one refused) [F.115]"
has err "bad.csv:10: station 010201-02: votes for CPP given twice (first at line 7) [F.116]"
has err "bad.csv:11: station 099999-01 is not a polling station of election kh-test-2022 [F.107]"
has err "bad.csv:12: station 010201-02: party KNUP does not contest commune 010201 [F.106]"
has err "nothing was written"
eq "$(dbdump "$DB" | sha256sum)" "$before" "bad votes rows write nothing"
# the figures' checks apply as in the wide format, at the forms file's line
sed 's/^010201-02,CNRP,100/010201-02,CNRP,101/' "$T/votes.csv" > "$T/v102.csv"
run 2 K import results "$T/forms.csv" --votes "$T/v102.csv"
has err "forms.csv:3: station 010201-02: the lists' votes add up to 291, not to the 290 valid ballots [F.102]"
grep -v '^010201-02,FCP' "$T/votes.csv" > "$T/v108.csv"
run 2 K import results "$T/forms.csv" --votes "$T/v108.csv"
has err "forms.csv:3: station 010201-02: no votes given for FCP, which contests commune 010201 [F.108]"
# a list column in the forms file: its votes belong in the votes file
sed '1s/$/,CPP/; 2,$s/$/,1/' "$T/forms.csv" > "$T/fcpp.csv"
run 2 K import results "$T/fcpp.csv" --votes "$T/votes.csv"; has err "[F.106]"
eq "$(dbdump "$DB" | sha256sum)" "$before" "bad files write nothing"
# a station with no votes rows: zero for its lists only when it has no valid vote
printf 'station,registered,received,cast,spoiled,unused,valid,blank,invalid\n010202-01,600,612,0,0,612,0,0,0\n' > "$T/f0.csv"
printf 'station,party,votes\n' > "$T/v0.csv"
run 2 K import results "$T/forms.csv" --votes "$T/v0.csv"; has err "[F.108]"
run 0 K import results "$T/f0.csv" --votes "$T/v0.csv"; has out "1 form imported"
eq "$(sql "$DB" "SELECT votes FROM form_entry")" '{"CNRP":0,"CPP":0}' "zero for the lists"
run 2 K import parties "$T/forms.csv" --votes "$T/votes.csv"; has err "--votes goes with results"

# ---- a bundle's forms.csv and form_votes.csv import back unchanged ----
DB_PUB=$(newdb pub)
DB=$DB_PUB
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$ELE"
run 0 K import results "$T/wide.csv" -q
run 0 K official
run 0 "$KHUM" keygen "$T/k"
run 0 K publish --out "$T/pub" --key "$T/k.key"
P="$T/pub/v000001"
head -1 "$P/forms.csv" | grep -q ',blank' || fail "forms.csv has a blank column"
run 0 "$KHUM" verify "$T/pub" --key "$T/k.pub"; has out "3 forms summed"
setup back
run 0 K import results "$P/forms.csv" --votes "$P/form_votes.csv"; has out "3 forms imported"
run 0 K tally --format csv --by commune
cmp -s "$T/out" "$T/tally-wide.csv" || fail "a bundle imports back to the same tally"
# ---- entry: the CLI and the API key blank ballots; entries differing in blank differ ----
setup entry
adduser "$DB" alice clerk 01
adduser "$DB" bob clerk 01
F="registered=500 received=510 cast=400 spoiled=2 unused=108 valid=380 invalid=5 CPP=190 CNRP=150 FCP=40"
run 2 K entry enter 010201-01 $F blank=401 --user alice; has err "[F.114]"
run 0 K entry enter 010201-01 $F blank=15 --user alice; has out "empty -> first-entered"
run 0 K entry enter 010201-01 $F blank=16 invalid=4 --user bob; has out "entries-different"
run 0 K entry status 010201-01; has out "blank=15"; has out "the entries differ in: invalid,blank"
. "$(dirname "$0")/lib/http.sh"
PW=correct-horse-9
for u in ann cid; do
    echo "$PW" | K user add "$u" --role clerk --scope 010201 >/dev/null 2>&1 || fail "user add $u"
done
start_server "$DB"
login ann "$PW"; login cid "$PW"
E=/api/v1/elections/kh-test-2022
B='{"registered":400,"received":410,"cast":300,"spoiled":0,"unused":110,"valid":290,"blank":4,"invalid":6,"votes":{"CPP":150,"CNRP":100,"FCP":40}}'
as ann POST $E/forms/010201-02/entries "$B"; status 201 "first entry with blank"
as cid POST $E/forms/010201-02/entries "$B"; status 201 "second entry with blank"
has out '"state": "accepted"'
as ann GET $E/forms/010201-02; has out '"blank": 4'
as ann POST $E/forms/010201-02/entries '{"registered":400,"received":410,"cast":300,"spoiled":0,"unused":110,"valid":290,"blank":301,"invalid":6,"votes":{"CPP":150,"CNRP":100,"FCP":40}}'
status 422 "blank above cast refused"; has out "F.114"
stop_server
eq "$(sql "$DB" "SELECT blank FROM form_entry WHERE station = '010201-02' ORDER BY id LIMIT 1")" 4 "API blank stored"

# (verify's sums with blank, on files signed as if right: tests/unit/test_publish.c)

finish
