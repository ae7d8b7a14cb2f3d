"""Action notes in a real browser: one line of details on the note, an editor used by keyboard."""

import json
import urllib.request

from playwright.sync_api import expect

from .helpers import add_note, join, new_workshop, note, settled


def focus_field(page, name, most=12, key="Tab"):
    """Press Tab (or `key`) until the field named `name` has the focus: reachable by keyboard."""
    for _ in range(most):
        if page.evaluate("document.activeElement && document.activeElement.name") == name:
            return
        page.keyboard.press(key)
    raise AssertionError(f"{name} was not reached with Tab")


def test_an_action_is_edited_by_keyboard_and_everyone_sees_its_line(new_page, live_server):
    workshop = new_workshop(live_server, rooms=[
        {"name": "Actions", "theme": "Milan's actions", "template": "action-table"}])
    url = workshop["rooms"][0]["join_url"]
    ana, jean = new_page(), new_page()
    join(ana, url, "Ana", "Milan")
    join(jean, url, "Jean", "Nantes")
    add_note(ana, "Weigh canteen leftovers", group=1)  # Planned
    expect(settled(ana)).to_have_count(1)
    mine = note(ana, "Weigh canteen leftovers")
    expect(mine.locator(".note-details")).to_be_hidden()  # no lead or dates yet

    mine.locator(".note-edit").focus()
    ana.keyboard.press("Enter")
    expect(mine.locator(".note-edit-input")).to_be_focused()
    # "Action details" opens from the keyboard too (closed: the note has only its status yet).
    for _ in range(6):
        if ana.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
        ana.keyboard.press("Tab")
    expect(mine.locator(".note-details-editor summary")).to_be_focused()
    ana.keyboard.press("Enter")
    focus_field(ana, "detail-lead")
    ana.keyboard.type("Food Policy Office")
    ana.keyboard.press("Tab")
    ana.keyboard.type("Canteens, parents")
    focus_field(ana, "detail-start")
    ana.keyboard.type("March")  # the month field: its month, then (Tab) its year
    ana.keyboard.press("Tab")
    ana.keyboard.type("2027")
    focus_field(ana, "detail-status")
    ana.keyboard.press("ArrowDown")  # Planned -> In progress
    focus_field(ana, "detail-resources", key="Shift+Tab")
    ana.keyboard.press("Enter")  # Enter in a field saves, as in the text

    expect(mine.locator(".note-editor")).to_have_count(0)
    line = "Lead: Food Policy Office · from 2027-03"
    expect(mine.locator(".note-details")).to_have_text(line)
    expect(note(jean, "Weigh canteen leftovers").locator(".note-details")).to_have_text(line)
    expect(settled(ana)).to_have_count(1)
    key = workshop["facilitator_key"]
    with urllib.request.urlopen(
            f"{live_server.url}/f/{key}/cities/Milan/action-plan.json", timeout=10) as answer:
        [action] = json.load(answer)["actions"]
    assert (action["lead"], action["partners"], action["start"], action["status"]) == (
        "Food Policy Office", "Canteens, parents", "2027-03", "in-progress")

    # Escape in a details field cancels: nothing changes.
    mine.locator(".note-edit").focus()
    ana.keyboard.press("Enter")
    focus_field(ana, "detail-lead")  # open now: the note has a lead
    ana.keyboard.type(" and more")
    ana.keyboard.press("Escape")
    expect(mine.locator(".note-editor")).to_have_count(0)
    expect(mine.locator(".note-edit")).to_be_focused()
    expect(mine.locator(".note-details")).to_have_text(line)
    # Another participant cannot edit Ana's action.
    expect(note(jean, "Weigh canteen leftovers").locator(".note-edit")).to_have_count(0)
