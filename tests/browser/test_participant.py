"""A participant's page in a real browser: offline queue, and what the facilitator does to the room
(lock, private writing, timer, voting, messages, rooms and the lobby)."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import Facilitator, add_note, join, new_workshop, note, settled

SOCKET = re.compile(r"/socket\.io/")


@pytest.fixture
def workshop(live_server):
    return new_workshop(live_server)


@pytest.fixture
def facilitator(live_server, workshop):
    person = Facilitator(live_server, workshop)
    yield person
    person.close()


def room(workshop, index=0):
    return workshop["rooms"][index]["code"], workshop["rooms"][index]["join_url"]


def drop_connection(page):
    """Go offline and drop the open websocket, as a network failure would."""
    page.context.set_offline(True)
    page.evaluate("window.__breakout?.socket?.io?.engine?.close()")
    expect(page.locator("#connection-status")).to_contain_text("Offline")


def pending_in_storage(page):
    return page.evaluate(
        "JSON.parse(localStorage.getItem('breakout.pending.' + "
        "document.getElementById('room').dataset.roomCode) || '[]')")


def test_notes_typed_offline_arrive_once(new_page, room_urls):
    ana, jean = new_page(), new_page()
    join(ana, room_urls[0], "Ana", "Milan")
    join(jean, room_urls[0], "Jean", "Nantes")
    add_note(ana, "Written while online")
    expect(settled(jean)).to_have_count(1)

    drop_connection(ana)
    add_note(ana, "Typed offline one")
    add_note(ana, "Typed offline two", group=1)
    expect(ana.locator("#connection-status")).to_have_text("Offline — 2 changes waiting")
    expect(ana.locator(".note.pending")).to_have_count(2)  # the board stays usable
    assert len(pending_in_storage(ana)) == 2

    ana.context.set_offline(False)
    expect(ana.locator("#connection-status")).to_have_text("Connected")
    for page in (ana, jean):
        expect(settled(page)).to_have_count(3)
        expect(note(page, "Typed offline one")).to_have_count(1)
        expect(note(page, "Typed offline two")).to_have_count(1)
    assert pending_in_storage(ana) == []
    late = new_page()  # what the server holds: each note once
    join(late, room_urls[0], "Marta", "Łódź")
    expect(late.locator(".note")).to_have_count(3)


def test_a_waiting_change_survives_a_reload(new_page, room_urls):
    ana, jean = new_page(), new_page()
    join(ana, room_urls[0], "Ana", "Milan")
    join(jean, room_urls[0], "Jean", "Nantes")
    drop_connection(ana)
    add_note(ana, "Kept in localStorage")
    stored = pending_in_storage(ana)
    assert [(p["type"], p["text"]) for p in stored] == [("note.add", "Kept in localStorage")]

    # Reload without letting the socket through first, so the note can only come from storage.
    ana.route(SOCKET, lambda route: route.abort())
    ana.context.set_offline(False)
    ana.reload()
    expect(ana.locator("#join-form")).to_be_hidden()
    assert pending_in_storage(ana)[0]["op_id"] == stored[0]["op_id"]
    ana.unroute(SOCKET)

    for page in (ana, jean):
        expect(settled(page)).to_have_count(1)
        expect(note(page, "Kept in localStorage")).to_have_count(1)
    expect(ana.locator("#connection-status")).to_have_text("Connected")
    assert pending_in_storage(ana) == []


def test_an_op_sent_again_after_a_lost_ack_shows_once(new_page, room_urls):
    ana, jean = new_page(), new_page()
    join(ana, room_urls[0], "Ana", "Milan")
    join(jean, room_urls[0], "Jean", "Nantes")
    ana.evaluate("window.__breakout.socket.onAnyOutgoing((event, payload) => {"
                 " if (event === 'op') window.__sent = payload; })")
    add_note(ana, "Applied, but the ack was lost")
    expect(settled(jean)).to_have_count(1)
    # As if the ack had been lost: the op is still waiting in storage when the page reloads.
    ana.evaluate("localStorage.setItem('breakout.pending.' + document.getElementById('room')"
                 ".dataset.roomCode, JSON.stringify([window.__sent]))")
    ana.reload()
    expect(ana.locator("#connection-status")).to_have_text("Connected")
    expect(settled(ana)).to_have_count(1)
    ana.wait_for_function("!localStorage.getItem('breakout.pending.' +"
                          " document.getElementById('room').dataset.roomCode)")
    expect(ana.locator(".note")).to_have_count(1)
    expect(jean.locator(".note")).to_have_count(1)


def test_lock_greys_out_the_board(new_page, workshop, facilitator):
    code, url = room(workshop)
    page = new_page()
    join(page, url)
    add_note(page, "Written before the lock")
    expect(settled(page)).to_have_count(1)

    facilitator.op("room.lock", room=code)
    lock = page.locator("#lock-state")
    expect(lock).to_be_visible()
    expect(lock).to_contain_text("Locked by the facilitator")
    expect(page.locator("#board")).to_have_class(re.compile(r"\blocked\b"))
    expect(page.locator("textarea.composer:enabled")).to_have_count(0)
    written = note(page, "Written before the lock")
    for button in (".note-move", ".note-edit", ".note-delete"):
        expect(written.locator(button)).to_be_disabled()
    expect(written).to_have_attribute("draggable", "false")
    expect(page.locator("#add-group-name")).to_be_disabled()

    page.reload()  # a late joiner sees the lock too
    expect(page.locator("#lock-state")).to_be_visible()
    expect(page.locator("textarea.composer:enabled")).to_have_count(0)

    facilitator.op("room.unlock", room=code)
    expect(page.locator("#lock-state")).to_be_hidden()
    expect(page.locator("#board")).not_to_have_class(re.compile(r"\blocked\b"))
    add_note(page, "Written after the lock")
    expect(settled(page)).to_have_count(2)


def seconds(page):
    minutes, secs = page.locator("#timer-text").inner_text().split(":")
    return int(minutes) * 60 + int(secs)


def test_timer_shows_the_same_time_on_two_pages(new_page, workshop, facilitator):
    code, url = room(workshop)
    short_code, short_url = room(workshop, 1)
    marta = new_page()
    join(marta, short_url, "Marta", "Łódź")
    facilitator.op("timer.start", room=short_code, seconds=5)  # runs out while we check the other
    expect(marta.locator("#timer-text")).to_have_text(re.compile(r"^00:0[3-5]$"))

    ana, jean = new_page(), new_page()
    join(ana, url, "Ana", "Milan")
    facilitator.op("timer.start", room=code, seconds=300)
    expect(ana.locator("#timer")).to_be_visible()
    join(jean, url, "Jean", "Nantes")  # joins after the start: the snapshot has the timer
    expect(jean.locator("#timer-text")).to_have_text(re.compile(r"^0[45]:\d\d$"))
    assert abs(seconds(ana) - seconds(jean)) <= 2
    assert 290 <= seconds(jean) <= 300
    facilitator.op("timer.stop", room=code)
    expect(ana.locator("#timer")).to_be_hidden()
    expect(jean.locator("#timer")).to_be_hidden()

    expect(marta.locator("#timer-text")).to_have_text("Time's up", timeout=8000)


def test_dot_voting(new_page, workshop, facilitator):
    code, url = room(workshop)
    ana, jean = new_page(), new_page()
    join(ana, url, "Ana", "Milan")
    join(jean, url, "Jean", "Nantes")
    for text in ("First idea", "Second idea", "Third idea"):
        add_note(ana, text)
    expect(settled(ana)).to_have_count(3)
    expect(ana.locator(".note-vote:visible")).to_have_count(0)

    facilitator.op("voting.open", room=code, votes_per_participant=2)
    left = ana.locator("#votes-left-text")
    expect(left).to_have_text("2 of 2 votes left")
    first = note(ana, "First idea").locator(".note-vote")
    expect(first).to_have_attribute("aria-label", "Vote for this note (0 votes)")

    first.click()
    expect(first).to_have_attribute("aria-pressed", "true")
    expect(first).to_have_text("1")
    expect(left).to_have_text("1 of 2 votes left")
    expect(note(jean, "First idea").locator(".note-vote")).to_have_text("1")
    expect(note(jean, "First idea").locator(".note-vote")).to_have_attribute("aria-pressed", "false")

    note(ana, "Second idea").locator(".note-vote").click()
    expect(left).to_have_text("No votes left (of 2)")
    third = note(ana, "Third idea")
    third.locator(".note-vote").click()
    expect(third.locator(".error-message")).to_have_text(
        "You have used all your 2 votes. Take one back to vote again.")
    expect(third.locator(".note-vote")).to_have_text("0")

    first.click()  # take it back
    expect(first).to_have_attribute("aria-pressed", "false")
    expect(left).to_have_text("1 of 2 votes left")
    jean.reload()  # my votes come back with the snapshot: none for Jean, 1 on the second note
    expect(note(jean, "Second idea").locator(".note-vote")).to_have_text("1")
    expect(jean.locator("#votes-left-text")).to_have_text("2 of 2 votes left")

    facilitator.op("voting.open", room=code, votes_per_participant=3)  # a fresh round
    expect(left).to_have_text("3 of 3 votes left")
    expect(ana.locator(".note-vote[aria-pressed='true']")).to_have_count(0)
    expect(note(ana, "Second idea").locator(".note-vote")).to_have_text("0")
    third.locator(".note-vote").click()
    facilitator.op("voting.close", room=code)
    expect(ana.locator("#votes-left")).to_be_hidden()
    expect(ana.locator(".note-vote:visible")).to_have_count(0)
    expect(third.locator(".note-tally")).to_have_text("1 vote")  # totals stay


def test_private_writing_hides_others_notes_until_the_reveal(new_page, workshop, facilitator):
    code, url = room(workshop)
    ana, jean = new_page(), new_page()
    join(ana, url, "Ana", "Milan")
    join(jean, url, "Jean", "Nantes")
    add_note(jean, "Written before hiding")
    expect(settled(ana)).to_have_count(1)

    facilitator.op("room.hide", room=code)
    expect(ana.locator("#hidden-state")).to_contain_text("Private writing")
    add_note(jean, "Jean's secret")
    add_note(ana, "Ana's secret")
    expect(settled(ana)).to_have_count(3)
    expect(ana.locator(".note.note-hidden")).to_have_count(2)
    expect(ana.locator(".note-text", has_text="secret")).to_have_text(["Ana's secret"])
    hidden = ana.locator(".note.note-hidden").first
    expect(hidden.locator(".note-author")).to_have_text("Jean")
    expect(hidden.locator(".note-text")).to_have_text(re.compile("shown when the facilitator reveals"))
    expect(jean.locator(".note.note-hidden")).to_have_count(1)

    facilitator.op("room.reveal", room=code)
    expect(ana.locator("#hidden-state")).to_be_hidden()
    expect(ana.locator(".note.note-hidden")).to_have_count(0)
    expect(note(ana, "Jean's secret")).to_have_count(1)
    expect(note(ana, "Written before hiding")).to_have_count(1)


def test_an_edit_that_raced_another_is_not_lost(new_page, workshop, facilitator):
    code, url = room(workshop)
    page = new_page()
    join(page, url)
    add_note(page, "Original words")
    expect(settled(page)).to_have_count(1)
    written = note(page, "Original words")
    note_id = written.get_attribute("data-note-id")

    written.hover()
    written.locator(".note-edit").click()
    editor = page.locator(".note-edit-input")
    editor.fill("My new words")
    facilitator.op("note.update", room=code, note_id=note_id, text="The facilitator's words")
    editor.press("Enter")

    changed = page.locator(f".note[data-note-id='{note_id}']")
    expect(changed.locator(".error-message")).to_contain_text(
        "Someone changed this note while you were editing it")
    expect(changed.locator(".error-message")).to_contain_text("My new words")
    expect(changed.locator(".note-text")).to_have_text("The facilitator's words")


def test_a_message_from_the_facilitator(new_page, workshop, facilitator):
    _, url = room(workshop)
    page = new_page(390, 844)
    join(page, url)
    facilitator.op("workshop.broadcast", message="Back in the main room in 5 minutes")
    banner = page.locator("#banner")
    expect(banner).to_be_visible()
    expect(page.locator("#banner-text")).to_have_text("Back in the main room in 5 minutes")
    expect(page.locator("#announcer")).to_contain_text("Back in the main room in 5 minutes")
    page.locator("#banner-close").click()
    expect(banner).to_be_hidden()


def test_lobby_people_follow_their_assignment(new_page, workshop, facilitator):
    marta, luca = new_page(), new_page(390, 844)
    join(marta, workshop["lobby_url"], "Marta", "Łódź")
    join(luca, workshop["lobby_url"], "Luca", "Milan")
    for page in (marta, luca):
        expect(page.locator("#waiting")).to_be_visible()
        expect(page.locator("#waiting-title")).to_have_text(
            "You're in. The facilitator will open a room for you.")
        expect(page.locator(".waiting-person")).to_have_count(2)

    assignments = facilitator.op("participants.distribute", mode="city-together")["assignments"]
    codes = {r["code"] for r in workshop["rooms"]}
    landed = {}
    for page, who in ((marta, "Marta (Łódź)"), (luca, "Luca (Milan)")):
        expect(page).to_have_url(re.compile(r"/r/[^/]+$"))
        expect(page.locator("#board")).to_be_visible()
        expect(page.locator("#join-form")).to_be_hidden()
        expect(page.locator(f".avatar[title='{who} — you']")).to_have_count(1)
        landed[who] = page.url.rsplit("/", 1)[1]
    assert set(landed.values()) == codes  # two cities, two rooms: one each

    marta.goto(workshop["lobby_url"])  # already placed: the lobby sends her to her room at once
    expect(marta).to_have_url(re.compile(re.escape(landed["Marta (Łódź)"]) + "$"))
    expect(marta.locator("#board")).to_be_visible()  # joined: her sockets hear `assigned` again

    # Moved from one room to another: the page follows, as the same person.
    marta_id = next(pid for pid, code in assignments.items() if code == landed["Marta (Łódź)"])
    facilitator.op("participant.assign", participant_id=marta_id, room=landed["Luca (Milan)"])
    expect(marta).to_have_url(re.compile(re.escape(landed["Luca (Milan)"]) + "$"))
    expect(marta.locator(".avatar[title='Marta (Łódź) — you']")).to_have_count(1)
    expect(luca.locator(".avatar")).to_have_count(2)

    facilitator.op("room.close", room=landed["Luca (Milan)"])
    expect(marta.locator("#closed")).to_be_visible()
    expect(luca.locator("#closed")).to_be_visible()
    expect(luca.locator("#closed-title")).to_have_text("This room has been closed by the facilitator")
    # The page goes back to the lobby by itself after a few seconds; the link does it at once.
    luca.locator("#lobby-link").click()
    expect(luca).to_have_url(re.compile(r"/w/"))
    expect(luca.locator("#waiting")).to_be_visible()


def test_a_reconnect_rejoins_with_since_and_presence_follows(new_page, room_urls):
    ana, jean = new_page(), new_page()
    join(ana, room_urls[0], "Ana", "Milan")
    join(jean, room_urls[0], "Jean", "Nantes")
    expect(jean.locator("#presence-count")).to_have_text("2 here")
    expect(ana.locator("#presence-count")).to_have_text("2 here")
    add_note(ana, "Before the drop")
    expect(settled(jean)).to_have_count(1)
    jean.evaluate("window.__joins = []; window.__breakout.socket.onAnyOutgoing((event, payload)"
                  " => { if (event === 'join') window.__joins.push(payload); })")
    drop_connection(jean)
    expect(ana.locator("#presence-count")).to_have_text("1 here")
    add_note(ana, "While Jean was away")
    jean.context.set_offline(False)
    expect(jean.locator("#connection-status")).to_have_text("Connected")
    expect(note(jean, "While Jean was away")).to_have_count(1)
    expect(settled(jean)).to_have_count(2)
    # The re-join said what Jean's page held: the server answered only the note it missed.
    assert [j.get("since") for j in jean.evaluate("window.__joins")] == [1]
    expect(ana.locator("#presence-count")).to_have_text("2 here")
    ana.close()
    expect(jean.locator("#presence-count")).to_have_text("1 here")
