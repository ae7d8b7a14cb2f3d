"""Issue 15, finding 11 in a real browser: a refused join is retried with jittered backoff, and
pages come back by themselves after the server restarts, even when the restarted server's join
budget refuses some of them at first.

Each test runs its own server (tests/live.py) with a tight join budget per address.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.live import LiveServer

from .helpers import add_note, join, new_workshop, note, settled

LIFTED = {"address_ops_per_second": 100000, "address_ops_burst": 100000,
          "heavy_per_minute": 100000, "heavy_burst": 100000,
          "sync_rows_per_second": 100000, "sync_rows_burst": 100000,
          "address_strikes_per_second": 100000, "address_strikes_burst": 100000}


def tight_joins(burst, per_minute):
    """Server env: this join budget per address (the browser pages all come from 127.0.0.1)."""
    return {"FACILITATION_LIMITS": json.dumps({**LIFTED, "joins_burst": burst,
                                               "joins_per_minute": per_minute})}


@pytest.fixture
def server(tmp_path):
    server = LiveServer(tmp_path / "reconnect.sqlite", env=tight_joins(100, 6000)).start()
    yield server
    server.stop()


# Counts the page's `join` events and the joins refused as rate_limited (window.__joins), by
# wrapping the socket's emit when connection.js hands it to tests (window.__breakout).
COUNT_JOINS = """
(() => {
  let held;
  window.__joins = { sent: 0, refused: 0 };
  Object.defineProperty(window, "__breakout", { configurable: true, get: () => held, set(value) {
    held = value;
    const emit = value.socket.emit.bind(value.socket);
    value.socket.emit = (event, payload, answer) => {
      if (event !== "join") return emit(event, payload, answer);
      window.__joins.sent += 1;
      return emit(event, payload, (ack) => {
        if (ack && ack.code === "rate_limited") window.__joins.refused += 1;
        answer(ack);
      });
    };
  } });
})();
"""


def counting_joins(page):
    page.add_init_script(COUNT_JOINS)
    return page


def joins(page):
    return page.evaluate("window.__joins")


def test_a_join_refused_for_the_address_budget_is_retried_until_the_page_is_in(
        new_page, tmp_path):
    # One join at once, then one every 10 seconds, for the whole address.
    server = LiveServer(tmp_path / "budget.sqlite", env=tight_joins(1, 6)).start()
    try:
        url = new_workshop(server)["rooms"][0]["join_url"]
        ana = new_page()
        join(ana, url, "Ana", "Milan")
        expect(ana.locator("#board[data-state=ready]")).to_be_visible()
        bo = counting_joins(new_page())
        bo.goto(url)
        bo.fill("#join-name", "Bo")
        bo.select_option("#join-city", "Nantes")
        bo.click("#join-button")
        # Refused at first (the budget is spent); the page waits and asks again by itself.
        expect(bo.locator("#board[data-state=ready]")).to_be_visible(timeout=40_000)
        # Refused, then asked again after growing waits (about 1, 2, 4... seconds), not in a
        # tight loop.
        counted = joins(bo)
        assert counted["refused"] >= 1 and counted["sent"] == counted["refused"] + 1, counted
        assert counted["sent"] <= 6, counted
        expect(bo.locator("#join-error")).to_be_hidden()
        add_note(bo, "Bo got in")
        expect(settled(ana).filter(has_text="Bo got in")).to_have_count(1, timeout=15_000)
    finally:
        server.stop()


def test_pages_come_back_after_a_restart_even_when_joins_are_refused_at_first(new_page, server):
    url = new_workshop(server)["rooms"][0]["join_url"]
    pages = {}
    for name, city in (("Ana", "Milan"), ("Bo", "Nantes"), ("Cem", "Łódź")):
        pages[name] = counting_joins(new_page())
        join(pages[name], url, name, city)
        expect(pages[name].locator("#board[data-state=ready]")).to_be_visible()
    before = [joins(page) for page in pages.values()]
    server.kill()
    for page in pages.values():
        expect(page.locator("#connection-status")).not_to_have_attribute(
            "data-status", "connected", timeout=20_000)
    add_note(pages["Ana"], "written while the server was down")
    expect(note(pages["Ana"], "written while the server was down")).to_have_class(re.compile("pending"))
    # Back, with a join budget of one at once, then one every 5 seconds: the three pages'
    # reconnections (spread over at most about 7 s by their own jitter) cannot all be let in,
    # so some are refused and come back after their jittered wait.
    server.extra_env = tight_joins(1, 12)
    server.start()
    for page in pages.values():
        expect(page.locator("#connection-status")).to_have_attribute(
            "data-status", "connected", timeout=30_000)
    for page in pages.values():
        expect(settled(page).filter(has_text="written while the server was down")).to_have_count(
            1, timeout=45_000)
    add_note(pages["Cem"], "after the restart")
    for page in pages.values():
        expect(settled(page).filter(has_text="after the restart")).to_have_count(1, timeout=20_000)
    after = [joins(page) for page in pages.values()]
    sent = [a["sent"] - b["sent"] for a, b in zip(after, before)]
    refused = sum(a["refused"] - b["refused"] for a, b in zip(after, before))
    assert min(sent) >= 1 and refused >= 1, (before, after)  # everyone rejoined, some refused first
    assert not any("Traceback" in line for line in server.output)
