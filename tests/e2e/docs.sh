# docs.sh: every rule code the source can produce is documented in
# docs/errors.md, and the README opens with the two commands.
. "$(dirname "$0")/lib/assert.sh"
: "${KHUM_SRC:?}"
codes=$(grep -rohE '(CSV|GEO|POP|SEAT|PTY|ALC|DB|IO|ELE|CNT|R|SYN|CNL|LED|AUTH|AUD|REQ|HTTP|SRV|VER|RLA|PRN)\.[0-9]{3}' "$KHUM_SRC/src" | sort -u)
for c in $codes; do
    CHECKS=$((CHECKS + 1))
    grep -q "^| $c |" "$KHUM_SRC/docs/errors.md" || fail "docs/errors.md does not list $c"
done
# Form checks are listed in docs/checks.md.
for c in $(grep -rohE '(F|W)\.[0-9]{3}' "$KHUM_SRC/src" | sort -u); do
    CHECKS=$((CHECKS + 1))
    grep -q "^| $c |" "$KHUM_SRC/docs/checks.md" || fail "docs/checks.md does not list $c"
done
[ "$(echo "$codes" | wc -l)" -ge 100 ] || fail "expected at least 100 codes in the source"
first=$(grep -m2 '^make ' "$KHUM_SRC/README.md" | cut -c1-10 | tr '\n' '|')
eq "$first" "make demo |make check|" "the README's first two commands"
finish
