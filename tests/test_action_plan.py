"""A city's action plan: the page, csv, json and xlsx."""

import codecs
import csv
import io
import uuid

import pytest
from openpyxl import load_workbook

from facilitation.facilitator import facilitator_actor
from facilitation.ops import run_op
from facilitation.participants import join as join_room
from facilitation.workshops import create_workshop

PLAN = {
    "title": "Action planning",
    "cities": ["Milan", "Nantes", "Łódź"],
    "rooms": [{"name": "Milan actions", "theme": "Food", "template": "action-table"},
              {"name": "Kick-off", "theme": "Ideas", "template": "challenges-ideas-actions"}],
}
HEADERS = ["Action", "Lead", "Key partners", "Intended outputs", "Start month", "End month",
           "Resources",
           "Status", "Room", "Votes", "Author"]


def join(store, payload):
    """Join a room through the domain; return (actor, participant, the board)."""
    actor, participant, answer = join_room(store, payload)
    return actor, participant, answer["board"]


def ok(store, actor, type_, **fields):
    ack = run_op(store, actor, {"type": type_, "op_id": str(uuid.uuid4()), **fields}).ack
    assert ack["ok"], ack
    return ack["note"] if "note" in ack else ack


@pytest.fixture
def plan(store):
    workshop = create_workshop(store, PLAN)
    codes = [room["code"] for room in workshop["rooms"]]
    ana, _, board = join(store, {"room": codes[0], "name": "Ana", "city": "Milan"})
    g = [group["id"] for group in board["groups"]]  # Ideas, Planned, In progress, Done
    ok(store, ana, "note.add", text="Compost bins in every school", group_id=g[3])
    ok(store, ana, "note.add", text="Late planned action", group_id=g[1],
       details={"start": "2027-09", "lead": "Parks"})
    ok(store, ana, "note.add", text="=HYPERLINK(\"http://x\")", group_id=g[1],
       details={"start": "2027-02", "end": "2027-06", "lead": "Food policy office",
                "partners": "Canteens", "outputs": "Menus", "resources": "€5k"})
    ok(store, ana, "note.add", text="Weigh leftovers", group_id=g[2])
    ok(store, ana, "note.add", text="Surplus app", group_id=g[0])
    bo, _, board2 = join(store, {"room": codes[1], "name": "Bo", "city": "Nantes"})
    # Outside the action table, a note is an action when it carries details.
    dropped = ok(store, bo, "note.add", text="Nantes dropped idea",
                 details={"status": "dropped"})
    ok(store, bo, "note.add", text="Just a sticky note")
    # Tagged for Milan by the facilitator: it is in Milan's plan too.
    ok(store, facilitator_actor(workshop["id"]), "note.tag", room=codes[1],
       note_id=dropped["id"], cities=["Milan"])
    return {**workshop, "codes": codes}


def get(client, plan, suffix="", city="Milan"):
    response = client.get(f"/f/{plan['facilitator_key']}/cities/{city}/action-plan{suffix}")
    assert response.status_code == 200, response.data
    return response


ORDER = ["Weigh leftovers", "=HYPERLINK(\"http://x\")", "Late planned action", "Surplus app",
         "Compost bins in every school", "Nantes dropped idea"]


def test_json_rows_are_ordered_by_status_then_start(client, plan):
    data = get(client, plan, ".json").get_json()
    assert [a["action"] for a in data["actions"]] == ORDER
    assert [a["status"] for a in data["actions"]] == [
        "in-progress", "planned", "planned", "idea", "done", "dropped"]
    first_planned = data["actions"][1]
    assert first_planned["lead"] == "Food policy office" and first_planned["end"] == "2027-06"
    assert first_planned["room"] == "Milan actions" and first_planned["author"] == "Ana (Milan)"
    assert data["actions"][0]["lead"] is None
    assert "Just a sticky note" not in str(data)
    nantes = get(client, plan, ".json", "Nantes").get_json()
    assert [a["action"] for a in nantes["actions"]] == ["Nantes dropped idea"]


def test_page_is_a_table_with_status_pills_in_order(client, plan):
    page = get(client, plan).get_data(as_text=True)
    assert '<table class="plan-table">' in page and "<thead>" in page
    positions = [page.index(text.replace('"', "&#34;")) for text in ORDER]
    assert positions == sorted(positions)
    assert 'class="pill status-in-progress">In progress</span>' in page
    assert "2027-02 → 2027-06" in page


def test_csv_has_the_columns_a_bom_and_no_formulas(client, plan):
    body = get(client, plan, ".csv").data
    assert body.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == ["Weigh leftovers", "'=HYPERLINK(\"http://x\")",
                                           *ORDER[2:]]


def test_xlsx_opens_with_headers_frozen_row_widths_wrap_and_status_dropdown(client, plan):
    response = get(client, plan, ".xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "Action%20plan.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert len(book.worksheets) == 1
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 40
    assert all(sheet.column_dimensions[c].width for c in "ABCDEFGHIJK")
    assert [sheet.cell(row, 1).value for row in range(2, 8)] == ORDER
    formula = sheet.cell(3, 1)
    assert formula.data_type == "s" and formula.value == ORDER[1]  # text, never a formula
    assert sheet.cell(2, 1).alignment.wrap_text
    [validation] = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"Idea,Planned,In progress,Done,Dropped"'
    assert "H2:H" in str(validation.sqref)
    assert sheet.cell(2, 8).value == "In progress"


def test_spreadsheets_follow_the_language_of_the_request(client, plan):
    """?lang=fr: French headings, status words and drop-down; the JSON keys stay as they are."""
    sheet = load_workbook(io.BytesIO(get(client, plan, ".xlsx?lang=fr").data)).active
    headings = [cell.value for cell in sheet[1]]
    assert headings[:4] == ["Action", "Responsable", "Partenaires clés", "Résultats attendus"]
    assert headings[7] == "Statut"
    assert sheet.cell(2, 8).value == "En cours"
    [validation] = sheet.data_validations.dataValidation
    assert validation.formula1 == '"Idée,Prévu,En cours,Terminé,Abandonné"'
    assert sheet.title.endswith("Milan")  # "Plan d’action de Milan"
    rows = list(csv.reader(io.StringIO(get(client, plan, ".csv?lang=pl").data.decode("utf-8-sig"),
                                       newline="")))
    assert rows[0][:3] == ["Działanie", "Lider", "Kluczowi partnerzy"]
    assert rows[1][7] == "W toku"
    data = get(client, plan, ".json?lang=fr").get_json()
    assert data["columns"][:3] == ["action", "lead", "partners"]
    assert data["actions"][0]["status"] == "in-progress"


def test_page_follows_the_language_of_the_request(client, plan):
    page = get(client, plan, "?lang=pl").get_data(as_text=True)
    assert '<html lang="pl"' in page
    assert 'class="pill status-in-progress">W toku</span>' in page
    assert "Plan działania" in page and ">Kluczowi partnerzy</th>" in page
    shown = page.split('<script type="application/json"')[0]  # not the browser's catalogue
    assert "Key partners" not in shown and "Take it home" not in shown


def test_action_plan_needs_the_key_and_a_city_of_the_workshop(client, plan):
    assert client.get(f"/f/nope/cities/Milan/action-plan").status_code == 403
    assert client.get(f"/f/{plan['facilitator_key']}/cities/Oslo/action-plan").status_code == 404
    assert client.get(
        f"/f/{plan['facilitator_key']}/cities/Milan/action-plan.pdf").status_code == 404


def test_city_page_links_to_its_action_plan(client, plan):
    page = client.get(f"/f/{plan['facilitator_key']}/cities/Milan").get_data(as_text=True)
    assert "/cities/Milan/action-plan" in page


def test_since_then_shows_new_dropped_status_and_date_changes(store, client, plan):
    key = plan["facilitator_key"]
    saved = client.post(f"/f/{key}/snapshots", json={"name": "Meeting #4"}).get_json()
    ana, _, board = join(store, {"room": plan["codes"][0], "name": "Ana", "city": "Milan"})
    fac = facilitator_actor(plan["id"])  # edits anyone's notes
    room = plan["codes"][0]
    by_text = {note["text"]: note for note in board["notes"]}
    g = [group["id"] for group in board["groups"]]
    # Planned -> In progress (the move sets the status), and renamed: still the same action.
    moved = by_text["Late planned action"]
    ok(store, ana, "note.move", note_id=moved["id"], group_id=g[2])
    ok(store, fac, "note.update", room=room, note_id=moved["id"],
       text="Late planned action, now started", details={"end": "2028-03"})
    ok(store, fac, "note.delete", room=room,
       note_id=by_text["Compost bins in every school"]["id"])
    ok(store, fac, "note.update", room=room, note_id=by_text["Surplus app"]["id"],
       details={"status": "dropped"})
    ok(store, ana, "note.add", text="Brand new action", group_id=g[1])
    data = get(client, plan, f".json?from=snapshot:{saved['id']}").get_json()
    since = data["since"]
    assert since["from"] == {"ref": f"snapshot:{saved['id']}", "name": "Meeting #4",
                             "saved_at": saved["saved_at"]}
    assert [a["action"] for a in since["new"]] == ["Brand new action"]
    assert sorted(a["action"] for a in since["dropped"]) == ["Compost bins in every school",
                                                            "Surplus app"]
    assert {(c["action"], c["from"], c["to"]) for c in since["status_changes"]} == {
        ("Late planned action, now started", "planned", "in-progress"),
        ("Surplus app", "idea", "dropped")}
    assert since["date_changes"] == [{"action": "Late planned action, now started",
                                      "from": {"start": "2027-09", "end": None},
                                      "to": {"start": "2027-09", "end": "2028-03"}}]
    page = get(client, plan, f"?from=snapshot:{saved['id']}").get_data(as_text=True)
    assert "Since Meeting #4" in page and "+1 new · 2 dropped · 2 status changes" in page
    assert "Brand new action" in page and "2027-09 → 2028-03" in page
    # Without ?from= there is no "since" at all.
    assert "since" not in get(client, plan, ".json").get_json()


def test_since_then_with_an_unknown_moment_says_why(client, plan):
    key = plan["facilitator_key"]
    base = f"/f/{key}/cities/Milan/action-plan"
    answer = client.get(base + ".json?from=snapshot:nope")
    assert answer.status_code == 404 and "snapshot" in answer.get_json()["error"]
    previous = client.get(base + ".json?from=previous")
    assert previous.status_code == 404 and "follows no earlier" in previous.get_json()["error"]
    assert client.get(base + "?from=previous").status_code == 404


def test_the_next_meeting_carries_the_action_table_and_compares_with_previous(store, client,
                                                                               plan):
    answer = client.post(f"/f/{plan['facilitator_key']}/next", json={"title": "Meeting #6"})
    assert answer.status_code == 201, answer.data
    following = answer.get_json()
    new_key = following["facilitator_url"].rsplit("/", 1)[1]
    carried = client.get(f"/f/{new_key}/cities/Milan/action-plan.json").get_json()
    table_rows = [a for a in carried["actions"] if a["room"] == "Milan actions"]
    assert [a["action"] for a in table_rows] == [a for a in ORDER if a != "Nantes dropped idea"]
    assert table_rows[1]["lead"] == "Food policy office"
    same = client.get(f"/f/{new_key}/cities/Milan/action-plan.json?from=previous").get_json()
    since = same["since"]
    assert since["from"]["ref"] == "previous"
    assert (since["status_changes"], since["date_changes"], since["new"]) == ([], [], [])
    # The challenges room does not carry over: its action left the plan.
    assert [a["action"] for a in since["dropped"]] == ["Nantes dropped idea"]
    # The carried table still sets statuses by group.
    room = following["rooms"][0]["code"]
    fac = facilitator_actor(following["id"])
    with store.read() as db:
        note_id, group_id = db.execute(
            "SELECT n.id, (SELECT g.id FROM note_groups g WHERE g.room_id = n.room_id AND "
            "g.name = 'Done') FROM notes n JOIN rooms r ON r.id = n.room_id "
            "WHERE r.code = ? AND n.text = 'Surplus app'", [room]).fetchone()
    assert ok(store, fac, "note.move", room=room, note_id=note_id,
              group_id=group_id)["details"]["status"] == "done"
