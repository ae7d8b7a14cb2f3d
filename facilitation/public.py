"""A workshop as clients see it.

The only ways in are secret codes: the facilitator key, the lobby code and each room's code; here
is the one look-up for each. Also one serializer per shape clients read, and the workshop's
cities decoded in one place. (A room's live state and board are in boards.py.)
"""

import json

from .db import one


def cities(workshop):
    """The workshop's city names, in the facilitator's order, from its row."""
    return json.loads(workshop["cities"])


def workshop_by_key(db, key):
    """The workshop row with this facilitator key, or None."""
    if not isinstance(key, str) or not key:
        return None
    return one(db, "SELECT * FROM workshops WHERE facilitator_key = ?", [key])


def workshop_by_lobby(db, code):
    """The workshop row with this lobby code, or None."""
    if not isinstance(code, str) or not code:
        return None
    return one(db, "SELECT * FROM workshops WHERE lobby_code = ?", [code])


def room_by_code(db, code):
    """The room row with this code (open or closed), or None."""
    if not isinstance(code, str) or not code:
        return None
    return one(db, "SELECT * FROM rooms WHERE code = ?", [code])


def open_room(db, code, workshop_id):
    """An open room of this workshop by its code, or None."""
    if not isinstance(code, str) or not code:
        return None
    return one(db, "SELECT * FROM rooms WHERE code = ? AND workshop_id = ? AND closed = 0",
               [code, workshop_id])


def workshop_info(workshop):
    """What a participant may know of a workshop (lobby ack, room and lobby pages)."""
    return {"id": workshop["id"], "title": workshop["title"], "cities": cities(workshop),
            "lobby_code": workshop["lobby_code"], "language": workshop["language"]}


def room_info(room):
    """A room as listed to its creator and on its page (no state; see boards.room_state)."""
    return {key: room[key] for key in ("id", "code", "name", "theme", "template")}
