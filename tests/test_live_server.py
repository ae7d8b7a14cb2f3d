"""The real eventlet server (`python app.py`) on a free loopback port, two socket.io clients."""

import json
import queue
import re
import socket
import urllib.request

import pytest
import socketio
import websocket

from .live import LiveServer

pytestmark = pytest.mark.live


class Client:
    """An independent socket.io client that records the `op` broadcasts it receives."""

    def __init__(self, url):
        self.sio = socketio.Client(reconnection=False)
        self.ops = queue.Queue()
        self.sio.on("op", self.ops.put)
        self.sio.connect(url, wait_timeout=10)

    def call(self, event, payload):
        return self.sio.call(event, payload, timeout=10)

    def next_op(self):
        return self.ops.get(timeout=10)


def test_demo_workshop_is_created_and_its_links_printed_on_first_start(live_server):
    output = "".join(live_server.output)
    assert "Created a demo workshop" in output
    facilitator = re.search(r"Facilitator \(keep secret\): (\S+)", output).group(1)
    rooms = re.findall(r"Room \d – ([^:]+): (\S+)", output)
    assert [theme for theme, _ in rooms] == ["Environment & Food", "Social policies",
                                             "Stakeholder map"]
    for url in [facilitator] + [url for _, url in rooms]:
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200


def test_two_clients_see_each_others_notes_through_the_real_server(live_server):
    workshop = live_server.create_workshop(
        {"title": "Live", "cities": ["Milan", "Nantes"],
         "rooms": [{"name": "R1", "theme": "Food"}, {"name": "R2", "theme": "Jobs"}]})
    code = workshop["rooms"][0]["code"]
    ana, bo, other = (Client(live_server.url) for _ in range(3))
    try:
        assert ana.call("join", {"room": code, "name": "Ana", "city": "Milan"})["ok"]
        joined = bo.call("join", {"room": code, "name": "Bo", "city": "Nantes"})
        assert joined["ok"]
        assert other.call("join", {"room": workshop["rooms"][1]["code"], "name": "Cy",
                                   "city": "Milan"})["ok"]
        ack = ana.call("op", {"type": "note.add", "op_id": "live-1", "text": "Urban gardens"})
        assert ack["ok"] and ack["seq"] == 1
        seen_by_bo = bo.next_op()
        assert seen_by_bo["note"]["text"] == "Urban gardens"
        assert seen_by_bo["actor"]["name"] == "Ana"
        assert ana.next_op()["seq"] == 1  # the sender gets the broadcast too
        moved = bo.call("op", {"type": "note.move", "op_id": "live-2",
                               "note_id": ack["note"]["id"],
                               "group_id": joined["board"]["groups"][0]["id"]})
        assert moved["ok"] and ana.next_op()["seq"] == 2
        assert other.ops.empty()
    finally:
        for client in (ana, bo, other):
            client.sio.disconnect()


def test_an_acknowledged_note_survives_a_restart(tmp_path):
    from .live import LiveServer

    server = LiveServer(tmp_path / "restart.sqlite").start()
    try:
        workshop = server.create_workshop({"title": "Restart", "cities": ["Oslo"],
                                           "rooms": [{"name": "R", "theme": "T"}]})
        code = workshop["rooms"][0]["code"]
        ana = Client(server.url)
        joined = ana.call("join", {"room": code, "name": "Ana", "city": "Oslo"})
        assert ana.call("op", {"type": "note.add", "op_id": "k1", "text": "kept"})["ok"]
        ana.sio.disconnect()
        server.kill()
        server.start()
        back = Client(server.url)
        again = back.call("join", {"room": code, "token": joined["participant"]["token"]})
        assert [n["text"] for n in again["board"]["notes"]] == ["kept"]
        assert back.call("op", {"type": "note.add", "op_id": "k2", "text": "next"})["seq"] == 2
        back.sio.disconnect()
        assert "Created a demo workshop" not in "".join(server.output)
    finally:
        server.stop()


def test_a_client_that_stops_reading_holds_nobody_up_and_later_gets_every_note_in_order(
        tmp_path):
    """A laptop that stops reading (asleep, wifi stalled) while a board fills: everyone else
    keeps getting notes, and it gets all of them, in order, once it reads again. 1,000 notes of
    about 6 KB overflow what the kernel buffers for it, so the server's writes to it are cut
    short and finished in the background (facilitation/wssend.py)."""
    limits = json.dumps({"ops_per_second": 100000, "ops_burst": 100000,
                         "address_ops_per_second": 100000, "address_ops_burst": 100000,
                         "joins_per_minute": 100000, "joins_burst": 100000})
    server = LiveServer(tmp_path / "slow.sqlite", env={"FACILITATION_LIMITS": limits}).start()
    asleep = writer = watcher = None
    try:
        code = server.create_workshop({"title": "Slow reader", "cities": ["Milan"],
                                       "rooms": [{"name": "Room", "theme": "Food"}]})
        code = code["rooms"][0]["code"]
        asleep = websocket.create_connection(
            f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket", timeout=10,
            sockopt=[(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)])
        assert asleep.recv().startswith("0")
        asleep.send("40")
        assert asleep.recv().startswith("40")
        asleep.send('420["join",' + json.dumps({"room": code, "name": "Asleep",
                                                "city": "Milan"}) + "]")
        while not asleep.recv().startswith("430"):
            pass
        writer, watcher = Client(server.url), Client(server.url)
        for person in (writer, watcher):
            assert person.call("join", {"room": code, "name": "Ana", "city": "Milan"})["ok"]
        count = 1000
        for n in range(count):
            # "ł" is sent as \u0142: 6 bytes a character, about 6 KB a note
            answer = writer.call("op", {"type": "note.add", "op_id": f"n{n}",
                                        "text": f"{n} " + "ł" * 990})
            assert answer["ok"], answer
        assert [watcher.next_op()["seq"] for _ in range(count)] == list(range(1, count + 1))
        seqs = []
        while len(seqs) < count:
            message = asleep.recv()
            if message == "2":
                asleep.send("3")  # engine.io's ping
            elif message.startswith('42["op"'):
                seqs.append(json.loads(message[2:])[1]["seq"])
        assert seqs == list(range(1, count + 1))
    finally:
        for person in (writer, watcher):
            if person:
                person.sio.disconnect()
        if asleep:
            asleep.close()
        server.stop()
