"""Where people are: every change of place goes through one path, and the facilitators hear it.

After each change (a join by room link or by the lobby, assign, shuffle, by city, call back, a room
closing, a disconnect), every facilitator of the workshop gets `placed` with the new placement of
each person the change touched.
"""

import pytest

from tests.test_facilitator import Facilitator


@pytest.fixture
def codes(workshop):
    return [room["code"] for room in workshop["rooms"]]


def placed(facilitator):
    """{name: (room, online)} from the `placed` events received since the last call, latest last."""
    where = {}
    for event in facilitator.received("placed"):
        for person in event["people"]:
            assert set(person) == {"id", "name", "city", "room", "online"}
            where[person["name"]] = (person["room"], person["online"])
    return where


def lobby_join(connect, workshop, name, city="Milan", token=None):
    sock = connect()
    payload = {"lobby": workshop["lobby_code"], "token": token} if token else {
        "lobby": workshop["lobby_code"], "name": name, "city": city}
    answer = sock.emit("join", payload, callback=True)
    assert answer["ok"], answer
    return sock, answer


def test_every_change_of_place_reaches_every_facilitator(connect, workshop, join, codes):
    fac = Facilitator(connect(), workshop["facilitator_key"])
    other = Facilitator(connect(), workshop["facilitator_key"])
    ana = join(0, "Ana", "Milan")                      # by room link
    assert placed(fac) == {"Ana": (codes[0], True)}
    bo_sock, bo = lobby_join(connect, workshop, "Bo")  # by the lobby
    assert placed(fac) == {"Bo": (None, True)}
    assert placed(other) == {"Ana": (codes[0], True), "Bo": (None, True)}

    fac.op("participants.distribute", mode="random", rooms=[codes[1]])  # shuffle
    assert placed(fac) == {"Bo": (codes[1], True)}
    fac.op("participant.assign", participant_id=ana.participant["id"], room=codes[1])  # by hand
    assert placed(fac) == {"Ana": (codes[1], True)}
    fac.op("participants.recall")                      # call back: everyone it touched
    assert placed(fac) == {"Ana": (None, True), "Bo": (None, True)}

    fac.op("participant.assign", participant_id=ana.participant["id"], room=codes[0])
    placed(fac)
    fac.op("room.close", room=codes[0])                # closing a room
    assert placed(fac) == {"Ana": (None, True)}

    ana.sock.disconnect()                              # a disconnect
    assert placed(fac) == {"Ana": (None, False)}
    bo_sock.disconnect()
    assert placed(fac) == {"Bo": (None, False)}
    assert placed(other) == {"Ana": (None, False), "Bo": (None, False)}


def test_the_console_snapshot_gives_everyone_s_placement(connect, workshop, join, codes):
    join(1, "Ana", "Milan")
    sock, _ = lobby_join(connect, workshop, "Bo")
    sock.disconnect()
    fac = Facilitator(connect(), workshop["facilitator_key"])
    people = {p["name"]: (p["room"], p["online"]) for p in fac.joined["workshop"]["participants"]}
    assert people == {"Ana": (codes[1], True), "Bo": (None, False)}


def test_a_lobby_join_keeps_the_room_the_facilitator_gave(connect, workshop, codes):
    fac = Facilitator(connect(), workshop["facilitator_key"])
    sock, answer = lobby_join(connect, workshop, "Bo")
    fac.op("participant.assign", participant_id=answer["participant"]["id"], room=codes[1])
    sock.disconnect()
    placed(fac)
    _, again = lobby_join(connect, workshop, "Bo", token=answer["participant"]["token"])
    assert again["room"] == codes[1]
    assert placed(fac) == {"Bo": (codes[1], True)}


def test_other_workshops_facilitators_hear_nothing(connect, workshop, join, store):
    from facilitation.workshops import create_workshop

    other = create_workshop(store, {"title": "Other", "cities": ["Oslo"], "rooms": [
        {"name": "R", "theme": "T"}]})
    stranger = Facilitator(connect(), other["facilitator_key"])
    join(0, "Ana", "Milan")
    assert placed(stranger) == {}


# --- issue 15, finding 6: a room link follows the facilitator's placement ---------------------


def link_join(connect, code, token):
    sock = connect()
    return sock, sock.emit("join", {"room": code, "token": token}, callback=True)


def console_people(connect, workshop):
    fac = Facilitator(connect(), workshop["facilitator_key"])
    return {p["name"]: (p["room"], p["online"]) for p in fac.joined["workshop"]["participants"]}


def test_a_room_link_takes_a_person_the_facilitator_placed_to_their_room(connect, workshop, join,
                                                                         codes, store):
    fac = Facilitator(connect(), workshop["facilitator_key"])
    ana = join(0, "Ana", "Milan")
    fac.op("participant.assign", participant_id=ana.participant["id"], room=codes[1])
    ana.sock.disconnect()
    placed(fac)
    # Ana opens the first room's link again (a bookmark, a link shared in the chat).
    sock, answer = link_join(connect, codes[0], ana.participant["token"])
    assert answer["ok"] is False and answer["code"] == "placed"
    assert answer["room"] == codes[1] and "another room" in answer["error"]
    assert "board" not in answer and codes[0] not in answer["error"]
    # Nothing moved: the console shows the truth (still the second room, not online yet).
    assert placed(fac) == {}
    assert console_people(connect, workshop) == {"Ana": (codes[1], False)}
    with store.read() as db:
        assert db["participants"].get(ana.participant["id"])["room_id"] == db.execute(
            "SELECT id FROM rooms WHERE code = ?", [codes[1]]).fetchone()[0]
    # The socket is in no room: it cannot write in either.
    refused = sock.emit("op", {"type": "note.add", "op_id": "x1", "text": "x"}, callback=True)
    assert refused["code"] == "not_joined"
    # Where she was placed, the link works (the page goes there with the kept token).
    there = sock.emit("join", {"room": codes[1], "token": ana.participant["token"]}, callback=True)
    assert there["ok"] and there["board"]["room"]["code"] == codes[1]
    assert placed(fac) == {"Ana": (codes[1], True)}


def test_a_room_link_takes_a_person_the_facilitator_called_back_to_the_lobby(connect, workshop,
                                                                             join, codes):
    fac = Facilitator(connect(), workshop["facilitator_key"])
    ana = join(0, "Ana", "Milan")
    fac.op("participants.recall")
    placed(fac)
    _, answer = link_join(connect, codes[1], ana.participant["token"])
    assert answer["ok"] is False and answer["code"] == "placed" and answer["room"] is None
    assert "lobby" in answer["error"]
    assert placed(fac) == {}
    assert console_people(connect, workshop) == {"Ana": (None, True)}  # her first tab is open
    # The lobby keeps her waiting there; once the facilitator places her, her link works.
    _, waiting = lobby_join(connect, workshop, "Ana", token=ana.participant["token"])
    assert waiting["room"] is None
    fac.op("participant.assign", participant_id=ana.participant["id"], room=codes[1])
    _, answer = link_join(connect, codes[1], ana.participant["token"])
    assert answer["ok"]


def test_a_room_link_moves_someone_the_facilitator_never_placed(connect, workshop, join, codes):
    fac = Facilitator(connect(), workshop["facilitator_key"])
    ana = join(0, "Ana", "Milan")
    _, answer = link_join(connect, codes[1], ana.participant["token"])
    assert answer["ok"] and answer["board"]["room"]["code"] == codes[1]
    assert placed(fac) == {"Ana": (codes[1], True)}
    # ... also from the lobby, where she went by herself.
    lobby_join(connect, workshop, "Ana", token=ana.participant["token"])
    _, again = link_join(connect, codes[0], ana.participant["token"])
    assert again["ok"]


def test_closing_a_room_keeps_who_placed_its_people(connect, workshop, join, codes, store):
    fac = Facilitator(connect(), workshop["facilitator_key"])
    free = join(0, "Ana", "Milan")      # came by link
    bo = join(1, "Bo", "Nantes")
    fac.op("participant.assign", participant_id=bo.participant["id"], room=codes[0])
    fac.op("room.close", room=codes[0])
    placed(fac)
    # Ana chose her room herself: another room's link still takes her there.
    _, ana_again = link_join(connect, codes[1], free.participant["token"])
    assert ana_again["ok"]
    # The facilitator had placed Bo: the lobby is where that placement leaves him.
    _, bo_again = link_join(connect, codes[1], bo.participant["token"])
    assert bo_again["code"] == "placed" and bo_again["room"] is None


def test_place_is_where_the_rule_lives(store, workshop):
    """Domain: place() answers the place a room link leads to, for each way a person got there."""
    from facilitation.placement import BY_CLOSING, BY_FACILITATOR, BY_LINK, BY_LOBBY, place
    from facilitation.participants import identify

    with store.write() as db:
        first, second = (db["rooms"].get(db.execute("SELECT id FROM rooms WHERE code = ?",
                                                     [room["code"]]).fetchone()[0])
                         for room in workshop["rooms"])
        ana = identify(db, workshop["id"], {"name": "Ana", "city": "Milan"})
        assert place(db, ana, first, BY_LINK)["id"] == first["id"]
        assert place(db, ana, second, BY_LINK)["id"] == second["id"]  # free: the link moves her
        assert place(db, ana, None, BY_LOBBY)["id"] == second["id"]  # the lobby keeps her room
        place(db, ana, first, BY_FACILITATOR)
        assert place(db, ana, second, BY_LINK)["id"] == first["id"]  # placed: the link does not
        assert place(db, ana, None, BY_CLOSING) is None
        assert place(db, ana, second, BY_LINK) is None  # still the facilitator's: the lobby
        row = db["participants"].get(ana["id"])
        assert (row["room_id"], row["placed_by"]) == (None, BY_FACILITATOR)


def test_whether_someone_is_online_is_read_from_their_own_connections(store, workshop):
    """Every join and every `placed` asks; reading every live connection instead made a join
    cost more on a fuller board (issue 14), and a facilitator's list of everyone n times n."""
    from facilitation.placement import placements

    plan = []  # the query as run, its parameters written in
    store.db.conn.set_trace_callback(
        lambda sql: plan.append(sql) if "EXISTS (SELECT 1 FROM connections" in sql else None)
    with store.read() as db:
        placements(db, workshop["id"], ["someone"])
        store.db.conn.set_trace_callback(None)
        steps = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + plan[0])]
    assert any("INDEX connections_person" in step for step in steps), steps
