"""Every op type, permission and refusal through the Socket.IO test client."""

import time

import pytest

from facilitation.boards import snapshot

# --- join ------------------------------------------------------------------------------------


def test_join_answers_participant_and_board(join, workshop):
    ana = join(0, "Ana", "Milan")
    assert ana.participant["name"] == "Ana"
    assert ana.participant["city"] == "Milan"
    assert len(ana.participant["token"]) >= 32
    board = ana.board
    assert board["room"]["code"] == workshop["rooms"][0]["code"]
    assert board["room"]["theme"] == "Environment & Food"
    assert [g["name"] for g in board["groups"]] == ["Challenges", "Ideas", "Actions"]
    assert [g["position"] for g in board["groups"]] == [0, 1, 2]
    assert board["notes"] == []
    assert board["seq"] == 0


def test_join_with_token_brings_back_the_same_participant_and_board(join, connect, workshop):
    ana = join(0, "Ana", "Milan")
    ana.op("note.add", text="Compost in every school")
    again = connect().emit(
        "join", {"room": workshop["rooms"][0]["code"], "token": ana.participant["token"]},
        callback=True,
    )
    assert again["ok"]
    assert again["participant"] == ana.participant
    assert [n["text"] for n in again["board"]["notes"]] == ["Compost in every school"]
    assert again["board"]["seq"] == 1


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"room": "nope", "name": "Ana", "city": "Milan"}, "room link is not valid"),
        ({"room": None, "name": "Ana", "city": "Milan"}, "room link is not valid"),
        ({"name": "Ana", "city": "Milan"}, "room link is not valid"),
        ({"room": "ROOM", "city": "Milan"}, "Your name is missing"),
        ({"room": "ROOM", "name": "   ", "city": "Milan"}, "Your name cannot be empty"),
        ({"room": "ROOM", "name": "A" * 61, "city": "Milan"}, "Your name is too long"),
        ({"room": "ROOM", "name": "Ana", "city": "Paris"}, "Pick your city from the list"),
        ({"room": "ROOM", "name": 5, "city": "Milan"}, "Your name must be text"),
        ({"room": "ROOM", "token": "unknown"}, "could not recognise you"),
        ("just a string", "JSON object"),
        (None, "JSON object"),
    ],
)
def test_join_refusals(connect, workshop, store, payload, message):
    if isinstance(payload, dict) and payload.get("room") == "ROOM":
        payload["room"] = workshop["rooms"][0]["code"]
    answer = connect().emit("join", payload, callback=True)
    assert answer["ok"] is False
    assert message in answer["error"]
    with store.read() as db:
        assert db["participants"].count == 0


def test_token_from_another_workshop_is_not_accepted(join, connect, store):
    from facilitation.workshops import create_workshop

    ana = join(0, "Ana", "Milan")
    other = create_workshop(store, {"title": "Other", "cities": ["Oslo"], "rooms": [
        {"name": "R", "theme": "T"}]})
    answer = connect().emit(
        "join", {"room": other["rooms"][0]["code"], "token": ana.participant["token"]},
        callback=True,
    )
    assert answer["ok"] is False
    assert answer["code"] == "not_found"


# --- presence ---------------------------------------------------------------------------------


def test_presence_lists_each_person_once_and_follows_leaving(join, connect, workshop):
    ana = join(0, "Ana", "Milan")
    bo = join(0, "Bo", "Nantes")
    assert [p["name"] for p in bo.joined["presence"]["participants"]] == ["Ana", "Bo"]
    # Ana opens a second tab with her token: still one Ana, and nobody is told she came again.
    second_tab = connect()
    again = second_tab.emit("join", {"room": workshop["rooms"][0]["code"],
                                     "token": ana.participant["token"]}, callback=True)
    assert [(p["name"], p["city"]) for p in again["presence"]["participants"]] == [
        ("Ana", "Milan"), ("Bo", "Nantes")]
    assert bo.names_here(["Ana", "Bo"]) == ["Ana", "Bo"]
    ana.sock.disconnect()
    time.sleep(0.4)  # longer than an announcement's delay
    assert bo.names_here(["Ana", "Bo"]) == ["Ana", "Bo"]  # her second tab is still open
    assert all(delta["left"] == [] for delta in bo.received("presence"))
    second_tab.disconnect()
    assert bo.names_here(["Bo"]) == ["Bo"]


def test_presence_events_are_coalesced_deltas(app, join, connect, workshop):
    """100 people join one room: the first one's socket gets far fewer than 100 events."""
    from facilitation.limits import Limits

    # One office behind one address: lift the per-address join limit for this test.
    app.extensions["facilitation.limits"] = Limits({"joins_per_minute": 6000, "joins_burst": 200})
    ana = join(0, "Ana", "Milan")
    code = workshop["rooms"][0]["code"]
    for index in range(100):
        sock = connect()
        assert sock.emit("join", {"room": code, "name": f"P{index:03d}", "city": "Nantes"},
                         callback=True)["ok"]
    expected = ["Ana"] + [f"P{index:03d}" for index in range(100)]
    assert ana.names_here(expected) == expected
    time.sleep(0.4)  # nothing more comes
    ana.names_here(expected)
    count = len(ana.seen_presence)
    assert count < 20, count
    assert all(set(delta) == {"room", "joined", "left"} for delta in ana.seen_presence)
    arrivals = [p["name"] for delta in ana.seen_presence for p in delta["joined"]]
    assert sorted(set(arrivals) - {"Ana"}) == expected[1:]
    assert len(arrivals) <= 101  # each arrival told once (Ana may hear of her own)


def test_joining_another_room_leaves_the_first(join, connect, workshop):
    ana = join(0, "Ana", "Milan")
    bo = join(0, "Bo", "Nantes")
    assert bo.names_here(["Ana", "Bo"]) == ["Ana", "Bo"]
    moved = ana.sock.emit("join", {"room": workshop["rooms"][1]["code"],
                                   "token": ana.participant["token"]}, callback=True)
    assert moved["ok"]
    assert [p["name"] for p in moved["presence"]["participants"]] == ["Ana"]
    assert bo.names_here(["Bo"]) == ["Bo"]
    ana.op("note.add", text="Now in room 2")
    assert bo.received() == []


# --- notes ------------------------------------------------------------------------------------


def test_note_add_is_acked_and_broadcast_to_everyone_in_the_room(join):
    ana = join(0, "Ana", "Milan")
    bo = join(0, "Bo", "Nantes")
    ack = ana.op("note.add", op_id="op-1", text="  Bike lanes\nand trees  ", color="green")
    assert ack["ok"] and ack["seq"] == 1
    note = ack["note"]
    assert note["text"] == "Bike lanes\nand trees"
    assert note["color"] == "green"
    assert note["author"] == "Ana" and note["city"] == "Milan"
    assert note["author_id"] == ana.participant["id"]
    assert note["group_id"] == ana.board["groups"][0]["id"]
    assert note["position"] == 0
    assert note["created_at"].endswith("Z")
    for person in (ana, bo):
        [event] = person.received()
        assert event == {key: value for key, value in ack.items() if key != "ok"}
        assert event["actor"] == {"id": ana.participant["id"], "name": "Ana", "city": "Milan"}
        assert event["type"] == "note.add" and event["op_id"] == "op-1"


def test_note_add_to_a_named_group_appends_last(join):
    ana = join()
    ideas = ana.board["groups"][1]["id"]
    first = ana.op("note.add", text="one", group_id=ideas)["note"]
    second = ana.op("note.add", text="two", group_id=ideas)["note"]
    assert (first["group_id"], first["position"]) == (ideas, 0)
    assert (second["group_id"], second["position"]) == (ideas, 1)
    assert first["color"] == "yellow"


def test_note_text_is_stored_exactly_as_typed(join, connect, workshop):
    ana = join()
    text = '<script>alert("x")</script> & <b>bold</b> Łódź ☕'
    ana.op("note.add", text=text)
    board = connect().emit("join", {"room": workshop["rooms"][0]["code"],
                                    "token": ana.participant["token"]}, callback=True)["board"]
    assert board["notes"][0]["text"] == text


def test_note_update_by_its_author(join):
    ana = join()
    bo = join(0, "Bo", "Nantes")
    note = ana.op("note.add", text="draft")["note"]
    bo.received()
    ack = ana.op("note.update", note_id=note["id"], text="final", color="pink")
    assert ack["ok"]
    assert (ack["note"]["text"], ack["note"]["color"]) == ("final", "pink")
    assert ack["note"]["created_at"] == note["created_at"]
    [event] = bo.received()
    assert event["note"] == ack["note"]


def test_only_the_author_edits_or_deletes_a_note(join, store):
    ana = join()
    bo = join(0, "Bo", "Nantes")
    note = ana.op("note.add", text="mine")["note"]
    bo.received()
    edit = bo.op("note.update", note_id=note["id"], text="hijacked")
    delete = bo.op("note.delete", note_id=note["id"])
    assert edit == {"ok": False, "code": "forbidden",
                    "error": "Only the person who wrote a note can edit it."}
    assert delete["ok"] is False and delete["code"] == "forbidden"
    assert bo.received() == []
    with store.read() as db:
        assert db["notes"].get(note["id"])["text"] == "mine"
        assert db["ops"].count == 1


def test_anyone_moves_any_note_and_positions_stay_dense(join, store):
    ana = join()
    bo = join(0, "Bo", "Nantes")
    challenges, ideas, _ = (g["id"] for g in ana.board["groups"])
    a, b, c = (ana.op("note.add", text=t)["note"] for t in "abc")
    ack = bo.op("note.move", note_id=a["id"], group_id=ideas)
    assert ack["ok"]
    assert ack["note"]["group_id"] == ideas and ack["note"]["position"] == 0
    assert ack["from_group_id"] == challenges
    # Reorder within a group: c to the top.
    assert bo.op("note.move", note_id=c["id"], group_id=challenges, position=0)["note"]["position"] == 0
    # A position past the end means last.
    assert bo.op("note.move", note_id=b["id"], group_id=ideas, position=99)["note"]["position"] == 1
    assert seen_positions(store) == [("a", ideas, 0), ("b", ideas, 1), ("c", challenges, 0)]


def seen_positions(store):
    """Every note's (text, group, position) as a board snapshot shows them, by text."""
    with store.read() as db:
        notes = [note for room in db["rooms"].rows for note in snapshot(db, room)["notes"]]
    return sorted((note["text"], note["group_id"], note["position"]) for note in notes)


def test_a_move_writes_no_other_note(join, store):
    """A note's place is kept as an order number with room around it: moving one note to the
    top of a long group, or between two others again and again, rewrites that note only, and
    every board still shows dense positions in the right order."""
    ana = join()
    challenges, ideas, _ = (g["id"] for g in ana.board["groups"])
    notes = [ana.op("note.add", text=f"n{i:02d}", group_id=ideas)["note"] for i in range(30)]
    with store.read() as db:
        before = dict(db.execute("SELECT id, position FROM notes").fetchall())
    moved = ana.op("note.move", note_id=notes[-1]["id"], group_id=ideas, position=0)
    assert moved["note"]["position"] == 0
    with store.read() as db:
        after = dict(db.execute("SELECT id, position FROM notes").fetchall())
    assert [i for i in after if after[i] != before[i]] == [notes[-1]["id"]]
    # 60 moves into the same gap (past what halving the room between two numbers allows), by
    # two people (each stays under the rate limit).
    movers = [join(0, "Bo", "Nantes"), join(0, "Cy", "Milan")]
    order = [n["text"] for n in notes[-1:] + notes[:-1]]
    for i in range(60):
        note = notes[i % 29]
        answer = movers[i % 2].op("note.move", note_id=note["id"], group_id=ideas, position=1)
        assert answer["ok"] and answer["note"]["position"] == 1
        order.remove(note["text"])
        order.insert(1, note["text"])
    seen = [(t, p) for t, g, p in seen_positions(store) if g == ideas]
    assert sorted(seen, key=lambda tp: tp[1]) == [(t, i) for i, t in enumerate(order)]
    fresh = join(0, "Di", "Nantes")
    assert [n["text"] for n in fresh.board["notes"] if n["group_id"] == ideas] == order
    assert [n["position"] for n in fresh.board["notes"] if n["group_id"] == ideas] == list(
        range(30))


def test_note_delete_closes_up_the_group(join, store):
    ana = join()
    bo = join(0, "Bo", "Nantes")
    notes = [ana.op("note.add", text=t)["note"] for t in "abc"]
    bo.received()
    ack = ana.op("note.delete", note_id=notes[0]["id"])
    assert ack["ok"] and ack["note_id"] == notes[0]["id"]
    assert ack["group_id"] == notes[0]["group_id"]
    assert bo.received()[0]["note_id"] == notes[0]["id"]
    assert [(text, position) for text, _, position in seen_positions(store)] == [
        ("b", 0), ("c", 1)]
    # A note added after it comes last, and says so.
    assert ana.op("note.add", text="d")["note"]["position"] == 2


# --- groups -----------------------------------------------------------------------------------


def test_group_add_rename_delete(join, store):
    ana = join()
    bo = join(0, "Bo", "Nantes")
    added = ana.op("group.add", name="Quick wins")
    assert added["ok"] and added["group"]["name"] == "Quick wins"
    assert added["group"]["position"] == 3
    renamed = bo.op("group.rename", group_id=added["group"]["id"], name="Quick wins 2027")
    assert renamed["group"] == {**added["group"], "name": "Quick wins 2027"}
    assert [e["type"] for e in ana.received()] == ["group.add", "group.rename"]


def test_group_delete_moves_its_notes_to_the_first_group(join, store):
    ana = join()
    challenges, ideas, actions = (g["id"] for g in ana.board["groups"])
    ana.op("note.add", text="c1", group_id=challenges)
    ana.op("note.add", text="i1", group_id=ideas)
    ana.op("note.add", text="i2", group_id=ideas)
    ack = ana.op("group.delete", group_id=challenges)
    assert ack["ok"] and ack["moved_to"] == ideas
    assert [(n["text"], n["group_id"]) for n in ack["notes"]] == [("c1", ideas)]
    assert [n["position"] for n in ack["notes"]] == [2]
    assert sorted((p, t) for t, g, p in seen_positions(store) if g == ideas) == [
        (0, "i1"), (1, "i2"), (2, "c1")]
    with store.read() as db:
        groups = db.execute("SELECT id, position FROM note_groups WHERE id IN (?, ?, ?) "
                            "ORDER BY position", [challenges, ideas, actions]).fetchall()
        assert groups == [(ideas, 0), (actions, 1)]


def test_the_last_group_cannot_be_deleted(join, store):
    ana = join(1)  # Room 2: a blank board with one group
    [only] = ana.board["groups"]
    answer = ana.op("group.delete", group_id=only["id"])
    assert answer["ok"] is False and answer["code"] == "conflict"
    assert "last group" in answer["error"]
    with store.read() as db:
        assert db["note_groups"].get(only["id"])


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"type": "note.fly", "op_id": "x"}, "Unknown op type"),
        ({"op_id": "x"}, "Unknown op type"),
        ({"type": "note.add", "text": "no id"}, "op_id is missing"),
        ({"type": "note.add", "op_id": "x" * 65, "text": "t"}, "op_id is too long"),
        ({"type": "note.add", "op_id": "x"}, "Note text is missing"),
        ({"type": "note.add", "op_id": "x", "text": " \n "}, "Note text cannot be empty"),
        ({"type": "note.add", "op_id": "x", "text": "a" * 1001}, "at most 1000"),
        ({"type": "note.add", "op_id": "x", "text": 42}, "Note text must be text"),
        ({"type": "note.add", "op_id": "x", "text": "t", "color": "red"}, "Colour must be one of"),
        ({"type": "note.add", "op_id": "x", "text": "t", "group_id": "nope"}, "group is not"),
        ({"type": "note.update", "op_id": "x", "note_id": "nope", "text": "t"}, "note is not"),
        ({"type": "note.update", "op_id": "x", "note_id": "NOTE"}, "Say what to change"),
        ({"type": "note.move", "op_id": "x", "note_id": "NOTE"}, "group_id is missing"),
        ({"type": "note.move", "op_id": "x", "note_id": "NOTE", "group_id": "GROUP",
          "position": -1}, "Position must be between"),
        ({"type": "note.move", "op_id": "x", "note_id": "NOTE", "group_id": "GROUP",
          "position": "1"}, "Position must be a whole number"),
        ({"type": "note.delete", "op_id": "x", "note_id": ["NOTE"]}, "note_id must be an id"),
        ({"type": "group.add", "op_id": "x", "name": "g" * 81}, "at most 80"),
        ({"type": "group.rename", "op_id": "x", "group_id": "GROUP", "name": ""}, "cannot be empty"),
        ([1, 2], "JSON object"),
        (None, "JSON object"),
    ],
)
def test_bad_ops_are_refused_with_a_clear_error_and_change_nothing(join, store, payload, message):
    ana = join()
    bo = join(0, "Bo", "Nantes")
    note = ana.op("note.add", text="keep me")["note"]
    bo.received()
    if isinstance(payload, dict):
        for key, value in payload.items():
            payload[key] = {"NOTE": note["id"], "GROUP": ana.board["groups"][1]["id"]}.get(
                value, value) if isinstance(value, str) else value
    with store.read() as db:
        before = db.execute("SELECT * FROM notes").fetchall(), db["ops"].count
    answer = ana.sock.emit("op", payload, callback=True)
    assert answer["ok"] is False
    assert message in answer["error"], answer
    assert answer["code"] in {"invalid", "not_found"}
    assert bo.received() == []
    with store.read() as db:
        assert (db.execute("SELECT * FROM notes").fetchall(), db["ops"].count) == before
    # The connection is still good.
    assert ana.op("note.add", text="still here")["ok"]


def test_ids_of_another_room_are_not_found(join):
    ana = join(0)
    cy = join(1, "Cy", "Łódź")
    theirs = cy.op("note.add", text="room 2 note")["note"]
    cy.received()
    for type_, fields in [
        ("note.update", {"note_id": theirs["id"], "text": "x"}),
        ("note.move", {"note_id": theirs["id"], "group_id": ana.board["groups"][0]["id"]}),
        ("note.delete", {"note_id": theirs["id"]}),
        ("note.add", {"text": "x", "group_id": cy.board["groups"][0]["id"]}),
        ("group.rename", {"group_id": cy.board["groups"][0]["id"], "name": "x"}),
        ("group.delete", {"group_id": cy.board["groups"][0]["id"]}),
    ]:
        answer = ana.op(type_, **fields)
        assert answer["ok"] is False and answer["code"] == "not_found", type_
    assert cy.received() == []
    assert cy.sock.emit("sync", {"since": 0}, callback=True)["ops"][0]["note"] == theirs


@pytest.mark.parametrize("event", ["op", "sync"])
def test_op_and_sync_before_join_are_refused(connect, event):
    sock = connect()
    payload = {"type": "note.add", "op_id": "x", "text": "t"} if event == "op" else {"since": 0}
    answer = sock.emit(event, payload, callback=True)
    assert answer == {"ok": False, "code": "not_joined", "error": answer["error"]}
    assert "Join a room" in answer["error"]
    assert sock.is_connected()


def test_events_without_payload_or_with_extra_arguments_get_an_error_ack(join):
    ana = join()
    assert ana.sock.emit("op", callback=True)["ok"] is False
    assert ana.sock.emit("op", "a", "b", callback=True)["ok"] is False
    assert ana.sock.emit("sync", {"since": -1}, callback=True)["ok"] is False
    assert ana.sock.is_connected()


# --- rooms are isolated -----------------------------------------------------------------------


def test_two_rooms_do_not_see_each_other(join):
    ana = join(0, "Ana", "Milan")
    bo = join(0, "Bo", "Nantes")
    cy = join(1, "Cy", "Łódź")
    for person in (ana, bo, cy):
        person.received("presence")
    ana.op("note.add", text="room 1")
    cy.op("note.add", text="room 2")
    assert [e["note"]["text"] for e in bo.received()] == ["room 1"]
    assert [e["note"]["text"] for e in cy.received()] == ["room 2"]
    assert [e["seq"] for e in ana.received()] == [1]
    # Presence is per room too.
    assert cy.received("presence") == []


# --- retries, seq and sync --------------------------------------------------------------------


def test_a_repeated_op_id_answers_the_first_result_and_changes_nothing(join, store):
    ana = join()
    bo = join(0, "Bo", "Nantes")
    first = ana.op("note.add", op_id="same", text="once")
    bo.received()
    again = ana.op("note.add", op_id="same", text="once")
    assert again == first
    assert bo.received() == []
    with store.read() as db:
        assert db["notes"].count == 1
    # A refused op is not remembered: a corrected retry succeeds.
    assert ana.op("note.add", op_id="fixme", text="")["ok"] is False
    assert ana.op("note.add", op_id="fixme", text="fixed")["ok"] is True


def test_seq_counts_per_room_without_gaps_and_sync_replays_the_log(join):
    ana = join(0)
    cy = join(1, "Cy", "Łódź")
    seqs = [ana.op("note.add", text=f"n{i}")["seq"] for i in range(3)]
    ana.op("note.add", text="")  # refused: takes no seq
    seqs.append(ana.op("group.add", name="More")["seq"])
    assert seqs == [1, 2, 3, 4]
    assert cy.op("note.add", text="other room")["seq"] == 1
    answer = ana.sock.emit("sync", {"since": 2}, callback=True)
    assert answer["ok"]
    assert [(op["seq"], op["type"]) for op in answer["ops"]] == [(3, "note.add"), (4, "group.add")]
    assert answer["ops"][0]["note"]["text"] == "n2"


# --- joining again with since -----------------------------------------------------------------


def test_rejoin_with_since_answers_only_the_ops_missed(join, connect, workshop):
    ana = join(0, "Ana", "Milan")
    bo = join(0, "Bo", "Nantes")
    ana.op("note.add", text="seen by Bo")
    held = bo.received()[-1]["seq"]
    bo.sock.disconnect()
    ana.op("note.add", text="written while Bo was away")
    ana.op("note.add", text="and another")
    again = connect().emit("join", {"room": workshop["rooms"][0]["code"],
                                    "token": bo.participant["token"], "since": held},
                           callback=True)
    assert again["ok"] and again["catch_up"] == "ops" and "board" not in again
    assert [op["note"]["text"] for op in again["ops"]] == ["written while Bo was away",
                                                          "and another"]
    assert [op["seq"] for op in again["ops"]] == [held + 1, held + 2] and again["seq"] == held + 2
    # Nothing missed: no ops, still told it is a catch-up.
    current = connect().emit("join", {"room": workshop["rooms"][0]["code"],
                                      "token": bo.participant["token"], "since": held + 2},
                             callback=True)
    assert current["catch_up"] == "ops" and current["ops"] == []


def test_join_without_since_or_from_another_log_gets_the_whole_board(join, connect, workshop):
    from facilitation import boards

    ana = join(0, "Ana", "Milan")
    ana.op("note.add", text="one")
    code = workshop["rooms"][0]["code"]
    token = ana.participant["token"]

    def rejoin(**extra):
        return connect().emit("join", {"room": code, "token": token, **extra}, callback=True)

    assert rejoin()["catch_up"] == "board"
    # A seq this room never reached (a copy from before a restore): the whole board.
    ahead = rejoin(since=50)
    assert ahead["catch_up"] == "board" and [n["text"] for n in ahead["board"]["notes"]] == ["one"]
    # Too far behind: the board is smaller than the ops.
    for index in range(5):
        ana.op("note.add", text=f"n{index}")
    original = boards.MAX_REPLAY
    boards.MAX_REPLAY = 3
    try:
        far = rejoin(since=1)
    finally:
        boards.MAX_REPLAY = original
    assert far["catch_up"] == "board" and len(far["board"]["notes"]) == 6
    bad = rejoin(since="yesterday")
    assert bad["ok"] is False and bad["code"] == "invalid"


def test_rejoin_with_since_in_a_hidden_room_hides_others_notes(join, connect, workshop, store):
    ana = join(0, "Ana", "Milan")
    bo = join(0, "Bo", "Nantes")
    key = workshop["facilitator_key"]
    fac = connect()
    assert fac.emit("join", {"facilitator_key": key}, callback=True)["ok"]
    assert fac.emit("op", {"type": "room.hide", "op_id": "h", "room": workshop["rooms"][0]["code"]},
                    callback=True)["ok"]
    held = bo.received()[-1]["seq"]
    ana.op("note.add", text="private idea")
    again = connect().emit("join", {"room": workshop["rooms"][0]["code"],
                                    "token": bo.participant["token"], "since": held},
                           callback=True)
    assert again["catch_up"] == "ops"
    assert again["ops"][0]["note"]["text"] is None and again["ops"][0]["note"]["hidden"]
