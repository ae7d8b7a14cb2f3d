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

    def note(self, text, group=0, color="yellow", details=None):
        ack = self.sock.call("op", {"type": "note.add", "op_id": str(uuid.uuid4()), "text": text,
                                    "color": color, **({"details": details} if details else {}),
                                    "group_id": self.board["groups"][group]["id"]}, timeout=10)
        assert ack["ok"], ack
        return ack["note"]["id"]

    def move(self, note_id, group):
        ack = self.sock.call("op", {"type": "note.move", "op_id": str(uuid.uuid4()),
                                    "note_id": note_id,
                                    "group_id": self.board["groups"][group]["id"]}, timeout=10)
        assert ack["ok"], ack


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
    key = workshop["facilitator_key"]
    mapper = people[6]  # Giulia (Milan), on the stakeholder map
    agency = mapper.note("Regional transport agency", 0, "green")
    # Milan's action plan: an action before the snapshot, another after it ("since then").
    action = people[0].note("Weigh canteen leftovers every week", 2, "orange", details={
        "lead": "Food policy office", "partners": "School canteens", "start": "2027-01",
        "end": "2027-06", "status": "planned"})
    snapshot = post_json(f"{url}/f/{key}/snapshots", {"name": "After round 1"})
    people[0].note("Compost bins in every school", 2, "green",
                   details={"lead": "Waste agency", "start": "2027-03", "status": "in-progress"})
    # The map changes after the snapshot: a stakeholder added, one moved (the compare page).
    mapper.note("Chamber of commerce", 1, "blue")
    mapper.move(agency, 3)

    facilitator = Facilitator(live_server, workshop)
    facilitator.op("room.hide", room=codes[1])
    facilitator.op("voting.open", room=codes[2], votes_per_participant=3)
    facilitator.op("timer.start", room=codes[0], seconds=600)
    facilitator.op("room.lock", room=codes[3])
    yield {"workshop": workshop, "fresh": fresh, "codes": codes, "key": key,
           "snapshot": snapshot["id"], "facilitator": facilitator, "action": action}
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


def shows(selector):
    """Ready when this element shows."""
    return lambda page, scene: expect(page.locator(selector).first).to_be_visible()


def board_ready(page, scene):
    expect(page.locator("#board[data-state=ready]")).to_be_visible()
    expect(page.locator("#connection-status")).to_have_attribute("data-status", "connected")
    expect(page.locator(".note").first).to_be_visible()


def board_showing(selector):
    def ready(page, scene):
        board_ready(page, scene)
        expect(page.locator(selector)).to_be_visible()
    return ready


def console_ready(page, scene):
    expect(page.locator("#console[data-state=ready]")).to_be_attached()
    expect(page.locator("#connection-status")).to_have_attribute("data-status", "connected")


def join_lobby(page, scene):
    page.fill("#join-name", "Wim")
    page.select_option("#join-city", "Nantes")
    page.click("#join-button")
    expect(page.locator("#waiting")).to_be_visible()
    expect(page.locator("#waiting-list")).to_contain_text("Agata")


def edit_own_note(page, scene):
    """Ana writes a note and opens its editor (text, colour picker, action details, Save, Cancel)."""
    board_ready(page, scene)
    text = f"Ana's note {uuid.uuid4().hex[:4]}"
    composer = page.locator("textarea.composer").first
    composer.fill(text)
    composer.press("Enter")
    mine = page.locator(".note:not(.pending)", has_text=text)
    mine.locator(".note-edit").click()
    expect(mine.locator(".note-editor")).to_be_visible()
    mine.locator(".note-details-editor summary").click()  # the action details' fields too
    expect(mine.locator("[name=detail-lead]")).to_be_visible()


def open_move_menu(page, scene):
    board_ready(page, scene)
    page.locator(".note .note-move").first.click()
    expect(page.locator("[role=menu]").first).to_be_visible()


def message_and_confirm(page, scene):
    """A facilitator's message on the board, and a note's delete confirmation open."""
    edit_own_note(page, scene)
    page.keyboard.press("Escape")
    scene["facilitator"].op("workshop.broadcast", room=scene["codes"][0],
                            message="Ten minutes left: pick your top three")
    expect(page.locator("#banner")).to_be_visible()
    page.locator(".note .note-delete").first.click()
    expect(page.locator(".note-confirm").first).to_be_visible()


def open_console_forms(page, scene):
    console_ready(page, scene)
    page.click("[data-action=add-room-toggle]")
    expect(page.locator("#add-room-form")).to_be_visible()
    page.click("[data-action=all-timer-menu]")
    expect(page.locator("[role=menu]").first).to_be_visible()


def open_voting_forms(page, scene):
    """The console's 'Voting…' form (with its several-dots choice) in one room, the 'End voting'
    confirmation in the voting room."""
    console_ready(page, scene)
    def card(index):
        return page.locator(f'.croom[data-room-code="{scene["codes"][index]}"]')

    card(0).locator("[data-action=room-voting]").click()
    expect(card(0).locator("input[name=several]")).to_be_visible()
    card(2).locator("[data-action=room-voting-close]").click()
    expect(card(2).locator(".confirm-text")).to_be_visible()


def key_path(tail):
    return lambda s: f"/f/{s['key']}{tail}"


def snapshot_path(tail):
    return lambda s: f"/f/{s['key']}/snapshots/{s['snapshot']}{tail}"


# page state: (its own fresh context?, its address from the scene, ready(page, scene))
PAGES = {
    "home": (False, lambda s: "/", shows("h1")),
    "join": (True, lambda s: s["fresh"]["rooms"][0]["join_url"], shows("#join-name")),
    "board": (False, lambda s: room_url(s, 0), board_showing("#timer")),
    "board-note-editor": (False, lambda s: room_url(s, 0), edit_own_note),
    "board-move-menu": (False, lambda s: room_url(s, 0), open_move_menu),
    "board-message-confirm": (False, lambda s: room_url(s, 0), message_and_confirm),
    "hidden-board": (False, lambda s: room_url(s, 1), shows("#hidden-state")),
    "voting-board": (False, lambda s: room_url(s, 2), board_showing("#votes-left")),
    "stakeholder-map": (False, lambda s: room_url(s, 3), board_showing("#lock-state")),
    "lobby": (True, lambda s: s["fresh"]["lobby_url"], shows("#join-name")),
    "lobby-waiting": (True, lambda s: s["workshop"]["lobby_url"], join_lobby),
    "console": (False, lambda s: s["workshop"]["facilitator_url"], console_ready),
    "console-forms": (False, lambda s: s["workshop"]["facilitator_url"], open_console_forms),
    "console-voting-forms": (False, lambda s: s["workshop"]["facilitator_url"], open_voting_forms),
    "console-created": (False, lambda s: s["workshop"]["facilitator_url"] + "?created=1",
                        shows("#bookmark")),
    "city": (False, key_path("/cities/Milan"), shows(".out-note")),
    "city-snapshots": (False, key_path("/cities/Milan/snapshots"), shows(".snapshot")),
    "export-room": (False, lambda s: f"/r/{s['codes'][0]}/export.html", shows(".report-note")),
    "export-room-hidden": (False, lambda s: f"/r/{s['codes'][1]}/export.html", shows("h1")),
    "export-workshop": (False, key_path("/export.html"), shows(".report-note")),
    "export-city": (False, key_path("/cities/Milan/export.html"), shows(".report-note")),
    "export-snapshot": (False, snapshot_path("/export.html"), shows(".report-note")),
    "export-snapshot-city": (False, snapshot_path("/cities/Milan/export.html"),
                             shows(".report-note")),
    "next-meeting": (False, key_path("/next"), shows("h1")),
    "stakeholders": (False, key_path("/cities/Milan/stakeholders"),
                     lambda p, s: expect(p.locator("main")).to_contain_text("Chamber of commerce")),
    "stakeholders-compare": (False, key_path("/cities/Milan/stakeholders/compare"),
                             lambda p, s: expect(p.locator("main")).to_contain_text("Chamber of commerce")),
    "action-plan": (False, lambda s: f"/f/{s['key']}/cities/Milan/action-plan"
                                     f"?from=snapshot:{s['snapshot']}", shows(".plan-table")),
    "pairing": (False, key_path("/pairing"), shows(".pair-edit")),
    "pairing-brief": (False, key_path("/pairing/Milan/Nantes"), shows(".brief-side")),
    "note": (False, lambda s: f"/f/{s['key']}/notes/{s['action']}", shows(".out-note-text")),
    "not-found": (False, lambda s: "/r/no-such-room", shows("h1")),
    "accessibility-statement": (False, lambda s: "/accessibility", shows("h1")),
}


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
        ready(page, scene)
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
