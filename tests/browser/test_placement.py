"""Where people are comes from the server: the console's People list after "Call everyone back".

Seven participants (four by room links, three by the lobby link), every one in a room, then the
facilitator calls everyone back. Every page goes to the lobby, and the console's People list
shows Lobby (7) and every room empty, with no reload; also when the facilitator reloaded the
console in the middle.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

CITIES = ["Milan", "Nantes", "Łódź"]
BY_LINK = [("Ana", "Milan", 0), ("Bea", "Nantes", 0), ("Cem", "Łódź", 1), ("Dan", "Milan", 1)]
BY_LOBBY = [("Eva", "Nantes"), ("Flo", "Łódź"), ("Gus", "Milan")]


@pytest.fixture
def workshop(live_server):
    return live_server.create_workshop({
        "title": f"Placement {uuid.uuid4().hex[:6]}",
        "cities": CITIES,
        "rooms": [
            {"name": "Room A", "theme": "Mobility", "template": "blank"},
            {"name": "Room B", "theme": "Food", "template": "blank"},
        ],
    })


def open_console(new_page, workshop):
    page = new_page(1366, 850)
    page.goto(workshop["facilitator_url"])
    expect(page.locator("#console[data-state=ready]")).to_be_attached()
    expect(page.locator("#connection-status")).to_have_attribute("data-status", "connected")
    return page


def join(new_page, url, name, city, ready):
    page = new_page(800, 600)
    page.goto(url)
    page.fill("#join-name", name)
    page.select_option("#join-city", city)
    page.press("#join-name", "Enter")
    expect(page.locator(ready)).to_be_visible()
    return page


def place(console, code):
    return console.locator(f'#places .place[data-drop-room="{code}"]')


def expect_people(console, workshop, lobby, rooms):
    """The People list: `lobby` names waiting, and the names in each room (by index)."""
    expect(place(console, "").locator(".person")).to_have_count(len(lobby))
    for name in lobby:
        expect(place(console, "").locator(".person-name").get_by_text(name, exact=True)).to_be_visible()
    for index, names in enumerate(rooms):
        code = workshop["rooms"][index]["code"]
        expect(place(console, code).locator(".person")).to_have_count(len(names))


def everyone_in_rooms(new_page, workshop, console):
    pages = {}
    for name, city, room in BY_LINK:
        pages[name] = join(new_page, workshop["rooms"][room]["join_url"], name, city,
                           "#board[data-state=ready]")
    for name, city in BY_LOBBY:
        pages[name] = join(new_page, workshop["lobby_url"], name, city, "#waiting")
    expect_people(console, workshop, [name for name, _ in BY_LOBBY], [["Ana", "Bea"], ["Cem", "Dan"]])
    # "Shuffle evenly" puts the three waiting in rooms; their pages follow.
    console.locator('[data-action="distribute"][data-mode="random"]').click()
    for name, _ in BY_LOBBY:
        pages[name].wait_for_url(re.compile(r"/r/"), wait_until="commit", timeout=20_000)
        expect(pages[name].locator("#board[data-state=ready]")).to_be_visible(timeout=20_000)
    expect(place(console, "").locator(".person")).to_have_count(0)
    return pages


def call_everyone_back(console, pages):
    console.locator('[data-action="recall"]').click()
    console.locator('[data-action="recall-confirm"]').click(no_wait_after=True)
    for page in pages.values():
        page.wait_for_url(re.compile(r"/w/"), wait_until="commit", timeout=20_000)
        expect(page.locator("#waiting")).to_be_visible(timeout=20_000)


def expect_all_in_lobby(console, workshop):
    everyone = [name for name, _, _ in BY_LINK] + [name for name, _ in BY_LOBBY]
    expect_people(console, workshop, everyone, [[], []])
    lobby_title = place(console, "").locator(".place-title")
    expect(lobby_title).to_have_text(re.compile(r"^Lobby\s*\(7\)$"))
    for room in workshop["rooms"]:
        expect(place(console, room["code"]).locator(".place-empty")).to_be_visible()
        expect(console.locator(f'.croom[data-room-code="{room["code"]}"] .croom-people li')).to_have_count(0)
    expect(console.locator("#people-summary")).to_have_text("7 online · 7 in the lobby")


def test_after_calling_everyone_back_the_console_shows_everyone_in_the_lobby(
        new_page, workshop):
    console = open_console(new_page, workshop)
    pages = everyone_in_rooms(new_page, workshop, console)
    call_everyone_back(console, pages)
    expect_all_in_lobby(console, workshop)
    assert console.js_errors == []


def test_the_same_after_the_facilitator_reloads_the_console_in_the_middle(new_page, workshop):
    console = open_console(new_page, workshop)
    pages = everyone_in_rooms(new_page, workshop, console)
    console.reload()
    expect(console.locator("#console[data-state=ready]")).to_be_attached()
    # Everyone is in a room, as before the reload.
    expect(place(console, "").locator(".person")).to_have_count(0)
    expect(console.locator("#places .place:not(.place-lobby) .person")).to_have_count(7)
    call_everyone_back(console, pages)
    expect_all_in_lobby(console, workshop)


def test_an_old_room_link_takes_a_placed_person_where_the_facilitator_put_them(
        new_page, workshop, live_server):
    """Issue 15, finding 6: after the facilitator moved Ana, her first room's link (a bookmark,
    the link in the chat) opens the room she was placed in, and later the lobby she was called
    back to; the console keeps showing where she really is."""
    from .helpers import Facilitator

    first, second = (room["code"] for room in workshop["rooms"])
    console = open_console(new_page, workshop)
    ana = join(new_page, workshop["rooms"][0]["join_url"], "Ana", "Milan", "#board[data-state=ready]")
    facilitator = Facilitator(live_server, workshop)
    try:
        [ana_id] = [p["id"] for p in facilitator.joined["workshop"]["participants"]]
        facilitator.op("participant.assign", participant_id=ana_id, room=second)
        ana.wait_for_url(re.compile(f"/r/{second}"), wait_until="commit", timeout=20_000)
        expect(ana.locator("#board[data-state=ready]")).to_be_visible(timeout=20_000)

        ana.goto(workshop["rooms"][0]["join_url"])
        ana.wait_for_url(re.compile(f"/r/{second}"), wait_until="commit", timeout=20_000)
        expect(ana.locator("#board[data-state=ready]")).to_be_visible(timeout=20_000)
        expect(ana.locator(".room-header")).to_contain_text("Room B")
        expect_people(console, workshop, [], [[], ["Ana"]])

        facilitator.op("participants.recall")
        ana.wait_for_url(re.compile(r"/w/"), wait_until="commit", timeout=20_000)
        ana.goto(workshop["rooms"][0]["join_url"])
        ana.wait_for_url(re.compile(r"/w/"), wait_until="commit", timeout=20_000)
        expect(ana.locator("#waiting")).to_be_visible(timeout=20_000)
        expect_people(console, workshop, ["Ana"], [[], []])
        assert first not in ana.url
    finally:
        facilitator.close()
