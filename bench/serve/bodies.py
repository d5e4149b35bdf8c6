# bodies.py RESULTS_CSV: one line per station, "station<TAB>JSON body" of a
# form entry (POST .../forms/STATION/entries), for wrk's entries.lua. Used by
# bench/serve and bench/store.
import csv, json, sys

fixed = ["registered", "received", "cast", "spoiled", "unused", "valid", "invalid"]
for row in csv.DictReader(open(sys.argv[1])):
    body = {k: int(row[k]) for k in fixed}
    body["votes"] = {k: int(v) for k, v in row.items()
                     if k not in fixed + ["station", "explanation"] and v != ""}
    print(row["station"] + "\t" + json.dumps(body, separators=(",", ":")))
