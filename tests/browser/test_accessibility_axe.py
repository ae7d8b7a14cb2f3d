"""axe-core (through axe-playwright-python) on every screen, at a phone and at a desktop width.

One workshop is set up once for the module (participants with notes in every kind of room, people
waiting in the lobby, a saved snapshot); each page state then opens in a browser context shared per
width and must show no violation of the WCAG 2.0/2.1/2.2 A and AA rules axe knows.

Set A11Y_REPORT=<file> to write the violation counts of every page state as JSON (how the counts in
docs/accessibility.md were measured).
"""

import json
import os
import urllib.request
import uuid

import pytest
import socketio
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .helpers import Facilitator

WIDTHS = {"phone": (390, 844), "desktop": (1366, 850)}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
CITIES = ["Milan", "Nantes", "Łódź"]
COUNTS = {}


class Person:
    """A participant's socket (python-socketio), in a room or in the lobby, until the module ends."""

    def __init__(self, url, name, city, room=None, lobby=None):
        self.sock = socketio.Client()
        self.sock.connect(url, transports=["websocket"])
        payload = {"name": name, "city": city, **({"room": room} if room else {"lobby": lobby})}
        ack = self.sock.call("join", payload, timeout=10)
        assert ack["ok"], ack
        self.board = ack.get("board")

    def note(self, text, group=0, color="yellow"):
        ack = self.sock.call("op", {"type": "note.add", "op_id": str(uuid.uuid4()), "text": text,
                                    "color": color,
                                    "group_id": self.board["groups"][group]["id"]}, timeout=10)
        assert ack["ok"], ack
        return ack


def post_json(url, data):
    request = urllib.request.Request(url, data=json.dumps(data).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def scene(live_server):
    """A workshop with a board of notes, a private-writing room, a voting room, a stakeholder map,
    people in rooms and in the lobby, and a saved snapshot; plus a second workshop nobody joined."""
    workshop = live_server.create_workshop({
        "title": f"Accessibility {uuid.uuid4().hex[:6]}",
        "cities": CITIES,
        "rooms": [
            {"name": "Room 1", "theme": "Environment & Food", "template": "challenges-ideas-actions"},
            {"name": "Room 2", "theme": "Mobility", "template": "themes"},
            {"name": "Room 3", "theme": "Social policies", "template": "themes"},
            {"name": "Room 4", "theme": "Stakeholders", "template": "stakeholder-map"},
        ],
    })
    fresh = live_server.create_workshop({
        "title": f"Untouched {uuid.uuid4().hex[:6]}", "cities": CITIES,
        "rooms": [{"name": "Room 1", "theme": "Energy"}],
    })
    codes = [room["code"] for room in workshop["rooms"]]
    url = live_server.url
    people = []
    colors = ["yellow", "pink", "green", "blue", "orange", "purple"]
    for index, code in enumerate(codes):
        for person_index, (name, city) in enumerate([("Giulia", "Milan"), ("Jean", "Nantes")]):
            person = Person(url, name, city, room=code)
            people.append(person)
            for group in range(len(person.board["groups"])):
                person.note(f"{name}'s idea {group + 1} for {code}", group,
                            colors[(index + person_index + group) % len(colors)])
    people.append(Person(url, "Agata", "Łódź", lobby=workshop["lobby_code"]))
    people.append(Person(url, "Pierre", "Nantes", lobby=workshop["lobby_code"]))

    facilitator = Facilitator(live_server, workshop)
    facilitator.op("room.hide", room=codes[1])
    facilitator.op("voting.open", room=codes[2], votes_per_participant=3)
    facilitator.op("timer.start", room=codes[0], seconds=600)
    facilitator.op("room.lock", room=codes[3])
    key = workshop["facilitator_key"]
    snapshot = post_json(f"{url}/f/{key}/snapshots", {"name": "After round 1"})
    yield {"workshop": workshop, "fresh": fresh, "codes": codes, "key": key,
           "snapshot": snapshot["id"]}
    facilitator.close()
    for person in people:
        person.sock.disconnect()


@pytest.fixture(scope="module")
def contexts(browser, scene):
    """One browser context per width, whose participant (Ana, Milan) has joined the workshop."""
    made = {}
    for width, (w, h) in WIDTHS.items():
        context = browser.new_context(viewport={"width": w, "height": h})
        page = context.new_page()
        page.goto(scene["workshop"]["rooms"][0]["join_url"])
        page.fill("#join-name", "Ana")
        page.select_option("#join-city", "Milan")
        page.click("#join-button")
        expect(page.locator("#board[data-state=ready]")).to_be_visible(timeout=15_000)
        page.close()
        made[width] = context
    yield made
    for context in made.values():
        context.close()
    report = os.environ.get("A11Y_REPORT")
    if report:
        with open(report, "w", encoding="utf-8") as out:
            json.dump(COUNTS, out, indent=1, sort_keys=True)


def room_url(scene, index):
    return scene["workshop"]["rooms"][index]["join_url"]


def board_ready(page):
    expect(page.locator("#board[data-state=ready]")).to_be_visible()
    expect(page.locator("#connection-status")).to_have_attribute("data-status", "connected")
    expect(page.locator(".note").first).to_be_visible()


def visit(page, url, ready):
    page.goto(url)
    ready(page)


def console_ready(page):
    expect(page.locator("#console[data-state=ready]")).to_be_attached()
    expect(page.locator("#connection-status")).to_have_attribute("data-status", "connected")


# name: (fresh context?, url from the scene, what to wait for)
PAGES = {
    "home": (False, lambda s: "/", lambda p: expect(p.locator("h1")).to_be_visible()),
    "join": (True, lambda s: s["fresh"]["rooms"][0]["join_url"],
             lambda p: expect(p.locator("#join-name")).to_be_visible()),
    "board": (False, lambda s: room_url(s, 0), board_ready),
    "hidden-board": (False, lambda s: room_url(s, 1),
                     lambda p: expect(p.locator("#hidden-state")).to_be_visible()),
    "voting-board": (False, lambda s: room_url(s, 2),
                     lambda p: (board_ready(p), expect(p.locator("#votes-left")).to_be_visible())),
    "stakeholder-map": (False, lambda s: room_url(s, 3),
                        lambda p: (board_ready(p), expect(p.locator("#lock-state")).to_be_visible())),
    "lobby": (True, lambda s: s["fresh"]["lobby_url"],
              lambda p: expect(p.locator("#join-name")).to_be_visible()),
    "lobby-waiting": (True, lambda s: s["workshop"]["lobby_url"], None),
    "console": (False, lambda s: s["workshop"]["facilitator_url"], console_ready),
    "city": (False, lambda s: f"/f/{s['key']}/cities/Milan",
             lambda p: expect(p.locator("h1")).to_have_text("Milan")),
    "city-snapshots": (False, lambda s: f"/f/{s['key']}/cities/Milan/snapshots",
                       lambda p: expect(p.locator(".snapshot")).to_have_count(1)),
    "export-room": (False, lambda s: f"/r/{s['codes'][0]}/export.html",
                    lambda p: expect(p.locator(".report-note").first).to_be_visible()),
    "export-room-hidden": (False, lambda s: f"/r/{s['codes'][1]}/export.html",
                           lambda p: expect(p.locator("h1")).to_be_visible()),
    "export-workshop": (False, lambda s: f"/f/{s['key']}/export.html",
                        lambda p: expect(p.locator(".report-note").first).to_be_visible()),
    "export-city": (False, lambda s: f"/f/{s['key']}/cities/Milan/export.html",
                    lambda p: expect(p.locator(".report-note").first).to_be_visible()),
    "export-snapshot": (False, lambda s: f"/f/{s['key']}/snapshots/{s['snapshot']}/export.html",
                        lambda p: expect(p.locator(".report-note").first).to_be_visible()),
    "export-snapshot-city": (
        False, lambda s: f"/f/{s['key']}/snapshots/{s['snapshot']}/cities/Milan/export.html",
        lambda p: expect(p.locator(".report-note").first).to_be_visible()),
    "not-found": (False, lambda s: "/r/no-such-room",
                  lambda p: expect(p.locator("h1")).to_be_visible()),
    "accessibility-statement": (False, lambda s: "/accessibility",
                                lambda p: expect(p.locator("h1")).to_be_visible()),
}


def edit_own_note(page):
    board_ready(page)
    text = f"Ana's note {uuid.uuid4().hex[:4]}"
    composer = page.locator("textarea.composer").first
    composer.fill(text)
    composer.press("Enter")
    mine = page.locator(".note:not(.pending)", has_text=text)
    mine.locator(".note-edit").click()
    expect(mine.locator(".note-editor")).to_be_visible()


def open_move_menu(page):
    board_ready(page)
    page.locator(".note .note-move").first.click()
    expect(page.locator("[role=menu]").first).to_be_visible()


def open_console_forms(page):
    console_ready(page)
    page.click("[data-action=add-room-toggle]")
    expect(page.locator("#add-room-form")).to_be_visible()
    page.click("[data-action=all-timer-menu]")
    expect(page.locator("[role=menu]").first).to_be_visible()


STATES = {"board-note-editor": (False, lambda s: room_url(s, 0), edit_own_note),
          "board-move-menu": (False, lambda s: room_url(s, 0), open_move_menu),
          "console-forms": (False, lambda s: s["workshop"]["facilitator_url"], open_console_forms)}
PAGES.update(STATES)


def join_lobby(page):
    page.fill("#join-name", "Wim")
    page.select_option("#join-city", "Nantes")
    page.click("#join-button")
    expect(page.locator("#waiting")).to_be_visible()
    expect(page.locator("#waiting-list")).to_contain_text("Agata")


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')}".replace("\n", " "))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_no_wcag_violations(browser, contexts, scene, live_server, axe, name, width):
    fresh, url, ready = PAGES[name]
    context = (browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[width])))
               if fresh else contexts[width])
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        address = url(scene)
        page.goto(address if address.startswith("http") else live_server.url + address)
        if name == "lobby-waiting":
            join_lobby(page)
        else:
            ready(page)
        page.evaluate("document.getAnimations().forEach((a) => a.finish())")
        results = axe.run(page, options=AXE_OPTIONS).response
    finally:
        page.close()
        if fresh:
            context.close()
    violations = results["violations"]
    COUNTS[f"{name}@{width}"] = {
        "rules": len(violations), "nodes": sum(len(v["nodes"]) for v in violations),
        "by_rule": {v["id"]: len(v["nodes"]) for v in violations},
    }
    assert not errors, errors
    assert not violations, describe(violations)
