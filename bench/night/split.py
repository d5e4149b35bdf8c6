# split.py RESULTS_CSV STATIONS_CSV OUT_DIR: the forms of bench/night. Every
# 20th commune goes to the probe (probe.txt: "commune<TAB>station<TAB>json",
# forms without a warning to explain, so that two agreeing entries accept
# them); every other station to the clerks (clerks.txt: "station<TAB>json").
import csv, json, sys

fixed = ["registered", "received", "cast", "spoiled", "unused", "valid", "invalid"]
commune_of = {r["station"]: r["commune"] for r in csv.DictReader(open(sys.argv[2]))}
order = []
for c in commune_of.values():
    if not order or order[-1] != c:
        order.append(c)
probe_communes = set(order[::20])
with open(sys.argv[3] + "/clerks.txt", "w") as clerks, \
     open(sys.argv[3] + "/probe.txt", "w") as probe:
    for row in csv.DictReader(open(sys.argv[1])):
        body = {k: int(row[k]) for k in fixed}
        body["votes"] = {k: int(v) for k, v in row.items()
                         if k not in fixed + ["station", "explanation"] and v != ""}
        text = json.dumps(body, separators=(",", ":"))
        commune = commune_of[row["station"]]
        if commune not in probe_communes:
            clerks.write(row["station"] + "\t" + text + "\n")
        elif not row["explanation"]:
            probe.write(commune + "\t" + row["station"] + "\t" + text + "\n")
