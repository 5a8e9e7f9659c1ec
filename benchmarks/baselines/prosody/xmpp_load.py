#!/usr/bin/env python3
"""XMPP load client for the Prosody baseline (Python 3 stdlib only: sockets, selectors, ElementTree).

Minimal raw XMPP over plain TCP on loopback: stream, SASL PLAIN, resource bind, session,
initial presence; chat messages with a body and an XEP-0184 receipt request, which the
recipient's client answers with a receipt (as a chat client does). Workloads, as LoadTest's
(each a warm-up, 2 s or a third of the measurement, then the measurement; latency from the send):

- online delivery with receipts: 8 pairs (a sender and its own online recipient), 64 messages
  in flight per pair; a message is done when its sender has the recipient's receipt;
- one pair, one message at a time, done when the recipient has it (the recipient still sends
  its receipt, as in LoadTest, where the delivery acknowledgement continues in the background);
- history after login: a user sends 10,000 messages to an offline user; then, three times, a
  fresh connection logs in as that user and pages back through its newest 10,000 archived
  messages (MAM, XEP-0313, pages of max_archive_query_results = 50, each page's cursor from
  the one before).

Afterwards it checks every message arrived exactly once and every receipt came exactly once.
CPU is Prosody's process plus this client's, per completion.

Run (run.sh does this): python3 xmpp_load.py PORT PROSODY_PID [seconds, default 5] [history rounds, 3]
Users (created beforehand with prosodyctl, password "pw"): from0..7, to0..7, hist, sink.
"""
import base64
import os
import selectors
import socket
import sys
import time
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

HOST = "localhost"
BODY = ("The quick brown fox jumps over the lazy dog, then naps in the sun "
        "until the farmer comes home at six")  # LoadTest's body, 100 characters
NS = "{jabber:client}"
RECEIPTS = "urn:xmpp:receipts"
MAM = "urn:xmpp:mam:2"
PAIRS, WINDOW = 8, 64
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


class Conn:
    """One client-to-server stream; stanzas() returns the complete top-level elements read so far."""

    def __init__(self, port, user, presence=True):
        self.user = user
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._open_stream()
        self.wait(lambda e: e.tag.endswith("features"))
        auth = base64.b64encode(f"\0{user}\0pw".encode()).decode()
        self.send(f"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{auth}</auth>")
        ok = self.wait(lambda e: e.tag.endswith("success") or e.tag.endswith("failure"))
        assert ok.tag.endswith("success"), f"login failed for {user}"
        self._open_stream()
        self.wait(lambda e: e.tag.endswith("features"))
        self.send("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                  "<resource>load</resource></bind></iq>")
        self.wait(lambda e: e.get("id") == "bind")
        self.send("<iq type='set' id='sess'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>")
        self.wait(lambda e: e.get("id") == "sess")
        if presence:
            self.send("<presence/>")
        self.jid = f"{user}@{HOST}/load"

    def _open_stream(self):
        self.parser = ET.XMLPullParser(events=("start", "end"))
        self.depth = 0
        self.root = None
        self.send(f"<?xml version='1.0'?><stream:stream to='{HOST}' xmlns='jabber:client' "
                  "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>")

    def send(self, text):
        self.sock.sendall(text.encode())

    def stanzas(self):
        data = self.sock.recv(262144)
        if not data:
            raise EOFError(self.user)
        self.parser.feed(data)
        out = []
        for event, elem in self.parser.read_events():
            if event == "start":
                if self.depth == 0:
                    self.root = elem
                self.depth += 1
            else:
                self.depth -= 1
                if self.depth == 1:
                    out.append(elem)
                    self.root.remove(elem)
        return out

    def wait(self, pred):
        while True:
            for e in self.stanzas():
                if pred(e):
                    return e


def message(to, mid, body):
    return (f"<message to='{to}@{HOST}' id='{mid}' type='chat'><body>{escape(body)}</body>"
            f"<request xmlns='{RECEIPTS}'/></message>")


def pct(sorted_lat, p):
    return sorted_lat[min(len(sorted_lat) - 1, int(len(sorted_lat) * p / 100))] if sorted_lat else float("nan")


def delivery(pairs, window, until_receipt, warmup, measure, prosody_pid, name):
    """pairs: list of (sender Conn, recipient Conn, recipient name). Returns nothing; prints a line."""
    sel = selectors.DefaultSelector()
    started = {}        # message id -> send time
    arrivals, receipts = {}, {}
    in_flight = [0] * len(pairs)
    seq = [0]
    state = {"phase": "warmup", "lat": [], "sending": True}
    owner = {}

    def send_one(i):
        s, _, to = pairs[i]
        seq[0] += 1
        mid = f"m{seq[0]}"
        owner[mid] = i
        started[mid] = time.perf_counter()
        in_flight[i] += 1
        s.send(message(to, mid, unique_body()))

    def done(mid):
        t = time.perf_counter()
        st = started.pop(mid)
        i = owner[mid]
        in_flight[i] -= 1
        if state["phase"] == "measure":
            state["lat"].append(t - st)
        if state["sending"]:
            while in_flight[i] < window:
                send_one(i)

    for i, (s, r, _) in enumerate(pairs):
        sel.register(s.sock, selectors.EVENT_READ, ("s", i, s))
        sel.register(r.sock, selectors.EVENT_READ, ("r", i, r))
    t0_holder = [float("inf")]
    begin = time.perf_counter()
    for i in range(len(pairs)):
        while in_flight[i] < window:
            send_one(i)
    cpu0 = None
    drain_deadline = None
    while True:
        now = time.perf_counter()
        if state["phase"] == "warmup" and now >= begin + warmup:
            state["phase"] = "measure"
            t0_holder[0] = now
            cpu0 = proc_cpu(prosody_pid) + own_cpu()
            server0 = proc_cpu(prosody_pid)
            measured_from = now
        elif state["phase"] == "measure" and now >= measured_from + measure:
            elapsed = now - measured_from
            cpu = proc_cpu(prosody_pid) + own_cpu() - cpu0
            server_cpu = proc_cpu(prosody_pid) - server0
            state["phase"] = "drain"
            state["sending"] = False
            drain_deadline = now + 60
        elif state["phase"] == "drain" and (not started or now > drain_deadline):
            break
        for key, _ in sel.select(timeout=0.05):
            kind, i, c = key.data
            for e in c.stanzas():
                if e.tag != NS + "message":
                    continue
                if kind == "r":
                    if e.find(NS + "body") is None:
                        continue
                    mid = e.get("id")
                    arrivals[mid] = arrivals.get(mid, 0) + 1
                    if e.find(f"{{{RECEIPTS}}}request") is not None:
                        c.send(f"<message to='{e.get('from')}' id='r{mid}'><received xmlns='{RECEIPTS}' id='{mid}'/>"
                               "</message>")
                    if not until_receipt and mid in started:
                        done(mid)
                else:
                    rc = e.find(f"{{{RECEIPTS}}}received")
                    if rc is None:
                        continue
                    mid = rc.get("id")
                    receipts[mid] = receipts.get(mid, 0) + 1
                    if until_receipt and mid in started:
                        done(mid)
    # Receipts still on their way after the last arrival (the one-pair phase does not wait for them).
    end = time.perf_counter() + 10
    while len(receipts) < seq[0] and time.perf_counter() < end:
        for key, _ in sel.select(timeout=0.05):
            kind, i, c = key.data
            for e in c.stanzas():
                rc = e.find(f"{{{RECEIPTS}}}received")
                if kind == "s" and rc is not None:
                    receipts[rc.get("id")] = receipts.get(rc.get("id"), 0) + 1
    sel.close()
    lat = sorted(state["lat"])
    n = len(lat)
    print(f"{name:55s} {n / elapsed:10,.0f} /s  p50 {pct(lat, 50) * 1e3:7.3f} ms  p99 {pct(lat, 99) * 1e3:7.3f} ms"
          f"  p99.9 {pct(lat, 99.9) * 1e3:7.3f} ms  max {lat[-1] * 1e3 if lat else 0:7.3f} ms"
          f"  cpu {cpu / max(n, 1) * 1e6:6.1f} us/op  ({n} done, {len(started)} unfinished)", flush=True)
    print(f"  cpu split: Prosody {server_cpu / max(n, 1) * 1e6:.1f} us/op ({server_cpu / elapsed * 100:.0f}% of a core),"
          f" this client {(cpu - server_cpu) / max(n, 1) * 1e6:.1f} us/op ({(cpu - server_cpu) / elapsed * 100:.0f}% of a core)")
    bad_arr = seq[0] - sum(1 for v in arrivals.values() if v == 1)
    bad_rc = seq[0] - sum(1 for v in receipts.values() if v == 1)
    print(f"  check: {seq[0]:,} sent, {bad_arr} not arrived exactly once, {bad_rc} without exactly one receipt")
    return bad_arr == 0 and bad_rc == 0


def seed_history(port, n):
    c = Conn(port, "hist", presence=False)
    for k in range(0, n, 500):
        c.send("".join(message("sink", f"h{j}", unique_body()) for j in range(k, min(n, k + 500))))
        c.send(f"<iq type='get' id='p{k}'><ping xmlns='urn:xmpp:ping'/></iq>")
        c.wait(lambda e, k=k: e.get("id") == f"p{k}")
    c.sock.close()


def history_after_login(port, want):
    start = time.perf_counter()
    c = Conn(port, "hist", presence=False)
    logged_in = time.perf_counter()
    read, pages, before = 0, 0, ""
    while read < want:
        pages += 1
        qid = f"q{pages}"
        rsm = f"<before>{before}</before>" if before else "<before/>"
        c.send(f"<iq type='set' id='{qid}'><query xmlns='{MAM}' queryid='{qid}'>"
               f"<set xmlns='http://jabber.org/protocol/rsm'><max>50</max>{rsm}</set></query></iq>")
        fin = None
        while fin is None:
            for e in c.stanzas():
                if e.tag == NS + "message" and e.find(f"{{{MAM}}}result") is not None:
                    read += 1
                elif e.get("id") == qid:
                    fin = e
        f = fin.find(f"{{{MAM}}}fin")
        first = f.find("{http://jabber.org/protocol/rsm}set/{http://jabber.org/protocol/rsm}first")
        if f.get("complete") == "true" or first is None:
            break
        before = first.text
    end = time.perf_counter()
    c.sock.close()
    print(f"history after login: {read:,} messages in {pages} pages, {end - start:.3f} s from the connect"
          f" (login {logged_in - start:.3f} s), {read / (end - logged_in):.0f} messages/s", flush=True)


def main():
    port, pid = int(sys.argv[1]), int(sys.argv[2])
    measure = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    history_rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    warmup = max(2, measure // 3)
    print(f"prosody baseline: XMPP c2s on 127.0.0.1:{port}, plain TCP, mod_mam on, Python"
          f" {sys.version.split()[0]} client")
    pairs = [(Conn(port, f"from{i}"), Conn(port, f"to{i}"), f"to{i}") for i in range(PAIRS)]
    ok = delivery(pairs, WINDOW, True, warmup, measure, pid,
                  f"online, {PAIRS} pairs x {WINDOW}, until the sender's receipt")
    ok &= delivery(pairs[:1], 1, False, warmup, measure, pid, "online, 1 pair x 1, until the recipient has it")
    for s, r, _ in pairs:
        s.sock.close()
        r.sock.close()
    if history_rounds == 0:
        print("history after login: not run (history rounds 0)")
        if not ok:
            sys.exit("the delivery check failed")
        return
    t = time.perf_counter()
    seed_history(port, 10_000)
    print(f"seeded 10,000 messages from hist to sink (offline) in {time.perf_counter() - t:.1f} s")
    for _ in range(history_rounds):
        history_after_login(port, 10_000)
    if not ok:
        sys.exit("the delivery check failed")


if __name__ == "__main__":
    main()
