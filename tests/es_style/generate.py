#!/usr/bin/env python3
"""generate.py: a synthetic Spanish-style municipal election, for the
end-to-end test tests/e2e/es_style.sh. Every name and figure is made up.

    generate.py OUT [COUNCILS]

The rule set is Spain's for municipal councils (LOREG art. 163, 179, 180;
../shared/docs/rules-other.md): D'Hondt over the lists that reach 5 % of the
municipality's valid ballots, blank ballots included (art. 96); a tie for
the last seat to the list with more votes, then lots; councils of 3 to 25
seats by population band; provinces with municipalities directly under
them, no level between (INE codes: province 2 digits, municipality 5). Five
national parties (in the registry) and, as in Spain, thousands of local
groupings (in the election's own parties.csv): at 400 councils about 3,000
lists.

OUT gets gazetteer/ (provinces.csv, communes.csv), registry.csv (the
national parties), election/ (election.csv, communes.csv, lists.csv,
stations.csv, parties.csv), results/forms.csv and results/votes.csv (long
format, with blank ballots) and expected.csv (commune,party,seats,head),
the seats computed here independently of khum, with Python's exact
fractions. Two councils are built to sit on the edges of the rules: in
01001 a local list has exactly 5 % of valid+blank (it takes a seat) and one
has one vote fewer than 5 % (it takes none); in 01002 two lists' last
quotients are equal with one seat left (the list with more votes takes it).
"""
import csv
import os
import random
import sys
from fractions import Fraction

PROVINCES = [("01", "Provincia Uno"), ("02", "Provincia Dos"), ("03", "Provincia Tres"),
             ("04", "Provincia Cuatro")]
NATIONAL = [("NA", "Partido Azul"), ("NB", "Partido Blanco"), ("NC", "Partido Carmesí"),
            ("ND", "Partido Dorado"), ("NE", "Partido Esmeralda")]
THRESHOLD = Fraction(5, 100)
# LOREG art. 179: residents -> councillors (the bands up to 100,000).
BANDS = [(100, 3), (250, 5), (1000, 7), (2000, 9), (5000, 11), (10000, 13), (20000, 17),
         (50000, 21), (100000, 25)]


def seats_for(residents):
    return next(s for top, s in BANDS if residents <= top)


def write(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def dhondt(votes, seats, base):
    """Seats per list: D'Hondt over the lists with 100*v >= 5*base; a tie
    for the last seats to the list with more votes (never a draw here)."""
    eligible = [i for i, v in enumerate(votes) if v * 100 >= 5 * base]
    quotients = sorted(((Fraction(votes[i], d), votes[i], i) for i in eligible
                        for d in range(1, seats + 1)), reverse=True)
    won = [0] * len(votes)
    for q in quotients[:seats]:
        won[q[2]] += 1
    if len(quotients) > seats:
        last, nxt = quotients[seats - 1], quotients[seats]
        if last[0] == nxt[0] and last[1] == nxt[1]:
            return None  # a draw would be needed
    return won


def council(rng, code, residents):
    """Lists (party id, votes) and stations (code, registered, forms) of one
    municipality."""
    seats = seats_for(residents)
    registered = residents * 4 // 5
    locals_n = rng.randint(4, 10)
    lists = [p for p, _ in NATIONAL] + ["L%s-%d" % (code, k) for k in range(1, locals_n + 1)]
    nst = max(1, min(6, registered // 400))
    stations = []
    left = registered
    for s in range(nst):
        reg = left if s == nst - 1 else registered // nst
        left -= reg
        stations.append(["%s-%02d" % (code, s + 1), reg])
    return seats, lists, stations


def split_votes(rng, total, lists):
    weights = [rng.random() ** 2 for _ in lists]
    s = sum(weights)
    votes = [int(total * w / s) for w in weights]
    votes[0] += total - sum(votes)
    return votes


# The two councils on the edges of the rules: seats, one station's
# registered, blank, invalid and the votes of lists by id (others 0).
EDGES = {
    # valid+blank = 1,980 + 20 = 2,000: L01001-1's 100 is exactly 5 % and
    # takes a seat; L01001-2's 99 takes none, though it is 5 % of the 1,980
    # valid ballots alone and would take one on that base.
    "01001": (21, 2500, 20, 10, {"NA": 900, "NB": 500, "NC": 381, "L01001-1": 100,
                                 "L01001-2": 99}),
    # NA 600, NB 400, NC 300: the fifth seat lies between NA's 600/3 and
    # NB's 400/2, both 200: NA, with more votes, takes it (NB by fewer-votes).
    "01002": (5, 2000, 20, 5, {"NA": 600, "NB": 400, "NC": 300}),
}


def edge_council(code, lst):
    seats, reg, blank, invalid, given = EDGES[code]
    v = [given.get(p, 0) for p in lst]
    valid = sum(v)
    cast = valid + blank + invalid
    return seats, [["%s-01" % code, reg]], [["%s-01" % code, reg, cast, cast, 0, 0, valid,
                                               blank, invalid]], [v]


def main(out, ncouncils):
    rng = random.Random(2025)
    munis = []
    for i in range(ncouncils):
        prov = PROVINCES[i % len(PROVINCES)][0]
        munis.append(("%s%03d" % (prov, i // len(PROVINCES) + 1),
                      rng.choice([240, 800, 1800, 4500, 9000, 18000, 40000])))
    write(os.path.join(out, "gazetteer/provinces.csv"),
          ["code", "name_latin", "unit_latin", "unit_en"],
          [[c, n, "Provincia", "Province"] for c, n in PROVINCES])
    write(os.path.join(out, "gazetteer/communes.csv"),
          ["code", "district_code", "province_code", "name_latin", "unit_latin", "unit_en"],
          [[c, "", c[:2], "Municipio %s" % c, "Municipio", "Municipality"] for c, _ in munis])
    write(os.path.join(out, "registry.csv"), ["id", "abbr", "name_en"],
          [[p, p, n] for p, n in NATIONAL])

    communes, lists, stations, local, forms, votes, expected = [], [], [], [], [], [], []
    for code, residents in munis:
        seats, lst, sts = council(rng, code, residents)
        won = None
        while won is None:  # votes again where only a draw would settle a seat
            station_forms, station_votes = [], []
            if code in EDGES:
                seats, sts, station_forms, station_votes = edge_council(code, lst)
            council_forms, council_votes, totals, valid_blank = [], [], [0] * len(lst), 0
            for s, reg in sts:
                if not station_forms:
                    cast = reg * rng.randint(45, 75) // 100
                    invalid = cast * rng.randint(0, 3) // 100
                    blank = cast * rng.randint(0, 4) // 100
                    station_forms.append([s, reg, cast, cast, 0, 0, cast - invalid - blank,
                                          blank, invalid])
                    station_votes.append(split_votes(rng, cast - invalid - blank, lst))
                form, v = station_forms.pop(0), station_votes.pop(0)
                council_forms.append(form)
                council_votes.extend([s, p, x] for p, x in zip(lst, v))
                totals = [a + b for a, b in zip(totals, v)]
                valid_blank += form[6] + form[7]
            won = dhondt(totals, seats, valid_blank)
            top = sorted(totals, reverse=True)
            if len(top) > 1 and top[0] == top[1]:
                won = None  # equal votes for the head: lots too
        communes.append([code, seats])
        lists.extend([code, p, k + 1] for k, p in enumerate(lst))
        local.extend([p, p, "Agrupación local %s" % p] for p in lst if p.startswith("L"))
        stations.extend([s, code, reg] for s, reg in sts)
        forms.extend(council_forms)
        votes.extend(council_votes)
        head = max(range(len(lst)), key=lambda i: (totals[i], -i))
        # a list no one voted for is in no table (it holds no seat and no head)
        expected.extend([code, p, won[i], 1 if i == head else 0] for i, p in enumerate(lst)
                        if totals[i] > 0)

    e = os.path.join(out, "election")
    write(os.path.join(e, "election.csv"),
          ["id", "name", "date", "mandate", "method", "tie_rule", "synthetic", "threshold",
           "threshold_base", "posts"],
          [["es-style-synthetic", "Synthetic Spanish-style municipal election", "2027-05-23",
            "1", "dhondt", "more-votes>lots", "1", "5", "valid+blank", "head"]])
    write(os.path.join(e, "communes.csv"), ["commune", "seats"], communes)
    write(os.path.join(e, "lists.csv"), ["commune", "party", "ballot_no"], lists)
    write(os.path.join(e, "stations.csv"), ["station", "commune", "registered"], stations)
    write(os.path.join(e, "parties.csv"), ["id", "abbr", "name_en"], local)
    r = os.path.join(out, "results")
    write(os.path.join(r, "forms.csv"),
          ["station", "registered", "received", "cast", "spoiled", "unused", "valid", "blank",
           "invalid"], forms)
    write(os.path.join(r, "votes.csv"), ["station", "party", "votes"], votes)
    write(os.path.join(out, "expected.csv"), ["commune", "party", "seats", "head"],
          sorted(expected))


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 400)
