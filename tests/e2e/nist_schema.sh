# nist_schema.sh: `khum export --format nist-1500-100` validates against the
# official NIST SP 1500-100 v2 JSON schema (tests/data/nist, public domain):
# provisional and certified, with Khmer and English names where the schema
# takes internationalized text.
. "$(dirname "$0")/lib/assert.sh"

# The validator needs Python's jsonschema (Debian python3-jsonschema, which
# scripts/install-deps installs for /usr/bin/python3).
PY=python3
$PY -c 'import jsonschema' 2>/dev/null || PY=/usr/bin/python3
VALIDATE="$KHUM_TESTDATA/nist/validate.py"

DB=$(newdb nist)
K() { "$KHUM" "$@" --db "$DB"; }
run 0 K import gazetteer "$KHUM_TESTDATA/mini-gazetteer" -q
run 0 K import parties "$KHUM_SRC/data/parties/kh.csv" -q
run 0 K election import "$KHUM_TESTDATA/mini-election"
run 0 K import results "$KHUM_TESTDATA/mini-election/results.csv" -q
run 0 K export --format nist-1500-100 --out "$T/prov.json"
run 0 $PY "$VALIDATE" "$T/prov.json"; has out "0 schema errors"
has prov.json '"Status": "unofficial-complete"'
has prov.json '"@type": "ElectionResults.ElectionReport"'
has prov.json '"Language": "km"'
has prov.json '"Content": "បន្ទាយនាង"'
run 0 K official
run 0 K export --format nist-1500-100 --out "$T/cert.json"
run 0 $PY "$VALIDATE" "$T/cert.json"; has out "0 schema errors"
has cert.json '"Status": "certified"'
# The validator itself finds a broken document.
sed 's/"ElectionResults.PartyContest"/"PartyContest"/' "$T/cert.json" >"$T/bad.json"
run 1 $PY "$VALIDATE" "$T/bad.json"; hasnt out "0 schema errors"
finish
