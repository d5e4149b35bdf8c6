# assert.sh: helpers for the end-to-end tests of the khum binary (sourced).
# $KHUM is the binary under test; each test works in its own temporary folder.
set -u
: "${KHUM:?KHUM must name the khum binary}"
: "${KHUM_TESTDATA:?}"
T=$(mktemp -d /tmp/khum-e2e.XXXXXX)
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

# The backend under test: KHUM_TEST_BACKEND=postgresql runs the same script
# against PostgreSQL (KHUM_TEST_PG names a database of a role that may
# create databases; scripts/pg-start makes one), otherwise SQLite files.
BACKEND=${KHUM_TEST_BACKEND:-sqlite}
# Every write names an existing user allowed to make it (README, "Users"):
# newdb bootstraps the administrator "admin" and the scripts act as it unless
# they name another user, which adduser makes.
PW=correct-horse-9
export KHUM_USER=admin
# newdb NAME [--empty]: a new database holding only the administrator
# "admin" (with --empty: nothing at all).
newdb() {
    db=$(emptydb "$1") || { echo "$db"; return 1; }
    [ "${2:-}" = --empty ] || bootstrap "$db"
    echo "$db"
}
# bootstrap DB: add the first administrator, "admin", as nobody (no --user).
bootstrap() {
    echo "$PW" | KHUM_USER= "$KHUM" user add admin --role admin --db "$1" >/dev/null 2>&1 ||
        fail "bootstrap admin in $1"
}
# adduser DB NAME ROLE [SCOPE]: a user added by admin (password $PW).
adduser() {
    echo "$PW" | "$KHUM" user add "$2" --role "$3" --scope "${4:-}" --db "$1" --user admin \
        >/dev/null 2>"$T/adduser.err" || { fail "user add $2"; cat "$T/adduser.err" >&2; }
}
# emptydb NAME: a new, empty database: a file in $T, or a PostgreSQL database
# (newdb NAME --empty says the same where a script is to run on both backends).
emptydb() {
    if [ "$BACKEND" = postgresql ]; then
        if [ -z "${KHUM_TEST_PG:-}" ]; then
            echo "KHUM_TEST_PG must name a PostgreSQL database (scripts/pg-start)" >&2
            echo "postgresql://KHUM_TEST_PG-is-not-set@127.0.0.1:1/none"
            return 1
        fi
        name="t_$(date +%s%N | tail -c 10)_$$_$1"
        psql "$KHUM_TEST_PG" -qAt -c "CREATE DATABASE $name" >/dev/null || fail "createdb $name"
        echo "$name" >>"$T/pg-databases"   # newdb runs in a subshell: keep the names in a file
        echo "${KHUM_TEST_PG%/*}/$name"
    else
        echo "$T/$1.db"
    fi
}
drop_pg_dbs() {
    [ -f "$T/pg-databases" ] || return 0
    for d in $(cat "$T/pg-databases"); do psql "$KHUM_TEST_PG" -qAt -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1; done
}
trap 'drop_pg_dbs; rm -rf "$T"' EXIT

# sql DB QUERY: one value from the database (sqlite3 or psql).
sql() {
    case $1 in
    postgres*) psql "$1" -qAt -c "$2" ;;
    *) sqlite3 "$1" "$2" ;;
    esac
}
# dbdump DB: every table's rows, to compare before and after.
dbdump() {
    case $1 in
    postgres*) pg_dump --data-only --inserts --no-owner "$1" | grep '^INSERT' | sort ;;
    *) sqlite3 "$1" .dump ;;
    esac
}

finish() {
    if [ "$FAILS" -ne 0 ]; then
        echo "$FAILS of $CHECKS checks failed" >&2
        exit 1
    fi
    echo "$CHECKS checks passed"
    exit 0
}
