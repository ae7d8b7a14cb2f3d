"""Real-browser tests: Playwright drives Debian's Chromium against the real eventlet server.

On a machine without /usr/bin/chromium these tests are skipped; in CI (CI=true) a missing
browser fails them instead.
"""

import os
import uuid

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Open a page in its own browser context (its own localStorage): new_page(width, height).

    At the end, fail the test if any page threw an uncaught script error.
    """
    contexts, pages = [], []

    def open_page(width=1366, height=850):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        pages.append(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
    errors = [error for page in pages for error in page.js_errors]
    assert not errors, errors


@pytest.fixture
def room_urls(live_server):
    """A fresh workshop on the live server; returns its room join URLs."""
    workshop = live_server.create_workshop({
        "title": f"Browser {uuid.uuid4().hex[:6]}",
        "cities": ["Milan", "Nantes", "Łódź"],
        "rooms": [
            {"name": "Room 1", "theme": "Environment & Food",
             "template": "challenges-ideas-actions"},
            {"name": "Room 2", "theme": "Stakeholders", "template": "stakeholder-map"},
        ],
    })
    return [room["join_url"] for room in workshop["rooms"]]
