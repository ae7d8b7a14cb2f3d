"""Socket.IO edge: thin handlers that call the domain, then acknowledge and broadcast.

Every client event is answered through its acknowledgement with `{"ok": true, ...}` or
`{"ok": false, "error", "code"}`; a bad event never drops the connection.
"""

import functools
import logging

from flask import request
from flask_socketio import SocketIO, join_room, leave_room

from . import participants
from .db import get_store
from .errors import Refused
from .ops import run_op
from .presence import Connection, Presence

log = logging.getLogger(__name__)

socketio = SocketIO()
presence = Presence()
SERVER_ERROR = {
    "ok": False,
    "error": "Something went wrong on the server; your change was not saved. Please try again.",
    "code": "server_error",
}


def init_app(app):
    """Attach Socket.IO to the app; the async mode comes from config (app.py picks eventlet)."""
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        max_http_buffer_size=64 * 1024,
        manage_session=False,
    )


def channel(room_code):
    return f"room:{room_code}"


def client_event(name):
    """Register a handler that takes one payload; turn refusals and crashes into error acks."""

    def register(handler):
        @functools.wraps(handler)
        def wrapper(payload=None, *_ignored):
            try:
                return handler(payload)
            except Refused as refused:
                return refused.as_ack()
            except Exception:
                log.exception("%s event failed", name)
                return SERVER_ERROR

        return socketio.on(name)(wrapper)

    return register


def current_actor():
    connection = presence.get(request.sid)
    return connection.actor if connection else None


def emit_presence(room_code):
    socketio.emit(
        "presence", {"participants": presence.participants(room_code)}, to=channel(room_code)
    )


@client_event("join")
def on_join(payload):
    actor, participant, board = participants.join(get_store(), payload)
    code = board["room"]["code"]
    previous = presence.set(request.sid, Connection(actor, code))
    if previous and previous.room_code != code:
        leave_room(channel(previous.room_code))
        emit_presence(previous.room_code)
    join_room(channel(code))
    emit_presence(code)
    return {"ok": True, "participant": participant, "board": board}


@client_event("op")
def on_op(payload):
    outcome = run_op(get_store(), current_actor(), payload)
    for room_code, event in outcome.broadcasts:
        socketio.emit("op", event, to=channel(room_code))
    return outcome.ack


@client_event("sync")
def on_sync(payload):
    return {"ok": True, "ops": participants.sync(get_store(), current_actor(), payload)}


@socketio.on("disconnect")
def on_disconnect(*_reason):
    connection = presence.remove(request.sid)
    if connection:
        emit_presence(connection.room_code)
