#!/usr/bin/python3
"""bench/alloc/peer.py: the peer for bench_alloc: a plain Python implementation
of the same statutory procedure (quota floor(V/S), floor(v/quota) seats, then
the remaining seats one at a time to the highest v/(s+1), ties to more votes
and then to the lot key khum uses), over the same SYNTHETIC communes. Prints
communes per second and the same checksum of seats as bench_alloc, so both
are known to give the same answers. Integers only, like khum.

usage: peer.py FILE.csv ROUNDS
"""
import csv
import hashlib
import sys
import time


def lot_key(seed, district, draw, party):
    text = "khum-lot-v1\n%s\n%s\n%d\n%s" % (seed, district, draw, party)
    return hashlib.sha256(text.encode()).hexdigest()


def dhondt_continue(district, names, votes, seats, remaining, seed):
    """D'Hondt from the current seats; equal averages straddling the last
    seat go to more votes, then to the smallest lot key."""
    draws = 0
    while remaining > 0:
        best, tied = None, []
        for i in sorted(range(len(names)), key=lambda i: names[i]):
            if votes[i] == 0:
                continue
            num, den = votes[i], seats[i] + 1
            if best is None or num * best[1] > best[0] * den:
                best, tied = (num, den), [i]
            elif num * best[1] == best[0] * den:
                tied.append(i)
        if len(tied) <= remaining:
            for i in tied:
                seats[i] += 1
            remaining -= len(tied)
            continue
        tied.sort(key=lambda i: -votes[i])
        edge = votes[tied[remaining - 1]]
        sure = [i for i in tied if votes[i] > edge]
        group = [i for i in tied if votes[i] == edge]
        left = remaining - len(sure)
        if left < len(group):
            draws += 1
            group.sort(key=lambda i: lot_key(seed, district, draws, names[i]))
        for i in sure + group[:left]:
            seats[i] += 1
        remaining = 0
    return seats


def cambodia(district, names, votes, magnitude, seed):
    total = sum(votes)
    quota = total // magnitude
    seats = [0] * len(votes)
    if quota > 0:
        seats = [v // quota for v in votes]
        if sum(seats) > magnitude:
            seats = [0] * len(votes)
    return dhondt_continue(district, names, votes, seats, magnitude - sum(seats), seed)


def main():
    path, rounds = sys.argv[1], int(sys.argv[2])
    districts = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            d = districts.setdefault(row["district"], [int(row["seats"]), [], []])
            d[1].append(row["party"])
            d[2].append(int(row["votes"]))
    items = list(districts.items())
    checksum = 0
    for name, (mag, names, votes) in items:
        for s in cambodia(name, names, votes, mag, "bench"):
            checksum = (checksum * 31 + s) % (1 << 64)
    start = time.perf_counter()
    for _ in range(rounds):
        for name, (mag, names, votes) in items:
            cambodia(name, names, votes, mag, "bench")
    elapsed = time.perf_counter() - start
    n = len(items) * rounds
    print("python    cambodia  %d communes x %d rounds: %.0f communes/s (%.3f us each), "
          "checksum %016x" % (len(items), rounds, n / elapsed, elapsed * 1e6 / n, checksum))


if __name__ == "__main__":
    main()
