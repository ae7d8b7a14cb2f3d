"""Workshops and their rooms: creation from a plain dict, templates, look-ups, the demo."""

import json

from . import rules
from .errors import invalid
from .i18n import LANGUAGES, N_, Msg, for_browser, translate
from .public import cities, room_by_code, room_info, workshop_by_key, workshop_by_lobby, workshop_info
from .util import new_facilitator_key, new_id, new_room_code, now_iso

# The groups a new room starts with, by template.
# Labels and group names are English, translated into the workshop's language when shown or
# when the room is created (group names are then the board's own content).
TEMPLATES = {
    "blank": (N_("Blank board"), [N_("Ideas")]),
    "themes": (N_("Themes"), [N_("Environment"), N_("Food"), N_("Social policies")]),
    "stakeholder-map": (
        N_("Stakeholder map (influence × interest)"),
        [N_("Manage closely"), N_("Keep satisfied"), N_("Keep informed"), N_("Monitor")],
    ),
    "challenges-ideas-actions": (N_("Challenges → ideas → actions"),
                                 [N_("Challenges"), N_("Ideas"), N_("Actions")]),
    "ecosystem-map": (
        N_("Stakeholder ecosystem (public, private, civic, knowledge)"),
        [N_("Public"), N_("Private"), N_("Civic society"), N_("Knowledge")],
    ),
    # "My city in one photo": a group per city of the workshop (CITY_GROUPS).
    "photo-wall": (N_("Photo wall (a group per city)"), None),
    "action-table": (N_("Action table"),
                     [N_("Ideas"), N_("Planned"), N_("In progress"), N_("Done")]),
}
CITY_GROUPS = None
# The status each group of a template stands for (a note arriving there takes it).
GROUP_STATUSES = {"action-table": ["idea", "planned", "in-progress", "done"]}
# Map templates: a city's stakeholders on four groups drawn as a 2×2 grid (while the room has
# exactly four groups). For each group position: its place in the grid ("tl", "tr", "bl",
# "br") and the line under its name. `part` is what one of the four is called; `axes` names the
# vertical and horizontal axes when the grid has them. The browser draws from this (the room's
# `map` in its state), the printable exports and the compare page too.
MAPS = {
    "stakeholder-map": {
        "part": "quadrant",
        "axes": {"y": N_("Influence"), "x": N_("Interest")},
        "areas": ["tr", "tl", "br", "bl"],
        "captions": [N_("High influence · high interest"), N_("High influence · low interest"),
                     N_("Low influence · high interest"), N_("Low influence · low interest")],
    },
    "ecosystem-map": {
        "part": "sector",
        "axes": None,
        "areas": ["tl", "tr", "bl", "br"],
        "captions": [N_("Authorities, agencies, public services"),
                     N_("Companies, business networks, chambers"),
                     N_("Associations, NGOs, citizens' groups"),
                     N_("Universities, schools, research")],
    },
}
for_browser(*(text for layout in MAPS.values() for text in layout["captions"]
              + list((layout["axes"] or {}).values())))
# Templates whose rooms start the next meeting with the old notes (POST /f/<key>/next): the
# maps, and any template another feature adds here (the action plan's table).
CARRY_FORWARD = set(MAPS) | {"action-table"}


def is_map(template):
    """True for the map templates (drawn as a 2×2 grid, listed in a city's stakeholders)."""
    return template in MAPS


def map_layout(template, group_count):
    """The room's 2×2 layout, or None: not a map, or not four groups (then drawn as columns)."""
    layout = MAPS.get(template)
    return layout if layout is not None and group_count == 4 else None


def carries_forward(template):
    """True when a room of this template starts the next meeting with its notes."""
    return template in CARRY_FORWARD
DEFAULT_TEMPLATE = "blank"
TEMPLATE = rules.Choice(N_("Room template"), TEMPLATES)
LANGUAGE = rules.Choice(N_("Language"), LANGUAGES)
MAX_CITIES = 50
MAX_ROOMS = 30

DEMO = {
    "title": "Cities network kick-off (demo)",
    "cities": ["Milan", "Nantes", "Łódź", "Oslo", "Valencia", "Sintra"],
    "rooms": [
        {"name": N_("Room 1"), "theme": N_("Environment & Food"), "template": "challenges-ideas-actions"},
        {"name": N_("Room 2"), "theme": N_("Social policies"), "template": "challenges-ideas-actions"},
        {"name": N_("Room 3"), "theme": N_("Stakeholder map"), "template": "stakeholder-map"},
    ],
}


def check_workshop(data):
    """Return a clean workshop definition from untrusted data, or raise `invalid`."""
    if not isinstance(data, dict):
        raise invalid("The request body must be a JSON object.")
    title = rules.check(data, required={"title": rules.WORKSHOP_TITLE})["title"]
    cities = data.get("cities")
    if not isinstance(cities, list) or not cities:
        raise invalid("Cities must be a list of at least one city name.")
    if len(cities) > MAX_CITIES:
        raise invalid("A workshop can have at most %(most)s cities.", most=MAX_CITIES)
    clean_cities = []
    for city in cities:
        city = rules.CITY(city)
        if city in clean_cities:
            raise invalid("The city %(city)s is listed twice.", city=city)
        clean_cities.append(city)
    rooms = data.get("rooms")
    if not isinstance(rooms, list) or not rooms:
        raise invalid("Rooms must be a list of at least one room.")
    if len(rooms) > MAX_ROOMS:
        raise invalid("A workshop can have at most %(most)s rooms.", most=MAX_ROOMS)
    clean_rooms = []
    for room in rooms:
        if not isinstance(room, dict):
            raise invalid("Each room must be an object with a name and a theme.")
        clean = rules.check(
            room,
            required={"name": rules.ROOM_NAME, "theme": rules.ROOM_THEME},
            optional={"template": TEMPLATE},
        )
        clean.setdefault("template", DEFAULT_TEMPLATE)
        clean_rooms.append(clean)
    language = rules.check(data, optional={"language": LANGUAGE}).get("language", "en")
    return {"title": title, "cities": clean_cities, "rooms": clean_rooms, "language": language}


def create_workshop(store, data):
    """Create a workshop with its rooms and their template groups; return it with keys and codes."""
    clean = check_workshop(data)
    with store.write() as db:
        key = insert_workshop(db, clean)
    return get_workshop(store, key)


def insert_workshop(db, clean):
    """Insert a checked workshop definition (inside the caller's transaction); return its key."""
    now = now_iso()
    workshop = {
        "id": new_id(),
        "title": clean["title"],
        "cities": json.dumps(clean["cities"], ensure_ascii=False),
        "facilitator_key": new_facilitator_key(),
        "lobby_code": new_room_code(),
        "language": clean.get("language", "en"),
        "created_at": now,
    }
    db["workshops"].insert(workshop)
    for position, room in enumerate(clean["rooms"]):
        add_room(db, workshop["id"], room, position, now, workshop["language"])
    return workshop["facilitator_key"]


def add_room(db, workshop_id, room, position, now, language="en"):
    """Insert a room and its template's groups, named in the workshop's language (inside the
    caller's transaction)."""
    row = {
        "id": new_id(),
        "workshop_id": workshop_id,
        "code": new_room_code(),
        "name": room["name"],
        # A theme the app chose (pairing's "Peer exchange") in the workshop's language.
        "theme": translate(room["theme"], language) if isinstance(room["theme"], Msg)
        else room["theme"],
        "template": room["template"],
        "position": position,
        "seq": 0,
        "created_at": now,
    }
    db["rooms"].insert(row)
    names = TEMPLATES[room["template"]][1]
    if names is CITY_GROUPS:
        names = cities(db["workshops"].get(workshop_id))
    statuses = GROUP_STATUSES.get(room["template"], [])
    groups = [
        {"id": new_id(), "room_id": row["id"],
         "name": translate(name, language) if isinstance(name, Msg) else name,
         "position": index, "created_at": now,
         "status": statuses[index] if index < len(statuses) else None}
        for index, name in enumerate(names)
    ]
    db["note_groups"].insert_all(groups)
    return row


def workshop_dict(row, rooms):
    return {
        "id": row["id"],
        "title": row["title"],
        "cities": cities(row),
        "facilitator_key": row["facilitator_key"],
        "lobby_code": row["lobby_code"],
        "language": row["language"],
        "created_at": row["created_at"],
        "follows": row.get("follows"),
        "rooms": [room_dict(room) for room in rooms],
    }


room_dict = room_info  # a room as listed (public.room_info)


def get_workshop(store, facilitator_key):
    """Return the workshop with this facilitator key and its rooms, or None."""
    with store.read() as db:
        workshop = workshop_by_key(db, facilitator_key)
        if workshop is None:
            return None
        rooms = db["rooms"].rows_where(
            "workshop_id = ? AND closed = 0", [workshop["id"]], order_by="position")
        return workshop_dict(workshop, list(rooms))


def workshop_title(store, workshop_id):
    """The title of a workshop by id (e.g. the one a meeting follows), or None."""
    if not workshop_id:
        return None
    with store.read() as db:
        row = db.execute("SELECT title FROM workshops WHERE id = ?", [workshop_id]).fetchone()
    return row[0] if row else None


find_room = room_by_code  # the room row with this code (public.room_by_code)


def room_with_workshop(store, code):
    """Return (room, workshop) for a room code, or (None, None)."""
    with store.read() as db:
        room = find_room(db, code)
        if room is None:
            return None, None
        workshop = db["workshops"].get(room["workshop_id"])
        return {**room_info(room), "closed": bool(room["closed"])}, workshop_info(workshop)


def lobby_workshop(store, lobby_code):
    """Return the workshop (id, title, cities, lobby_code) with this lobby code, or None."""
    with store.read() as db:
        workshop = workshop_by_lobby(db, lobby_code)
    return workshop_info(workshop) if workshop else None


def ensure_demo_workshop(store):
    """Create the demo workshop when the database has no workshop; return it, or None.

    Checked and created in one transaction, so two processes starting together make one demo.
    """
    with store.write() as db:
        if db.execute("SELECT count(*) FROM workshops").fetchone()[0]:
            return None
        key = insert_workshop(db, check_workshop(DEMO))
    return get_workshop(store, key)
