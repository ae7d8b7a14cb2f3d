"""The domain without a server: workshops, templates, the op pipeline, durability."""

import dataclasses

import pytest

from facilitation.db import Store
from facilitation.errors import Refused
from facilitation.ops import run_op
from facilitation.participants import join
from facilitation.workshops import DEMO, TEMPLATES, create_workshop, ensure_demo_workshop


@pytest.fixture
def memory_store():
    store = Store(":memory:")
    yield store
    store.close()


def groups_of(store, code):
    with store.read() as db:
        return [name for (name,) in db.execute(
            "SELECT g.name FROM note_groups g JOIN rooms r ON r.id = g.room_id WHERE r.code = ? "
            "ORDER BY g.position", [code]).fetchall()]


@pytest.mark.parametrize("template", sorted(set(TEMPLATES) - {"photo-wall"}))
def test_a_new_room_starts_with_its_templates_groups(memory_store, template):
    workshop = create_workshop(memory_store, {
        "title": "T", "cities": ["Milan"], "rooms": [{"name": "R", "theme": "T",
                                                      "template": template}]})
    assert groups_of(memory_store, workshop["rooms"][0]["code"]) == TEMPLATES[template][1]


def test_a_photo_wall_has_a_group_per_city_of_its_workshop(memory_store):
    workshop = create_workshop(memory_store, {
        "title": "T", "cities": ["Milan", "Łódź", "Nantes"],
        "rooms": [{"name": "R", "theme": "My city in one photo", "template": "photo-wall"}]})
    assert groups_of(memory_store, workshop["rooms"][0]["code"]) == ["Milan", "Łódź", "Nantes"]


def test_stakeholder_map_is_the_influence_interest_quadrants(memory_store):
    workshop = create_workshop(memory_store, {
        "title": "T", "cities": ["Milan"],
        "rooms": [{"name": "R", "theme": "T", "template": "stakeholder-map"}]})
    assert groups_of(memory_store, workshop["rooms"][0]["code"]) == [
        "Manage closely", "Keep satisfied", "Keep informed", "Monitor"]


def test_demo_workshop_is_made_once(memory_store):
    demo = ensure_demo_workshop(memory_store)
    assert demo["title"] == DEMO["title"]
    assert [r["theme"] for r in demo["rooms"]] == ["Environment & Food", "Social policies",
                                                   "Stakeholder map"]
    assert ensure_demo_workshop(memory_store) is None


def test_pipeline_applies_and_logs_in_one_transaction(memory_store):
    workshop = create_workshop(memory_store, DEMO)
    actor, _, caught_up = join(memory_store, {"room": workshop["rooms"][0]["code"],
                                              "name": "Ana", "city": "Milan"})
    board = caught_up["board"]
    outcome = run_op(memory_store, actor, {"type": "note.add", "op_id": "a", "text": "hi"})
    assert outcome.ack["seq"] == 1
    [broadcast] = outcome.broadcasts
    assert broadcast.room_code == board["room"]["code"] and broadcast.hidden is False
    assert broadcast.event == {k: v for k, v in outcome.ack.items() if k != "ok"}
    with memory_store.read() as db:
        assert db.execute("SELECT seq, op_id, type FROM ops").fetchall() == [(1, "a", "note.add")]
        assert db.execute("SELECT seq FROM rooms WHERE code = ?",
                          [board["room"]["code"]]).fetchone() == (1,)


def test_a_refused_op_rolls_back_everything_including_the_seq(memory_store):
    workshop = create_workshop(memory_store, DEMO)
    actor, _, _ = join(memory_store, {"room": workshop["rooms"][2]["code"],
                                      "name": "Ana", "city": "Milan"})
    with pytest.raises(Refused) as refused:
        run_op(memory_store, actor, {"type": "note.delete", "op_id": "x", "note_id": "gone"})
    assert refused.value.code == "not_found"
    with memory_store.read() as db:
        assert db.execute("SELECT sum(seq) FROM rooms").fetchone() == (0,)
        assert db["ops"].count == 0


def test_a_crash_inside_apply_rolls_back(memory_store, monkeypatch):
    from facilitation import ops

    workshop = create_workshop(memory_store, DEMO)
    actor, _, _ = join(memory_store, {"room": workshop["rooms"][0]["code"],
                                      "name": "Ana", "city": "Milan"})
    original = ops.REGISTRY["note.add"]

    def half_done(change, fields):
        original.apply(change, fields)
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(ops.REGISTRY, "note.add", dataclasses.replace(original, apply=half_done))
    with pytest.raises(RuntimeError):
        run_op(memory_store, actor, {"type": "note.add", "op_id": "a", "text": "hi"})
    with memory_store.read() as db:
        assert db["notes"].count == 0 and db["ops"].count == 0


def test_committed_ops_are_in_the_file_for_the_next_process(tmp_path):
    path = tmp_path / "durable.sqlite"
    first = Store(str(path))
    workshop = create_workshop(first, DEMO)
    actor, participant, _ = join(first, {"room": workshop["rooms"][0]["code"],
                                         "name": "Ana", "city": "Milan"})
    run_op(first, actor, {"type": "note.add", "op_id": "a", "text": "kept"})
    second = Store(str(path))  # another connection, as another process would open it
    with second.read() as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert [n["text"] for n in db["notes"].rows] == ["kept"]
    first.close()
    second.close()
