# publish.sh: signed bundles. keygen, publish, verify; nothing new gives no
# new version; a change gives v2 while v1 stays and still verifies; a
# changed byte in any file, a wrong key, an extra or a missing file all
# fail verification with their codes.
. "$(dirname "$0")/lib/assert.sh"

DB=$(newdb p)
K() { "$KHUM" "$@" --db "$DB"; }
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$KHUM_TESTDATA/mini-election"
run 0 K import results "$KHUM_TESTDATA/mini-election/results.csv" --user clerk -q
run 0 K official --user chair
run 0 "$KHUM" keygen "$T/ncec"; has out "public key "
run 1 "$KHUM" keygen "$T/ncec"; has err "[VER.922]"
[ "$(stat -c %a "$T/ncec.key")" = 600 ] || fail "secret key mode 600"
P="$T/pub"
run 0 K publish --out "$P" --key "$T/ncec.key"; has out "published $P/v000001: 15 files"
eq "$(cat "$P/current")" v000001 "current"
run 0 "$KHUM" verify "$P" --key "$T/ncec.pub"
has out "verified: version 1 of election kh-test-2022"; has out "3 forms summed"
has out "2 communes' seats recomputed: no difference"
run 0 K publish --out "$P" --key "$T/ncec.key"; has out "nothing changed since v000001"

# Any write since (here a user added; lots no longer: both communes are
# official, CNT.823) makes v2; v1 stays as it was and still verifies.
run 1 K lots 010202 public-draw-1 --user chair; has err "[CNT.823]"
echo correct-horse-9 | "$KHUM" user add auditor2 --role clerk --scope 01 --db "$DB" >/dev/null 2>&1 || fail "user add"
run 0 K publish --out "$P" --key "$T/ncec.key"; has out "published $P/v000002"
eq "$(cat "$P/current")" v000002 "current moves"
run 0 "$KHUM" verify "$P/v000001" --key "$T/ncec.pub"; has out "version 1"
run 0 "$KHUM" verify "$P" --key "$T/ncec.pub"; has out "version 2"

# Tampering: each file with one byte changed.
for f in $(ls "$P/v000002"); do
    rm -rf "$T/x"; cp -r "$P/v000002" "$T/x"
    printf 'X' | dd of="$T/x/$f" bs=1 seek=3 conv=notrunc 2>/dev/null
    run 1 "$KHUM" verify "$T/x" --key "$T/ncec.pub"
    case $f in
    manifest.json|manifest.sig) has err "[VER.901]" ;;
    *) has err "$f does not match its SHA-256 in the manifest"; has err "[VER.903]" ;;
    esac
done
"$KHUM" keygen "$T/other" >/dev/null 2>&1
run 1 "$KHUM" verify "$P" --key "$T/other.pub"; has err "[VER.901]"
rm -rf "$T/x"; cp -r "$P/v000002" "$T/x"; echo extra >"$T/x/extra.csv"
run 1 "$KHUM" verify "$T/x" --key "$T/ncec.pub"; has err "extra.csv is not in the manifest [VER.904]"
rm "$T/x/extra.csv" "$T/x/forms.csv"
run 1 "$KHUM" verify "$T/x" --key "$T/ncec.pub"; has err "[VER.902]"
run 2 "$KHUM" verify "$P"; has err "--key"
finish
