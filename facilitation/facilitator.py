"""The facilitator: joins with the secret key and sees every room of the workshop."""


from . import rules
from .boards import catch_up, room_state
from .errors import invalid, not_found
from .i18n import N_
from .actors import Actor
from .placement import placements
from .public import cities, workshop_by_key
from .tags import tags_by_note

KEY_NOT_FOUND = N_("This facilitator link is not valid. Check the link you were given.")


def facilitator_actor(workshop_id):
    return Actor(kind="facilitator", id=f"facilitator:{workshop_id}", name="Facilitator",
                 city=None, workshop_id=workshop_id)


SINCE = rules.Integer("since", 0)


def check_since(since):
    """A facilitator's `since`: {room code: last seq held}, or None."""
    if since is None:
        return {}
    if not isinstance(since, dict):
        raise invalid("since must map room codes to the last seq you hold of each.")
    return {code: SINCE(seq) for code, seq in since.items() if seq is not None}


def join_as_facilitator(store, key, since=None):
    """Return (actor, workshop with room states and participants, each open room's catch-up).

    The catch-up is {"boards": {code: board}, "ops": {code: [ops after since]},
    "catch_up": {code: "board" | "ops"}}: a room named in `since` whose log still has every op
    after it gets its ops, any other open room its whole board (see `boards.catch_up`).
    """
    since = check_since(since)
    with store.read() as db:
        workshop = workshop_by_key(db, key)
        if workshop is None:
            raise not_found(KEY_NOT_FOUND)
        every_room = list(db["rooms"].rows_where(
            "workshop_id = ?", [workshop["id"]], order_by="position"))
        rooms = [room for room in every_room if not room["closed"]]
        view = {
            "id": workshop["id"],
            "title": workshop["title"],
            "cities": cities(workshop),
            "lobby_code": workshop["lobby_code"],
            "language": workshop["language"],
            "rooms": [room_state(room) for room in rooms],
            # Closed rooms keep their boards for the outputs (exports by room code).
            "closed_rooms": [{key: room[key] for key in ("code", "name", "theme")}
                             for room in every_room if room["closed"]],
            # Where each person is: the console draws people only from this and `placed`.
            "participants": placements(db, workshop["id"]),
        }
        boards, replays, kinds = {}, {}, {}
        for room in rooms:
            kind, found = catch_up(db, room, since.get(room["code"]))
            kinds[room["code"]] = kind
            (boards if kind == "board" else replays)[room["code"]] = found
        # The facilitator also sees the cities each note is filed under besides its author's.
        notes = [note for board in boards.values() for note in board["notes"]]
        tags = tags_by_note(db, [note["id"] for note in notes], view["cities"])
        for note in notes:
            note["tags"] = tags.get(note["id"], [])
    return (facilitator_actor(workshop["id"]), view,
            {"boards": boards, "ops": replays, "catch_up": kinds})
