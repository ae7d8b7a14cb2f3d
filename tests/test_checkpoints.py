"""WAL checkpoints run on a connection of their own (app.py: in an OS thread), not in commits."""

import os

import pytest

from facilitation.db import Store
from facilitation.participants import join
from facilitation.workshops import DEMO, create_workshop


class Stop(Exception):
    pass


def test_the_checkpointer_copies_the_wal_back_and_commits_stop_doing_it(tmp_path):
    store = Store(str(tmp_path / "wal.sqlite"))
    workshop = create_workshop(store, DEMO)
    code = workshop["rooms"][0]["code"]
    ran, rounds = [], iter(range(3))

    def sleep(_seconds):
        round_ = next(rounds, None)
        if round_ is None:
            raise Stop
        for i in range(50):  # people joining between two rounds: commits that fill the WAL
            join(store, {"room": code, "name": f"P{round_}-{i}", "city": "Milan"})

    def run(fn):
        ran.append(fn())  # (busy, frames in the WAL, frames copied to the database)
        return ran[-1]

    with pytest.raises(Stop):
        store.checkpoint_forever(sleep, run, interval=0)
    # Each round copied every page the joins had committed since.
    assert len(ran) == 3 and store.checkpoints == 3
    assert all(busy == 0 and frames > 0 and copied == frames for busy, frames, copied in ran)
    with store.read() as db:
        # Commits no longer checkpoint by themselves (until the WAL would be huge).
        assert db.execute("PRAGMA wal_autocheckpoint").fetchone() == (
            Store.SAFETY_CHECKPOINT_PAGES,)
        assert db.execute("SELECT count(*) FROM participants").fetchone() == (150,)
    store.close()
    # A new connection reads all of it from the database file alone.
    os.remove(tmp_path / "wal.sqlite-wal")
    assert Store(str(tmp_path / "wal.sqlite")).db.execute(
        "SELECT count(*) FROM participants").fetchone() == (150,)
