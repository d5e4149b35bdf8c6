# dissolution.sh: on a SYNTHETIC national election like 2017 (the demo, which
# records the CNRP's dissolution of 16 Nov 2017), the dissolution
# redistributes every one of the party's seats and the national total stays
# the same, under both divisors of rules.md §6; a party is dissolved once.
. "$(dirname "$0")/lib/assert.sh"

DB=$(newdb d --empty)   # the demo adds its own administrator, "demo"
run 0 "$KHUM" demo --db "$DB"
K() { "$KHUM" "$@" --db "$DB"; }
run 0 K ledger seats --on 2017-07-01
before=$(grep '^CNRP,' "$T/out" | cut -d, -f2)
[ "${before:-0}" -gt 4000 ] || fail "the synthetic CNRP should hold thousands of seats, has '$before'"
has out "total,11572,"
run 0 K ledger show; has out "dissolve"
run 1 K ledger add dissolve --party CNRP --date 2017-11-20 --reference "again" --user demo
has err "party CNRP was dissolved already on 2017-11-16"; has err "[LED.605]"
for div in all new; do
    run 0 K ledger seats --on 2017-12-01 --redistribution $div
    hasnt out "CNRP,"
    has out "total,11572,"
    has out "CPP,"
    eq "$(grep '^CPP,' "$T/out" | cut -d, -f3)" 1646 "every chief is the CPP's after the dissolution ($div)"
done
# The day before, nothing has changed yet.
run 0 K ledger seats --on 2017-11-15; has out "CNRP,$before,"
finish
