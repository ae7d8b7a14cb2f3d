"""The HTTP side: the workshop API, the create form, and the pages."""

import re

import pytest

from facilitation import create_app
from facilitation.db import get_store

from .conftest import WORKSHOP


def test_api_creates_a_workshop_with_links(client, store):
    answer = client.post("/api/workshops", json=WORKSHOP)
    assert answer.status_code == 201
    body = answer.get_json()
    assert body["title"] == "CITIES4CSR kick-off"
    assert body["cities"] == ["Milan", "Nantes", "Łódź"]
    assert len(body["facilitator_key"]) >= 32  # 192 bits, url-safe base64
    assert body["facilitator_url"] == f"http://localhost/f/{body['facilitator_key']}"
    assert body["lobby_url"] == f"http://localhost/w/{body['lobby_code']}"
    assert [(r["name"], r["theme"]) for r in body["rooms"]] == [
        ("Room 1", "Environment & Food"), ("Room 2", "Social policies")]
    for room in body["rooms"]:
        assert set(room) == {"id", "name", "theme", "code", "join_url"}
        assert room["join_url"] == f"http://localhost/r/{room['code']}"
        assert client.get(f"/r/{room['code']}").status_code == 200
    assert body["rooms"][0]["code"] != body["rooms"][1]["code"]
    with store.read() as db:
        groups = db.execute(
            "SELECT g.name FROM note_groups g JOIN rooms r ON r.id = g.room_id "
            "WHERE r.code = ? ORDER BY g.position", [body["rooms"][0]["code"]]).fetchall()
    assert groups == [("Challenges",), ("Ideas",), ("Actions",)]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"cities": ["Milan"], "rooms": [{"name": "R", "theme": "T"}]}, "Workshop title is missing"),
        ({"title": "T", "cities": [], "rooms": [{"name": "R", "theme": "T"}]}, "Cities must be"),
        ({"title": "T", "cities": "Milan", "rooms": [{"name": "R", "theme": "T"}]}, "Cities must be"),
        ({"title": "T", "cities": ["Milan", "Milan"], "rooms": [{"name": "R", "theme": "T"}]},
         "listed twice"),
        ({"title": "T", "cities": [""], "rooms": [{"name": "R", "theme": "T"}]}, "City cannot be"),
        ({"title": "T", "cities": ["Milan"], "rooms": []}, "Rooms must be"),
        ({"title": "T", "cities": ["Milan"], "rooms": ["R"]}, "Each room must be"),
        ({"title": "T", "cities": ["Milan"], "rooms": [{"name": "R"}]}, "Room theme is missing"),
        ({"title": "T", "cities": ["Milan"], "rooms": [{"name": "R", "theme": "T",
                                                        "template": "kanban"}]}, "Room template"),
        ({"title": "x" * 121, "cities": ["Milan"], "rooms": [{"name": "R", "theme": "T"}]},
         "too long"),
        ([1, 2, 3], "JSON object"),
    ],
)
def test_api_refuses_bad_fields_and_creates_nothing(client, store, body, message):
    answer = client.post("/api/workshops", json=body)
    assert answer.status_code == 400
    assert message in answer.get_json()["error"]
    with store.read() as db:
        assert db["workshops"].count == 0 and db["rooms"].count == 0


def test_api_refuses_a_body_that_is_not_json(client):
    answer = client.post("/api/workshops", data="{nope", content_type="application/json")
    assert answer.status_code == 400
    assert answer.get_json() == {"error": "The request body must be JSON."}


@pytest.fixture
def guarded(tmp_path):
    app = create_app({"FACILITATION_DB": str(tmp_path / "g.sqlite"),
                      "SOCKETIO_ASYNC_MODE": "threading", "FACILITATION_ADMIN_KEY": "s3cret"})
    yield app
    get_store(app).close()


@pytest.mark.parametrize("header", [None, "Bearer wrong", "s3cret", "Bearer "])
def test_admin_key_guards_workshop_creation(guarded, header):
    headers = {"Authorization": header} if header else {}
    answer = guarded.test_client().post("/api/workshops", json=WORKSHOP, headers=headers)
    assert answer.status_code == 401
    assert "admin key" in answer.get_json()["error"]
    with get_store(guarded).read() as db:
        assert db["workshops"].count == 0


def test_admin_key_lets_the_holder_create(guarded):
    client = guarded.test_client()
    answer = client.post("/api/workshops", json=WORKSHOP,
                         headers={"Authorization": "Bearer s3cret"})
    assert answer.status_code == 201
    form = {"title": "Form", "cities": "Milan", "room_name": "R", "room_theme": "T",
            "room_template": "blank"}
    assert client.post("/", data=form).status_code == 401
    assert client.post("/", data={**form, "admin_key": "s3cret"}).status_code == 303
    assert b'name="admin_key"' in client.get("/").data


def test_create_form_makes_a_workshop_and_leads_to_the_facilitator_page(client, store):
    form = {
        "title": "Peer exchange",
        "cities": "Milan\nNantes, Łódź\n",
        "room_name": ["Room A", "Room B", ""],
        "room_theme": ["Food", "Stakeholders", ""],
        "room_template": ["blank", "stakeholder-map", "blank"],
    }
    answer = client.post("/", data=form)
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Peer exchange" in html
    with store.read() as db:
        workshop = next(db["workshops"].rows)
        rooms = list(db["rooms"].rows_where(order_by="position"))
    assert workshop["cities"] == '["Milan", "Nantes", "Łódź"]'
    assert [(r["name"], r["template"]) for r in rooms] == [("Room A", "blank"),
                                                           ("Room B", "stakeholder-map")]
    for room in rooms:
        assert f"/r/{room['code']}" in html


def test_create_form_shows_the_error_and_keeps_what_was_typed(client, store):
    answer = client.post("/", data={"title": "Keep this title", "cities": "",
                                    "room_name": "R", "room_theme": "T", "room_template": ""})
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert "Cities must be" in html and "Keep this title" in html
    with store.read() as db:
        assert db["workshops"].count == 0


def test_home_page_offers_the_create_form(client):
    html = client.get("/").get_data(as_text=True)
    assert 'action="/"' in html or "action=\"\"" in html or "<form" in html
    for template in ("blank", "themes", "stakeholder-map", "challenges-ideas-actions"):
        assert f'value="{template}"' in html


def test_room_page_shows_the_room_and_the_workshop_cities(client, workshop):
    room = workshop["rooms"][0]
    html = client.get(f"/r/{room['code']}").get_data(as_text=True)
    assert "Room 1" in html and "Environment &amp; Food" in html
    for city in ("Milan", "Nantes", "Łódź"):
        assert city in html
    assert "<title>" in html and "Room 1" in html.split("<title>")[1].split("</title>")[0]


def test_facilitator_page_lists_every_room_link(client, workshop):
    html = client.get(f"/f/{workshop['facilitator_key']}").get_data(as_text=True)
    for room in workshop["rooms"]:
        assert f"http://localhost/r/{room['code']}" in html


@pytest.mark.parametrize("path", ["/r/not-a-room", "/f/not-a-key", "/w/not-a-lobby",
                                  "/nothing-here"])
def test_unknown_links_get_a_friendly_404(client, workshop, path):
    answer = client.get(path)
    assert answer.status_code == 404
    assert "does not lead to a board" in answer.get_data(as_text=True)


def test_names_with_markup_are_escaped_in_pages(client, store):
    from facilitation.workshops import create_workshop

    created = create_workshop(store, {"title": "<b>T</b>", "cities": ["<i>Milan<i>"],
                                      "rooms": [{"name": "<script>x</script>", "theme": "T"}]})
    html = client.get(f"/r/{created['rooms'][0]['code']}").get_data(as_text=True)
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<i>Milan<i>" not in html


def test_pages_load_nothing_from_outside(client, workshop):
    for path in ["/", f"/r/{workshop['rooms'][0]['code']}", f"/f/{workshop['facilitator_key']}"]:
        html = client.get(path).get_data(as_text=True)
        loaded = re.findall(r'<(?:script|img|link|iframe)[^>]*?(?:src|href)="([^"]*)"', html)
        assert loaded, path
        assert all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded


def test_behind_a_proxy_under_a_sub_path_every_link_keeps_the_prefix(tmp_path):
    app = create_app({"FACILITATION_DB": str(tmp_path / "p.sqlite"),
                      "SOCKETIO_ASYNC_MODE": "threading", "FACILITATION_PROXIES": 1})
    client = app.test_client()
    proxy = {"X-Forwarded-Prefix": "/workshops", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "boards.example.org", "X-Forwarded-For": "203.0.113.7"}
    body = client.post("/api/workshops", json=WORKSHOP, headers=proxy).get_json()
    code = body["rooms"][0]["code"]
    assert body["rooms"][0]["join_url"] == f"https://boards.example.org/workshops/r/{code}"
    assert body["facilitator_url"].startswith("https://boards.example.org/workshops/f/")
    html = client.get(f"/r/{code}", headers=proxy).get_data(as_text=True)
    assert 'data-root="/workshops"' in html
    assert 'href="/workshops/static/css/base.css"' in html
    # Every page's links and forms keep the prefix (issue 15, finding 7): the console's city,
    # export and snapshot links carry the facilitator key, which must not leave the app's path.
    key = body["facilitator_key"]
    pages = ["/", f"/r/{code}", f"/f/{key}", f"/w/{body['lobby_code']}", "/no-such-page",
             f"/f/{key}/cities/Milan", f"/f/{key}/cities/Milan/snapshots", f"/f/{key}/next"]
    for path in pages:
        html = client.get(path, headers=proxy).get_data(as_text=True)
        links = re.findall(r'(?:href|action|src)="(/[^"]*)"', html)
        assert links, path
        outside = [link for link in links if not link.startswith("/workshops/")
                   and link != "/workshops"]
        assert outside == [], (path, outside)
    get_store(app).close()


def test_links_built_by_scripts_keep_the_sub_path():
    """Scripts build links from ROOT (the page's data-root), never from a bare /r/, /f/..."""
    from pathlib import Path

    for path in sorted((Path(__file__).resolve().parent.parent / "static" / "js").glob("*.js")):
        bare = re.findall(r'[`"\'](/(?:r|f|w|api|static|socket\.io)\b[^`"\']*)', path.read_text())
        assert bare == [], (path.name, bare)
