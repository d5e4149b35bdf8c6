#!/usr/bin/env python3
"""bench/tabulate/long_files.py: the files of the long-format bench.

  long_files.py split RESULTS.csv OUTDIR
      a wide results file (one column per list) as the long format's two
      files, OUTDIR/forms.csv and OUTDIR/votes.csv (a row per station and
      list), the same forms;
  long_files.py local OUTDIR [COUNCILS LISTS STATIONS]
      a generated election of local lists (default 5,000 councils, 6,000
      lists, 10,000 forms; Cambodian-style codes, so today's gazetteer
      import takes it): OUTDIR/gaz (gazetteer), OUTDIR/parties.csv, the
      election folder OUTDIR/ele, and its results in both formats
      (OUTDIR/ele/results.csv wide, OUTDIR/forms.csv and OUTDIR/votes.csv
      long), with blank ballots. Deterministic: no randomness.
"""
import csv
import os
import sys

FIGURES = ["registered", "received", "cast", "spoiled", "unused", "valid", "blank", "invalid"]


def split(results, out):
    os.makedirs(out, exist_ok=True)
    with open(results, newline="") as f, \
            open(os.path.join(out, "forms.csv"), "w", newline="") as fo, \
            open(os.path.join(out, "votes.csv"), "w", newline="") as vo:
        r = csv.reader(f)
        head = next(r)
        fixed = [c for c in ["station"] + FIGURES + ["explanation"] if c in head]
        ix = {c: head.index(c) for c in fixed}
        lists = [i for i, c in enumerate(head) if c not in ix and c]
        fw, vw = csv.writer(fo, lineterminator="\n"), csv.writer(vo, lineterminator="\n")
        fw.writerow(fixed)
        vw.writerow(["station", "party", "votes"])
        for row in r:
            fw.writerow([row[ix[c]] for c in fixed])
            for i in lists:
                if row[i] != "":
                    vw.writerow([row[ix["station"]], head[i], row[i]])


def local(out, councils=5000, nlists=6000, stations=10000):
    gaz, ele = os.path.join(out, "gaz"), os.path.join(out, "ele")
    os.makedirs(gaz, exist_ok=True)
    os.makedirs(ele, exist_ok=True)
    codes = []   # 6-digit council codes: 50 provinces x 10 districts x 10 communes per 5,000
    p = d = 0
    with open(os.path.join(gaz, "provinces.csv"), "w") as fp, \
            open(os.path.join(gaz, "districts.csv"), "w") as fd, \
            open(os.path.join(gaz, "communes.csv"), "w") as fc:
        fp.write("code,name_km,name_latin,unit_latin,unit_en\n")
        fd.write("code,province_code,name_km,name_latin,unit_latin,unit_en\n")
        fc.write("code,district_code,province_code,name_km,name_latin,unit_latin,unit_en\n")
        while len(codes) < councils:
            p += 1
            fp.write(f"{p:02d},ខេត្ត {p},Province {p},Khaet,Province\n")
            for dd in range(1, 11):
                dc = f"{p:02d}{dd:02d}"
                fd.write(f"{dc},{p:02d},ស្រុក {dc},District {dc},Srok,District\n")
                for cc in range(1, 11):
                    if len(codes) < councils:
                        code = f"{dc}{cc:02d}"
                        codes.append(code)
                        fc.write(f"{code},{dc},{p:02d},ឃុំ {code},Council {code},Khum,Commune\n")
    with open(os.path.join(gaz, "villages.csv"), "w") as f:  # required until #15's gazetteer
        f.write("code,commune_code,name_km,name_latin\n")
    national = 100
    local_lists = nlists - national
    parties = [f"N{i:03d}" for i in range(1, national + 1)] + \
              [f"L{i:05d}" for i in range(1, local_lists + 1)]
    with open(os.path.join(out, "parties.csv"), "w") as f:
        f.write("id,abbr,name_en,name_km\n")
        for x in parties:
            f.write(f"{x},{x},List {x},បញ្ជី {x}\n")
    # Each council: 3 national lists and its own local lists (5,900 over 5,000).
    contest = []
    li = 0
    for k, code in enumerate(codes):
        mine = [parties[(k * 7 + j * 31) % national] for j in range(3)]
        n_local = local_lists // councils + (1 if k < local_lists % councils else 0)
        mine += parties[national + li: national + li + n_local]
        li += n_local
        contest.append(mine)
    with open(os.path.join(ele, "election.csv"), "w") as f:
        f.write("id,name,date,mandate,method,tie_rule,synthetic\n")
        f.write("local-bench,Local lists bench (generated),2025-10-12,5,dhondt,votes,1\n")
    with open(os.path.join(ele, "communes.csv"), "w") as f:
        f.write("commune,seats\n")
        for code in codes:
            f.write(f"{code},7\n")
    with open(os.path.join(ele, "lists.csv"), "w") as f:
        f.write("commune,party,ballot_no\n")
        for code, mine in zip(codes, contest):
            for b, x in enumerate(mine, 1):
                f.write(f"{code},{x},{b}\n")
    per = stations // councils
    st = []   # (station, council index)
    for k, code in enumerate(codes):
        for s in range(per + (1 if k < stations % councils else 0)):
            st.append((f"{code}-{s + 1:02d}", k))
    with open(os.path.join(ele, "stations.csv"), "w") as f:
        f.write("station,commune,registered\n")
        for code, k in st:
            f.write(f"{code},{codes[k]},1000\n")
    col = {x: i for i, x in enumerate(parties)}
    with open(os.path.join(ele, "results.csv"), "w") as fw, \
            open(os.path.join(out, "forms.csv"), "w") as ff, \
            open(os.path.join(out, "votes.csv"), "w") as fv:
        fw.write(",".join(["station"] + FIGURES + parties) + "\n")
        ff.write(",".join(["station"] + FIGURES) + "\n")
        fv.write("station,party,votes\n")
        for n, (code, k) in enumerate(st):
            mine = contest[k]
            votes = [80 + (n * 13 + j * 57) % 100 for j in range(len(mine))]
            valid = sum(votes)
            blank, invalid = 5 + n % 7, 8 + n % 5
            cast = valid + blank + invalid
            figs = [1000, 1000, cast, 0, 1000 - cast, valid, blank, invalid]
            wide = [""] * len(parties)
            for x, v in zip(mine, votes):
                wide[col[x]] = str(v)
                fv.write(f"{code},{x},{v}\n")
            fw.write(",".join([code] + [str(x) for x in figs] + wide) + "\n")
            ff.write(",".join([code] + [str(x) for x in figs]) + "\n")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "split":
        split(sys.argv[2], sys.argv[3])
    elif len(sys.argv) in (3, 6) and sys.argv[1] == "local":
        local(sys.argv[2], *[int(x) for x in sys.argv[3:]])
    else:
        sys.exit(__doc__)
