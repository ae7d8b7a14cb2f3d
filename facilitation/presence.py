"""Who is connected where: one entry per socket, owned by the server process holding it.

This process keeps its own sockets' actors in memory (every op looks its sender up), and
mirrors every entry in the `connections` table, so that presence lists are the same whatever
server process a participant's socket landed on.

Each server process has its own identity (host, pid and a random part) and a lease in the
`instances` table, renewed by its heartbeat. A process killed with -9 stops renewing: when its
lease ends, its rows drop out of every list and the next heartbeat of any live process deletes
them. Nothing happens at start-up, so a `flask` command (which creates the app too) never
touches presence.
"""

import os
import secrets
import socket
import time
from dataclasses import dataclass

from .actors import Actor
from .util import now_iso

LEASE_SECONDS = 30  # a process unheard of this long is dead; it beats every third of that

# SQL: the connection rows of processes whose lease still runs (parameter: the time now).
LIVE = "instance IN (SELECT name FROM instances WHERE expires_at > ?)"


@dataclass(frozen=True)
class Connection:
    actor: Actor
    room_code: str | None  # None: a participant in the lobby, or the facilitator


def instance_name():
    """This server process's own name: never shared with another process, past or present."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


class Presence:
    def __init__(self, store, instance=None, lease=LEASE_SECONDS, clock=time.time):
        self.store, self.lease, self.clock = store, lease, clock
        self.instance = instance or instance_name()
        self._by_sid = {}
        self._next_beat = None  # None: not registered yet (no socket so far)

    def heartbeat(self):
        """Renew this process's lease; delete the rows of processes whose lease has ended."""
        now = self.clock()
        with self.store.write() as db:
            db.execute("INSERT INTO instances (name, expires_at) VALUES (?, ?) "
                       "ON CONFLICT(name) DO UPDATE SET expires_at = excluded.expires_at",
                       [self.instance, now + self.lease])
            db.execute(f"DELETE FROM connections WHERE NOT {LIVE}", [now])
            db.execute("DELETE FROM instances WHERE expires_at <= ?", [now])
        self._next_beat = now + self.lease / 3

    def beat_forever(self, sleep):
        """The server's heartbeat loop (app.py runs it in a green thread; `sleep` yields)."""
        while True:
            try:
                self.heartbeat()
            except Exception:  # a busy database now and then: try again at the next beat
                pass
            sleep(self.lease / 3)

    def _beat_if_due(self):
        if self._next_beat is None or self.clock() >= self._next_beat:
            self.heartbeat()

    def get(self, sid):
        return self._by_sid.get(sid)

    def set(self, sid, connection):
        """Record a socket's place; return the connection it replaces, if any."""
        self._beat_if_due()
        previous = self._by_sid.get(sid)
        self._by_sid[sid] = connection
        actor = connection.actor
        with self.store.write() as db:
            db["connections"].upsert({
                "sid": sid, "instance": self.instance, "workshop_id": actor.workshop_id,
                "room_code": connection.room_code, "participant_id": actor.id,
                "name": actor.name, "city": actor.city,
                "facilitator": int(actor.is_facilitator), "connected_at": now_iso(),
            }, pk="sid")
        return previous

    def remove(self, sid):
        connection = self._by_sid.pop(sid, None)
        if connection:
            with self.store.write() as db:
                db.execute("DELETE FROM connections WHERE sid = ?", [sid])
        return connection

    def participants(self, workshop_id, room_code):
        """Everyone connected to a room (None: the lobby), each once however many tabs."""
        if self._next_beat is not None:
            self._beat_if_due()
        with self.store.read() as db:
            rows = db.execute(
                "SELECT DISTINCT participant_id, name, city FROM connections "
                f"WHERE workshop_id = ? AND room_code IS ? AND facilitator = 0 AND {LIVE}",
                [workshop_id, room_code, self.clock()]).fetchall()
        people = [{"id": pid, "name": name, "city": city} for pid, name, city in rows]
        return sorted(people, key=lambda p: (p["name"].casefold(), p["id"]))
