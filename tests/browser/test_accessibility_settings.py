"""People's own settings respected, in a real browser: reduced motion, a 320 px window and text at
200% without sideways scrolling, and what a screen reader hears from the polite live region."""

import uuid

import pytest
import socketio
from playwright.sync_api import expect

from .helpers import Facilitator, join, new_workshop

# Every element's (and pseudo-element's) transition and animation durations, in seconds.
DURATIONS = """() => {
  const seconds = (value) => value.split(",").map((d) => parseFloat(d) * (d.trim().endsWith("ms") ? 0.001 : 1));
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const pseudo of [null, "::before", "::after"]) {
      const style = getComputedStyle(el, pseudo);
      const longest = Math.max(...seconds(style.transitionDuration), ...seconds(style.animationDuration));
      if (longest > 0) found.push(`${el.tagName.toLowerCase()}.${el.className}${pseudo || ""}: ${longest}s`);
    }
  }
  return found;
}"""

OVERFLOW = """() => {
  const root = document.documentElement;
  const wide = [];
  if (root.scrollWidth > root.clientWidth) {
    for (const el of document.body.querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      if (box.right > root.clientWidth + 1 && getComputedStyle(el).position !== "absolute") {
        wide.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className}: right ${Math.round(box.right)}`);
      }
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide.slice(0, 8)};
}"""


class Participant:
    """Someone else in the room, on a python-socketio client."""

    def __init__(self, live_server, code, name, city):
        self.sock = socketio.Client()
        self.sock.connect(live_server.url, transports=["websocket"])
        ack = self.sock.call("join", {"room": code, "name": name, "city": city}, timeout=10)
        assert ack["ok"], ack
        self.groups = [group["id"] for group in ack["board"]["groups"]]

    def op(self, type_, **fields):
        ack = self.sock.call("op", {"type": type_, "op_id": str(uuid.uuid4()), **fields}, timeout=10)
        assert ack["ok"], ack
        return ack

    def close(self):
        self.sock.disconnect()


@pytest.fixture
def workshop(live_server):
    return new_workshop(live_server)


@pytest.fixture
def others(live_server):
    made = []

    def make(code, name, city):
        person = Participant(live_server, code, name, city)
        made.append(person)
        return person

    yield make
    for person in made:
        person.close()


@pytest.fixture
def facilitator(live_server, workshop):
    person = Facilitator(live_server, workshop)
    yield person
    person.close()


def test_live_region_announces_others_notes_and_facilitator_messages(new_page, workshop, others,
                                                                     facilitator):
    room = workshop["rooms"][0]
    ana = new_page(390, 844)
    join(ana, room["join_url"], "Ana", "Milan")
    region = ana.locator("#announcer")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_be_empty()

    jean = others(room["code"], "Jean", "Nantes")
    jean.op("note.add", text="Car-free Sundays", group_id=jean.groups[0])
    expect(region).to_have_text("New note from Jean (Nantes).")

    # Ana's own note is not announced to her: she knows she wrote it.
    ana.locator("textarea.composer").first.fill("Bike lanes")
    ana.locator("textarea.composer").first.press("Enter")
    expect(ana.locator(".note:not(.pending)", has_text="Bike lanes")).to_be_visible()
    ana.wait_for_timeout(600)
    expect(region).to_have_text("New note from Jean (Nantes).")

    # moves: someone else's within the room, and the facilitator's from another room
    note_id = jean.op("note.add", text="Tram line 3", group_id=jean.groups[0])["note"]["id"]
    expect(ana.locator(".note", has_text="Tram line 3")).to_be_visible()
    jean.op("note.move", note_id=note_id, group_id=jean.groups[1])
    expect(region).to_contain_text("Jean (Nantes) moved “Tram line 3” to Ideas.")
    other_room = workshop["rooms"][1]
    ben = others(other_room["code"], "Ben", "Łódź")
    moved = ben.op("note.add", text="Farmers' market")["note"]["id"]
    facilitator.op("note.move", room=other_room["code"], note_id=moved, to_room=room["code"],
                   group_id=jean.groups[2])
    expect(region).to_have_text(
        "The facilitator moved “Farmers' market” here from another room to Actions.")
    facilitator.op("note.move", room=room["code"], note_id=note_id, to_room=other_room["code"])
    expect(region).to_have_text("The facilitator moved “Tram line 3” to another room.")

    facilitator.op("workshop.broadcast", message="Five minutes left")
    expect(region).to_have_text("Message from the facilitator: Five minutes left.")
    facilitator.op("room.lock", room=room["code"])
    expect(region).to_contain_text("locked", ignore_case=True)


def test_reduced_motion_sets_every_transition_and_animation_to_zero(browser, workshop, others):
    room = workshop["rooms"][0]
    jean = others(room["code"], "Jean", "Nantes")
    jean.op("note.add", text="Existing note", group_id=jean.groups[0])
    found = {}
    for motion in ("no-preference", "reduce"):
        context = browser.new_context(viewport={"width": 1366, "height": 850}, reduced_motion=motion)
        try:
            page = context.new_page()
            join(page, room["join_url"], "Ana", "Milan")
            # a note arriving (its entry animation) and a message banner (slides in)
            jean.op("note.add", text=f"Arriving {motion}", group_id=jean.groups[1])
            expect(page.locator(".note", has_text=f"Arriving {motion}")).to_be_visible()
            found[motion] = page.evaluate(DURATIONS)
        finally:
            context.close()
    assert found["no-preference"], "the page has motion to turn off"
    assert found["reduce"] == []


PAGES_320 = {
    "join": lambda w: w["rooms"][0]["join_url"],
    "lobby": lambda w: w["lobby_url"],
    "home": lambda w: w["facilitator_url"].split("/f/")[0] + "/",
    "statement": lambda w: w["facilitator_url"].split("/f/")[0] + "/accessibility",
    "not-found": lambda w: w["facilitator_url"].split("/f/")[0] + "/r/nothing-here",
}


def no_sideways_scrolling(page, what):
    measured = page.evaluate(OVERFLOW)
    assert measured["scrollWidth"] <= measured["clientWidth"], (what, measured)


def board_with_notes(page, workshop, others, room=0):
    """Another participant's notes in every group, then Ana joins (or comes back, by her token)."""
    info = workshop["rooms"][room]
    jean = others(info["code"], "Jean", "Nantes")
    for group in jean.groups:
        jean.op("note.add", text="A long note about Łódź's Księży Młyn district: "
                "Revitalisierungsmaßnahmen", group_id=group)
    page.goto(info["join_url"])
    if page.evaluate(f"!localStorage.getItem('breakout.token.{workshop['id']}')"):
        join(page, info["join_url"], "Ana", "Milan")
    expect(page.locator("#board[data-state=ready]")).to_be_visible()
    expect(page.locator(".note").first).to_be_visible()


def test_a_320px_window_needs_no_sideways_scrolling(new_page, workshop, others, facilitator):
    page = new_page(320, 640)
    for name, url in PAGES_320.items():
        page.goto(url(workshop))
        expect(page.locator("h1").first).to_be_visible()
        no_sideways_scrolling(page, name)
    # a board with notes, and the stakeholder map
    for room in (0, 1):
        board_with_notes(page, workshop, others, room)
        no_sideways_scrolling(page, f"board {room}")
    # the console, with people in rooms
    page.goto(workshop["facilitator_url"])
    expect(page.locator("#console[data-state=ready]")).to_be_attached()
    no_sideways_scrolling(page, "console")
    page.goto(workshop["facilitator_url"] + "/cities/Milan")
    no_sideways_scrolling(page, "city page")
    # the lobby, joined and waiting (someone new)
    page = new_page(320, 640)
    page.goto(workshop["lobby_url"])
    page.fill("#join-name", "Wiebke-Charlotte Oberhausen-Rheinhausen")
    page.select_option("#join-city", "Łódź")
    page.click("#join-button")
    expect(page.locator("#waiting")).to_be_visible()
    no_sideways_scrolling(page, "lobby waiting")


def test_text_at_200_percent_keeps_the_board_usable(new_page, workshop, others):
    """Text twice as large (as the browser's text size setting makes it) at a laptop width: no
    sideways scrolling of the page, and a note can still be written."""
    page = new_page(1280, 800)
    page.add_init_script("document.addEventListener('DOMContentLoaded', () => "
                         "{ document.documentElement.style.fontSize = '200%'; })")
    board_with_notes(page, workshop, others)
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.note-text')).fontSize)")
    assert size >= 32
    no_sideways_scrolling(page, "board at 200%")
    composer = page.locator("textarea.composer").first
    composer.fill("Written at 200%")
    composer.press("Enter")
    expect(page.locator(".note:not(.pending)", has_text="Written at 200%")).to_be_visible()
    page.goto(workshop["facilitator_url"])
    expect(page.locator("#console[data-state=ready]")).to_be_attached()
    no_sideways_scrolling(page, "console at 200%")
    lobby = new_page(1280, 800)
    lobby.add_init_script("document.addEventListener('DOMContentLoaded', () => "
                          "{ document.documentElement.style.fontSize = '200%'; })")
    lobby.goto(workshop["lobby_url"])
    expect(lobby.locator("#join-name")).to_be_visible()
    no_sideways_scrolling(lobby, "lobby at 200%")


def test_page_zoom_200_percent_reflows_like_a_narrow_window(browser, workshop, others):
    """Browser zoom at 200% on a 1366 px screen: 683 CSS pixels, device pixels doubled."""
    context = browser.new_context(viewport={"width": 683, "height": 425}, device_scale_factor=2)
    try:
        page = context.new_page()
        board_with_notes(page, workshop, others)
        no_sideways_scrolling(page, "board at 200% zoom")
        page.goto(workshop["facilitator_url"])
        expect(page.locator("#console[data-state=ready]")).to_be_attached()
        no_sideways_scrolling(page, "console at 200% zoom")
    finally:
        context.close()
