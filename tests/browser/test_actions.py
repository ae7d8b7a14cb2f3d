"""Action notes in a real browser: one line of details on the note, the shared editor used by
keyboard only (room page and console), and the status that moves the note to its group."""

import json
import urllib.request

from playwright.sync_api import expect

from .helpers import add_note, join, new_workshop, note, settled


def focus_field(page, name, most=14, key="Tab"):
    """Press Tab (or `key`) until the field named `name` has the focus: reachable by keyboard."""
    for _ in range(most):
        if page.evaluate("document.activeElement && document.activeElement.name") == name:
            return
        page.keyboard.press(key)
    raise AssertionError(f"{name} was not reached with {key}")


def open_details(page, item):
    """From the note's text box, Tab to the "Action details" summary and open it with Enter."""
    for _ in range(14):
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
        page.keyboard.press("Tab")
    expect(item.locator(".note-details-editor summary")).to_be_focused()
    page.keyboard.press("Enter")
    expect(item.locator(".note-details-editor")).to_have_attribute("open", "")


def group_of(page, text, scope=None):
    """The name of the group showing the note with this text."""
    item = note(scope or page, text)
    return item.evaluate("el => el.closest('[data-group-id]').querySelector('.group-name').textContent")


def action_plan(live_server, workshop, city):
    url = f"{live_server.url}/f/{workshop['facilitator_key']}/cities/{city}/action-plan.json"
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.load(answer)["actions"]


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
    # "Action details" is closed (the note has only the status its column gives) and opens by keyboard.
    expect(mine.locator(".note-details-editor")).not_to_have_attribute("open", "")
    open_details(ana, mine)
    expect(mine.get_by_label("Lead", exact=True)).to_be_visible()
    expect(mine.get_by_label("Status")).to_have_value("planned")
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

    # Saved: the line shows for both, and the note moved to "In progress" (its status's group).
    expect(mine.locator(".note-editor")).to_have_count(0)
    line = "Lead: Food Policy Office · from 2027-03"
    expect(mine.locator(".note-details")).to_have_text(line)
    theirs = note(jean, "Weigh canteen leftovers")
    expect(theirs.locator(".note-details")).to_have_text(line)
    expect(settled(ana)).to_have_count(1)
    assert group_of(ana, "Weigh canteen leftovers") == "In progress"
    assert group_of(jean, "Weigh canteen leftovers") == "In progress"
    expect(mine.locator(".note-edit")).to_be_focused()  # the focus went with the note
    [action] = action_plan(live_server, workshop, "Milan")
    assert (action["lead"], action["partners"], action["start"], action["status"]) == (
        "Food Policy Office", "Canteens, parents", "2027-03", "in-progress")

    # Escape in a details field cancels: nothing changes.
    ana.keyboard.press("Enter")
    focus_field(ana, "detail-lead")  # open by itself now: the note has a lead
    ana.keyboard.type(" and more")
    ana.keyboard.press("Escape")
    expect(mine.locator(".note-editor")).to_have_count(0)
    expect(mine.locator(".note-edit")).to_be_focused()
    expect(mine.locator(".note-details")).to_have_text(line)

    # A start after the end is said in words next to the note; the editor stays open.
    ana.keyboard.press("Enter")
    focus_field(ana, "detail-end")
    ana.keyboard.type("January")
    ana.keyboard.press("Tab")
    ana.keyboard.type("2027")
    ana.keyboard.press("Enter")
    expect(mine.locator(".error-message")).to_contain_text("cannot be after the end")
    expect(mine.get_by_label("Start")).to_be_focused()
    ana.keyboard.press("Escape")
    expect(mine.locator(".note-editor")).to_have_count(0)
    # Another participant cannot edit Ana's action.
    expect(theirs.locator(".note-edit")).to_have_count(0)


def test_the_console_edits_details_in_the_same_editor_and_the_note_follows_its_status(
        new_page, live_server):
    workshop = new_workshop(live_server, rooms=[
        {"name": "Actions", "theme": "Milan's actions", "template": "action-table"}])
    room = workshop["rooms"][0]
    ana = new_page()
    join(ana, room["join_url"], "Ana", "Milan")
    add_note(ana, "Compost in every school")  # Ideas
    expect(settled(ana)).to_have_count(1)

    console = new_page()
    console.goto(workshop["facilitator_url"])
    expect(console.locator("#console[data-state=ready]")).to_be_attached()
    item = note(console, "Compost in every school")
    item.locator('[data-action="note-edit"]').focus()
    console.keyboard.press("Enter")
    expect(item.locator(".note-edit-input")).to_be_focused()
    open_details(console, item)
    focus_field(console, "detail-lead")
    console.keyboard.type("Environment department")
    focus_field(console, "detail-status")
    console.keyboard.press("End")  # the last status: Dropped
    console.keyboard.press("ArrowUp")  # Done
    expect(item.get_by_label("Status")).to_have_value("done")
    focus_field(console, "detail-lead", key="Shift+Tab")
    console.keyboard.press("Enter")

    line = "Lead: Environment department"
    expect(note(ana, "Compost in every school").locator(".note-details")).to_have_text(line)
    expect(item.locator(".note-details")).to_have_text(line)
    assert group_of(ana, "Compost in every school") == "Done"
    assert group_of(console, "Compost in every school") == "Done"
    [action] = action_plan(live_server, workshop, "Milan")
    assert (action["lead"], action["status"]) == ("Environment department", "done")
