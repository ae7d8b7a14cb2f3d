"""A page that missed many ops catches up page by page (issue 15, finding 3, client side).

The server answers `sync` with at most 200 ops and `more: true`; the page must ask again until it
has them all. Here the room page stops hearing broadcasts (its `op` listeners are set aside, as
if the events were lost) while 260 notes are added from elsewhere; when it hears the next one,
the gap makes it sync, and it must end with every note, not the first page's 200.
"""

import threading
import uuid

import socketio
from playwright.sync_api import expect

from .helpers import join, new_workshop

DEAF = """() => {
  const socket = window.__breakout.socket;
  window.__heldOp = socket.listeners("op");
  socket.off("op");
}"""
HEARING = """() => {
  const socket = window.__breakout.socket;
  window.__heldOp.forEach((listener) => socket.on("op", listener));
}"""


def write(url, code, count, name):
    client = socketio.Client()
    client.connect(url, transports=["websocket"])
    try:
        assert client.call("join", {"room": code, "name": name, "city": "Milan"}, timeout=20)["ok"]
        for i in range(count):
            while True:
                ack = client.call("op", {"type": "note.add", "op_id": str(uuid.uuid4()),
                                         "text": f"{name} {i}"}, timeout=20)
                if ack["ok"]:
                    break
                assert ack["code"] == "rate_limited", ack  # 20 a second per socket: wait
                threading.Event().wait(0.5)
    finally:
        client.disconnect()


def test_a_page_far_behind_asks_for_every_page_of_the_log(new_page, live_server):
    workshop = new_workshop(live_server)
    code = workshop["rooms"][0]["code"]
    page = new_page()
    join(page, workshop["rooms"][0]["join_url"])
    expect(page.locator("#board[data-state=ready]")).to_be_visible()
    page.evaluate(DEAF)
    writers = [threading.Thread(target=write, args=(live_server.url, code, 65, f"W{i}"))
               for i in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    expect(page.locator(".note")).to_have_count(0)  # heard nothing meanwhile
    page.evaluate(HEARING)
    write(live_server.url, code, 1, "Last")  # seq 261: a gap of 260 behind it
    expect(page.locator(".note")).to_have_count(261, timeout=30_000)
    expect(page.locator(".note").filter(has_text="Last 0")).to_have_count(1)
