"""The bare relay: the same stack as Breakout Boards (Flask-SocketIO under eventlet), no database.

`bench/load.py` runs it as a subprocess next to the real server and drives both with the same
clients and load, so our figures can be read as a ratio to what the stack itself can do.

- `join` {"room": code, ...}: the socket joins that room; ack {"ok": true}.
- `op` {...}: emit `op` {**payload, "seq": n, "room": code} to the room (sender included, as
  the real server does), n counting per room; ack {"ok": true, "seq": n}.

    HOST=127.0.0.1 PORT=5001 python bench/relay.py

RELAY_MESSAGE_QUEUE (redis://...) lets several relay processes share their rooms, as
FACILITATION_MESSAGE_QUEUE does for the real server. RELAY_FAST_UNMASK=1 unmasks incoming frames
as app.py does (facilitation/wsmask.py); RELAY_DIRECT_SEND=1 writes to websockets as app.py does
(facilitation/wssend.py). RELAY_TCP_NODELAY=1 serves with Nagle's algorithm off (socketio.run
leaves it on): see the Benchmark section of README.md.
"""

import os

if __name__ == "__main__":
    import eventlet

    eventlet.monkey_patch()

import itertools  # noqa: E402
from collections import defaultdict  # noqa: E402

from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO, join_room, leave_room  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(
    app,
    async_mode="eventlet" if __name__ == "__main__" else None,
    max_http_buffer_size=64 * 1024,
    manage_session=False,
    message_queue=os.environ.get("RELAY_MESSAGE_QUEUE") or None,
)
rooms = {}  # sid -> room code
seqs = defaultdict(itertools.count)  # room code -> counter (per process)


@socketio.on("join")
def on_join(payload=None, *_):
    room = payload.get("room") if isinstance(payload, dict) else None
    if not isinstance(room, str):
        return {"ok": False, "error": "room?", "code": "invalid"}
    previous = rooms.get(request.sid)
    if previous and previous != room:
        leave_room(previous)
    rooms[request.sid] = room
    join_room(room)
    return {"ok": True}


@socketio.on("op")
def on_op(payload=None, *_):
    room = rooms.get(request.sid)
    if room is None or not isinstance(payload, dict):
        return {"ok": False, "error": "join first", "code": "not_joined"}
    seq = next(seqs[room]) + 1
    socketio.emit("op", {**payload, "seq": seq, "room": room}, to=room)
    return {"ok": True, "seq": seq}


@socketio.on("disconnect")
def on_disconnect(*_):
    rooms.pop(request.sid, None)


def serve_nodelay(host, port):
    """What socketio.run does under eventlet, with Nagle's algorithm off on every connection
    (accepted sockets inherit TCP_NODELAY from the listening socket on Linux)."""
    import socket

    import eventlet.wsgi

    listener = eventlet.listen((host, port))
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    eventlet.wsgi.server(listener, app, log_output=False)


if __name__ == "__main__":
    import sys

    # facilitation's transport modules, for the two options below
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if os.environ.get("RELAY_FAST_UNMASK"):  # as app.py does (load.py --relay-unmask)
        import eventlet.websocket

        from facilitation.wsmask import apply_mask

        eventlet.websocket.RFC6455WebSocket._apply_mask = staticmethod(apply_mask)
    if os.environ.get("RELAY_DIRECT_SEND"):  # as app.py does (load.py --relay-direct)
        from facilitation import wssend

        wssend.install()
    host, port = os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "5001"))
    if os.environ.get("RELAY_TCP_NODELAY"):
        serve_nodelay(host, port)
    else:
        socketio.run(app, host=host, port=port, log_output=False)
