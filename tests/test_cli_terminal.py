"""Issue 15, finding 16: `flask export` to a terminal shows control characters escaped; files
and pipes get the exact bytes."""

import os
import pty
import subprocess
import sys

from facilitation import create_app
from facilitation.db import get_store
from facilitation.ops import run_op
from facilitation.participants import join
from facilitation.workshops import create_workshop

from .live import ROOT

RED = "Red \x1b[31malert\x1b[0m and a bell\x07"


def room_with_a_tricky_note(tmp_path):
    path = str(tmp_path / "cli.sqlite")
    app = create_app({"FACILITATION_DB": path, "SOCKETIO_ASYNC_MODE": "threading"})
    store = get_store(app)
    made = create_workshop(store, {"title": "T", "cities": ["Milan"],
                                   "rooms": [{"name": "R", "theme": "T"}]})
    code = made["rooms"][0]["code"]
    actor, _, _ = join(store, {"room": code, "name": "Ana", "city": "Milan"})
    run_op(store, actor, {"type": "note.add", "op_id": "1", "text": RED})
    store.close()
    return path, code


def export(path, code, to_terminal):
    command = [sys.executable, "-m", "flask", "--app", "app", "export", "--room", code,
               "--format", "csv"]
    env = {**os.environ, "FACILITATION_DB": path}
    if not to_terminal:
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True,
                              timeout=120).stdout
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=follower,
                               stderr=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks)


def test_export_to_a_terminal_escapes_control_characters(tmp_path):
    path, code = room_with_a_tricky_note(tmp_path)
    shown = export(path, code, to_terminal=True)
    assert b"\x1b" not in shown and b"\x07" not in shown
    assert b"Red \\x1b[31malert\\x1b[0m and a bell\\x07" in shown


def test_export_to_a_pipe_keeps_the_exact_bytes(tmp_path):
    path, code = room_with_a_tricky_note(tmp_path)
    assert RED.encode() in export(path, code, to_terminal=False)
