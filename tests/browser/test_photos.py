"""Photos and the spotlight in a real browser: paste a photo, describe it, see it in another
window; the facilitator shows it to everyone, steps to the next note, ends the spotlight."""

import base64
import io

from PIL import Image
from playwright.sync_api import expect

from .helpers import join, new_workshop, note
from .test_console import open_console


def png_base64(color=(30, 120, 200), size=(640, 480)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


PASTE = """([data, target]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const file = new File([bytes], "pasted.png", { type: "image/png" });
  const transfer = new DataTransfer();
  transfer.items.add(file);
  const composer = document.querySelectorAll("textarea.composer")[target];
  composer.focus();
  composer.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
}"""


def ana_and_ben_in_a_room(new_page, live_server):
    """A new workshop, its first room's link, and Ana (desktop) and Ben (phone) joined there."""
    workshop = new_workshop(live_server)
    url = workshop["rooms"][0]["join_url"]
    ana, ben = new_page(), new_page(390, 844)
    join(ana, url, "Ana", "Milan")
    join(ben, url, "Ben", "Nantes")
    return workshop, url, ana, ben


def test_paste_a_photo_see_it_elsewhere_then_spotlight_and_next(new_page, live_server):
    workshop, url, ana, ben = ana_and_ben_in_a_room(new_page, live_server)

    # A text file is refused with its reason, in the composer, and nothing is added.
    ana.locator(".composer-file").first.set_input_files(
        files=[{"name": "notes.png", "mimeType": "image/png", "buffer": b"not a photo at all"}])
    refusal = ana.locator(".composer-photo-status").first
    expect(refusal).to_contain_text("not a photo we can read")
    ana.locator(".composer-photo-remove").first.click()
    expect(ana.locator(".composer-photo-slot").first).to_be_hidden()

    ana.evaluate(PASTE, [png_base64(), 0])
    expect(ana.locator(".composer-photo-status").first).to_contain_text("Photo ready")
    ana.locator(".composer-alt").first.fill("Blue tram at the station")
    composer = ana.locator("textarea.composer").first
    composer.fill("Our new tram line")
    composer.press("Enter")
    ana.locator("textarea.composer").first.fill("Bike lanes everywhere")
    ana.locator("textarea.composer").first.press("Enter")

    photo = note(ben, "Our new tram line").locator(".note-photo img")
    expect(photo).to_have_attribute("alt", "Blue tram at the station")
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("img => img.naturalWidth") > 0
    # The full photo opens on click, with its caption, and closes again.
    note(ben, "Our new tram line").locator(".note-photo").click()
    viewer = ben.locator("dialog.photo-viewer")
    expect(viewer).to_be_visible()
    expect(viewer.locator(".photo-viewer-caption")).to_have_text("Our new tram line")
    viewer.locator(".photo-viewer-close").click()
    expect(viewer).to_be_hidden()

    # The author corrects the description from the note's editor; others get it.
    own = note(ana, "Our new tram line")
    own.hover()
    own.locator(".note-edit").click()
    own.locator(".note-alt-input").fill("Blue tram at the main station")
    own.locator(".note-save").click()
    expect(photo).to_have_attribute("alt", "Blue tram at the main station")

    console = open_console(new_page, workshop)
    console_note = console.locator(".cnote", has=console.locator(".note-text", has_text="Our new tram line"))
    expect(console_note.locator(".note-photo img")).to_have_attribute("alt", "Blue tram at the main station")
    console_note.hover()
    console_note.locator('[data-action="note-spotlight"]').click()

    for page in (ana, ben):
        overlay = page.locator(".spotlight")
        expect(overlay).to_be_visible()
        expect(overlay.locator(".spotlight-text")).to_have_text("Our new tram line")
        expect(overlay.locator(".spotlight-author")).to_have_text("Ana")
        expect(overlay.locator(".spotlight-city")).to_have_text("Milan")
        expect(overlay.locator(".spotlight-img")).to_have_attribute("alt", "Blue tram at the main station")
    # On a phone the spotlight fills the screen.
    box = ben.locator(".spotlight-card").bounding_box()
    assert box["width"] >= 388 and box["height"] >= 800, box

    bar = console.locator(".spotlight-bar")
    expect(bar).to_contain_text("Our new tram line")
    bar.locator('[data-action="spotlight-next"]').click()
    for page in (ana, ben):
        expect(page.locator(".spotlight .spotlight-text")).to_have_text("Bike lanes everywhere")
        expect(page.locator(".spotlight .spotlight-img")).to_be_hidden()
    expect(bar.locator('[data-action="spotlight-next"]')).to_be_disabled()

    # Ben closes it on his screen; the next show opens it again.
    ben.locator(".spotlight-close").click()
    expect(ben.locator(".spotlight")).to_be_hidden()
    expect(ana.locator(".spotlight")).to_be_visible()
    bar.locator('[data-action="spotlight-prev"]').click()
    expect(ben.locator(".spotlight .spotlight-text")).to_have_text("Our new tram line")

    # Someone arriving during the spotlight sees it too; "End spotlight" ends it everywhere.
    cy = new_page()
    join(cy, url, "Cy", "Łódź")
    expect(cy.locator(".spotlight .spotlight-text")).to_have_text("Our new tram line")
    bar.locator('[data-action="spotlight-end"]').click()
    for page in (ana, ben, cy):
        expect(page.locator(".spotlight")).to_be_hidden()
    expect(bar).to_be_hidden()


def png_file(name="photo.png", color=(200, 90, 40)):
    return {"name": name, "mimeType": "image/png", "buffer": base64.b64decode(png_base64(color))}


def test_a_photo_added_to_an_existing_note_from_its_editor(new_page, live_server):
    workshop, url, ana, ben = ana_and_ben_in_a_room(new_page, live_server)
    composer = ana.locator("textarea.composer").first
    composer.fill("The river bank, before")
    composer.press("Enter")
    expect(note(ben, "The river bank, before")).to_be_visible()

    # Only the author has the editor; in it, "Add a photo" takes a file (a refusal says why).
    own = note(ana, "The river bank, before")
    own.hover()
    own.locator(".note-edit").click()
    editor = own.locator(".note-editor")
    expect(editor.locator(".note-photo-pick")).to_have_text("Add a photo")
    editor.locator(".note-photo-file").set_input_files(
        files=[{"name": "river.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0 not really"}])
    expect(editor.locator(".composer-photo-status")).to_contain_text("not a photo we can read")
    expect(note(ben, "The river bank, before").locator(".note-photo")).to_have_count(0)
    editor.locator(".note-photo-file").set_input_files(files=[png_file("river.png")])
    expect(editor.locator(".composer-photo-status")).to_contain_text("Photo ready")
    expect(editor.locator(".composer-photo-img")).to_be_visible()
    editor.locator(".composer-alt").fill("Green river bank with benches")
    editor.locator(".note-edit-input").fill("The river bank, after")
    editor.locator(".note-save").click()
    expect(editor).to_have_count(0)

    for page in (ana, ben):
        photo = note(page, "The river bank, after").locator(".note-photo img")
        expect(photo).to_have_attribute("alt", "Green river bank with benches")
        expect(photo).to_have_js_property("complete", True)
        assert photo.evaluate("img => img.naturalWidth") > 0
    # Ben may not edit Ana's note: no editor, so no way to put a photo on it.
    expect(note(ben, "The river bank, after").locator(".note-edit")).to_have_count(0)

    # The facilitator replaces the photo of a participant's note from the console's editor.
    console = open_console(new_page, workshop)
    cnote = console.locator(".cnote", has=console.locator(".note-text", has_text="The river bank, after"))
    first_src = cnote.locator(".note-photo img").get_attribute("src")
    cnote.hover()
    cnote.locator('[data-action="note-edit"]').click()
    ceditor = cnote.locator(".note-editor")
    expect(ceditor.locator(".note-photo-pick")).to_have_text("Replace the photo")
    ceditor.locator(".note-photo-file").set_input_files(files=[png_file("new.png", (20, 160, 60))])
    expect(ceditor.locator(".composer-photo-status")).to_contain_text("Photo ready")
    ceditor.locator(".composer-alt").fill("The same bank in spring")
    ceditor.locator(".note-edit-input").press("Enter")
    photo = note(ben, "The river bank, after").locator(".note-photo img")
    expect(photo).to_have_attribute("alt", "The same bank in spring")
    assert photo.get_attribute("src").split("?")[0] != first_src.split("?")[0]


def test_the_facilitator_adds_a_photo_note_from_the_console(new_page, live_server):
    workshop = new_workshop(live_server)
    room = workshop["rooms"][0]
    ana = new_page(390, 844)
    join(ana, room["join_url"], "Ana", "Milan")
    console = open_console(new_page, workshop)
    card = console.locator(f'#room-grid .croom[data-room-code="{room["code"]}"]')
    card.locator('[data-action="room-more"]').click()
    console.locator('[data-more="photo"]').click()
    form = card.locator(".console-photo-form")
    expect(form).to_be_visible()
    expect(form.locator(".console-photo-pick")).to_be_focused()

    # Without a photo, or with a file that is no photo, it says why and adds nothing.
    form.locator("textarea[name=text]").fill("Our square on market day")
    form.locator("button[type=submit]").click()
    expect(card.locator(":scope > .error-message")).to_have_text("Choose a photo first.")
    form.locator(".console-photo-file").set_input_files(
        files=[{"name": "square.png", "mimeType": "image/png", "buffer": b"plain text, not a photo"}])
    expect(form.locator(".composer-photo-status")).to_contain_text("not a photo we can read")

    # A real photo: progress, then ready; described, captioned, put on the chosen group.
    form.locator(".console-photo-file").set_input_files(files=[png_file("square.png")])
    expect(form.locator(".composer-photo-status")).to_contain_text("Photo ready")
    form.locator(".composer-alt").fill("Stalls under white awnings")
    form.locator("select[name=group]").select_option(index=1)
    group_name = form.locator("select[name=group] option").nth(1).text_content()
    form.locator("textarea[name=text]").press("Enter")
    expect(form).to_have_count(0)
    expect(card.locator(":scope > .flash-ok")).to_contain_text(group_name)

    added = note(ana, "Our square on market day")
    expect(added.locator(".note-photo img")).to_have_attribute("alt", "Stalls under white awnings")
    expect(added.locator(".note-author")).to_have_text("Facilitator")
    section = ana.locator("section.group", has=added)
    expect(section.locator(".group-name")).to_have_text(group_name)
    expect(card.locator(".cnote .note-photo img")).to_have_attribute("alt", "Stalls under white awnings")
