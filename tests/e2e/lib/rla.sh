# rla.sh: the paper ballots of the risk-limiting audit tests (sourced).
# rla_truth PAPER STATION BUNDLE POSITION: what the ballot at that place
# says, with $BUNDLE ballots a bundle. PAPER is a results CSV (station, six
# figures, invalid, then one column per list): each box holds each list's
# votes in column order, then the invalid ballots.
rla_truth() {
    awk -F, -v st="$2" -v off=$((($3 - 1) * BUNDLE + $4 - 1)) '
        NR == 1 { for (i = 9; i <= NF; i++) name[i] = $i; next }
        $1 == st { for (i = 9; i <= NF; i++) { if ($i == "") continue; if (off < $i) { print name[i]; exit }
                   off -= $i }; print "invalid"; exit }' "$1"
}
# rla_import: the fixture in $T/fx (gazetteer, parties, election, its
# results.csv) imported into $DB.
rla_import() {
    run 0 "$KHUM" import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q --db "$DB"
    run 0 "$KHUM" import parties "$KHUM_SRC/data/parties/kh.csv" -q --db "$DB"
    run 0 "$KHUM" election import "$T/fx" --db "$DB"
    run 0 "$KHUM" import results "$T/fx/results.csv" -q --db "$DB"
}
