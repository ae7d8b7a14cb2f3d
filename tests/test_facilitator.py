"""Facilitator ops, refusals and the hidden-notes rule, through the Socket.IO test client."""

import time
import uuid

import pytest



class Facilitator:
    def __init__(self, sock, key):
        self.sock = sock
        self.joined = sock.emit("join", {"facilitator_key": key}, callback=True)
        assert self.joined["ok"], self.joined

    def op(self, type_, **fields):
        return self.sock.emit("op", {"type": type_, "op_id": str(uuid.uuid4()), **fields},
                              callback=True)

    def received(self, name="op"):
        return [e["args"][0] for e in self.sock.get_received() if e["name"] == name]


@pytest.fixture
def facilitator(connect, workshop):
    return Facilitator(connect(), workshop["facilitator_key"])


@pytest.fixture
def codes(workshop):
    return [room["code"] for room in workshop["rooms"]]


def test_facilitator_join_sees_every_room_and_board(connect, workshop, join, codes):
    ana = join(0)
    ana.op("note.add", text="seen by the facilitator")
    fac = Facilitator(connect(), workshop["facilitator_key"]).joined
    assert [r["code"] for r in fac["workshop"]["rooms"]] == codes
    room = fac["workshop"]["rooms"][0]
    assert (room["locked"], room["hidden"], room["voting"], room["timer"]) == (
        False, False, None, None)
    assert fac["workshop"]["lobby_code"]
    assert set(fac["boards"]) == set(codes)
    assert [n["text"] for n in fac["boards"][codes[0]]["notes"]] == ["seen by the facilitator"]
    assert [p["name"] for p in fac["workshop"]["participants"]] == ["Ana"]


def test_facilitator_receives_every_rooms_broadcasts_and_presence(facilitator, join, codes):
    ana = join(0)
    cy = join(1, "Cy", "Łódź")
    ana.op("note.add", text="one")
    cy.op("note.add", text="two")
    events = facilitator.received()
    assert [(e["room"], e["note"]["text"]) for e in events] == [(codes[0], "one"),
                                                                (codes[1], "two")]


def test_wrong_facilitator_key_is_refused(connect):
    answer = connect().emit("join", {"facilitator_key": "guess"}, callback=True)
    assert answer["ok"] is False and answer["code"] == "not_found"


def test_facilitator_acts_only_in_its_own_workshop(facilitator, store, connect):
    from facilitation.workshops import create_workshop

    other = create_workshop(store, {"title": "Other", "cities": ["Oslo"],
                                    "rooms": [{"name": "R", "theme": "T"}]})
    answer = facilitator.op("room.lock", room=other["rooms"][0]["code"])
    assert answer["ok"] is False and answer["code"] == "not_found"
    with store.read() as db:
        assert db["rooms"].get(other["rooms"][0]["id"])["locked"] == 0


def test_facilitator_edits_recolours_and_deletes_any_note(facilitator, join, codes):
    ana = join(0)
    note = ana.op("note.add", text="typo")["note"]
    edited = facilitator.op("note.update", room=codes[0], note_id=note["id"], text="fixed",
                            color="blue")
    assert edited["ok"] and edited["note"]["text"] == "fixed"
    assert facilitator.op("note.delete", room=codes[0], note_id=note["id"])["ok"]
    assert [e["type"] for e in ana.received()] == ["note.add", "note.update", "note.delete"]


def test_facilitator_writes_notes_and_manages_groups(facilitator, codes):
    added = facilitator.op("note.add", room=codes[1], text="From the facilitator")
    assert added["ok"] and added["note"]["author"] == "Facilitator"
    group = facilitator.op("group.add", room=codes[1], name="Parking lot")["group"]
    assert facilitator.op("group.rename", room=codes[1], group_id=group["id"], name="Later")["ok"]
    assert facilitator.op("group.delete", room=codes[1], group_id=group["id"])["ok"]


def test_facilitator_op_without_room_is_refused(facilitator):
    answer = facilitator.op("note.add", text="where?")
    assert answer["ok"] is False and "Say which room" in answer["error"]


def test_move_a_note_between_rooms_is_one_change_in_both_logs(facilitator, join, codes, store):
    ana = join(0)
    cy = join(1, "Cy", "Łódź")
    note = ana.op("note.add", text="travelling note", color="pink")["note"]
    ana.received(), cy.received()
    target_group = cy.board["groups"][0]["id"]
    ack = facilitator.op("note.move", room=codes[0], note_id=note["id"], to_room=codes[1])
    assert ack["ok"] and ack["to_room"] == codes[1] and ack["from_room"] == codes[0]
    assert ack["note"]["group_id"] == target_group and ack["note"]["text"] == "travelling note"
    [gone] = ana.received()
    [arrived] = cy.received()
    assert (gone["room"], gone["note"]["id"]) == (codes[0], note["id"])
    assert (arrived["room"], arrived["note"]["id"]) == (codes[1], note["id"])
    assert arrived["seq"] == 1 and gone["seq"] == 2
    again = cy.sock.emit("join", {"room": codes[1], "token": cy.participant["token"]},
                         callback=True)
    assert [n["text"] for n in again["board"]["notes"]] == ["travelling note"]
    with store.read() as db:
        assert db.execute("SELECT count(*) FROM notes").fetchone() == (1,)


def test_participants_cannot_move_notes_to_another_room(join, codes):
    ana = join(0)
    note = ana.op("note.add", text="stay")["note"]
    answer = ana.op("note.move", note_id=note["id"], to_room=codes[1])
    assert answer["ok"] is False and answer["code"] == "forbidden"


FACILITATOR_ONLY = [
    ("room.lock", {}), ("room.unlock", {}), ("room.hide", {}), ("room.reveal", {}),
    ("voting.open", {"votes_per_participant": 3}), ("voting.close", {}),
    ("timer.start", {"seconds": 60}), ("timer.stop", {}),
    ("workshop.broadcast", {"message": "hi"}), ("room.add", {"name": "R", "theme": "T"}),
    ("room.rename", {"name": "R"}), ("room.close", {}),
    ("participant.assign", {"participant_id": "x"}),
    ("participants.distribute", {"mode": "random"}), ("participants.recall", {}),
    ("group.sort", {"group_id": "x"}),
]


@pytest.mark.parametrize(("type_", "fields"), FACILITATOR_ONLY)
def test_participants_cannot_send_facilitator_ops(join, store, codes, type_, fields):
    ana = join(0)
    bo = join(0, "Bo", "Nantes")
    bo.received()
    answer = ana.op(type_, room=codes[0], **fields)
    assert answer == {"ok": False, "code": "forbidden", "error": "Only the facilitator can do that."}
    assert bo.received() == []
    with store.read() as db:
        assert db["ops"].count == 0


def test_lock_greys_out_participants_and_unlock_restores(facilitator, join, codes):
    ana = join(0)
    note = ana.op("note.add", text="before the lock")["note"]
    lock = facilitator.op("room.lock", room=codes[0])
    assert lock["ok"] and lock["state"]["locked"] is True
    assert ana.received()[-1]["state"]["locked"] is True
    refused = ana.op("note.add", text="during")
    assert refused["ok"] is False and refused["code"] == "locked" and "locked" in refused["error"]
    assert ana.op("note.move", note_id=note["id"], group_id=ana.board["groups"][1]["id"])[
        "code"] == "locked"
    assert facilitator.op("note.add", room=codes[0], text="facilitator still writes")["ok"]
    facilitator.op("room.unlock", room=codes[0])
    assert ana.op("note.add", text="after")["ok"]


def test_lock_all_rooms_at_once(facilitator, join, codes):
    ana, cy = join(0), join(1, "Cy", "Łódź")
    ack = facilitator.op("room.lock")
    assert ack["ok"] and set(ack["rooms"]) == set(codes)
    assert ana.op("note.add", text="x")["code"] == "locked"
    assert cy.op("note.add", text="x")["code"] == "locked"


def test_hidden_notes_each_participant_sees_only_their_own(facilitator, join, connect, codes,
                                                           workshop):
    ana = join(0)
    bo = join(0, "Bo", "Nantes")
    before = ana.op("note.add", text="written before the hide")["note"]
    facilitator.op("room.hide", room=codes[0])
    for p in (ana, bo, facilitator):
        p.received()
    secret = bo.op("note.add", text="Bo's private idea")
    assert secret["note"]["text"] == "Bo's private idea"  # the author's own ack is whole
    [seen_by_ana] = ana.received()
    assert seen_by_ana["note"]["text"] is None and seen_by_ana["note"]["hidden"] is True
    assert seen_by_ana["note"]["author"] == "Bo"
    [seen_by_bo] = bo.received()
    assert seen_by_bo["note"]["text"] == "Bo's private idea"
    [seen_by_fac] = facilitator.received()
    assert seen_by_fac["note"]["text"] == "Bo's private idea"
    # Bo moves Ana's older note: his ack and the broadcasts hide its text from him.
    moved = bo.op("note.move", note_id=before["id"], group_id=bo.board["groups"][2]["id"])
    assert moved["note"]["text"] is None
    assert ana.received()[0]["note"]["text"] == "written before the hide"
    # A late joiner's snapshot and a sync hide others' text too.
    late = join(0, "Lu", "Milan")
    assert {n["text"] for n in late.board["notes"]} == {None}
    synced = bo.sock.emit("sync", {"since": 0}, callback=True)["ops"]
    assert all(op["note"]["text"] in (None, "Bo's private idea") for op in synced if "note" in op)
    fresh = Facilitator(connect(), workshop["facilitator_key"])  # sees everything
    assert {n["text"] for n in fresh.joined["boards"][codes[0]]["notes"]} == {
        "written before the hide", "Bo's private idea"}
    # Reveal: the broadcast carries every note whole.
    bo.received(), ana.received()
    facilitator.op("room.reveal", room=codes[0])
    [reveal] = ana.received()
    assert reveal["state"]["hidden"] is False
    assert {n["text"] for n in reveal["notes"]} == {"written before the hide",
                                                     "Bo's private idea"}


def test_dot_voting_within_budget(facilitator, join, codes):
    ana = join(0)
    bo = join(0, "Bo", "Nantes")
    notes = [ana.op("note.add", text=t)["note"] for t in ("a", "b", "c")]
    assert ana.op("note.vote", note_id=notes[0]["id"])["code"] == "conflict"  # not open yet
    opened = facilitator.op("voting.open", room=codes[0], votes_per_participant=2)
    assert opened["state"]["voting"] == {"votes_per_participant": 2, "several_per_note": False}
    first = bo.op("note.vote", note_id=notes[0]["id"])
    assert first["ok"] and first["votes"] == 1 and first["voter_id"] == bo.participant["id"]
    twice = bo.op("note.vote", note_id=notes[0]["id"])
    assert twice["ok"] is False and "one vote per note" in twice["error"]
    assert bo.op("note.vote", note_id=notes[1]["id"])["ok"]
    over = bo.op("note.vote", note_id=notes[2]["id"])
    assert over["ok"] is False and "all your 2 votes" in over["error"]
    assert bo.op("note.unvote", note_id=notes[1]["id"])["votes"] == 0
    assert bo.op("note.vote", note_id=notes[2]["id"])["ok"]
    assert ana.op("note.vote", note_id=notes[0]["id"])["votes"] == 2
    assert facilitator.op("note.vote", room=codes[0], note_id=notes[0]["id"])["code"] == "forbidden"
    totals = {e["note_id"]: e["votes"] for e in facilitator.received() if e["type"] == "note.vote"}
    assert totals[notes[0]["id"]] == 2
    rejoined = bo.sock.emit("join", {"room": codes[0], "token": bo.participant["token"]},
                            callback=True)
    assert set(rejoined["board"]["my_votes"]) == {notes[0]["id"], notes[2]["id"]}
    assert {n["text"]: n["votes"] for n in rejoined["board"]["notes"]} == {"a": 2, "b": 0, "c": 1}
    sorted_ = facilitator.op("group.sort", room=codes[0], group_id=notes[0]["group_id"])
    assert sorted_["order"] == [notes[0]["id"], notes[2]["id"], notes[1]["id"]]
    assert facilitator.op("voting.close", room=codes[0])["state"]["voting"] is None
    assert bo.op("note.unvote", note_id=notes[0]["id"])["code"] == "conflict"


def test_timer_is_held_by_the_server(facilitator, join, codes):
    ana = join(0)
    started = facilitator.op("timer.start", room=codes[0], seconds=300)
    timer = started["state"]["timer"]
    assert timer["deadline"].endswith("Z") and 298 <= timer["remaining"] <= 300
    late = join(0, "Bo", "Nantes")
    assert late.board["room"]["timer"]["deadline"] == timer["deadline"]
    assert 298 <= late.board["room"]["timer"]["remaining"] <= 300
    assert ana.received()[-1]["state"]["timer"]["deadline"] == timer["deadline"]
    everywhere = facilitator.op("timer.start", seconds=60)
    assert set(everywhere["rooms"]) == set(codes)
    assert facilitator.op("timer.stop", room=codes[0])["state"]["timer"] is None
    bad = facilitator.op("timer.start", room=codes[0], seconds=0)
    assert bad["ok"] is False and "Seconds" in bad["error"]


def test_broadcast_message_reaches_every_room(facilitator, join, codes):
    ana, cy = join(0), join(1, "Cy", "Łódź")
    ack = facilitator.op("workshop.broadcast", message="Five minutes left!")
    assert ack["ok"] and set(ack["rooms"]) == set(codes)
    for person in (ana, cy):
        [event] = person.received()
        assert event["type"] == "workshop.broadcast" and event["message"] == "Five minutes left!"


def test_add_rename_close_rooms(facilitator, join, codes, client):
    created = facilitator.op("room.add", name="Room 3", theme="Peer exchange",
                             template="stakeholder-map")
    assert created["ok"]
    room = created["created"]
    assert (room["name"], room["theme"], room["template"]) == ("Room 3", "Peer exchange",
                                                              "stakeholder-map")
    assert [g["name"] for g in room["groups"]] == ["Manage closely", "Keep satisfied",
                                                   "Keep informed", "Monitor"]
    assert client.get(f"/r/{room['code']}").status_code == 200
    [event] = facilitator.received()
    assert event["type"] == "room.add" and event["room"] == room["code"] and event["seq"] == 1
    renamed = facilitator.op("room.rename", room=room["code"], name="Room 3: Milan")
    assert renamed["state"]["name"] == "Room 3: Milan"
    ana = join(0)
    closed = facilitator.op("room.close", room=codes[0])
    assert closed["ok"] and closed["state"]["closed"] is True
    assert ana.received("assigned") == [{"room": None}]
    assert ana.op("note.add", text="x")["code"] in {"closed", "not_found"}
    again = ana.sock.emit("join", {"room": codes[0], "token": ana.participant["token"]},
                          callback=True)
    assert again["ok"] is False and "closed" in again["error"]


def test_lobby_and_assignment_by_hand(facilitator, connect, workshop, codes):
    sock = connect()
    joined = sock.emit("join", {"lobby": workshop["lobby_code"], "name": "Ana", "city": "Milan"},
                       callback=True)
    assert joined["ok"] and joined["room"] is None
    assert joined["workshop"]["cities"] == ["Milan", "Nantes", "Łódź"]
    pid = joined["participant"]["id"]
    assert joined["presence"] == {"room": None, "participants": [
        {"id": joined["participant"]["id"], "name": "Ana", "city": "Milan"}]}
    lobby = []
    for _ in range(100):  # presence is announced within 250 ms
        lobby += [p for p in facilitator.received("presence") if p["room"] is None]
        if lobby:
            break
        time.sleep(0.02)
    assert [p["name"] for p in lobby[0]["joined"]] == ["Ana"] and lobby[0]["left"] == []
    assert sock.emit("op", {"type": "note.add", "op_id": "l", "text": "x"},
                     callback=True)["code"] == "not_joined"
    ack = facilitator.op("participant.assign", participant_id=pid, room=codes[1])
    assert ack["assignments"] == {pid: codes[1]}
    assert [e["args"][0] for e in sock.get_received() if e["name"] == "assigned"] == [
        {"room": codes[1]}]
    # Following the assignment keeps the identity.
    moved = sock.emit("join", {"room": codes[1], "token": joined["participant"]["token"]},
                      callback=True)
    assert moved["participant"]["id"] == pid
    facilitator.op("participant.assign", participant_id=pid)
    assert [e["args"][0] for e in sock.get_received() if e["name"] == "assigned"] == [
        {"room": None}]


def lobby_people(connect, workshop, people):
    socks = []
    for name, city in people:
        sock = connect()
        answer = sock.emit("join", {"lobby": workshop["lobby_code"], "name": name, "city": city},
                           callback=True)
        socks.append((sock, answer["participant"]))
    return socks


def test_distribute_at_random_in_even_numbers(facilitator, connect, workshop, codes):
    people = lobby_people(connect, workshop, [(f"P{i}", "Milan") for i in range(7)])
    ack = facilitator.op("participants.distribute", mode="random")
    sizes = sorted(list(ack["assignments"].values()).count(code) for code in codes)
    assert sizes == [3, 4]
    for sock, participant in people:
        [assigned] = [e["args"][0] for e in sock.get_received() if e["name"] == "assigned"]
        assert assigned["room"] == ack["assignments"][participant["id"]]


def test_distribute_by_city_together_and_spread(facilitator, connect, workshop, codes):
    people = lobby_people(connect, workshop, [("A", "Milan"), ("B", "Milan"), ("C", "Nantes"),
                                              ("D", "Nantes"), ("E", "Łódź")])
    city_of = {p["id"]: p["city"] for _, p in people}
    together = facilitator.op("participants.distribute", mode="city-together")["assignments"]
    rooms_by_city = {}
    for pid, room in together.items():
        rooms_by_city.setdefault(city_of[pid], set()).add(room)
    assert all(len(rooms) == 1 for rooms in rooms_by_city.values())
    ids = [p["id"] for _, p in people]
    spread = facilitator.op("participants.distribute", mode="city-spread",
                            participant_ids=ids)["assignments"]
    for city in ("Milan", "Nantes"):
        assert {spread[pid] for pid in ids if city_of[pid] == city} == set(codes)


def test_recall_everyone_to_the_lobby(facilitator, join, codes):
    ana, cy = join(0), join(1, "Cy", "Łódź")
    ack = facilitator.op("participants.recall")
    assert set(ack["assignments"]) == {ana.participant["id"], cy.participant["id"]}
    assert ana.received("assigned") == [{"room": None}]
    assert cy.received("assigned") == [{"room": None}]


def test_distribute_takes_only_people_still_waiting_in_the_lobby(facilitator, connect, workshop):
    people = lobby_people(connect, workshop, [("Stays", "Milan"), ("Leaves", "Nantes")])
    (_, stays), (gone_sock, gone) = people
    gone_sock.disconnect()
    ack = facilitator.op("participants.distribute", mode="random")
    assert list(ack["assignments"]) == [stays["id"]]


def test_closed_rooms_stay_listed_for_their_outputs(facilitator, connect, workshop, codes):
    facilitator.op("room.close", room=codes[1])
    again = Facilitator(connect(), workshop["facilitator_key"]).joined
    assert [r["code"] for r in again["workshop"]["rooms"]] == [codes[0]]
    assert [r["code"] for r in again["workshop"]["closed_rooms"]] == [codes[1]]


def test_facilitator_files_a_note_under_more_cities(facilitator, connect, join, workshop, codes):
    ana = join(0)
    note = ana.op("note.add", text="Milan's food council")["note"]
    tagged = facilitator.op("note.tag", room=codes[0], note_id=note["id"], cities=["Nantes"])
    assert tagged["ok"] and tagged["note"]["tags"] == ["Nantes"]
    refused = facilitator.op("note.tag", room=codes[0], note_id=note["id"], cities=["Paris"])
    assert refused["ok"] is False and "Paris is not a city of this workshop" in refused["error"]
    again = Facilitator(connect(), workshop["facilitator_key"]).joined
    [seen] = again["boards"][codes[0]]["notes"]
    assert seen["tags"] == ["Nantes"]


def test_facilitator_rejoin_with_since_per_room(connect, workshop, join, codes):
    key = workshop["facilitator_key"]
    first = connect().emit("join", {"facilitator_key": key}, callback=True)
    assert first["catch_up"] == {codes[0]: "board", codes[1]: "board"} and first["ops"] == {}
    held = {code: first["boards"][code]["seq"] for code in codes}
    ana = join(0)
    ana.op("note.add", text="while the console was away")
    again = connect().emit("join", {"facilitator_key": key, "since": {codes[0]: held[codes[0]]}},
                           callback=True)
    # Room 1 named with its seq: its ops. Room 2 not named: its whole board.
    assert again["catch_up"] == {codes[0]: "ops", codes[1]: "board"}
    assert [op["note"]["text"] for op in again["ops"][codes[0]]] == ["while the console was away"]
    assert set(again["boards"]) == {codes[1]}
    bad = connect().emit("join", {"facilitator_key": key, "since": 3}, callback=True)
    assert bad["ok"] is False and bad["code"] == "invalid"
