#!/usr/bin/env python3
"""convert.py: Portugal's municipal elections of 12 October 2025 (official
MAI results as published by PUBLICO, ../shared/data/pt-2025, CC BY 4.0) as
khum's input files, for the end-to-end test tests/e2e/pt2025.sh.

    convert.py SRC OUT

SRC is the pt-2025 folder (read, never copied into the repository). OUT gets
  gazetteer/provinces.csv   the districts and autonomous islands (DICOFRE 2)
  gazetteer/communes.csv    the 308 concelhos (DICOFRE 4), each directly
                            under its district: no level between them
  election/                 election.csv (D'Hondt, no threshold, ties to
                            the list with fewer votes then lots, only a head
                            of council: LEOAL, Lei 169/99), communes.csv
                            (seats), lists.csv, stations.csv (each of the
                            3,259 parishes counted as one polling station),
                            parties.csv (the lists' own labels)
  results/forms.csv         one form per parish, long format, with blank and
                            an explanation (the source) for any warning
  results/votes.csv         one row per parish and list
  expected.csv              commune,party,seats,head: the official answer

The data give no ballot papers received or left unused per parish, so a
form says received = cast and spoiled = unused = 0; nor the ballot order of
the lists, so a council's lists are numbered in the order of the source file
(which no rule of this election reads: its ties go by votes, then lots).
A list label becomes a khum party id of letters, digits and '-' (B.E. ->
B-E, PPD/PSD.MPT -> PPD-PSD-MPT), numbered when two labels meet on one id;
the label itself stays the list's abbreviation."""
import csv
import os
import re
import sys

# DICOFRE district and island codes (the first two characters of a code).
PROVINCES = {
    "01": "Aveiro", "02": "Beja", "03": "Braga", "04": "Bragança", "05": "Castelo Branco",
    "06": "Coimbra", "07": "Évora", "08": "Faro", "09": "Guarda", "10": "Leiria",
    "11": "Lisboa", "12": "Portalegre", "13": "Porto", "14": "Santarém", "15": "Setúbal",
    "16": "Viana do Castelo", "17": "Vila Real", "18": "Viseu",
    "31": "Madeira", "32": "Porto Santo", "41": "Santa Maria", "42": "São Miguel",
    "43": "Terceira", "44": "Graciosa", "45": "São Jorge", "46": "Pico", "47": "Faial",
    "48": "Flores", "49": "Corvo",
}


# Every form's explanation: what a warning (a high share of null ballots in
# a small parish, say) has behind it here is the official count itself.
EXPLANATION = "Official figures of the Ministry (MAI, Resultados Apurados) as published"


def read(src, name):
    with open(os.path.join(src, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def party_ids(labels):
    ids, used = {}, set()
    for label in sorted(labels):
        base = re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-")[:28] or "LIST"
        pid, n = base, 1
        while pid in used:
            n += 1
            pid = "%s-%d" % (base, n)
        used.add(pid)
        ids[label] = pid
    return ids


def main(src, out):
    councils = read(src, "cm_concelhos.csv")
    council_turnout = read(src, "cm_concelhos_participacao.csv")
    parish_votes = read(src, "cm_freguesias.csv")
    parishes = read(src, "cm_freguesias_participacao.csv")
    ids = party_ids({r["party"] for r in councils})

    provinces = sorted({r["territory_code"][:2] for r in council_turnout})
    write(os.path.join(out, "gazetteer/provinces.csv"),
          ["code", "name_latin", "unit_latin", "unit_en"],
          [[p, PROVINCES[p], "Distrito" if p < "30" else "Ilha",
            "District" if p < "30" else "Island"] for p in provinces])
    write(os.path.join(out, "gazetteer/communes.csv"),
          ["code", "district_code", "province_code", "name_latin", "unit_latin", "unit_en"],
          [[r["territory_code"], "", r["territory_code"][:2], r["territory_name"],
            "Concelho", "Municipality"] for r in council_turnout])

    e = os.path.join(out, "election")
    write(os.path.join(e, "election.csv"),
          ["id", "name", "date", "mandate", "method", "tie_rule", "synthetic", "threshold",
           "threshold_base", "posts"],
          [["pt-2025-cm", "Portugal, municipal executives, 12 Oct 2025 (official, MAI)",
            "2025-10-12", "1", "dhondt", "fewer-votes>lots", "0", "", "valid", "head"]])
    write(os.path.join(e, "communes.csv"), ["commune", "seats"],
          [[r["territory_code"], r["mandates_total"]] for r in council_turnout])
    lists, ballot = [], {}
    for r in councils:
        c = r["territory_code"]
        ballot[c] = ballot.get(c, 0) + 1
        lists.append([c, ids[r["party"]], ballot[c]])
    write(os.path.join(e, "lists.csv"), ["commune", "party", "ballot_no"], lists)
    write(os.path.join(e, "parties.csv"), ["id", "abbr", "name_en"],
          [[ids[label], label, label] for label in sorted(ids)])
    write(os.path.join(e, "stations.csv"), ["station", "commune", "registered"],
          [[p["territory_code"], p["territory_code"][:4], p["subscribers"]] for p in parishes])

    list_votes = {}
    for r in parish_votes:
        list_votes.setdefault(r["territory_code"], []).append((ids[r["party"]], r["votes"]))
    forms, votes = [], []
    for p in parishes:
        code, cast = p["territory_code"], int(p["votes"])
        blank, invalid = int(p["blank_votes"]), int(p["null_votes"])
        forms.append([code, p["subscribers"], cast, cast, 0, 0, cast - blank - invalid, blank,
                      invalid, EXPLANATION])
        votes.extend([code, pid, v] for pid, v in list_votes.get(code, []))
    r = os.path.join(out, "results")
    write(os.path.join(r, "forms.csv"),
          ["station", "registered", "received", "cast", "spoiled", "unused", "valid", "blank",
           "invalid", "explanation"], forms)
    write(os.path.join(r, "votes.csv"), ["station", "party", "votes"], votes)

    write(os.path.join(out, "expected.csv"), ["commune", "party", "seats", "head"],
          sorted([r["territory_code"], ids[r["party"]], r["mandates"], r["presidents"]]
                 for r in councils))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
