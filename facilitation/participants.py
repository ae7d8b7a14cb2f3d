"""Participants: joining a room or a workshop's lobby with a name and a city, or a kept token."""


from . import rules
from .db import get, insert, one
from .boards import catch_up, ops_since, snapshot
from .errors import Refused, invalid, not_found
from .i18n import N_
from .placement import BY_LINK, BY_LOBBY, place
from .actors import Actor
from .ops.pipeline import MOVED
from .tags import tags_by_note
from .util import new_participant_token, new_id, now_iso
from .public import room_by_code as find_room, workshop_by_lobby, workshop_info
from .tags import workshop_cities

ROOM_NOT_FOUND = N_("This room link is not valid. Check the link you were given.")
LOBBY_NOT_FOUND = N_("This workshop link is not valid. Check the link you were given.")


def actor_for(participant, room_id):
    return Actor(
        kind="participant",
        id=participant["id"],
        name=participant["name"],
        city=participant["city"],
        workshop_id=participant["workshop_id"],
        room_id=room_id,
    )


def public(participant):
    return {key: participant[key] for key in ("id", "name", "city", "token")}


SINCE = rules.Integer("since", 0)


def join(store, payload):
    """Join a room; return (actor, participant as the client sees it, its catch-up).

    The catch-up is what `boards.catch_up` gives for the payload's `since` (the last seq the
    client holds of this room): {"catch_up": "ops", "ops": [...], "seq": n} or
    {"catch_up": "board", "board": {...}}.
    """
    if not isinstance(payload, dict):
        raise invalid("Join needs a JSON object with the room code, your name and your city.")
    since = SINCE(payload["since"]) if payload.get("since") is not None else None
    with store.write() as db:
        room = find_room(db, payload.get("room"))
        if room is None:
            raise not_found(ROOM_NOT_FOUND)
        if room["closed"]:
            raise Refused("closed", "The facilitator has closed this room.")
        participant = identify(db, room["workshop_id"], payload)
        placed = place(db, participant, room, BY_LINK)
        if (placed and placed["id"]) != room["id"]:
            raise placed_elsewhere(placed)
        kind, found = catch_up(db, room, since, viewer_id=participant["id"])
    if kind == "ops":
        answer = {"catch_up": "ops", "room_code": room["code"], "ops": found, "seq": room["seq"]}
    else:
        answer = {"catch_up": "board", "room_code": room["code"], "board": found}
    return actor_for(participant, room["id"]), public(participant), answer


def placed_elsewhere(room):
    """The answer to a room link when the facilitator placed the person elsewhere (placement.py):
    nothing changes, and `room` says where they are (null: the lobby) so the page goes there."""
    if room is None:
        return Refused("placed", N_("The facilitator has asked you to wait in the workshop "
                                    "lobby. Taking you there."), room=None)
    return Refused("placed", N_("The facilitator has placed you in another room. Taking you "
                                "there."), room=room["code"])


def join_lobby(store, payload):
    """Join a workshop's lobby; return (actor, participant, workshop, assigned room code)."""
    if not isinstance(payload, dict):
        raise invalid("Join needs a JSON object with the workshop code, your name and your city.")
    with store.write() as db:
        workshop = workshop_by_lobby(db, payload.get("lobby"))
        if workshop is None:
            raise not_found(LOBBY_NOT_FOUND)
        participant = identify(db, workshop["id"], payload)
        room = place(db, participant, None, BY_LOBBY)
        assigned = room["code"] if room and not room["closed"] else None
    return actor_for(participant, None), public(participant), workshop_info(workshop), assigned


def identify(db, workshop_id, payload):
    """The participant a kept token names, or a new one from a name and a city."""
    participant = _returning(db, workshop_id, payload.get("token"))
    if participant is None:
        participant = _new_participant(db, workshop_id, payload)
    return participant


def _returning(db, workshop_id, token):
    if not isinstance(token, str) or not token:
        return None
    return one(db, "SELECT * FROM participants WHERE token = ? AND workshop_id = ?",
               [token, workshop_id])


def _new_participant(db, workshop_id, payload):
    if payload.get("name") is None and payload.get("token") is not None:
        raise not_found("We could not recognise you on this board. Please enter your name and city.")
    fields = rules.check(payload, required={"name": rules.PERSON_NAME, "city": rules.CITY})
    cities = workshop_cities(db, workshop_id)
    if fields["city"] not in cities:
        raise invalid("Pick your city from the list: %(cities)s.", cities=", ".join(cities))
    participant = {
        "id": new_id(),
        "workshop_id": workshop_id,
        "name": fields["name"],
        "city": fields["city"],
        "token": new_participant_token(),
        "room_id": None,
        "created_at": now_iso(),
    }
    insert(db, "participants", participant)
    return participant


SYNC_PAGE = 200  # ops in one sync answer at most; `more: true` says ask again
SYNC_SNAPSHOT_AFTER = 1000  # further behind than this: a fresh board is cheaper than the log


def sync(store, actor, payload):
    """Return a page of a room's ops after `since` as the actor may see it, or a fresh board.

    A participant syncs the room they joined; the facilitator names a room of the workshop.
    Answer: {"ops": [...], "more": bool}, plus "board" (a snapshot as in join, and no ops) when
    `since` is more than SYNC_SNAPSHOT_AFTER behind.
    """
    if actor is None or not (actor.room_id or actor.is_facilitator):
        raise Refused("not_joined", "Join a room before asking for changes.")
    fields = rules.check(payload, required={"since": rules.Integer("since", 0)})
    with store.read() as db:
        if actor.is_facilitator:
            room = find_room(db, payload.get("room"))
            if room is None or room["workshop_id"] != actor.workshop_id:
                raise not_found("There is no such room in this workshop.")
            viewer = None
        else:
            room = get(db, "rooms", actor.room_id)
            viewer = actor.id
            (place,) = db.execute("SELECT room_id FROM participants WHERE id = ?",
                                  [actor.id]).fetchone()
            if place != room["id"]:
                raise MOVED
        if room["seq"] - fields["since"] > SYNC_SNAPSHOT_AFTER:
            board = snapshot(db, room, viewer_id=viewer)
            if viewer is None:
                tags = tags_by_note(db, [note["id"] for note in board["notes"]],
                                    workshop_cities(db, room["workshop_id"]))
                for note in board["notes"]:
                    note["tags"] = tags.get(note["id"], [])
            return {"ops": [], "more": False, "board": board}
        events = ops_since(db, room, fields["since"], viewer_id=viewer, limit=SYNC_PAGE + 1)
    return {"ops": events[:SYNC_PAGE], "more": len(events) > SYNC_PAGE}


def in_room(store, room_code):
    """The ids of the participants whose room is this one."""
    with store.read() as db:
        rows = db.execute("SELECT p.id FROM participants p JOIN rooms r ON r.id = p.room_id "
                          "WHERE r.code = ?", [room_code]).fetchall()
    return [participant_id for (participant_id,) in rows]
