"""Import: rebuild a workshop from a room's, city's or workshop's JSON export (format 1).

Everything is checked before anything is written, and written in one transaction: a
malformed or foreign file creates nothing. The new workshop gets new ids, codes and keys;
its content (titles, groups, notes, authors, tags, votes, times) is the export's exactly.
"""

import base64
import binascii
import json
from datetime import datetime

from . import details as action
from . import images, rules
from .errors import Refused, invalid
from .db import insert
from .exports import FORMAT, IMAGE_TYPE
from .offload import offload
from .photos import new_image_id
from .i18n import N_
from .util import new_facilitator_key, new_id, new_room_code, now_iso
from .workshops import check_workshop, get_workshop

KINDS = ("workshop", "room", "city")
MAX_GROUPS = rules.MAX_GROUPS_PER_ROOM
MAX_NOTES = 20_000
VOTES = rules.Integer(N_("Votes"), 0, 1_000_000)
NOT_AN_EXPORT = N_("This is not a Breakout Boards export: expected a JSON object with "
                 "\"format\": 1, \"workshop\" and \"rooms\".")


def check_time(value, label):
    """An ISO 8601 timestamp string, kept exactly as given."""
    if not isinstance(value, str) or len(value) > 40:
        raise invalid("%(field)s must be an ISO 8601 time.", field=label)
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise invalid("%(field)s must be an ISO 8601 time, not %(value)s.", field=label,
                      value=repr(value[:40])) from None
    return value


def check_flag(value, label):
    """A room flag: true or false (missing means false)."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise invalid("%(field)s must be true or false.", field=label)
    return value


LINEAGE = rules.Id("lineage")


def check_image(image):
    """A note's photo as exports carry it: {"type": "image/webp", "data": base64, "alt"}."""
    if not isinstance(image, dict) or image.get("type") != IMAGE_TYPE:
        raise invalid("A photo must be an object with \"type\": \"%(type)s\" and its data.",
                      type=IMAGE_TYPE)
    data = image.get("data")
    if not isinstance(data, str) or len(data) > images.MAX_BYTES * 4 // 3 + 4:
        raise invalid("A photo's data must be base64 text of at most 10 MB.")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise invalid("A photo's data is not valid base64.") from None
    alt = rules.ALT(image.get("alt") or "")
    return {"bytes": raw, "alt": alt}


def check_note(note, cities):
    """A clean note, or `invalid` naming the bad field."""
    if not isinstance(note, dict):
        raise invalid("A note must be an object with its text, author and city.")
    clean = rules.check(note, required={"text": rules.NOTE_TEXT, "author": rules.PERSON_NAME},
                        optional={"color": rules.COLOR, "votes": VOTES})
    city = note.get("city", "")
    # "" is the facilitator's notes; a participant's city is one of the workshop's.
    if city != "" and city not in cities:
        raise invalid("City %(city)s is not one of the workshop's cities.",
                      city=repr(str(city)[:60]))
    tags = note.get("tags") or []
    if not isinstance(tags, list) or any(tag not in cities for tag in tags):
        raise invalid("Tags must be a list of the workshop's cities.")
    now = now_iso()
    created = check_time(note.get("created_at", now), "created_at")
    lineage = note.get("lineage")
    # Older files carry no lineage: each of their notes starts its own on import.
    if lineage is not None:
        lineage = LINEAGE(lineage)
    return {
        "lineage": lineage,
        "text": clean["text"], "color": clean.get("color", rules.DEFAULT_COLOR),
        "author": clean["author"], "city": city, "tags": list(dict.fromkeys(tags)),
        "votes": clean.get("votes", 0), "created_at": created,
        "updated_at": check_time(note.get("updated_at", created), "updated_at"),
        "image": check_image(note["image"]) if note.get("image") is not None else None,
        "details": action.check_stored(note.get("details")),
    }


def check_room(room, basics, cities, counted):
    """A clean room with its groups and notes; `counted` keeps the running number of notes."""
    groups = room.get("groups")
    if not isinstance(groups, list) or not 1 <= len(groups) <= MAX_GROUPS:
        raise invalid("Groups must be a list of 1 to %(most)s groups.", most=MAX_GROUPS)
    in_room = sum(len(g["notes"]) for g in groups if isinstance(g, dict)
                  and isinstance(g.get("notes"), list))
    if in_room > rules.MAX_NOTES_PER_ROOM:
        raise invalid("A board holds at most %(most)s notes.", most=rules.MAX_NOTES_PER_ROOM)
    clean_groups = []
    for g, group in enumerate(groups, 1):
        if not isinstance(group, dict):
            raise invalid("Group %(group)s must be an object with a name and notes.", group=g)
        name = rules.check(group, required={"name": rules.GROUP_NAME})["name"]
        status = group.get("status")
        if status is not None and status not in action.STATUSES:
            raise invalid("%(field)s must be one of: %(choices)s.",
                          field=f"Group {g} ({name}): status", choices=", ".join(action.STATUSES))
        notes = group.get("notes", [])
        if not isinstance(notes, list):
            raise invalid("Group %(group)s (%(name)s): notes must be a list.", group=g, name=name)
        counted[0] += len(notes)
        if counted[0] > MAX_NOTES:
            raise invalid("An import can hold at most %(most)s notes.", most=MAX_NOTES)
        clean_notes = []
        for n, note in enumerate(notes, 1):
            try:
                clean_notes.append(check_note(note, cities))
            except Refused as refused:
                raise invalid("Group %(group)s (%(name)s), note %(note)s: %(reason)s", group=g,
                              name=name, note=n, reason=refused) from None
        clean_groups.append({"name": name, "status": status, "notes": clean_notes})
    return {
        **basics,
        "locked": check_flag(room.get("locked"), "locked"),
        "hidden": check_flag(room.get("hidden"), "hidden"),
        "closed": check_flag(room.get("closed"), "closed"),
        "created_at": check_time(room.get("created_at", now_iso()), "created_at"),
        "groups": clean_groups,
    }


def check_export(data):
    """Return the clean content of an export, or raise `invalid` with a message a person reads."""
    if not isinstance(data, dict) or "format" not in data:
        raise invalid(NOT_AN_EXPORT)
    if type(data["format"]) is not int or data["format"] != FORMAT:
        raise invalid("This export has format %(given)s; this server reads format %(format)s.",
                      given=str(data["format"])[:20], format=FORMAT)
    if data.get("kind") not in KINDS:
        raise invalid("\"kind\" must be one of: %(choices)s.", choices=", ".join(KINDS))
    workshop, rooms = data.get("workshop"), data.get("rooms")
    if not isinstance(workshop, dict) or not isinstance(rooms, list):
        raise invalid(NOT_AN_EXPORT)
    if data["kind"] == "city" and not rooms:
        raise invalid("This city export has no notes: there is nothing to import.")
    basics = check_workshop({
        "title": workshop.get("title"), "cities": workshop.get("cities"),
        "rooms": [{key: room.get(key) for key in ("name", "theme", "template")}
                  if isinstance(room, dict) else room for room in rooms],
    })
    cities, counted, clean_rooms = basics["cities"], [0], []
    for r, (room, room_basics) in enumerate(zip(rooms, basics["rooms"]), 1):
        try:
            clean_rooms.append(check_room(room, room_basics, cities, counted))
        except Refused as refused:
            raise invalid("Room %(room)s (%(name)s): %(reason)s", room=r, name=room_basics["name"],
                          reason=refused) from None
    created = check_time(workshop.get("created_at", now_iso()), "Workshop created_at")
    return {"title": basics["title"], "cities": cities, "created_at": created,
            "rooms": clean_rooms}


def check_photos(clean):
    """Decode every photo (off the event loop) and make its thumbnail: {bytes: Processed}.

    Each photo is kept byte for byte, so exporting again gives the same data.
    """
    processed = {}
    for room in clean["rooms"]:
        for g, group in enumerate(room["groups"], 1):
            for n, note in enumerate(group["notes"], 1):
                photo = note["image"]
                if photo is None or photo["bytes"] in processed:
                    continue
                try:
                    processed[photo["bytes"]] = offload(images.process_stored, photo["bytes"])
                except Refused as refused:
                    raise invalid("Room %(room)s, group %(group)s (%(name)s), note %(note)s: "
                                  "%(reason)s", room=room["name"], group=g,
                                  name=group["name"], note=n, reason=refused) from None
    return processed


NOT_JSON = N_("The request body must be JSON: a Breakout Boards export.")


def parse_json(body):
    """An export's JSON from bytes (pure: runs off the event loop), or `invalid`."""
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise invalid(NOT_JSON) from None
    except RecursionError:
        raise invalid(N_("This JSON is nested too deeply to be an export.")) from None


def import_export(store, data):
    """Create a new workshop from an export; return it as `create_workshop` does.

    Checking a big export takes long: it runs off the event loop (offload), then the writing
    is one transaction.
    """
    clean = offload(check_export, data)
    photos = check_photos(clean)
    workshop = {
        "id": new_id(), "title": clean["title"],
        "cities": json.dumps(clean["cities"], ensure_ascii=False),
        "facilitator_key": new_facilitator_key(), "lobby_code": new_room_code(),
        "created_at": clean["created_at"],
    }
    # A workshop needs an open room: if the export's rooms were all closed, the first reopens.
    if all(room["closed"] for room in clean["rooms"]):
        clean["rooms"][0]["closed"] = False
    # Notes by the same name and city share an author; the facilitator's stay the facilitator's.
    authors = {("Facilitator", ""): f"facilitator:{workshop['id']}"}
    with store.write() as db:
        db["workshops"].insert(workshop)
        image_ids = {}
        for raw, photo in photos.items():
            image_ids[raw] = new_image_id()
            db["images"].insert({"id": image_ids[raw], "workshop_id": workshop["id"],
                                 "uploader_id": f"facilitator:{workshop['id']}",
                                 "width": photo.width, "height": photo.height,
                                 "full": photo.full, "thumb": photo.thumb,
                                 "created_at": now_iso()})
        for position, room in enumerate(clean["rooms"]):
            insert_room(db, workshop["id"], room, position, authors, image_ids)
    return get_workshop(store, workshop["facilitator_key"])


def insert_room(db, workshop_id, room, position, authors, image_ids=None):
    """Insert a clean room, its groups, notes and tags (inside the caller's transaction)."""
    row = {
        "id": new_id(), "workshop_id": workshop_id, "code": new_room_code(),
        "name": room["name"], "theme": room["theme"], "template": room["template"],
        "position": position, "seq": 0, "created_at": room["created_at"],
        "locked": int(room["locked"]), "hidden": int(room["hidden"]),
        "closed": int(room["closed"]),
    }
    db["rooms"].insert(row)
    for group_position, group in enumerate(room["groups"]):
        group_id = new_id()
        insert(db, "note_groups", {"id": group_id, "room_id": row["id"], "name": group["name"],
                                   "position": group_position, "created_at": room["created_at"],
                                   "status": group.get("status")})
        for note_position, note in enumerate(group["notes"]):
            author_id = authors.setdefault((note["author"], note["city"]), new_id())
            note_id = new_id()
            # Photos come checked from an import (`image_ids`); a copied map (series.py)
            # starts without them.
            photo = note.get("image")
            photo_id = image_ids.get(photo.get("bytes")) if photo and image_ids else None
            # Plain INSERTs (db.insert): sqlite-utils' helper reads the schema on every row.
            insert(db, "notes", {
                "id": note_id, "room_id": row["id"], "group_id": group_id,
                "text": note["text"], "color": note["color"], "author_id": author_id,
                "author": note["author"], "city": note["city"], "position": note_position,
                "votes": note["votes"], "created_at": note["created_at"],
                "updated_at": note["updated_at"], "lineage": note.get("lineage") or note_id,
                "image_id": photo_id, "alt": note["image"]["alt"] if photo_id else None,
                "details": action.encode(note.get("details")),
            })
            if note["tags"]:
                for city in note["tags"]:
                    insert(db, "note_tags", {"note_id": note_id, "city": city})
