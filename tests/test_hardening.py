"""Issue 15: bounded boards, no other room's code for participants, readable refusals."""

from facilitation import imports, rules

from .test_facilitator import Facilitator


# --- finding 5: groups per room are capped ------------------------------------------------------


def test_a_room_has_a_cap_on_groups_like_an_import(join, connect, workshop, monkeypatch):
    assert getattr(rules, "MAX_GROUPS_PER_ROOM", None) == imports.MAX_GROUPS == 100
    monkeypatch.setattr(rules, "MAX_GROUPS_PER_ROOM", 5)
    ana = join()  # Room 1 starts with 3 groups
    assert ana.op("group.add", name="Four")["ok"]
    assert ana.op("group.add", name="Five")["ok"]
    full = ana.op("group.add", name="Six")
    assert full["ok"] is False and full["code"] == "conflict"
    assert "5 groups" in full["error"]
    fac = Facilitator(connect(), workshop["facilitator_key"])
    assert fac.op("group.add", room=workshop["rooms"][0]["code"], name="Six")["code"] == "conflict"
    assert len(fac.joined["boards"][workshop["rooms"][0]["code"]]["groups"]) == 5
