"""Issue 15, finding 1: a repeated op_id answers the first ack as its sender saw it, wherever
the repeat comes from (another room, the lobby, a new socket), and never more than that."""

import random
import uuid

import pytest

from facilitation.limits import Limits

from .conftest import Person
from .test_facilitator import Facilitator


@pytest.fixture
def hidden_room(connect, workshop):
    """Room 1 hides notes (Room 2 does not); Ana wrote a note there; Bob is there too."""
    fac = Facilitator(connect(), workshop["facilitator_key"])
    code = workshop["rooms"][0]["code"]
    assert fac.op("room.hide", room=code)["ok"]
    ana = Person(connect(), code, "Ana", "Milan")
    note = ana.op("note.add", text="Ana's private idea")["note"]
    bob = Person(connect(), code, "Bob", "Nantes")
    return fac, ana, bob, note


def texts(value):
    """Every note text anywhere in an ack or event."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "text" and isinstance(item, str):
                found.append(item)
            else:
                found.extend(texts(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(texts(item))
    return found


def rejoin(person, payload):
    answer = person.sock.emit("join", {**payload, "token": person.participant["token"]},
                              callback=True)
    assert answer["ok"], answer
    return answer


def test_a_move_replayed_from_a_room_that_shows_notes_keeps_the_text_hidden(hidden_room,
                                                                              workshop):
    _, _, bob, note = hidden_room
    group = bob.board["groups"][1]["id"]
    first = bob.op("note.move", op_id="bob-move-1", note_id=note["id"], group_id=group)
    assert first["ok"] and first["note"]["text"] is None
    rejoin(bob, {"room": workshop["rooms"][1]["code"]})
    again = bob.op("note.move", op_id="bob-move-1", note_id=note["id"], group_id=group)
    assert "Ana's private idea" not in texts(again)
    assert again == first


def test_a_group_delete_replayed_elsewhere_does_not_return_the_moved_notes_whole(hidden_room,
                                                                                  workshop):
    _, ana, bob, _ = hidden_room
    ana.op("note.add", text="in the second group", group_id=bob.board["groups"][1]["id"])
    first = bob.op("group.delete", op_id="bob-del", group_id=bob.board["groups"][1]["id"])
    assert first["ok"] and texts(first) == []
    rejoin(bob, {"room": workshop["rooms"][1]["code"]})
    again = bob.op("group.delete", op_id="bob-del", group_id=bob.board["groups"][1]["id"])
    assert texts(again) == [] and again == first


def test_a_replay_from_the_lobby_answers_the_first_ack_not_a_server_error(hidden_room, workshop):
    _, _, bob, note = hidden_room
    group = bob.board["groups"][2]["id"]
    first = bob.op("note.move", op_id="bob-move-2", note_id=note["id"], group_id=group)
    rejoin(bob, {"lobby": workshop["lobby_code"]})
    again = bob.op("note.move", op_id="bob-move-2", note_id=note["id"], group_id=group)
    assert again.get("code") != "server_error"
    assert again == first


def random_op(rng, person, board, mine, theirs):
    """A random op a participant may send, as (payload fields)."""
    groups = [g["id"] for g in board["groups"]]
    choices = [("note.add", {"text": f"{person.participant['name']} {uuid.uuid4().hex[:6]}"})]
    if mine or theirs:
        target = rng.choice(mine + theirs)
        choices.append(("note.move", {"note_id": target, "group_id": rng.choice(groups)}))
    if mine:
        choices.append(("note.update", {"note_id": rng.choice(mine),
                                        "text": f"edited {uuid.uuid4().hex[:6]}"}))
    choices.append(("group.add", {"name": f"G{rng.randint(0, 999)}"}))
    return rng.choice(choices)


def test_fuzz_every_acked_op_replayed_from_every_place_never_shows_more(app, connect, workshop):
    """Participants and the facilitator write in a room that hides notes and one that does not;
    then every acked op_id is replayed from another room, the lobby and a new socket."""
    # Hundreds of joins and replays from this one test address, as fast as the machine goes:
    # this test is about what a replay shows, not about rate limits (test_security has those).
    plenty = 10**6
    app.extensions["facilitation.limits"] = Limits({
        "joins_per_minute": plenty, "joins_burst": plenty,
        "ops_per_second": plenty, "ops_burst": plenty,
        "address_ops_per_second": plenty, "address_ops_burst": plenty})
    rng = random.Random(15)
    fac = Facilitator(connect(), workshop["facilitator_key"])
    codes = [room["code"] for room in workshop["rooms"]]
    assert fac.op("room.hide", room=codes[0])["ok"]
    people = [Person(connect(), codes[i % 2], name, "Milan")
              for i, name in enumerate(["Ana", "Bob", "Cy", "Di"])]
    notes = {code: {} for code in codes}  # note id -> author id
    acked = []  # (person or None, payload, ack)
    for _ in range(80):
        person = rng.choice(people)
        code = person.board["room"]["code"]
        mine = [n for n, a in notes[code].items() if a == person.participant["id"]]
        theirs = [n for n, a in notes[code].items() if a != person.participant["id"]]
        optype, fields = random_op(rng, person, person.board, mine, theirs)
        payload = {"type": optype, "op_id": str(uuid.uuid4()), **fields}
        ack = person.sock.emit("op", payload, callback=True)
        assert ack["ok"], ack
        if optype == "note.add":
            notes[code][ack["note"]["id"]] = person.participant["id"]
        if optype == "group.add":
            person.board["groups"].append(ack["group"])
        acked.append((person, payload, ack))
    # The facilitator deletes a group full of notes in each room, seen whole by it alone.
    for code in codes:
        groups = fac.joined["boards"][code]["groups"]
        payload = {"type": "group.delete", "op_id": str(uuid.uuid4()), "room": code,
                   "group_id": groups[0]["id"]}
        ack = fac.sock.emit("op", payload, callback=True)
        assert ack["ok"], ack
        acked.append((None, payload, ack))
    places = [{"room": codes[0]}, {"room": codes[1]}, {"lobby": workshop["lobby_code"]}]
    replays = 0
    for person, payload, original in acked:
        allowed = set(texts(original))
        if person is None:
            answer = Facilitator(connect(), workshop["facilitator_key"]).sock.emit(
                "op", payload, callback=True)
            assert answer == original
            continue
        for place in places:
            for sock in (person.sock, connect()):
                answer = sock.emit("join", {**place, "token": person.participant["token"]},
                                   callback=True)
                assert answer["ok"], answer
                again = sock.emit("op", payload, callback=True)
                replays += 1
                assert set(texts(again)) <= allowed, (payload, place, again)
                assert again == original
    assert replays == 6 * (len(acked) - len(codes))
    # A hidden room's notes were really hidden in some of those acks: the check had teeth.
    assert any(
        n.get("hidden") for _, _, ack in acked for n in [ack.get("note") or {}])
