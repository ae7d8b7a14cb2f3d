"""The compare page in a real browser: two meetings of a city's stakeholder map."""

import socketio
from playwright.sync_api import expect

from .helpers import Facilitator, add_note, join, new_workshop, settled


def participant_op(live_server, code, name, city, **payload):
    """One op sent by a participant's own socket (joins, sends, leaves)."""
    import uuid
    sock = socketio.Client()
    sock.connect(live_server.url, transports=["websocket"])
    try:
        joined = sock.call("join", {"room": code, "name": name, "city": city}, timeout=10)
        assert joined["ok"], joined
        ack = sock.call("op", {"op_id": str(uuid.uuid4()), **payload}, timeout=10)
        assert ack["ok"], ack
        return joined, ack
    finally:
        sock.disconnect()


def test_plan_the_next_meeting_then_compare_the_map(live_server, new_page):
    workshop = new_workshop(live_server, rooms=[
        {"name": "Map", "theme": "Stakeholders", "template": "stakeholder-map"}])
    page = new_page()
    join(page, workshop["rooms"][0]["join_url"], "Ana", "Milan")
    for text, quadrant in [("Food bank", 0), ("University", 2), ("Schools", 3)]:
        add_note(page, text, group=quadrant)
    expect(settled(page)).to_have_count(3)

    # Plan the next meeting from its form: the browser lands on the new console.
    page.goto(f"{live_server.url}/f/{workshop['facilitator_key']}/next")
    expect(page.get_by_text("Starts with its 3 notes of now")).to_be_visible()
    page.fill("#next-title-input", "#4 Transnational meeting")
    page.click("text=Create the next meeting")
    page.wait_for_url(lambda url: "/f/" in url and workshop["facilitator_key"] not in url)
    new_key = page.url.rsplit("/f/", 1)[1]

    facilitator = Facilitator(live_server, {"facilitator_key": new_key})
    try:
        code = facilitator.joined["workshop"]["rooms"][0]["code"]
        board = facilitator.joined["boards"][code]
        notes = {n["text"]: n for n in board["notes"]}
        groups = [g["id"] for g in board["groups"]]
        facilitator.op("note.update", room=code, note_id=notes["Food bank"]["id"],
                       text="Milan Food Bank")
        facilitator.op("note.move", room=code, note_id=notes["University"]["id"],
                       group_id=groups[0])
        facilitator.op("note.delete", room=code, note_id=notes["Schools"]["id"])
    finally:
        facilitator.close()
    participant_op(live_server, code, "Bo", "Milan", type="note.add",
                   text="Farmers' cooperative", group_id=groups[3])

    page.goto(f"{live_server.url}/f/{new_key}/cities/Milan/stakeholders")
    page.click("text=Compare with the previous meeting")
    summary = page.locator(".compare-summary")
    expect(summary).to_contain_text("+1 added · 1 removed · 1 moved")
    expect(page.locator(".cmp-added .map-item-text")).to_have_text(["Farmers' cooperative"])
    removed = page.locator(".cmp-removed s")
    expect(removed).to_have_text(["Schools"])
    assert "line-through" in removed.evaluate("el => getComputedStyle(el).textDecorationLine")
    expect(page.locator(".cmp-moved .map-item-from")).to_have_text(["← from Keep informed"])
    expect(page.locator(".cmp-unchanged .map-item-text")).to_have_text(["Milan Food Bank"])
    expect(page.locator(".cmp-unchanged .map-item-meta")).to_have_text(["was “Food bank”"])

    # Drawn as the 2×2: Manage closely top right, Keep satisfied top left, Monitor bottom left.
    box = {name: page.locator(".map-part", has=page.locator(".map-part-name", has_text=name))
           .bounding_box() for name in ("Manage closely", "Keep satisfied", "Monitor")}
    assert box["Keep satisfied"]["x"] < box["Manage closely"]["x"]
    assert abs(box["Keep satisfied"]["y"] - box["Manage closely"]["y"]) < 2
    assert box["Monitor"]["y"] > box["Keep satisfied"]["y"]
    moved = page.locator(".cmp-moved")
    assert moved.bounding_box()["x"] > box["Keep satisfied"]["x"] + box["Keep satisfied"]["width"]

    # Compare live with live: nothing changed.
    page.select_option("#compare-from", "live")
    page.click("button:has-text('Compare')")
    expect(summary).to_contain_text("+0 added · 0 removed · 0 moved")
    expect(page.locator(".cmp-unchanged")).to_have_count(3)

    # On a phone the quadrants stack, nothing wider than the screen.
    phone = new_page(390, 844)
    phone.goto(page.url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_ecosystem_map_room_is_drawn_as_four_sectors_without_axes(live_server, new_page):
    workshop = new_workshop(live_server, rooms=[
        {"name": "Helix", "theme": "Ecosystem", "template": "ecosystem-map"},
        {"name": "Map", "theme": "Stakeholders", "template": "stakeholder-map"}])
    page = new_page()
    join(page, workshop["rooms"][0]["join_url"], "Ana", "Milan")
    expect(page.locator("#board")).to_have_class("board layout-matrix")
    boxes = [page.locator(".group").nth(i).bounding_box() for i in range(4)]
    public, private, civic, knowledge = boxes
    assert public["x"] < private["x"] and abs(public["y"] - private["y"]) < 2
    assert civic["y"] > public["y"] and abs(civic["x"] - public["x"]) < 2
    assert knowledge["x"] == private["x"] and knowledge["y"] == civic["y"]
    expect(page.locator(".quad-caption").first).to_have_text("Authorities, agencies, public services")
    expect(page.locator(".axis-y")).to_be_hidden()

    other = new_page()
    join(other, workshop["rooms"][1]["join_url"], "Bo", "Nantes")
    expect(other.locator(".axis-y .axis-name")).to_have_text("Influence →")
    expect(other.locator(".axis-x .axis-name")).to_have_text("Interest →")

    # The console offers the template, and the next meeting.
    console = new_page()
    console.goto(f"{live_server.url}/f/{workshop['facilitator_key']}")
    assert "ecosystem-map" in console.locator("#add-room-form select[name=template] option").evaluate_all(
        "options => options.map((o) => o.value)")
    console.click("text=Plan the next meeting")
    expect(console.locator("h1")).to_have_text("Plan the next meeting")
