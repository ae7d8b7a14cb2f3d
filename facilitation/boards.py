"""A room's board: its groups and notes as clients see them, and the rules for positions."""

import json

NOTE_FIELDS = (
    "id", "group_id", "text", "color", "author_id", "author", "city",
    "position", "created_at", "updated_at",
)
NOTE_COLUMNS = ", ".join(NOTE_FIELDS)


def note_dict(row):
    return {field: row[field] for field in NOTE_FIELDS}


def group_dict(row):
    return {"id": row["id"], "name": row["name"], "position": row["position"]}


def board_room(db, room):
    workshop = db["workshops"].get(room["workshop_id"])
    return {
        "code": room["code"],
        "name": room["name"],
        "theme": room["theme"],
        "template": room["template"],
        "workshop": {"id": workshop["id"], "title": workshop["title"]},
    }


def snapshot(db, room):
    """Return the whole board of a room row, as a participant's `join` receives it."""
    groups = db.execute(
        "SELECT id, name, position FROM note_groups WHERE room_id = ? ORDER BY position",
        [room["id"]],
    ).fetchall()
    order = {group_id: index for index, (group_id, _, _) in enumerate(groups)}
    cursor = db.execute(f"SELECT {NOTE_COLUMNS} FROM notes WHERE room_id = ?", [room["id"]])
    notes = [dict(zip(NOTE_FIELDS, row)) for row in cursor.fetchall()]
    notes.sort(key=lambda note: (order.get(note["group_id"], 0), note["position"]))
    return {
        "room": board_room(db, room),
        "groups": [{"id": gid, "name": name, "position": pos} for gid, name, pos in groups],
        "notes": notes,
        "seq": room["seq"],
    }


def ops_since(db, room, since):
    """Return every logged op of a room after `since`, in seq order, as broadcast."""
    cursor = db.execute(
        "SELECT event FROM ops WHERE room_id = ? AND seq > ? ORDER BY seq", [room["id"], since]
    )
    return [json.loads(event) for (event,) in cursor.fetchall()]


def count_notes(db, group_id, excluding=None):
    return db.execute(
        "SELECT count(*) FROM notes WHERE group_id = ? AND id IS NOT ?", [group_id, excluding]
    ).fetchone()[0]


def close_up(db, group_id, position, excluding):
    """Shift a group's notes after `position` one place up (a note left it)."""
    db.execute(
        "UPDATE notes SET position = position - 1 WHERE group_id = ? AND position > ? AND id != ?",
        [group_id, position, excluding],
    )


def open_gap(db, group_id, position, excluding):
    """Shift a group's notes from `position` on one place down (a note arrives there)."""
    db.execute(
        "UPDATE notes SET position = position + 1 WHERE group_id = ? AND position >= ? AND id != ?",
        [group_id, position, excluding],
    )


def place_note(db, note, group_id, position, now):
    """Move a note to `position` in a group (possibly its own); the others close up or shift."""
    close_up(db, note["group_id"], note["position"], note["id"])
    count = count_notes(db, group_id, excluding=note["id"])
    position = count if position is None else min(position, count)
    open_gap(db, group_id, position, note["id"])
    db["notes"].update(note["id"], {"group_id": group_id, "position": position, "updated_at": now})
    return position
