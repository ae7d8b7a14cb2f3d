"""Group commit: ops that arrive together share one SQLite transaction.

The first sender to arrive leads: it lets the others that arrived at the same moment queue
theirs (`pause`, one turn of the event loop), then applies the whole queue in one
transaction, each op in its own savepoint, and commits once. A refused or failing op rolls
back to its savepoint and changes nothing of the others; every op is committed before any of
them is answered. The leader then hands the lead to the first op that queued meanwhile and
wakes the senders of its batch, each of which acknowledges and broadcasts its own op.

Nothing inside the transaction yields: `pause` runs before it, waking the senders after it.
"""

import threading

from ..util import now_iso
from .pipeline import apply_op, prepare_op


class _Waiting:
    __slots__ = ("actor", "prepared", "payload", "outcome", "error", "leads", "_asleep")

    def __init__(self, actor, prepared, payload):
        self.actor, self.prepared, self.payload = actor, prepared, payload
        self.outcome = self.error = None
        self.leads = False
        # A held lock as a one-time wake-up: far cheaper to make than an Event (a Condition).
        self._asleep = threading.Lock()
        self._asleep.acquire()

    def sleep(self):
        self._asleep.acquire()

    def wake(self):
        self._asleep.release()

    def result(self):
        if self.error is not None:
            raise self.error
        return self.outcome


class GroupCommit:
    """Run ops for many senders, those that arrive together in one transaction."""

    def __init__(self, store, pause=None, most=200):
        self.store = store
        self.pause = pause or (lambda: None)
        self.most = most  # ops in one transaction at most
        self._lock = threading.Lock()
        self._queue = []
        self._busy = False
        self.batches = 0  # how many transactions, for tests and the benchmark
        self.ops = 0

    def run(self, actor, payload):
        """Apply one op like `pipeline.run_op`, sharing the transaction with its neighbours."""
        prepared = prepare_op(actor, payload)  # refusals that need no database: at once
        waiting = _Waiting(actor, prepared, payload)
        with self._lock:
            self._queue.append(waiting)
            lead = not self._busy
            self._busy = True
        if not lead:
            waiting.sleep()
            if not waiting.leads:
                return waiting.result()
        self._lead()
        return waiting.result()

    def _lead(self):
        self.pause()  # let the ops that arrived at the same moment queue theirs
        with self._lock:
            batch, self._queue = self._queue[:self.most], self._queue[self.most:]
        try:
            self._commit(batch)
        finally:
            with self._lock:
                successor = self._queue[0] if self._queue else None
                if successor is None:
                    self._busy = False
            for waiting in batch:
                waiting.wake()
            if successor is not None:
                successor.leads = True
                successor.wake()

    def _commit(self, batch):
        self.batches += 1
        self.ops += len(batch)
        now = now_iso()  # committed together: one time for the batch
        try:
            with self.store.write() as db:
                for waiting in batch:
                    db.conn.execute("SAVEPOINT one_op")
                    try:
                        waiting.outcome = apply_op(db, waiting.actor, waiting.prepared,
                                                   waiting.payload, now)
                    except Exception as error:
                        db.conn.execute("ROLLBACK TO one_op")
                        waiting.error = error
                    db.conn.execute("RELEASE one_op")
        except Exception as error:  # the commit itself failed: none of them is stored
            for waiting in batch:
                waiting.outcome, waiting.error = None, error
