"""Saved session outputs: frozen snapshots, each city's history, and files on disk."""

import re

import pytest

from facilitation import create_app
from facilitation.db import get_store
from facilitation.facilitator import facilitator_actor
from facilitation.snapshots import list_snapshots, save_snapshot
from facilitation.workshops import create_workshop

from .test_exports import THREE_ROOMS, act, csv_rows, person, three_rooms  # noqa: F401


def saved_from_form(client, key, name, city="Milan"):
    answer = client.post(f"/f/{key}/snapshots", data={"name": name, "city": city})
    assert answer.status_code == 303, answer.data
    return answer


def snapshot_ids(client, key, city="Milan"):
    page = client.get(f"/f/{key}/cities/{city}/snapshots").get_data(as_text=True)
    return re.findall(r"/snapshots/([\w-]+)/cities/", page)


def test_a_snapshot_does_not_change_when_the_boards_do(store, client, three_rooms):
    key, code = three_rooms["facilitator_key"], three_rooms["codes"][0]
    answer = saved_from_form(client, key, "End of day 1")
    assert answer.headers["Location"] == f"/f/{key}/cities/Milan/snapshots"
    [snapshot_id] = set(snapshot_ids(client, key))
    url = f"/f/{key}/snapshots/{snapshot_id}/cities/Milan/export"
    before = {fmt: client.get(f"{url}.{fmt}").data for fmt in ("csv", "json", "md", "html")}
    # Later edits: a new note, a changed note, a deleted note, a renamed room.
    ana, _ = person(store, code, "Ana", "Milan")
    act(store, ana, "note.add", text="Added after the save")
    first = client.get(f"/f/{key}/cities/Milan/export.json").get_json()
    assert "Added after the save" in str(first)
    fac = facilitator_actor(three_rooms["id"])
    notes = store.db.execute("SELECT id FROM notes ORDER BY created_at").fetchall()
    act(store, fac, "note.update", room=code, note_id=notes[0][0], text="Edited later")
    act(store, fac, "note.delete", room=code, note_id=notes[1][0])
    act(store, fac, "room.rename", room=code, name="Renamed room")
    after = {fmt: client.get(f"{url}.{fmt}").data for fmt in ("csv", "json", "md", "html")}
    assert after == before
    rows = csv_rows(before["csv"])
    assert "Łódź-style urban gardens à la française" in [row["Note"] for row in rows]
    assert "Added after the save" not in before["md"].decode()
    assert "End of day 1" in before["md"].decode() and "End of day 1" in before["html"].decode()
    assert client.get(f"{url}.json").get_json()["snapshot"]["name"] == "End of day 1"


def test_each_city_has_a_history_of_its_snapshots(store, client, three_rooms):
    key = three_rooms["facilitator_key"]
    saved_from_form(client, key, "Morning")
    ana, _ = person(store, three_rooms["codes"][1], "Ana", "Milan")
    act(store, ana, "note.add", text="Afternoon idea")
    saved_from_form(client, key, "Afternoon", city="Nantes")
    page = client.get(f"/f/{key}/cities/Milan/snapshots").get_data(as_text=True)
    assert page.index("Afternoon") < page.index("Morning")  # newest first
    assert "6 notes for Milan" in page and "5 notes for Milan" in page
    nantes = client.get(f"/f/{key}/cities/Nantes/snapshots").get_data(as_text=True)
    assert "2 notes for Nantes" in nantes
    for snapshot_id in set(snapshot_ids(client, key)):
        for fmt in ("csv", "json", "md", "html"):
            answer = client.get(f"/f/{key}/snapshots/{snapshot_id}/cities/Milan/export.{fmt}")
            assert answer.status_code == 200
            assert "filename*=UTF-8''Cities%20network%20kick-off%20-%20Milan%20-%20" in (
                answer.headers["Content-Disposition"])


def test_a_snapshot_needs_a_name_and_saves_nothing_without(client, store, three_rooms):
    key = three_rooms["facilitator_key"]
    answer = client.post(f"/f/{key}/snapshots", data={"name": "  ", "city": "Milan"})
    assert answer.status_code == 400 and "Name cannot be empty" in answer.get_data(as_text=True)
    assert list_snapshots(store, three_rooms["id"]) == []
    as_json = client.post(f"/f/{key}/snapshots", json={"name": "Via the API"})
    assert as_json.status_code == 201 and as_json.get_json()["name"] == "Via the API"


def test_snapshots_belong_to_their_workshop(store, client, three_rooms):
    other = create_workshop(store, {**THREE_ROOMS, "title": "Other"})
    theirs = save_snapshot(store, other["id"], "Theirs")
    key = three_rooms["facilitator_key"]
    assert client.get(f"/f/{key}/snapshots/{theirs['id']}/cities/Milan/export.csv"
                      ).status_code == 404
    mine = save_snapshot(store, three_rooms["id"], "Mine")
    path = f"/snapshots/{mine['id']}/cities/Milan/export.csv"
    assert client.get(f"/f/{key}{path}").status_code == 200
    assert client.get(f"/f/{other['facilitator_key']}{path}").status_code == 404
    assert client.get(f"/f/not-a-key{path}").status_code == 403
    assert client.get(f"/f/{key}/snapshots/{mine['id']}/export.zip").status_code == 200


@pytest.fixture
def outputs_app(tmp_path):
    app = create_app({"TESTING": True, "FACILITATION_DB": str(tmp_path / "o.sqlite"),
                      "SOCKETIO_ASYNC_MODE": "threading",
                      "FACILITATION_OUTPUTS_DIR": str(tmp_path / "outputs")})
    yield app
    get_store(app).close()


def test_saving_writes_each_citys_files_with_safe_names(outputs_app, tmp_path):
    store = get_store(outputs_app)
    workshop = create_workshop(store, {"title": "../../Kick-off / 2026", "cities":
                                       ["Łódź", "A:B", "A*B"], "rooms": [{"name": "R",
                                                                        "theme": "T"}]})
    actor, _ = person(store, workshop["rooms"][0]["code"], "Ana", "Łódź")
    act(store, actor, "note.add", text="Pierogi festival")
    answer = outputs_app.test_client().post(f"/f/{workshop['facilitator_key']}/snapshots",
                                             data={"name": "Day 1"})
    assert answer.status_code == 303
    outputs = tmp_path / "outputs"
    files = sorted(str(p.relative_to(outputs)) for p in outputs.rglob("*") if p.is_file())
    assert len(files) == 9
    assert all(f.startswith("_.._Kick-off _ 2026/") for f in files), files
    # Cities whose names clean up the same get their own folders (issue 15, finding 12).
    assert {f.split("/")[1] for f in files} == {"Łódź", "A_B", "A_B (3)"}
    stamp = files[0].split("/")[2].rsplit(".", 1)[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z", stamp)
    lodz = outputs / "_.._Kick-off _ 2026" / "Łódź"
    assert "Pierogi festival" in (lodz / f"{stamp}.md").read_text()
    assert (lodz / f"{stamp}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not any(p for p in tmp_path.iterdir() if p.name not in ("outputs", "o.sqlite")
                   and not p.name.startswith("o.sqlite"))
