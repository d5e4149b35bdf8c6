"""conns.py: hostile clients for the e2e tests of `khum serve` (issue #17),
on loopback, bounded in count and time. Each mode prints one line of facts.

  hold PORT FROM N SECS      open N connections from address FROM, keep them
                             SECS seconds; prints how many were still open
  over PORT FROM N           open N idle connections from FROM, then one more
                             that asks /api/v1/health: prints its status line,
                             Retry-After and body
  slow PORT FROM GAP MAX     send a request one header byte every GAP s; prints
                             the seconds until the server closed (or MAX)
  idle PORT FROM MAX         one request kept alive, then silence; prints the
                             seconds until the server closed (or MAX)
  halfsent PORT FROM N       N requests cut off before their end, then closed
"""
import socket
import sys
import time


def connect(port, frm, timeout=2.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((frm, 0))
    s.connect(("127.0.0.1", port))
    return s


def closed_after(s, limit):
    """Seconds until the peer closes s (reads EOF or a reset), at most limit."""
    t0 = time.monotonic()
    s.settimeout(0.2)
    while time.monotonic() - t0 < limit:
        try:
            if s.recv(65536) == b"":
                return time.monotonic() - t0
        except socket.timeout:
            continue
        except OSError:
            return time.monotonic() - t0
    return limit


def hold(port, frm, n, secs):
    socks = []
    for _ in range(n):
        try:
            socks.append(connect(port, frm))
        except OSError:
            pass
    time.sleep(secs)
    alive = 0
    for s in socks:
        s.setblocking(False)
        try:
            alive += s.recv(1) != b""
        except BlockingIOError:
            alive += 1
        except OSError:
            pass
        s.close()
    print(f"opened {len(socks)} alive {alive}")


def over(port, frm, n):
    socks = [connect(port, frm) for _ in range(n)]
    time.sleep(0.3)
    s = connect(port, frm)
    s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    s.settimeout(5)
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode(errors="replace").split("\r\n")
    retry = [l.split(":", 1)[1].strip() for l in lines if l.lower().startswith("retry-after:")]
    print(lines[0], "retry-after", retry[0] if retry else "none", body.decode(errors="replace"))
    for k in socks:
        k.close()


def slow(port, frm, gap, limit):
    s = connect(port, frm)
    req = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000
    t0 = time.monotonic()
    s.settimeout(gap)
    for b in req:
        if time.monotonic() - t0 > limit:
            break
        try:
            s.send(bytes([b]))
            if s.recv(1) == b"":
                break
        except socket.timeout:
            continue
        except OSError:
            break
    print(f"closed after {time.monotonic() - t0:.1f}")


def idle(port, frm, limit):
    s = connect(port, frm)
    s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
    s.settimeout(5)
    s.recv(65536)   # the answer (small: one read)
    print(f"closed after {closed_after(s, limit):.1f}")


def halfsent(port, frm, n):
    socks = []
    for _ in range(n):
        try:
            s = connect(port, frm)
            s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
            socks.append(s)
        except OSError:
            pass
    for s in socks:
        s.close()
    print(f"sent {len(socks)}")


if __name__ == "__main__":
    mode, port, frm = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rest = [float(x) for x in sys.argv[4:]]
    if mode == "hold":
        hold(port, frm, int(rest[0]), rest[1])
    elif mode == "over":
        over(port, frm, int(rest[0]))
    elif mode == "slow":
        slow(port, frm, rest[0], rest[1])
    elif mode == "idle":
        idle(port, frm, rest[0])
    else:
        halfsent(port, frm, int(rest[0]))
