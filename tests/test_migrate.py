"""Issue 15, finding 9: processes starting together on a new database all come up."""

import subprocess
import sys
import time

from .live import ROOT

START = """
import sys, time
from facilitation.db import Store
at = float(sys.argv[2])
time.sleep(max(0, at - time.time()))
Store(sys.argv[1]).close()
"""


def test_processes_starting_together_on_a_new_database_all_migrate_it(tmp_path):
    failures = []
    for round_ in range(3):
        path = str(tmp_path / f"new{round_}.sqlite")
        at = time.time() + 1.5  # after every process has imported the app
        processes = [subprocess.Popen([sys.executable, "-c", START, path, str(at)], cwd=ROOT,
                                      stderr=subprocess.PIPE, text=True) for _ in range(4)]
        for process in processes:
            _, err = process.communicate(timeout=60)
            if process.returncode:
                failures.append(err.strip().splitlines()[-1])
    assert failures == []
    import sqlite3

    db = sqlite3.connect(str(tmp_path / "new0.sqlite"))
    names = [n for (n,) in db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    db.close()
    assert len(names) == len(set(names)) and "m001_boards" in names


def test_a_database_from_before_note_counts_gets_them_counted(tmp_path):
    """Issue 14: rooms and groups keep how many notes they hold (a trigger-kept count). A
    database written before that counts its notes once on opening, and keeps counting after."""
    from facilitation.db import Store
    from facilitation.ops import run_op
    from facilitation.participants import join
    from facilitation.workshops import DEMO, create_workshop

    path = str(tmp_path / "old.sqlite")
    store = Store(path)
    code = create_workshop(store, DEMO)["rooms"][0]["code"]
    actor = join(store, {"room": code, "name": "Ana", "city": "Milan"})[0]
    for n in range(7):
        run_op(store, actor, {"type": "note.add", "op_id": f"n{n}", "text": f"note {n}"})
    with store.write() as db:  # back to the schema before m050_note_counts
        for trigger in ("notes_counted_in", "notes_counted_out", "notes_change_room",
                        "notes_change_group"):
            db.execute(f"DROP TRIGGER {trigger}")
        db.execute("ALTER TABLE rooms DROP COLUMN note_count")
        db.execute("ALTER TABLE note_groups DROP COLUMN note_count")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm050_note_counts'")
    store.close()

    store = Store(path)
    run_op(store, actor, {"type": "note.add", "op_id": "after", "text": "one more"})
    with store.read() as db:
        (room_count,) = db.execute("SELECT note_count FROM rooms WHERE code = ?",
                                   [code]).fetchone()
        groups = db.execute("SELECT g.note_count, (SELECT count(*) FROM notes n "
                            "WHERE n.group_id = g.id) FROM note_groups g JOIN rooms r "
                            "ON r.id = g.room_id WHERE r.code = ?", [code]).fetchall()
    store.close()
    assert room_count == 8
    assert all(kept == real for kept, real in groups) and sum(kept for kept, _ in groups) == 8
