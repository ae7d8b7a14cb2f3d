"""A workshop's notes with their room and group, ids included: what pairing and briefs read.

Exports deliberately carry no ids; a pairing's reasons and a brief's lines link to their notes,
so they read the notes here instead.
"""


from . import details as action
from .errors import invalid
from .public import cities as workshop_cities
from .tags import tags_by_note


def split_list(value):
    """"a, b,,c" -> ["a", "b", "c"] (a query parameter listing several names)."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def workshop_notes(db, workshop, rooms=None, groups=None):
    """Every note of a workshop (closed rooms too), in board order, as plain dicts.

    `rooms`: room codes to keep (an unknown code is `invalid`); `groups`: group names to keep,
    compared without case.
    """
    cities = workshop_cities(workshop)
    every_room = list(db["rooms"].rows_where("workshop_id = ?", [workshop["id"]],
                                             order_by="position"))
    if rooms:
        known = {room["code"] for room in every_room}
        unknown = [code for code in rooms if code not in known]
        if unknown:
            raise invalid("There is no such room in this workshop.")
        every_room = [room for room in every_room if room["code"] in rooms]
    wanted = {name.casefold() for name in groups or ()}
    notes = []
    for room in every_room:
        group_rows = db.execute(
            "SELECT id, name, status FROM note_groups WHERE room_id = ? ORDER BY position",
            [room["id"]]).fetchall()
        for group_position, (group_id, group_name, status) in enumerate(group_rows):
            if wanted and group_name.casefold() not in wanted:
                continue
            rows = db.execute(
                "SELECT id, text, author, city, votes, details, updated_at FROM notes "
                "WHERE group_id = ? ORDER BY position", [group_id]).fetchall()
            for note_id, text, author, city, votes, details, updated in rows:
                notes.append({
                    "id": note_id, "text": text, "author": author, "city": city,
                    "votes": votes, "details": action.decode(details), "updated_at": updated,
                    "room": room["code"], "room_name": room["name"], "theme": room["theme"],
                    "template": room["template"], "closed": bool(room["closed"]),
                    "group": group_name, "group_status": status,
                    "group_position": group_position,
                })
    tags = tags_by_note(db, [note["id"] for note in notes], cities)
    for note in notes:
        note["tags"] = tags.get(note["id"], [])
    return notes
