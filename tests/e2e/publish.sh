# publish.sh: signed bundles. keygen, publish, verify; nothing new gives no
# new version; a change gives v2 while v1 stays and still verifies; a
# changed byte in any file, a wrong key, an extra or a missing file all
# fail verification with their codes. The versions form a chain (each
# manifest names the previous one's SHA-256): a rolled-back `current`, a
# relabelled or a missing version fail; keygen never writes through a
# symlink or over a key; a secret key is only read from a file; two
# publishes at once take turns and share no temporary folder.
. "$(dirname "$0")/lib/assert.sh"

DB=$(newdb p)
K() { "$KHUM" "$@" --db "$DB"; }
V() { "$KHUM" verify "$@" --key "$T/ncec.pub"; }
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
adduser "$DB" chair admin
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$KHUM_TESTDATA/mini-election"
run 0 K import results "$KHUM_TESTDATA/mini-election/results.csv" --user chair -q
run 0 K official --user chair
run 0 "$KHUM" keygen "$T/ncec"; has out "public key "
run 1 "$KHUM" keygen "$T/ncec"; has err "[VER.922]"
[ "$(stat -c %a "$T/ncec.key")" = 600 ] || fail "secret key mode 600"
P="$T/pub"
run 0 K publish --out "$P" --key "$T/ncec.key"; has out "published $P/v000001: 16 files"
eq "$(cat "$P/current")" v000001 "current"
run 0 V "$P"
has out "verified: version 1 of election kh-test-2022"; has out "3 forms summed"
has out "2 communes' seats recomputed: no difference"
has out "chain of 1 version intact, current v000001 is the newest"
run 0 K publish --out "$P" --key "$T/ncec.key"; has out "nothing changed since v000001"

# Any write since (here a user added; lots no longer: both communes are
# official, CNT.823) makes v2; v1 stays as it was and still verifies, in its
# place in the chain.
run 1 K lots 010202 public-draw-1; has err "[CNT.823]"
adduser "$DB" auditor2 clerk 01
run 0 K publish --out "$P" --key "$T/ncec.key"; has out "published $P/v000002"
eq "$(cat "$P/current")" v000002 "current moves"
run 0 V "$P/v000001"; has out "version 1"; has out "version 1 of 2 in $P"
run 0 V "$P"; has out "version 2"; has out "chain of 2 versions intact"
grep -q '"previous"' "$P/v000002/manifest.json" || fail "v2's manifest names the previous one"

# Tampering: each file with one byte changed.
for f in $(ls "$P/v000002"); do
    rm -rf "$T/x"; cp -r "$P/v000002" "$T/x"
    printf 'X' | dd of="$T/x/$f" bs=1 seek=3 conv=notrunc 2>/dev/null
    run 1 V "$T/x"
    case $f in
    manifest.json|manifest.sig) has err "[VER.901]" ;;
    *) has err "$f does not match its SHA-256 in the manifest"; has err "[VER.903]" ;;
    esac
done
"$KHUM" keygen "$T/other" >/dev/null 2>&1
run 1 "$KHUM" verify "$P" --key "$T/other.pub"; has err "[VER.901]"
rm -rf "$T/x"; cp -r "$P/v000002" "$T/x"; echo extra >"$T/x/extra.csv"
run 1 V "$T/x"; has err "extra.csv is not in the manifest [VER.904]"
rm "$T/x/extra.csv" "$T/x/forms.csv"
run 1 V "$T/x"; has err "[VER.902]"
run 2 "$KHUM" verify "$P"; has err "--key"
# The secret key given as the public one: a usage error, said as such.
run 2 "$KHUM" verify "$P" --key "$T/ncec.key"; has err "holds a secret key"; has err "[VER.924]"
hasnt out "verified"
# A changed figure fails its file's hash, and the recount still runs: it
# names the total the change would break.
rm -rf "$T/x"; cp -r "$P/v000002" "$T/x"
sed -i '2s/,\([0-9]*\)$/,1\1/' "$T/x/form_votes.csv"
run 1 V "$T/x"; has err "[VER.903]"; has err "[VER.915]"
# A failed check is a failure, never a "warning".
rm -rf "$T/x"; cp -r "$P/v000002" "$T/x"; printf 'X' | dd of="$T/x/forms.csv" bs=1 seek=3 conv=notrunc 2>/dev/null
run 1 V "$T/x"; has err "khum verify: FAILED: "; hasnt err "warning"

# Rolled back: `current` names v000001 while v000002 exists.
rm -rf "$T/rb"; cp -r "$P" "$T/rb"; echo v000001 >"$T/rb/current"
run 1 V "$T/rb"; has err "[VER.944]"; has out FAILED
# A publish puts `current` right again (as after one that stopped before moving it).
run 0 K publish --out "$T/rb" --key "$T/ncec.key"; has out "nothing changed since v000002"
eq "$(cat "$T/rb/current")" v000002 "current moved forward"
run 0 V "$T/rb"
# Relabelled: a copy of v000001 in a folder v000009, alone or in the publication.
rm -rf "$T/rl"; mkdir "$T/rl"; cp -r "$P/v000001" "$T/rl/v000009"
run 1 V "$T/rl/v000009"; has err "[VER.941]"; hasnt out "verified"
rm -rf "$T/rl"; cp -r "$P" "$T/rl"; cp -r "$P/v000001" "$T/rl/v000003"; echo v000003 >"$T/rl/current"
run 1 V "$T/rl"; has err "[VER.941]"
# A missing middle version: v000002 removed once v000003 exists.
adduser "$DB" auditor3 clerk 01   # a write: something new to publish
run 0 K publish --out "$P" --key "$T/ncec.key"; has out "published $P/v000003"
run 0 V "$P"; has out "chain of 3 versions intact, current v000003 is the newest"
rm -rf "$T/mm"; cp -r "$P" "$T/mm"; rm -r "$T/mm/v000002"
run 1 V "$T/mm"; has err "[VER.942]"; has err "v000002"
run 1 V "$T/mm/v000003"; has err "[VER.942]"
# Publish adds no version to a broken chain.
run 1 K publish --out "$T/mm" --key "$T/ncec.key"; has err "[VER.942]"
[ ! -e "$T/mm/v000004" ] || fail "no version added to a broken chain"

# keygen never writes through a symlink, nor over an existing public key.
ln -s "$T/elsewhere" "$T/sl.key"
run 1 "$KHUM" keygen "$T/sl"; has err "[VER.922]"
[ ! -e "$T/elsewhere" ] || fail "keygen wrote the secret key through a symlink"
echo keep >"$T/po.pub"
run 1 "$KHUM" keygen "$T/po"; has err "[VER.922]"
eq "$(cat "$T/po.pub")" keep "an existing public key is not overwritten"
[ ! -e "$T/po.key" ] || fail "no secret key is left without its public key"

# A secret key is read only from a file, never taken from the command line.
run 2 K publish --out "$T/hex" --key "$(cat "$T/ncec.key")"; has err "[VER.923]"
[ ! -e "$T/hex/v000001" ] || fail "no bundle signed with a key given on the command line"

# A temporary folder some other publish left is not used.
mkdir -p "$T/tf/.v000001.tmp"; echo planted >"$T/tf/.v000001.tmp/planted.csv"
run 0 K publish --out "$T/tf" --key "$T/ncec.key"
[ ! -e "$T/tf/v000001/planted.csv" ] || fail "publish wrote into a temporary folder it did not make"
run 0 V "$T/tf"
# While another publish holds the lock, publish waits for it.
mkdir "$T/lk"
flock "$T/lk/.lock" sleep 3 & holder=$!
sleep 0.5
K publish --out "$T/lk" --key "$T/ncec.key" >"$T/lk.out" 2>&1 & p=$!
sleep 1.5
[ ! -e "$T/lk/current" ] || fail "publish did not wait for the lock"
wait $p || fail "publish after the lock was released"
wait $holder
grep -qF "published $T/lk/v000001" "$T/lk.out" || fail "published after the wait: $(cat "$T/lk.out")"
# Two publishes at once: one makes v000001, the other then finds nothing new.
mkdir "$T/two"
K publish --out "$T/two" --key "$T/ncec.key" >"$T/two.a" 2>&1 & a=$!
K publish --out "$T/two" --key "$T/ncec.key" >"$T/two.b" 2>&1 & b=$!
wait $a; ra=$?; wait $b; rb=$?
eq "$ra $rb" "0 0" "both publishes succeed"
eq "$(cat "$T/two.a" "$T/two.b" | grep -c "published $T/two/v000001")" 1 "one publishes v000001"
eq "$(cat "$T/two.a" "$T/two.b" | grep -c "nothing changed since v000001")" 1 "the other finds nothing new"
eq "$(ls -A "$T/two" | grep -v '^\.lock$' | tr '\n' ' ')" "current v000001 " "no temporary folder left"
run 0 V "$T/two"
run 0 V "$T/two/v000001"
finish
