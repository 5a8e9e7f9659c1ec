#!/usr/bin/env python3
"""BASELINE, re-created from a design description; this is NOT the original application's code.

The user's original app was a Python UDP chat server: register, log in, send a message to a
named user, view messages, log out. This file rebuilds that design as plainly as the
description allows, so p2pchat can be measured against it in the same run:

- one thread, one socket, one request per datagram, one JSON object per request and answer;
- a logged-in user is known by the address they logged in from (no channel security, no
  sessions beyond that, no retransmission or duplicate detection);
- every message is stored in SQLite with Python's sqlite3 defaults (rollback journal,
  one commit per message); ``--synchronous`` sets the PRAGMA, ``OFF`` by default: the design
  was described as not fsyncing, and SQLite's own default (FULL) would fsync every commit;
- a message to a user who is online is relayed at once to the address they logged in from.

Requests (``op`` field): register {user, password}, login {user, password},
send {to, body}, view {after?, limit?}, logout. Answers: {"ok": true, ...} or
{"ok": false, "error": ...}; a relayed message is {"op": "message", "id", "from", "body"}.
Passwords are stored as a salted SHA-256 (login is not on any measured path).

Run: python3 server.py --port 0 --db /tmp/chat.db  (prints "listening on HOST PORT").
"""
import argparse
import hashlib
import json
import os
import socket
import sqlite3
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--db", required=True)
    ap.add_argument("--synchronous", default="OFF", choices=["OFF", "NORMAL", "FULL"])
    args = ap.parse_args()

    db = sqlite3.connect(args.db)
    db.execute(f"PRAGMA synchronous={args.synchronous}")
    db.executescript("""
        CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, salt BLOB, hash BLOB);
        CREATE TABLE IF NOT EXISTS messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT, sender TEXT, recipient TEXT, body TEXT,
            sent_at REAL, delivered INTEGER DEFAULT 0);
        CREATE INDEX IF NOT EXISTS messages_by_recipient ON messages (recipient, id);
    """)
    db.commit()

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((args.host, args.port))
    host, port = sock.getsockname()
    print(f"listening on {host} {port} (journal {db.execute('PRAGMA journal_mode').fetchone()[0]},"
          f" synchronous {args.synchronous})", flush=True)

    by_addr = {}   # address -> user name, while logged in
    online = {}    # user name -> address

    def answer(addr, obj):
        sock.sendto(json.dumps(obj).encode(), addr)

    while True:
        data, addr = sock.recvfrom(65535)
        try:
            req = json.loads(data)
            op = req.get("op")
        except (ValueError, AttributeError):
            answer(addr, {"ok": False, "error": "bad request"})
            continue
        rid = req.get("rid")
        if op == "register":
            salt = os.urandom(16)
            try:
                db.execute("INSERT INTO users VALUES (?, ?, ?)", (req["user"], salt,
                           hashlib.sha256(salt + req["password"].encode()).digest()))
                db.commit()
                answer(addr, {"ok": True, "rid": rid})
            except sqlite3.IntegrityError:
                answer(addr, {"ok": False, "rid": rid, "error": "user exists"})
        elif op == "login":
            row = db.execute("SELECT salt, hash FROM users WHERE name = ?", (req["user"],)).fetchone()
            if row and hashlib.sha256(row[0] + req["password"].encode()).digest() == row[1]:
                by_addr[addr] = req["user"]
                online[req["user"]] = addr
                answer(addr, {"ok": True, "rid": rid})
            else:
                answer(addr, {"ok": False, "rid": rid, "error": "bad login"})
        elif addr not in by_addr:
            answer(addr, {"ok": False, "rid": rid, "error": "not logged in"})
        elif op == "send":
            sender, to = by_addr[addr], req["to"]
            if db.execute("SELECT 1 FROM users WHERE name = ?", (to,)).fetchone() is None:
                answer(addr, {"ok": False, "rid": rid, "error": "no such user"})
                continue
            target = online.get(to)
            cur = db.execute("INSERT INTO messages (sender, recipient, body, sent_at, delivered)"
                             " VALUES (?, ?, ?, ?, ?)", (sender, to, req["body"], time.time(),
                                                         1 if target else 0))
            db.commit()
            if target:
                answer(target, {"op": "message", "id": cur.lastrowid, "from": sender, "body": req["body"]})
            answer(addr, {"ok": True, "rid": rid, "id": cur.lastrowid})
        elif op == "view":
            rows = db.execute("SELECT id, sender, body, sent_at FROM messages WHERE recipient = ?"
                              " AND id > ? ORDER BY id LIMIT ?",
                              (by_addr[addr], int(req.get("after", 0)), min(int(req.get("limit", 10)), 10)))
            answer(addr, {"ok": True, "rid": rid, "messages": [
                {"id": i, "from": s, "body": b, "at": t} for i, s, b, t in rows]})
        elif op == "logout":
            online.pop(by_addr.pop(addr), None)
            answer(addr, {"ok": True, "rid": rid})
        else:
            answer(addr, {"ok": False, "rid": rid, "error": "unknown op"})


if __name__ == "__main__":
    main()
