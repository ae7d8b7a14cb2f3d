import time
import uuid

import pytest

from facilitation import create_app
from facilitation.db import get_store
from facilitation.realtime import socketio
from facilitation.workshops import create_workshop

from .live import LiveServer

WORKSHOP = {
    "title": "CITIES4CSR kick-off",
    "cities": ["Milan", "Nantes", "Łódź"],
    "rooms": [
        {"name": "Room 1", "theme": "Environment & Food", "template": "challenges-ideas-actions"},
        {"name": "Room 2", "theme": "Social policies"},
    ],
}


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "FACILITATION_DB": str(tmp_path / "test.sqlite"),
            "SOCKETIO_ASYNC_MODE": "threading",
        }
    )
    yield app
    get_store(app).close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def store(app):
    return get_store(app)


@pytest.fixture
def workshop(store):
    """A workshop with two rooms: Room 1 (challenges, ideas, actions) and Room 2 (blank)."""
    return create_workshop(store, WORKSHOP)


@pytest.fixture
def connect(app, client):
    """Open Socket.IO test clients; each is disconnected at the end of the test."""
    clients = []

    def open_client():
        sock = socketio.test_client(app, flask_test_client=client)
        clients.append(sock)
        return sock

    yield open_client
    for sock in clients:
        if sock.is_connected():
            sock.disconnect()


class Person:
    """A participant's socket in a room, with helpers to send events and read broadcasts."""

    def __init__(self, sock, code, name="Ana", city="Milan", token=None):
        self.sock = sock
        payload = {"room": code, "name": name, "city": city}
        if token:
            payload["token"] = token
        self.joined = sock.emit("join", payload, callback=True)
        assert self.joined["ok"], self.joined
        self.participant = self.joined["participant"]
        self.board = self.joined["board"]
        self.present = {p["id"]: p for p in self.joined["presence"]["participants"]}
        self.seen_presence = []  # presence events read by names_here

    def op(self, type_, op_id=None, **fields):
        return self.sock.emit(
            "op", {"type": type_, "op_id": op_id or str(uuid.uuid4()), **fields}, callback=True
        )

    def received(self, name="op"):
        return [event["args"][0] for event in self.sock.get_received() if event["name"] == name]

    def names_here(self, expected, timeout=3.0):
        """The names of who is in the room, from the join answer and the presence deltas since,
        once they are `expected` (presence is announced up to 250 ms late) or the time is up."""
        deadline = time.monotonic() + timeout
        while True:
            for delta in self.received("presence"):
                self.seen_presence.append(delta)
                apply_presence(self.present, delta)
            names = sorted(p["name"] for p in self.present.values())
            if names == sorted(expected) or time.monotonic() > deadline:
                return names
            time.sleep(0.02)


def apply_presence(present, delta):
    """Apply a presence event (`joined` and `left` people) to {id: person}."""
    for who in delta["left"]:
        present.pop(who["id"], None)
    for who in delta["joined"]:
        present[who["id"]] = who


@pytest.fixture
def join(connect, workshop):
    """Join a room of the workshop as a new participant: join(room_index, name, city)."""

    def join_room(room=0, name="Ana", city="Milan", token=None):
        return Person(connect(), workshop["rooms"][room]["code"], name, city, token)

    return join_room


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real eventlet server on a free loopback port, for the whole test session."""
    server = LiveServer(tmp_path_factory.mktemp("live") / "live.sqlite").start()
    yield server
    server.stop()
