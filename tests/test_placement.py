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
