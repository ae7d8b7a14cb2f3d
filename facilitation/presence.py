"""Who is connected to which room, in this process: one entry per socket."""

import threading
from dataclasses import dataclass

from .ops import Actor


@dataclass(frozen=True)
class Connection:
    actor: Actor
    room_code: str


class Presence:
    def __init__(self):
        self._by_sid = {}
        self._lock = threading.Lock()

    def get(self, sid):
        return self._by_sid.get(sid)

    def set(self, sid, connection):
        """Record a socket's room; return the connection it replaces, if any."""
        with self._lock:
            previous = self._by_sid.get(sid)
            self._by_sid[sid] = connection
            return previous

    def remove(self, sid):
        with self._lock:
            return self._by_sid.pop(sid, None)

    def participants(self, room_code):
        """Everyone connected to a room, each person once however many tabs, sorted by name."""
        with self._lock:
            people = {
                c.actor.id: c.actor.public()
                for c in self._by_sid.values()
                if c.room_code == room_code and c.actor.kind == "participant"
            }
        return sorted(people.values(), key=lambda p: (p["name"].casefold(), p["id"]))
