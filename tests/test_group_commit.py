"""Group commit: ops that arrive together share one transaction, each kept apart."""

import dataclasses
import threading
import time

import pytest

from facilitation.db import Store
from facilitation.errors import Refused
from facilitation.ops import REGISTRY
from facilitation.ops.group_commit import GroupCommit
from facilitation.ops.pipeline import stored_ack
from facilitation.participants import join
from facilitation.workshops import DEMO, create_workshop


@pytest.fixture
def room(tmp_path):
    store = Store(str(tmp_path / "group.sqlite"))
    workshop = create_workshop(store, DEMO)
    code = workshop["rooms"][0]["code"]
    actors = [join(store, {"room": code, "name": f"P{i}", "city": "Milan"})[0] for i in range(6)]
    yield store, actors
    store.close()


def run_together(store, lead, others):
    """The leader's op (this thread) and the others' (one thread each) arrive together: the
    leader's pause waits until every other op has queued. Returns (group, results)."""
    results = {}

    def send(key, actor, payload):
        try:
            results[key] = group.run(actor, payload)
        except Exception as error:
            results[key] = error

    def pause():
        for key, (actor, payload) in others.items():
            threading.Thread(target=send, args=(key, actor, payload)).start()
        deadline = time.monotonic() + 10
        while len(group._queue) < len(others) + 1 and time.monotonic() < deadline:
            time.sleep(0.005)

    group = GroupCommit(store, pause=pause)
    send("lead", *lead)
    deadline = time.monotonic() + 10
    while len(results) < len(others) + 1 and time.monotonic() < deadline:
        time.sleep(0.005)
    return group, results


def add(op_id, text):
    return {"type": "note.add", "op_id": op_id, "text": text}


def test_ops_arriving_together_share_one_transaction_and_refusals_change_nothing(
        room, monkeypatch):
    store, actors = room
    original = REGISTRY["note.add"]

    def crashes_on_boom(change, fields):
        result = original.apply(change, fields)
        if fields.get("text") == "boom":
            raise RuntimeError("disk on fire")
        return result

    monkeypatch.setitem(REGISTRY, "note.add", dataclasses.replace(original, apply=crashes_on_boom))
    group, results = run_together(store, (actors[0], add("a0", "first")), {
        "second": (actors[1], add("a1", "second")),
        "missing": (actors[2], {"type": "note.update", "op_id": "u", "note_id": "gone",
                                "text": "x"}),
        "crash": (actors[3], add("a3", "boom")),
        "third": (actors[4], add("a4", "third")),
        "again": (actors[1], add("a1", "second")),  # the same op sent twice: applied once
        "invalid": (actors[5], {"type": "note.add", "op_id": "bad"}),  # no text
    })
    assert group.batches == 1 and group.ops == 6  # the invalid op never reached the database
    assert isinstance(results["missing"], Refused) and results["missing"].code == "not_found"
    assert isinstance(results["invalid"], Refused)
    assert isinstance(results["crash"], RuntimeError)
    acked = [results[key].ack for key in ("lead", "second", "third")]
    assert sorted(ack["seq"] for ack in acked) == [1, 2, 3]  # gapless: refusals took no seq
    assert results["again"].repeated and results["again"].ack == results["second"].ack
    assert [len(results[key].broadcasts) for key in ("lead", "second", "third", "again")] == [
        1, 1, 1, 0]
    with store.read() as db:
        assert sorted(t for (t,) in db.execute("SELECT text FROM notes")) == [
            "first", "second", "third"]
        assert [s for (s,) in db.execute("SELECT seq FROM ops ORDER BY seq")] == [1, 2, 3]
        # Each applied op keeps its answer for a retry; the refused and crashed ones none.
        kept = {op_id: stored_ack(db, actors[i], op_id)
                for i, op_id in ((0, "a0"), (1, "a1"), (4, "a4"), (3, "a3"), (2, "u"))}
        assert [op_id for op_id, ack in kept.items() if ack] == ["a0", "a1", "a4"]
        assert kept["a1"] == results["second"].ack


def test_an_op_arriving_alone_is_committed_at_once(room):
    store, actors = room
    group = GroupCommit(store)
    outcome = group.run(actors[0], add("solo", "alone"))
    assert outcome.ack["seq"] == 1 and group.batches == 1
    with pytest.raises(Refused):
        group.run(None, add("x", "not joined"))
    assert group.run(actors[0], add("solo", "alone")).repeated
