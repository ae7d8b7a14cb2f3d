"""The access matrix: every op type × who sends it gives the expected answer.

Roles: the note's author and another participant in room A, a participant of room B of the
same workshop, the workshop's facilitator, the facilitator of another workshop, and a socket
that never joined. Every refusal leaves room A's log untouched.
"""

import uuid

import pytest

from facilitation.ops import REGISTRY
from facilitation.workshops import create_workshop

from .conftest import Person

ROLES = ["author", "other", "other_room", "facilitator", "foreign_facilitator", "stranger"]
OK, OWN = "ok", "ok-elsewhere"  # OWN: accepted, but acts in the sender's own room/workshop


def facilitator_op(foreign="not_found"):
    return {"author": "forbidden", "other": "forbidden", "other_room": "forbidden",
            "facilitator": OK, "foreign_facilitator": foreign, "stranger": "not_joined"}


NOTE_OWNER_ONLY = {"author": OK, "other": "forbidden", "other_room": "not_found",
                   "facilitator": OK, "foreign_facilitator": "not_found",
                   "stranger": "not_joined"}
ANYONE_IN_ROOM = {"author": OK, "other": OK, "other_room": "not_found", "facilitator": OK,
                  "foreign_facilitator": "not_found", "stranger": "not_joined"}
ADDING = {**ANYONE_IN_ROOM, "other_room": OWN}
VOTING = {**ANYONE_IN_ROOM, "facilitator": "forbidden", "foreign_facilitator": "forbidden"}

# op type: (fields, expected answer by role). NOTE/GROUP/PERSON stand for room A's ids.
MATRIX = {
    "note.add": ({"text": "hello"}, ADDING),
    "note.update": ({"note_id": "NOTE", "text": "edited"}, NOTE_OWNER_ONLY),
    "note.delete": ({"note_id": "NOTE"}, NOTE_OWNER_ONLY),
    "note.move": ({"note_id": "NOTE", "group_id": "GROUP2"}, ANYONE_IN_ROOM),
    "note.vote": ({"note_id": "NOTE"}, VOTING),
    "note.unvote": ({"note_id": "VOTED"}, {**VOTING, "author": OK, "other": "conflict"}),
    "group.add": ({"name": "New"}, ADDING),
    "group.rename": ({"group_id": "GROUP", "name": "Renamed"}, ANYONE_IN_ROOM),
    "group.delete": ({"group_id": "GROUP"}, ANYONE_IN_ROOM),
    "group.sort": ({"group_id": "GROUP"}, facilitator_op()),
    "note.tag": ({"note_id": "NOTE", "cities": ["Nantes"]}, facilitator_op()),
    "room.lock": ({}, facilitator_op()),
    "room.unlock": ({}, facilitator_op()),
    "room.hide": ({}, facilitator_op()),
    "room.reveal": ({}, facilitator_op()),
    "voting.open": ({"votes_per_participant": 3}, facilitator_op()),
    "voting.close": ({}, facilitator_op()),
    "timer.start": ({"seconds": 60}, facilitator_op()),
    "timer.stop": ({}, facilitator_op()),
    "workshop.broadcast": ({"message": "hi"}, facilitator_op()),
    "room.rename": ({"name": "Renamed"}, facilitator_op()),
    "room.close": ({}, facilitator_op()),
    "room.add": ({"name": "R", "theme": "T"}, facilitator_op(foreign=OWN)),
    "participant.assign": ({"participant_id": "PERSON"}, facilitator_op()),
    "participants.distribute": ({"mode": "random", "participant_ids": ["PERSON"]},
                                facilitator_op()),
    "participants.recall": ({}, facilitator_op(foreign=OWN)),
    "spotlight.show": ({"note_id": "NOTE"}, facilitator_op()),
    "spotlight.hide": ({}, facilitator_op()),
    "workshop.language": ({"language": "pl"}, facilitator_op(foreign=OWN)),
    # Another workshop's facilitator names cities its workshop does not have.
    "pairing.apply": ({"pairs": [["Milan", "Nantes"]]}, facilitator_op(foreign="invalid")),
}


def test_the_matrix_covers_every_op_type():
    assert set(MATRIX) == set(REGISTRY)


@pytest.fixture
def scene(app, connect, workshop, store):
    """Room A with Ana's and Bo's notes (Ana voted for Bo's), room B with Cy, and another
    workshop with its own facilitator."""
    code_a, code_b = (room["code"] for room in workshop["rooms"])
    ana = Person(connect(), code_a, "Ana", "Milan")
    bo = Person(connect(), code_a, "Bo", "Nantes")
    cy = Person(connect(), code_b, "Cy", "Łódź")
    facilitator = connect()
    facilitator.emit("join", {"facilitator_key": workshop["facilitator_key"]}, callback=True)
    note = ana.op("note.add", text="Ana's note")["note"]
    bos_note = bo.op("note.add", text="Bo's note")["note"]
    facilitator.emit("op", {"type": "voting.open", "op_id": "v", "room": code_a,
                            "votes_per_participant": 3}, callback=True)
    assert ana.op("note.vote", note_id=bos_note["id"])["ok"]
    other = create_workshop(store, {"title": "Other", "cities": ["Oslo"],
                                    "rooms": [{"name": "R", "theme": "T"}]})
    foreign = connect()
    foreign.emit("join", {"facilitator_key": other["facilitator_key"]}, callback=True)
    groups = [g["id"] for g in ana.board["groups"]]
    sockets = {"author": ana.sock, "other": bo.sock, "other_room": cy.sock,
               "facilitator": facilitator, "foreign_facilitator": foreign, "stranger": connect()}
    ids = {"NOTE": note["id"], "VOTED": bos_note["id"], "GROUP": groups[0], "GROUP2": groups[1],
           "PERSON": ana.participant["id"]}
    return {"sockets": sockets, "ids": ids, "code_a": code_a}


def room_a_log(store, code):
    with store.read() as db:
        return db.execute("SELECT o.seq FROM ops o JOIN rooms r ON r.id = o.room_id "
                          "WHERE r.code = ?", [code]).fetchall()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("op_type", sorted(MATRIX))
def test_access(scene, store, op_type, role):
    fields, expected = MATRIX[op_type]
    ids = scene["ids"]
    resolved = {key: ids.get(value, value) if isinstance(value, str) else
                [ids.get(v, v) if isinstance(v, str) else v for v in value]
                if isinstance(value, list) else value
                for key, value in fields.items()}
    payload = {"type": op_type, "op_id": str(uuid.uuid4()), "room": scene["code_a"], **resolved}
    if role in ("foreign_facilitator",) and op_type in ("room.add", "participants.recall",
                                                   "workshop.language"):
        payload.pop("room")
    before = room_a_log(store, scene["code_a"])
    answer = scene["sockets"][role].emit("op", payload, callback=True)
    want = expected[role]
    if want in (OK, OWN):
        assert answer["ok"] is True, answer
        if want == OWN:
            assert room_a_log(store, scene["code_a"]) == before
    else:
        assert answer["ok"] is False and answer["code"] == want, answer
        assert answer["error"]
        assert room_a_log(store, scene["code_a"]) == before
