"""Run Breakout Boards: `python app.py` serves on 127.0.0.1:5000 with eventlet.

HOST, PORT and FACILITATION_DB (the SQLite file) override the defaults. This file alone knows
about eventlet; the facilitation package runs under any async mode Flask-SocketIO supports.
"""

import errno
import gc
import logging
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

    import eventlet.websocket

    from facilitation.wsmask import apply_mask

    # Incoming frames unmasked in one pass instead of one Python step per byte (wsmask.py).
    eventlet.websocket.RFC6455WebSocket._apply_mask = staticmethod(apply_mask)

    from facilitation import wssend

    # Packets written to a websocket in the sender's turn, framed once per broadcast, instead
    # of through a writer green thread per message (wssend.py).
    wssend.install()


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


# Open files kept for the database (file, WAL, shared memory), logs, imports and exports: the
# connections get the rest of the open-files limit.
RESERVED_FILES = 64
FULL = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Retry-After: 5\r\nConnection: close\r\nContent-Length: 58\r\n\r\n"
        b"The server is full right now. Try again in a few seconds.\n")


def raise_open_files_limit():
    """Raise this process's soft open-files limit to the hard one; return the soft limit.

    Each participant holds a socket, and the common soft limit (1,024) is too low for a big
    workshop; systemd's LimitNOFILE (docs/deploy.md) sets the hard one.
    """
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


class GuardedListener:
    """The listening socket for eventlet.wsgi.server, whose accept never ends the server.

    eventlet's accept loop stops for good on any accept error (EMFILE when out of open files).
    Here an error waits a moment and accepts again, and a connection that would leave fewer
    than RESERVED_FILES open files (its descriptor number says so: the kernel hands out the
    lowest free one) is answered 503 and closed at once.
    """

    def __init__(self, sock, max_fd):
        self._sock, self.max_fd = sock, max_fd
        self.refused = 0

    def __getattr__(self, name):
        return getattr(self._sock, name)

    def accept(self):
        import eventlet

        while True:
            try:
                client, address = self._sock.accept()
            except OSError as error:
                if error.errno in (errno.EBADF, errno.EINVAL):
                    raise  # the listener itself was closed: stopping
                logging.getLogger(__name__).warning("accept failed (%s); retrying", error)
                eventlet.sleep(0.05)
                continue
            if client.fileno() < self.max_fd:
                return client, address
            self.refused += 1
            try:
                client.settimeout(0.5)
                client.sendall(FULL)
            except OSError:
                pass
            finally:
                client.close()


def serve(host, port, banner):
    """Listen and serve with eventlet (what socketio.run does, with a safer socket)."""
    import eventlet
    import eventlet.wsgi

    from facilitation.db import get_store
    from facilitation.offload import offload

    open_files = raise_open_files_limit()
    capacity = max(16, open_files - RESERVED_FILES)

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
    # This process's presence lease (facilitation/presence.py): renewed while it runs.
    eventlet.spawn(app.extensions["facilitation.presence"].beat_forever, eventlet.sleep)
    # WAL checkpoints in an OS thread, not inside the commits of the event loop (db.py).
    eventlet.spawn(get_store(app).checkpoint_forever, eventlet.sleep, offload)
    print(banner, flush=True)
    print(f"  Up to {capacity} connections at once (open-files limit {open_files}).", flush=True)
    # max_size: open connections at once (each participant holds one websocket).
    eventlet.wsgi.server(GuardedListener(listener, capacity), app, log_output=False,
                         max_size=capacity)


if __name__ == "__main__":
    main()
