"""Flood phase of bench/fault.py: abuse from other addresses while honest clients write.

Honest participants (from 127.0.0.1) add notes as fast as acks come back, as in the crash
test. Meanwhile, from other loopback addresses (127.0.0.2 and up, so per-address limits treat
them as the strangers they are), attackers that never need to join:

- send oversized events in a loop (40 KB, under the transport cap, so the server must parse
  and refuse them; and 100 KB ones, which the transport closes), reconnecting when closed;
- join a room and loop `sync {since: 0}` on its growing log;
- open hundreds of idle connections and hold them.

The server runs with its default limits. Afterwards every acknowledged op must be stored
exactly once with gapless seqs; the figure is the honest clients' p99 ack during the attack.
"""

import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import websocket

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.live import ROOT, LiveServer  # noqa: E402

from bench.fault import Writer, check_database  # noqa: E402

PAD_40K = "x" * 40_000
PAD_100K = "x" * 100_000


def raw_socket(url, source):
    """A Socket.IO websocket from a given loopback address, connected to the namespace."""
    host, port = url.replace("http://", "").split(":")
    sock = socket.create_connection((host, int(port)), timeout=5, source_address=(source, 0))
    ws = websocket.create_connection(
        f"ws://{host}:{port}/socket.io/?EIO=4&transport=websocket", socket=sock, timeout=5,
        skip_utf8_validation=True)
    if not ws.recv().startswith("0{"):
        raise ConnectionError("no open packet")
    ws.send("40")
    if not ws.recv().startswith("40"):
        raise ConnectionError("namespace refused")
    return ws


class Attacker(threading.Thread):
    def __init__(self, url, source, stop, kind, room=None):
        super().__init__(daemon=True)
        self.url, self.source, self.stop, self.kind, self.room = url, source, stop, kind, room
        self.sent = 0
        self.served = 0  # sync answers with ops (not refused)
        self.closed = 0
        self.held = []

    def run(self):
        try:
            getattr(self, self.kind)()
        finally:
            for ws in self.held:
                try:
                    ws.close()
                except Exception:
                    pass

    def _connect(self):
        while not self.stop.is_set():
            try:
                return raw_socket(self.url, self.source)
            except Exception:
                self.closed += 1
                time.sleep(0.2)  # refused (out of strikes) or closed: try again
        return None

    def oversized(self):
        ws = self._connect()
        while ws and not self.stop.is_set():
            pad = PAD_100K if self.sent % 10 == 9 else PAD_40K
            try:
                ws.send("42" + json.dumps(["op", {"type": "note.add", "op_id": "x",
                                                  "text": "x", "pad": pad}]))
                self.sent += 1
            except Exception:
                ws.close()
                ws = self._connect()
        if ws:
            ws.close()

    def sync(self):
        ws = self._connect()
        join = {"room": self.room, "name": "Syncer", "city": "Milan"}
        try:
            ws.send("420" + json.dumps(["join", join]))
        except Exception:
            return
        ack = 1
        while ws and not self.stop.is_set():
            try:
                ws.send(f"42{ack}" + json.dumps(["sync", {"since": 0}]))
                ack += 1
                self.sent += 1
                ws.settimeout(0.01)
                try:
                    while True:  # drain answers without waiting for them
                        answer = ws.recv()
                        if (answer.startswith("43") and not answer.startswith("430[")  # join's
                                and '"ok":true' in answer[:40].replace(" ", "")):
                            self.served += 1
                except Exception:
                    pass
            except Exception:
                ws.close()
                ws = self._connect()
                if ws:
                    ws.send("420" + json.dumps(["join", join]))
        if ws:
            ws.close()

    def connections(self):
        host, port = self.url.replace("http://", "").split(":")
        while not self.stop.is_set() and len(self.held) < 600:
            try:
                sock = socket.create_connection((host, int(port)), timeout=5,
                                                source_address=(self.source, 0))
                self.held.append(sock)
                self.sent += 1
            except OSError:
                self.closed += 1
                time.sleep(0.05)
        self.stop.wait()


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))] if values else None


ATTACKS = ("oversized", "sync", "connections")


def run(clients=4, rooms=2, seconds=15.0, db_path=None, attacks=ATTACKS):
    """Run the flood phase; return a dict of figures."""
    db_path = db_path or str(Path(tempfile.mkdtemp()) / "flood.sqlite")
    server = LiveServer(db_path, env={"FACILITATION_LIMITS": "{}"}).start()
    try:
        workshop = server.create_workshop({
            "title": "Flood", "cities": ["Milan"],
            "rooms": [{"name": f"R{i}", "theme": "T"} for i in range(rooms)]})
        codes = [room["code"] for room in workshop["rooms"]]
        stop = threading.Event()
        # Honest people: a busy participant adds a note a second; these add ten (the server's
        # default limit is 20 a second per connection).
        writers = [Writer(server.url, codes[i % rooms], f"W{i}", stop, pace=0.1)
                   for i in range(clients)]
        for writer in writers:
            writer.start()
        time.sleep(seconds / 3)  # honest writing alone first: a log worth syncing
        # The attackers run in their own process: their Python work (masking 40 KB frames,
        # decoding answers) must not hold this process's GIL and slow the honest clients here.
        attack = subprocess.Popen(
            [sys.executable, "-m", "bench.flood", server.url, codes[0], str(seconds * 2 / 3),
             ",".join(attacks)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        attack.stdout.readline()  # "attacking": its start-up (importing) is not the attack
        attack_start = time.perf_counter()
        counts = json.loads(attack.communicate(timeout=seconds + 120)[0].strip().splitlines()[-1])
        attack_end = time.perf_counter()
        stop.set()
        for thread in writers:
            thread.join(timeout=30)
        alive = server.process.poll() is None
    finally:
        server.stop()
    acked = [op_id for writer in writers for op_id in writer.acked]
    stored, duplicates, gaps = check_database(db_path, acked)
    during = [latency for writer in writers for sent, latency in writer.latencies
              if attack_start <= sent <= attack_end]
    return {
        "acked": len(acked), "stored": stored, "duplicates": duplicates, "gaps": gaps,
        "alive": alive, "acks_during": len(during),
        "p50_ms": round(1000 * percentile(during, 0.50)) if during else None,
        "p99_ms": round(1000 * percentile(during, 0.99)) if during else None,
        **counts,
    }


def attack(url, code, seconds, attacks):
    """The attack process: run the attackers for `seconds`; return their counts."""
    stop = threading.Event()
    attackers = (
        [Attacker(url, f"127.0.0.{2 + i}", stop, "oversized") for i in range(2)]
        + [Attacker(url, f"127.0.0.{4 + i}", stop, "sync", code) for i in range(3)]
        + [Attacker(url, "127.0.0.9", stop, "connections")])
    attackers = [attacker for attacker in attackers if attacker.kind in attacks]
    for attacker in attackers:
        attacker.start()
    print("attacking", flush=True)
    time.sleep(seconds)
    counts = {
        "oversized": sum(a.sent for a in attackers if a.kind == "oversized"),
        "syncs": sum(a.sent for a in attackers if a.kind == "sync"),
        "syncs_served": sum(a.served for a in attackers if a.kind == "sync"),
        "connections": sum(len(a.held) for a in attackers if a.kind == "connections"),
        "attacker_closes": sum(a.closed for a in attackers),
    }
    stop.set()
    for attacker in attackers:
        attacker.join(timeout=10)
    return counts


if __name__ == "__main__":
    print(json.dumps(attack(sys.argv[1], sys.argv[2], float(sys.argv[3]),
                            tuple(filter(None, sys.argv[4].split(","))))), flush=True)
