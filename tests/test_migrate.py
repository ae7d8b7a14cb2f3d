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
