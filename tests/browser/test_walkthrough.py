"""What the walkthrough found (issue 9, part 4), in a real browser."""

import json
import re
import uuid

import pytest
from playwright.sync_api import expect

from .helpers import Facilitator, add_note, join, note, settled

CITIES = ["Milan", "Nantes", "Łódź"]


@pytest.fixture
def workshop(live_server):
    return live_server.create_workshop({
        "title": f"Walkthrough {uuid.uuid4().hex[:6]}",
        "cities": CITIES,
        "rooms": [
            {"name": "Room A", "theme": "Mobility", "template": "challenges-ideas-actions"},
            {"name": "Room B", "theme": "Stakeholders", "template": "stakeholder-map"},
        ],
    })


@pytest.fixture
def facilitator(live_server, workshop):
    person = Facilitator(live_server, workshop)
    yield person
    person.close()


def open_console(new_page, workshop, width=1366, height=850):
    page = new_page(width, height)
    page.goto(workshop["facilitator_url"])
    expect(page.locator("#console[data-state=ready]")).to_be_attached()
    return page


def card(console, workshop, index):
    return console.locator(f'.croom[data-room-code="{workshop["rooms"][index]["code"]}"]')


def boxes_overlap(a, b):
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def test_home_add_room_starts_a_blank_room(new_page, live_server):
    page = new_page()
    page.goto(live_server.url + "/")
    page.locator("select[name=room_template]").last.select_option("stakeholder-map")
    page.click("#add-room")
    rows = page.locator(".room-row")
    expect(rows).to_have_count(4)
    assert rows.last.locator("select").input_value() == "blank"
    assert rows.last.locator("input[name=room_name]").input_value() == ""


def test_console_add_room_shows_no_value_like_placeholder(new_page, workshop):
    console = open_console(new_page, workshop)
    console.click(".btn-add-room")
    name = console.locator('#add-room-form input[name="name"]')
    expect(name).to_be_visible()
    assert not name.get_attribute("placeholder")
    assert console.locator('#add-room-form input[name="theme"]').get_attribute("placeholder").startswith("for example")


def test_dot_voting_with_several_dots_on_one_note_and_closing_asks_first(new_page, workshop):
    code, url = workshop["rooms"][0]["code"], workshop["rooms"][0]["join_url"]
    ana = new_page(1100, 800)
    join(ana, url, "Ana", "Milan")
    add_note(ana, "Cargo bikes")
    expect(settled(ana)).to_have_count(1)
    console = open_console(new_page, workshop)
    room = card(console, workshop, 0)
    room.locator('[data-action="room-voting"]').click()
    form = room.locator('[data-form="room-votes"]')
    form.locator("input[name=value]").fill("3")
    form.get_by_label("Let a person put several dots on one note").check()
    form.get_by_role("button", name="Open voting").click()
    expect(room.locator(".badge-voting")).to_contain_text("several per note")

    expect(ana.locator("#votes-rule")).to_have_text("You may put several dots on one note.")
    bikes = note(ana, "Cargo bikes")
    bikes.locator(".note-vote").click()
    expect(ana.locator("#votes-left-text")).to_have_text("2 of 3 votes left")
    bikes.locator(".note-vote").click()
    expect(ana.locator("#votes-left-text")).to_have_text("1 of 3 votes left")
    expect(bikes.locator(".note-vote")).to_contain_text("2")
    bikes.locator(".note-unvote").click()  # one dot back, not both
    expect(ana.locator("#votes-left-text")).to_have_text("2 of 3 votes left")

    # Closing the vote asks first; Cancel keeps it open.
    room.locator('[data-action="room-voting-close"]').click()
    confirm = room.locator('[data-form="room-end-voting"]')
    expect(confirm).to_contain_text("End voting in “Room A”?")
    confirm.get_by_role("button", name="Cancel").click()
    expect(room.locator(".badge-voting")).to_be_visible()
    room.locator('[data-action="room-voting-close"]').click()
    room.locator('[data-form="room-end-voting"]').get_by_role("button", name="End voting").click()
    expect(room.locator(".badge-voting")).to_be_hidden()
    expect(ana.locator("#votes-left")).to_be_hidden()


def test_one_dot_per_note_is_said_on_the_board(new_page, workshop, facilitator):
    code, url = workshop["rooms"][0]["code"], workshop["rooms"][0]["join_url"]
    ana = new_page(1100, 800)
    join(ana, url, "Ana", "Milan")
    facilitator.op("voting.open", room=code, votes_per_participant=2)
    expect(ana.locator("#votes-rule")).to_have_text("One dot per note.")


def test_tab_order_on_a_2x2_map_follows_the_grid(new_page, workshop):
    page = new_page(1366, 850)
    join(page, workshop["rooms"][1]["join_url"], "Ana", "Milan")
    groups = page.locator("#groups .group")
    expect(groups).to_have_count(4)
    assert [g.get_attribute("data-quadrant") for g in groups.all()] == ["tl", "tr", "bl", "br"]
    # Tab goes through the composers in the order they are drawn: top-left to bottom-right.
    composers = page.locator("textarea.composer")
    composers.first.focus()
    seen = []
    for _ in range(60):
        box = page.evaluate("document.activeElement.matches('textarea.composer') && "
                            "JSON.stringify(document.activeElement.getBoundingClientRect())")
        if box and box not in seen:
            seen.append(box)
        if len(seen) == 4:
            break
        page.keyboard.press("Tab")
    places = [json.loads(b) for b in seen]
    assert len(places) == 4
    assert places == sorted(places, key=lambda r: (round(r["y"] / 50), r["x"]))


def test_the_hover_toolbar_leaves_the_city_chip_visible(new_page, workshop):
    page = new_page(1366, 850)
    join(page, workshop["rooms"][0]["join_url"], "Anastasia Papadopoulou", "Łódź")
    add_note(page, "Shared depots at the edge of town")
    mine = settled(page).first
    expect(mine).to_be_visible()
    mine.hover()
    expect(mine.locator(".note-actions")).to_have_css("opacity", "1")
    assert not boxes_overlap(mine.locator(".note-city").bounding_box(),
                             mine.locator(".note-actions").bounding_box())


def test_a_locked_board_does_not_invite_typing(new_page, workshop, facilitator):
    code, url = workshop["rooms"][0]["code"], workshop["rooms"][0]["join_url"]
    page = new_page()
    join(page, url, "Ana", "Milan")
    expect(page.locator(".empty-hint").first).to_be_visible()
    facilitator.op("room.lock", room=code)
    expect(page.locator("#board.locked")).to_be_attached()
    expect(page.get_by_text("Type an idea and press Enter")).to_have_count(3)  # in the DOM...
    expect(page.locator(".empty-hint:visible")).to_have_count(0)              # ...none shown


def test_a_closed_rooms_link_says_so_before_the_join_form(new_page, workshop, facilitator):
    code, url = workshop["rooms"][0]["code"], workshop["rooms"][0]["join_url"]
    facilitator.op("room.close", room=code)
    page = new_page()
    page.goto(url)
    expect(page.locator("#closed")).to_be_visible()
    expect(page.locator("#closed")).to_contain_text("closed")
    expect(page.locator("#join")).to_be_hidden()
    lobby = page.get_by_role("link", name="Go to the lobby")
    expect(lobby).to_have_attribute("href", re.compile(r"/w/"))
    page.wait_for_timeout(500)
    assert "/r/" in page.url  # it stays and says so; the link offers the lobby


def test_an_unsent_draft_survives_a_reload(new_page, workshop):
    page = new_page()
    join(page, workshop["rooms"][0]["join_url"], "Ana", "Milan")
    page.locator("textarea.composer").nth(1).fill("Half a thought about trams")
    page.reload()
    expect(page.locator("#board[data-state=ready]")).to_be_visible()
    expect(page.locator("textarea.composer").nth(1)).to_have_value("Half a thought about trams")
    page.locator("textarea.composer").nth(1).press("Enter")
    expect(settled(page)).to_have_count(1)
    page.reload()
    expect(page.locator("#board[data-state=ready]")).to_be_visible()
    expect(page.locator("textarea.composer").nth(1)).to_have_value("")


def test_a_note_moved_in_from_another_room_says_where_from(new_page, workshop, facilitator):
    a, b = workshop["rooms"][0], workshop["rooms"][1]
    ana = new_page()
    join(ana, a["join_url"], "Ana", "Milan")
    add_note(ana, "Ride sharing")
    expect(settled(ana)).to_have_count(1)
    bea = new_page()
    join(bea, b["join_url"], "Bea", "Nantes")
    note_id = settled(ana).first.get_attribute("data-note-id")
    facilitator.op("note.move", room=a["code"], note_id=note_id, to_room=b["code"])
    arrived = note(bea, "Ride sharing")
    expect(arrived).to_have_class(re.compile(r"\bmoved-in\b"))
    expect(arrived.locator(".note-from")).to_have_text("from Room A")


def test_long_notes_are_clamped_with_show_more(new_page, workshop):
    page = new_page()
    join(page, workshop["rooms"][0]["join_url"], "Ana", "Milan")
    long_text = "A long idea " + "with many words " * 30
    add_note(page, long_text)
    long_note = settled(page).first
    text = long_note.locator(".note-text")
    expect(text).to_have_class(re.compile(r"\bclamped\b"))
    clamped_height = text.bounding_box()["height"]
    more = long_note.get_by_role("button", name="Show more")
    more.click()
    expect(text).not_to_have_class(re.compile(r"\bclamped\b"))
    assert text.bounding_box()["height"] > clamped_height
    expect(long_note.get_by_role("button", name="Show less")).to_be_visible()
    add_note(page, "Short one")
    expect(note(page, "Short one").locator(".note-more")).to_be_hidden()


def test_console_cards_never_cut_a_row_and_tools_are_named(new_page, workshop, live_server):
    code, url = workshop["rooms"][0]["code"], workshop["rooms"][0]["join_url"]
    ana = new_page()
    join(ana, url, "Ana", "Milan")
    for index in range(9):
        add_note(ana, f"Idea number {index}")
    expect(settled(ana)).to_have_count(9)
    console = open_console(new_page, workshop)
    room = card(console, workshop, 0)
    group = room.locator(".cgroup").first
    expect(group.locator(".note")).to_have_count(6)
    more = group.locator(".group-more")
    expect(more).to_have_text("3 more")
    more.click()
    expect(group.locator(".note")).to_have_count(9)
    board = room.locator(".croom-board")
    assert board.evaluate("el => el.scrollHeight <= el.clientHeight + 1")
    # At 1366 px the room tools show their names next to the icons.
    label = room.locator('[data-action="room-lock"] .tool-label')
    expect(label).to_have_text("Lock")
    assert label.bounding_box()["width"] > 20


def test_the_console_says_to_bookmark_it_right_after_creation(new_page, live_server):
    page = new_page()
    page.goto(live_server.url + "/")
    page.fill("input[name=title]", f"Kick-off {uuid.uuid4().hex[:4]}")
    page.fill("textarea[name=cities]", "Milan\nNantes")
    page.locator("input[name=room_name]").first.fill("Room 1")
    page.locator("input[name=room_theme]").first.fill("Energy")
    page.get_by_role("button", name=re.compile("Create")).click()
    expect(page.locator("#bookmark")).to_be_visible()
    expect(page.locator("#bookmark")).to_contain_text("Bookmark this page now")
    expect(page).not_to_have_url(re.compile(r"created"))  # a bookmark or reload is the plain link
    expect(page.locator("#console-link")).to_have_value(re.compile(r"/f/"))
    page.reload()
    expect(page.locator("#bookmark")).to_have_count(0)


def test_console_tools_are_named_at_1280_with_three_rooms_and_map_groups_keep_their_names(
        new_page, live_server):
    workshop = live_server.create_workshop({
        "title": f"Three rooms {uuid.uuid4().hex[:4]}", "cities": CITIES,
        "rooms": [{"name": f"Room {n}", "theme": "Mobility", "template": template}
                  for n, template in (("A", "blank"), ("B", "stakeholder-map"), ("C", "blank"))],
    })
    console = open_console(new_page, workshop, width=1280)
    for index in range(3):
        label = card(console, workshop, index).locator('[data-action="room-lock"] .tool-label')
        expect(label).to_have_text("Lock")
        assert label.bounding_box()["width"] > 20, "the tool's name shows next to its icon"
    # On a phone a map's group keeps its name on a line (its caption goes below), never one
    # letter a line.
    console.set_viewport_size({"width": 390, "height": 844})
    name = card(console, workshop, 1).locator(".cgroup-name").first
    expect(name).to_have_text("Keep satisfied")
    box = name.bounding_box()
    assert box["height"] < 60 and box["width"] > 80, box
