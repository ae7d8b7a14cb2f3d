"""A workshop's history across meetings: moments to compare, and which notes are the same.

A network meets many times; each meeting is a workshop that may follow an earlier one. Every
note carries a `lineage`, an opaque id shared by a note and all its copies (the next meeting's
map starts with copies of the last one's notes; an export and import keep it). A fresh note
starts its own lineage.

Two moments are compared as export data (JSON format 1, see exports.py), named by a ref:
`live` (the workshop now), `snapshot:<id>` (one of its saved snapshots) or `previous` (the
workshop it follows, as frozen in the "Before <title>" snapshot taken when this one was
planned). Notes of two moments match by lineage first, so a renamed stakeholder is still the
same one, and otherwise by their text after Unicode NFKC, casefolding and collapsing spaces.
"""

import json
import unicodedata
from dataclasses import dataclass

from .errors import not_found
from .exports import is_for_city, workshop_data
from .snapshots import with_snapshot

SNAPSHOT = "snapshot:"


@dataclass(frozen=True)
class Moment:
    """A workshop's boards at one moment: `data` is export data (format 1)."""

    ref: str
    name: str | None
    saved_at: str | None
    data: dict

    def label(self):
        """The moment as answers name it: {"ref", "name", "saved_at"}."""
        return {"ref": self.ref, "name": self.name, "saved_at": self.saved_at}


def resolve_ref(db, workshop, ref):
    """The Moment a ref names for a workshop row, or raise `not_found` saying why."""
    if ref == "live":
        return Moment("live", None, None, workshop_data(db, workshop))
    if ref == "previous":
        return _previous(db, workshop)
    if isinstance(ref, str) and ref.startswith(SNAPSHOT):
        row = _snapshot_row(db, ref[len(SNAPSHOT):], workshop["id"])
        if row is None:
            raise not_found("There is no such snapshot of this workshop.")
        return _moment(ref, row)
    raise not_found("Unknown moment: use live, previous or snapshot:<id>.")


def _previous(db, workshop):
    previous_id = workshop.get("follows")
    if not previous_id:
        raise not_found("This workshop follows no earlier meeting, so there is no previous "
                        "one to compare with.")
    snapshot_id = workshop.get("follows_snapshot")
    row = _snapshot_row(db, snapshot_id, previous_id) if snapshot_id else None
    if row is not None:
        return _moment("previous", row)
    # The "Before ..." snapshot is taken when the meeting is planned; without it (a database
    # edited by hand), the earlier workshop as it is now is the best answer there is.
    earlier = db.execute("SELECT * FROM workshops WHERE id = ?", [previous_id]).fetchone()
    if earlier is None:
        raise not_found("The workshop this one follows is no longer on this server.")
    columns = [column[0] for column in db.execute("SELECT * FROM workshops LIMIT 0").description]
    earlier = dict(zip(columns, earlier))
    return Moment("previous", earlier["title"], None, workshop_data(db, earlier))


def _snapshot_row(db, snapshot_id, workshop_id):
    if not isinstance(snapshot_id, str) or not snapshot_id:
        return None
    row = db.execute("SELECT id, name, data, created_at FROM snapshots "
                     "WHERE id = ? AND workshop_id = ?", [snapshot_id, workshop_id]).fetchone()
    return None if row is None else dict(zip(("id", "name", "data", "created_at"), row))


def _moment(ref, row):
    snapshot = {"name": row["name"], "saved_at": row["created_at"]}
    data = with_snapshot(json.loads(row["data"]), snapshot)
    return Moment(ref, row["name"], row["created_at"], data)


def record_follows(db, workshop_id, previous_id, snapshot_id):
    """Note (inside the caller's transaction) that a workshop follows another, frozen as a snapshot."""
    db.execute("UPDATE workshops SET follows = ?, follows_snapshot = ? WHERE id = ?",
               [previous_id, snapshot_id, workshop_id])


def normalise(text):
    """Text as notes are compared: Unicode NFKC, casefolded, white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def match(old_notes, new_notes):
    """Pair the notes of two moments: by lineage first, then by normalised text.

    Notes are dicts with "text" and (usually) "lineage". Returns (pairs, removed, added):
    `pairs` a list of (old, new), `removed` the old notes without a partner, `added` the new
    ones. Each note is used once; order follows `new_notes`, then `old_notes`.
    """
    old_left = list(old_notes)
    used = [False] * len(old_left)
    by_lineage, by_text = {}, {}
    for index, note in enumerate(old_left):
        if note.get("lineage"):
            by_lineage.setdefault(note["lineage"], []).append(index)
        by_text.setdefault(normalise(note.get("text")), []).append(index)

    def take(candidates):
        while candidates:
            index = candidates.pop(0)
            if not used[index]:
                used[index] = True
                return old_left[index]
        return None

    pairs, unmatched = [], []
    for note in new_notes:
        old = take(by_lineage.get(note.get("lineage"), [])) if note.get("lineage") else None
        if old is None:
            unmatched.append(note)
        else:
            pairs.append((old, note))
    added = []
    for note in unmatched:
        old = take(by_text.get(normalise(note.get("text")), []))
        if old is None:
            added.append(note)
        else:
            pairs.append((old, note))
    removed = [note for index, note in enumerate(old_left) if not used[index]]
    return pairs, removed, added


def city_notes(data, city, templates=None):
    """The notes of export data that are a city's (its author's city, or tagged for it).

    Each comes with where it stands: {**note, "room", "template", "group"}. `templates`, when
    given, keeps only rooms of those templates (e.g. the map templates).
    """
    found = []
    for room in data["rooms"]:
        if templates is not None and room["template"] not in templates:
            continue
        for group in room["groups"]:
            for note in group["notes"]:
                if is_for_city(note, city):
                    found.append({**note, "room": room["name"], "template": room["template"],
                                  "group": group["name"]})
    return found
