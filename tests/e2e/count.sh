# count.sh: the count end to end through the khum binary: an election
# definition, double entry (agree, disagree, resolve, same user refused),
# each check code, bulk import (rejected rows write nothing), warnings and
# explanations, lots, official results, a correction that keeps both
# versions, and a reconciliation failure that blocks making results official.
. "$(dirname "$0")/lib/assert.sh"

DB=$(newdb c)
ELE="$KHUM_TESTDATA/mini-election"
K() { "$KHUM" "$@" --db "$DB"; }
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$ELE"; has out "election kh-test-2022 imported: 2 communes, 5 lists, 3 stations, hash "
hash=$(sed 's/.*hash //' "$T/out")
run 0 K election import "$ELE"; has out "is stored already, unchanged"
run 0 K election show; has out "election hash $hash"; has out "seats      12"
run 0 K election list; has out "kh-test-2022,2022-06-05,5,0,$hash"
for u in alice bob carol dave erin; do adduser "$DB" $u clerk 01; done
adduser "$DB" coord coordinator 01
adduser "$DB" nec admin

# Double entry: agree.
F1="registered=500 received=510 cast=400 spoiled=2 unused=108 valid=390 invalid=10 CPP=200 CNRP=150 FCP=40"
# An unknown station is said before any figure is asked for; a list in
# another case gets its name suggested; nothing is saved.
run 2 K entry enter 099999-01 received=1 --user nec; has err "099999-01 is not a polling station"
has err "[F.107]"; hasnt err "needs"
run 2 K entry enter 010201-01 ${F1%% CPP=*} cpp=200 CNRP=150 FCP=40 --user alice
has err "did you mean CPP?"
# The first clerk keys on a Khmer keyboard (Khmer digits, one figure mixed),
# the second in Latin digits: the same form, so the entries agree.
FKM="registered=៥០០ received=៥១០ cast=៤០០ spoiled=២ unused=១០8 valid=៣៩០ invalid=១០ CPP=២០០ CNRP=១៥០ FCP=៤០"
run 0 K entry enter 010201-01 $FKM --user alice; has out "empty -> first-entered"
run 1 K entry enter 010201-01 $F1 --user alice; has err "[CNT.802]"
run 0 K entry enter 010201-01 $F1 --user bob;   has out "first-entered -> accepted"
run 2 K entry enter 010201-01 registered=៥x --user bob; has err "is not FIELD=NUMBER"
# Disagree, then the coordinator keeps the second entry.
F2="registered=400 received=410 cast=300 spoiled=0 unused=110 valid=294 invalid=6 CPP=150 CNRP=100 FCP=44"
run 0 K entry enter 010201-02 $F2 --user alice
run 0 K entry enter 010201-02 ${F2%% CPP=*} CPP=140 CNRP=110 FCP=44 --user bob
# Blind second entry: the keyer learns only that the entries differ; the
# fields are the coordinator's (entry status), never in the public audit log.
has out "first-entered -> entries-different: the entries differ; a coordinator"
hasnt out "CNRP"; hasnt out "CPP"
run 0 K audit show --type form.enter --json; has out "form.enter"; hasnt out "CNRP,CPP"
run 1 K entry enter 010201-02 $F2 --user carol; has err "[CNT.803]"
# The coordinator's worklist: forms waiting on someone, by state and area.
run 0 K entry list --state todo --format csv; has out "010201-02,010201,entries-different"
hasnt out "010201-01"
run 0 K entry list --state entries-different --area 0102; has out "010201-02"
run 0 K entry list --state todo --area 02 --format csv; eq "$(cat "$T/out")" "station,commune,state" "nothing in province 02"
run 0 K entry list --state accepted --format json; has out '"station": "010201-01"'
run 2 K entry list --state bogus; has err "--state 'bogus' is no form state"
run 0 K entry status 010201-02; has out "the entries differ in: CNRP,CPP"
# A coordinator's decision says why; the audit log keeps the reason.
run 2 K entry resolve 010201-02 rekey-second --user coord; has err "[CNT.808]"
run 0 K entry resolve 010201-02 rekey-second --reason "paper form checked" --user coord; has out "entries-different -> first-entered"
run 0 K audit show --type form.rekey-second --json; has out "paper form checked"
run 0 K entry enter 010201-02 $F2 --user carol; has out "first-entered -> accepted"

# Every check code through the command line (nothing is saved).
chk() {  # expected-code station fields...
    code=$1; shift
    run 2 K entry enter "$@" --user dave
    has err "[$code]"; has err "nothing was saved"
}
G="received=612 spoiled=1 unused=161"
chk F.101 010202-01 registered=600 $G cast=450 valid=440 invalid=10 CPP=-1 CNRP=441
chk F.102 010202-01 registered=600 $G cast=450 valid=440 invalid=10 CPP=300 CNRP=141
chk F.103 010202-01 registered=600 $G cast=450 valid=440 invalid=11 CPP=300 CNRP=140
chk F.113 010202-01 registered=600 $G cast=450 valid=440 invalid=10 CPP=300 CNRP=5000000000
chk F.104 010202-01 registered=600 received=600 spoiled=1 unused=161 cast=450 valid=440 invalid=10 CPP=300 CNRP=140
chk F.105 010202-01 registered=600 received=712 spoiled=1 unused=61 cast=650 valid=640 invalid=10 CPP=500 CNRP=140
chk F.106 010202-01 registered=600 $G cast=450 valid=440 invalid=10 CPP=300 CNRP=130 FCP=10
run 2 K entry enter 099999-01 registered=1 received=1 cast=0 spoiled=0 unused=1 valid=0 invalid=0 --user nec
has err "[F.107]"
chk F.108 010202-01 registered=600 $G cast=450 valid=440 invalid=10 CPP=440
chk F.109 010202-01 registered=601 $G received=613 cast=450 valid=440 invalid=10 CPP=300 CNRP=140
eq "$(sql "$DB" "SELECT count(*) FROM form_entry WHERE station = '010202-01'")" 0 "refused forms saved nothing"

# Warnings: low turnout and many invalid ballots need explanations.
W="registered=600 received=612 cast=150 spoiled=1 unused=461 valid=140 invalid=10 CPP=100 CNRP=40"
run 0 K entry enter 010202-01 $W --user alice; has err "[W.201]"; has err "[W.203]"
run 0 K entry enter 010202-01 $W --user bob;   has out "first-entered -> needs-explanation"
run 2 K entry explain 010202-01 W.204 "no such warning" --user coord; has err "[CNT.811]"
run 0 K entry explain 010202-01 W.203 "flooding cut the road until noon" --user coord
has out "needs-explanation -> needs-explanation"
run 1 K official 010202 --user nec; has err "station 010202-01 has no accepted result (state needs-explanation) [R.404]"
run 0 K official --user nec; has out "1 commune made official"; has out "1 commune is not ready yet"
run 0 K entry explain 010202-01 W.201 "ballots wet from the flood were counted invalid" --user coord
has out "needs-explanation -> accepted"
run 0 K tally --commune 010202; has out "W.203: flooding cut the road until noon"

# Official results; reconcile holds; official forms are locked.
run 0 K official --user nec; has out "1 commune made official"
run 0 K reconcile; has out "reconcile: 0 differences"
run 0 K tally; has out "NATION  Cambodia: official"; has out "election hash $hash"
# one party label everywhere: the registry's abbreviation, as the dashboard shows it
has out "  FUNCINPEC "; hasnt out "  FCP "
run 1 K entry enter 010201-01 $F1 --user erin; has err "[CNT.806]"

# A correction (recount) is a new version; the official one stays visible.
run 2 K entry correct 010201-01 --user nec; has err "[CNT.813]"
run 0 K entry correct 010201-01 --reason "recount after complaint" --reference "PEC decision 12/2022" --user nec
has out "correction opened as version 2"
F3="registered=500 received=510 cast=400 spoiled=2 unused=108 valid=390 invalid=10 CPP=190 CNRP=160 FCP=40"
run 0 K entry enter 010201-01 $F3 --user alice
run 0 K entry enter 010201-01 $F3 --user bob; has out "version 2: first-entered -> accepted"
eq "$(sql "$DB" "SELECT version || ':' || state FROM form_version WHERE station = '010201-01' ORDER BY version" | tr '\n' ' ')" "1:official 2:accepted " "both versions kept"
eq "$(sql "$DB" "SELECT count(*) FROM form_entry WHERE station = '010201-01'")" 4 "every entry kept"
run 1 K reconcile; has err "area 010201: votes:CPP is 350 in the stored results but 340 recomputed from the station forms [R.403]"
run 0 K official 010201 --user nec; has out "1 commune made official"
run 0 K reconcile

# A stored total changed behind khum's back blocks making results official.
sql "$DB" "UPDATE official_total SET value = value + 1 WHERE area = '010202' AND field = 'valid'"
run 0 K entry correct 010201-02 --reason "clerical error" --reference "PEC 13/2022" --user nec
run 0 K entry enter 010201-02 $F2 --user alice
run 0 K entry enter 010201-02 $F2 --user bob
run 1 K official 010201 --user nec; has err "area 010202: valid is 141 in the stored results but 140 recomputed"
eq "$(sql "$DB" "SELECT count(*) FROM form_version WHERE station = '010201-02' AND state = 'accepted'")" 1 "refused: nothing made official"

# Exports.
run 0 K export --format nist-1500-100
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["@type"]=="ElectionResults.ElectionReport"; assert len(d["Election"][0]["Contest"])==2' "$T/out" || fail "NIST export"
run 0 K export --format openelections; has out "Banteay Meanchey,Mongkol Borey,Banteay Neang,010201-01,Commune Council,CPP,190"
run 0 K tally --format csv --by commune; has out "kh-test-2022,$hash,0,010201,Banteay Neang,commune"
finish
