"""Issue 15: bounded boards, no other room's code for participants, readable refusals."""

from facilitation import imports, rules

from .test_facilitator import Facilitator


# --- finding 5: groups per room are capped ------------------------------------------------------


def test_a_room_has_a_cap_on_groups_like_an_import(join, connect, workshop, monkeypatch):
    assert getattr(rules, "MAX_GROUPS_PER_ROOM", None) == imports.MAX_GROUPS == 100
    monkeypatch.setattr(rules, "MAX_GROUPS_PER_ROOM", 5)
    ana = join()  # Room 1 starts with 3 groups
    assert ana.op("group.add", name="Four")["ok"]
    assert ana.op("group.add", name="Five")["ok"]
    full = ana.op("group.add", name="Six")
    assert full["ok"] is False and full["code"] == "conflict"
    assert "5 groups" in full["error"]
    fac = Facilitator(connect(), workshop["facilitator_key"])
    assert fac.op("group.add", room=workshop["rooms"][0]["code"], name="Six")["code"] == "conflict"
    assert len(fac.joined["boards"][workshop["rooms"][0]["code"]]["groups"]) == 5


# --- finding 6 (first part): a participant's events never carry another room's code -----------


def strings(value):
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return [value] if isinstance(value, str) else []


def test_participants_never_receive_another_rooms_code(join, connect, workshop):
    codes = [room["code"] for room in workshop["rooms"]]
    fac = Facilitator(connect(), workshop["facilitator_key"])
    ana, bob = join(0, "Ana", "Milan"), join(1, "Bob", "Nantes")
    cy = join(0, "Cy", "Łódź")
    note = ana.op("note.add", text="travels")["note"]
    assert fac.op("participant.assign", participant_id=cy.participant["id"], room=codes[1])["ok"]
    assert fac.op("note.move", room=codes[0], note_id=note["id"], to_room=codes[1])["ok"]
    assert fac.op("participant.assign", participant_id=cy.participant["id"])["ok"]  # lobby
    for person, own, other in ((ana, codes[0], codes[1]), (bob, codes[1], codes[0])):
        events = person.received()
        synced = person.sock.emit("sync", {"since": 0}, callback=True)["ops"]
        assert {e["type"] for e in events} >= {"participant.assign", "note.move"}
        for event in events + synced:
            assert other not in strings(event), event
        leaving = [e for e in synced if e["type"] == "note.move"]
        if own == codes[0]:  # the note left this room: the event still says so
            assert leaving[0]["to_room"] not in (None, own)
    # The facilitator still sees where everyone and everything went.
    moves = [e for e in fac.received() if e["type"] == "note.move"]
    assert {(e["from_room"], e["to_room"]) for e in moves} == {(codes[0], codes[1])}
    logged = fac.sock.emit("sync", {"room": codes[1], "since": 0}, callback=True)["ops"]
    assert {(e["from_room"], e["to_room"]) for e in logged if e["type"] == "participant.assign"} \
        == {(codes[0], codes[1]), (codes[1], None)}


# --- finding 12: saved outputs of two cities never share a folder --------------------------------


def test_cities_whose_names_clean_up_the_same_get_their_own_output_folders(store, tmp_path):
    import json
    import os

    from facilitation.participants import join as join_room
    from facilitation.ops import run_op
    from facilitation.snapshots import save_snapshot
    from facilitation.workshops import create_workshop

    made = create_workshop(store, {"title": "Pairs", "cities": ["A:B", "A_B", "a_b"],
                                   "rooms": [{"name": "R", "theme": "T"}]})
    code = made["rooms"][0]["code"]
    for city in ("A:B", "A_B", "a_b"):
        actor, _, _ = join_room(store, {"room": code, "name": "P", "city": city})
        run_op(store, actor, {"type": "note.add", "op_id": city, "text": f"from {city}"})
    snapshot = save_snapshot(store, made["id"], "Day 1", str(tmp_path / "out"))
    folders = {os.path.dirname(path) for path in snapshot["files"]}
    assert len(folders) == 3 and len({f.lower() for f in folders}) == 3
    found = {}
    for folder in folders:
        [name] = [n for n in os.listdir(folder) if n.endswith(".json")]
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            data = json.load(handle)
        found[data["city"]] = [n["text"] for r in data["rooms"] for g in r["groups"]
                               for n in g["notes"]]
    assert found == {c: [f"from {c}"] for c in ("A:B", "A_B", "a_b")}


# --- finding 13: city names that cannot be a page are refused ---------------------------------

import pytest  # noqa: E402


@pytest.mark.parametrize("city", ["Milan/export.csv", "..", "/Milan", "Milan\nNord", "A\\B",
                                  "Tab\there", "../../etc", "x\x7fy"])
def test_a_city_name_that_cannot_have_its_own_page_is_refused(client, city):
    body = {"title": "T", "cities": ["Oslo", city], "rooms": [{"name": "R", "theme": "T"}]}
    answer = client.post("/api/workshops", json=body)
    assert answer.status_code == 400
    assert "City" in answer.get_json()["error"]


def test_a_city_name_with_dots_and_apostrophes_is_fine_and_its_page_opens(client):
    body = {"title": "T", "cities": ["St. Gallen", "L'Aquila", "Łódź"],
            "rooms": [{"name": "R", "theme": "T"}]}
    made = client.post("/api/workshops", json=body).get_json()
    for city in body["cities"]:
        assert client.get(f"/f/{made['facilitator_key']}/cities/{city}").status_code == 200
