"""Dot voting: participants vote and unvote on notes within the room's budget (one dot per note,
or several when the facilitator opened the round so)."""

from .. import rules
from ..db import insert, update
from ..errors import conflict
from .registry import operation

NOTE_ID = {"note_id": rules.Id("note_id")}


def open_budget(change):
    budget = change.room["votes_per_participant"]
    if budget is None:
        raise conflict("Voting is not open in this room.")
    return budget


def count_and_event(change, note):
    (votes,) = change.db.execute(
        "SELECT count(*) FROM votes WHERE note_id = ?", [note["id"]]).fetchone()
    update(change.db, "notes", note["id"], {"votes": votes})
    return {"note_id": note["id"], "votes": votes, "voter_id": change.actor.id}


@operation("note.vote", required=NOTE_ID, who="participant")
def vote(change, fields):
    note = change.note(fields["note_id"])
    budget = open_budget(change)
    already = change.db.execute(
        "SELECT note_id FROM votes WHERE room_id = ? AND participant_id = ?",
        [change.room["id"], change.actor.id]).fetchall()
    if (note["id"],) in already and not change.room["votes_several"]:
        raise conflict("You have already voted for this note: one vote per note.")
    if len(already) >= budget:
        raise conflict("You have used all your %(budget)s votes. Take one back to vote again.",
                       budget=budget)
    insert(change.db, "votes", {"note_id": note["id"], "participant_id": change.actor.id,
                               "room_id": change.room["id"], "created_at": change.now})
    return count_and_event(change, note)


@operation("note.unvote", required=NOTE_ID, who="participant")
def unvote(change, fields):
    note = change.note(fields["note_id"])
    open_budget(change)
    # One dot back (the latest), when the round lets a person put several on one note.
    deleted = change.db.execute(
        "DELETE FROM votes WHERE id = (SELECT max(id) FROM votes WHERE note_id = ? AND "
        "participant_id = ?)", [note["id"], change.actor.id]).rowcount
    if not deleted:
        raise conflict("You have not voted for this note.")
    return count_and_event(change, note)
