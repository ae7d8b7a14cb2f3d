"""Issue 15, finding 4: more connections than the open-files limit allows never kill the server."""

import shutil
import socket
import time
import urllib.request

import pytest

from .live import LiveServer

pytestmark = pytest.mark.live


@pytest.mark.skipif(shutil.which("prlimit") is None, reason="needs util-linux prlimit")
def test_more_connections_than_the_file_limit_are_refused_and_new_ones_served_after(tmp_path):
    server = LiveServer(tmp_path / "cap.sqlite", nofile=200).start(timeout=90)
    held, refused = [], 0
    try:
        for _ in range(320):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            held.append(sock)
        time.sleep(1)
        # Every connection is either still open, waiting for a request, or answered 503 and closed.
        for sock in held:
            sock.settimeout(0.05)
            try:
                data = sock.recv(200)
            except (TimeoutError, socket.timeout):
                continue
            except ConnectionResetError:
                refused += 1
                continue
            if data.startswith(b"HTTP/1.1 503"):
                refused += 1
        assert refused > 0
        assert server.process.poll() is None
        for sock in held:
            sock.close()
        held = []
        deadline = time.monotonic() + 10
        while True:
            try:
                with urllib.request.urlopen(server.url + "/", timeout=2) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "".join(server.output)
                time.sleep(0.2)
    finally:
        for sock in held:
            sock.close()
        server.stop()


@pytest.mark.skipif(shutil.which("prlimit") is None, reason="needs util-linux prlimit")
def test_at_start_the_soft_open_files_limit_is_raised_to_the_hard_one(tmp_path):
    """A server started under the common soft limit (here 64) with a higher hard one (here 512,
    what systemd's LimitNOFILE sets) may hold that many sockets: its process limit says 512."""
    import re
    from pathlib import Path

    from .live import LiveServer

    server = LiveServer(tmp_path / "soft.sqlite", nofile="64:512").start(timeout=90)
    try:
        limits = Path(f"/proc/{server.process.pid}/limits").read_text()
        soft, hard = re.search(r"^Max open files\s+(\d+)\s+(\d+)", limits, re.M).groups()
        assert (soft, hard) == ("512", "512")
    finally:
        server.stop()
    unit = (Path(__file__).resolve().parent.parent / "docs" / "deploy.md").read_text()
    assert re.search(r"^\[Service\][\s\S]*^LimitNOFILE=\d+", unit, re.M)  # deploy.md's unit
