"""Reading a workshop's cities and the cities each note is tagged for."""

from .db import get
from .public import cities


def workshop_cities(db, workshop_id):
    """The workshop's city names, in the facilitator's order."""
    return cities(get(db, "workshops", workshop_id))


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
