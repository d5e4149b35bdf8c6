# spain.sh: a Spanish-style municipal election, SYNTHETIC, built here (#15):
# 400 councils, ~3,000 lists (three national parties in every council and
# local groupings of one council each, all in the election's parties.csv),
# D'Hondt with a 5 % threshold of the valid votes plus blank ballots, ties
# to more votes then lots, and the head of the most-voted list as the only
# post. import -> official -> tally -> publish -> verify, and every
# council's seats against an allocation written here in awk (a third
# implementation, after src/alloc and khum verify).
#
# Until the geography work of #15 is merged the gazetteer keeps Cambodia's
# shape (a district level, 6-digit codes, name_km), and until blank-ballot
# forms are, the results carry no blank column (the base is then the valid
# votes alone); the rules under test do not depend on either.
. "$(dirname "$0")/lib/assert.sh"

K() { "$KHUM" "$@" --db "$DB"; }
G="$T/gaz"; E="$T/es"; mkdir -p "$G" "$E"

# The gazetteer: 4 provinces x 2 districts x 50 municipalities.
awk -v G="$G" -v E="$E" 'BEGIN {
    print "code,name_km,name_latin,name_ungegn,unit_km,unit_latin,unit_en,iso3166_2,lat,long,wikipedia" > G "/provinces.csv"
    print "code,province_code,name_km,name_latin,name_ungegn,unit_km,unit_latin,unit_en,lat,long,wikipedia" > G "/districts.csv"
    print "code,district_code,province_code,name_km,name_latin,name_ungegn,unit_km,unit_latin,unit_en,lat,long,wikipedia" > G "/communes.csv"
    print "code,commune_code,name_km,name_latin" > G "/villages.csv"
    for (p = 1; p <= 4; p++) {
        pc = sprintf("%02d", p)
        printf "%s,x,Provincia %d,,x,Provincia,Province,,40.0,-3.0,\n", pc, p > G "/provinces.csv"
        for (d = 1; d <= 2; d++) {
            dc = sprintf("%s%02d", pc, d)
            printf "%s,%s,x,Comarca %s,,x,Comarca,District,40.0,-3.0,\n", dc, pc, dc > G "/districts.csv"
            for (c = 1; c <= 50; c++) {
                cc = sprintf("%s%02d", dc, c)
                printf "%s,%s,%s,x,Municipio %s,,x,Municipio,Municipality,40.0,-3.0,\n", cc, dc, pc, cc > G "/communes.csv"
                printf "%s01,%s,x,Nucleo %s\n", cc, cc, cc > G "/villages.csv"
            }
        }
    }
}'

# The election: council i has 5 + 2 (i % 9) seats, the national lists PSOE,
# PP, VOX and 4 + i % 7 local groupings AE<i>-<k>. Votes from a fixed LCG,
# so every run is the same election; one polling station per council.
awk -v G="$G" -v E="$E" 'BEGIN {
    print "id,name,date,mandate,method,tie_rule,threshold,threshold_base,posts,synthetic" > E "/election.csv"
    print "es-2023,SYNTHETIC Spanish-style municipal election,2023-05-28,4,dhondt,more-votes>lots,5,valid+blank,head,1" > E "/election.csv"
    print "commune,seats" > E "/communes.csv"
    print "commune,party,ballot_no" > E "/lists.csv"
    print "station,commune,registered" > E "/stations.csv"
    print "id,abbr,name_en,colour" > E "/parties.csv"
    print "PSOE,PSOE,Partido Socialista Obrero Español,#e30613" > E "/parties.csv"
    print "PP,PP,Partido Popular,#1d84ce" > E "/parties.csv"
    print "VOX,VOX,Vox,#63be21" > E "/parties.csv"
    print "station,commune,party,votes" > E "/votes.txt"
    x = 12345; i = 0
    for (p = 1; p <= 4; p++) for (d = 1; d <= 2; d++) for (c = 1; c <= 50; c++) {
        i++; code = sprintf("%02d%02d%02d", p, d, c); seats = 5 + 2 * (i % 9)
        print code "," seats > E "/communes.csv"
        n = 3 + 4 + i % 7
        for (k = 1; k <= n; k++) {
            party = k == 1 ? "PSOE" : k == 2 ? "PP" : k == 3 ? "VOX" : sprintf("AE%d-%d", i, k)
            if (k > 3) printf "%s,%s,Agrupación de electores %d de %s,\n", party, party, k, code > E "/parties.csv"
            print code "," party "," k > E "/lists.csv"
            x = (x * 1103515245 + 12345) % 2147483648
            v = 20 * (k <= 3 ? 400 + x % 3000 : x % 400) + k  # distinct in a council
            print code "-01," code "," party "," v > E "/votes.txt"
        }
    }
}'
nlists=$(($(wc -l <"$E/lists.csv") - 1))
[ "$nlists" -gt 2500 ] || fail "thousands of lists: $nlists"

# Wide results: one column per party, empty where it does not stand.
awk -F, 'NR > 1 { st[$1] = $2; v[$1, $3] = $4; t[$1] += $4; if (!($3 in seen)) { seen[$3] = 1; ps[++np] = $3 } ; if (!($1 in so)) { so[$1] = 1; ss[++ns] = $1 } }
END {
    printf "station,registered,received,cast,spoiled,unused,valid,invalid"
    for (j = 1; j <= np; j++) printf ",%s", ps[j]; print ""
    for (i = 1; i <= ns; i++) {
        s = ss[i]; reg = 2 * t[s] + 100
        printf "%s,%d,%d,%d,0,0,%d,0", s, reg, t[s], t[s], t[s]
        for (j = 1; j <= np; j++) printf ",%s", ((s, ps[j]) in v) ? v[s, ps[j]] : ""
        print ""
    }
}' "$E/votes.txt" >"$T/results.csv"
awk -F, 'NR > 1 { t[$2] += $4 } END { for (c in t) printf "%s-01,%s,%d\n", c, c, 2 * t[c] + 100 }' \
    "$E/votes.txt" | sort >>"$E/stations.csv"

DB=$(newdb es)
run 0 K import gazetteer "$G" -q
run 0 K election import "$E"
has out "election es-2023 imported: 400 communes, $nlists lists, 400 stations"
eq "$(sql "$DB" "SELECT count(*) FROM party WHERE election = 'es-2023'")" "$(($(wc -l <"$E/parties.csv") - 1))" \
    "every list of parties.csv is in the registry, marked with the election"
run 0 K import results "$T/results.csv" --user admin -q
run 0 K official --user admin
run 0 K tally --by commune --format csv
cp "$T/out" "$T/tally.csv"

# The same seats by an allocation written here: D'Hondt over the lists with
# 100 v >= 5 (valid + blank), equal quotients to more votes (the votes of a
# council's lists all differ, so no tie is left for lots).
here() {  # THRESHOLD: seats of every list with seats, as council,party,seats
    awk -F, -v thr="$1" 'FNR == 1 { next }
FILENAME ~ /communes/ { seats[$1] = $2; next }
FILENAME ~ /votes/ { n = ++nl[$2]; lp[$2, n] = $3; lv[$2, n] = $4; tot[$2] += $4; next }
END {
    for (c in seats) {
        for (k = 1; k <= nl[c]; k++) { s[k] = 0; ok[k] = 100 * lv[c, k] >= thr * tot[c] }
        for (r = 1; r <= seats[c]; r++) {
            b = 0
            for (k = 1; k <= nl[c]; k++) {
                if (!ok[k] || lv[c, k] == 0) continue
                if (!b) { b = k; continue }
                l = lv[c, k] * (s[b] + 1); rr = lv[c, b] * (s[k] + 1)
                if (l > rr || (l == rr && lv[c, k] > lv[c, b])) b = k
            }
            s[b]++
        }
        for (k = 1; k <= nl[c]; k++) if (s[k]) print c "," lp[c, k] "," s[k]
    }
}' "$E/communes.csv" "$E/votes.txt" | sort
}
here 5 >"$T/expected"
here 0 >"$T/no-threshold"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
         $c["level"] == "commune" && $c["seats"] > 0 { print $c["area"] "," $c["party"] "," $c["seats"] }' \
    "$T/tally.csv" | sort >"$T/got"
eq "$(awk -F, '{ s += $3 } END { print s }' "$T/got")" "$(awk -F, 'NR > 1 { s += $2 } END { print s }' "$E/communes.csv")" \
    "every seat of every council is allocated"
if cmp -s "$T/expected" "$T/got"; then CHECKS=$((CHECKS + 1)); else
    fail "seats of every council as allocated here: $(diff "$T/expected" "$T/got" | head -5)"; fi
cmp -s "$T/no-threshold" "$T/got" && fail "the threshold changes some council's seats"
below=$(awk -F, 'NR > 1 { t[$2] += $4; v[$2, $3] = $4 } END { for (k in v) { split(k, a, SUBSEP); if (100 * v[k] < 5 * t[a[1]] && v[k] > 0) n++ } print n + 0 }' "$E/votes.txt")
[ "$below" -gt 100 ] || fail "the threshold matters: $below lists with votes below 5 %"
run 0 K tally --format csv
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { h += $c["chiefs"] } END { print h }' "$T/out" >"$T/heads"
eq "$(cat "$T/heads")" 400 "one head of council in each of the 400 councils"

run 0 "$KHUM" keygen "$T/key"
run 0 K publish --out "$T/pub" --key "$T/key.key"
run 0 "$KHUM" verify "$T/pub" --key "$T/key.pub"
hasnt out "VER."; hasnt err "VER."

finish
