"""Maps across meetings: the ecosystem map, the next meeting, a city's stakeholders, compare."""

import codecs
import html
import csv
import io
import json

import pytest

from facilitation.boards import room_state
from facilitation.facilitator import facilitator_actor
from facilitation.snapshots import save_snapshot
from facilitation.workshops import (CARRY_FORWARD, MAPS, TEMPLATES, carries_forward,
                                    create_workshop, is_map, map_layout)

from .test_exports import act, person

CITIES = ["Milan", "Nantes", "Łódź"]
MEETING = {
    "title": "#3 Transnational meeting",
    "cities": CITIES,
    "rooms": [
        {"name": "Map", "theme": "Stakeholders", "template": "stakeholder-map"},
        {"name": "Ecosystem", "theme": "Quadruple helix", "template": "ecosystem-map"},
        {"name": "Ideas", "theme": "Food", "template": "challenges-ideas-actions"},
    ],
}


@pytest.fixture
def meeting(store):
    """A filled map for Milan (and a Nantes note tagged for Milan), an ecosystem, an idea."""
    workshop = create_workshop(store, MEETING)
    codes = [room["code"] for room in workshop["rooms"]]
    ana, board = person(store, codes[0], "Ana", "Milan")
    groups = [group["id"] for group in board["groups"]]
    notes = {}
    for text, group, color in [("Food bank", 0, "green"), ("Chamber of commerce", 1, "blue"),
                               ("University", 2, "yellow"), ("Schools", 3, "pink"),
                               ("Region  Lombardy", 0, "orange")]:
        notes[text] = act(store, ana, "note.add", text=text, group_id=groups[group],
                          color=color)["note"]
    bo, _ = person(store, codes[0], "Bo", "Nantes")
    tagged = act(store, bo, "note.add", text="Slow Food", group_id=groups[2])["note"]
    act(store, facilitator_actor(workshop["id"]), "note.tag", room=codes[0],
        note_id=tagged["id"], cities=["Milan"])
    act(store, bo, "note.add", text="Nantes metropole", group_id=groups[0])
    eco_ana, eco = person(store, codes[1], "Ana", "Milan")
    act(store, eco_ana, "note.add", text="Municipality", group_id=eco["groups"][0]["id"])
    idea_ana, _ = person(store, codes[2], "Ana", "Milan")
    act(store, idea_ana, "note.add", text="Urban gardens")
    return {**workshop, "codes": codes, "notes": notes, "groups": groups, "tagged": tagged}


def plan(client, key, title="#4 Transnational meeting"):
    answer = client.post(f"/f/{key}/next", json={"title": title})
    assert answer.status_code == 201, answer.json
    return answer.json


def compare(client, key, city="Milan", **refs):
    query = "&".join(f"{name}={value}" for name, value in refs.items())
    return client.get(f"/f/{key}/cities/{city}/stakeholders/compare.json?{query}")


def board_of(store, code):
    from facilitation.boards import snapshot
    from facilitation.workshops import find_room
    with store.read() as db:
        return snapshot(db, find_room(db, code))


# Templates -----------------------------------------------------------------------------------

def test_ecosystem_map_is_the_four_sectors_of_the_quadruple_helix(store):
    workshop = create_workshop(store, {"title": "T", "cities": ["Milan"], "rooms": [
        {"name": "R", "theme": "T", "template": "ecosystem-map"}]})
    board = board_of(store, workshop["rooms"][0]["code"])
    assert [g["name"] for g in board["groups"]] == ["Public", "Private", "Civic society",
                                                     "Knowledge"]
    assert board["room"]["map"]["areas"] == ["tl", "tr", "bl", "br"]
    assert board["room"]["map"]["axes"] is None


def test_both_map_templates_are_declared_in_one_place():
    assert sorted(MAPS) == ["ecosystem-map", "stakeholder-map"]
    assert all(is_map(t) for t in MAPS) and not is_map("themes") and not is_map("blank")
    assert all(t in TEMPLATES and len(TEMPLATES[t][1]) == 4 for t in MAPS)
    assert CARRY_FORWARD >= set(MAPS) and not carries_forward("challenges-ideas-actions")
    # A map with a fifth group is no longer a 2×2: it is drawn as columns.
    assert map_layout("stakeholder-map", 4)["axes"] == {"y": "Influence", "x": "Interest"}
    assert map_layout("stakeholder-map", 5) is None and map_layout("themes", 4) is None


def test_a_room_tells_clients_how_to_draw_its_map(store, meeting):
    board = board_of(store, meeting["codes"][0])
    assert board["room"]["map"]["areas"] == ["tr", "tl", "br", "bl"]
    assert board_of(store, meeting["codes"][2])["room"]["map"] is None
    row = {"code": "c", "name": "n", "theme": "t", "template": "themes", "locked": 0,
           "hidden": 0, "votes_per_participant": None, "timer_deadline": None}
    assert room_state(row)["map"] is None


# The next meeting ----------------------------------------------------------------------------

def test_next_meeting_answers_the_new_workshop_and_what_it_follows(client, store, meeting):
    new = plan(client, meeting["facilitator_key"])
    assert new["follows"] == meeting["id"]
    assert new["title"] == "#4 Transnational meeting" and new["cities"] == CITIES
    assert new["facilitator_key"] != meeting["facilitator_key"]
    assert new["facilitator_url"].endswith(f"/f/{new['facilitator_key']}")
    assert [(r["name"], r["theme"]) for r in new["rooms"]] == [
        (r["name"], r["theme"]) for r in MEETING["rooms"]]
    assert {r["code"] for r in new["rooms"]}.isdisjoint(meeting["codes"])
    assert set(new) == {"id", "title", "cities", "facilitator_key", "facilitator_url",
                        "lobby_code", "lobby_url", "rooms", "follows", "language"}
    # The old key keeps opening the old workshop; the new one opens the new.
    assert "#3 Transnational meeting" in client.get(f"/f/{meeting['facilitator_key']}").text
    assert "#4 Transnational meeting" in client.get(f"/f/{new['facilitator_key']}").text


def test_map_rooms_start_with_the_old_notes_other_rooms_empty(client, store, meeting):
    new = plan(client, meeting["facilitator_key"])
    old_export = client.get(f"/f/{meeting['facilitator_key']}/export.json").json
    new_export = client.get(f"/f/{new['facilitator_key']}/export.json").json
    kept = ("text", "color", "author", "city", "tags", "lineage")
    for old_room, new_room in zip(old_export["rooms"], new_export["rooms"]):
        assert new_room["template"] == old_room["template"]
        assert [g["name"] for g in new_room["groups"]] == [g["name"] for g in old_room["groups"]]
        for old_group, new_group in zip(old_room["groups"], new_room["groups"]):
            if is_map(old_room["template"]):
                assert [{k: n[k] for k in kept} for n in new_group["notes"]] == [
                    {k: n[k] for k in kept} for n in old_group["notes"]]
            else:
                assert new_group["notes"] == []
    copied = [n for g in new_export["rooms"][0]["groups"] for n in g["notes"]]
    assert {n["text"] for n in copied} >= {"Food bank", "Slow Food"}
    assert next(n for n in copied if n["text"] == "Slow Food")["tags"] == ["Milan"]
    # The old boards are untouched.
    assert sum(len(g["notes"]) for g in old_export["rooms"][2]["groups"]) == 1


def test_the_old_workshop_is_saved_before_the_next_meeting(client, store, meeting):
    plan(client, meeting["facilitator_key"], "#4 Transnational meeting")
    page = client.get(f"/f/{meeting['facilitator_key']}/cities/Milan/snapshots").text
    assert "Before #4 Transnational meeting" in page
    long_title = "A" * 120
    new = plan(client, meeting["facilitator_key"], long_title)
    answer = compare(client, new["facilitator_key"], **{"from": "previous", "to": "live"})
    assert answer.json["from"]["name"].startswith("Before AAAA")
    assert len(answer.json["from"]["name"]) == 80


def test_copied_notes_can_be_edited_by_the_facilitator_and_new_notes_start_a_lineage(
        client, store, meeting):
    new = plan(client, meeting["facilitator_key"])
    code = new["rooms"][0]["code"]
    board = board_of(store, code)
    food = next(n for n in board["notes"] if n["text"] == "Food bank")
    act(store, facilitator_actor(new["id"]), "note.update", room=code, note_id=food["id"],
        text="Milan Food Bank")
    ana, _ = person(store, code, "Ana", "Milan")
    act(store, ana, "note.add", text="Food bank")  # same text as before, a fresh note
    lineages = [n["lineage"] for g in client.get(
        f"/f/{new['facilitator_key']}/export.json").json["rooms"][0]["groups"]
        for n in g["notes"]]
    assert len(lineages) == len(set(lineages))


def test_next_meeting_by_form_redirects_to_the_new_console(client, meeting):
    key = meeting["facilitator_key"]
    form = client.get(f"/f/{key}/next")
    assert form.status_code == 200 and "Plan the next meeting" in form.text
    assert "Starts empty." in form.text
    answer = client.post(f"/f/{key}/next", data={"title": "#4 Meeting"})
    assert answer.status_code == 303
    new_key = answer.headers["Location"].rsplit("/f/", 1)[1]
    assert new_key != key and "#4 Meeting" in client.get(f"/f/{new_key}").text


@pytest.mark.parametrize("body", [{"title": ""}, {"title": "x" * 121}, {}, {"title": 3}, []])
def test_a_bad_title_is_refused_and_creates_nothing(client, store, meeting, body):
    answer = client.post(f"/f/{meeting['facilitator_key']}/next", json=body)
    assert answer.status_code == 400 and answer.json["error"]
    form = client.post(f"/f/{meeting['facilitator_key']}/next", data={"title": "   "})
    assert form.status_code == 400 and "Workshop title cannot be empty." in form.text
    with store.read() as db:
        assert db["workshops"].count == 1 and db["snapshots"].count == 0


def test_next_meeting_needs_the_facilitator_key(client, meeting):
    assert client.post("/f/wrong/next", json={"title": "x"}).status_code == 403
    assert client.get("/f/wrong/next").status_code == 403


def test_closed_rooms_are_not_carried(client, store, meeting):
    act(store, facilitator_actor(meeting["id"]), "room.close", room=meeting["codes"][2])
    new = plan(client, meeting["facilitator_key"])
    assert [r["name"] for r in new["rooms"]] == ["Map", "Ecosystem"]


# The register --------------------------------------------------------------------------------

def test_register_counts_a_citys_stakeholders_by_map_and_quadrant(client, meeting):
    reg = client.get(f"/f/{meeting['facilitator_key']}/cities/Milan/stakeholders.json").json
    assert reg["city"] == "Milan" and reg["count"] == 7
    stakeholder, ecosystem = reg["maps"]
    assert stakeholder["template"] == "stakeholder-map" and stakeholder["count"] == 6
    counts = {g["name"]: g["count"] for g in stakeholder["groups"]}
    assert counts == {"Manage closely": 2, "Keep satisfied": 1, "Keep informed": 2,
                      "Monitor": 1}
    informed = next(g for g in stakeholder["groups"] if g["name"] == "Keep informed")
    assert {s["text"] for s in informed["stakeholders"]} == {"University", "Slow Food"}
    assert stakeholder["flags"] == []
    assert ecosystem["template"] == "ecosystem-map" and ecosystem["count"] == 1
    assert ecosystem["empty"] == ["Private", "Civic society", "Knowledge"]
    assert "No Knowledge partner yet" in ecosystem["flags"]


def test_register_page_and_csv(client, meeting):
    key = meeting["facilitator_key"]
    page = client.get(f"/f/{key}/cities/Milan/stakeholders")
    assert page.status_code == 200
    assert "No Knowledge partner yet" in page.text and "Region  Lombardy" in page.text
    assert "Nantes metropole" not in page.text
    body = client.get(f"/f/{key}/cities/Milan/stakeholders.csv").data
    assert body.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 7
    assert {"Map": "Stakeholder map (influence × interest)", "Quadrant or sector": "Monitor",
            "Stakeholder": "Schools", "Room": "Map", "Author": "Ana", "City": "Milan",
            "Also for cities": ""} in rows
    assert client.get(f"/f/{key}/cities/Paris/stakeholders").status_code == 404
    assert client.get(f"/f/{key}/cities/Milan/stakeholders.xml").status_code == 404
    assert client.get("/f/wrong/cities/Milan/stakeholders.json").status_code == 403


def test_register_of_a_workshop_without_maps(client, workshop):
    key = workshop["facilitator_key"]
    assert client.get(f"/f/{key}/cities/Milan/stakeholders.json").json["maps"] == []
    assert "No map room in this workshop" in client.get(f"/f/{key}/cities/Milan/stakeholders").text


# Compare -------------------------------------------------------------------------------------

def change_the_map(store, new):
    """Rename one, move one, delete one, add one (as the issue's flow)."""
    code = new["rooms"][0]["code"]
    board = board_of(store, code)
    by_text = {n["text"]: n for n in board["notes"]}
    groups = [g["id"] for g in board["groups"]]
    facilitator = facilitator_actor(new["id"])
    act(store, facilitator, "note.update", room=code, note_id=by_text["Food bank"]["id"],
        text="Milan Food Bank")
    act(store, facilitator, "note.move", room=code, note_id=by_text["University"]["id"],
        group_id=groups[0])
    act(store, facilitator, "note.delete", room=code, note_id=by_text["Schools"]["id"])
    ana, _ = person(store, code, "Ana", "Milan")
    act(store, ana, "note.add", text="Farmers' cooperative", group_id=groups[3])


def test_two_meetings_compare_shows_exactly_the_four_changes(client, store, meeting):
    new = plan(client, meeting["facilitator_key"])
    change_the_map(store, new)
    answer = compare(client, new["facilitator_key"], **{"from": "previous", "to": "live"})
    assert answer.status_code == 200
    result = answer.json
    assert list(result) == ["city", "from", "to", "added", "removed", "moved", "unchanged"]
    assert result["city"] == "Milan"
    assert result["from"]["ref"] == "previous"
    assert result["from"]["name"] == "Before #4 Transnational meeting"
    assert result["from"]["saved_at"].endswith("Z")
    assert result["to"] == {"ref": "live", "name": None, "saved_at": None}
    assert result["added"] == [{"text": "Farmers' cooperative", "group": "Monitor",
                                "template": "stakeholder-map"}]
    assert result["removed"] == [{"text": "Schools", "group": "Monitor",
                                  "template": "stakeholder-map"}]
    assert result["moved"] == [{"text": "University", "from_group": "Keep informed",
                                "to_group": "Manage closely", "template": "stakeholder-map"}]
    # The renamed stakeholder is the same one: unchanged, with its newer text.
    assert {"text": "Milan Food Bank", "group": "Manage closely",
            "template": "stakeholder-map"} in result["unchanged"]
    texts = [item["text"] for item in result["unchanged"]]
    assert texts == sorted(texts, key=str.casefold)
    assert "Food bank" not in texts and len(texts) == 5  # incl. the tagged Slow Food


def test_a_moved_and_renamed_stakeholder_is_moved_with_its_newer_text(client, store, meeting):
    new = plan(client, meeting["facilitator_key"])
    code = new["rooms"][0]["code"]
    board = board_of(store, code)
    food = next(n for n in board["notes"] if n["text"] == "Food bank")
    facilitator = facilitator_actor(new["id"])
    act(store, facilitator, "note.update", room=code, note_id=food["id"], text="Banco alimentare")
    act(store, facilitator, "note.move", room=code, note_id=food["id"],
        group_id=board["groups"][3]["id"])
    result = compare(client, new["facilitator_key"], **{"from": "previous"}).json
    assert result["moved"] == [{"text": "Banco alimentare", "from_group": "Manage closely",
                                "to_group": "Monitor", "template": "stakeholder-map"}]
    assert result["added"] == [] and result["removed"] == []


def test_text_differing_only_in_case_and_spaces_is_the_same_stakeholder(client, store, meeting):
    key = meeting["facilitator_key"]
    snapshot = save_snapshot(store, meeting["id"], "Morning")
    code = meeting["codes"][0]
    facilitator = facilitator_actor(meeting["id"])
    # Deleted and written again by someone else: a new lineage, the same stakeholder.
    act(store, facilitator, "note.delete", room=code, note_id=meeting["notes"]["Region  Lombardy"]["id"])
    cy, _ = person(store, code, "Cy", "Milan")
    act(store, cy, "note.add", text="  region LOMBARDY ", group_id=meeting["groups"][0])
    result = compare(client, key, **{"from": f"snapshot:{snapshot['id']}", "to": "live"}).json
    assert result["added"] == [] and result["removed"] == [] and result["moved"] == []
    assert {"text": "region LOMBARDY", "group": "Manage closely",
            "template": "stakeholder-map"} in result["unchanged"]
    assert result["from"] == {"ref": f"snapshot:{snapshot['id']}", "name": "Morning",
                              "saved_at": snapshot["saved_at"]}


def test_a_tagged_note_is_the_citys_and_untagging_removes_it(client, store, meeting):
    key = meeting["facilitator_key"]
    snapshot = save_snapshot(store, meeting["id"], "Tagged")
    result = compare(client, key, **{"from": f"snapshot:{snapshot['id']}"}).json
    assert {"text": "Slow Food", "group": "Keep informed",
            "template": "stakeholder-map"} in result["unchanged"]
    assert "Nantes metropole" not in json.dumps(result)
    act(store, facilitator_actor(meeting["id"]), "note.tag", room=meeting["codes"][0],
        note_id=meeting["tagged"]["id"], cities=[])
    result = compare(client, key, **{"from": f"snapshot:{snapshot['id']}"}).json
    assert result["removed"] == [{"text": "Slow Food", "group": "Keep informed",
                                  "template": "stakeholder-map"}]
    nantes = compare(client, key, city="Nantes", **{"from": f"snapshot:{snapshot['id']}"}).json
    assert [i["text"] for i in nantes["unchanged"]] == ["Nantes metropole", "Slow Food"]


def test_the_same_text_on_two_maps_is_two_stakeholders(client, store, meeting):
    snapshot = save_snapshot(store, meeting["id"], "Before")
    eco_ana, eco = person(store, meeting["codes"][1], "Ana", "Milan")
    act(store, eco_ana, "note.add", text="Food bank", group_id=eco["groups"][2]["id"])
    result = compare(client, meeting["facilitator_key"],
                     **{"from": f"snapshot:{snapshot['id']}"}).json
    assert result["added"] == [{"text": "Food bank", "group": "Civic society",
                                "template": "ecosystem-map"}]


@pytest.mark.parametrize("refs", [
    {"from": "snapshot:nope"}, {"from": "yesterday"}, {"to": "snapshot:"},
    {"from": "previous"},
])
def test_unknown_refs_are_404(client, meeting, refs):
    answer = compare(client, meeting["facilitator_key"], **refs)
    assert answer.status_code == 404 and answer.json["error"]
    page = client.get(f"/f/{meeting['facilitator_key']}/cities/Milan/stakeholders/compare",
                      query_string=refs)
    assert page.status_code == 404 and answer.json["error"] in html.unescape(page.text)


def test_previous_without_a_previous_meeting_says_so(client, meeting):
    answer = compare(client, meeting["facilitator_key"], **{"from": "previous"})
    assert answer.status_code == 404
    assert "follows no earlier meeting" in answer.json["error"]


def test_another_workshops_snapshot_is_404(client, store, meeting, workshop):
    theirs = save_snapshot(store, workshop["id"], "Theirs")
    answer = compare(client, meeting["facilitator_key"], **{"from": f"snapshot:{theirs['id']}"})
    assert answer.status_code == 404


def test_a_city_with_no_map_gets_empty_lists_and_a_line_saying_so(client, store, workshop):
    key = workshop["facilitator_key"]
    answer = compare(client, key, **{"from": "live", "to": "live"}).json
    assert [answer[k] for k in ("added", "removed", "moved", "unchanged")] == [[], [], [], []]
    page = client.get(f"/f/{key}/cities/Milan/stakeholders/compare?from=live&to=live")
    assert page.status_code == 200 and "No map to compare" in page.text
    assert "+0 added" in page.text


def test_compare_page_marks_each_change_under_the_summary(client, store, meeting):
    new = plan(client, meeting["facilitator_key"])
    change_the_map(store, new)
    page = client.get(f"/f/{new['facilitator_key']}/cities/Milan/stakeholders/compare").text
    assert "+1 added" in page and "1 removed" in page and "1 moved" in page
    assert "← from Keep informed" in page and "was “Food bank”" in page
    assert "<s class=\"map-item-text\">Schools</s>" in page
    # Each map is its grid: Manage closely top right, Keep satisfied top left...
    assert page.count('class="map-part area-') == 8
    assert page.index("area-tr") < page.index("Manage closely") < page.index("area-tl")
    assert "Influence →" in page and "Interest →" in page


def test_compare_defaults_to_the_previous_meeting_and_live(client, store, meeting):
    new = plan(client, meeting["facilitator_key"])
    answer = client.get(f"/f/{new['facilitator_key']}/cities/Milan/stakeholders/compare.json")
    assert answer.json["from"]["ref"] == "previous" and answer.json["to"]["ref"] == "live"


def test_compare_still_works_after_export_and_import(app, client, store, meeting):
    new = plan(client, meeting["facilitator_key"])
    exported = client.get(f"/f/{new['facilitator_key']}/export.json").json
    imported = client.post("/api/import", json=exported)
    assert imported.status_code == 201
    again = client.get(f"/f/{imported.json['facilitator_key']}/export.json").json
    lineages = [[n["lineage"] for g in r["groups"] for n in g["notes"]] for r in exported["rooms"]]
    assert lineages == [[n["lineage"] for g in r["groups"] for n in g["notes"]]
                        for r in again["rooms"]]
    # The imported copy is compared with the old meeting's notes: renames match by lineage.
    from facilitation.stakeholders import compare as compare_data
    old = client.get(f"/f/{meeting['facilitator_key']}/export.json").json
    for room in again["rooms"]:
        for group in room["groups"]:
            for note in group["notes"]:
                note["text"] = note["text"].upper() + " (renamed)"
    result = compare_data(old, again, "Milan")
    assert result["added"] == [] and result["removed"] == [] and len(result["unchanged"]) == 7


# Exports of maps -----------------------------------------------------------------------------

def test_printable_exports_draw_a_map_as_its_grid(client, store, meeting):
    key = meeting["facilitator_key"]
    room = client.get(f"/r/{meeting['codes'][0]}/export.html").text
    assert room.count("report-quadrant") == 4 and "Influence →" in room
    order = [room.index(f"area-{area}") for area in ("tr", "tl", "br", "bl")]
    assert order == sorted(order)  # Manage closely, Keep satisfied, Keep informed, Monitor
    city = client.get(f"/f/{key}/cities/Milan/export.html").text
    assert city.count("report-quadrant") == 8  # both maps, empty sectors too
    ideas = client.get(f"/r/{meeting['codes'][2]}/export.html").text
    assert "report-quadrant" not in ideas
    snapshot = save_snapshot(store, meeting["id"], "Saved")
    saved = client.get(f"/f/{key}/snapshots/{snapshot['id']}/cities/Milan/export.html").text
    assert saved.count("report-quadrant") == 8


def test_csv_and_json_keep_the_group_and_a_citys_map_keeps_its_quadrants(client, meeting):
    key = meeting["facilitator_key"]
    data = client.get(f"/f/{key}/cities/Milan/export.json").json
    eco = next(r for r in data["rooms"] if r["template"] == "ecosystem-map")
    assert [g["name"] for g in eco["groups"]] == ["Public", "Private", "Civic society",
                                                   "Knowledge"]
    ideas = next(r for r in data["rooms"] if r["template"] == "challenges-ideas-actions")
    assert [g["name"] for g in ideas["groups"]] == ["Challenges"]
    assert all(n["lineage"] for r in data["rooms"] for g in r["groups"] for n in g["notes"])
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/f/{key}/cities/Milan/export.csv").data.decode("utf-8-sig"))))
    assert {"Food bank": "Manage closely", "Municipality": "Public"}.items() <= {
        row["Note"]: row["Group"] for row in rows}.items()


def test_city_page_draws_a_map_room_as_its_grid_and_snapshots_link_to_compare(
        client, store, meeting):
    key = meeting["facilitator_key"]
    page = client.get(f"/f/{key}/cities/Milan").text
    assert page.count('class="map-part area-') == 8 and "Influence →" in page
    assert f"/f/{key}/cities/Milan/stakeholders" in page
    snapshot = save_snapshot(store, meeting["id"], "Morning")
    history = client.get(f"/f/{key}/cities/Milan/snapshots").text
    link = f"/f/{key}/cities/Milan/stakeholders/compare?from=snapshot:{snapshot['id']}&amp;to=live"
    assert link in history.replace("%3A", ":")
