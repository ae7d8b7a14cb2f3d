"""The facilitator: joins with the secret key and sees every room of the workshop."""

import json

from .boards import room_state, snapshot
from .errors import not_found
from .actors import Actor
from .placement import placements
from .tags import tags_by_note

KEY_NOT_FOUND = "This facilitator link is not valid. Check the link you were given."


def facilitator_actor(workshop_id):
    return Actor(kind="facilitator", id=f"facilitator:{workshop_id}", name="Facilitator",
                 city=None, workshop_id=workshop_id)


def join_as_facilitator(store, key):
    """Return (actor, workshop with room states and participants, every open room's board)."""
    with store.read() as db:
        rows = list(db["workshops"].rows_where("facilitator_key = ?", [key], limit=1)) if (
            isinstance(key, str) and key) else []
        if not rows:
            raise not_found(KEY_NOT_FOUND)
        workshop = rows[0]
        every_room = list(db["rooms"].rows_where(
            "workshop_id = ?", [workshop["id"]], order_by="position"))
        rooms = [room for room in every_room if not room["closed"]]
        view = {
            "id": workshop["id"],
            "title": workshop["title"],
            "cities": json.loads(workshop["cities"]),
            "lobby_code": workshop["lobby_code"],
            "rooms": [room_state(room) for room in rooms],
            # Closed rooms keep their boards for the outputs (exports by room code).
            "closed_rooms": [{key: room[key] for key in ("code", "name", "theme")}
                             for room in every_room if room["closed"]],
            # Where each person is: the console draws people only from this and `placed`.
            "participants": placements(db, workshop["id"]),
        }
        boards = {room["code"]: snapshot(db, room) for room in rooms}
        # The facilitator also sees the cities each note is filed under besides its author's.
        notes = [note for board in boards.values() for note in board["notes"]]
        tags = tags_by_note(db, [note["id"] for note in notes], view["cities"])
        for note in notes:
            note["tags"] = tags.get(note["id"], [])
    return facilitator_actor(workshop["id"]), view, boards
