"""Issue 15: bounded boards, no other room's code for participants, readable refusals."""

import json

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


# --- finding 14: bad input gets a readable 400 or `invalid`, never a 500 or server_error -------

LONE = "\ud800"  # a lone surrogate: valid in JSON ("\\ud800"), not encodable as UTF-8
NESTED = b"[" * 100_000 + b"]" * 100_000


def test_a_lone_surrogate_in_a_note_or_a_name_is_invalid_not_a_server_error(join, connect,
                                                                            workshop):
    ana = join()
    for answer in (ana.op("note.add", text=f"bad {LONE}"),
                   ana.op("group.add", name=f"G{LONE}"),
                   connect().emit("join", {"room": workshop["rooms"][0]["code"],
                                           "name": f"A{LONE}", "city": "Milan"}, callback=True)):
        assert answer["ok"] is False and answer["code"] == "invalid", answer
        assert "character" in answer["error"]
    assert ana.op("note.add", text="fine")["ok"]


def test_lone_surrogates_and_deep_nesting_in_http_bodies_get_a_readable_400(client, workshop):
    export = client.get(f"/f/{workshop['facilitator_key']}/export.json").get_json()
    export["workshop"]["title"] = "Title \ud800"
    body = json.dumps(export).encode()  # ASCII JSON with the \\ud800 escape
    for path, data in (("/api/import", body), ("/api/workshops", body),
                       ("/api/import", NESTED), ("/api/workshops", NESTED)):
        answer = client.post(path, data=data, content_type="application/json")
        assert answer.status_code == 400, (path, answer.status_code)
        assert answer.get_json()["error"]


@pytest.mark.live
def test_a_chunked_request_body_is_read(live_server):
    import http.client

    body = json.dumps({"title": "Chunked", "cities": ["Milan"],
                       "rooms": [{"name": "R", "theme": "T"}]}).encode()
    connection = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=10)
    connection.request("POST", "/api/workshops", body=iter([body[:20], body[20:]]),
                       headers={"Content-Type": "application/json"}, encode_chunked=True)
    answer = connection.getresponse()
    assert answer.status == 201, answer.read()
    assert json.loads(answer.read())["title"] == "Chunked"
    connection.close()


@pytest.mark.parametrize("content", [
    json.dumps({"format": 1, "kind": "workshop", "workshop": {"title": "T\ud800",
                "cities": ["Milan"]}, "rooms": [{"name": "R", "theme": "T", "groups": [
                    {"name": "G", "notes": [{"text": "x", "author": "A", "city": "Milan"}]}]}]
                }).encode(),
    NESTED,
    b"\xff\xfe not utf-8",
])
def test_flask_import_of_bad_files_prints_a_readable_error_not_a_traceback(app, tmp_path,
                                                                         content):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Error:" in result.output and "Traceback" not in result.output


# --- finding 17: one person, one place: a stale tab cannot write where they no longer are ------


def test_a_tab_left_in_a_room_after_joining_another_cannot_write_there(join, connect, workshop,
                                                                     store):
    first_tab = join(0, "Ana", "Milan")
    codes = [room["code"] for room in workshop["rooms"]]
    from .conftest import Person

    second_tab = Person(connect(), codes[1], token=first_tab.participant["token"])
    stale = first_tab.op("note.add", text="written from the old tab")
    assert stale["ok"] is False and stale["code"] == "not_joined"
    assert "another room" in stale["error"]
    stale_sync = first_tab.sock.emit("sync", {"since": 0}, callback=True)
    assert stale_sync["ok"] is False and stale_sync["code"] == "not_joined"
    assert second_tab.op("note.add", text="written where I am")["ok"]
    with store.read() as db:
        assert [n["text"] for n in db["notes"].rows] == ["written where I am"]
    # Joining the first room again from the old tab makes it the place again.
    back = first_tab.sock.emit("join", {"room": codes[0], "token": first_tab.participant["token"]},
                               callback=True)
    assert back["ok"] and first_tab.op("note.add", text="back here")["ok"]
