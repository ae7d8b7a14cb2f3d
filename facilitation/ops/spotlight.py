"""Spotlight: the facilitator shows one note large on every participant's screen."""

from .. import rules
from ..boards import spotlight_of
from ..errors import conflict, not_found
from .registry import operation

ROOM = {"room": rules.Id("room")}


def workshop_note(change, note_id):
    """A note of any room of the actor's workshop (open or closed), with its room's state."""
    row = change.db.execute(
        "SELECT r.hidden FROM notes n JOIN rooms r ON r.id = n.room_id "
        "WHERE n.id = ? AND r.workshop_id = ?", [note_id, change.actor.workshop_id]).fetchone()
    if row is None:
        raise not_found("This note is not on any board of this workshop.")
    if row[0]:
        raise conflict("This note's room hides notes while people write: reveal them before "
                       "showing one in the spotlight.")
    return spotlight_of(change.db, note_id)


@operation("spotlight.show", required={"note_id": rules.Id("note_id")}, optional=ROOM,
           who="facilitator", every_room=True)
def show(change, fields):
    """Show a note of any room of the workshop in a room (without `room`: every open room)."""
    shown = workshop_note(change, fields["note_id"])
    change.db.execute("UPDATE rooms SET spotlight_note_id = ? WHERE id = ?",
                      [fields["note_id"], change.room["id"]])
    return {"spotlight": shown}


@operation("spotlight.hide", optional=ROOM, who="facilitator", every_room=True)
def hide(change, fields):
    """End the spotlight in a room (without `room`: in every open room)."""
    change.db.execute("UPDATE rooms SET spotlight_note_id = NULL WHERE id = ?",
                      [change.room["id"]])
    return {"spotlight": None}
