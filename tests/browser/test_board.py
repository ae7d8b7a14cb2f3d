"""The board in a real browser: two people in one room, drag and drop, the Move-to menu, reload,
markup shown as text, export."""

from playwright.sync_api import expect

from .helpers import add_note, join, new_workshop, note, settled


def group(page, name):
    return page.locator(".group").filter(has=page.locator(".group-name", has_text=name))


def test_two_pages_see_each_others_notes(new_page, room_urls):
    ana, jean = new_page(), new_page()
    join(ana, room_urls[0], "Ana", "Milan")
    join(jean, room_urls[0], "Jean", "Nantes")

    add_note(ana, "More bike lanes")
    add_note(jean, "Car-free Sundays", group=1)

    for page in (ana, jean):
        mine = note(page, "More bike lanes")
        expect(mine).to_have_count(1)
        expect(mine.locator(".note-author")).to_have_text("Ana")
        expect(mine.locator(".note-city")).to_have_text("Milan")
        theirs = note(page, "Car-free Sundays")
        expect(theirs).to_have_count(1)
        expect(theirs.locator(".note-author")).to_have_text("Jean")
        expect(theirs.locator(".note-city")).to_have_text("Nantes")
        expect(group(page, "Ideas").locator(".note")).to_have_count(1)
    expect(ana.locator(".avatar")).to_have_count(2)


def test_drag_to_another_group_shows_on_the_other_page(new_page, room_urls):
    ana, jean = new_page(), new_page()
    join(ana, room_urls[0], "Ana", "Milan")
    join(jean, room_urls[0], "Jean", "Nantes")
    add_note(ana, "Drag me")
    expect(settled(ana)).to_have_count(1)
    expect(note(jean, "Drag me")).to_have_count(1)

    note(ana, "Drag me").drag_to(group(ana, "Actions").locator(".empty-hint"))

    expect(group(ana, "Actions").locator(".note")).to_have_count(1)
    expect(group(jean, "Actions").locator(".note-text")).to_have_text("Drag me")
    expect(group(jean, "Challenges").locator(".note")).to_have_count(0)


def test_reload_keeps_identity_and_notes(new_page, room_urls):
    page = new_page()
    join(page, room_urls[0], "Ana", "Milan")
    add_note(page, "Still here after a reload")
    expect(settled(page)).to_have_count(1)

    page.reload()

    expect(page.locator("#board")).to_be_visible()
    expect(page.locator("#join-form")).to_be_hidden()
    kept = note(page, "Still here after a reload")
    expect(kept).to_have_count(1)
    expect(kept.locator(".note-author")).to_have_text("Ana")
    expect(page.locator(".note.mine")).to_have_count(1)  # still my note: I may edit it
    expect(page.locator(".avatar[title^='Ana (Milan)']")).to_have_count(1)


def test_move_to_menu_moves_a_note_by_keyboard(new_page, room_urls):
    ana, jean = new_page(), new_page()
    join(ana, room_urls[0], "Ana", "Milan")
    join(jean, room_urls[0], "Jean", "Nantes")
    add_note(ana, "Move me with keys")
    expect(settled(ana)).to_have_count(1)

    note(ana, "Move me with keys").locator(".note-move").focus()
    ana.keyboard.press("Enter")
    menu = ana.locator(".menu[role='menu']")
    expect(menu).to_be_visible()
    expect(menu.locator(".menu-item").first).to_be_focused()
    # Items: Ideas, Actions (a single note has no Up/Down). Go to the second one.
    ana.keyboard.press("ArrowDown")
    expect(menu.locator(".menu-item").nth(1)).to_be_focused()
    expect(menu.locator(".menu-item").nth(1)).to_have_text("Actions")
    ana.keyboard.press("Enter")

    expect(menu).to_have_count(0)
    expect(group(ana, "Actions").locator(".note-text")).to_have_text("Move me with keys")
    expect(group(jean, "Actions").locator(".note-text")).to_have_text("Move me with keys")
    # Focus stays on the note's Move button, ready for the next move.
    expect(note(ana, "Move me with keys").locator(".note-move")).to_be_focused()


def test_markup_is_shown_as_text_and_never_runs(new_page, live_server):
    room_name = "<img src=x onerror=alert('room')>"
    title = "<script>alert('title')</script> Workshop"
    workshop = new_workshop(live_server, title=title, rooms=[
        {"name": room_name, "theme": "<b>theme</b>", "template": "challenges-ideas-actions"}])
    url = workshop["rooms"][0]["join_url"]
    person = "<b>Bold</b><script>alert('name')</script>"
    payloads = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]

    ana, jean = new_page(), new_page()
    dialogs = []
    for page in (ana, jean):
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    join(ana, url, person, "Milan")
    join(jean, url, "Jean", "Nantes")
    for text in payloads:
        add_note(ana, text)

    for page in (ana, jean):
        expect(settled(page)).to_have_count(2)
        expect(page.locator(".note-text")).to_have_text(payloads)
        expect(page.locator(".note-author").first).to_have_text(person)
        expect(page.locator("#room-name")).to_have_text(room_name)
        expect(page.locator("#room-theme")).to_have_text("<b>theme</b>")
        expect(page.locator("#workshop-title")).to_have_text(title)
        assert page.title() == f"{room_name} · {title}"
        expect(page.locator(".note img, .note script, #room-name img")).to_have_count(0)
    jean.reload()  # the server-rendered page too
    expect(jean.locator(".note-text")).to_have_text(payloads)
    assert dialogs == []


def test_export_button_downloads_a_csv(new_page, room_urls):
    code = room_urls[0].rsplit("/", 1)[1]
    page = new_page()
    join(page, room_urls[0], "Ana", "Milan")
    add_note(page, "Exported, with a comma, and “quotes”")
    expect(settled(page)).to_have_count(1)

    page.locator("#export-menu > summary").click()
    link = page.locator("#export-links a[data-format='csv']")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as csv_file:
        content = csv_file.read()
    assert "Exported, with a comma" in content
    assert "Ana" in content
    # The other formats are offered next to it.
    for fmt in ("md", "html", "json"):
        expect(page.locator(f"#export-links a[data-format='{fmt}']")).to_have_attribute(
            "href", f"/r/{code}/export.{fmt}")
