"""Issue 15, finding 7 in a real browser: behind a proxy that serves the app under /workshops/,
every link and address the scripts build keeps the prefix.

A small reverse proxy on a free loopback port strips /workshops from each request, adds
`X-Forwarded-Prefix: /workshops` (the server runs with FACILITATION_PROXIES=1, as deploy.md
says) and pipes the rest, websockets included. A request outside the prefix gets a 404 from the
proxy and is recorded: the test fails on any.
"""

import re
import socket
import threading

import pytest
from playwright.sync_api import expect

from tests.live import LiveServer, free_port

from .helpers import Facilitator, new_workshop

PREFIX = "/workshops"


class PrefixProxy:
    """127.0.0.1:<port>/workshops/... → the server's /..., with X-Forwarded-Prefix."""

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.port = free_port()
        self.outside = []  # request lines that were not under the prefix
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}{PREFIX}"

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        head = b""
        while b"\r\n\r\n" not in head:
            try:
                chunk = client.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                client.close()
                return
            head += chunk
        head, rest = head.split(b"\r\n\r\n", 1)
        request_line, *headers = head.decode("latin-1").split("\r\n")
        method, target, version = request_line.split(" ")
        if not (target == PREFIX or target.startswith(PREFIX + "/")):
            self.outside.append(request_line)
            client.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            client.close()
            return
        upgrade = any(h.lower().startswith("upgrade:") for h in headers)
        # One request per connection (keep-alive would carry later requests past this rewrite),
        # except websockets, which are piped as they are once upgraded.
        headers = [h for h in headers if upgrade or not h.lower().startswith("connection:")]
        if not upgrade:
            headers.append("Connection: close")
        headers.append(f"X-Forwarded-Prefix: {PREFIX}")
        target = target[len(PREFIX):] or "/"
        with client, socket.create_connection(("127.0.0.1", self.upstream_port)) as upstream:
            upstream.sendall("\r\n".join([f"{method} {target} {version}", *headers])
                             .encode("latin-1") + b"\r\n\r\n" + rest)
            back = threading.Thread(target=self._pipe, args=(upstream, client), daemon=True)
            back.start()
            self._pipe(client, upstream)
            back.join(timeout=30)

    @staticmethod
    def _pipe(source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.listener.close()


@pytest.fixture
def behind_proxy(tmp_path):
    server = LiveServer(tmp_path / "subpath.sqlite", env={"FACILITATION_PROXIES": "1"}).start()
    proxy = PrefixProxy(server.port)
    yield server, proxy
    proxy.close()
    server.stop()


def addresses(page):
    """Every link, form action and image address on the page (as the browser resolves them)."""
    return page.eval_on_selector_all(
        "a[href], form[action], img[src], link[href], script[src]",
        "els => els.map(e => e.href || e.action || e.src)")


def expect_under_prefix(page, proxy):
    own = [url for url in addresses(page) if url.startswith(f"http://127.0.0.1:{proxy.port}")]
    assert own, page.url
    outside = [url for url in own if not url.startswith(proxy.url + "/")]
    assert outside == [], outside


def test_links_and_moves_built_by_scripts_keep_the_sub_path(new_page, behind_proxy):
    server, proxy = behind_proxy
    workshop = new_workshop(server)
    first, second = (room["code"] for room in workshop["rooms"])
    console = new_page()
    console.goto(f"{proxy.url}/f/{workshop['facilitator_key']}")
    expect(console.locator("#console[data-state=ready]")).to_be_attached()
    expect(console.locator("#connection-status")).to_have_attribute("data-status", "connected")
    # The console builds its rooms' join links and export links in script.
    expect(console.locator(f'a[href$="/r/{first}/export.csv"]').first).to_be_attached()
    expect_under_prefix(console, proxy)
    links = [field.input_value() for field in console.locator(".link-field").all()]
    assert f"{proxy.url}/r/{first}" in links and f"{proxy.url}/r/{second}" in links, links
    assert all(link.startswith(proxy.url + "/") for link in links), links
    export = console.locator(f'a[href$="/r/{first}/export.csv"]').first.evaluate("a => a.href")
    assert console.request.get(export).status == 200, export

    # A participant waits in the lobby; the facilitator's moves take the page along (lobby.js,
    # board.js), and an old room link leads to the room she was placed in: all under the prefix.
    ana = new_page()
    ana.goto(f"{proxy.url}/w/{workshop['lobby_code']}")
    ana.fill("#join-name", "Ana")
    ana.select_option("#join-city", "Milan")
    ana.click("#join-button")
    expect(ana.locator("#waiting")).to_be_visible()
    facilitator = Facilitator(server, workshop)
    try:
        [ana_id] = [p["id"] for p in facilitator.joined["workshop"]["participants"]]
        facilitator.op("participant.assign", participant_id=ana_id, room=first)
        ana.wait_for_url(f"{proxy.url}/r/{first}", timeout=20_000)
        expect(ana.locator("#board[data-state=ready]")).to_be_visible(timeout=20_000)
        expect_under_prefix(ana, proxy)
        facilitator.op("participant.assign", participant_id=ana_id, room=second)
        ana.wait_for_url(f"{proxy.url}/r/{second}", timeout=20_000)
        expect(ana.locator("#board[data-state=ready]")).to_be_visible(timeout=20_000)
        ana.goto(f"{proxy.url}/r/{first}")
        ana.wait_for_url(f"{proxy.url}/r/{second}", timeout=20_000)
        expect(ana.locator("#board[data-state=ready]")).to_be_visible(timeout=20_000)
    finally:
        facilitator.close()
    assert proxy.outside == [], proxy.outside
    assert re.match(rf"^{re.escape(proxy.url)}/r/", ana.url)
