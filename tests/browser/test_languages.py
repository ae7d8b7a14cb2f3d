"""A join and a note in Polish and in French, in a real browser: the page, the browser strings,
the server's refusals and plural forms all speak the chosen language."""

from playwright.sync_api import expect

from .helpers import Facilitator, add_note, join, new_workshop, note, settled


def test_a_polish_participant(new_page, live_server):
    workshop = new_workshop(live_server, language="pl")
    room = workshop["rooms"][0]
    page = new_page(390, 844)
    # No language asked by the browser that we ship: the workshop's default, Polish.
    page.set_extra_http_headers({"Accept-Language": "fi"})
    page.goto(room["join_url"])
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.locator("#join-title")).to_have_text("Dołącz do tablicy")
    expect(page.locator("label[for=join-name]")).to_have_text("Twoje imię")
    # The browser's own checks speak Polish too.
    page.click("#join-button")
    expect(page.locator("#join-error")).to_have_text("Wpisz swoje imię.")

    join(page, room["join_url"], "Ola", "Łódź")
    expect(page.locator("#connection-status")).to_have_text("Połączono")
    # The template's groups were created in the workshop's language.
    expect(page.locator(".group-name").first).to_have_text("Wyzwania")
    expect(page.locator("textarea.composer").first).to_have_attribute("placeholder", "Dodaj notatkę…")
    for index, text in enumerate(["Tańszy transport", "Więcej zieleni", "Rowery miejskie",
                                  "Targ lokalny", "Szkoły"]):
        add_note(page, text)
        expect(settled(page)).to_have_count(index + 1)
        # The group's count, as a screen reader hears it: Polish plural forms.
        heard = {1: "1 notatka", 2: "2 notatki", 5: "5 notatek"}.get(index + 1)
        if heard:
            expect(page.locator(".group-count .visually-hidden").first).to_have_text(heard)
    expect(note(page, "Szkoły").locator(".note-author")).to_have_text("Ola")

    # Dot voting: plural forms as Polish has them (2 głosy, 5 głosów).
    facilitator = Facilitator(live_server, workshop)
    try:
        facilitator.op("voting.open", room=room["code"], votes_per_participant=2)
        expect(page.locator("#votes-left-text")).to_have_text("Pozostało głosów: 2 z 2")
        facilitator.op("voting.close", room=room["code"])
        facilitator.op("room.lock", room=room["code"])
        expect(page.locator("#board-notice")).to_have_text(
            "Zablokowane przez prowadzącego: możesz czytać tablicę, ale nie zmieniać.")
    finally:
        facilitator.close()

    # The printable export, in the page's language, counts notes the Polish way.
    page.goto(f"{live_server.url}/r/{room['code']}/export.html")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.locator(".report-count").first).to_have_text("5 notatek")


def test_a_french_participant_and_a_refusal(new_page, live_server):
    workshop = new_workshop(live_server)
    room = workshop["rooms"][0]
    page = new_page()
    page.goto(room["join_url"] + "?lang=fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(".lang-current")).to_have_text("Français")
    join(page, room["join_url"], "Jean", "Nantes")  # the cookie keeps French without ?lang
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#connection-status")).to_have_text("Connecté")
    add_note(page, "Des pistes cyclables")
    add_note(page, "Un marché local")
    expect(settled(page)).to_have_count(2)
    expect(page.locator("#presence-count")).to_have_text("1 ici")

    # A refusal from the server comes in each person's own language.
    other = new_page(390, 844)
    join(other, room["join_url"], "Marie", "Milan")
    expect(other.locator(".note")).to_have_count(2)
    # The server refuses a note over 1000 characters: bypass the browser's maxlength.
    other.evaluate("document.querySelector('textarea.composer').removeAttribute('maxlength')")
    add_note(other, "x" * 1001)
    expect(other.locator(".error-message:visible").first).to_have_text(
        "Note text is too long (at most 1000 characters).")  # Marie's browser asks for English

    page.evaluate("document.querySelector('textarea.composer').removeAttribute('maxlength')")
    add_note(page, "y" * 1001)
    expect(page.locator(".error-message:visible").first).to_have_text(
        "Texte de la note est trop long (1000 caractères au maximum).")
    # The facilitator's message, announced politely in French.
    facilitator = Facilitator(live_server, workshop)
    try:
        facilitator.op("workshop.broadcast", room=room["code"], message="Cinq minutes")
        expect(page.locator("#announcer")).to_have_text(
            "Message de l’animation : Cinq minutes.")
    finally:
        facilitator.close()
