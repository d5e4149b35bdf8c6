#!/usr/bin/python3
"""bench/tabulate/peer_pandas.py: the pandas peer of bench_tabulate: read the
station forms of a SYNTHETIC election, sum them per commune and nationally,
allocate every commune's seats by D'Hondt (the statutory Cambodian procedure
gives the same seats), and print the time (first run and best of five, in one
process, as bench_tabulate times khum) and the national seats.

usage: peer_pandas.py ELECTION_DIR [sainte-lague]   (divisors 1, 3, 5 ... instead of 1, 2, 3)
"""
import sys
import time

import pandas as pd

FIELDS = ("station", "registered", "received", "cast", "spoiled", "unused", "valid",
          "invalid", "explanation")


def tabulate(d, odd=False):
    t0 = time.perf_counter()
    res = pd.read_csv(f"{d}/results.csv", dtype={"station": str, "explanation": str})
    st = pd.read_csv(f"{d}/stations.csv", dtype={"station": str, "commune": str})
    co = pd.read_csv(f"{d}/communes.csv", dtype={"commune": str})
    parties = [c for c in res.columns if c not in FIELDS]
    res = res.merge(st[["station", "commune"]], on="station")
    national = res[["registered", "cast", "valid", "invalid"]].sum()
    long = res.melt(id_vars=["commune"], value_vars=parties, var_name="party",
                    value_name="votes").dropna()
    votes = long.groupby(["commune", "party"], sort=True)["votes"].sum().reset_index()
    votes = votes[votes["votes"] > 0]
    votes["magnitude"] = votes["commune"].map(co.set_index("commune")["seats"])
    q = votes.loc[votes.index.repeat(votes["magnitude"])].copy()
    q["divisor"] = q.groupby(["commune", "party"]).cumcount() + 1
    q["quotient"] = q["votes"] / ((2 * q["divisor"] - 1) if odd else q["divisor"])
    q = q.sort_values(["commune", "quotient", "votes"], ascending=[True, False, False])
    q["rank"] = q.groupby("commune").cumcount() + 1
    seats = q[q["rank"] <= q["magnitude"]].groupby("party").size()
    party_votes = long.groupby("party")["votes"].sum()
    elapsed = time.perf_counter() - t0
    return elapsed, national, seats, party_votes


def main():
    odd = len(sys.argv) > 2 and sys.argv[2] == "sainte-lague"
    runs = [tabulate(sys.argv[1], odd) for _ in range(int(sys.argv[3]) if len(sys.argv) > 3 else 5)]
    elapsed, national, seats, party_votes = runs[0]
    best = min(r[0] for r in runs)
    print("pandas: first run %.1f ms, best of %d %.1f ms (registered %d, cast %d, %d parties)" %
          (elapsed * 1e3, len(runs), best * 1e3, national["registered"], national["cast"],
           len(party_votes)))
    print("pandas seats: " + " ".join("%s=%d" % (p, n) for p, n in sorted(seats.items())))


if __name__ == "__main__":
    main()
