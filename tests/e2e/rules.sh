# rules.sh: an election's rule set as data (#15, items 2 and 5): the tie
# chain, a threshold with its base, posts=head and an election's own lists
# (parties.csv), from election import to official, tally, council, publish
# and verify; and each bad rule refused with its place and rule code,
# writing nothing.
. "$(dirname "$0")/lib/assert.sh"

K() { "$KHUM" "$@" --db "$DB"; }
refused() {  # WANT CODE CMD...: refused with [CODE], the database unchanged
    want=$1; code=$2; shift 2
    before=$(dbdump "$DB" | sha256sum)
    run "$want" "$@"
    has err "[$code]"
    eq "$(dbdump "$DB" | sha256sum)" "$before" "$code writes nothing"
}

# mk DIR ELECTION_ROW: a two-commune election folder (Portugal-like rules
# in the row given). 010201: 4 seats, CPP 300 and GCP 200 tie for the 4th
# (CPP 300/3 = GCP 200/2 = 100). 010202: 30 seats, CPP 6,000, CNRP 3,520,
# GCP 480 = 4.8 % of 10,000: a seat by D'Hondt (480 > 10,000/31), none
# under a 5 % threshold. GCP is a citizens' group of this election only.
mk() {
    d=$1; mkdir -p "$d"
    printf 'id,name,date,mandate,method,tie_rule,threshold,threshold_base,posts,synthetic\n%s\n' \
        "$2" >"$d/election.csv"
    printf 'commune,seats\n010201,4\n010202,30\n' >"$d/communes.csv"
    printf 'commune,party,ballot_no\n010201,CPP,1\n010201,GCP,2\n010202,CPP,1\n010202,CNRP,2\n010202,GCP,3\n' \
        >"$d/lists.csv"
    printf 'station,commune,registered\n010201-01,010201,1000\n010202-01,010202,20000\n' >"$d/stations.csv"
    printf 'id,abbr,name_en\nGCP,GCP,Grupo de Cidadãos do Porto\nCPP,CPP,Cambodian People'"'"'s Party\n' \
        >"$d/parties.csv"
    { echo "station,registered,received,cast,spoiled,unused,valid,invalid,CPP,CNRP,GCP"
      echo "010201-01,1000,600,500,0,100,500,0,300,,200"
      echo "010202-01,20000,10500,10000,0,500,10000,0,6000,3520,480"; } >"$d/results.csv"
    echo "commune,party,position,person,name_latin" >"$d/candidates.csv"
    for p in CPP GCP; do i=1; while [ $i -le 8 ]; do
        echo "010201,$p,$i,$p-$i,$p $i" >>"$d/candidates.csv"; i=$((i + 1)); done; done
}
setup() {
    DB=$(newdb "$1")
    run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
    run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
}

# 1. Portugal's rules: fewer-votes>lots gives the tied 4th seat to GCP (the
#    smaller list); a 5 % threshold of the valid votes keeps GCP out of
#    010202; the head of council is CPP's first candidate and nobody is a
#    deputy. GCP enters the registry marked as this election's own.
mk "$T/pt" "pt-like,Fixture,2025-10-12,4,dhondt,fewer-votes>lots,5,valid,head,1"
setup pt
run 0 K election import "$T/pt"
has out "election pt-like imported"
run 0 K election show pt-like
has out "tie rule   fewer-votes>lots"; has out "threshold  5 % of valid"; has out "posts      head"
has out "own lists  2 (parties.csv)"
eq "$(sql "$DB" "SELECT election FROM party WHERE id = 'GCP'")" "pt-like" "GCP is marked as the election's own list"
eq "$(sql "$DB" "SELECT election FROM party WHERE id = 'CPP'")" "" "CPP (same name) is the registry's, reused"
eq "$(sql "$DB" "SELECT count(*) FROM election_party WHERE election = 'pt-like'")" 2 "both lists kept as the election defined them"
run 0 K import results "$T/pt/results.csv" --user admin -q
run 0 K import candidates "$T/pt/candidates.csv"
run 0 K official --user admin
run 0 K tally --by commune --format csv
has out "010201,"
seats() { awk -F, -v a="$1" -v p="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
          $c["area"] == a && $c["party"] == p { print $c["seats"] }' "$T/out"; }
eq "$(seats 010201 CPP),$(seats 010201 GCP)" "2,2" "fewer-votes: the tied 4th seat goes to the smaller list"
eq "$(seats 010202 GCP)" "0" "4.8 % is below the 5 % threshold: no seat"
eq "$(seats 010202 CPP),$(seats 010202 CNRP)" "19,11" "the threshold's seat goes to the lists above it"
run 0 K council show 010201 --on 2025-11-01
has out "chief          CPP-1"; hasnt out "first-deputy"; hasnt out "second-deputy"
run 0 "$KHUM" keygen "$T/key"
run 0 K publish --out "$T/pub" --key "$T/key.key"
run 0 "$KHUM" verify "$T/pub" --key "$T/key.pub"
grep -q '"threshold":"5"' "$T/pub/current/election.json" 2>/dev/null ||
    grep -rq '"threshold": *"5"' "$T/pub" || fail "election.json carries the threshold for verify"

# 2. The same figures under Cambodia's rules (the old words, no threshold):
#    the 4th seat goes to more votes, GCP takes its D'Hondt seat, and the
#    hash is a v1 hash (the election names none of the new rules).
mk "$T/kh" "kh-like,Fixture,2025-10-12,4,dhondt,votes,,,,1"
rm "$T/kh/parties.csv"
printf 'GCP,GCP,Grupo de Cidadãos do Porto\n' | { echo "id,abbr,name_en"; cat; } >"$T/gcp.csv"
setup kh
run 0 K import parties "$T/gcp.csv" -q
run 0 K election import "$T/kh"
run 0 K import results "$T/kh/results.csv" --user admin -q
run 0 K official --user admin
run 0 K tally --by commune --format csv
eq "$(seats 010201 CPP),$(seats 010201 GCP)" "3,1" "more-votes: the tied 4th seat goes to the larger list"
eq "$(seats 010202 GCP)" "1" "without a threshold GCP takes its D'Hondt seat"

# 3. Bad rules: each refused with the place and the rule, nothing written.
bad() {  # NAME ROW CODE
    mk "$T/bad-$1" "$2"
    refused 2 "$3" K election import "$T/bad-$1"
    has err "election.csv:2"
}
bad tie  "x,X,2025-10-12,4,dhondt,coin>lots,,,,1"        ELE.720
bad tie2 "x,X,2025-10-12,4,dhondt,more-votes,,,,1"       ELE.720
bad thr  "x,X,2025-10-12,4,dhondt,votes,100.5,,,1"       ELE.721
bad thr4 "x,X,2025-10-12,4,dhondt,votes,4.12345,,,1"     ELE.721
bad base "x,X,2025-10-12,4,dhondt,votes,5,blank,,1"      ELE.722
bad post "x,X,2025-10-12,4,dhondt,votes,,,mayor,1"       ELE.723
# An election's own list whose id the registry holds under another name.
mk "$T/clash" "clash,X,2025-10-12,4,dhondt,votes,,,,1"
printf 'id,abbr,name_en\nCPP,CPP,Cidadãos por Porto\nGCQ,GCQ,Grupo de Cidadãos\n' >"$T/clash/parties.csv"
refused 2 ELE.724 K election import "$T/clash"
has err "parties.csv:2"
has err "in the party registry"
eq "$(sql "$DB" "SELECT count(*) FROM party WHERE id = 'GCQ'")" 0 "the clash leaves no list of the file behind"

# 4. Many local lists (Spain's and Portugal's councils): two councils with
#    40 lists each of their own, 80 in the election, more than khum verify
#    once held for a whole election; Spain's rules (5 % of valid + blank,
#    more-votes>lots, the head alone). Publish and verify agree on every seat.
L="$T/many"; mkdir -p "$L"
printf 'id,name,date,mandate,method,tie_rule,threshold,threshold_base,posts,synthetic
es-like,Fixture,2023-05-28,4,dhondt,more-votes>lots,5,valid+blank,head,1
' >"$L/election.csv"
printf 'commune,seats
010201,21
010202,25
' >"$L/communes.csv"
echo "id,abbr,name_en" >"$L/parties.csv"
echo "commune,party,ballot_no" >"$L/lists.csv"
hdr="station,registered,received,cast,spoiled,unused,valid,invalid"; r1=""; r2=""
i=1; while [ $i -le 80 ]; do
    echo "AE$i,AE$i,Agrupación de electores $i" >>"$L/parties.csv"
    if [ $i -le 40 ]; then c=010201; n=$i; r1="$r1,$((i * 7))"; r2="$r2,"
    else c=010202; n=$((i - 40)); r1="$r1,"; r2="$r2,$((i * 5 % 97 + 1))"; fi
    echo "$c,AE$i,$n" >>"$L/lists.csv"; hdr="$hdr,AE$i"; i=$((i + 1))
done
v1=$(echo "$r1" | tr ',' '\n' | awk '{ s += $1 } END { print s }')
v2=$(echo "$r2" | tr ',' '\n' | awk '{ s += $1 } END { print s }')
printf 'station,commune,registered
010201-01,010201,%s
010202-01,010202,%s
' $((2 * v1)) $((2 * v2)) >"$L/stations.csv"
{ echo "$hdr"
  echo "010201-01,$((2 * v1)),$v1,$v1,0,0,$v1,0$r1"
  echo "010202-01,$((2 * v2)),$v2,$v2,0,0,$v2,0$r2"; } >"$L/results.csv"
DB=$(newdb many)
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K election import "$L"
run 0 K import results "$L/results.csv" --user admin -q
run 0 K official --user admin
run 0 "$KHUM" keygen "$T/mkey"
run 0 K publish --out "$T/mpub" --key "$T/mkey.key"
run 0 "$KHUM" verify "$T/mpub" --key "$T/mkey.pub"
hasnt out "VER."; hasnt err "VER."

finish
