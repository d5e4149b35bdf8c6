#!/usr/bin/env python3
"""validate.py FILE: a NIST SP 1500-100 v2 JSON document against the
schema beside this file; every error with its path, exit 1 on any."""
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "NIST_V2_election_results_reporting.json")) as f:
    schema = json.load(f)
with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
errors = list(jsonschema.Draft4Validator(schema).iter_errors(doc))
for e in errors[:20]:
    print("/".join(str(p) for p in e.absolute_path) or "(root)", ":", e.message[:200])
print("%d schema errors" % len(errors))
sys.exit(1 if errors else 0)
