"""The accessibility statement at /accessibility (EU model form) and the footer link to it."""

import re

import pytest

from facilitation import create_app
from facilitation.db import get_store
from facilitation.statement import contact_link

MODEL_HEADINGS = [
    "Accessibility statement",
    "Compliance status",
    "Non-accessible content",
    "Non-compliance with the accessibility regulations",
    "Disproportionate burden",
    "The content is not within the scope of the applicable legislation",
    "Preparation of this accessibility statement",
    "Feedback and contact information",
    "Enforcement procedure",
]


def headings(html):
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, re.S)]


@pytest.fixture
def configured(tmp_path):
    def make(**settings):
        app = create_app({"FACILITATION_DB": str(tmp_path / "s.sqlite"),
                          "SOCKETIO_ASYNC_MODE": "threading", **settings})
        made.append(app)
        return app.test_client()

    made = []
    yield make
    for app in made:
        get_store(app).close()


def test_statement_has_the_eu_model_sections_in_order(client):
    answer = client.get("/accessibility")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    found = headings(html)
    assert [h for h in found if h in MODEL_HEADINGS] == MODEL_HEADINGS
    assert "partially compliant" in html and "WCAG 2.2 level AA" in html
    assert "Directive\n    (EU) 2016/2102" in html or "Directive (EU) 2016/2102" in " ".join(html.split())
    # preparation date and method, machine-readable date
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\d">', html)
    assert "self-assessment" in html
    # known limits are listed, not a blank section
    limits = re.search(r'<ul class="statement-list" id="known-limits">(.*?)</ul>', html, re.S).group(1)
    assert limits.count("<li>") >= 2


# The model statement's headings in two other languages (Implementing Decision (EU) 2018/1523).
MODEL_HEADINGS_IN = {
    "fr": ["Déclaration d’accessibilité", "État de conformité", "Contenu non accessible",
           "Charge disproportionnée", "Établissement de la présente déclaration d’accessibilité",
           "Retour d’information et coordonnées", "Procédure de mise en œuvre"],
    "pl": ["Deklaracja dostępności", "Status pod względem zgodności", "Treści niedostępne",
           "Nadmierne obciążenie", "Sporządzenie niniejszej deklaracji dostępności",
           "Informacje zwrotne i dane kontaktowe", "Procedura egzekwowania przepisów"],
}


@pytest.mark.parametrize("code, prepared", [("fr", "2 décembre 2026"), ("pl", "2 grudnia 2026")])
def test_statement_in_other_languages(client, code, prepared):
    html = client.get(f"/accessibility?lang={code}").get_data(as_text=True)
    assert f'<html lang="{code}"' in html
    found = headings(html)
    assert [h for h in found if h in MODEL_HEADINGS_IN[code]] == MODEL_HEADINGS_IN[code]
    assert not set(found) & set(MODEL_HEADINGS)
    assert f'<time datetime="2026-12-02">{prepared}</time>' in html


def test_without_a_contact_the_statement_says_whom_to_tell(client):
    html = client.get("/accessibility").get_data(as_text=True)
    assert "no accessibility contact set up yet" in html
    assert "tell the\n      facilitator" in html or "tell the facilitator" in " ".join(html.split())
    # the Commission's list of national enforcement bodies
    assert 'href="https://digital-strategy.ec.europa.eu/en/policies/web-accessibility"' in html


def test_the_operator_sets_contact_operator_and_enforcement_body(configured):
    client = configured(FACILITATION_ACCESSIBILITY_CONTACT="access@city.example",
                        FACILITATION_ACCESSIBILITY_OPERATOR="City of Braga",
                        FACILITATION_ACCESSIBILITY_ENFORCEMENT="https://enforcement.example/complain")
    html = client.get("/accessibility").get_data(as_text=True)
    assert '<a href="mailto:access@city.example">access@city.example</a>' in html
    assert "City of Braga is committed" in html
    assert '<a href="https://enforcement.example/complain">' in html
    assert "no accessibility contact" not in html


def test_contact_setting_is_shown_as_text_not_markup(configured):
    client = configured(FACILITATION_ACCESSIBILITY_CONTACT='<script>alert(1)</script> +351 253 000')
    html = client.get("/accessibility").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("value, expected", [
    ("a11y@example.org", {"text": "a11y@example.org", "href": "mailto:a11y@example.org"}),
    ("mailto:a11y@example.org", {"text": "a11y@example.org", "href": "mailto:a11y@example.org"}),
    ("https://example.org/report", {"text": "https://example.org/report",
                                    "href": "https://example.org/report"}),
    ("javascript:alert(1)", {"text": "javascript:alert(1)", "href": None}),
    ("Town hall, desk 4, +48 42 000", {"text": "Town hall, desk 4, +48 42 000", "href": None}),
    ("  ", None),
    (None, None),
])
def test_contact_link_kinds(value, expected):
    assert contact_link(value) == expected


def test_every_page_links_the_statement_in_its_footer(client, workshop):
    key, code = workshop["facilitator_key"], workshop["rooms"][0]["code"]
    snapshot = client.post(f"/f/{key}/snapshots", json={"name": "First"}).get_json()["id"]
    pages = ["/", f"/r/{code}", f"/w/{workshop['lobby_code']}", f"/f/{key}",
             f"/f/{key}/cities/Milan", f"/f/{key}/cities/Milan/snapshots", "/no/such/page",
             "/accessibility", f"/r/{code}/export.html", f"/f/{key}/export.html",
             f"/f/{key}/cities/Milan/export.html", f"/f/{key}/snapshots/{snapshot}/export.html",
             f"/f/{key}/snapshots/{snapshot}/cities/Milan/export.html"]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        footer = re.search(r"<footer[^>]*>(.*?)</footer>", html, re.S)
        assert footer, path
        assert re.search(r'<a href="(http://localhost)?/accessibility"', footer.group(1)), path


def test_hidden_room_export_page_links_the_statement(client, workshop, connect):
    code, key = workshop["rooms"][0]["code"], workshop["facilitator_key"]
    facilitator = connect()
    assert facilitator.emit("join", {"facilitator_key": key}, callback=True)["ok"]
    hidden = facilitator.emit("op", {"type": "room.hide", "op_id": "hide-1", "room": code},
                              callback=True)
    assert hidden["ok"], hidden
    answer = client.get(f"/r/{code}/export.html")
    assert answer.status_code == 409
    assert 'href="http://localhost/accessibility"' in answer.get_data(as_text=True)


def test_printed_exports_leave_the_statement_link_out(client):
    answer = client.get("/static/css/print.css")
    css = answer.get_data(as_text=True)
    answer.close()
    printed = css[css.index("@media print"):]
    assert ".report-a11y" in printed


def test_zipped_exports_render_without_a_request(app, workshop):
    """Files in the ZIP are also written outside requests (saved outputs): no link, no crash."""
    from facilitation.exports import find_workshop, to_html, workshop_data

    store = get_store(app)
    with app.app_context(), store.read() as db:
        data = workshop_data(db, find_workshop(db, workshop["facilitator_key"]))
        html = to_html(data, "print.css")
    assert "<footer" in html and "/accessibility" not in html
