"""History across meetings: lineage on notes, moments named by refs, and matching two moments."""

import pytest

from facilitation.errors import Refused
from facilitation.exports import find_workshop
from facilitation.facilitator import facilitator_actor
from facilitation.history import city_notes, match, normalise, record_follows, resolve_ref
from facilitation.snapshots import save_snapshot
from facilitation.workshops import create_workshop

from .test_exports import act, person

MAP = {"title": "Kick-off", "cities": ["Milan", "Nantes"],
       "rooms": [{"name": "Map", "theme": "Stakeholders", "template": "stakeholder-map"},
                 {"name": "Ideas", "theme": "Food"}]}


def note(text, lineage=None):
    return {"text": text, "lineage": lineage}


def texts(notes):
    return sorted(n["text"] for n in notes)


@pytest.mark.parametrize("given, expected", [
    ("  Milan   Food\tBank ", "milan food bank"),
    ("STRASSE", "strasse"),
    ("Straße", "strasse"),          # casefold, not lower
    ("ｆｏｏｄ ｂａｎｋ", "food bank"),  # NFKC: full-width letters
    ("", ""),
])
def test_normalise_folds_case_width_and_spaces(given, expected):
    assert normalise(given) == expected


def test_match_by_lineage_keeps_a_renamed_note_the_same():
    pairs, removed, added = match([note("Food bank", "L1")], [note("Milan Food Bank", "L1")])
    assert [(old["text"], new["text"]) for old, new in pairs] == [("Food bank", "Milan Food Bank")]
    assert removed == [] and added == []


def test_match_by_text_when_lineages_differ_or_are_missing():
    old = [note("Chamber of  Commerce", "A"), note("University", None)]
    new = [note("chamber of commerce", "B"), note("UNIVERSITY", "C")]
    pairs, removed, added = match(old, new)
    assert len(pairs) == 2 and removed == [] and added == []


def test_match_reports_deleted_and_added_notes_and_uses_each_note_once():
    old = [note("Food bank", "L1"), note("Schools", "L2"), note("Schools", "L3")]
    new = [note("Schools", "L9"), note("Farmers", "L4")]
    pairs, removed, added = match(old, new)
    assert [(o["lineage"], n["lineage"]) for o, n in pairs] == [("L2", "L9")]
    assert texts(removed) == ["Food bank", "Schools"]
    assert texts(added) == ["Farmers"]


def test_lineage_wins_over_a_text_match_elsewhere():
    # "Port" was renamed "Harbour" (same lineage); a new note is now called "Port".
    old = [note("Port", "L1")]
    new = [note("Port", "L2"), note("Harbour", "L1")]
    pairs, removed, added = match(old, new)
    assert [(o["text"], n["text"]) for o, n in pairs] == [("Port", "Harbour")]
    assert texts(added) == ["Port"] and removed == []


def test_a_fresh_note_starts_its_own_lineage_and_keeps_it_when_edited_or_moved(store):
    workshop = create_workshop(store, MAP)
    ana, board = person(store, workshop["rooms"][0]["code"], "Ana", "Milan")
    first = act(store, ana, "note.add", text="Food bank")["note"]
    second = act(store, ana, "note.add", text="Food bank")["note"]
    assert first["lineage"] == first["id"] and second["lineage"] == second["id"]
    edited = act(store, ana, "note.update", note_id=first["id"], text="Milan Food Bank")["note"]
    moved = act(store, ana, "note.move", note_id=first["id"],
                group_id=board["groups"][3]["id"])["note"]
    assert edited["lineage"] == moved["lineage"] == first["id"]


def test_json_export_carries_lineage_and_import_keeps_it(client, store):
    workshop = create_workshop(store, MAP)
    ana, _ = person(store, workshop["rooms"][0]["code"], "Ana", "Milan")
    added = act(store, ana, "note.add", text="Food bank")["note"]
    key = workshop["facilitator_key"]
    exported = client.get(f"/f/{key}/export.json").get_json()
    assert exported["rooms"][0]["groups"][0]["notes"][0]["lineage"] == added["lineage"]
    created = client.post("/api/import", json=exported).get_json()
    again = client.get(f"/f/{created['facilitator_key']}/export.json").get_json()
    assert again["rooms"][0]["groups"][0]["notes"][0]["lineage"] == added["lineage"]


def test_a_file_without_lineage_still_imports_and_each_note_starts_one(client, store):
    workshop = create_workshop(store, MAP)
    ana, _ = person(store, workshop["rooms"][0]["code"], "Ana", "Milan")
    act(store, ana, "note.add", text="Food bank")
    act(store, ana, "note.add", text="Schools")
    exported = client.get(f"/f/{workshop['facilitator_key']}/export.json").get_json()
    for group in exported["rooms"][0]["groups"]:
        for each in group["notes"]:
            del each["lineage"]
    answer = client.post("/api/import", json=exported)
    assert answer.status_code == 201, answer.get_json()
    again = client.get(f"/f/{answer.get_json()['facilitator_key']}/export.json").get_json()
    lineages = [n["lineage"] for n in again["rooms"][0]["groups"][0]["notes"]]
    assert len(lineages) == 2 and all(lineages) and len(set(lineages)) == 2


def test_an_import_refuses_a_lineage_that_is_not_an_id(client, store):
    workshop = create_workshop(store, MAP)
    ana, _ = person(store, workshop["rooms"][0]["code"], "Ana", "Milan")
    act(store, ana, "note.add", text="Food bank")
    exported = client.get(f"/f/{workshop['facilitator_key']}/export.json").get_json()
    exported["rooms"][0]["groups"][0]["notes"][0]["lineage"] = {"not": "an id"}
    answer = client.post("/api/import", json=exported)
    assert answer.status_code == 400
    assert "lineage" in answer.get_json()["error"]


def test_refs_name_live_a_snapshot_and_the_previous_meeting(store):
    first = create_workshop(store, MAP)
    ana, _ = person(store, first["rooms"][0]["code"], "Ana", "Milan")
    act(store, ana, "note.add", text="Food bank")
    saved = save_snapshot(store, first["id"], "Before #2")
    act(store, ana, "note.add", text="University")
    second = create_workshop(store, {**MAP, "title": "#2"})
    with store.write() as db:
        record_follows(db, second["id"], first["id"], saved["id"])
    with store.read() as db:
        old = find_workshop(db, first["facilitator_key"])
        new = find_workshop(db, second["facilitator_key"])
        live = resolve_ref(db, old, "live")
        frozen = resolve_ref(db, old, f"snapshot:{saved['id']}")
        previous = resolve_ref(db, new, "previous")
    assert live.label() == {"ref": "live", "name": None, "saved_at": None}
    assert texts(city_notes(live.data, "Milan")) == ["Food bank", "University"]
    assert frozen.label() == {"ref": f"snapshot:{saved['id']}", "name": "Before #2",
                              "saved_at": saved["saved_at"]}
    assert texts(city_notes(frozen.data, "Milan")) == ["Food bank"]
    assert previous.name == "Before #2" and texts(city_notes(previous.data, "Milan")) == [
        "Food bank"]


@pytest.mark.parametrize("ref, says", [
    ("yesterday", "Unknown moment"),
    ("snapshot:", "no such snapshot"),
    ("snapshot:nope", "no such snapshot"),
    ("previous", "follows no earlier meeting"),
    (None, "Unknown moment"),
])
def test_unknown_refs_are_not_found_with_a_readable_reason(store, ref, says):
    workshop = create_workshop(store, MAP)
    with store.read() as db, pytest.raises(Refused) as refused:
        resolve_ref(db, find_workshop(db, workshop["facilitator_key"]), ref)
    assert refused.value.code == "not_found" and says in refused.value.message


def test_another_workshops_snapshot_is_not_found(store):
    mine, theirs = create_workshop(store, MAP), create_workshop(store, MAP)
    saved = save_snapshot(store, theirs["id"], "Theirs")
    with store.read() as db, pytest.raises(Refused) as refused:
        resolve_ref(db, find_workshop(db, mine["facilitator_key"]), f"snapshot:{saved['id']}")
    assert refused.value.code == "not_found"


def test_city_notes_counts_authors_and_tags_and_filters_templates(store):
    workshop = create_workshop(store, MAP)
    codes = [room["code"] for room in workshop["rooms"]]
    ana, _ = person(store, codes[0], "Ana", "Milan")
    bo, _ = person(store, codes[0], "Bo", "Nantes")
    act(store, ana, "note.add", text="Food bank")
    tagged = act(store, bo, "note.add", text="Port authority")["note"]
    act(store, bo, "note.add", text="Nantes only")
    act(store, ana, "note.add", text="Not on a map")  # ...it is: Ana is in the map room
    ana2, _ = person(store, codes[1], "Ana", "Milan")
    act(store, ana2, "note.add", text="Canteens")
    act(store, facilitator_actor(workshop["id"]), "note.tag", room=codes[0],
        note_id=tagged["id"], cities=["Milan"])
    with store.read() as db:
        data = resolve_ref(db, find_workshop(db, workshop["facilitator_key"]), "live").data
    mine = city_notes(data, "Milan", templates={"stakeholder-map"})
    assert texts(mine) == ["Food bank", "Not on a map", "Port authority"]
    assert {n["template"] for n in mine} == {"stakeholder-map"}
    assert all(n["room"] == "Map" and n["group"] for n in mine)
    assert texts(city_notes(data, "Milan")) == ["Canteens", "Food bank", "Not on a map",
                                                 "Port authority"]
