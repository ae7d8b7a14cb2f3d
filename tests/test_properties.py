"""Arbitrary payloads for every op type: never a crash, never a change on a refusal, and the
database invariants hold after every op."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitation.boards import snapshot
from facilitation.db import Store
from facilitation.errors import Refused
from facilitation.facilitator import join_as_facilitator
from facilitation.ops import REGISTRY, run_op
from facilitation.participants import join
from facilitation.workshops import create_workshop

TABLES = ["rooms", "note_groups", "notes", "participants", "votes", "ops", "acks"]


def dump(db):
    return {table: db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
            for table in TABLES}


def check_invariants(db):
    # Every note sits in a group of its own room; in each group the notes' order numbers differ
    # (one order), and boards show positions 0, 1, 2... in that order.
    assert db.execute("""SELECT count(*) FROM notes n JOIN note_groups g ON g.id = n.group_id
                         WHERE g.room_id != n.room_id""").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM notes WHERE group_id NOT IN "
                      "(SELECT id FROM note_groups)").fetchone() == (0,)
    for (group_id,) in db.execute("SELECT id FROM note_groups").fetchall():
        numbers = [n for (n,) in db.execute(
            "SELECT position FROM notes WHERE group_id = ? ORDER BY position", [group_id])]
        assert len(set(numbers)) == len(numbers)
    for room in db["rooms"].rows:
        notes = snapshot(db, room)["notes"]
        for (group_id,) in db.execute("SELECT id FROM note_groups WHERE room_id = ?",
                                      [room["id"]]).fetchall():
            ordered = [n for (n,) in db.execute(
                "SELECT id FROM notes WHERE group_id = ? ORDER BY position", [group_id])]
            shown = [n for n in notes if n["group_id"] == group_id]
            assert [n["id"] for n in shown] == ordered
            assert [n["position"] for n in shown] == list(range(len(ordered)))
    # Each room and group says how many notes it holds (schema.m050_note_counts' triggers).
    assert db.execute("""SELECT count(*) FROM rooms r WHERE note_count !=
                         (SELECT count(*) FROM notes WHERE room_id = r.id)""").fetchone() == (0,)
    assert db.execute("""SELECT count(*) FROM note_groups g WHERE note_count !=
                         (SELECT count(*) FROM notes WHERE group_id = g.id)""").fetchone() == (0,)
    # Every room keeps at least one group, with dense positions.
    for (room_id,) in db.execute("SELECT id FROM rooms").fetchall():
        positions = [p for (p,) in db.execute(
            "SELECT position FROM note_groups WHERE room_id = ? ORDER BY position", [room_id])]
        assert positions == list(range(len(positions))) and positions
        seqs = [s for (s,) in db.execute(
            "SELECT seq FROM ops WHERE room_id = ? ORDER BY seq", [room_id])]
        assert seqs == list(range(1, len(seqs) + 1))
        assert db.execute("SELECT seq FROM rooms WHERE id = ?", [room_id]).fetchone() == (
            len(seqs),)
    # Votes: within budget, one per note and participant, and the note totals agree.
    for room_id, budget in db.execute(
            "SELECT id, votes_per_participant FROM rooms").fetchall():
        for (used,) in db.execute("SELECT count(*) FROM votes WHERE room_id = ? "
                                  "GROUP BY participant_id", [room_id]).fetchall():
            assert budget is None or used <= budget  # closed voting keeps its totals
    assert db.execute("""SELECT count(*) FROM notes n WHERE n.votes !=
                         (SELECT count(*) FROM votes v WHERE v.note_id = n.id)""").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM votes v JOIN notes n ON n.id = v.note_id "
                      "WHERE v.room_id != n.room_id").fetchone() == (0,)


def setting_up():
    store = Store(":memory:")
    workshop = create_workshop(store, {
        "title": "Props", "cities": ["Milan", "Nantes"],
        "rooms": [{"name": "A", "theme": "T", "template": "challenges-ideas-actions"},
                  {"name": "B", "theme": "T"}]})
    codes = [room["code"] for room in workshop["rooms"]]
    actors = [join(store, {"room": codes[0], "name": "Ana", "city": "Milan"})[0],
              join(store, {"room": codes[0], "name": "Bo", "city": "Nantes"})[0],
              join(store, {"room": codes[1], "name": "Cy", "city": "Milan"})[0],
              join_as_facilitator(store, workshop["facilitator_key"])[0]]
    for i, actor in enumerate(actors[:3]):
        run_op(store, actor, {"type": "note.add", "op_id": f"seed{i}", "text": f"seed {i}"})
    run_op(store, actors[3], {"type": "voting.open", "op_id": "vote", "room": codes[0],
                              "votes_per_participant": 2})
    return store, codes, actors


def known_ids(store, codes, actors):
    """The ids an op may name, by kind, as they are now."""
    with store.read() as db:
        column = lambda sql: [r[0] for r in db.execute(sql)]  # noqa: E731
        return {
            "note": column("SELECT id FROM notes"),
            "group": column("SELECT id FROM note_groups"),
            "participant": column("SELECT id FROM participants"),
            "room": codes,
            "updated": column("SELECT updated_at FROM notes"),
        }


def junk(ids):
    flat = [i for kind in ids.values() for i in kind]
    return st.one_of(
        st.none(), st.booleans(), st.integers(-3, 10**7), st.floats(allow_nan=True),
        st.text(max_size=1100), st.text(alphabet="<>&\"'=+-@\x00\n ", max_size=20),
        st.lists(st.integers(0, 63).map(lambda i: flat[i % len(flat)]), max_size=3),
        st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
        st.integers(0, 63).map(lambda i: flat[i % len(flat)]),
    )


def plausible(field, ids):
    """Mostly valid values for a field, so that ops get past validation and really apply."""
    def pick(kind):
        # Always one draw in a fixed range, whatever the board holds now, so that Hypothesis
        # sees the same shape of choices when it replays an example.
        return st.integers(0, 63).map(
            lambda i: ids[kind][i % len(ids[kind])] if ids[kind] else "none")

    text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1,
                   max_size=90)
    options = {
        "note_id": pick("note"), "group_id": pick("group"), "participant_id": pick("participant"),
        "room": pick("room"), "to_room": pick("room"), "if_updated_at": pick("updated"),
        "participant_ids": st.lists(pick("participant"), min_size=1, max_size=4),
        "rooms": st.lists(pick("room"), min_size=1, max_size=2),
        "color": st.sampled_from(["yellow", "pink", "green", "blue", "orange", "purple"]),
        "position": st.integers(0, 12), "votes_per_participant": st.integers(0, 4),
        "seconds": st.integers(1, 4000),
        "mode": st.sampled_from(["random", "city-together", "city-spread"]),
        "template": st.sampled_from(["blank", "themes", "stakeholder-map",
                                     "challenges-ideas-actions"]),
    }
    return options.get(field, text)


def payloads(ids):
    """An op payload: a known type with plausible, junk or missing fields; sometimes garbage."""

    @st.composite
    def op(draw):
        names = sorted(REGISTRY)
        optype = REGISTRY[names[draw(st.integers(0, len(names) - 1))]]
        odd_op_id = draw(st.integers(0, 9))
        payload = {"type": optype.name, "op_id": (
            draw(st.uuids().map(str)) if odd_op_id < 8 else
            "repeat" if odd_op_id == 8 else draw(st.sampled_from(["", "x" * 65, None, 7])))}
        # Mostly plausible fields, so that many ops really apply; sometimes junk or missing.
        broken = [None, None, None, "junk", "missing"][draw(st.integers(0, 4))]
        for field in [*optype.required, *optype.optional, "room"]:
            if broken and draw(st.booleans()):
                if broken == "junk":
                    payload[field] = draw(junk(ids))
            else:
                payload[field] = draw(plausible(field, ids))
        return payload

    garbage = st.one_of(st.none(), st.integers(), st.text(max_size=10), st.lists(st.integers()),
                        st.dictionaries(st.text(max_size=8), junk(ids), max_size=4))

    @st.composite
    def either(draw):
        return draw(garbage if draw(st.integers(0, 7)) == 7 else op())

    return either()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_arbitrary_ops_never_crash_never_half_apply_and_keep_invariants(data):
    store, codes, actors = setting_up()
    for _ in range(data.draw(st.integers(1, 12))):
        ids = known_ids(store, codes, actors)
        actor = data.draw(st.sampled_from(actors))
        payload = data.draw(payloads(ids))
        with store.read() as db:
            before = dump(db)
        try:
            outcome = run_op(store, actor, payload)
        except Refused as refused:
            assert refused.code in {"invalid", "not_found", "forbidden", "conflict",
                                    "locked", "closed", "not_joined"}, refused.message
            assert refused.message
            with store.read() as db:
                assert dump(db) == before, payload
        else:
            assert outcome.ack["ok"] is True
            json.dumps(outcome.ack)  # every answer can be sent as JSON
        with store.read() as db:
            check_invariants(db)
    store.close()
