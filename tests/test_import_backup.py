"""Import and backup: an export rebuilds its boards exactly; a backup copies a live database."""

import json
import sqlite3

import pytest

from facilitation import create_app
from facilitation.db import get_store
from facilitation.facilitator import facilitator_actor

from .test_exports import act, person, three_rooms  # noqa: F401


def content(data):
    """An export without the moment it was taken: what a round trip must keep."""
    return {key: value for key, value in data.items() if key != "exported_at"}


@pytest.fixture
def fresh(tmp_path):
    """A second server with its own empty database, to import into."""
    app = create_app({"TESTING": True, "FACILITATION_DB": str(tmp_path / "fresh.sqlite"),
                      "SOCKETIO_ASYNC_MODE": "threading"})
    yield app
    get_store(app).close()


@pytest.fixture
def busy_workshop(store, three_rooms):  # noqa: F811
    """Three rooms with votes, a facilitator note, a locked room and a closed room."""
    codes = three_rooms["codes"]
    fac = facilitator_actor(three_rooms["id"])
    act(store, fac, "note.add", room=codes[0], text="From the facilitator", color="purple")
    act(store, fac, "voting.open", room=codes[0], votes_per_participant=3)
    voter, board = person(store, codes[0], "Vi", "Nantes")
    for note in board["notes"][:2]:
        act(store, voter, "note.vote", note_id=note["id"])
    act(store, fac, "voting.close", room=codes[0])
    act(store, fac, "group.add", room=codes[1], name="Parking lot")
    act(store, fac, "room.lock", room=codes[1])
    act(store, fac, "room.close", room=codes[2])
    return three_rooms


def test_workshop_round_trip_export_import_export_is_the_same(client, fresh, busy_workshop):
    original = client.get(f"/f/{busy_workshop['facilitator_key']}/export.json").get_json()
    answer = fresh.test_client().post("/api/import", json=original)
    assert answer.status_code == 201, answer.get_json()
    created = answer.get_json()
    assert created["facilitator_key"] != busy_workshop["facilitator_key"]
    assert created["facilitator_url"].endswith(f"/f/{created['facilitator_key']}")
    assert [room["name"] for room in created["rooms"]] == ["Room 1", "Room / 2"]  # 3 is closed
    again = fresh.test_client().get(f"/f/{created['facilitator_key']}/export.json").get_json()
    assert content(again) == content(original)
    votes = [n["votes"] for g in again["rooms"][0]["groups"] for n in g["notes"]]
    assert sorted(votes) == [0, 0, 1, 1]
    assert again["rooms"][1]["locked"] is True and again["rooms"][2]["closed"] is True
    assert again["rooms"][1]["groups"][0]["notes"][1]["tags"] == ["Milan"]


def test_a_room_round_trip_and_the_rebuilt_board_works(client, fresh, busy_workshop):
    original = client.get(f"/r/{busy_workshop['codes'][0]}/export.json").get_json()
    created = fresh.test_client().post("/api/import", json=original).get_json()
    code = created["rooms"][0]["code"]
    assert content(fresh.test_client().get(f"/r/{code}/export.json").get_json()) == content(
        original)
    store = get_store(fresh)
    actor, board = person(store, code, "Nora", "Nantes")
    assert [n["text"] for n in board["notes"]][:2] == [
        "Łódź-style urban gardens à la française", "From the facilitator"]
    act(store, actor, "note.add", text="A new idea on the rebuilt board")
    fac = facilitator_actor(created["id"])
    theirs = board["notes"][1]
    assert theirs["author_id"] == fac.id  # the facilitator's note is still theirs
    act(store, fac, "note.update", room=code, note_id=theirs["id"], text="Edited after import")


def valid_export():
    return {"format": 1, "kind": "room", "exported_at": "2026-11-22T09:30:00.000Z",
            "workshop": {"title": "T", "cities": ["Milan"], "created_at":
                         "2026-11-22T09:00:00.000Z"},
            "rooms": [{"name": "R", "theme": "T", "template": "blank", "groups": [
                {"name": "Ideas", "notes": [{"text": "Hello", "color": "yellow",
                                             "author": "Ana", "city": "Milan", "votes": 0,
                                             "created_at": "2026-11-22T09:10:00.000Z",
                                             "updated_at": "2026-11-22T09:10:00.000Z"}]}]}]}


def broken(path, value):
    """A valid export with one field replaced (path: keys and indexes)."""
    data = valid_export()
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return data


NOTE = ["rooms", 0, "groups", 0, "notes", 0]


@pytest.mark.parametrize(("body", "message"), [
    ("not json at all", "The request body must be JSON"),
    ([1, 2], "not a Breakout Boards export"),
    ({"name": "A board from another tool", "cards": []}, "not a Breakout Boards export"),
    (broken(["format"], 2), "format 2; this server reads format 1"),
    (broken(["format"], True), "format True"),
    (broken(["kind"], "board"), "\"kind\" must be one of"),
    (broken(["rooms"], []), "Rooms must be a list"),
    (broken(["workshop", "cities"], []), "Cities must be"),
    (broken(["rooms", 0, "groups"], []), "Room 1 (R): Groups must be a list"),
    (broken(NOTE + ["color"], "chartreuse"), "Room 1 (R): Group 1 (Ideas), note 1: Colour"),
    (broken(NOTE + ["city"], "Rome"), "note 1: City 'Rome' is not one of the workshop's"),
    (broken(NOTE + ["text"], ""), "Note text cannot be empty"),
    (broken(NOTE + ["tags"], ["Oslo"]), "Tags must be a list of the workshop's cities"),
    (broken(NOTE + ["created_at"], "yesterday"), "created_at must be an ISO 8601 time"),
    (broken(NOTE + ["votes"], -1), "Votes must be between"),
])
def test_malformed_or_foreign_json_is_refused_clearly_and_creates_nothing(fresh, body, message):
    client = fresh.test_client()
    if isinstance(body, str):
        answer = client.post("/api/import", data=body, content_type="application/json")
    else:
        answer = client.post("/api/import", json=body)
    assert answer.status_code == 400
    assert message in answer.get_json()["error"]
    with get_store(fresh).read() as db:
        assert [db[t].count for t in ("workshops", "rooms", "note_groups", "notes")] == [0] * 4


def test_the_valid_example_imports(fresh):
    assert fresh.test_client().post("/api/import", json=valid_export()).status_code == 201


def test_import_follows_the_admin_key_rule(tmp_path):
    app = create_app({"TESTING": True, "FACILITATION_DB": str(tmp_path / "k.sqlite"),
                      "SOCKETIO_ASYNC_MODE": "threading", "FACILITATION_ADMIN_KEY": "s3cret"})
    client = app.test_client()
    assert client.post("/api/import", json=valid_export()).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert client.post("/api/import", json=valid_export(), headers=wrong).status_code == 401
    right = {"Authorization": "Bearer s3cret"}
    assert client.post("/api/import", json=valid_export(), headers=right).status_code == 201
    get_store(app).close()


def test_cli_imports_a_file_and_refuses_a_foreign_one(fresh, tmp_path):
    runner = fresh.test_cli_runner()
    good = tmp_path / "board.json"
    good.write_text(json.dumps(valid_export(), ensure_ascii=False))
    result = runner.invoke(args=["import", str(good)])
    assert result.exit_code == 0 and "Facilitator (keep secret): /f/" in result.output
    bad = tmp_path / "other.json"
    bad.write_text('{"columns": ["To do", "Done"]}')
    result = runner.invoke(args=["import", str(bad)])
    assert result.exit_code != 0 and "not a Breakout Boards export" in result.output
    with get_store(fresh).read() as db:
        assert db["workshops"].count == 1


def test_backup_copies_the_live_database_consistently(app, store, client, busy_workshop,
                                                      tmp_path):
    target = tmp_path / "backups" / "board.sqlite"
    with store.write() as db:
        # A change in flight on the app's connection: the backup holds only committed data.
        db["workshops"].update(busy_workshop["id"], {"title": "Not committed yet"})
        result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("SELECT count(*) FROM notes").fetchone() == (8,)
        assert copy.execute("SELECT title FROM workshops").fetchone() == (
            "Cities network kick-off",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        copy.close()
    assert sorted(p.name for p in target.parent.iterdir()) == ["board.sqlite"]
    # Restore: a server started on the backup file shows the same boards.
    restored = create_app({"TESTING": True, "FACILITATION_DB": str(target),
                           "SOCKETIO_ASYNC_MODE": "threading"})
    key = busy_workshop["facilitator_key"]
    path = f"/f/{key}/cities/Milan/export.json"
    live = client.get(path).get_json()
    assert content(restored.test_client().get(path).get_json()) == content(
        {**live, "workshop": {**live["workshop"], "title": "Cities network kick-off"}})
    get_store(restored).close()
