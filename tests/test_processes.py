"""Several server processes on one SQLite file, relaying broadcasts through a real Redis."""

import os
import queue
import shutil
import subprocess
import threading
import time

import pytest
import socketio

from .live import LiveServer, free_port

pytestmark = pytest.mark.live


@pytest.fixture
def redis_url(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is missing: CI must run the several-process test")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def two_servers(tmp_path, redis_url):
    db = tmp_path / "shared.sqlite"
    env = {"FACILITATION_MESSAGE_QUEUE": redis_url}
    first = LiveServer(db, env=env).start()
    second = LiveServer(db, env=env).start()
    yield first, second
    first.stop()
    second.stop()


class Client:
    def __init__(self, url):
        self.sio = socketio.Client(reconnection=False)
        self.ops, self.presence = queue.Queue(), queue.Queue()
        self.sio.on("op", self.ops.put)
        self.sio.on("presence", self.presence.put)
        self.sio.connect(url, transports=["websocket"], wait_timeout=10)

    def call(self, event, payload):
        return self.sio.call(event, payload, timeout=10)


def test_a_note_added_on_one_process_reaches_a_client_on_the_other(two_servers):
    first, second = two_servers
    workshop = first.create_workshop({"title": "Two", "cities": ["Milan", "Nantes"],
                                      "rooms": [{"name": "R", "theme": "T"}]})
    code = workshop["rooms"][0]["code"]
    ana, bo = Client(first.url), Client(second.url)
    try:
        assert ana.call("join", {"room": code, "name": "Ana", "city": "Milan"})["ok"]
        bo_token = bo.call("join", {"room": code, "name": "Bo", "city": "Nantes"})[
            "participant"]["token"]
        # Presence is shared: Bo, on the second process, sees Ana from the first.
        joined = bo.call("join", {"room": code, "token": bo_token})
        present = {p["name"] for p in joined["presence"]["participants"]}
        assert present == {"Ana", "Bo"}
        # ... and is told, as a delta, of whoever arrives through the first.
        cy = Client(first.url)
        assert cy.call("join", {"room": code, "name": "Cy", "city": "Milan"})["ok"]
        while "Cy" not in present:
            present |= {p["name"] for p in bo.presence.get(timeout=10)["joined"]}
        cy.sio.disconnect()
        ack = ana.call("op", {"type": "note.add", "op_id": "p1", "text": "from process A"})
        assert ack["ok"]
        assert bo.ops.get(timeout=10)["note"]["text"] == "from process A"
        assert bo.call("op", {"type": "note.add", "op_id": "p2", "text": "from B"})["seq"] == 2
        assert [e["seq"] for e in (ana.ops.get(timeout=10), ana.ops.get(timeout=10))] == [1, 2]
    finally:
        ana.sio.disconnect()
        bo.sio.disconnect()


def test_seq_stays_gapless_when_both_processes_write_at_once(two_servers):
    first, second = two_servers
    workshop = first.create_workshop({"title": "Race", "cities": ["Milan"],
                                      "rooms": [{"name": "R", "theme": "T"}]})
    code = workshop["rooms"][0]["code"]
    clients = [Client(server.url) for server in (first, second, first, second)]
    seqs, errors = [], []

    for n, client in enumerate(clients):
        assert client.call("join", {"room": code, "name": f"W{n}", "city": "Milan"})["ok"]

    def write(client, n):
        for i in range(25):
            answer = client.call("op", {"type": "note.add", "op_id": f"{n}-{i}", "text": "x"})
            (seqs if answer.get("ok") else errors).append(answer.get("seq", answer))

    threads = [threading.Thread(target=write, args=(c, n)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(seqs) == list(range(1, 101))
    # Every client saw every broadcast, whichever process it was on.
    for client in clients:
        received = sorted(client.ops.get(timeout=10)["seq"] for _ in range(100))
        assert received == list(range(1, 101))
        client.sio.disconnect()
