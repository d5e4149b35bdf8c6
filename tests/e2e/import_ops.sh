# import_ops.sh: imports of reference data are app operations (khum_app_import_*):
# each audit event names the acting user, the file path, its SHA-256 and the
# rows, and a refused import writes nothing.
. "$(dirname "$0")/lib/assert.sh"

DB=$(newdb imp)
K() { "$KHUM" "$@" --db "$DB"; }

GAZ="$KHUM_TESTDATA/mini-gazetteer"
run 0 K import gazetteer "$GAZ" --user admin
has out "gazetteer: 1 provinces"
# one event per file of the folder, each with the acting user, path, digest and rows
eq "$(sql "$DB" "SELECT count(*) FROM audit_event WHERE type = 'import.gazetteer' AND actor = 'admin'")" 4 "gazetteer events by admin"
sum=$(sha256sum "$GAZ/communes.csv" | cut -c1-64)
after=$(sql "$DB" "SELECT after FROM audit_event WHERE type = 'import.gazetteer' AND object = '$GAZ/communes.csv'")
case $after in *"\"sha256\":\"$sum\""*) ;; *) fail "communes.csv event lacks its sha256: $after" ;; esac
case $after in *'"rows":'*) ;; *) fail "communes.csv event lacks rows: $after" ;; esac

run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" --user admin
eq "$(sql "$DB" "SELECT actor FROM audit_event WHERE type = 'import.parties'")" admin "parties actor"

printf 'commune,seats\n010201,7\n' >"$T/seats.csv"
run 0 K import seats "$T/seats.csv" --mandate 5 --user admin
eq "$(sql "$DB" "SELECT actor FROM audit_event WHERE type = 'import.seats'")" admin "seats actor"
eq "$(sql "$DB" "SELECT object FROM audit_event WHERE type = 'import.seats'")" "$T/seats.csv" "seats path"

printf 'code,name,total\n010201,Banteay Neang,1000\n999999,Nowhere,5\n' >"$T/population_2019.csv"
run 0 K import population "$T/population_2019.csv" --user admin
has err "commune 999999 (Nowhere) is not in the gazetteer: not imported [POP.305]"
eq "$(sql "$DB" "SELECT actor FROM audit_event WHERE type = 'import.population'")" admin "population actor"
eq "$(sql "$DB" "SELECT total FROM population WHERE commune = '010201' AND year = 2019")" 1000 "population stored"

# An election folder and candidate lists: the event names each file, its
# SHA-256 and rows, and the acting user.
ELE="$KHUM_TESTDATA/news-2017"
run 0 K election import "$ELE" --user admin
after=$(sql "$DB" "SELECT after FROM audit_event WHERE type = 'election.import'")
for f in election communes lists stations; do
    sum=$(sha256sum "$ELE/$f.csv" | cut -c1-64)
    case $after in *"\"path\":\"$ELE/$f.csv\",\"rows\":"[0-9]*",\"sha256\":\"$sum\""*) ;;
    *) fail "election.import lacks $f.csv with its sha256: $after" ;; esac
done
eq "$(sql "$DB" "SELECT actor FROM audit_event WHERE type = 'election.import'")" admin "election actor"
run 0 K import candidates "$ELE/candidates.csv" --election kh-news-2017 --user admin
after=$(sql "$DB" "SELECT after FROM audit_event WHERE type = 'candidates.import'")
sum=$(sha256sum "$ELE/candidates.csv" | cut -c1-64)
case $after in *"\"path\":\"$ELE/candidates.csv\",\"rows\":20,\"sha256\":\"$sum\""*) ;;
*) fail "candidates.import lacks its file: $after" ;; esac

# A refused import changes nothing, not even the audit log.
before=$(dbdump "$DB" | sha256sum)
printf 'commune,seats\n010201,x\n' >"$T/bad.csv"
run 2 K import seats "$T/bad.csv" --mandate 5 --user admin
eq "$(dbdump "$DB" | sha256sum)" "$before" "refused seats import writes nothing"
finish
