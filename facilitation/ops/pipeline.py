"""The operation pipeline: the one way in for every change to a workshop's boards.

`run_op` validates an op, checks who may send it, applies it and appends it to the op log of
every room it touches, in one SQLite transaction. Only after the commit does the caller
acknowledge it and deliver the broadcasts and notices it returns. Op types register
themselves with `@operation`. `prepare_op` (checks that need no database) and `apply_op`
(inside a transaction someone else opened) are its two halves: the socket edge runs them
through `group_commit.GroupCommit`, which applies ops that arrive together in one
transaction, each in its own savepoint.
"""

import json
from dataclasses import dataclass, field

from .. import rules
from ..boards import hidden_view
from ..db import insert, one, rows
from ..errors import Refused, forbidden, invalid, not_found
from ..i18n import N_
from ..public import open_room
from ..util import now_iso
from .registry import REGISTRY

AUTHOR_ONLY = {
    "edit": N_("Only the person who wrote a note can edit it."),
    "delete": N_("Only the person who wrote a note can delete it."),
}


@dataclass(frozen=True)
class Broadcast:
    """An op event for everyone watching a room; `hidden`: the room hides others' note text."""

    room_code: str
    workshop_id: str
    event: dict
    hidden: bool


@dataclass(frozen=True)
class Notice:
    """A message for one participant's sockets, such as `assigned`."""

    participant_id: str
    name: str
    payload: dict


@dataclass
class Outcome:
    """What a committed op gives back: its ack, then what to deliver."""

    ack: dict
    broadcasts: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    placed: list = field(default_factory=list)  # ids of participants whose place changed
    workshop_id: str | None = None
    repeated: bool = False


class Change:
    """One op being applied, inside its transaction: scoped look-ups, and the op log."""

    def __init__(self, db, actor, room, optype, op_id, now):
        self.db, self.actor, self.room, self.now = db, actor, room, now
        self.optype, self.op_id = optype, op_id
        self.broadcasts, self.notices, self.placed = [], [], []

    def _in_room(self, table, row_id, room=None):
        room = room or self.room
        return one(self.db, f"SELECT * FROM {table} WHERE id = ? AND room_id = ?",
                   [row_id, room["id"]])

    def note(self, note_id, room=None):
        note = self._in_room("notes", note_id, room)
        if note is None:
            raise not_found("This note is not on this board any more.")
        return note

    def group(self, group_id, room=None):
        group = self._in_room("note_groups", group_id, room)
        if group is None:
            raise not_found("This group is not on this board any more.")
        return group

    def groups(self, room=None):
        room = room or self.room
        return rows(self.db, "SELECT * FROM note_groups WHERE room_id = ? ORDER BY position",
                    [room["id"]])

    def workshop_room(self, code):
        """Return an open room of the actor's workshop by its code, or raise not_found."""
        room = find_open_room(self.db, code, self.actor.workshop_id)
        if room is None:
            raise not_found("There is no such room in this workshop.")
        return room

    def open_rooms(self):
        return rows(self.db, "SELECT * FROM rooms WHERE workshop_id = ? AND closed = 0 "
                    "ORDER BY position", [self.actor.workshop_id])

    def require_author(self, note, action):
        if not self.actor.is_facilitator and note["author_id"] != self.actor.id:
            raise forbidden(AUTHOR_ONLY[action])

    def log(self, room, fields):
        """Append an event to a room's op log with the room's next seq; return the event."""
        seq, hidden = self.db.execute(
            "UPDATE rooms SET seq = seq + 1 WHERE id = ? RETURNING seq, hidden", [room["id"]]
        ).fetchone()
        event = {
            "seq": seq,
            "type": self.optype.name,
            "op_id": self.op_id,
            "room": room["code"],
            "actor": self.actor.public(),
            **fields,
        }
        insert(self.db, "ops", {
            "room_id": room["id"],
            "seq": seq,
            "op_id": self.op_id,
            "type": self.optype.name,
            "actor_id": self.actor.id,
            "event": json.dumps(event, ensure_ascii=False),
            "created_at": self.now,
        })
        self.broadcasts.append(Broadcast(room["code"], room["workshop_id"], event, bool(hidden)))
        return event

    def notify(self, participant_id, name, payload):
        self.notices.append(Notice(participant_id, name, payload))


find_open_room = open_room  # public.open_room, kept for ops.__init__'s callers


def check_op(payload):
    """Return (op type, op_id, clean fields) for a payload, or raise `invalid`."""
    if not isinstance(payload, dict):
        raise invalid("An op must be a JSON object with a type and an op_id.")
    name = payload.get("type")
    if not isinstance(name, str) or name not in REGISTRY:
        shown = name[:40] if isinstance(name, str) else name
        raise invalid("Unknown op type: %(type)s.", type=repr(shown))
    if payload.get("op_id") is None:
        raise invalid("op_id is missing.")
    op_id = rules.OP_ID(payload["op_id"])
    optype = REGISTRY[name]
    return optype, op_id, rules.check(payload, optype.required, optype.optional)


MOVED = Refused("not_joined", "You are in another room now (joined in another tab, or moved by "
                              "the facilitator): this page no longer changes this board. Reload "
                              "it to follow.")


def _primary_room(db, actor, optype, payload):
    """The room an op acts in: the participant's own, or the one a facilitator names."""
    if optype.scope == "workshop":
        return None
    if not actor.is_facilitator:
        if actor.room_id is None:
            raise Refused("not_joined", "You are in the lobby: the facilitator will open a room "
                                        "for you.")
        room = one(db, "SELECT r.*, (SELECT p.room_id FROM participants p WHERE p.id = ?) "
                       "AS place FROM rooms r WHERE r.id = ?", [actor.id, actor.room_id])
        if room["closed"]:
            raise Refused("closed", "The facilitator has closed this room.")
        if room.pop("place") != room["id"]:
            raise MOVED  # one person, one place: a stale tab writes nowhere
        if room["locked"]:
            raise Refused("locked", "The facilitator has locked this board: it can be read, "
                                    "not changed.")
        return room
    room = find_open_room(db, payload.get("room"), actor.workshop_id)
    if room is None:
        raise not_found("Say which room of this workshop: \"room\" must be one of its room codes.")
    return room


def _ack_for(db, actor, ack, hidden=None):
    """The ack as its sender may see it: a participant in a hidden room sees others' notes blank."""
    if actor.is_facilitator:
        return ack
    if hidden is None:
        row = db.execute("SELECT hidden FROM rooms WHERE id = ?", [actor.room_id]).fetchone()
        hidden = bool(row and row[0])
    return hidden_view(ack, actor.id, hidden)


def stored_ack(db, actor, op_id):
    """The ack an op already applied was answered with, or None: a retry answers the same.

    Kept as its sender saw it: a repeat from anywhere shows no more than that. An ack that is
    just its one logged event is read back from the op log; any other is in `acks`.
    """
    row = db.execute("SELECT ack FROM acks WHERE actor_id = ? AND op_id = ?",
                     [actor.id, op_id]).fetchone()
    if row:
        return json.loads(row[0])
    row = db.execute("SELECT event FROM ops WHERE actor_id = ? AND op_id = ?",
                     [actor.id, op_id]).fetchone()
    return {"ok": True, **json.loads(row[0])} if row else None


def remember_ack(db, actor, op_id, ack, now):
    """Keep an ack exactly as its sender saw it, so that a retry answers the same."""
    insert(db, "acks", {"actor_id": actor.id, "op_id": op_id,
                        "ack": json.dumps(ack, ensure_ascii=False), "created_at": now})


def prepare_op(actor, payload):
    """Check what needs no database: (op type, op_id, clean fields), or raise Refused."""
    if actor is None:
        raise Refused("not_joined", "Join a room before making changes.")
    optype, op_id, fields = check_op(payload)
    if (optype.who == "facilitator" or optype.scope == "workshop") and not actor.is_facilitator:
        raise forbidden("Only the facilitator can do that.")
    if optype.who == "participant" and actor.is_facilitator:
        raise forbidden("Only participants can do that.")
    return optype, op_id, fields


def run_op(store, actor, payload):
    """Apply one op for an actor, atomically; return its Outcome or raise Refused."""
    prepared = prepare_op(actor, payload)
    with store.write() as db:
        return apply_op(db, actor, prepared, payload)


def apply_op(db, actor, prepared, payload, now=None):
    """Apply a prepared op inside the caller's transaction; return its Outcome or raise.

    On a refusal the caller rolls the transaction (or the op's savepoint) back: whatever the
    op wrote before it was refused must not stay.
    """
    optype, op_id, fields = prepared
    previous = stored_ack(db, actor, op_id)
    if previous is not None:
        return Outcome(ack=previous, repeated=True)
    logged = None
    every_room = (optype.every_room and actor.is_facilitator
                  and payload.get("room") is None)
    room = None if every_room else _primary_room(db, actor, optype, payload)
    change = Change(db, actor, room, optype, op_id, now or now_iso())
    if optype.scope == "room" and not every_room:
        logged = {"ok": True, **change.log(room, optype.apply(change, fields))}
        ack = logged
    else:
        result = {}
        if every_room:
            for each in change.open_rooms():
                change.room = each
                change.log(each, optype.apply(change, fields))
        else:
            result = optype.apply(change, fields)
        seqs = {b.room_code: b.event["seq"] for b in change.broadcasts}
        ack = {"ok": True, "type": optype.name, "op_id": op_id, "rooms": seqs, **result}
    # A participant's op is logged last in their own room: that event knows if it hides.
    own = change.broadcasts[-1].hidden if change.broadcasts else None
    ack = _ack_for(db, actor, ack, own)
    if ack is not logged or len(change.broadcasts) != 1:
        remember_ack(db, actor, op_id, ack, change.now)
    # else: the ack is {"ok": true, **its one logged event}: the op log keeps it (stored_ack).
    return Outcome(ack=ack, broadcasts=change.broadcasts, notices=change.notices,
                   placed=change.placed, workshop_id=actor.workshop_id)
