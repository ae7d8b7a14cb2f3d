"""Direct websocket sends (facilitation/wssend.py, installed by app.py): every packet reaches the
client whole and in order, a client that stops reading never holds the sender up, and a
compressing connection gets its own frames.

engine.io's real Socket and eventlet's real RFC6455WebSocket over a Unix socket pair; the
server runs in threading mode, so the rest of a partly sent frame is written by a thread.
"""

import select
import socket
import threading
import time
import warnings
import zlib

import engineio
import pytest
from engineio import packet as eio_packet
from engineio import socket as eio_socket

from facilitation import wssend

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # eventlet's deprecation notice on import
    from eventlet.websocket import RFC6455WebSocket


class PlainSocket:
    """What eventlet's green socket offers wssend: the non-blocking socket under it (`fd`) and a
    `sendall` that waits until the kernel takes everything."""

    def __init__(self, fd):
        self.fd = fd
        fd.setblocking(False)

    def sendall(self, data):
        view = memoryview(data)
        while view:
            select.select([], [self.fd], [], 5)
            try:
                view = view[self.fd.send(view):]
            except BlockingIOError:
                pass

    def shutdown(self, how):
        self.fd.shutdown(how)


@pytest.fixture
def direct(monkeypatch):
    monkeypatch.setattr(eio_socket.Socket, "send", wssend.send)
    monkeypatch.setattr(eio_socket.Socket, "_websocket_handler", wssend.websocket_handler)
    monkeypatch.setattr(eio_socket.Socket, "direct_ws", None, raising=False)
    server = engineio.Server(async_mode="threading")
    opened = []

    def connection(sid, extensions=None, buffer=None):
        ours, theirs = socket.socketpair()
        if buffer:
            ours.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, buffer)
            theirs.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, buffer)
        ws = RFC6455WebSocket(PlainSocket(ours), {}, 13, extensions=extensions)
        ws._sendlock = threading.Semaphore()  # eventlet's needs a hub to wait on
        assert wssend.usable(ws)
        eio = eio_socket.Socket(server, sid)
        eio.connected = eio.upgraded = True
        eio.direct_ws = ws
        opened.extend([ours, theirs])
        return eio, ws, theirs

    yield connection
    for sock in opened:
        sock.close()


def frames(sock, count, inflate=None, timeout=5):
    """Read `count` websocket frames (unmasked, as a server sends them): their texts."""
    sock.setblocking(True)
    sock.settimeout(timeout)
    buffer, texts = b"", []

    def take(n):
        nonlocal buffer
        while len(buffer) < n:
            chunk = sock.recv(65536)
            assert chunk, "the connection closed"
            buffer += chunk
        head, buffer = buffer[:n], buffer[n:]
        return head

    while len(texts) < count:
        first, second = take(2)
        assert first & 0x80 and first & 0x0F == 1, "a final text frame"
        length = second & 0x7F
        if length == 126:
            length = int.from_bytes(take(2), "big")
        elif length == 127:
            length = int.from_bytes(take(8), "big")
        payload = take(length)
        if first & 0x40:
            payload = inflate.decompress(payload + b"\x00\x00\xff\xff")
        texts.append(payload.decode())
    return texts


def message(text):
    return eio_packet.Packet(eio_packet.MESSAGE, text)


def test_packets_arrive_whole_and_in_order_without_the_queue(direct):
    eio, _ws, client = direct("a")
    for n in range(3):
        eio.send(message(f'2["op",{{"seq":{n + 1},"text":"Łódź {n}"}}]'))
    assert eio.queue.qsize() == 0  # written at once, not left for the writer
    assert frames(client, 3) == [f'42["op",{{"seq":{n + 1},"text":"Łódź {n}"}}]'
                                 for n in range(3)]


def test_one_broadcast_reaches_a_plain_and_a_compressing_connection(direct):
    plain, _, plain_client = direct("plain")
    deflate, _, deflate_client = direct(
        "deflate", extensions={"permessage-deflate": {"server_max_window_bits": 15}})
    broadcast = message('2["op",{"note":{"text":"' + "more trees in Porto " * 20 + '"}}]')
    for _ in range(2):  # the compressor keeps its context from one message to the next
        plain.send(broadcast)
        deflate.send(broadcast)
    expected = ["4" + broadcast.data] * 2
    assert frames(plain_client, 2) == expected
    assert frames(deflate_client, 2, inflate=zlib.decompressobj(-15)) == expected


def test_a_client_that_stops_reading_never_holds_up_the_sender(direct):
    slow, ws, slow_client = direct("slow", buffer=4096)
    fast, _, fast_client = direct("fast")
    big = [message(f"{n}:" + "x" * 20000) for n in range(3)]
    started = time.monotonic()
    for pkt in big:  # the first fills the slow client's buffers: its rest waits in a thread
        slow.send(pkt)
        fast.send(pkt)
    assert time.monotonic() - started < 1.0
    assert slow.queue.qsize() == 2  # behind the half-written first one, in order
    assert [text[:3] for text in frames(fast_client, 3)] == ["40:", "41:", "42:"]

    def writer():  # what engine.io's writer thread does with the queue
        for pkt in slow.poll():
            ws.send(pkt.encode())

    threading.Thread(target=writer, daemon=True).start()
    texts = frames(slow_client, 3)  # now the slow client reads
    assert [text[:3] for text in texts] == ["40:", "41:", "42:"]
    assert all(len(text) == 20003 for text in texts)


def test_a_dead_connection_falls_back_to_engine_io_queue(direct):
    eio, _ws, client = direct("gone")
    client.close()
    eio.send(message("2[\"op\",{}]"))
    eio.send(message("2[\"op\",{}]"))
    assert eio.direct_ws is None  # the writer finds the error and closes the socket
    assert eio.queue.qsize() == 2
