"""Sending to a websocket at once, instead of through a writer green thread per message.

python-engineio gives every websocket a queue and a writer green thread: `Socket.send` puts
the packet in the queue, and later the writer wakes up, takes it out, frames it and writes it.
A broadcast to a room of 500 therefore costs 500 queue puts, 500 green-thread switches and 500
framings of the same text. Measured with 500 clients on one board (server CPU over 100 notes):
31 µs a recipient that way, 12-13 µs this way.

`send` here does the writer's work in the sender's turn when nothing is waiting for that socket
(its queue is empty and no one is writing to it): it frames the packet (once per packet for all
recipients, unless the connection compresses, which needs its own frame), and hands it to the
kernel with one non-blocking `send`. When the kernel takes only part of it (a client that reads
slowly), a background task writes the rest, holding the connection's send lock, so the writer
and later sends wait behind it; the sender never waits for a slow client. In every other case
(a queue not empty, a send under way, an upgrade from polling, a socket closing or late with
its pings, a transport this module does not know), the packet goes through the queue as before.
Order per connection is kept: a packet skips the queue only when the queue is empty, the
writer holds no packet and the socket is not being written to. Only messages skip it: engine.io's own packets (its pings every
`ping_interval`, a close) still go through the queue, and so keep the writer alive, which ends
the connection when no packet reaches it for `ping_interval + ping_timeout` (45 s).

The websocket object must look like eventlet's `RFC6455WebSocket` (`_sendlock`, `_pack_message`,
`socket.fd` a plain non-blocking socket); anything else keeps engine.io's own way. `app.py`
installs it (`install()`), as it does wsmask.py.
"""

import _socket
import socket

from engineio import packet as eio_packet
from engineio import socket as eio_socket

_queue_send = eio_socket.Socket.send
_websocket_handler = eio_socket.Socket._websocket_handler


def install():
    """Patch engine.io's Socket: remember each usable websocket, and send through it at once."""
    if eio_socket.Socket.send is not send:
        eio_socket.Socket.send = send
        eio_socket.Socket._websocket_handler = websocket_handler
        eio_socket.Socket.direct_ws = None


def usable(ws):
    """Whether `ws` is a websocket this module can write to directly."""
    fd = getattr(getattr(ws, "socket", None), "fd", None)
    return (getattr(ws, "version", None) in (8, 13) and hasattr(ws, "_sendlock")
            and hasattr(ws, "_pack_message") and isinstance(getattr(ws, "extensions", None), dict)
            # the plain socket under a green one (_socket's class: monkey-patching leaves it be)
            and isinstance(fd, _socket.socket)
            and not hasattr(fd, "do_handshake")  # TLS: its own framing of records
            and fd.gettimeout() == 0.0)


def websocket_handler(self, ws):
    if usable(ws):
        adopt(self, ws)
    try:
        return _websocket_handler(self, ws)
    finally:
        self.direct_ws = None


def adopt(eio, ws):
    """Write to `ws` directly from now on, knowing when engine.io's writer is writing to it.

    The writer takes a packet out of the queue, then frames it and waits for the send lock: a
    direct send in that moment (the queue empty, the lock just released but not yet handed to
    the writer) would overtake its packet, and garble a compressed stream.
    """
    writer_send = ws.send

    def send(message, **options):
        ws.writer_busy = True
        try:
            return writer_send(message, **options)
        finally:
            ws.writer_busy = False

    ws.writer_busy = False
    ws.send = send
    eio.direct_ws = ws


def frame(ws, pkt):
    """The websocket frame of an engine.io packet: built once per packet and kept on it, unless
    the connection compresses (permessage-deflate keeps state per connection)."""
    if ws.extensions.get("permessage-deflate") is not None:
        return ws._pack_message(pkt.encode())
    packed = pkt.__dict__.get("_ws_frame")
    if packed is None:
        packed = pkt._ws_frame = ws._pack_message(pkt.encode())
    return packed


def send(self, pkt):
    """engine.io's `Socket.send`, written at once when nothing waits for this socket."""
    ws = self.direct_ws
    if (ws is None or pkt.packet_type != eio_packet.MESSAGE or self.closed or self.upgrading
            or not self.upgraded or self.queue.qsize() or ws.writer_busy):
        return _queue_send(self, pkt)
    if not self.check_ping_timeout():
        return None  # late with its pings: engine.io has closed it, as its own send does
    lock = ws._sendlock
    if not lock.acquire(blocking=False):
        return _queue_send(self, pkt)  # a write is under way: behind it, in order
    try:
        data = frame(ws, pkt)
        try:
            sent = ws.socket.fd.send(data)
        except (BlockingIOError, InterruptedError):
            sent = 0
    except Exception:
        lock.release()
        self.direct_ws = None  # the connection failed: the writer finds out and closes it
        return _queue_send(self, pkt)
    if sent == len(data):
        lock.release()
        return None
    self.server.start_background_task(_send_rest, ws, lock, data, sent)
    return None


def _send_rest(ws, lock, data, sent):
    """Write the rest of a frame the kernel took only part of; the lock keeps others behind it.
    If that fails, the connection is cut (a half frame would garble everything after it)."""
    try:
        ws.socket.sendall(memoryview(data)[sent:])
    except Exception:
        try:
            ws.socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    finally:
        lock.release()
