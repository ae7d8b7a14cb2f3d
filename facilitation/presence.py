"""Who is connected where, in this process: one entry per socket."""

import threading
from dataclasses import dataclass

from .ops import Actor


@dataclass(frozen=True)
class Connection:
    actor: Actor
    room_code: str | None  # None: a participant in the lobby, or the facilitator


class Presence:
    def __init__(self):
        self._by_sid = {}
        self._lock = threading.Lock()

    def get(self, sid):
        return self._by_sid.get(sid)

    def set(self, sid, connection):
        """Record a socket's place; return the connection it replaces, if any."""
        with self._lock:
            previous = self._by_sid.get(sid)
            self._by_sid[sid] = connection
            return previous

    def remove(self, sid):
        with self._lock:
            return self._by_sid.pop(sid, None)

    def sockets_in(self, workshop_id, room_code):
        """(sid, participant id) of every participant socket in a room (None: the lobby)."""
        with self._lock:
            return [
                (sid, c.actor.id) for sid, c in self._by_sid.items()
                if c.room_code == room_code and c.actor.workshop_id == workshop_id
                and not c.actor.is_facilitator
            ]

    def participants(self, workshop_id, room_code):
        """Everyone connected to a room (None: the lobby), each once however many tabs."""
        with self._lock:
            people = {
                c.actor.id: c.actor.public()
                for c in self._by_sid.values()
                if c.room_code == room_code and c.actor.workshop_id == workshop_id
                and not c.actor.is_facilitator
            }
        return sorted(people.values(), key=lambda p: (p["name"].casefold(), p["id"]))

    def places(self, workshop_id):
        """The room codes (None: the lobby) where a workshop has participants connected."""
        with self._lock:
            return {c.room_code for c in self._by_sid.values()
                    if c.actor.workshop_id == workshop_id and not c.actor.is_facilitator}
