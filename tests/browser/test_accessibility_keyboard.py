"""A whole session with the keyboard alone: no click, no fill, no mouse at all.

A participant joins, adds, edits, recolours, moves a note to another group and votes; a facilitator
locks, hides and reveals, starts a timer, assigns a person from the lobby and moves a note to another
room. Every focused control shows a focus ring, and the focus never falls back to the page's body,
also while others' changes re-render the board.
"""

import re
import uuid

import pytest
import socketio
from playwright.sync_api import expect

from .helpers import new_workshop

# Counts the frames in which the focus is on <body> (lost) once `window.__watch` is set.
FOCUS_WATCH = """
window.__lost = [];
(function check() {
  if (window.__watch && document.activeElement === document.body) {
    window.__lost.push(window.__step || "?");
  }
  requestAnimationFrame(check);
})();
"""

DESCRIBE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "body";
  const label = el.getAttribute("aria-label") || el.textContent.trim().slice(0, 40) || el.value || "";
  return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")} "${label}"`;
}"""

FOCUS_RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return {visible: el.matches(":focus-visible"), ring, shadow: style.boxShadow};
}"""


def tab_to(page, selector, most=120, backwards=False):
    """Press Tab (or Shift+Tab) until the focused element matches `selector`; check its focus ring."""
    for _ in range(most):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            break
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    else:
        pytest.fail(f"Tab never reached {selector}; focus is on {page.evaluate(DESCRIBE)}")
    ring = page.evaluate(FOCUS_RING)
    assert ring["visible"] and (ring["ring"] or ring["shadow"] != "none"), (selector, ring)


def step(page, name):
    page.evaluate("(name) => { window.__step = name; }", name)


def focused(page):
    return page.evaluate(DESCRIBE)


class Participant:
    def __init__(self, url, payload):
        self.sock = socketio.Client()
        self.sock.connect(url, transports=["websocket"])
        ack = self.sock.call("join", payload, timeout=10)
        assert ack["ok"], ack
        self.ack = ack

    def op(self, type_, **fields):
        ack = self.sock.call("op", {"type": type_, "op_id": str(uuid.uuid4()), **fields}, timeout=10)
        assert ack["ok"], ack
        return ack


@pytest.fixture
def workshop(live_server):
    return new_workshop(live_server)


@pytest.fixture
def others(live_server):
    made = []

    def make(**payload):
        person = Participant(live_server.url, payload)
        made.append(person)
        return person

    yield make
    for person in made:
        person.sock.disconnect()


def keyboard_page(new_page, width=1366, height=850):
    page = new_page(width, height)
    page.add_init_script(FOCUS_WATCH)
    return page


def lost(page):
    return page.evaluate("window.__lost")


def test_a_participant_works_with_the_keyboard_alone(new_page, workshop, others):
    room = workshop["rooms"][0]
    jean = others(room=room["code"], name="Jean", city="Nantes")
    groups = [group["id"] for group in jean.ack["board"]["groups"]]
    page = keyboard_page(new_page)
    page.goto(room["join_url"])

    # Join: the name field has the focus; the city is picked with the arrow keys.
    expect(page.locator("#join-name")).to_be_focused()
    page.keyboard.type("Ana")
    page.keyboard.press("Tab")
    expect(page.locator("#join-city")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#join-city")).to_have_value("Milan")
    tab_to(page, "#join-button")
    page.keyboard.press("Enter")
    expect(page.locator("#board[data-state=ready]")).to_be_visible()
    page.evaluate("window.__watch = true")

    # Add a note: the first composer, Enter.
    step(page, "add")
    tab_to(page, "textarea.composer")
    page.keyboard.type("More bike lanes")
    page.keyboard.press("Enter")
    mine = page.locator(".note:not(.pending)", has_text="More bike lanes")
    expect(mine).to_be_visible()
    # Someone else writes meanwhile: the focus stays in the composer.
    jean.op("note.add", text="Car-free Sundays", group_id=groups[0])
    expect(page.locator(".note", has_text="Car-free Sundays")).to_be_visible()
    expect(page.locator("textarea.composer").first).to_be_focused()

    # Edit and recolour: the note's Edit button, new text, a colour by arrow keys, Enter saves.
    step(page, "edit")
    tab_to(page, ".note-edit")
    assert mine.locator(".note-edit").evaluate("(el) => el === document.activeElement")
    page.keyboard.press("Enter")
    editor = mine.locator(".note-edit-input")
    expect(editor).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("More protected bike lanes")
    tab_to(page, ".note-editor .swatch-input:checked")
    page.keyboard.press("ArrowRight")  # yellow -> pink
    expect(mine.locator(".note-editor .swatch-input:checked")).to_have_value("pink")
    night_id = jean.op("note.add", text="Night buses", group_id=groups[1])["note"]["id"]  # a re-render
    expect(page.locator(".note", has_text="Night buses")).to_be_visible()
    expect(mine.locator(".note-editor .swatch-input:checked")).to_be_focused()
    tab_to(page, ".note-save")
    page.keyboard.press("Enter")
    edited = page.locator(".note:not(.pending)", has_text="More protected bike lanes")
    expect(edited).to_have_class(whole_word("note-pink"))
    assert focused(page) != "body"

    # Move to another group: the Move-to menu, arrow keys, Enter.
    step(page, "move")
    my_id = edited.get_attribute("data-note-id")
    tab_to(page, f'.note[data-note-id="{my_id}"] .note-move', backwards=True)
    page.keyboard.press("Enter")
    pick(page, "Ideas")
    ideas = page.locator(f'[data-group-id="{groups[1]}"]')
    expect(ideas.locator(".note", has_text="More protected bike lanes")).to_be_visible()
    assert focused(page) != "body", "the focus follows the moved note or stays on its menu button"

    # Vote: the facilitator opens voting; the note's vote button, Enter.
    step(page, "vote")
    facilitator = others(facilitator_key=workshop["facilitator_key"])
    facilitator.op("voting.open", room=room["code"], votes_per_participant=2)
    expect(page.locator("#votes-left")).to_be_visible()
    vote = page.locator(f'.note[data-note-id="{night_id}"] .note-vote')
    expect(vote).to_be_visible()
    assert focused(page) != "body", "voting opened: the focus stays where it was"
    tab_to(page, f'.note[data-note-id="{night_id}"] .note-vote', backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator("#votes-left")).to_contain_text("1")
    expect(vote).to_be_focused()

    assert lost(page) == [], "the focus fell back to the page body"


def pick(page, label):
    """In the open menu (focus on its first item), arrow down to the item saying `label`, Enter."""
    expect(page.locator("[role=menu]")).to_be_visible()
    for _ in range(20):
        if label in focused(page):
            break
        page.keyboard.press("ArrowDown")
    else:
        pytest.fail(f"no menu item says {label}")
    page.keyboard.press("Enter")


def settled(card):
    """The room's op has its answer: its tools are no longer aria-disabled. The op's broadcast can
    arrive (and redraw the tool) just before its ack, and a tool pressed while it waits is ignored."""
    expect(card).not_to_have_class(re.compile(r"\bis-busy\b"))


def test_a_facilitator_runs_rooms_with_the_keyboard_alone(new_page, workshop, others):
    room_a, room_b = workshop["rooms"]
    jean = others(room=room_a["code"], name="Jean", city="Nantes")
    note_id = jean.op("note.add", text="Shared bikes")["note"]["id"]
    page = keyboard_page(new_page)
    page.goto(workshop["facilitator_url"])
    expect(page.locator("#console[data-state=ready]")).to_be_attached()
    expect(page.locator("#connection-status")).to_have_attribute("data-status", "connected")
    in_a, in_b = (f'.croom[data-room-code="{room["code"]}"]' for room in (room_a, room_b))
    card, card_b = page.locator(in_a), page.locator(in_b)

    step(page, "lock")
    tab_to(page, f"{in_a} [data-action=room-lock]")
    page.evaluate("window.__watch = true")  # from the first focused control on
    page.keyboard.press("Enter")
    expect(card.locator(".badge-locked")).to_be_visible()
    expect(card.locator("[data-action=room-unlock]")).to_be_focused()
    settled(card)
    page.keyboard.press("Enter")
    expect(card.locator(".badge-locked")).to_be_hidden()

    step(page, "hide and reveal")
    tab_to(page, f"{in_a} [data-action=room-hide]")
    page.keyboard.press("Enter")
    expect(card.locator("[data-action=room-reveal]")).to_be_focused()
    settled(card)
    page.keyboard.press("Enter")
    expect(card.locator("[data-action=room-hide]")).to_be_focused()

    step(page, "timer")
    tab_to(page, f"{in_a} [data-action=room-timer]")
    page.keyboard.press("Enter")
    pick(page, "5 minutes")
    expect(card.locator("[data-action=room-timer-stop]")).to_be_visible()
    assert focused(page) != "body"

    step(page, "assign")
    agata = others(lobby=workshop["lobby_code"], name="Agata", city="Łódź")
    person = '[data-action=person-move][aria-label="Move Agata to a room"]'
    expect(page.locator(person)).to_be_visible()
    tab_to(page, person, most=200)
    page.keyboard.press("Enter")
    pick(page, room_b["name"])
    expect(card_b).to_contain_text("Agata")
    assert focused(page) != "body", "after the assignment the focus stays in the People list"

    step(page, "move to another room")
    moving = f'{in_a} .note[data-note-id="{note_id}"] .note-move'
    tab_to(page, moving, most=200, backwards=True)
    page.keyboard.press("Enter")
    pick(page, f"{room_b['name']} › ")
    expect(card_b.locator(".note", has_text="Shared bikes")).to_be_visible()
    page.wait_for_timeout(300)
    assert focused(page) != "body", "the focus follows the note to its new room"

    assert lost(page) == [], "the focus fell back to the page body"


def whole_word(name):
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")
