"""Shared steps for the browser tests: join a room, add a note, act as the facilitator."""

import uuid

import socketio
from playwright.sync_api import expect


def join(page, url, name="Ana", city="Milan"):
    """Open a room (or lobby) link and join with a name and a city."""
    page.goto(url)
    page.fill("#join-name", name)
    page.select_option("#join-city", city)
    page.click("#join-button")
    if "/r/" in url:
        expect(page.locator("#board")).to_be_visible()


def add_note(page, text, group=0):
    """Type a note in a group's composer and press Enter (the note shows at once, pending).

    `group` is the group's position on the board (on a 2×2 map the page shows the groups in
    reading order, so that is not always their order in the page)."""
    composer = page.locator(f'.group[data-position="{group}"] textarea.composer')
    composer.fill(text)
    composer.press("Enter")


def note(page, text):
    """The note showing exactly this text."""
    return page.locator(".note").filter(has=page.locator(".note-text", has_text=text))


def settled(page):
    """Notes the server has acknowledged (no longer marked pending)."""
    return page.locator(".note:not(.pending)")


class Facilitator:
    """The facilitator's socket, as the console uses it: ops in named rooms."""

    def __init__(self, live_server, workshop):
        self.workshop = workshop
        self.sock = socketio.Client()
        self.sock.connect(live_server.url, transports=["websocket"])
        joined = self.sock.call("join", {"facilitator_key": workshop["facilitator_key"]}, timeout=10)
        assert joined["ok"], joined
        self.joined = joined

    def op(self, type_, room=None, **fields):
        payload = {"type": type_, "op_id": str(uuid.uuid4()), **fields}
        if room is not None:
            payload["room"] = room
        ack = self.sock.call("op", payload, timeout=10)
        assert ack["ok"], ack
        return ack

    def close(self):
        self.sock.disconnect()


def new_workshop(live_server, **overrides):
    """A fresh workshop with two rooms (challenges-ideas-actions, stakeholder-map)."""
    data = {
        "title": f"Browser {uuid.uuid4().hex[:6]}",
        "cities": ["Milan", "Nantes", "Łódź"],
        "rooms": [
            {"name": "Room 1", "theme": "Environment & Food", "template": "challenges-ideas-actions"},
            {"name": "Room 2", "theme": "Stakeholders", "template": "stakeholder-map"},
        ],
        **overrides,
    }
    return live_server.create_workshop(data)
