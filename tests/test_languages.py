"""Which language a person gets, and that what they read is in it: pages, refusals, exports.

Order: ?lang=xx (kept in a cookie), the cookie, Accept-Language, the workshop's default
language, English.
"""

import csv
import io
import json
import re
import uuid

import pytest

from facilitation.i18n import LANGUAGES, js_catalogue, readable_time
from facilitation.workshops import create_workshop

from .conftest import WORKSHOP


def html_lang(answer):
    return re.search(r'<html lang="([^"]+)"', answer.get_data(as_text=True)).group(1)


@pytest.fixture
def polish_workshop(store):
    return create_workshop(store, {**WORKSHOP, "language": "pl"})


def test_english_by_default(client):
    page = client.get("/")
    assert html_lang(page) == "en"
    assert "Create a workshop" in page.get_data(as_text=True)


def test_accept_language_picks_the_best_language_we_ship(client):
    page = client.get("/", headers={"Accept-Language": "fi;q=1, fr-CA;q=0.9, de;q=0.5"})
    assert html_lang(page) == "fr"
    assert "Créer un atelier" in page.get_data(as_text=True)


def test_lang_parameter_wins_and_is_kept_in_a_cookie(client):
    page = client.get("/?lang=pl", headers={"Accept-Language": "fr"})
    assert html_lang(page) == "pl"
    assert "Utwórz warsztat" in page.get_data(as_text=True)
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("lang=pl;") and "Max-Age=31536000" in cookie
    # The next page, without the parameter, keeps Polish over the browser's French.
    assert html_lang(client.get("/", headers={"Accept-Language": "fr"})) == "pl"


def test_cookie_beats_accept_language(client):
    client.set_cookie("lang", "de")
    assert html_lang(client.get("/", headers={"Accept-Language": "it"})) == "de"


def test_unknown_codes_are_ignored(client):
    client.set_cookie("lang", "xx")
    page = client.get("/?lang=../../etc", headers={"Accept-Language": "es"})
    assert html_lang(page) == "es"
    assert "Set-Cookie" not in page.headers


def test_workshop_default_after_accept_language(client, polish_workshop):
    code = polish_workshop["rooms"][0]["code"]
    # No Accept-Language we ship: the workshop's default language.
    for headers in ({}, {"Accept-Language": "fi, sv;q=0.5"}):
        assert html_lang(client.get(f"/r/{code}", headers=headers)) == "pl"
        assert html_lang(client.get(f"/w/{polish_workshop['lobby_code']}",
                                    headers=headers)) == "pl"
        assert html_lang(client.get(f"/f/{polish_workshop['facilitator_key']}",
                                    headers=headers)) == "pl"
    # The browser's language comes first, and the person's own choice before that.
    assert html_lang(client.get(f"/r/{code}", headers={"Accept-Language": "nl"})) == "nl"
    assert html_lang(client.get(f"/r/{code}?lang=en", headers={"Accept-Language": "nl"})) == "en"
    # A page with no workshop does not know it: English.
    assert html_lang(client.get("/", headers={"Accept-Language": "fi"})) == "en"


def test_language_menu_on_every_page_names_each_language_in_itself(client, polish_workshop):
    key = polish_workshop["facilitator_key"]
    pages = ["/", "/nope", f"/f/{key}/cities/Milan", f"/f/{key}/cities/Milan/snapshots",
             f"/w/{polish_workshop['lobby_code']}"]
    for path in pages:
        body = client.get(path, headers={"Accept-Language": "fr"}).get_data(as_text=True)
        assert 'class="lang-menu"' in body, path
        for code, name in LANGUAGES.items():
            assert f'lang="{code}" hreflang="{code}"' in body and f">{name}</a>" in body, path
        # Its summary says what it is in the page's language, and which language is on.
        assert '<span class="visually-hidden">Langue: </span>' in body
        assert '<span class="lang-current">Français</span>' in body


def test_language_links_keep_the_page_and_its_query(client):
    body = client.get("/nowhere?x=1&lang=de").get_data(as_text=True)
    assert 'href="/nowhere?x=1&amp;lang=pl"' in body


def test_pages_and_their_numbers_in_polish(client, workshop, connect):
    code = workshop["rooms"][0]["code"]
    sock = connect()
    ack = sock.emit("join", {"room": code, "name": "Ola", "city": "Łódź"}, callback=True)
    group = ack["board"]["groups"][0]["id"]
    for text in ("a", "b", "c", "d", "e"):
        sock.emit("op", {"type": "note.add", "op_id": str(uuid.uuid4()), "text": text,
                         "group_id": group}, callback=True)
    page = client.get(f"/f/{workshop['facilitator_key']}/cities/Łódź?lang=pl")
    body = page.get_data(as_text=True)
    assert "5 notatek z 1 pokoju:" in body
    assert "Wyniki miasta" in body and "Zabierz" not in body
    printable = client.get(f"/r/{code}/export.html?lang=pl").get_data(as_text=True)
    assert "5 notatek" in printable and '<html lang="pl">' in printable


@pytest.mark.parametrize(("count", "shown"), [(1, "1 notatka"), (2, "2 notatki"),
                                              (5, "5 notatek"), (22, "22 notatki")])
def test_polish_plurals_in_the_printable_export(client, workshop, connect, count, shown):
    code = workshop["rooms"][1]["code"]
    sock = connect()
    sock.emit("join", {"room": code, "name": "Ola", "city": "Łódź"}, callback=True)
    for index in range(count):
        sock.emit("op", {"type": "note.add", "op_id": str(uuid.uuid4()),
                         "text": f"note {index}"}, callback=True)
    printable = client.get(f"/r/{code}/export.html?lang=pl").get_data(as_text=True)
    assert f'<span class="report-count">{shown}</span>' in printable


def test_refusals_follow_the_socket_language(connect, workshop):
    code = workshop["rooms"][0]["code"]
    sock = connect()
    # The page's language, named in the join.
    answer = sock.emit("join", {"room": code, "name": "", "city": "Milan", "lang": "pl"},
                       callback=True)
    assert answer["ok"] is False and answer["code"] == "invalid"
    assert answer["error"] == "Twoje imię: to pole nie może być puste."
    # It stays the socket's language for what follows.
    answer = sock.emit("op", {"type": "note.add", "op_id": "x", "text": "hi"}, callback=True)
    assert answer["error"] == "Dołącz do pokoju, zanim wprowadzisz zmiany."


def test_refusals_follow_the_handshake_and_the_workshop(app, client, polish_workshop):
    from facilitation.realtime import socketio

    french = socketio.test_client(app, flask_test_client=client,
                                  headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    answer = french.emit("join", {"room": "nope", "name": "Ana", "city": "Milan"},
                         callback=True)
    assert answer["error"] == "Ce lien de salle n’est pas valide. Vérifiez le lien que vous avez reçu."
    french.disconnect()
    # No language asked: after joining, the workshop's default language.
    plain = socketio.test_client(app, flask_test_client=client)
    code = polish_workshop["rooms"][0]["code"]
    assert plain.emit("join", {"room": code, "name": "Ana", "city": "Milan"}, callback=True)["ok"]
    answer = plain.emit("op", {"type": "note.delete", "op_id": "d", "note_id": "missing"},
                        callback=True)
    assert answer["error"] == "Tej notatki nie ma już na tablicy."
    plain.disconnect()


def test_refusal_parameters_and_labels_are_translated(connect, workshop):
    code = workshop["rooms"][0]["code"]
    sock = connect()
    sock.emit("join", {"room": code, "name": "Ana", "city": "Milan", "lang": "de"}, callback=True)
    answer = sock.emit("op", {"type": "note.add", "op_id": "t", "text": "x" * 1001},
                       callback=True)
    assert answer["error"] == "Text der Notiz ist zu lang (höchstens 1000 Zeichen)."


def test_api_errors_in_the_request_language(client):
    answer = client.post("/api/workshops", json={"title": "", "cities": ["A"], "rooms": []},
                         headers={"Accept-Language": "it"})
    assert answer.status_code == 400
    assert answer.get_json()["error"] == "Titolo del workshop non può essere vuoto."
    # curl sends no Accept-Language: English.
    answer = client.post("/api/workshops", json={"title": "", "cities": ["A"], "rooms": []})
    assert answer.get_json()["error"] == "Workshop title cannot be empty."


def test_workshop_language_on_creation_api_and_form(client, store):
    answer = client.post("/api/workshops", json={**WORKSHOP, "language": "nl"})
    assert answer.status_code == 201 and answer.get_json()["language"] == "nl"
    # The template's groups are named in the workshop's language.
    page = client.get(f"/r/{answer.get_json()['rooms'][0]['code']}").get_data(as_text=True)
    assert html_lang(client.get(f"/r/{answer.get_json()['rooms'][0]['code']}")) == "nl"
    refused = client.post("/api/workshops", json={**WORKSHOP, "language": "xx"})
    assert refused.status_code == 400 and "Language" in refused.get_json()["error"]
    form = client.post("/", data={"title": "Spotkanie", "cities": "Łódź", "room_name": "A",
                                  "room_theme": "B", "room_template": "challenges-ideas-actions",
                                  "language": "pl"})
    assert form.status_code == 303
    console = client.get(form.headers["Location"])
    assert html_lang(console) == "pl"
    assert page


def test_template_groups_are_created_in_the_workshop_language(store, connect):
    workshop = create_workshop(store, {**WORKSHOP, "language": "fr"})
    sock = connect()
    ack = sock.emit("join", {"room": workshop["rooms"][0]["code"], "name": "Ana",
                             "city": "Milan"}, callback=True)
    assert [g["name"] for g in ack["board"]["groups"]] == ["Défis", "Idées", "Actions"]


def test_facilitator_changes_the_default_language(client, connect, workshop):
    code = workshop["rooms"][0]["code"]
    assert html_lang(client.get(f"/r/{code}")) == "en"
    facilitator = connect()
    joined = facilitator.emit("join", {"facilitator_key": workshop["facilitator_key"]},
                              callback=True)
    assert joined["workshop"]["language"] == "en"
    answer = facilitator.emit("op", {"type": "workshop.language", "op_id": "l",
                                     "language": "it"}, callback=True)
    assert answer["ok"] and answer["language"] == "it"
    assert html_lang(client.get(f"/r/{code}")) == "it"
    bad = facilitator.emit("op", {"type": "workshop.language", "op_id": "m",
                                  "language": "klingon"}, callback=True)
    assert bad["ok"] is False and bad["code"] == "invalid"
    assert html_lang(client.get(f"/r/{code}")) == "it"


def room_with_notes(connect, workshop):
    code = workshop["rooms"][0]["code"]
    sock = connect()
    sock.emit("join", {"room": code, "name": "Ana", "city": "Milan"}, callback=True)
    for text in ("one", "two"):
        sock.emit("op", {"type": "note.add", "op_id": str(uuid.uuid4()), "text": text},
                  callback=True)
    return code


def test_csv_columns_follow_the_request_language(client, connect, workshop):
    code = room_with_notes(connect, workshop)
    for lang, first in (("en", "Workshop"), ("fr", "Atelier"), ("pl", "Warsztat")):
        body = client.get(f"/r/{code}/export.csv?lang={lang}").data.decode("utf-8-sig")
        header = next(csv.reader(io.StringIO(body)))
        assert header[0] == first and len(header) == 20  # 13, then the 7 action details
    client.delete_cookie("lang")  # ?lang= above kept the last one
    german = client.get(f"/r/{code}/export.csv", headers={"Accept-Language": "de"})
    assert next(csv.reader(io.StringIO(german.data.decode("utf-8-sig"))))[4] == "Notiz"


def test_markdown_and_printable_headings_follow_the_language(client, connect, workshop):
    room_with_notes(connect, workshop)
    key = workshop["facilitator_key"]
    markdown = client.get(f"/f/{key}/cities/Milan/export.md?lang=es").get_data(as_text=True)
    assert "Notas de personas de Milan o etiquetadas para Milan" in markdown
    assert "Exportado el" in markdown
    printable = client.get(f"/f/{key}/export.html?lang=it").get_data(as_text=True)
    assert "Risultati del workshop" in printable and '<html lang="it">' in printable
    assert "2 note" in printable


def test_json_keys_never_change(client, connect, workshop):
    code = room_with_notes(connect, workshop)
    english = json.loads(client.get(f"/r/{code}/export.json?lang=en").data)
    polish = json.loads(client.get(f"/r/{code}/export.json?lang=pl").data)
    english.pop("exported_at"), polish.pop("exported_at")
    assert english == polish


def test_dates_in_the_language():
    assert readable_time("2026-11-22T09:30:00.000Z", "en") == "22 Nov 2026, 09:30 UTC"
    assert readable_time("2026-11-22T09:30:00.000Z", "de") == "22. Nov. 2026, 09:30 UTC"
    assert readable_time("2026-11-22T09:30:00.000Z", "pl") == "22 lis 2026, 09:30 UTC"


def test_the_browser_catalogue_is_embedded_in_its_language_only(client):
    body = client.get("/?lang=pl").get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="i18n-catalogue">(.*?)</script>',
                      body, re.S)
    data = json.loads(block.group(1))
    assert data == js_catalogue("pl") and data["lang"] == "pl"
    assert json.loads(re.search(
        r'id="i18n-catalogue">(.*?)</script>',
        client.get("/?lang=fr").get_data(as_text=True), re.S).group(1))["lang"] == "fr"


def test_cli_export_in_a_language(app, connect, workshop):
    code = room_with_notes(connect, workshop)
    runner = app.test_cli_runner()
    french = runner.invoke(args=["export", "--room", code, "--format", "csv", "--lang", "fr"])
    assert french.exit_code == 0, french.output
    assert french.stdout_bytes.decode("utf-8-sig").startswith("Atelier,Salle,Thème,")
    english = runner.invoke(args=["export", "--room", code, "--format", "csv"])
    assert english.stdout_bytes.decode("utf-8-sig").startswith("Workshop,Room,Theme,")
