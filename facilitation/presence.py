"""Who is connected where: one entry per socket, owned by the server process holding it, and
what changed since the last announcement.

This process keeps its own sockets' actors in memory (every op looks its sender up), and
mirrors every entry in the `connections` table, so that presence lists are the same whatever
server process a participant's socket landed on.

Each server process has its own identity (host, pid and a random part) and a lease in the
`instances` table, renewed by its heartbeat. A process killed with -9 stops renewing: when its
lease ends, its rows drop out of every list and the next heartbeat of any live process deletes
them. Nothing happens at start-up, so a `flask` command (which creates the app too) never
touches presence.

Presence is announced as deltas, coalesced per place (a room, or a workshop's lobby): a change
marks the place, and `take(place)` (called at most every `interval` seconds per place) returns
who arrived and who left since the last announcement. A person counts once however many tabs:
only their first socket arriving and their last one leaving are changes.
"""

import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass

from .actors import Actor
from .util import now_iso

LEASE_SECONDS = 30  # a process unheard of this long is dead; it beats every third of that

# SQL: the connection rows of processes whose lease still runs (parameter: the time now).
LIVE = "instance IN (SELECT name FROM instances WHERE expires_at > ?)"
# SQL: the people of processes whose lease has ended, where they were, unless they are there
# through a live process too (parameters: the time now, twice).
GONE = (
    "SELECT DISTINCT gone.workshop_id, gone.room_code, gone.participant_id, gone.name, gone.city "
    "FROM connections AS gone WHERE gone.facilitator = 0 "
    "AND gone.instance NOT IN (SELECT name FROM instances WHERE expires_at > ?) "
    "AND NOT EXISTS (SELECT 1 FROM connections AS here WHERE here.workshop_id = gone.workshop_id "
    "AND here.room_code IS gone.room_code AND here.participant_id = gone.participant_id "
    "AND here.instance IN (SELECT name FROM instances WHERE expires_at > ?))")
INTERVAL = 0.25  # seconds: at most one presence event per place this often


@dataclass(frozen=True)
class Connection:
    actor: Actor
    room_code: str | None  # None: a participant in the lobby, or the facilitator


def instance_name():
    """This server process's own name: never shared with another process, past or present."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def person(actor):
    return {"id": actor.id, "name": actor.name, "city": actor.city}


def by_name(people):
    return sorted(people, key=lambda p: (p["name"].casefold(), p["id"]))


class Presence:
    def __init__(self, store, instance=None, lease=LEASE_SECONDS, clock=time.time,
                 interval=INTERVAL):
        self.store, self.lease, self.clock = store, lease, clock
        self.instance = instance or instance_name()
        self.interval = interval
        self._by_sid = {}
        self._next_beat = None  # None: not registered yet (no socket so far)
        self._lock = threading.Lock()
        self._tabs = {}  # place -> {participant id: this process's sockets there}
        self._changed = {}  # place -> {participant id: (person, arrived: bool)}
        self._last = {}  # place -> monotonic time of its last announcement
        self._due = set()  # places with an announcement scheduled
        self.notify = None  # called with a place whose people left with a dead process

    def heartbeat(self):
        """Renew this process's lease; delete the rows of processes whose lease has ended.

        Their people have left the places they were in, unless they are there again through a
        live process: those places' next announcements say so (`notify` is told of each place).
        Only the process whose heartbeat deletes the rows sees them, so each departure is
        announced once.
        """
        now = self.clock()
        with self.store.write() as db:
            db.execute("INSERT INTO instances (name, expires_at) VALUES (?, ?) "
                       "ON CONFLICT(name) DO UPDATE SET expires_at = excluded.expires_at",
                       [self.instance, now + self.lease])
            gone = db.execute(GONE, [now, now]).fetchall()
            db.execute(f"DELETE FROM connections WHERE NOT {LIVE}", [now])
            db.execute("DELETE FROM instances WHERE expires_at <= ?", [now])
        self._next_beat = now + self.lease / 3
        places = set()
        with self._lock:
            for workshop_id, room_code, participant_id, name, city in gone:
                place = (workshop_id, room_code)
                if participant_id in self._tabs.get(place, ()):
                    continue  # back here through this process since
                who = {"id": participant_id, "name": name, "city": city}
                self._changed.setdefault(place, {})[participant_id] = (who, False)
                places.add(place)
        for place in sorted(places, key=repr):
            if self.notify:
                self.notify(place)
        return places

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
        actor = connection.actor
        with self.store.write() as db:
            db.execute(
                "INSERT OR REPLACE INTO connections (sid, instance, workshop_id, room_code, "
                "participant_id, name, city, facilitator, connected_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [sid, self.instance, actor.workshop_id, connection.room_code, actor.id,
                 actor.name, actor.city, int(actor.is_facilitator), now_iso()])
        with self._lock:
            previous = self._by_sid.get(sid)
            self._by_sid[sid] = connection
            moves = [self._count(previous, -1)] if previous else []
            moves.append(self._count(connection, +1))
        self._record(moves)
        return previous

    def remove(self, sid):
        with self._lock:
            connection = self._by_sid.pop(sid, None)
            moves = [self._count(connection, -1)] if connection else []
        if connection:
            with self.store.write() as db:
                db.execute("DELETE FROM connections WHERE sid = ?", [sid])
        self._record(moves)
        return connection

    def _count(self, connection, step):
        """Count a socket in or out of its place; return (place, person, arrived) when that
        was the person's first socket arriving or last one leaving in this process."""
        actor = connection.actor
        if actor.is_facilitator:
            return None
        place = (actor.workshop_id, connection.room_code)
        tabs = self._tabs.setdefault(place, {})
        before = tabs.get(actor.id, 0)
        after = before + step
        if after > 0:
            tabs[actor.id] = after
        else:
            tabs.pop(actor.id, None)
            if not tabs:
                del self._tabs[place]
        if (before > 0) == (after > 0):
            return None
        return place, person(actor), after > 0

    def _record(self, moves):
        """Keep arrivals and departures for the next announcement of their place. A person
        whose last socket here closed but who is still there through another server process
        has not left."""
        for move in moves:
            if move is None:
                continue
            place, who, arrived = move
            if not arrived and self._connected_elsewhere(place, who["id"]):
                continue
            with self._lock:
                self._changed.setdefault(place, {})[who["id"]] = (who, arrived)

    def _connected_elsewhere(self, place, participant_id):
        workshop_id, room_code = place
        with self.store.read() as db:
            row = db.execute(
                "SELECT 1 FROM connections WHERE workshop_id = ? AND room_code IS ? "
                f"AND participant_id = ? AND instance != ? AND {LIVE} LIMIT 1",
                [workshop_id, room_code, participant_id, self.instance, self.clock()]).fetchone()
        return row is not None

    def changed(self, place):
        """Whether a place has changes to announce."""
        return place in self._changed

    def schedule(self, place, now=None):
        """Seconds to wait before announcing a place's changes, or None when one is already due."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if place in self._due:
                return None
            self._due.add(place)
            return max(0.0, self._last.get(place, -self.interval) + self.interval - now)

    def take(self, place, now=None):
        """The place's changes since its last announcement: (joined, left) lists of people."""
        with self._lock:
            self._due.discard(place)
            self._last[place] = time.monotonic() if now is None else now
            changes = self._changed.pop(place, {})
        joined = [who for who, arrived in changes.values() if arrived]
        left = [who for who, arrived in changes.values() if not arrived]
        return by_name(joined), by_name(left)

    def participants(self, workshop_id, room_code):
        """Everyone connected to a room (None: the lobby), each once however many tabs."""
        if self._next_beat is not None:
            self._beat_if_due()
        with self.store.read() as db:
            rows = db.execute(
                "SELECT DISTINCT participant_id, name, city FROM connections "
                f"WHERE workshop_id = ? AND room_code IS ? AND facilitator = 0 AND {LIVE}",
                [workshop_id, room_code, self.clock()]).fetchall()
        return by_name({"id": pid, "name": name, "city": city} for pid, name, city in rows)
