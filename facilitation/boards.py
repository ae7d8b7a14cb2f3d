"""A room's board: its state, groups and notes as each viewer sees them, and position rules."""

import json
import math
from datetime import datetime, timezone

from .db import get, update
from .details import decode as decode_details
from .workshops import MAPS

NOTE_FIELDS = (
    "id", "group_id", "text", "color", "author_id", "author", "city",
    "position", "votes", "created_at", "updated_at", "lineage", "image_id", "alt",
    "details",
)
NOTE_COLUMNS = ", ".join(NOTE_FIELDS)


def note_dict(row, position):
    """A note as clients see it: `position` its index in its group (the row's `position` only
    orders the group, see GAP), `details` an object, or null when it has none."""
    note = {field: row[field] for field in NOTE_FIELDS}
    note["position"] = position
    note["details"] = decode_details(note["details"])
    return note


def with_indexes(notes):
    """Set each note's `position` to its index in its group; `notes` are in board order."""
    counts = {}
    for note in notes:
        note["position"] = counts[note["group_id"]] = counts.get(note["group_id"], -1) + 1
    return notes


def group_dict(row):
    return {"id": row["id"], "name": row["name"], "position": row["position"]}


def _seen_note(note, viewer_id):
    if note["author_id"] == viewer_id:
        return note
    return {**note, "text": None, "hidden": True, "image_id": None, "alt": None,
            "details": None}


def hidden_view(thing, viewer_id, hidden=True):
    """THE hidden-room view: a board snapshot, an event or an ack as `viewer_id` sees it.

    In a room that hides notes (`hidden`), a participant sees others' notes (`note`, `notes`, a
    spotlight's note) without their text or photo; the facilitator (`viewer_id` None) and every
    room that does not hide see everything whole. The one place this view is made: join
    snapshots, `sync`, acks and broadcasts all go through here, so nothing of others leaks.
    """
    if not hidden or viewer_id is None:
        return thing
    viewed = dict(thing)
    if isinstance(viewed.get("note"), dict):
        viewed["note"] = _seen_note(viewed["note"], viewer_id)
    if isinstance(viewed.get("notes"), list):
        viewed["notes"] = [_seen_note(note, viewer_id) for note in viewed["notes"]]
    spotlight = viewed.get("spotlight")
    # A spotlight on a note of this very room, replayed after the room started hiding notes.
    if isinstance(spotlight, dict) and spotlight.get("room") == viewed.get("room"):
        viewed["spotlight"] = {**spotlight, "note": _seen_note(spotlight["note"], viewer_id)}
    return viewed


ELSEWHERE = "elsewhere"  # another room, as participants see it (codes are 12 characters)


def for_participants(event):
    """An event as participants of its room see it: another room's code is only "elsewhere".

    The facilitator's events keep every code (where a person or a note went); a participant
    learns only that it left (or came from) another room, never a code to join it by.
    """
    own = event.get("room")
    viewed = None
    for key in ("from_room", "to_room"):
        value = event.get(key)
        if value is not None and value != own:
            viewed = viewed or dict(event)
            viewed[key] = ELSEWHERE
    return viewed or event


def timer_state(deadline):
    if not deadline:
        return None
    end = datetime.fromisoformat(deadline.replace("Z", "+00:00"))
    remaining = (end - datetime.now(timezone.utc)).total_seconds()
    return {"deadline": deadline, "remaining": max(0, math.ceil(remaining))}


def room_state(room):
    """A room's name and state as clients read it (without its workshop)."""
    budget = room["votes_per_participant"]
    return {
        "code": room["code"],
        "name": room["name"],
        "theme": room["theme"],
        "template": room["template"],
        "locked": bool(room["locked"]),
        "hidden": bool(room["hidden"]),
        "voting": {"votes_per_participant": budget,
                   "several_per_note": bool(room["votes_several"])} if budget is not None else None,
        "timer": timer_state(room["timer_deadline"]),
        # How to draw a map room's 2×2 (workshops.MAPS), or None: its groups are columns.
        "map": MAPS.get(room["template"]),
    }


def board_room(db, room):
    workshop = get(db, "workshops", room["workshop_id"])
    return {
        **room_state(room),
        "workshop": {
            "id": workshop["id"],
            "title": workshop["title"],
            "lobby_code": workshop["lobby_code"],
        },
    }


def snapshot(db, room, viewer_id=None):
    """Return the whole board of a room row as `viewer_id` sees it (None: the facilitator)."""
    groups = db.execute(
        "SELECT id, name, position, status FROM note_groups WHERE room_id = ? ORDER BY position",
        [room["id"]],
    ).fetchall()
    order = {group_id: index for index, (group_id, *_) in enumerate(groups)}
    cursor = db.execute(f"SELECT {NOTE_COLUMNS} FROM notes WHERE room_id = ?", [room["id"]])
    notes = [dict(zip(NOTE_FIELDS, row)) for row in cursor.fetchall()]
    for note in notes:
        if note["details"] is not None:
            note["details"] = decode_details(note["details"])
    notes.sort(key=lambda note: (order.get(note["group_id"], 0), note["position"]))
    with_indexes(notes)
    board = {
        "room": board_room(db, room),
        # An action table's groups also say the status they stand for (status follows the group).
        "groups": [{"id": gid, "name": name, "position": pos, **({"status": status} if status else {})}
                   for gid, name, pos, status in groups],
        "notes": notes,
        "seq": room["seq"],
        "spotlight": spotlight(db, room),
    }
    if viewer_id is not None:
        board["my_votes"] = my_votes(db, room["id"], viewer_id)
    return hidden_view(board, viewer_id, room["hidden"])


def spotlight_of(db, note_id):
    """The spotlight on a note, as events and joins carry it; None when the note is gone or
    its room hides notes now."""
    row = db.execute(
        f"SELECT {', '.join('n.' + f for f in NOTE_FIELDS)}, r.code, r.hidden, g.name "
        "FROM notes n JOIN rooms r ON r.id = n.room_id JOIN note_groups g ON g.id = n.group_id "
        "WHERE n.id = ?", [note_id]).fetchone()
    if row is None or row[-2]:
        return None
    note = dict(zip(NOTE_FIELDS, row))
    note["position"] = index_in_group(db, note)
    return {"note": note, "room": row[-3], "group": {"id": note["group_id"], "name": row[-1]}}


def spotlight(db, room):
    """The note a room shows in the spotlight now, or None."""
    note_id = room.get("spotlight_note_id")
    return spotlight_of(db, note_id) if note_id else None


def my_votes(db, room_id, participant_id):
    rows = db.execute(
        "SELECT note_id FROM votes WHERE room_id = ? AND participant_id = ? ORDER BY id",
        [room_id, participant_id],
    ).fetchall()
    return [note_id for (note_id,) in rows]


def ops_since(db, room, since, viewer_id=None, limit=-1):
    """Return the logged ops of a room after `since` (at most `limit`; -1: all), in seq order,
    as `viewer_id` sees them."""
    cursor = db.execute(
        "SELECT event FROM ops WHERE room_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        [room["id"], since, limit]
    )
    events = [json.loads(event) for (event,) in cursor.fetchall()]
    if viewer_id is None:
        return events
    return [hidden_view(for_participants(event), viewer_id, room["hidden"]) for event in events]


MAX_REPLAY = 500  # past this many ops behind, the whole board is smaller and quicker to apply


def catch_up(db, room, since, viewer_id=None):
    """What a client that holds a room's board up to `since` needs to be current.

    Returns ("ops", the ops after `since` in seq order) when the log still has every one of
    them and there are at most MAX_REPLAY; otherwise ("board", the whole board), also when
    `since` is None (the client holds nothing) or past the room's last seq (the client's copy
    is not of this database). Both as `viewer_id` sees them (None: the facilitator).
    """
    behind = room["seq"] - since if since is not None else None
    if behind is not None and 0 <= behind <= MAX_REPLAY:
        events = ops_since(db, room, since, viewer_id) if behind else []
        if len(events) == behind and (not events or events[0]["seq"] == since + 1):
            return "ops", events
    return "board", snapshot(db, room, viewer_id=viewer_id)


# A note's `position` column only orders the notes of its group: numbers with room between
# them, so that a note moved or added anywhere takes a number between its new neighbours and no
# other note is rewritten (a move used to shift every note after its old and new places). What
# clients see as `position` is the note's index in its group, counted from 0.
GAP = 1 << 32  # between the numbers of neighbours when a group is (re)numbered


def end_of_group(db, group_id):
    """(how many notes the group holds, a number after its last one)."""
    count, last = db.execute(
        "SELECT note_count, (SELECT max(position) FROM notes WHERE group_id = ?) "
        "FROM note_groups WHERE id = ?", [group_id, group_id]).fetchone()
    return count, 0 if last is None else last + GAP


def notes_in_group(db, group_id):
    """How many notes a group holds (kept by triggers: schema.m050_note_counts)."""
    return db.execute("SELECT note_count FROM note_groups WHERE id = ?", [group_id]).fetchone()[0]


def index_in_group(db, note):
    """Where a note stands in its group, counted from 0: the `position` clients see."""
    return db.execute("SELECT count(*) FROM notes WHERE group_id = ? AND position < ?",
                      [note["group_id"], note["position"]]).fetchone()[0]


def number_for(db, group_id, index, excluding):
    """The order number that puts a note at `index` among the group's other notes."""
    around = [n for (n,) in db.execute(
        "SELECT position FROM notes WHERE group_id = ? AND id != ? ORDER BY position "
        "LIMIT 2 OFFSET ?", [group_id, excluding, max(index - 1, 0)])]
    if index == 0:
        return around[0] - GAP if around else 0
    before = around[0]
    after = around[1] if len(around) > 1 else None
    if after is None:
        return before + GAP
    if after - before >= 2:
        return (before + after) // 2
    renumber(db, group_id, excluding)  # no number left between them: spread the group out
    return number_for(db, group_id, index, excluding)


def renumber(db, group_id, excluding=None):
    """Give a group's notes (but `excluding`) numbers GAP apart, in their order."""
    ids = [i for (i,) in db.execute(
        "SELECT id FROM notes WHERE group_id = ? ORDER BY position", [group_id]) if i != excluding]
    db.conn.executemany("UPDATE notes SET position = ? WHERE id = ?",
                        [(index * GAP, note_id) for index, note_id in enumerate(ids)])


def place_note(db, note, group_id, position, room_id=None):
    """Move a note to index `position` in a group (None or past the end: last), possibly its
    own, possibly in another room; return the note as moved, `position` its new index.

    Only the note itself is written. A move is not an edit: `updated_at` stays, so it keeps
    meaning "text or colour changed".
    """
    others = notes_in_group(db, group_id) - (note["group_id"] == group_id)
    index = others if position is None else min(position, others)
    updates = {"position": number_for(db, group_id, index, note["id"])}
    if group_id != note["group_id"]:
        updates["group_id"] = group_id
    if room_id is not None:
        updates["room_id"] = room_id
    update(db, "notes", note["id"], updates)
    return {**note, **updates, "position": index}
