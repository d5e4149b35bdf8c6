#!/usr/bin/env python3
"""validate.py FILE: a `khum ledger export --format popolo` document against
the Popolo schemas beside this file (draft 3, referring to each other by
their www.popoloproject.com addresses, resolved here from the local copies,
never the network): every person, organization, membership, post and area;
each error with its place, exit 1 on any."""
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
store = {}
for name in os.listdir(HERE):
    if name.endswith(".json"):
        with open(os.path.join(HERE, name)) as f:
            schema = json.load(f)
        store[schema["id"].rstrip("#")] = schema
        store[schema["id"]] = schema

with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
errors = 0
for key, kind in (("persons", "person"), ("organizations", "organization"),
                  ("memberships", "membership"), ("posts", "post"), ("areas", "area")):
    schema = store["http://www.popoloproject.com/schemas/%s.json" % kind]
    resolver = jsonschema.RefResolver.from_schema(schema, store=store)
    validator = jsonschema.Draft3Validator(schema, resolver=resolver)
    for i, item in enumerate(doc.get(key, [])):
        for e in validator.iter_errors(item):
            errors += 1
            if errors <= 20:
                print("%s/%d/%s: %s" % (key, i, "/".join(map(str, e.absolute_path)),
                                        e.message[:200]))
print("%d schema errors in %d persons, %d organizations, %d memberships" % (
    errors, len(doc.get("persons", [])), len(doc.get("organizations", [])),
    len(doc.get("memberships", []))))
sys.exit(1 if errors else 0)
