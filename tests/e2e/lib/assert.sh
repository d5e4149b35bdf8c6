# assert.sh: helpers for the end-to-end tests of the khum binary (sourced).
# $KHUM is the binary under test; each test works in its own temporary folder.
set -u
: "${KHUM:?KHUM must name the khum binary}"
: "${KHUM_TESTDATA:?}"
T=$(mktemp -d /tmp/khum-e2e.XXXXXX)
trap 'rm -rf "$T"' EXIT
FAILS=0
CHECKS=0

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }

# run EXPECTED_STATUS CMD...: run, keep stdout in $T/out and stderr in $T/err.
run() {
    want=$1; shift
    CHECKS=$((CHECKS + 1))
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        fail "exit $got (wanted $want): $*"
        sed 's/^/  stderr: /' "$T/err" | head -20 >&2
    fi
}

# has FILE TEXT: FILE (out or err) contains TEXT literally.
has() {
    CHECKS=$((CHECKS + 1))
    grep -qF -- "$2" "$T/$1" || { fail "$1 lacks: $2"; sed "s/^/  $1: /" "$T/$1" | head -20 >&2; }
}
hasnt() {
    CHECKS=$((CHECKS + 1))
    ! grep -qF -- "$2" "$T/$1" || fail "$1 has unexpected: $2"
}

# eq A B MESSAGE
eq() {
    CHECKS=$((CHECKS + 1))
    [ "$1" = "$2" ] || fail "$3: got '$1', wanted '$2'"
}

# sql DB QUERY: one value from the database (sqlite3 CLI).
sql() { sqlite3 "$1" "$2"; }

finish() {
    if [ "$FAILS" -ne 0 ]; then
        echo "$FAILS of $CHECKS checks failed" >&2
        exit 1
    fi
    echo "$CHECKS checks passed"
    exit 0
}
