"""Nobody let in: headers, cross-site posts, socket origins, rate limits and caps."""

import urllib.error
import urllib.request

import pytest
import websocket

from facilitation import create_app, rules
from facilitation.db import get_store
from facilitation.realtime import socketio

from .conftest import WORKSHOP, Person


def test_every_page_carries_the_security_headers(client, workshop):
    for path in ["/", f"/r/{workshop['rooms'][0]['code']}", "/r/unknown"]:
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Content-Type-Options"] == "nosniff"


FORM = {"title": "T", "cities": "Milan", "room_name": "R", "room_theme": "T",
        "room_template": "blank"}


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
])
def test_a_form_posted_from_another_site_is_refused(client, store, headers):
    answer = client.post("/", data=FORM, headers=headers)
    assert answer.status_code == 403
    with store.read() as db:
        assert db["workshops"].count == 0


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "same-origin"},
    {"Origin": "http://localhost"},
    {},
])
def test_a_form_posted_from_our_own_page_goes_through(client, headers):
    assert client.post("/", data=FORM, headers=headers).status_code == 303


@pytest.fixture
def strict_app(tmp_path):
    app = create_app({
        "FACILITATION_DB": str(tmp_path / "strict.sqlite"),
        "SOCKETIO_ASYNC_MODE": "threading",
        "FACILITATION_LIMITS": {"ops_per_second": 1, "ops_burst": 5, "joins_per_minute": 1,
                                "joins_burst": 2},
    })
    yield app
    get_store(app).close()


def test_op_flood_is_slowed_with_a_readable_error_and_others_go_on(strict_app):
    from facilitation.workshops import create_workshop

    workshop = create_workshop(get_store(strict_app), WORKSHOP)
    code = workshop["rooms"][0]["code"]
    flooder = Person(socketio.test_client(strict_app), code, "Flo", "Milan")
    other = Person(socketio.test_client(strict_app), code, "Bo", "Nantes")
    answers = [flooder.op("note.add", text=f"spam {i}") for i in range(10)]
    assert [a["ok"] for a in answers[:5]] == [True] * 5
    refused = [a for a in answers if not a["ok"]]
    assert len(refused) >= 4
    assert refused[0]["code"] == "rate_limited" and "too fast" in refused[0]["error"]
    assert other.op("note.add", text="I am not slowed down")["ok"]
    # Joins per address: the two joins above used this address's burst.
    late = socketio.test_client(strict_app)
    answer = late.emit("join", {"room": code, "name": "Lu", "city": "Milan"}, callback=True)
    assert answer["ok"] is False and answer["code"] == "rate_limited"
    assert "Wait a minute" in answer["error"]
    for sock in (flooder.sock, other.sock, late):
        sock.disconnect()


def test_a_room_has_a_cap_on_notes(join, monkeypatch):
    monkeypatch.setattr(rules, "MAX_NOTES_PER_ROOM", 3)
    ana = join()
    assert all(ana.op("note.add", text=str(i))["ok"] for i in range(3))
    full = ana.op("note.add", text="one too many")
    assert full["ok"] is False and "board is full" in full["error"]


def test_concurrent_edits_the_second_editor_is_told_not_overwritten(facilitator_and_note):
    fac, ana, note = facilitator_and_note
    # Both start editing the same version; the facilitator saves first.
    first = fac.emit("op", {"type": "note.update", "op_id": "f1", "room": note["room"],
                            "note_id": note["id"], "text": "facilitator's wording",
                            "if_updated_at": note["updated_at"]}, callback=True)
    assert first["ok"]
    second = ana.op("note.update", note_id=note["id"], text="Ana's wording",
                    if_updated_at=note["updated_at"])
    assert second["ok"] is False and second["code"] == "conflict"
    assert second["note"]["text"] == "facilitator's wording"
    assert "changed this note while you were editing" in second["error"]
    retry = ana.op("note.update", note_id=note["id"], text="Ana's wording",
                   if_updated_at=second["note"]["updated_at"])
    assert retry["ok"]


@pytest.fixture
def facilitator_and_note(connect, join, workshop):
    ana = join()
    note = ana.op("note.add", text="first wording")["note"]
    fac = connect()
    assert fac.emit("join", {"facilitator_key": workshop["facilitator_key"]}, callback=True)["ok"]
    return fac, ana, {**note, "room": workshop["rooms"][0]["code"]}


def test_concurrent_moves_both_answered_and_all_screens_agree(join):
    ana = join()
    bo = join(0, "Bo", "Nantes")
    challenges, ideas, actions = (g["id"] for g in ana.board["groups"])
    note = ana.op("note.add", text="contested")["note"]
    first = ana.op("note.move", note_id=note["id"], group_id=ideas)
    second = bo.op("note.move", note_id=note["id"], group_id=actions)
    assert first["ok"] and second["ok"] and second["seq"] == first["seq"] + 1
    final = {}
    for person in (ana, bo):
        for event in person.received():
            if event["type"] in ("note.add", "note.move"):
                final[(person.participant["name"], event["note"]["id"])] = event["note"]["group_id"]
    assert final[("Ana", note["id"])] == final[("Bo", note["id"])] == actions


@pytest.mark.live
def test_a_socket_from_a_foreign_origin_is_refused(live_server):
    """A foreign web page cannot open a socket to the server (cross-site websocket hijacking)."""
    url = live_server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    with pytest.raises(websocket.WebSocketBadStatusException):
        websocket.create_connection(url, origin="https://evil.example", timeout=5)
    own = websocket.create_connection(url, origin=live_server.url, timeout=5)
    assert own.recv().startswith("0{")  # the Engine.IO open packet
    own.close()
    polling = urllib.request.Request(
        live_server.url + "/socket.io/?EIO=4&transport=polling",
        headers={"Origin": "https://evil.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(polling, timeout=5)
    assert refused.value.code == 400
    refused.value.close()


def test_unknown_codes_and_keys_answer_like_missing_ones(connect, workshop):
    sock = connect()
    wrong_room = sock.emit("join", {"room": "x" * 12, "name": "A", "city": "Milan"},
                           callback=True)
    no_room = sock.emit("join", {"name": "A", "city": "Milan"}, callback=True)
    assert wrong_room == no_room
    assert (sock.emit("join", {"facilitator_key": "x" * 32}, callback=True)
            == sock.emit("join", {"facilitator_key": ""}, callback=True))


def test_an_oversized_event_gets_a_readable_error_and_the_socket_stays(join, store):
    ana = join()
    answer = ana.op("note.add", text="fine", padding="x" * 20_000)
    assert answer["ok"] is False and answer["code"] == "too_large"
    assert "too large" in answer["error"]
    assert ana.op("note.add", text="still connected")["ok"]
    with store.read() as db:
        assert [n["text"] for n in db["notes"].rows] == ["still connected"]
