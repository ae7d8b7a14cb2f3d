"""The next meeting of a series: a new workshop that follows this one.

It keeps the cities and the rooms (name, theme, template, groups). Rooms of the templates that
carry forward (`workshops.CARRY_FORWARD`: the maps, and what other features add there) start
with the old notes: same group, text, colour, author name and city, tags and lineage. Before
anything changes, the old workshop is frozen in a snapshot "Before <new title>", which the new
workshop remembers (`follows_snapshot`): that is what `previous` compares against.
"""


from . import rules
from .history import record_follows
from .i18n import N_, translate
from .imports import insert_room
from .snapshots import insert_snapshot, write_snapshot_files
from .util import new_facilitator_key, new_id, new_room_code, now_iso
from .workshops import carries_forward, get_workshop
from .public import cities as workshop_cities

SNAPSHOT_NAME_MOST = 80


def snapshot_name(title, language="en"):
    """"Before <title>" in the workshop's language, cut to a snapshot name's 80 characters."""
    name = translate(N_("Before %(title)s"), language, title=title)
    return name if len(name) <= SNAPSHOT_NAME_MOST else name[:SNAPSHOT_NAME_MOST - 1] + "…"


def next_rooms(data):
    """The next meeting's rooms from the old workshop's export data (open rooms only)."""
    rooms = [room for room in data["rooms"] if not room["closed"]] or data["rooms"][:1]
    now = now_iso()
    planned = []
    for room in rooms:
        keep = carries_forward(room["template"])
        # An action table's groups keep the status they stand for.
        groups = [{"name": group["name"], "status": group.get("status"),
                   "notes": [{**note, "votes": 0} for note in group["notes"]] if keep else []}
                  for group in room["groups"]]
        planned.append({"name": room["name"], "theme": room["theme"],
                        "template": room["template"], "locked": False, "hidden": False,
                        "closed": False, "created_at": now, "groups": groups})
    return planned


def plan_next(store, workshop_id, title, outputs_dir=None):
    """Create the next meeting of a workshop; return (new workshop, the "Before" snapshot)."""
    title = rules.WORKSHOP_TITLE(title)
    with store.write() as db:
        # One transaction: the snapshot and the copied notes are the same moment.
        old = db["workshops"].get(workshop_id)
        snapshot, data = insert_snapshot(db, workshop_id, snapshot_name(title, old["language"]))
        workshop = {
            "id": new_id(), "title": title, "cities": old["cities"],
            "facilitator_key": new_facilitator_key(), "lobby_code": new_room_code(),
            "language": old["language"], "created_at": now_iso(),
        }
        db["workshops"].insert(workshop)
        record_follows(db, workshop["id"], workshop_id, snapshot["id"])
        # Copied notes of one person share an author; the facilitator's stay the facilitator's.
        authors = {("Facilitator", ""): f"facilitator:{workshop['id']}"}
        cities = workshop_cities(old)
        for position, room in enumerate(next_rooms(data)):
            for group in room["groups"]:
                for note in group["notes"]:
                    note["tags"] = [city for city in note.get("tags", []) if city in cities]
            insert_room(db, workshop["id"], room, position, authors)
    write_snapshot_files(snapshot, data, outputs_dir)
    return get_workshop(store, workshop["facilitator_key"]), snapshot
