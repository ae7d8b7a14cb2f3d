"""Run Breakout Boards: `python app.py` serves on 127.0.0.1:5000 with eventlet.

HOST, PORT and FACILITATION_DB (the SQLite file) override the defaults. This file alone knows
about eventlet; the facilitation package runs under any async mode Flask-SocketIO supports.
"""

import os

if __name__ == "__main__":
    import eventlet

    eventlet.monkey_patch()
    os.environ.setdefault("FACILITATION_ASYNC_MODE", "eventlet")

from facilitation import create_app  # noqa: E402

app = create_app()


def main():
    from facilitation.db import get_store
    from facilitation.realtime import socketio
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
    print(f"Breakout Boards on {base}/  (database: {store.path})", flush=True)
    socketio.run(app, host=host, port=port, log_output=False)


if __name__ == "__main__":
    main()
