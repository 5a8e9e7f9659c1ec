#!/usr/bin/env python3
"""Load client for the re-created original-app baseline (server.py; a baseline, not the original code).

Starts server.py on a temporary database on 127.0.0.1 and an ephemeral port, then, each phase a
warm-up (2 s or a third of the measurement) and a measurement:

- one in flight, wait for the answer: one logged-in client sends to a registered user who is
  never online (every message stored, nothing relayed), the next send after the answer; this is
  LoadTest's "one transaction per message (1 client, 1 in flight)";
- one pair, until the recipient has it: a sender and its logged-in recipient (own socket); a
  message is done when the recipient's socket has the relayed message; the next send after
  that (and after the sender's answer); this is LoadTest's "online, 1 pair x 1";
- closed loop: 8 clients, each with 64 sends to the offline user in flight (LoadTest's "closed
  loop"); a request unanswered within 1 s counts as failed and is replaced (no retransmission
  in the design, so a datagram the server's socket dropped is a lost message).

Latency is from the send to the completion. Afterwards every acknowledged id is looked up in the
database, and every body (each is unique) is checked to be stored once; every relayed message
must have arrived once. CPU is the server's plus this client's, per completion.

Run: python3 load.py [seconds per measurement, default 5] [--synchronous OFF|NORMAL|FULL]
"""
import argparse
import json
import os
import selectors
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BODY = ("The quick brown fox jumps over the lazy dog, then naps in the sun "
        "until the farmer comes home at six")  # LoadTest's body, 100 characters
TIMEOUT = 1.0
_count = 0


def unique_body():
    global _count
    _count += 1
    return BODY[:-12] + format(_count, "012x")


def proc_cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu():
    t = os.times()
    return t.user + t.system


class Client:
    def __init__(self, server):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.connect(server)
        self.sock.settimeout(TIMEOUT)
        self.rid = 0

    def request(self, **req):
        self.rid += 1
        req["rid"] = self.rid
        self.sock.send(json.dumps(req).encode())
        while True:
            a = json.loads(self.sock.recv(65535))
            if a.get("rid") == self.rid:
                return a

    def receive(self):
        return json.loads(self.sock.recv(65535))


def pct(sorted_lat, p):
    if not sorted_lat:
        return float("nan")
    return sorted_lat[min(len(sorted_lat) - 1, int(len(sorted_lat) * p / 100))]


def run_phase(name, step, warmup, measure, server_pid):
    end_warm = time.perf_counter() + warmup
    while time.perf_counter() < end_warm:
        step()
    lat, failures = [], 0
    cpu0 = proc_cpu(server_pid) + own_cpu()
    t0 = time.perf_counter()
    end = t0 + measure
    while True:
        s = time.perf_counter()
        if s >= end:
            break
        if step():
            lat.append(time.perf_counter() - s)
        else:
            failures += 1
    elapsed = time.perf_counter() - t0
    cpu = proc_cpu(server_pid) + own_cpu() - cpu0
    lat.sort()
    n = len(lat)
    print(f"{name:55s} {n / elapsed:10,.0f} /s  p50 {pct(lat, 50) * 1e3:7.3f} ms  p99 {pct(lat, 99) * 1e3:7.3f} ms"
          f"  p99.9 {pct(lat, 99.9) * 1e3:7.3f} ms  max {lat[-1] * 1e3 if lat else 0:7.3f} ms"
          f"  cpu {cpu / max(n, 1) * 1e6:6.1f} us/op  ({n} done, {failures} failed)", flush=True)
    return n / elapsed, pct(lat, 50), pct(lat, 99)


def closed_loop(clients, window, warmup, measure, server_pid, acked):
    """Every client keeps `window` sends to the offline user in flight (LoadTest's closed loop);
    a request unanswered for TIMEOUT is counted failed (the design has no retransmission)."""
    sel = selectors.DefaultSelector()
    pending = [dict() for _ in clients]   # rid -> send time
    for i, c in enumerate(clients):
        c.sock.setblocking(False)
        sel.register(c.sock, selectors.EVENT_READ, i)

    def send(i):
        c = clients[i]
        c.rid += 1
        pending[i][c.rid] = time.perf_counter()
        c.sock.send(json.dumps({"op": "send", "to": "sink", "body": unique_body(), "rid": c.rid}).encode())

    for i in range(len(clients)):
        for _ in range(window):
            send(i)
    begin = time.perf_counter()
    t0 = begin + warmup
    end = t0 + measure
    lat, failures, cpu0 = [], 0, None
    while True:
        now = time.perf_counter()
        if cpu0 is None and now >= t0:
            cpu0 = proc_cpu(server_pid) + own_cpu()
        if now >= end:
            break
        for key, _ in sel.select(timeout=0.05):
            i = key.data
            while True:
                try:
                    a = json.loads(clients[i].sock.recv(65535))
                except BlockingIOError:
                    break
                st = pending[i].pop(a.get("rid"), None)
                if st is None:
                    continue
                if a.get("ok"):
                    acked.append(a["id"])
                    if time.perf_counter() >= t0:
                        lat.append(time.perf_counter() - st)
                elif time.perf_counter() >= t0:
                    failures += 1
                send(i)
        now = time.perf_counter()
        for i, p in enumerate(pending):
            for rid in [r for r, st in p.items() if now - st > TIMEOUT]:
                del p[rid]
                if now >= t0:
                    failures += 1
                send(i)
    cpu = proc_cpu(server_pid) + own_cpu() - cpu0
    # answers still on their way: their ids count for the store check
    drain = time.perf_counter() + 2
    while any(pending) and time.perf_counter() < drain:
        for key, _ in sel.select(timeout=0.05):
            i = key.data
            try:
                a = json.loads(clients[i].sock.recv(65535))
            except BlockingIOError:
                continue
            if pending[i].pop(a.get("rid"), None) is not None and a.get("ok"):
                acked.append(a["id"])
    sel.close()
    lat.sort()
    n = len(lat)
    print(f"{f'closed loop, {len(clients)} clients x {window} in flight (stored)':55s} {n / measure:10,.0f} /s"
          f"  p50 {pct(lat, 50) * 1e3:7.3f} ms  p99 {pct(lat, 99) * 1e3:7.3f} ms  p99.9 {pct(lat, 99.9) * 1e3:7.3f} ms"
          f"  max {lat[-1] * 1e3 if lat else 0:7.3f} ms  cpu {cpu / max(n, 1) * 1e6:6.1f} us/op"
          f"  ({n} done, {failures} failed)", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("seconds", type=int, nargs="?", default=5)
    ap.add_argument("--synchronous", default="OFF", choices=["OFF", "NORMAL", "FULL"])
    args = ap.parse_args()
    measure = args.seconds
    warmup = max(2, args.seconds // 3)

    tmp = tempfile.mkdtemp(prefix="original-app-")
    db_path = os.path.join(tmp, "chat.db")
    server = subprocess.Popen([sys.executable, os.path.join(HERE, "server.py"), "--db", db_path,
                               "--synchronous", args.synchronous], stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        print(f"original-app baseline (re-created design, Python {sys.version.split()[0]}): {line.strip()}")
        addr = ("127.0.0.1", int(line.split()[3]))

        def logged_in(user, login=True):
            c = Client(addr)
            assert c.request(op="register", user=user, password="pw")["ok"]
            if login:
                assert c.request(op="login", user=user, password="pw")["ok"]
            return c

        logged_in("sink", login=False)
        sender = logged_in("load0")
        acked = []
        bodies_sent = [0]

        def one_in_flight():
            try:
                a = sender.request(op="send", to="sink", body=unique_body())
            except socket.timeout:
                return False
            bodies_sent[0] += 1
            if a.get("ok"):
                acked.append(a["id"])
                return True
            return False

        run_phase("one in flight, until answered (stored, nobody online)", one_in_flight, warmup, measure, server.pid)

        frm, to = logged_in("from0"), logged_in("to0")
        arrived = {}

        def pair_step():
            try:
                frm.rid += 1
                frm.sock.send(json.dumps({"op": "send", "to": "to0", "body": unique_body(), "rid": frm.rid}).encode())
                m = to.receive()
                arrived[m["id"]] = arrived.get(m["id"], 0) + 1
                a = frm.receive()
            except socket.timeout:
                return False
            if a.get("ok"):
                acked.append(a["id"])
                return a["id"] == m["id"]
            return False

        run_phase("one pair x 1, until the recipient has it", pair_step, warmup, measure, server.pid)
        closed_loop([logged_in(f"load{i}") for i in range(1, 9)], 64, warmup, measure, server.pid, acked)
    finally:
        server.terminate()
        server.wait()

    db = sqlite3.connect(db_path)
    stored = {r[0] for r in db.execute("SELECT id FROM messages")}
    rows = db.execute("SELECT COUNT(*), COUNT(DISTINCT body) FROM messages WHERE sender != ''").fetchone()
    missing = sum(1 for i in acked if i not in stored)
    twice = len(acked) - len(set(acked))
    not_once = sum(1 for c in arrived.values() if c != 1)
    print(f"\nverified: {len(acked):,} acknowledged sends, {rows[0]:,} rows in the store, {missing} acknowledged"
          f" but missing, {rows[0] - rows[1]} stored twice, {twice} acknowledged twice,"
          f" {not_once} relayed messages not arrived exactly once")
    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))
    os.rmdir(tmp)
    if missing or twice or rows[0] != rows[1] or not_once:
        sys.exit("the store check failed")


if __name__ == "__main__":
    main()
