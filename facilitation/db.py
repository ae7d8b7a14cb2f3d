"""The database: one SQLite file in WAL mode, opened once per process, schema as migrations.

One connection per process, guarded by a lock. Every write runs in `store.write()`, one
transaction; nothing inside it may yield to another green thread (no emit, sleep or network
call): callers commit first, then acknowledge and broadcast.
"""

import contextlib
import os
import sqlite3
import threading
import time

import click
from flask import current_app
from sqlite_utils import Database

from .schema import migrations


class Store:
    """The process's database connection and the lock that serialises its use."""

    def __init__(self, path):
        self.path = path
        if path == ":memory:":
            self.db = Database(memory=True)
        else:
            directory = os.path.dirname(os.path.abspath(path))
            os.makedirs(directory, exist_ok=True)
            self.db = Database(path)
            # Wait for another process starting at the same moment instead of failing.
            self.db.conn.execute("PRAGMA busy_timeout=60000")
            self._enable_wal()
            # WAL + NORMAL: a commit survives a crash of the process (kill -9); only a power
            # cut can lose the last transactions. FULL would fsync every note.
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.conn.execute("PRAGMA foreign_keys=ON")
        self._lock = threading.RLock()
        with self._lock:
            self._migrate()
        self.db.conn.execute("PRAGMA busy_timeout=5000")

    def _enable_wal(self, attempts=100):
        """Switch a new database to WAL. Processes starting together on a new file can find it
        locked at once, without SQLite waiting for the busy timeout (1 to 4 starts in 120 in
        tests/test_migrate.py): try again a moment later."""
        for attempt in range(attempts):
            try:
                self.db.enable_wal()
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or attempt == attempts - 1:
                    raise
                time.sleep(0.05)

    def _migrate(self):
        """Apply pending migrations under SQLite's exclusive lock.

        Two processes starting together on a new database would both see the same migrations
        pending and the second would fail (`table workshops already exists`). Here the second
        waits (up to a minute) for the first to commit, then finds nothing pending.
        """
        self.db.conn.execute("PRAGMA busy_timeout=60000")
        self.db.conn.execute("BEGIN EXCLUSIVE")
        try:
            migrations.apply(self.db)
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.conn.execute("ROLLBACK")
            raise
        self.db.conn.execute("COMMIT")

    @contextlib.contextmanager
    def read(self):
        """Use the connection for reads."""
        with self._lock:
            yield self.db

    @contextlib.contextmanager
    def write(self):
        """Run one transaction: committed when the block ends, rolled back on any error.

        BEGIN IMMEDIATE takes SQLite's write lock first (waiting up to busy_timeout), so a
        transaction that reads and then writes never meets another process's newer commit
        halfway (which SQLite would refuse at once instead of waiting). Inside it, sqlite-utils'
        atomic() works as usual (as a savepoint).
        """
        with self._lock:
            self.db.conn.execute("BEGIN IMMEDIATE")
            try:
                with self.db.atomic():
                    yield self.db
            except BaseException:
                if self.db.conn.in_transaction:
                    self.db.conn.execute("ROLLBACK")
                raise
            self.db.conn.execute("COMMIT")

    # Checkpoints (copying the WAL's pages back into the database file, with an fsync) run on the
    # connection that commits, inside its COMMIT: every few hundred notes one of them held the
    # event loop for 10-30 ms. A server moves them to an OS thread: `checkpoint_forever`.
    SAFETY_CHECKPOINT_PAGES = 20000  # ~80 MB of WAL: the connection checkpoints itself after all

    def checkpoint_forever(self, sleep, run, interval=1.0):
        """Copy the WAL into the database every `interval` seconds, each time through `run`
        (app.py: an OS thread), on a connection of its own, so commits never do it.

        `sleep(seconds)` waits without blocking the server; `run(fn)` returns fn() computed
        off the event loop. Should the loop stop, the committing connection would checkpoint
        again once the WAL holds SAFETY_CHECKPOINT_PAGES.
        """
        if self.path == ":memory:":
            return
        connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        connection.execute("PRAGMA busy_timeout=5000")
        with self._lock:
            self.db.conn.execute(f"PRAGMA wal_autocheckpoint={self.SAFETY_CHECKPOINT_PAGES}")
        self.checkpoints = 0
        while True:
            sleep(interval)
            try:
                run(lambda: connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())
                self.checkpoints += 1
            except sqlite3.Error:  # busy now: the next round copies what this one did not
                pass

    def close(self):
        with self._lock:
            self.db.close()


def get_store(app=None):
    """Return the app's Store, opening the database on first use."""
    app = app or current_app
    store = app.extensions.get("facilitation.store")
    if store is None:
        store = Store(app.config["FACILITATION_DB"])
        app.extensions["facilitation.store"] = store
    return store


def init_app(app):
    """Register the database commands."""
    app.cli.add_command(init_db_command)


@click.command("init-db")
def init_db_command():
    """Create the database and apply pending migrations."""
    store = get_store()
    click.echo(f"Database ready: {store.path}")


# The op code (facilitation/ops/, placement.py) uses only these plain statements and
# `db.execute`, one idiom, instead of sqlite-utils' table helpers, which look the table's schema
# up on every insert (37 statements per note.add before, 14 after). Table and column names come
# from our code, never from a client.


def one(db, sql, params=()):
    """Return the first row of a query as a dict, or None."""
    cursor = db.conn.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([column[0] for column in cursor.description], row))


def rows(db, sql, params=()):
    """Return every row of a query as a dict."""
    cursor = db.conn.execute(sql, params)
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def get(db, table, row_id):
    """The row with this id as a dict, or None."""
    return one(db, f"SELECT * FROM {table} WHERE id = ?", [row_id])


def delete(db, table, row_id):
    """Delete the row with this id."""
    db.conn.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])


def insert(db, table, row):
    """Insert a row given as a dict."""
    marks = ", ".join("?" * len(row))
    db.conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({marks})", list(row.values()))


def update(db, table, row_id, values):
    """Set some columns of the row with this id."""
    sets = ", ".join(f"{column} = ?" for column in values)
    db.conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*values.values(), row_id])
