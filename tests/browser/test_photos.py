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


def test_paste_a_photo_see_it_elsewhere_then_spotlight_and_next(new_page, live_server):
    workshop = new_workshop(live_server)
    url = workshop["rooms"][0]["join_url"]
    ana, ben = new_page(), new_page(390, 844)
    join(ana, url, "Ana", "Milan")
    join(ben, url, "Ben", "Nantes")

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
