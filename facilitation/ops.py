"""The operation pipeline: the one way in for every change to a board.

`run_op` validates an op, checks who may send it, applies it and appends it to the room's op
log in one SQLite transaction. Only after the commit does the caller acknowledge it and
broadcast the events it returns. Op types register themselves with `@operation`.
"""

import json
from dataclasses import dataclass, field

from . import rules
from .errors import Refused, forbidden, invalid, not_found
from .util import now_iso

REGISTRY = {}


@dataclass(frozen=True)
class OpType:
    name: str
    apply: object
    required: dict
    optional: dict
    who: str  # "room": anyone in the room; "facilitator": the workshop's facilitator only


def operation(name, required=None, optional=None, who="room"):
    """Register an op type: its payload rules, who may send it, and the function applying it."""

    def register(apply):
        REGISTRY[name] = OpType(name, apply, required or {}, optional or {}, who)
        return apply

    return register


@dataclass(frozen=True)
class Actor:
    """Who sends an op: a participant joined to a room, or a workshop's facilitator."""

    kind: str  # "participant" or "facilitator"
    id: str
    name: str
    city: str | None
    workshop_id: str
    room_id: str | None = None

    def public(self):
        return {"id": self.id, "name": self.name, "city": self.city}


@dataclass
class Outcome:
    """What a committed op gives back: the ack, and (room code, event) pairs to broadcast."""

    ack: dict
    broadcasts: list = field(default_factory=list)
    repeated: bool = False


class _Repeat(Exception):
    def __init__(self, event):
        self.event = event


class Change:
    """One op being applied, inside its transaction: look-ups scoped to the room, and the log."""

    def __init__(self, db, actor, room, now):
        self.db, self.actor, self.room, self.now = db, actor, room, now

    def _in_room(self, table, row_id):
        rows = self.db[table].rows_where("id = ? AND room_id = ?", [row_id, self.room["id"]])
        return next(iter(rows), None)

    def note(self, note_id):
        note = self._in_room("notes", note_id)
        if note is None:
            raise not_found("This note is not on this board any more.")
        return note

    def group(self, group_id):
        group = self._in_room("note_groups", group_id)
        if group is None:
            raise not_found("This group is not on this board any more.")
        return group

    def groups(self):
        return list(
            self.db["note_groups"].rows_where("room_id = ?", [self.room["id"]], order_by="position")
        )

    def require_author(self, note, action):
        if self.actor.kind != "facilitator" and note["author_id"] != self.actor.id:
            raise forbidden(f"Only the person who wrote a note can {action} it.")


def _take_seq(db, room_id):
    """Reserve the room's next seq; being a write, it also takes SQLite's write lock first."""
    return db.execute(
        "UPDATE rooms SET seq = seq + 1 WHERE id = ? RETURNING seq", [room_id]
    ).fetchone()[0]


def check_op(payload):
    """Return (op type, op_id, clean fields) for a payload, or raise `invalid`."""
    if not isinstance(payload, dict):
        raise invalid("An op must be a JSON object with a type and an op_id.")
    name = payload.get("type")
    if not isinstance(name, str) or name not in REGISTRY:
        shown = name[:40] if isinstance(name, str) else name
        raise invalid(f"Unknown op type: {shown!r}.")
    if payload.get("op_id") is None:
        raise invalid("op_id is missing.")
    op_id = rules.OP_ID(payload["op_id"])
    optype = REGISTRY[name]
    return optype, op_id, rules.check(payload, optype.required, optype.optional)


def run_op(store, actor, payload):
    """Apply one op for an actor, atomically; return its Outcome or raise Refused."""
    if actor is None:
        raise Refused("not_joined", "Join a room before making changes.")
    optype, op_id, fields = check_op(payload)
    if optype.who == "facilitator" and actor.kind != "facilitator":
        raise forbidden("Only the facilitator can do that.")
    try:
        with store.write() as db:
            room = db["rooms"].get(actor.room_id)
            seq = _take_seq(db, room["id"])
            previous = db.execute(
                "SELECT event FROM ops WHERE room_id = ? AND op_id = ?", [room["id"], op_id]
            ).fetchone()
            if previous:
                raise _Repeat(json.loads(previous[0]))
            change = Change(db, actor, room, now_iso())
            result = optype.apply(change, fields)
            event = {
                "seq": seq,
                "type": optype.name,
                "op_id": op_id,
                "room": room["code"],
                "actor": actor.public(),
                **result,
            }
            db["ops"].insert(
                {
                    "room_id": room["id"],
                    "seq": seq,
                    "op_id": op_id,
                    "type": optype.name,
                    "actor_id": actor.id,
                    "event": json.dumps(event, ensure_ascii=False),
                    "created_at": change.now,
                }
            )
    except _Repeat as repeat:
        return Outcome(ack={"ok": True, **repeat.event}, repeated=True)
    return Outcome(ack={"ok": True, **event}, broadcasts=[(room["code"], event)])


# Op types register themselves on import.
from . import board_ops  # noqa: E402,F401
