"""Crash test: clients add notes in a tight loop while the server is SIGKILLed and restarted.

Each client keeps every op until it is acknowledged and sends it again, with its original
op_id, after reconnecting: as the browser does. Afterwards every acknowledged op must be in
the database exactly once, and every room's seq must run 1, 2, 3... without gaps.

    python bench/fault.py --clients 6 --rooms 3 --seconds 20 --kills 4 --flood-seconds 15

Then a flood phase (bench/flood.py): oversized events, sync floods and hundreds of idle
connections from other addresses while honest clients write; it prints the same check and the
honest clients' p99 ack during the attack.
"""

import argparse
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.live import LiveServer  # noqa: E402


class Writer(threading.Thread):
    """One participant adding notes as fast as acks come back, riding out server crashes."""

    def __init__(self, url, room, name, stop, pace=0.0):
        """`pace`: at least this many seconds between two ops (0: as fast as acks come)."""
        super().__init__(daemon=True)
        self.url, self.room, self.name, self.stop = url, room, name, stop
        self.pace = pace
        self.acked = []  # op_ids the server acknowledged
        self.latencies = []  # (time sent, seconds to its ack) of every acknowledged op
        self.token = None
        self.reconnects = 0

    def connect(self):
        while not self.stop.is_set():
            client = socketio.Client(reconnection=False)
            try:
                client.connect(self.url, transports=["websocket"], wait_timeout=2)
                join = {"room": self.room, "name": self.name, "city": "Milan"}
                if self.token:
                    join = {"room": self.room, "token": self.token}
                answer = client.call("join", join, timeout=2)
                self.token = answer["participant"]["token"]
                return client
            except Exception:
                try:
                    client.disconnect()
                except Exception:
                    pass
                time.sleep(0.05)
        return None

    def run(self):
        client = self.connect()
        pending = None
        while client and not self.stop.is_set():
            op_id = pending or str(uuid.uuid4())
            if self.pace and self.latencies:
                time.sleep(max(0.0, self.latencies[-1][0] + self.pace - time.perf_counter()))
            sent = time.perf_counter()
            try:
                answer = client.call("op", {"type": "note.add", "op_id": op_id, "text": op_id},
                                     timeout=2)
            except Exception:
                self.latencies.append((sent, time.perf_counter() - sent))  # no ack in time
                pending = op_id  # unknown fate: send it again after reconnecting
                self.reconnects += 1
                try:
                    client.disconnect()
                except Exception:
                    pass
                client = self.connect()
                continue
            if answer.get("ok"):
                self.acked.append(op_id)
                self.latencies.append((sent, time.perf_counter() - sent))
                pending = None
            elif answer.get("code") == "rate_limited":
                pending = op_id
                time.sleep(0.05)
            else:
                raise RuntimeError(answer)
        if client:
            client.disconnect()


def check_database(path, acked):
    """Return (stored, duplicates, gaps) for the acknowledged op_ids."""
    db = sqlite3.connect(path)
    counts = dict(db.execute("SELECT text, count(*) FROM notes GROUP BY text").fetchall())
    stored = sum(1 for op_id in acked if counts.get(op_id, 0) >= 1)
    duplicates = sum(count - 1 for count in counts.values() if count > 1)
    gaps = 0
    for room_id, last in db.execute("SELECT id, seq FROM rooms").fetchall():
        seqs = [s for (s,) in db.execute(
            "SELECT seq FROM ops WHERE room_id = ? ORDER BY seq", [room_id])]
        gaps += (last - len(seqs)) + sum(1 for i, s in enumerate(seqs, 1) if s != i)
    db.close()
    return stored, duplicates, gaps


def run(clients=6, rooms=3, seconds=20.0, kills=4, db_path=None):
    """Run the crash test; return a dict of figures."""
    db_path = db_path or str(Path(tempfile.mkdtemp()) / "fault.sqlite")
    server = LiveServer(db_path).start()
    try:
        workshop = server.create_workshop({
            "title": "Fault", "cities": ["Milan"],
            "rooms": [{"name": f"R{i}", "theme": "T"} for i in range(rooms)]})
        stop = threading.Event()
        writers = [Writer(server.url, workshop["rooms"][i % rooms]["code"], f"W{i}", stop)
                   for i in range(clients)]
        for writer in writers:
            writer.start()
        interval = seconds / (kills + 1)
        for _ in range(kills):
            time.sleep(interval)
            server.kill()
            time.sleep(0.2)
            server.start()
        time.sleep(interval)
        stop.set()
        for writer in writers:
            writer.join(timeout=30)
    finally:
        server.stop()
    acked = [op_id for writer in writers for op_id in writer.acked]
    stored, duplicates, gaps = check_database(db_path, acked)
    return {"acked": len(acked), "stored": stored, "duplicates": duplicates, "gaps": gaps,
            "kills": kills, "reconnects": sum(w.reconnects for w in writers)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--rooms", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--kills", type=int, default=4)
    parser.add_argument("--flood-seconds", type=float, default=15,
                        help="length of the flood phase (0: skip it)")
    args = parser.parse_args()
    figures = run(args.clients, args.rooms, args.seconds, args.kills)
    print(f"acked {figures['acked']}, stored {figures['stored']}, "
          f"duplicates {figures['duplicates']}, gaps {figures['gaps']} "
          f"({figures['kills']} SIGKILLs, {figures['reconnects']} reconnects, "
          f"{args.clients} clients, {args.rooms} rooms, {args.seconds:.0f} s)", flush=True)
    failed = (figures["stored"] != figures["acked"] or figures["duplicates"]
              or figures["gaps"])
    if args.flood_seconds:
        from bench import flood

        f = flood.run(args.clients, args.rooms, args.flood_seconds)
        print(f"flood: acked {f['acked']}, stored {f['stored']}, duplicates {f['duplicates']}, "
              f"gaps {f['gaps']}; honest clients' p99 ack during the attack {f['p99_ms']} ms "
              f"(p50 {f['p50_ms']} ms, {f['acks_during']} acks; {f['oversized']} oversized "
              f"events, {f['syncs']} syncs of the whole log ({f['syncs_served']} answered), "
              f"{f['connections']} idle "
              f"connections, {f['attacker_closes']} attacker sockets closed or refused; "
              f"server {'up' if f['alive'] else 'DOWN'})")
        failed = failed or (f["stored"] != f["acked"] or f["duplicates"] or f["gaps"]
                            or not f["alive"])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
