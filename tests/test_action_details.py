"""Action notes: `details` on any note, its rules, and the action table's status by group."""

import json
import time
import uuid

import pytest

from facilitation.errors import Refused
from facilitation.facilitator import facilitator_actor
from facilitation.imports import import_export
from facilitation.ops import run_op
from facilitation.participants import join as join_room
from facilitation.participants import sync
from facilitation.exports import workshop_data
from facilitation.workshops import create_workshop

ACTION_WORKSHOP = {
    "title": "Action planning",
    "cities": ["Milan", "Nantes"],
    "rooms": [{"name": "Actions", "theme": "Milan's actions", "template": "action-table"},
              {"name": "Ideas", "theme": "Food", "template": "challenges-ideas-actions"}],
}
FULL = {"lead": "Food policy office", "partners": "School canteens, food bank",
        "outputs": "Surplus food redistributed", "start": "2027-01", "end": "2027-06",
        "resources": "€20,000 from the city budget", "status": "planned"}


def join(store, payload):
    """Join a room through the domain; return (actor, participant, the board)."""
    actor, participant, answer = join_room(store, payload)
    return actor, participant, answer["board"]


def send(store, actor, type_, **fields):
    return run_op(store, actor, {"type": type_, "op_id": str(uuid.uuid4()), **fields})


def ok(store, actor, type_, **fields):
    ack = send(store, actor, type_, **fields).ack
    assert ack["ok"], ack
    return ack


@pytest.fixture
def table(store):
    workshop = create_workshop(store, ACTION_WORKSHOP)
    codes = [room["code"] for room in workshop["rooms"]]
    ana, _, board = join(store, {"room": codes[0], "name": "Ana", "city": "Milan"})
    groups = {group["name"]: group["id"] for group in board["groups"]}
    return {"workshop": workshop, "codes": codes, "ana": ana, "groups": groups,
            "fac": facilitator_actor(workshop["id"])}


def stored(store, note_id):
    with store.read() as db:
        return db.execute(f"SELECT details, updated_at, group_id, {INDEX} FROM notes n "
                          "WHERE id = ?", [note_id]).fetchone()


# A note's place in its group as boards show it (the position column only orders the group).
INDEX = ("(SELECT count(*) FROM notes o WHERE o.group_id = n.group_id "
         "AND o.position < n.position)")


def test_action_table_has_the_four_groups(table):
    assert list(table["groups"]) == ["Ideas", "Planned", "In progress", "Done"]


def test_details_travel_in_ack_broadcast_and_sync(store, table):
    outcome = send(store, table["ana"], "note.add", text="Zero waste canteens",
                   group_id=table["groups"]["Planned"], details=FULL)
    assert outcome.ack["note"]["details"] == FULL
    assert outcome.broadcasts[0].event["note"]["details"] == FULL
    assert sync(store, table["ana"], {"since": 0})["ops"][-1]["note"]["details"] == FULL
    bo, _, board = join(store, {"room": table["codes"][0], "name": "Bo", "city": "Milan"})
    assert board["notes"][0]["details"] == FULL


def test_a_note_without_details_has_null(store, table):
    ack = ok(store, table["ana"], "note.add", text="Plain note", group_id=table["groups"]["Ideas"])
    # On the action table the group gives the status; elsewhere a note has no details at all.
    assert ack["note"]["details"] == {"status": "idea"}
    room2 = join(store, {"room": table["codes"][1], "name": "Cy", "city": "Nantes"})[0]
    assert ok(store, room2, "note.add", text="Plain")["note"]["details"] is None


def test_update_null_clears_a_key_and_omitted_keys_are_kept(store, table):
    note = ok(store, table["ana"], "note.add", text="Act", group_id=table["groups"]["Planned"],
              details=FULL)["note"]
    ack = ok(store, table["ana"], "note.update", note_id=note["id"],
             details={"lead": "Mayor's office", "resources": None})
    expected = {**FULL, "lead": "Mayor's office"}
    del expected["resources"]
    assert ack["note"]["details"] == expected
    assert json.loads(stored(store, note["id"])[0]) == expected
    assert ack["note"]["updated_at"] >= note["updated_at"]


def test_clearing_every_key_leaves_no_details(store, table):
    other = join(store, {"room": table["codes"][1], "name": "Cy", "city": "Nantes"})[0]
    note = ok(store, other, "note.add", text="Act", details={"lead": "Me"})["note"]
    ack = ok(store, other, "note.update", note_id=note["id"], details={"lead": None})
    assert ack["note"]["details"] is None and stored(store, note["id"])[0] is None


@pytest.mark.parametrize("details, words", [
    ({"owner": "Ana"}, "'owner'"),
    ({"lead": "x" * 201}, "details.lead is too long"),
    ({"partners": 5}, "details.partners must be text"),
    ({"start": "2027-13"}, "details.start must be a month"),
    ({"end": "27-01"}, "details.end must be a month"),
    ({"start": "2027-1"}, "details.start must be a month"),
    ({"start": "2027-06", "end": "2027-01"}, "cannot be after"),
    ({"status": "finished"}, "details.status must be one of"),
    ({"status": None, "colour": "x"}, "'colour'"),
    ("planned", "details must be an object"),
])
def test_bad_details_are_refused_and_change_nothing(store, table, details, words):
    note = ok(store, table["ana"], "note.add", text="Act", group_id=table["groups"]["Planned"],
              details=FULL)["note"]
    before = stored(store, note["id"])
    with store.read() as db:
        seq = db.execute("SELECT seq FROM rooms WHERE code = ?", [table["codes"][0]]).fetchone()
        count = db.execute("SELECT count(*) FROM notes").fetchone()
    for type_, fields in (("note.update", {"note_id": note["id"]}), ("note.add", {"text": "New"})):
        with pytest.raises(Refused) as refused:
            send(store, table["ana"], type_, details=details, **fields)
        assert refused.value.code == "invalid"
        assert words in refused.value.message
    assert stored(store, note["id"]) == before
    with store.read() as db:
        assert db.execute("SELECT seq FROM rooms WHERE code = ?",
                          [table["codes"][0]]).fetchone() == seq
        assert db.execute("SELECT count(*) FROM notes").fetchone() == count


def test_an_end_before_the_kept_start_is_refused(store, table):
    note = ok(store, table["ana"], "note.add", text="Act", details={"start": "2027-05"})["note"]
    with pytest.raises(Refused) as refused:
        send(store, table["ana"], "note.update", note_id=note["id"], details={"end": "2027-02"})
    assert refused.value.code == "invalid"
    assert json.loads(stored(store, note["id"])[0]) == {"start": "2027-05", "status": "idea"}


def test_author_and_facilitator_edit_details_others_may_not(store, table):
    note = ok(store, table["ana"], "note.add", text="Act", details={"lead": "Ana"})["note"]
    bo = join(store, {"room": table["codes"][0], "name": "Bo", "city": "Milan"})[0]
    with pytest.raises(Refused) as refused:
        send(store, bo, "note.update", note_id=note["id"], details={"lead": "Bo"})
    assert refused.value.code == "forbidden"
    ack = ok(store, table["fac"], "note.update", room=table["codes"][0], note_id=note["id"],
             details={"partners": "Region"})
    assert ack["note"]["details"]["partners"] == "Region"
    assert ack["note"]["details"]["lead"] == "Ana"


def test_details_edit_obeys_if_updated_at(store, table):
    note = ok(store, table["ana"], "note.add", text="Act", details={"lead": "Ana"})["note"]
    time.sleep(0.002)  # updated_at counts milliseconds
    ok(store, table["fac"], "note.update", room=table["codes"][0], note_id=note["id"],
       details={"lead": "Facilitator"})
    before = stored(store, note["id"])
    with pytest.raises(Refused) as refused:
        send(store, table["ana"], "note.update", note_id=note["id"], details={"lead": "Mine"},
             if_updated_at=note["updated_at"])
    assert refused.value.code == "conflict"
    assert refused.value.details["note"]["details"]["lead"] == "Facilitator"
    assert stored(store, note["id"]) == before


@pytest.mark.parametrize("group, status", [("Ideas", "idea"), ("Planned", "planned"),
                                           ("In progress", "in-progress"), ("Done", "done")])
def test_status_follows_the_group_on_the_action_table(store, table, group, status):
    note = ok(store, table["ana"], "note.add", text="Act", group_id=table["groups"]["Ideas"],
              details={"lead": "Ana", "start": "2027-01"})["note"]
    outcome = send(store, table["ana"], "note.move", note_id=note["id"],
                   group_id=table["groups"][group])
    expected = {"lead": "Ana", "start": "2027-01", "status": status}
    assert outcome.ack["note"]["details"] == expected
    [broadcast] = outcome.broadcasts
    assert broadcast.event["note"]["details"] == expected
    assert json.loads(stored(store, note["id"])[0]) == expected
    # Moving is still not an edit.
    assert outcome.ack["note"]["updated_at"] == note["updated_at"]


def test_changing_the_status_moves_the_note_to_its_group_in_the_same_op(store, table):
    g = table["groups"]
    first = ok(store, table["ana"], "note.add", text="Act", group_id=g["Planned"],
               details={"lead": "Ana"})["note"]
    ok(store, table["ana"], "note.add", text="Next", group_id=g["Planned"])
    there = ok(store, table["ana"], "note.add", text="Going", group_id=g["In progress"])["note"]
    outcome = send(store, table["ana"], "note.update", note_id=first["id"], text="Act now",
                   details={"status": "in-progress"})
    moved = outcome.ack["note"]
    assert (moved["group_id"], moved["position"], moved["text"]) == (g["In progress"], 1, "Act now")
    assert moved["details"] == {"lead": "Ana", "status": "in-progress"}
    assert outcome.ack["from_group_id"] == g["Planned"]
    [broadcast] = outcome.broadcasts
    assert broadcast.event["note"] == moved and broadcast.event["from_group_id"] == g["Planned"]
    with store.read() as db:
        rows = db.execute(f"SELECT text, group_id, {INDEX} FROM notes n")
        assert sorted(rows.fetchall()) == sorted([
            ("Next", g["Planned"], 0), ("Going", g["In progress"], 0),
            ("Act now", g["In progress"], 1)])
    assert stored(store, there["id"])[2:] == (g["In progress"], 0)
    # Dropped has no group: the note stays; so does a status that is already its group's.
    dropped = ok(store, table["ana"], "note.update", note_id=first["id"],
                 details={"status": "dropped"})
    assert (dropped["note"]["group_id"], "from_group_id" in dropped) == (g["In progress"], False)
    # Elsewhere (no group stands for a status) the note never moves.
    cy, _, board = join(store, {"room": table["codes"][1], "name": "Cy", "city": "Nantes"})
    plain = ok(store, cy, "note.add", text="Plain", details={"status": "idea"})["note"]
    ack = ok(store, cy, "note.update", note_id=plain["id"], details={"status": "done"})
    assert ack["note"]["group_id"] == plain["group_id"] == board["groups"][0]["id"]


def test_the_board_says_which_group_stands_for_which_status(store, table):
    _, _, board = join(store, {"room": table["codes"][0], "name": "Bo", "city": "Milan"})
    assert [group.get("status") for group in board["groups"]] == [
        "idea", "planned", "in-progress", "done"]
    _, _, other = join(store, {"room": table["codes"][1], "name": "Cy", "city": "Nantes"})
    assert all("status" not in group for group in other["groups"])


def test_status_does_not_follow_groups_on_other_boards(store, table):
    cy, _, board = join(store, {"room": table["codes"][1], "name": "Cy", "city": "Nantes"})
    note = ok(store, cy, "note.add", text="Act", details={"status": "planned"})["note"]
    ack = ok(store, cy, "note.move", note_id=note["id"], group_id=board["groups"][2]["id"])
    assert ack["note"]["details"] == {"status": "planned"}


def test_a_note_moved_into_the_action_table_takes_the_groups_status(store, table):
    cy, _, _ = join(store, {"room": table["codes"][1], "name": "Cy", "city": "Nantes"})
    note = ok(store, cy, "note.add", text="Compost in schools")["note"]
    ack = ok(store, table["fac"], "note.move", room=table["codes"][1], note_id=note["id"],
             to_room=table["codes"][0], group_id=table["groups"]["In progress"])
    assert ack["note"]["details"] == {"status": "in-progress"}


def test_a_hidden_room_hides_others_details(store, table):
    ok(store, table["fac"], "room.hide", room=table["codes"][0])
    outcome = send(store, table["ana"], "note.add", text="Secret", details={"lead": "Ana"})
    assert outcome.ack["note"]["details"]["lead"] == "Ana"
    bo, _, board = join(store, {"room": table["codes"][0], "name": "Bo", "city": "Milan"})
    assert board["notes"][0]["details"] is None and board["notes"][0]["text"] is None


def test_details_are_in_exports_and_kept_through_import(store, table):
    ok(store, table["ana"], "note.add", text="Zero waste canteens",
       group_id=table["groups"]["In progress"], details={**FULL, "status": "in-progress"})
    with store.read() as db:
        data = workshop_data(db, db["workshops"].get(table["workshop"]["id"]))
    groups = data["rooms"][0]["groups"]
    assert [g.get("status") for g in groups] == ["idea", "planned", "in-progress", "done"]
    assert groups[2]["notes"][0]["details"] == {**FULL, "status": "in-progress"}
    assert "details" not in json.dumps(data["rooms"][1])  # notes without details carry none
    copy = import_export(store, data)
    with store.read() as db:
        again = workshop_data(db, db["workshops"].get(copy["id"]))
    assert again["rooms"] == data["rooms"]
    # The imported table still moves statuses with its groups.
    mia, _, board = join(store, {"room": copy["rooms"][0]["code"], "name": "Mia", "city": "Milan"})
    note = board["notes"][0]
    ack = ok(store, facilitator_actor(copy["id"]), "note.move", room=copy["rooms"][0]["code"], note_id=note["id"],
             group_id=board["groups"][3]["id"])
    assert ack["note"]["details"]["status"] == "done"


def test_import_refuses_bad_details_naming_them(store):
    data = {"format": 1, "kind": "workshop", "workshop": {"title": "T", "cities": ["Milan"]},
            "rooms": [{"name": "R", "theme": "T", "groups": [{"name": "G", "notes": [
                {"text": "x", "author": "A", "city": "Milan", "details": {"boss": "x"}}]}]}]}
    with pytest.raises(Refused) as refused:
        import_export(store, data)
    assert "'boss'" in refused.value.message and "note 1" in refused.value.message
