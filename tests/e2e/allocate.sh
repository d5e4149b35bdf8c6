# allocate.sh: the `khum allocate` contract that scripts and the server rely
# on: columns, input order, districts, exit codes 0/2/3 with file:line, lots,
# protocol and margins, JSON.
. "$(dirname "$0")/lib/assert.sh"

cat > "$T/v.csv" <<'CSV'
note,votes,party,district,seats
x,280,A,D2,7
x,955,B,D2,7
x,255,A,D3,9
x,1595,C,D2,7
x,1805,B,D3,9
x,90,D,D2,7
x,690,C,D3,9
x,1350,D,D3,9
CSV
run 0 "$KHUM" allocate --method cambodia "$T/v.csv"
eq "$(cat "$T/out")" "district,party,votes,seats
D2,A,280,0
D2,B,955,2
D3,A,255,0
D2,C,1595,5
D3,B,1805,5
D2,D,90,0
D3,C,690,1
D3,D,1350,3" "seats in input order, districts interleaved"
run 0 "$KHUM" allocate --method cambodia-1998 "$T/v.csv"
has out "D2,B,955,3"; has out "D2,C,1595,4"; has out "D3,C,690,2"
run 0 "$KHUM" allocate --method largest-remainder "$T/v.csv"
has out "D2,A,280,1"

# Without a district column there is no district column in the output; stdin works.
printf 'party,votes\nA,100000\nB,80000\nC,30000\nD,20000\n' > "$T/w.csv"
run 0 "$KHUM" allocate --seats 8 - < "$T/w.csv"
eq "$(head -1 "$T/out")" "party,votes,seats" "header without district"
has out "A,100000,4"; has out "D,20000,0"
run 0 "$KHUM" allocate --seats 8 --method sainte-lague "$T/w.csv"; has out "D,20000,1"
run 0 "$KHUM" allocate --seats 8 --method sainte-lague --first-divisor 1.4 "$T/w.csv"
has out "D,20000,0"   # Norway's 1.4 keeps the smallest list out here

# Protocol and margins.
printf 'party,votes\nA,12000\nB,28000\nC,60000\n' > "$T/s1.csv"
run 0 "$KHUM" allocate --method cambodia --seats 5 --explain --margins "$T/s1.csv"
has out ",5,C,average,15000.00,15000,B,14000.00,14000,"
has out "district,quota,quota_exact"; has out ",20000.00,20000"   # the quota, in the CSV too
has out ",C,B,15000.00,15000,14000.00,14000,1334,2001,1"
run 0 "$KHUM" allocate --method cambodia --seats 5 --explain --margins --format json "$T/s1.csv"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["districts"][0]; assert [x["seats"] for x in r["results"]]==[0,1,4]; assert r["closest"]["votes_to_move"]==1334; assert len(r["protocol"])==5' "$T/out" || fail "JSON output"

# A tie that decides a seat: exit 3 naming the seat and the parties; lots settle it.
printf 'party,votes\nA,300\nB,300\nC,100\n' > "$T/d9.csv"
run 3 "$KHUM" allocate --method cambodia --seats 5 "$T/d9.csv"
has err "seat 5 is tied between A, B and C (equal quotient 100.00); more votes leave A and B, equal in votes: draw lots with --lots SEED [ALC.620]"
eq "$(wc -c < "$T/out")" 0 "no output while lots are pending"
run 0 "$KHUM" allocate --method cambodia --seats 5 --lots "NEC 2017" "$T/d9.csv"
has out "B,300,3"; has err "seat 5 decided by lot (draw 1 between A and B): B"
# ...and the draw replays with sha256sum: the smaller key wins.
ka=$(printf 'khum-lot-v1\nNEC 2017\n\n1\nA' | sha256sum | cut -c1-64)
kb=$(printf 'khum-lot-v1\nNEC 2017\n\n1\nB' | sha256sum | cut -c1-64)
[ "$kb" \< "$ka" ] || fail "replayed lot disagrees"
# D8: equal averages that only order seats need no lots.
printf 'party,votes\nA,400\nB,400\nC,200\n' > "$T/d8.csv"
run 0 "$KHUM" allocate --method cambodia --seats 7 "$T/d8.csv"; has out "A,400,3"; has out "B,400,3"

# Bad input: exit 2, file:line:column, the column and the rule; nothing on stdout.
bad() {
    printf "$1" > "$T/bad.csv"; shift
    run 2 "$KHUM" allocate "$@" "$T/bad.csv"
    has err "$LAST"
    eq "$(wc -c < "$T/out")" 0 "no output on bad input"
}
LAST="bad.csv:3:3: votes '-5' must be a whole number from 0 to 1000000000000 (column 'votes') [ALC.601]"
bad 'party,votes\nA,10\nB,-5\n' --seats 5
LAST="bad.csv:2:3: votes '12x' must be a whole number"
bad 'party,votes\nA,12x\n' --seats 5
LAST="missing required column 'votes' (the header has: party, vote) [CSV.106]"
bad 'party,vote\nA,1\n' --seats 5
LAST="bad.csv:2:6: seats '0' must be a whole number from 1 to 10000 (column 'seats') [ALC.602]"
bad 'party,votes,seats\nA,10,0\n'
LAST="bad.csv:3:8: district X has 9 seats here but 7 on line 2 (column 'seats') [ALC.603]"
bad 'district,party,votes,seats\nX,A,10,7\nX,B,10,9\n'
LAST="bad.csv:3:3: party 'A' appears twice in district X (first on line 2) (column 'party') [ALC.604]"
bad 'district,party,votes,seats\nX,A,10,7\nX,A,10,7\n'
LAST="how many seats? the input has no seats column: give --seats N [ALC.608]"
bad 'party,votes\nA,10\n'
LAST="district X: no eligible party has votes: the 7 seats cannot be allocated [ALC.611]"
bad 'district,party,votes,seats\nX,A,0,7\n'
LAST="no rows: nothing to allocate [ALC.609]"
bad 'party,votes\n' --seats 3
run 2 "$KHUM" allocate --method borda "$T/w.csv"; has err "unknown method 'borda'"
run 2 "$KHUM" allocate --margins --method largest-remainder --seats 3 "$T/w.csv"
has err "--margins is for divisor methods"
# Tie chains (docs/allocation.md): A 300/3 and B 200/2 tie for the 4th seat.
printf 'party,votes,ballot_no\nA,300,2\nB,200,1\n' >"$T/tie.csv"
run 0 "$KHUM" allocate --seats 4 "$T/tie.csv"; has out "A,300,3"
run 0 "$KHUM" allocate --seats 4 --tie-rule 'fewer-votes>lots' --explain "$T/tie.csv"
has out "A,300,2"; has out "B,200,2"; has out "fewer-votes"
run 0 "$KHUM" allocate --seats 4 --tie-rule ballot-order "$T/tie.csv"; has out "B,200,2"
run 2 "$KHUM" allocate --seats 4 --tie-rule 'coin>lots' "$T/tie.csv"; has err "'coin' is not a tie rule step"
printf 'party,votes,ballot_no\nA,300,0\n' >"$T/b0.csv"
run 2 "$KHUM" allocate --seats 4 "$T/b0.csv"; has err "[ALC.614]"; has err "b0.csv:2"

finish
