"""Board exports, city pages and note tags: what a city takes home after the breakouts."""

import codecs
import csv
import io
import json
import uuid
import zipfile
from urllib.parse import unquote

import pytest
from markupsafe import escape

from facilitation.errors import Refused
from facilitation.exports import spreadsheet_safe
from facilitation.facilitator import facilitator_actor
from facilitation.ops import run_op
from facilitation.participants import join
from facilitation.workshops import create_workshop

CITIES = ["Milan", "Nantes", "Łódź", "São Paulo"]
THREE_ROOMS = {
    "title": "Cities network kick-off",
    "cities": CITIES,
    "rooms": [
        {"name": "Room 1", "theme": "Environment & Food", "template": "challenges-ideas-actions"},
        {"name": "Room / 2", "theme": "Social policies"},
        {"name": "Room 3", "theme": "Stakeholder map", "template": "stakeholder-map"},
    ],
}
TRICKY = 'Bikes, "safe" lanes\nand cargo bikes, for all'
FORMULA = "=HYPERLINK(\"http://evil.example\",\"click\")"


def person(store, code, name, city):
    """Join a room through the domain; return (actor, board)."""
    actor, _, caught_up = join(store, {"room": code, "name": name, "city": city})
    return actor, caught_up["board"]


def act(store, actor, type_, **fields):
    """Send one op through the pipeline; it must succeed."""
    ack = run_op(store, actor, {"type": type_, "op_id": str(uuid.uuid4()), **fields}).ack
    assert ack["ok"], ack
    return ack


@pytest.fixture
def three_rooms(store):
    """Notes in three rooms from Milan, Nantes and Łódź; one Nantes note tagged for Milan."""
    workshop = create_workshop(store, THREE_ROOMS)
    codes = [room["code"] for room in workshop["rooms"]]
    ana, board = person(store, codes[0], "Ana", "Milan")
    act(store, ana, "note.add", text="Łódź-style urban gardens à la française", color="green")
    act(store, ana, "note.add", text=TRICKY, group_id=board["groups"][1]["id"])
    act(store, ana, "note.add", text=FORMULA, group_id=board["groups"][2]["id"])
    bo, _ = person(store, codes[1], "Bo", "Nantes")
    act(store, bo, "note.add", text="Social housing first")
    named = act(store, bo, "note.add", text="Stakeholder: Milan food council")["note"]
    cy, _ = person(store, codes[2], "Cy", "Łódź")
    act(store, cy, "note.add", text="City council", color="blue")
    ana3, _ = person(store, codes[2], "Ana", "Milan")
    act(store, ana3, "note.add", text="Milan chamber of commerce")
    act(store, facilitator_actor(workshop["id"]), "note.tag", room=codes[1],
        note_id=named["id"], cities=["Milan"])
    return {**workshop, "codes": codes}


def csv_rows(body):
    assert body.startswith(codecs.BOM_UTF8)  # Excel reads the accents as UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_room_csv_reads_back_with_accents_commas_quotes_and_newlines(client, three_rooms):
    answer = client.get(f"/r/{three_rooms['codes'][0]}/export.csv")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    rows = csv_rows(answer.data)
    assert [row["Note"] for row in rows] == [
        "Łódź-style urban gardens à la française", TRICKY, "'" + FORMULA]
    first = rows[0]
    assert (first["Workshop"], first["Room"], first["Theme"], first["Group"]) == (
        "Cities network kick-off", "Room 1", "Environment & Food", "Challenges")
    assert (first["Author"], first["City"], first["Votes"]) == ("Ana", "Milan", "0")
    assert first["Created (UTC)"][:2] == "20" and len(first["Updated (UTC)"]) == 19


@pytest.mark.parametrize("text", ["=1+1", "+33 1 23", "-5% CO2 by 2030", "@SUM(A1)"])
def test_every_cell_that_looks_like_a_formula_is_neutralised(store, client, text):
    workshop = create_workshop(store, {"title": text, "cities": ["Milan"],
                                       "rooms": [{"name": text, "theme": text}]})
    code = workshop["rooms"][0]["code"]
    actor, _ = person(store, code, text, "Milan")
    act(store, actor, "note.add", text=text)
    [row] = csv_rows(client.get(f"/r/{code}/export.csv").data)
    for column in ("Workshop", "Room", "Theme", "Note", "Author"):
        assert row[column] == "'" + text, column
    # Text is trimmed when stored, but a cell starting with a tab or CR is neutralised too.
    assert [spreadsheet_safe(cell) for cell in ["\t=1", "\r=1", "a=1", 3]] == [
        "'\t=1", "'\r=1", "a=1", 3]


def test_room_json_is_versioned_and_holds_the_board_without_secrets(client, three_rooms):
    answer = client.get(f"/r/{three_rooms['codes'][1]}/export.json")
    data = answer.get_json()
    assert data["format"] == 1 and data["kind"] == "room"
    assert data["workshop"]["cities"] == CITIES
    [room] = data["rooms"]
    assert (room["name"], room["theme"], room["template"]) == ("Room / 2", "Social policies",
                                                               "blank")
    notes = room["groups"][0]["notes"]
    assert [(n["text"], n["author"], n["city"], n["tags"]) for n in notes] == [
        ("Social housing first", "Bo", "Nantes", []),
        ("Stakeholder: Milan food council", "Bo", "Nantes", ["Milan"])]
    for secret in [three_rooms["facilitator_key"], three_rooms["codes"][1],
                   three_rooms["lobby_code"]]:
        assert secret not in answer.get_data(as_text=True)


def test_markdown_has_groups_as_headings_and_a_note_cannot_inject(store, client, three_rooms):
    code = three_rooms["codes"][0]
    actor, _ = person(store, code, "Eve [x](http://evil.example)", "Nantes")
    act(store, actor, "note.add",
        text="# Not a heading\n- not an item\n[click](http://evil.example) <b>bold</b> *x*")
    text = client.get(f"/r/{code}/export.md").get_data(as_text=True)
    lines = text.splitlines()
    assert lines[0] == "# Room 1: Environment & Food"
    assert [line for line in lines if line.startswith("#")] == [
        "# Room 1: Environment & Food", "## Challenges", "## Ideas", "## Actions"]
    assert "- Łódź-style urban gardens à la française — *Ana, Milan*" in lines
    injected = text[text.index("\\# Not a heading"):]
    assert injected.startswith("\\# Not a heading\\\n  \\- not an item\\\n  "
                               "\\[click\\](http://evil.example) \\<b\\>bold\\</b\\> \\*x\\*")
    assert "*Eve \\[x\\](http://evil.example), Nantes*" in injected
    assert "<b>" not in text and "](" not in text.replace("\\](", "")


def test_printable_page_escapes_text_and_prints_the_sticky_colours(store, client, three_rooms):
    code = three_rooms["codes"][0]
    actor, _ = person(store, code, "Mallory", "Nantes")
    act(store, actor, "note.add", text="<script>alert(1)</script>", color="pink")
    answer = client.get(f"/r/{code}/export.html")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and answer.headers["Content-Disposition"].startswith(
        "inline;")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<link rel="stylesheet" href="/static/css/print.css">' in page
    assert "<style" not in page and "style=" not in page  # CSP: styles from files only
    assert 'class="report-note note-pink"' in page and "Challenges" in page
    with client.get("/static/css/print.css") as answer:
        css = answer.get_data(as_text=True)
    assert "@media print" in css and "print-color-adjust: exact" in css


@pytest.mark.parametrize(("city", "ascii_name", "utf8_name"), [
    ("Łódź", "Cities network kick-off - Lodz.csv", "Cities network kick-off - Łódź.csv"),
    ("São Paulo", "Cities network kick-off - Sao Paulo.csv",
     "Cities network kick-off - São Paulo.csv"),
])
def test_city_file_names_are_readable_and_safe(client, three_rooms, city, ascii_name, utf8_name):
    answer = client.get(f"/f/{three_rooms['facilitator_key']}/cities/{city}/export.csv")
    header = answer.headers["Content-Disposition"]
    assert header.startswith(f'attachment; filename="{ascii_name}"; ')
    assert header.isascii()
    encoded = header.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == utf8_name


def test_room_file_name_has_no_slash(client, three_rooms):
    header = client.get(f"/r/{three_rooms['codes'][1]}/export.md").headers["Content-Disposition"]
    assert 'filename="Cities network kick-off - Room _ 2.md"' in header
    assert unquote(header.split("filename*=UTF-8''")[1]) == (
        "Cities network kick-off - Room _ 2.md")
    assert "/" not in header.split("filename*=")[1]


def test_city_page_gathers_three_rooms_and_leaves_out_other_cities(client, three_rooms):
    page = client.get(f"/f/{three_rooms['facilitator_key']}/cities/Milan")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in ["Łódź-style urban gardens", "Bikes, &#34;safe&#34; lanes",
                 "Stakeholder: Milan food council", "Milan chamber of commerce"]:
        assert text in html
    assert "Social housing first" not in html and "City council" not in html
    for theme in ["Environment &amp; Food", "Social policies", "Stakeholder map"]:
        assert theme in html
    assert "Tagged for Milan" in html  # the Nantes note is there because it was tagged
    for fmt in ["csv", "json", "md", "html"]:
        assert f"/cities/Milan/export.{fmt}" in html


def test_city_exports_hold_only_that_citys_notes(client, three_rooms):
    key = three_rooms["facilitator_key"]
    rows = csv_rows(client.get(f"/f/{key}/cities/Milan/export.csv").data)
    assert {(row["Room"], row["City"]) for row in rows} == {
        ("Room 1", "Milan"), ("Room / 2", "Nantes"), ("Room 3", "Milan")}
    data = client.get(f"/f/{key}/cities/Łódź/export.json").get_json()
    assert data["kind"] == "city" and data["city"] == "Łódź"
    assert [[n["text"] for g in r["groups"] for n in g["notes"]] for r in data["rooms"]] == [
        ["City council"]]
    md = client.get(f"/f/{key}/cities/Nantes/export.md").get_data(as_text=True)
    assert "Social housing first" in md and "Ana" not in md
    empty = client.get(f"/f/{key}/cities/São Paulo").get_data(as_text=True)
    assert "No notes for São Paulo yet" in empty


def test_workshop_zip_holds_every_room_and_city_in_every_format(client, three_rooms):
    answer = client.get(f"/f/{three_rooms['facilitator_key']}/export.zip")
    assert answer.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    names = set(archive.namelist())
    top = "Cities network kick-off/"
    for fmt in ["csv", "json", "md", "html"]:
        assert top + f"workshop.{fmt}" in names
        for room in ["01 Room 1", "02 Room _ 2", "03 Room 3"]:
            assert f"{top}rooms/{room}.{fmt}" in names
        for city in CITIES:
            assert f"{top}cities/{city}.{fmt}" in names
    assert top + "print.css" in names
    page = archive.read(top + "cities/Milan.html").decode()
    assert 'href="../print.css"' in page and "Milan chamber of commerce" in page
    whole = json.loads(archive.read(top + "workshop.json"))
    assert whole["kind"] == "workshop" and len(whole["rooms"]) == 3
    # Each note is made once for the workshop's, its room's and its cities' files (exports.to_zip):
    # every file still holds what the same export on its own holds.
    key = three_rooms["facilitator_key"]
    shown = 0
    for city in CITIES:
        alone = client.get(f"/f/{key}/cities/{city}/export.csv").data
        assert archive.read(f"{top}cities/{city}.csv") == alone
        page = archive.read(f"{top}cities/{city}.html").decode()
        texts = [row["Note"].lstrip("'") for row in csv_rows(alone)]
        assert all(str(escape(text.split("\n")[0])) in page for text in texts)
        shown += len(texts)
    assert shown >= 7  # every note, and the one tagged for Milan twice
    for number, code in enumerate(three_rooms["codes"]):
        name = ["01 Room 1", "02 Room _ 2", "03 Room 3"][number]
        assert archive.read(f"{top}rooms/{name}.csv") == client.get(f"/r/{code}/export.csv").data
        alone = client.get(f"/r/{code}/export.md").get_data(as_text=True)
        items = [line for line in alone.splitlines() if line.startswith(("- ", "  "))]
        in_zip = archive.read(f"{top}rooms/{name}.md").decode().splitlines()
        assert items and [line for line in in_zip if line.startswith(("- ", "  "))] == items


def test_outputs_need_the_facilitator_key_and_room_exports_a_room_code(client, three_rooms):
    key = three_rooms["facilitator_key"]
    wrong = ("y" if key[0] == "x" else "x") + key[1:]  # a key may start with x (1 in 64)
    for path in ["/cities/Milan", "/cities/Milan/export.csv", "/cities/Milan/snapshots",
                 "/export.zip", "/export.json"]:
        assert client.get(f"/f/{key}{path}").status_code == 200, path
        assert client.get(f"/f/{wrong}{path}").status_code == 403, path
    assert client.post(f"/f/{wrong}/snapshots", data={"name": "x"}).status_code == 403
    assert client.get(f"/f/{key}/cities/Rome").status_code == 404
    assert client.get("/r/unknown-code/export.csv").status_code == 404
    assert client.get(f"/r/{three_rooms['codes'][0]}/export.exe").status_code == 404


def test_a_hidden_board_cannot_be_exported_with_the_room_link(store, client, three_rooms):
    code = three_rooms["codes"][0]
    act(store, facilitator_actor(three_rooms["id"]), "room.hide", room=code)
    answer = client.get(f"/r/{code}/export.csv")
    assert answer.status_code == 409 and b"hidden" in answer.data
    assert "urban gardens".encode() not in answer.data
    key = three_rooms["facilitator_key"]  # the facilitator still gets everything
    assert b"urban gardens" in client.get(f"/f/{key}/cities/Milan/export.md").data


def test_only_the_facilitator_tags_notes_with_cities_of_the_workshop(store, three_rooms):
    code = three_rooms["codes"][1]
    bo, _ = person(store, code, "Bo", "Nantes")
    note = act(store, bo, "note.add", text="Port authority")["note"]
    fac = facilitator_actor(three_rooms["id"])
    with pytest.raises(Refused) as refused:
        act(store, bo, "note.tag", room=code, note_id=note["id"], cities=["Milan"])
    assert refused.value.code == "forbidden"
    with pytest.raises(Refused) as unknown:
        act(store, fac, "note.tag", room=code, note_id=note["id"], cities=["Rome"])
    assert unknown.value.code == "invalid" and "Rome is not a city" in unknown.value.message
    tagged = act(store, fac, "note.tag", room=code, note_id=note["id"],
                 cities=["São Paulo", "Milan"])
    assert tagged["note"]["tags"] == ["Milan", "São Paulo"]  # the workshop's order
    assert tagged["note"]["text"] == "Port authority"
    cleared = act(store, fac, "note.tag", room=code, note_id=note["id"], cities=[])
    assert cleared["note"]["tags"] == []
    act(store, fac, "note.tag", room=code, note_id=note["id"], cities=["Łódź"])
    act(store, bo, "note.delete", note_id=note["id"])  # its tags go with it
    with store.read() as db:
        assert db.execute("SELECT count(*) FROM note_tags WHERE note_id = ?",
                          [note["id"]]).fetchone() == (0,)


def test_cli_exports_a_room_a_workshop_and_a_city(app, three_rooms, tmp_path):
    runner = app.test_cli_runner()
    target = tmp_path / "room.csv"
    result = runner.invoke(args=["export", "--room", three_rooms["codes"][0], "--format", "csv",
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert [row["Room"] for row in csv_rows(target.read_bytes())] == ["Room 1"] * 3
    archive = tmp_path / "all.zip"
    result = runner.invoke(args=["export", "--workshop", three_rooms["facilitator_key"],
                                 "--format", "zip", "-o", str(archive)])
    assert result.exit_code == 0 and zipfile.is_zipfile(archive)
    result = runner.invoke(args=["export", "--city", "Milan", "--workshop",
                                 three_rooms["facilitator_key"], "--format", "md"])
    assert result.exit_code == 0 and result.output.startswith("# Milan: Cities network")
    assert "Milan chamber of commerce" in result.output
    result = runner.invoke(args=["export", "--city", "Rome", "--workshop",
                                 three_rooms["facilitator_key"]])
    assert result.exit_code != 0 and "Rome is not a city" in result.output
