"""Who is connected where: one entry per socket.

This process keeps its own sockets' actors in memory (every op looks its sender up), and
mirrors every entry in the `connections` table, so that presence lists are the same whatever
server process a participant's socket landed on.
"""

import os
import socket
from dataclasses import dataclass

from .actors import Actor
from .util import now_iso


@dataclass(frozen=True)
class Connection:
    actor: Actor
    room_code: str | None  # None: a participant in the lobby, or the facilitator


def instance_name():
    """Name this server process: host and port, so a restart clears what its crash left."""
    port = os.environ.get("PORT")
    if port:
        return f"{socket.gethostname()}:{port}"
    return f"{socket.gethostname()}:pid{os.getpid()}"


class Presence:
    def __init__(self, store, instance=None):
        self.store = store
        self.instance = instance or instance_name()
        self._by_sid = {}
        with store.write() as db:
            db.execute("DELETE FROM connections WHERE instance = ?", [self.instance])

    def get(self, sid):
        return self._by_sid.get(sid)

    def set(self, sid, connection):
        """Record a socket's place; return the connection it replaces, if any."""
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
        with self.store.read() as db:
            rows = db.execute(
                "SELECT DISTINCT participant_id, name, city FROM connections "
                "WHERE workshop_id = ? AND room_code IS ? AND facilitator = 0",
                [workshop_id, room_code]).fetchall()
        people = [{"id": pid, "name": name, "city": city} for pid, name, city in rows]
        return sorted(people, key=lambda p: (p["name"].casefold(), p["id"]))
