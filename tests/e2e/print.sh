# print.sh: the printed documents (issue 18, docs/printing.md). A commune's
# protocol in Khmer, English and both: pdftotext finds the strings of each
# language, a Khmer name round-trips, the pages are A4 and pdftoppm renders
# them; printing twice gives the same bytes. The cases of the issue: a lot
# drawn (who, when, seed), an explained warning, a correction after
# official (both versions), the 1998 formula as a what-if. The summary is
# marked OFFICIAL or PROVISIONAL on every page, Form 1102 carries a QR code,
# the council certificate reads the ledger on a date. Bad input (an unknown
# commune, a date outside the mandate, no Khmer font) is a clear error and
# leaves no file.
. "$(dirname "$0")/lib/assert.sh"
for tool in pdftotext pdfinfo pdftoppm; do
    command -v $tool >/dev/null || { echo "SKIP: $tool (poppler-utils) is missing"; exit 77; }
done

DB=$(newdb print)
K() { "$KHUM" "$@" --db "$DB"; }
ELE="$KHUM_TESTDATA/mini-election"
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$ELE"
# 010201: CPP and CNRP 150 votes each for 5 seats: 2 quota seats each, the
# last seat a tie in equal votes: lots. 010202: turnout below 30 %, explained.
printf '%s\n' 'station,registered,received,cast,spoiled,unused,valid,invalid,CPP,CNRP,FCP,explanation' \
    '010201-01,500,510,188,2,320,180,8,90,90,0,' \
    '010201-02,400,410,126,0,284,120,6,60,60,0,' \
    '010202-01,600,612,140,1,471,136,4,86,50,,flooding cut the road until noon' >"$T/results.csv"
run 0 K import results "$T/results.csv" -q
{ echo commune,party,position,person,name_latin
  for p in CPP CNRP FCP; do for i in $(seq 10); do echo "010201,$p,$i,$p-$i,$p candidate $i"; done; done
  for p in CPP CNRP; do for i in $(seq 14); do echo "010202,$p,$i,B$p-$i,$p person $i"; done; done
} >"$T/cand.csv"
run 0 K import candidates "$T/cand.csv"

# Before official: the summary says PROVISIONAL on every page.
run 0 K print summary --out "$T/prov.pdf" --lang en
pdftotext "$T/prov.pdf" "$T/prov.txt"
has prov.txt "PROVISIONAL"; hasnt prov.txt "OFFICIAL"

run 0 K lots 010201 public-draw-7
run 0 K official
# a correction after official: spoiled and unused ballots of 010201-02
run 0 K entry correct 010201-02 --reason "recount" --reference "PEC 4/2022"
printf '%s\n' 'station,registered,received,cast,spoiled,unused,valid,invalid,CPP,CNRP,FCP,explanation' \
    '010201-02,400,410,126,1,283,120,6,60,60,0,' >"$T/fix.csv"
run 0 K import results "$T/fix.csv" -q
run 0 K official 010201

pdf() { pdftotext -layout "$T/$1" "$T/$1.txt"; }
pages() { pdfinfo "$T/$1" | sed -n 's/^Pages: *//p'; }
a4() {   # every page A4
    CHECKS=$((CHECKS + 1))
    pdfinfo -f 1 -l 99 "$T/$1" | grep '^Page .* size:' | grep -qv '595.276 x 841.89' &&
        fail "$1: a page is not A4"
    pdfinfo "$T/$1" | grep -q 'Page size: *595.276 x 841.89 pts (A4)' || fail "$1 is not A4"
}
renders() {
    CHECKS=$((CHECKS + 1))
    rm -f "$T"/r-*.png
    pdftoppm -r 30 -png "$T/$1" "$T/r" 2>"$T/ppm.err" || fail "pdftoppm $1: $(cat "$T/ppm.err")"
    [ "$(ls "$T"/r-*.png | wc -l)" = "$(pages "$1")" ] || fail "pdftoppm rendered not every page of $1"
}

for lang in en km both; do
    run 0 K print protocol 010201 --out "$T/p-$lang.pdf" --lang $lang
    has err "wrote $T/p-$lang.pdf"
    pdf p-$lang.pdf; a4 p-$lang.pdf; renders p-$lang.pdf
    n=$(pages p-$lang.pdf)
    CHECKS=$((CHECKS + 1)); [ "$n" -ge 2 ] && [ "$n" -le 6 ] || fail "$lang protocol has $n pages"
    has p-$lang.pdf.txt "page 1 of $n"
    has p-$lang.pdf.txt "election ac6b9a8ca067fb6c"
done
# English
has p-en.pdf.txt "Protocol of the commune council election"
has p-en.pdf.txt "Banteay Neang (010201)"
has p-en.pdf.txt "The seat allocation, step by step"
has p-en.pdf.txt "Quota: 60.00 (60)"
has p-en.pdf.txt "settled by: lot"
has p-en.pdf.txt "Lots seed: public-draw-7"
has p-en.pdf.txt "drawn by: admin"
has p-en.pdf.txt "chief"
has p-en.pdf.txt "CPP candidate 1"
has p-en.pdf.txt "Corrections after official"
has p-en.pdf.txt "version 1 → version 2 (reason: recount; PEC 4/2022)"
has p-en.pdf.txt "What-if: the 1998 formula"
has p-en.pdf.txt "cambodia-1998"
has p-en.pdf.txt "Chair of the CEC"
hasnt p-en.pdf.txt "ការបោះឆ្នោត"
# Khmer: Khmer words and digits, no English labels. poppler puts a space
# after the vowel sign ា where the font's glyph overhangs (it does so for
# Chromium's PDFs too): compare without spaces.
has p-km.pdf.txt "ការបែងចែកអាសនៈ"
has p-km.pdf.txt "(០១០២០១)"
hasnt p-km.pdf.txt "Protocol of the commune"
CHECKS=$((CHECKS + 1))
tr -d ' ' <"$T/p-km.pdf.txt" | grep -qF "បន្ទាយនាង(០១០២០១)" || fail "the Khmer name of 010201 does not round-trip"
has p-both.pdf.txt "Protocol of the commune council election"
CHECKS=$((CHECKS + 1))
tr -d ' ' <"$T/p-both.pdf.txt" | grep -qF "បន្ទាយនាង/BanteayNeang" || fail "both: the Khmer and Latin names"
# signature lines: the rule set's commission, or the ones given
run 0 K print protocol 010201 --out "$T/sig.pdf" --lang en --signatories "Sok Dara:Chair;Member"
pdf sig.pdf; has sig.pdf.txt "Chair: Sok Dara"; hasnt sig.pdf.txt "Chair of the CEC"
# the explained warning, in 010202's protocol
run 0 K print protocol 010202 --out "$T/p2.pdf" --lang en
pdf p2.pdf
has p2.pdf.txt "Warnings and their explanations"
has p2.pdf.txt "W.203"; has p2.pdf.txt "flooding cut the road until noon"
hasnt p2.pdf.txt "Corrections after official"

# Reproducible: the same data, the same bytes (the PDF's dates are the data
# version's); a write since changes the footer's data version.
run 0 K print protocol 010201 --out "$T/again.pdf" --lang km
CHECKS=$((CHECKS + 1)); cmp -s "$T/p-km.pdf" "$T/again.pdf" || fail "printing twice differs"

# The summary: OFFICIAL on every page now; an area's summary.
run 0 K print summary --out "$T/sum.pdf"
pdf sum.pdf; a4 sum.pdf; renders sum.pdf
eq "$(grep -c 'OFFICIAL' "$T/sum.pdf.txt")" "$(pages sum.pdf)" "OFFICIAL on every page"
has sum.pdf.txt "Banteay Meanchey (01)"
run 0 K print summary 0102 --out "$T/sum2.pdf" --lang en
pdf sum2.pdf; has sum2.pdf.txt "Banteay Neang (010201)"

# Form 1102: a page per station, the lists in ballot order, the checks, and
# a QR code (an image of dark squares: the page is not blank at its place).
run 0 K print forms 010201 --out "$T/forms.pdf" --lang en
pdf forms.pdf; a4 forms.pdf; renders forms.pdf
eq "$(pages forms.pdf)" 2 "a form per station"
has forms.pdf.txt "Polling station: 010201-01"; has forms.pdf.txt "Polling station: 010201-02"
CHECKS=$((CHECKS + 1))
tr -d ' ' <"$T/forms.pdf.txt" | grep -qF "A=B+C+D" || fail "Form 1102 lacks its check A = B + C + D"
has forms.pdf.txt "≤ 500"
if command -v zbarimg >/dev/null; then
    pdftoppm -r 150 -f 1 -l 1 -png "$T/forms.pdf" "$T/qr"
    zbarimg -q --raw "$T"/qr-1.png >"$T/qr.txt" 2>/dev/null
    has qr.txt "khum:1102:ac6b9a8ca067fb6c0e1edad39ff518f2b6db6d53413c0da315b55722fc39f65c:010201-01"
else
    echo "note: zbarimg (zbar-tools) is missing: the QR code is not decoded" >&2
fi

# The council certificate on a date, after a resignation.
run 0 K ledger add resign --date 2023-03-01 --commune 010201 --person CPP-1 --reference "letter 7"
run 0 K print council 010201 --on 2023-06-01 --out "$T/c.pdf" --lang en
pdf c.pdf; a4 c.pdf
has c.pdf.txt "Certificate of the commune council"
has c.pdf.txt "2023-03-01"; has c.pdf.txt "CPP candidate"
hasnt c.pdf.txt "CPP candidate 1 "

# Bad input: a clear error, and no file (not even a temporary one).
files() { ls "$T" | grep -v -e '^fc-cache$' -e '^nofonts$' -e '^fonts.conf$' -e '^out$' -e '^err$' -e '^before$' -e '^after$'; }
files >"$T/before"
run 2 K print protocol 999999 --out "$T/bad1.pdf"; has err "[CNL.306]"
run 2 K print council 010201 --on 2031-01-01 --out "$T/bad2.pdf"; has err "[CNL.310]"
run 1 K print summary 99 --out "$T/bad3.pdf"; has err "[PRN.953]"
mkdir -p "$T/nofonts"
printf '<?xml version="1.0"?>\n<fontconfig><dir>%s</dir><cachedir>%s/fc-cache</cachedir></fontconfig>\n' \
    "$T/nofonts" "$T" >"$T/fonts.conf"
FONTCONFIG_FILE="$T/fonts.conf" run 1 K print protocol 010201 --out "$T/bad4.pdf"
has err "no Khmer font"; has err "[PRN.950]"
run 2 K print protocol 010201 --out "$T/bad5.pdf" --lang fr; has err "--lang km, en or both"
run 2 K print protocol 010201; has err "--out FILE.pdf is required"
files >"$T/after"
CHECKS=$((CHECKS + 1)); diff "$T/before" "$T/after" >/dev/null || fail "a refused print left a file: $(diff "$T/before" "$T/after")"
run 0 K print --help; has out "khum print protocol COMMUNE"

# In the bundle: publish --with-protocols adds every commune's protocol,
# hashed in the manifest; verify checks them like any file; a protocol
# printed afterwards with --bundle names the manifest in its footer.
# 18 files: the 16 of any bundle (publish.sh) and the two communes' protocols.
adduser "$DB" chair admin
run 0 "$KHUM" keygen "$T/ncec"
run 0 K publish --out "$T/pub" --key "$T/ncec.key" --user chair --with-protocols
has out "published $T/pub/v000001: 18 files"
grep -q '"name": *"protocol_010201.pdf"' "$T/pub/v000001/manifest.json" || fail "the manifest lists the protocol"
run 0 "$KHUM" verify "$T/pub" --key "$T/ncec.pub"; has out "verified"
pdftotext "$T/pub/v000001/protocol_010202.pdf" "$T/inbundle.txt"
has inbundle.txt "bundle v000001 (listed in its manifest)"
rm -rf "$T/x"; cp -r "$T/pub/v000001" "$T/x"
printf 'X' | dd of="$T/x/protocol_010201.pdf" bs=1 seek=900 conv=notrunc 2>/dev/null
run 1 "$KHUM" verify "$T/x" --key "$T/ncec.pub"
has err "protocol_010201.pdf does not match its SHA-256 in the manifest"; has err "[VER.903]"
rm "$T/x/protocol_010202.pdf"
run 1 "$KHUM" verify "$T/x" --key "$T/ncec.pub"; has err "protocol_010202.pdf is listed in the manifest but missing"
run 0 K print protocol 010201 --out "$T/pb.pdf" --lang en --bundle "$T/pub"
pdftotext "$T/pb.pdf" - | tr -d '\n' >"$T/pb.txt"
has pb.txt "bundle v000001 manifest $(sha256sum "$T/pub/v000001/manifest.json" | cut -c1-40)"


# The same documents from the server: the same bytes as the command line.
. "$(dirname "$0")/lib/http.sh"
start_server "$DB"
E=/api/v1/elections/kh-test-2022
run 0 K print protocol 010201 --out "$T/now.pdf" --lang km
req GET "$E/communes/010201/protocol.pdf?lang=km"; status 200 "protocol.pdf"
CHECKS=$((CHECKS + 1)); cmp -s "$T/out" "$T/now.pdf" || fail "the server's protocol differs from khum print's"
STATUS=$(curl -s -o /dev/null -w '%{content_type}' "$BASE$E/communes/010201/protocol.pdf")
eq "$STATUS" application/pdf "the protocol's content type"
req GET "$E/communes/010201/forms.pdf?lang=en"; status 200 "forms.pdf"
cp "$T/out" "$T/srv-forms.pdf"; eq "$(pages srv-forms.pdf)" 2 "forms.pdf: a page per station"
req GET "$E/summary.pdf"; status 200 "summary.pdf"
req GET "$E/areas/0102/summary.pdf?lang=en"; status 200 "an area's summary.pdf"
req GET "$E/communes/010201/council.pdf?on=2023-06-01&lang=en"; status 200 "council.pdf"
cp "$T/out" "$T/srv-c.pdf"; pdf srv-c.pdf; has srv-c.pdf.txt "Certificate of the commune council"
req GET "$E/communes/010201/council.pdf?on=2031-01-01"; status 422 "a date outside the mandate"
has out "CNL.310"
req GET "$E/communes/010201/council.pdf"; status 400 "council.pdf without ?on"
req GET "$E/communes/999999/protocol.pdf"; status 404 "an unknown commune"; has out "CNL.306"
req GET "$E/communes/010201/protocol.pdf?lang=fr"; status 400 "a bad lang"
req POST "$E/communes/010201/protocol.pdf" '{}'; status 405 "POST on a PDF"
stop_server
finish
