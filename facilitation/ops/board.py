"""Op types for a board's notes and groups. Each returns the resulting objects as stored."""

from .. import details as action
from .. import rules
from ..boards import GAP, end_of_group, group_dict, index_in_group, note_dict, place_note
from ..db import delete, insert, rows, update
from ..errors import Refused, conflict, forbidden, invalid
from ..i18n import N_
from ..photos import image_for_note
from .registry import operation
from ..util import new_id

NOTE_ID = {"note_id": rules.Id("note_id")}
GROUP_ID = {"group_id": rules.Id("group_id")}
POSITION = rules.Integer(N_("Position"), 0, 1_000_000)
PHOTO = {"image_id": rules.Nullable(rules.Id("image_id")), "alt": rules.ALT}


def photo_fields(change, fields, note=None):
    """The photo columns an op sets: `image_id` (null removes it) and its description `alt`."""
    if "image_id" in fields:
        if fields["image_id"] is None:
            return {"image_id": None, "alt": None}
        image_for_note(change, fields["image_id"])
        alt = fields.get("alt", note["alt"] if note and note["image_id"] else "")
        return {"image_id": fields["image_id"], "alt": alt or ""}
    if "alt" in fields:
        if not (note and note["image_id"]):
            raise invalid("This note has no photo to describe.")
        return {"alt": fields["alt"]}
    return {}


@operation(
    "note.add",
    required={"text": rules.NOTE_TEXT},
    optional={"color": rules.COLOR, "group_id": rules.Id("group_id"), "details": action.DETAILS,
              **PHOTO},
)
def add_note(change, fields):
    # The room was read in this op's transaction; its count is kept by triggers (schema.m050).
    if change.room["note_count"] >= rules.MAX_NOTES_PER_ROOM:
        raise conflict("This board is full (%(most)s notes). Ask the "
                       "facilitator to make room.", most=rules.MAX_NOTES_PER_ROOM)
    if "group_id" in fields:
        group = change.group(fields["group_id"])
    else:
        group = change.groups()[0]
    actor = change.actor
    note_id = new_id()
    count, number = end_of_group(change.db, group["id"])
    # On an action-table board the group says where the action stands, unless the note says.
    details = action.merge(None, fields.get("details", {}))
    if group["status"] and not (details or {}).get("status"):
        details = action.with_status(details, group["status"])
    note = {
        "id": note_id,
        "room_id": change.room["id"],
        "group_id": group["id"],
        "text": fields["text"],
        "color": fields.get("color", rules.DEFAULT_COLOR),
        "author_id": actor.id,
        "author": actor.name,
        "city": actor.city or "",
        "position": number,
        "votes": 0,
        "created_at": change.now,
        "updated_at": change.now,
        "lineage": note_id,  # a fresh note starts its own lineage (history.py)
        "image_id": None,
        "alt": None,
        **photo_fields(change, fields),
        "details": action.encode(details),
    }
    insert(change.db, "notes", note)
    return {"note": note_dict(note, count)}


@operation(
    "note.update",
    required=NOTE_ID,
    optional={"text": rules.NOTE_TEXT, "color": rules.COLOR, "details": action.DETAILS,
              "if_updated_at": rules.Text("if_updated_at", 1, 40), **PHOTO},
)
def update_note(change, fields):
    """Edit a note's text, colour, photo or details. With `if_updated_at` (the version the editor
    started from), an edit made meanwhile by someone else is not overwritten: the editor is told
    and sees that version. In `details`, null clears a field and fields left out are kept."""
    if not {"text", "color", "image_id", "alt", "details"} & set(fields):
        raise invalid("Say what to change: text, colour, photo, its description or details.")
    note = change.note(fields["note_id"])
    change.require_author(note, "edit")
    if fields.get("if_updated_at", note["updated_at"]) != note["updated_at"]:
        raise Refused("conflict", "Someone changed this note while you were editing it. "
                                  "Their version is shown now; edit again to change it.",
                      note=note_dict(note, index_in_group(change.db, note)))
    updates = {key: fields[key] for key in ("text", "color") if key in fields}
    updates.update(photo_fields(change, fields, note))
    target = None
    if "details" in fields:
        details = action.merge(action.decode(note["details"]), fields["details"])
        updates["details"] = action.encode(details)
        target = status_group(change, note, (details or {}).get("status"))
    index = None
    if target is not None:  # status follows the group: the note goes to its status's group
        placed = place_note(change.db, note, target["id"], None)
        updates["group_id"], index = placed["group_id"], placed["position"]
    updates["updated_at"] = change.now
    update(change.db, "notes", note["id"], updates)
    row = {**note, **updates}
    result = {"note": note_dict(row, index_in_group(change.db, row) if index is None else index)}
    if target is not None:
        result["from_group_id"] = note["group_id"]
    return result


def status_group(change, note, status):
    """On an action table, the group a note goes to when its status becomes `status`: the group
    standing for it, when the note sits in a group standing for another status. None when it
    stays (no status, a group of no status, or no group for it, as for `dropped`)."""
    if not status:
        return None
    groups = change.groups()
    current = next((group for group in groups if group["id"] == note["group_id"]), None)
    if current is None or not current["status"] or current["status"] == status:
        return None
    return next((group for group in groups if group["status"] == status), None)


@operation(
    "note.move",
    required=NOTE_ID,
    optional={"group_id": rules.Id("group_id"), "position": POSITION,
              "to_room": rules.Id("to_room")},
)
def move_note(change, fields):
    note = change.note(fields["note_id"])
    if "to_room" in fields and fields["to_room"] != change.room["code"]:
        return move_note_to_room(change, note, fields)
    if "group_id" not in fields:
        raise invalid("group_id is missing.")
    group = change.group(fields["group_id"])
    moved = place_note(change.db, note, group["id"], fields.get("position"))
    moved = follow_status(change, moved, group)
    return {"note": note_dict(moved, moved["position"]), "from_group_id": note["group_id"]}


def follow_status(change, note, group):
    """A note arriving in a group that stands for a status (action table) takes that status."""
    if not group["status"]:
        return note
    details = action.decode(note["details"])
    changed = action.with_status(details, group["status"])
    if changed is details:
        return note
    encoded = action.encode(changed)
    update(change.db, "notes", note["id"], {"details": encoded})
    return {**note, "details": encoded}


def move_note_to_room(change, note, fields):
    """The facilitator moves a note to another room: gone from one log, present in the other."""
    if not change.actor.is_facilitator:
        raise forbidden("Only the facilitator can move notes to another room.")
    target = change.workshop_room(fields["to_room"])
    if "group_id" in fields:
        group = change.group(fields["group_id"], room=target)
    else:
        group = change.groups(room=target)[0]
    # Votes belong to a room's voting round: a note arriving elsewhere starts with none.
    change.db.execute("DELETE FROM votes WHERE note_id = ?", [note["id"]])
    update(change.db, "notes", note["id"], {"votes": 0})
    moved = place_note(change.db, {**note, "votes": 0}, group["id"], fields.get("position"),
                       room_id=target["id"])
    moved = follow_status(change, moved, group)
    shared = {"note": note_dict(moved, moved["position"]), "from_room": change.room["code"],
              "from_room_name": change.room["name"],
              "to_room": target["code"], "from_group_id": note["group_id"]}
    change.log(target, shared)
    return shared


@operation("note.delete", required=NOTE_ID)
def delete_note(change, fields):
    note = change.note(fields["note_id"])
    change.require_author(note, "delete")
    delete(change.db, "notes", note["id"])  # the others keep their order numbers
    return {"note_id": note["id"], "group_id": note["group_id"]}


@operation("group.add", required={"name": rules.GROUP_NAME})
def add_group(change, fields):
    groups = change.groups()
    if len(groups) >= rules.MAX_GROUPS_PER_ROOM:
        raise conflict("This board already has %(most)s groups, the most it can hold. Rename "
                       "or remove one instead.", most=rules.MAX_GROUPS_PER_ROOM)
    group = {
        "id": new_id(),
        "room_id": change.room["id"],
        "name": fields["name"],
        "position": len(groups),
        "created_at": change.now,
    }
    insert(change.db, "note_groups", group)
    return {"group": group_dict(group)}


@operation("group.rename", required={**GROUP_ID, "name": rules.GROUP_NAME})
def rename_group(change, fields):
    group = change.group(fields["group_id"])
    update(change.db, "note_groups", group["id"], {"name": fields["name"]})
    return {"group": group_dict({**group, "name": fields["name"]})}


@operation("group.delete", required=GROUP_ID)
def delete_group(change, fields):
    group = change.group(fields["group_id"])
    remaining = [g for g in change.groups() if g["id"] != group["id"]]
    if not remaining:
        raise conflict("A board needs at least one group, so its last group cannot be removed.")
    target = remaining[0]
    count, base = end_of_group(change.db, target["id"])
    notes = rows(change.db, "SELECT * FROM notes WHERE group_id = ? ORDER BY position",
                 [group["id"]])
    moved = []
    for offset, note in enumerate(notes):
        updates = {"group_id": target["id"], "position": base + offset * GAP}
        update(change.db, "notes", note["id"], updates)
        moved.append(note_dict(follow_status(change, {**note, **updates}, target),
                               count + offset))
    delete(change.db, "note_groups", group["id"])
    for position, remaining_group in enumerate(remaining):
        if remaining_group["position"] != position:
            update(change.db, "note_groups", remaining_group["id"], {"position": position})
    return {"group_id": group["id"], "moved_to": target["id"], "notes": moved}
