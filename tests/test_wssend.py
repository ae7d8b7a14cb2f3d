"""Direct websocket sends (facilitation/wssend.py, installed by app.py): every packet reaches the
client whole and in order, a client that stops reading never holds the sender up, and a
compressing connection gets its own frames.

engine.io's real Socket and eventlet's real RFC6455WebSocket over a Unix socket pair; the
server runs in threading mode, so the rest of a partly sent frame is written by a thread.
"""

import os
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
from facilitation.wsmask import apply_mask

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

    def close(self):
        self.fd.close()

    def settimeout(self, seconds):
        self.timeout = seconds

    def recv(self, size):  # for eventlet's websocket reading frames: waits for data
        while True:
            select.select([self.fd], [], [], self.timeout)
            try:
                return self.fd.recv(size)
            except BlockingIOError:
                pass


@pytest.fixture
def direct(monkeypatch):
    monkeypatch.setattr(eio_socket.Socket, "send", wssend.send)
    monkeypatch.setattr(eio_socket.Socket, "_websocket_handler", wssend.websocket_handler)
    monkeypatch.setattr(eio_socket.Socket, "direct_ws", None, raising=False)
    server = engineio.Server(async_mode="threading")
    opened = []

    def connection(sid, extensions=None, buffer=None, server=server, connected=True):
        ours, theirs = socket.socketpair()
        if buffer:
            ours.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, buffer)
            theirs.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, buffer)
        ws = RFC6455WebSocket(PlainSocket(ours), {}, 13, extensions=extensions)
        ws._sendlock = threading.Semaphore()  # eventlet's needs a hub to wait on
        assert wssend.usable(ws)
        eio = eio_socket.Socket(server, sid)
        if connected:
            eio.connected = eio.upgraded = True
            wssend.adopt(eio, ws)
        opened.extend([ours, theirs])
        return eio, ws, theirs

    yield connection
    for sock in opened:
        sock.close()


def read_frame(sock, inflate=None):
    """One websocket frame as a server sends it (unmasked): (opcode, payload)."""

    def take(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            assert chunk, "the connection closed"
            data += chunk
        return data

    first, second = take(2)
    length = second & 0x7F
    if length == 126:
        length = int.from_bytes(take(2), "big")
    elif length == 127:
        length = int.from_bytes(take(8), "big")
    payload = take(length)
    if first & 0x40:
        payload = inflate.decompress(payload + b"\x00\x00\xff\xff")
    return first & 0x0F, payload


def frames(sock, count, inflate=None, timeout=5):
    """Read `count` websocket text frames: their texts."""
    sock.setblocking(True)
    sock.settimeout(timeout)
    texts = []
    while len(texts) < count:
        opcode, payload = read_frame(sock, inflate)
        assert opcode == 1, "a text frame"
        texts.append(payload.decode())
    return texts


def client_frame(text):
    """A text frame as a client sends it: masked."""
    payload, mask = text.encode(), os.urandom(4)
    return bytes([0x81, 0x80 | len(payload)]) + mask + apply_mask(payload, mask)


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


def test_an_idle_connection_stays_open(direct):
    """engine.io's writer ends a connection when no packet reaches it for ping_interval +
    ping_timeout (45 s in the app; 2 s here). Its pings still go through it, so a connection
    where nobody writes a note stays open, and messages sent directly keep arriving."""
    server = engineio.Server(async_mode="threading", ping_interval=1, ping_timeout=1)
    eio, ws, client = direct("idle", server=server, connected=False)
    server.sockets["idle"] = eio
    handler = threading.Thread(target=eio._websocket_handler, args=(ws,), daemon=True)
    handler.start()
    eio.schedule_ping()

    def messages():
        for n in range(8):
            time.sleep(0.5)
            eio.send(message(f"note {n}"))

    threading.Thread(target=messages, daemon=True).start()
    client.setblocking(True)
    client.settimeout(3)
    pings, texts, opcodes = 0, [], set()
    until = time.monotonic() + 4.5
    while time.monotonic() < until and len(texts) < 8:
        opcode, payload = read_frame(client)
        opcodes.add(opcode)
        if payload == b"2":  # engine.io's ping: answer it, as clients do
            pings += 1
            client.sendall(client_frame("3"))
        elif opcode == 1:
            texts.append(payload.decode())
    assert opcodes == {1}, "no close frame"
    assert texts == [f"4note {n}" for n in range(8)]
    assert pings >= 2 and eio.direct_ws is ws
    client.close()
    handler.join(5)


class GrantedLater:
    """A send lock as eventlet's is just after a release: free for anyone who asks without
    waiting, while the writer already waiting for it has not been woken yet (until `grant`)."""

    def __init__(self):
        self.held, self.granted = False, threading.Event()

    def acquire(self, blocking=True):
        if not blocking:
            if self.held:
                return False
        else:
            self.granted.wait(5)
        self.held = True
        return True

    def release(self):
        self.held = False

    def grant(self):
        self.granted.set()


def test_a_packet_never_overtakes_the_one_the_writer_holds(direct):
    eio, ws, client = direct("writer")
    ws._sendlock = lock = GrantedLater()
    eio.queue.put(message("first"))  # queued earlier, behind a slow write

    def writer():  # engine.io's writer: takes the packet out, then waits for the lock
        for _ in range(2):
            for pkt in eio.poll():
                ws.send(pkt.encode())

    threading.Thread(target=writer, daemon=True).start()
    deadline = time.monotonic() + 5
    while (eio.queue.qsize() or not ws.writer_busy) and time.monotonic() < deadline:
        time.sleep(0.01)
    eio.send(message("second"))  # the queue is empty and the lock free: it must still wait
    lock.grant()
    assert frames(client, 2) == ["4first", "4second"]
