"""The facilitator tags a note with other cities it is for (a stakeholder named for Milan)."""

import json

from . import rules
from .boards import note_dict
from .errors import invalid
from .ops import operation


class CityList:
    """A list of 0 to 50 city names, without repeats (an empty list clears the tags)."""

    label = "Cities"

    def __call__(self, value):
        """Return the clean list, or raise `invalid`."""
        if not isinstance(value, list) or len(value) > 50:
            raise invalid("Cities must be a list of city names (at most 50).")
        return list(dict.fromkeys(rules.CITY(city) for city in value))


def workshop_cities(db, workshop_id):
    """The workshop's city names, in the facilitator's order."""
    return json.loads(db["workshops"].get(workshop_id)["cities"])


def tags_by_note(db, note_ids, cities):
    """Map each note id to its tagged cities, in the workshop's order of cities."""
    order = {city: index for index, city in enumerate(cities)}
    tags = {}
    ids = list(note_ids)
    # Chunked: SQLite caps the number of parameters in one statement.
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT note_id, city FROM note_tags WHERE note_id IN ({marks})", chunk).fetchall()
        for note_id, city in rows:
            tags.setdefault(note_id, []).append(city)
    for note_tags in tags.values():
        note_tags.sort(key=lambda city: order.get(city, len(order)))
    return tags


@operation(
    "note.tag",
    required={"room": rules.Id("room"), "note_id": rules.Id("note_id"), "cities": CityList()},
    who="facilitator",
)
def tag_note(change, fields):
    """Set the cities a note is also for; they replace the note's earlier tags."""
    note = change.note(fields["note_id"])
    cities = workshop_cities(change.db, change.actor.workshop_id)
    unknown = [city for city in fields["cities"] if city not in cities]
    if unknown:
        raise invalid(f"{unknown[0]} is not a city of this workshop. "
                      f"Pick from: {', '.join(cities)}.")
    tags = [city for city in cities if city in fields["cities"]]
    change.db.execute("DELETE FROM note_tags WHERE note_id = ?", [note["id"]])
    if tags:
        change.db["note_tags"].insert_all({"note_id": note["id"], "city": city} for city in tags)
    return {"note": {**note_dict(note), "tags": tags}}
