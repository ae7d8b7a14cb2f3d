"""Participants: joining a room by its code, with a name and a city or a kept token."""

import json

from . import rules
from .boards import ops_since, snapshot
from .errors import Refused, invalid, not_found
from .ops import Actor
from .util import new_id, new_participant_token, now_iso
from .workshops import find_room

ROOM_NOT_FOUND = "This room link is not valid. Check the link you were given."


def actor_for(participant, room_id):
    return Actor(
        kind="participant",
        id=participant["id"],
        name=participant["name"],
        city=participant["city"],
        workshop_id=participant["workshop_id"],
        room_id=room_id,
    )


def join(store, payload):
    """Join a room; return (actor, participant as the client sees it, board snapshot)."""
    if not isinstance(payload, dict):
        raise invalid("Join needs a JSON object with the room code, your name and your city.")
    with store.write() as db:
        room = find_room(db, payload.get("room"))
        if room is None:
            raise not_found(ROOM_NOT_FOUND)
        participant = _returning(db, room, payload.get("token"))
        if participant is None:
            participant = _new_participant(db, room, payload)
        board = snapshot(db, room)
    public = {key: participant[key] for key in ("id", "name", "city", "token")}
    return actor_for(participant, room["id"]), public, board


def _returning(db, room, token):
    if not isinstance(token, str) or not token:
        return None
    rows = db["participants"].rows_where(
        "token = ? AND workshop_id = ?", [token, room["workshop_id"]], limit=1
    )
    return next(iter(rows), None)


def _new_participant(db, room, payload):
    if payload.get("name") is None and payload.get("token") is not None:
        raise not_found("We could not recognise you on this board. Please enter your name and city.")
    fields = rules.check(payload, required={"name": rules.PERSON_NAME, "city": rules.CITY})
    cities = json.loads(db["workshops"].get(room["workshop_id"])["cities"])
    if fields["city"] not in cities:
        raise invalid(f"Pick your city from the list: {', '.join(cities)}.")
    participant = {
        "id": new_id(),
        "workshop_id": room["workshop_id"],
        "name": fields["name"],
        "city": fields["city"],
        "token": new_participant_token(),
        "created_at": now_iso(),
    }
    db["participants"].insert(participant)
    return participant


def sync(store, actor, payload):
    """Return every op of the actor's room after `since`."""
    if actor is None:
        raise Refused("not_joined", "Join a room before asking for changes.")
    fields = rules.check(payload, required={"since": rules.Integer("since", 0)})
    with store.read() as db:
        room = db["rooms"].get(actor.room_id)
        return ops_since(db, room, fields["since"])
