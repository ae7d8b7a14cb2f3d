"""Run Breakout Boards: `python app.py` serves on 127.0.0.1:5000 with eventlet.

HOST, PORT and FACILITATION_DB (the SQLite file) override the defaults. This file alone knows
about eventlet; the facilitation package runs under any async mode Flask-SocketIO supports.
"""

import gc
import os
import socket

if __name__ == "__main__":
    import warnings

    # eventlet warns on every import that it is in maintenance mode; the stack is chosen
    # (docs/architecture.md, "Async mode"), so keep the start-up output to what operators need.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()
    os.environ.setdefault("FACILITATION_ASYNC_MODE", "eventlet")

from facilitation import create_app  # noqa: E402

app = create_app()

if __name__ == "__main__":
    from eventlet import tpool

    from facilitation.offload import set_runner

    # CPU-heavy work (images, big exports) runs in eventlet's OS thread pool, not the loop.
    set_runner(tpool.execute)


def main():
    from facilitation.db import get_store
    from facilitation.workshops import ensure_demo_workshop

    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    store = get_store(app)
    base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    demo = ensure_demo_workshop(store)
    if demo:
        print(f"Created a demo workshop: {demo['title']}")
        print(f"  Facilitator (keep secret): {base}/f/{demo['facilitator_key']}")
        for room in demo["rooms"]:
            print(f"  {room['name']} – {room['theme']}: {base}/r/{room['code']}")
    serve(host, port, f"Breakout Boards on {base}/  (database: {store.path})")


def serve(host, port, banner):
    """Listen and serve with eventlet (what socketio.run does, with a safer socket)."""
    import eventlet
    import eventlet.wsgi

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # reuse_port=False: a second server started on a busy port fails loudly instead of silently
    # sharing it (the kernel would split connections between two unrelated servers).
    # A deep backlog: a whole workshop reconnecting at once after a restart.
    try:
        listener = eventlet.listen((host, port), family=family, backlog=1024, reuse_port=False)
    except OSError as error:
        raise SystemExit(f"Cannot listen on {host}:{port}: {error.strerror}. "
                         "Set PORT (or HOST) to a free one.") from None
    # No Nagle delay: an ack written right behind its broadcast would otherwise wait for the
    # client's delayed ACK (about 40 ms). Accepted sockets inherit the option.
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    # Everything loaded at start-up lives for the whole run: keep it out of the garbage
    # collector's full passes, which otherwise stall every socket for tens of milliseconds.
    gc.collect()
    gc.freeze()
    print(banner, flush=True)
    # max_size: open connections at once (each participant holds one websocket).
    eventlet.wsgi.server(listener, app, log_output=False, max_size=10_000)


if __name__ == "__main__":
    main()
