"""Facilitator op types for rooms: lock, hidden notes, voting, timer, messages, add/close."""

from datetime import datetime, timedelta, timezone

from .. import rules
from ..boards import GAP, group_dict, note_dict, room_state, with_indexes
from ..db import get, rows, update
from ..errors import conflict
from ..i18n import N_
from ..placement import BY_CLOSING, place
from .registry import operation
from ..workshops import LANGUAGE, MAX_ROOMS, TEMPLATE, add_room

ROOM = {"room": rules.Id("room")}
SECONDS = rules.Integer(N_("Seconds"), 5, 6 * 3600)
VOTES = rules.Integer(N_("Votes per participant"), 1, 50)
MESSAGE = rules.Text(N_("Message"), 1, 280)


def set_state(change, **updates):
    """Update the current room's state columns; return the event fields with the new state."""
    update(change.db, "rooms", change.room["id"], updates)
    change.room = get(change.db, "rooms", change.room["id"])
    return {"state": room_state(change.room)}


def facilitator_op(name, required=None, optional=None, every_room=False):
    return operation(name, required=required, optional=optional, who="facilitator",
                     every_room=every_room)


@facilitator_op("room.lock", optional=ROOM, every_room=True)
def lock_room(change, fields):
    return set_state(change, locked=1)


@facilitator_op("room.unlock", optional=ROOM, every_room=True)
def unlock_room(change, fields):
    return set_state(change, locked=0)


@facilitator_op("room.hide", optional=ROOM, every_room=True)
def hide_notes(change, fields):
    return set_state(change, hidden=1)


@facilitator_op("room.reveal", optional=ROOM, every_room=True)
def reveal_notes(change, fields):
    """Show every note to everyone: the broadcast carries them whole."""
    result = set_state(change, hidden=0)
    notes = rows(change.db, "SELECT * FROM notes WHERE room_id = ? ORDER BY position",
                 [change.room["id"]])
    return {**result, "notes": with_indexes([note_dict(note, None) for note in notes])}


@facilitator_op("voting.open", required={"votes_per_participant": VOTES},
                optional={**ROOM, "several_per_note": rules.Boolean("several_per_note")},
                every_room=True)
def open_voting(change, fields):
    """Start a fresh round of dot voting: earlier votes in the room are cleared.

    `several_per_note`: a person may put several of their dots on one note (default: one).
    """
    change.db.execute("DELETE FROM votes WHERE room_id = ?", [change.room["id"]])
    change.db.execute("UPDATE notes SET votes = 0 WHERE room_id = ?", [change.room["id"]])
    return set_state(change, votes_per_participant=fields["votes_per_participant"],
                     votes_several=int(fields.get("several_per_note", False)))


@facilitator_op("voting.close", optional=ROOM, every_room=True)
def close_voting(change, fields):
    return set_state(change, votes_per_participant=None, votes_several=0)


@facilitator_op("timer.start", required={"seconds": SECONDS}, optional=ROOM, every_room=True)
def start_timer(change, fields):
    """Count down on the server: a late joiner or a reload sees the same remaining time."""
    deadline = datetime.now(timezone.utc) + timedelta(seconds=fields["seconds"])
    iso = deadline.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return set_state(change, timer_deadline=iso)


@facilitator_op("timer.stop", optional=ROOM, every_room=True)
def stop_timer(change, fields):
    return set_state(change, timer_deadline=None)


@facilitator_op("workshop.broadcast", required={"message": MESSAGE}, optional=ROOM,
                every_room=True)
def broadcast_message(change, fields):
    return {"message": fields["message"]}


@facilitator_op("room.rename", required={**ROOM, "name": rules.ROOM_NAME},
                optional={"theme": rules.ROOM_THEME})
def rename_room(change, fields):
    updates = {"name": fields["name"]}
    if "theme" in fields:
        updates["theme"] = fields["theme"]
    return set_state(change, **updates)


@facilitator_op("room.close", required=ROOM)
def close_room(change, fields):
    """Close a room: its board is kept for the outputs; its people go back to the lobby."""
    open_rooms = [room for room in change.open_rooms() if room["id"] != change.room["id"]]
    if not open_rooms:
        raise conflict("A workshop needs at least one open room, so its last room cannot close.")
    people = rows(change.db, "SELECT * FROM participants WHERE room_id = ?", [change.room["id"]])
    for person in people:
        place(change.db, person, None, BY_CLOSING)
        change.placed.append(person["id"])
        change.notify(person["id"], "assigned", {"room": None})
    result = set_state(change, closed=1)
    return {**result, "state": {**result["state"], "closed": True}}


@operation("room.add", required={"name": rules.ROOM_NAME, "theme": rules.ROOM_THEME},
           optional={"template": TEMPLATE}, who="facilitator", scope="workshop")
def add_new_room(change, fields):
    """Add a room to the workshop; its log starts with this op; the ack carries it."""
    room = {**fields, "template": fields.get("template", "blank")}
    return {"created": open_room(change, room)[1]}


def open_room(change, room):
    """Add a room (name, theme, template) at the end of the workshop, logging its creation
    as its seq 1; return (its row, its state with groups)."""
    if len(change.open_rooms()) >= MAX_ROOMS:
        raise conflict("A workshop can have at most %(most)s open rooms. Close one to add another.",
                       most=MAX_ROOMS)
    position = change.db.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM rooms WHERE workshop_id = ?",
        [change.actor.workshop_id],
    ).fetchone()[0]
    (language,) = change.db.execute("SELECT language FROM workshops WHERE id = ?",
                                    [change.actor.workshop_id]).fetchone()
    row = add_room(change.db, change.actor.workshop_id, room, position, change.now, language)
    row = get(change.db, "rooms", row["id"])
    groups = [group_dict(group) for group in change.groups(room=row)]
    created = {**room_state(row), "groups": groups}
    change.log(row, {"created": created})
    return row, created


@facilitator_op("group.sort", required={**ROOM, "group_id": rules.Id("group_id")})
def sort_group_by_votes(change, fields):
    """Order a group's notes by votes, most first; ties keep their order."""
    group = change.group(fields["group_id"])
    notes = rows(change.db, "SELECT * FROM notes WHERE group_id = ? ORDER BY votes DESC, position",
                 [group["id"]])
    for index, note in enumerate(notes):
        if note["position"] != index * GAP:
            update(change.db, "notes", note["id"], {"position": index * GAP})
    return {"group_id": group["id"], "order": [note["id"] for note in notes]}



@operation("workshop.language", required={"language": LANGUAGE}, who="facilitator",
           scope="workshop")
def set_language(change, fields):
    """The workshop's default language: pages speak it when the browser asks for none we ship."""
    change.db.execute("UPDATE workshops SET language = ? WHERE id = ?",
                      [fields["language"], change.actor.workshop_id])
    return {"language": fields["language"]}
