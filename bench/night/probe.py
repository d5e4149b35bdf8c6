# probe.py BASE ELECTION TOKEN1 TOKEN2 BODIES SECONDS: how far the results
# lag the last acknowledged entry. Every 0.25 s it keys both entries of one
# station of a commune nobody else keys (BODIES: "commune<TAB>station<TAB>json"),
# then reads that commune's results until its stations_reported counts the
# form. Prints the count of probes, the largest and the median lag (ms), and
# the entries it had acknowledged (for the check after the run).
import json, sys, time, urllib.request

base, election, t1, t2, bodies, seconds = sys.argv[1:7]
rows = [l.rstrip("\n").split("\t") for l in open(bodies)]

def call(method, path, token=None, body=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=body.encode() if body else None)
    if token:
        req.add_header("Authorization", "Bearer " + token)
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError:          # a timeout under load counts as no answer
        return 0, b""

def reported(commune):
    st, body = call("GET", "/api/v1/elections/%s/results/%s" % (election, commune))
    return json.loads(body)["areas"][0]["stations_reported"] if st == 200 else -1

lags, acked, end, i = [], 0, time.time() + float(seconds), 0
while time.time() < end and i < len(rows):
    commune, station, body = rows[i]
    i += 1
    before = reported(commune)
    path = "/api/v1/elections/%s/forms/%s/entries" % (election, station)
    a, _ = call("POST", path, t1, body)
    b, _ = call("POST", path, t2, body)
    acked += (a == 201) + (b == 201)
    if a != 201 or b != 201:
        continue
    t0 = time.time()
    while reported(commune) <= before and time.time() - t0 < 5:
        pass
    lags.append((time.time() - t0) * 1000)
    time.sleep(0.25)
lags.sort()
print("probes %d max %.1f median %.1f acked %d" %
      (len(lags), lags[-1] if lags else -1, lags[len(lags) // 2] if lags else -1, acked))
