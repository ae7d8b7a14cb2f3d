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

The full list of a place, which every join answer carries, comes from the database when other
server processes are live (their people are in it too). When this process is the only one, it
comes from the process's own roster of the place instead: its people in the list's order, each
already JSON-encoded, kept up to date at each arrival and departure, so that a join costs the
same on a board of 500 as on an empty one.
"""

import bisect
import json
import os
import secrets
import socket
import threading
import time
import weakref
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


def order(who):
    """Where a person comes in a list of people: by name, whatever its case, then by id."""
    return who["name"].casefold(), who["id"]


def by_name(people):
    return sorted(people, key=order)


def encoded(value):
    """JSON text as the Socket.IO packets carry it (compact, ASCII only)."""
    return json.dumps(value, separators=(",", ":"))


class Roster:
    """This process's people in one place, in the list's order, each encoded once on arrival."""

    def __init__(self):
        self._keys, self._texts = [], []

    def __len__(self):
        return len(self._keys)

    def add(self, who):
        key = order(who)
        at = bisect.bisect_left(self._keys, key)
        if at < len(self._keys) and self._keys[at] == key:
            return
        self._keys.insert(at, key)
        self._texts.insert(at, encoded(who))

    def discard(self, who):
        key = order(who)
        at = bisect.bisect_left(self._keys, key)
        if at < len(self._keys) and self._keys[at] == key:
            del self._keys[at], self._texts[at]

    def json(self):
        return "[" + ",".join(self._texts) + "]"


# Heartbeats per database connection: `PRAGMA data_version` does not change for commits of the
# same connection, so another Presence sharing it (tests, a second app) is noticed by these.
_beats = weakref.WeakKeyDictionary()  # Store -> heartbeats through it


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
        self._rosters = {}  # place -> Roster of the people counted in _tabs
        self._alone = None  # (data_version, beats here, valid until, alone?): see _is_alone
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
        _beats[self.store] = _beats.get(self.store, 0) + 1
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
        who = person(actor)
        roster = self._rosters.setdefault(place, Roster())
        if after > 0:
            roster.add(who)
        else:
            roster.discard(who)
            if not roster:
                del self._rosters[place]
        return place, dict(who), after > 0

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
        return json.loads(self.participants_json(workshop_id, room_code))

    def participants_json(self, workshop_id, room_code):
        """The list as JSON text, as a join answer carries it: from the roster, when this
        process is the only one, without reading or encoding anybody again."""
        if self._is_alone():
            with self._lock:
                return self._roster(workshop_id, room_code).json()
        return encoded(self._everyone(workshop_id, room_code))

    def _roster(self, workshop_id, room_code):
        return self._rosters.get((workshop_id, room_code)) or Roster()

    def _everyone(self, workshop_id, room_code):
        """The list from the database: the people of every live process."""
        with self.store.read() as db:
            rows = db.execute(
                "SELECT DISTINCT participant_id, name, city FROM connections "
                f"WHERE workshop_id = ? AND room_code IS ? AND facilitator = 0 AND {LIVE}",
                [workshop_id, room_code, self.clock()]).fetchall()
        return by_name({"id": pid, "name": name, "city": city} for pid, name, city in rows)

    def _is_alone(self):
        """Whether no other server process is live, so this process's rosters are the lists.

        The answer is kept until another connection commits (`PRAGMA data_version`: another
        process beats or starts), a heartbeat of this process, or the earliest other lease seen
        ends (then this process may be alone); and a lease interval at most.
        """
        if self._next_beat is not None:
            self._beat_if_due()
        now = self.clock()
        with self.store.read() as db:
            (version,) = db.conn.execute("PRAGMA data_version").fetchone()
            beats = _beats.get(self.store, 0)
            known = self._alone
            if known and known[:2] == (version, beats) and now < known[2]:
                return known[3]
            (soonest,) = db.conn.execute(
                "SELECT MIN(expires_at) FROM instances WHERE name != ? AND expires_at > ?",
                [self.instance, now]).fetchone()
        alone = soonest is None
        self._alone = (version, beats, now + self.lease if alone else soonest, alone)
        return alone
