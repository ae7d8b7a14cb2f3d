"""Spotlight: the facilitator shows one note large on every participant's screen."""

import uuid

import pytest

from facilitation.workshops import create_workshop

from .conftest import Person


@pytest.fixture
def scene(connect, workshop, join):
    ana = join(0, "Ana", "Milan")
    cy = join(1, "Cy", "Łódź")
    facilitator = connect()
    facilitator.emit("join", {"facilitator_key": workshop["facilitator_key"]}, callback=True)
    note = ana.op("note.add", text="Our harbour")["note"]
    codes = [room["code"] for room in workshop["rooms"]]

    def fac(type_, **fields):
        return facilitator.emit("op", {"type": type_, "op_id": str(uuid.uuid4()), **fields},
                                callback=True)

    return {"ana": ana, "cy": cy, "note": note, "codes": codes, "fac": fac}


def spotlights(person):
    return [event for event in person.received() if event["type"].startswith("spotlight.")]


def test_show_without_a_room_reaches_every_open_room_and_hide_ends_it(scene, connect):
    ana, cy, note, codes = scene["ana"], scene["cy"], scene["note"], scene["codes"]
    ack = scene["fac"]("spotlight.show", note_id=note["id"])
    assert ack["ok"] and set(ack["rooms"]) == set(codes), ack
    for person, code in ((ana, codes[0]), (cy, codes[1])):
        (event,) = spotlights(person)
        assert event["room"] == code
        shown = event["spotlight"]
        assert shown["note"]["text"] == "Our harbour"
        assert (shown["note"]["author"], shown["note"]["city"]) == ("Ana", "Milan")
        assert shown["room"] == codes[0] and shown["group"]["name"] == "Challenges"
    # Someone joining during the spotlight sees it at once.
    late = Person(connect(), codes[1], "Dee", "Nantes")
    assert late.board["spotlight"]["note"]["id"] == note["id"]
    assert scene["fac"]("spotlight.hide")["ok"]
    assert spotlights(cy)[-1]["spotlight"] is None
    assert Person(connect(), codes[1], "Eve", "Nantes").board["spotlight"] is None


def test_show_in_one_room_only(scene):
    scene["fac"]("spotlight.show", note_id=scene["note"]["id"], room=scene["codes"][1])
    assert spotlights(scene["cy"]) and not spotlights(scene["ana"])


def test_a_note_of_a_hidden_room_cannot_be_shown(scene):
    scene["fac"]("room.hide", room=scene["codes"][0])
    refused = scene["fac"]("spotlight.show", note_id=scene["note"]["id"])
    assert refused["code"] == "conflict" and "reveal" in refused["error"]
    assert not spotlights(scene["cy"])


def test_a_note_of_another_workshop_is_not_found(scene, store, connect):
    other = create_workshop(store, {"title": "O", "cities": ["Oslo"],
                                    "rooms": [{"name": "R", "theme": "T"}]})
    stranger = Person(connect(), other["rooms"][0]["code"], "Zed", "Oslo")
    foreign = stranger.op("note.add", text="Elsewhere")["note"]
    refused = scene["fac"]("spotlight.show", note_id=foreign["id"])
    assert refused["code"] == "not_found"


def test_participants_cannot_spotlight(scene):
    refused = scene["ana"].op("spotlight.show", note_id=scene["note"]["id"])
    assert refused["code"] == "forbidden"


def test_a_deleted_note_is_no_longer_in_the_spotlight_on_join(scene, connect):
    scene["fac"]("spotlight.show", note_id=scene["note"]["id"])
    scene["ana"].op("note.delete", note_id=scene["note"]["id"])
    assert Person(connect(), scene["codes"][0], "Fay", "Nantes").board["spotlight"] is None
