"""What the walkthrough found (issue 9, part 4), on the server side."""

import pytest

from facilitation.workshops import MAX_ROOMS
from tests.test_facilitator import Facilitator


@pytest.fixture
def facilitator(connect, workshop):
    return Facilitator(connect(), workshop["facilitator_key"])


@pytest.fixture
def codes(workshop):
    return [room["code"] for room in workshop["rooms"]]


def test_shuffle_evenly_counts_the_people_already_in_rooms(facilitator, connect, join, workshop,
                                                           codes):
    for name in ("Ana", "Bea", "Cem"):  # three came by Room 1's link
        join(0, name, "Milan")
    waiting = []
    for name in ("Dan", "Eva", "Flo"):
        sock = connect()
        answer = sock.emit("join", {"lobby": workshop["lobby_code"], "name": name, "city": "Milan"},
                           callback=True)
        waiting.append(answer["participant"]["id"])
    ack = facilitator.op("participants.distribute", mode="random")
    # Rooms end up even (3 and 3): the three waiting go to the empty room.
    assert ack["assignments"] == {pid: codes[1] for pid in waiting}


def test_by_city_together_also_fills_the_emptier_room_first(facilitator, connect, join, workshop,
                                                            codes):
    join(1, "Ana", "Milan")
    join(1, "Bea", "Milan")
    sock = connect()
    answer = sock.emit("join", {"lobby": workshop["lobby_code"], "name": "Noé", "city": "Nantes"},
                       callback=True)
    ack = facilitator.op("participants.distribute", mode="city-together")
    assert ack["assignments"] == {answer["participant"]["id"]: codes[0]}


def test_several_dots_on_one_note_only_when_the_round_allows_it(facilitator, join, codes):
    ana, bea = join(0, "Ana", "Milan"), join(0, "Bea", "Nantes")
    note = ana.op("note.add", text="Cargo bikes")["note"]
    opened = facilitator.op("voting.open", room=codes[0], votes_per_participant=3)
    assert opened["state"]["voting"] == {"votes_per_participant": 3, "several_per_note": False}
    assert bea.op("note.vote", note_id=note["id"])["votes"] == 1
    again = bea.op("note.vote", note_id=note["id"])
    assert again["code"] == "conflict" and "already voted" in again["error"]

    opened = facilitator.op("voting.open", room=codes[0], votes_per_participant=3,
                            several_per_note=True)
    assert opened["state"]["voting"]["several_per_note"] is True
    assert [bea.op("note.vote", note_id=note["id"])["votes"] for _ in range(3)] == [1, 2, 3]
    over = bea.op("note.vote", note_id=note["id"])
    assert over["code"] == "conflict" and "all your 3 votes" in over["error"]
    # Taking one back takes one dot, not all of them; a rejoin lists each dot.
    assert bea.op("note.unvote", note_id=note["id"])["votes"] == 2
    back = join(0, token=bea.participant["token"])
    assert back.board["my_votes"] == [note["id"], note["id"]]
    assert back.board["room"]["voting"]["several_per_note"] is True
    closed = facilitator.op("voting.close", room=codes[0])
    assert closed["state"]["voting"] is None


def test_several_per_note_must_be_true_or_false(facilitator, codes):
    answer = facilitator.op("voting.open", room=codes[0], votes_per_participant=3,
                            several_per_note="yes")
    assert answer["ok"] is False and "true or false" in answer["error"]


def test_room_add_keeps_to_the_30_rooms_the_protocol_promises(facilitator, store, workshop):
    for index in range(MAX_ROOMS - len(workshop["rooms"])):
        assert facilitator.op("room.add", name=f"Extra {index}", theme="T")["ok"]
    refused = facilitator.op("room.add", name="One too many", theme="T")
    assert refused["ok"] is False and refused["code"] == "conflict"
    assert "at most 30" in refused["error"]
    with store.read() as db:
        assert db["rooms"].count == MAX_ROOMS


def test_a_note_moved_to_another_room_says_where_it_came_from(facilitator, join, codes):
    ana = join(0, "Ana", "Milan")
    cem = join(1, "Cem", "Łódź")
    note = ana.op("note.add", text="Shared depots")["note"]
    facilitator.op("note.move", room=codes[0], note_id=note["id"], to_room=codes[1])
    [arrived] = [e for e in cem.received() if e["type"] == "note.move"]
    # Participants never learn another room's code, only its name.
    assert arrived["from_room"] == "elsewhere"
    assert arrived["from_room_name"] == "Room 1"


@pytest.mark.parametrize("path", ["/r/{room}/export.html", "/f/{key}/export.html"])
def test_exported_pages_have_a_favicon(client, workshop, path):
    page = client.get(path.format(room=workshop["rooms"][0]["code"],
                                  key=workshop["facilitator_key"]))
    assert page.status_code == 200
    assert '<link rel="icon" href="data:image/svg+xml,' in page.get_data(as_text=True)


def test_a_closed_room_page_says_closed_and_offers_the_lobby(client, facilitator, workshop, codes):
    facilitator.op("room.close", room=codes[0])
    page = client.get(f"/r/{codes[0]}").get_data(as_text=True)
    assert " data-closed" in page
    assert '<section id="join" class="join" aria-labelledby="join-title" hidden>' in page
    assert f'href="/w/{workshop["lobby_code"]}"' in page
    open_room = client.get(f"/r/{codes[1]}").get_data(as_text=True)
    assert "data-closed" not in open_room
