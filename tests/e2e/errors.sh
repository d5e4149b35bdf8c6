# errors.sh: one case per rule code that the command line can reach and no
# other test asserts: each refusal must name its code, exit as documented,
# and leave the database exactly as it was (compared by a full dump). The
# codes of the server, the bundles and the library's internal checks are
# asserted in server.sh, publish.sh, test_publish.c and the unit tests.
. "$(dirname "$0")/lib/assert.sh"
. "$(dirname "$0")/lib/http.sh"

DB=$(newdb e)
K() { "$KHUM" "$@" --db "$DB"; }
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$KHUM_TESTDATA/mini-election"
run 0 K election import "$KHUM_TESTDATA/news-2017"
echo "correct-horse-9" | K user add ann --role clerk --scope 01 >/dev/null 2>&1 || fail "user ann"
adduser "$DB" chair admin; adduser "$DB" nec admin; adduser "$DB" coord coordinator 01

# refused STATUS CODE CMD...: the command fails with STATUS, names CODE, and
# the database is unchanged.
refused() {
    want=$1; code=$2; shift 2
    before=$(dbdump "$DB" | sha256sum)
    run "$want" "$@"
    has err "[$code]"
    eq "$(dbdump "$DB" | sha256sum)" "$before" "$code writes nothing"
}
E="$T/e"; mkdir -p "$E"
f() { printf "$2" >"$E/$1"; }

# Allocation (khum allocate reads standard input; no database involved).
al() { code=$1; shift; printf "$1" | "$KHUM" allocate --seats 5 >"$T/out" 2>"$T/err"
       CHECKS=$((CHECKS + 1)); grep -qF "[$code]" "$T/err" || fail "allocate: no [$code]: $(cat "$T/err")"; }
al ALC.605 'party,votes,eligible\nA,10,2\nB,5,1\n'
al ALC.606 'party,votes,max_seats\nA,10,x\nB,5,1\n'
al ALC.607 'district,party,votes,threshold_base\nd,A,10,100\nd,B,5,200\n'
al ALC.612 'party,votes\n,10\nB,5\n'
printf 'party,votes\nA,3\nB,1\n' | "$KHUM" allocate --seats 5 --method cambodia >"$T/out" 2>"$T/err"
CHECKS=$((CHECKS + 1)); grep -qF "[ALC.640]" "$T/err" || fail "ALC.640 warning: $(cat "$T/err")"
printf 'party,votes,max_seats\nA,10,1\nB,5,1\n' | "$KHUM" allocate --seats 5 >"$T/out" 2>"$T/err"
CHECKS=$((CHECKS + 1)); grep -qF "[ALC.641]" "$T/err" || fail "ALC.641 warning: $(cat "$T/err")"

# Users.
refused 2 AUTH.508 K user add bob --role boss
printf 'short\n' >"$E/pw"; refused 2 AUTH.509 sh -c "\"$KHUM\" user add bob --role clerk --db \"$DB\" <\"$E/pw\""
printf 'correct-horse-9\n' >"$E/pw"
refused 2 AUTH.510 sh -c "\"$KHUM\" user add bob --role clerk --scope Banteay/Neang --db \"$DB\" <\"$E/pw\""
refused 1 AUTH.511 sh -c "\"$KHUM\" user add ann --role clerk --db \"$DB\" <\"$E/pw\""
refused 1 AUTH.512 K user disable nobody
refused 2 AUTH.513 sh -c "\"$KHUM\" user add 'Al Ice' --role clerk --db \"$DB\" <\"$E/pw\""

# Reference data.
f seats.csv 'commune,seats\n01-02,5\n';          refused 2 SEAT.401 K import seats "$E/seats.csv" --mandate 5
f seats2.csv 'commune,seats,mandate\n010201,5,x\n'; refused 2 SEAT.406 K import seats "$E/seats2.csv"
f pop.csv 'Com_Code,TT_Both\n12,100\n';          refused 2 POP.301 K import population "$E/pop.csv" --year 2011
refused 1 IO.801 K import parties "$E/no-such-file.csv"
refused 1 CSV.110 K import seats "$E/no-such-file.csv" --mandate 5
awk 'BEGIN { printf "commune,seats\n"; s = "x"; while (length(s) < 1100000) s = s s; print s ",5" }' >"$E/big.csv"
refused 2 CSV.107 K import seats "$E/big.csv" --mandate 5
awk 'BEGIN { printf "commune,seats"; for (i = 0; i < 4100; i++) printf ",c%d", i; print "" }' >"$E/wide.csv"
refused 2 CSV.108 K import seats "$E/wide.csv" --mandate 5

# Election definitions.
mk() {  # DIR ID COMMUNE PARTY: a one-commune election folder
    mkdir -p "$1"
    printf 'id,name,date,mandate,method,tie_rule,synthetic\n%s,X,2022-06-05,5,cambodia,votes,0\n' "$2" >"$1/election.csv"
    printf 'commune,seats\n%s,5\n' "$3" >"$1/communes.csv"
    printf 'commune,party,ballot_no\n%s,%s,1\n%s,CNRP,2\n' "$3" "$4" "$3" >"$1/lists.csv"
    printf 'station,commune,registered\n%s-01,%s,500\n' "$3" "$3" >"$1/stations.csv"
}
mk "$E/e707" kh-test-2022 010201 CPP; refused 1 ELE.707 K election import "$E/e707"
mk "$E/e708" x708 019999 CPP;         refused 2 ELE.708 K election import "$E/e708"
mk "$E/e709" x709 010201 NOPE;        refused 2 ELE.709 K election import "$E/e709"
refused 2 ELE.711 K tally
refused 1 ELE.712 K tally --election nope

# Results, entries, lots.
refused 1 CNT.821 K lots 019999 seed --election kh-test-2022 --user chair
refused 2 CNT.822 K lots 010201 "" --election kh-test-2022 --user chair
refused 1 CNT.801 K entry resolve 010201-01 keep-first --reason "paper form checked" --election kh-test-2022 --user coord
run 0 K import results "$KHUM_TESTDATA/mini-election/results.csv" --election kh-test-2022 --user chair -q
refused 2 F.111 K import results "$KHUM_TESTDATA/mini-election/results.csv" --election kh-test-2022 --user chair -q
refused 1 CNT.805 K entry resolve 010201-01 keep-first --reason "paper form checked" --election kh-test-2022 --user coord
refused 2 CNT.812 K entry explain 010201-01 W.201 "" --election kh-test-2022 --user coord

# Candidates and councils.
awk 'BEGIN { print "commune,party,position,person,name_latin"
             for (i = 1; i <= 10; i++) printf "010201,FCP,%d,f%d,F %d\n", i, i, i }' >"$E/c306.csv"
refused 2 CNL.306 K import candidates "$E/c306.csv" --election kh-news-2017
f c307.csv 'commune,party,position,person,name_latin,sex\n010201,CPP,1,p1,A,X\n'
refused 2 CNL.307 K import candidates "$E/c307.csv" --election kh-news-2017
run 0 K import results "$KHUM_TESTDATA/news-2017/results.csv" --election kh-news-2017 -q
run 0 K official --election kh-news-2017 --user nec
refused 1 CNL.308 K council show 010201 --on 2017-07-01 --election kh-news-2017
refused 2 LED.602 K ledger add dissolve --date 2017-12-01 --election kh-news-2017 --user nec

# The chief's post waits for lots when the two first lists have equal votes
# (CPP 250, CNRP 250, FCP 110: seats 2, 2, 1 with no tie, the chief tied).
C=$(newdb chief)
KC() { "$KHUM" "$@" --db "$C"; }
run 0 KC import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
adduser "$C" chair admin; adduser "$C" nec admin
run 0 KC import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 KC election import "$KHUM_TESTDATA/mini-election"
printf '%s\n' 'station,registered,received,cast,spoiled,unused,valid,invalid,CPP,CNRP,FCP,explanation' \
    '010201-01,500,510,400,2,108,390,10,150,150,90,' '010201-02,400,410,230,0,180,220,10,100,100,20,' >"$E/chief.csv"
run 0 KC import results "$E/chief.csv" --user chair -q
before=$(dbdump "$C" | sha256sum)
run 1 KC official 010201 --user nec; has err "[R.406]"
eq "$(dbdump "$C" | sha256sum)" "$before" "R.406 writes nothing"

# A bundle cannot be written where a file is in the way.
"$KHUM" keygen "$E/k" >/dev/null 2>&1
: >"$E/afile"
refused 1 IO.951 K publish --election kh-test-2022 --out "$E/afile/pub" --key "$E/k.key"
# A gazetteer export with a village the database does not have (--check).
printf '%s\n' '"List of Gazetter Code for ""Banteay Meanchey""",,,,,,' ',,,,,,' \
    'Type,Code,"Name (Khmer)","Name (Latin)",Reference,"Official Note","Note (by Checker)"' \
    'ស្រុក,0102,មង្គលបុរី,Mongkol Borey,,,' \
    'ឃុំ,010201,បន្ទាយនាង,Banteay Neang,,,' 'ភូមិ,01020199,ថ្មី,Thmei,,,' >"$E/ncdd.csv"
before=$(dbdump "$DB" | sha256sum)
run 1 K import gazetteer --ncdd "$E/ncdd.csv" --check
has err "[GEO.211]"; has err "01020199"
eq "$(dbdump "$DB" | sha256sum)" "$before" "--check writes nothing"
# Synthetic elections: no published figures for the year, no gazetteer.
refused 2 SYN.901 K synth --like 2019
EMPTY=$(newdb empty)
run 2 "$KHUM" synth --like 2022 --db "$EMPTY"; has err "[SYN.902]"

# The server: no reference data for the map (SRV.706), and more elections
# than one server holds (SRV.704, 503).
i=1; while [ $i -le 16 ]; do mk "$E/m$i" "many-$i" 010201 CPP; run 0 K election import "$E/m$i"; i=$((i + 1)); done
KHUM_SHARED="$T/none" start_server "$DB"
req GET /api/v1/geo/provinces; status 404 "no boundaries"; eq "$(json error.code)" SRV.706 "SRV.706"
n=0; for id in kh-test-2022 kh-news-2017 $(i=1; while [ $i -le 16 ]; do echo many-$i; i=$((i + 1)); done); do
    req GET "/api/v1/elections/$id"; [ "$STATUS" = 503 ] && n=$((n + 1)) && last=$(json error.code)
done
eq "$n" 2 "elections beyond the 16 a server holds"; eq "${last:-}" SRV.704 "SRV.704"
stop_server

# The audit log, changed behind khum's back.
if [ "$BACKEND" = sqlite ]; then
    cp "$DB" "$T/tampered.db"
    sqlite3 "$T/tampered.db" "DROP TRIGGER audit_event_no_update; UPDATE audit_event SET actor = 'mallory' WHERE id = 2"
    run 2 "$KHUM" audit verify --db "$T/tampered.db"; has err "[AUD.501]"; has err "audit event 2 was changed"
    cp "$DB" "$T/gap.db"
    sqlite3 "$T/gap.db" "DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE id = 3"
    run 2 "$KHUM" audit verify --db "$T/gap.db"; has err "[AUD.502]"; has err "audit event 4 does not chain"
    # A stored definition edited by hand no longer matches its hash.
    cp "$DB" "$T/edited.db"
    sqlite3 "$T/edited.db" "UPDATE election_commune SET seats = 7 WHERE election = 'kh-test-2022' AND commune = '010201'"
    run 1 "$KHUM" election show kh-test-2022 --db "$T/edited.db"; has err "[ELE.710]"
    # A form entry's votes edited by hand.
    cp "$DB" "$T/votes.db"
    sqlite3 "$T/votes.db" "UPDATE form_entry SET votes = 'oops' WHERE id = 1"
    run 1 "$KHUM" tally --election kh-test-2022 --db "$T/votes.db"; has err "[DB.909]"
    # The database a read-only command is given must exist.
    run 1 "$KHUM" tally --db "$T/none.db"; has err "[DB.908]"
fi
finish
