"""The facilitator tags a note with other cities it is for (a stakeholder named for Milan)."""

from .. import rules
from ..boards import index_in_group, note_dict
from ..db import insert
from ..errors import invalid
from ..tags import workshop_cities
from .registry import operation


class CityList:
    """A list of 0 to 50 city names, without repeats (an empty list clears the tags)."""

    label = "Cities"

    def __call__(self, value):
        """Return the clean list, or raise `invalid`."""
        if not isinstance(value, list) or len(value) > 50:
            raise invalid("Cities must be a list of city names (at most 50).")
        return list(dict.fromkeys(rules.CITY(city) for city in value))


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
        raise invalid("%(city)s is not a city of this workshop. Pick from: %(cities)s.",
                      city=unknown[0], cities=", ".join(cities))
    tags = [city for city in cities if city in fields["cities"]]
    change.db.execute("DELETE FROM note_tags WHERE note_id = ?", [note["id"]])
    if tags:
        for city in tags:
            insert(change.db, "note_tags", {"note_id": note["id"], "city": city})
    return {"note": {**note_dict(note, index_in_group(change.db, note)), "tags": tags}}
