"""Simulated participants for bench/load.py: many Socket.IO clients on one asyncio loop.

Two interchangeable sockets speak the protocol of docs/protocol.md over a websocket:

- `LeanSocket` (the default): a minimal Socket.IO 5 / Engine.IO 4 client written straight on
  aiohttp's websocket. It stamps every frame as it arrives and parses only what it must, so one
  process can play 500 participants and receive thousands of broadcasts a second without being
  the bottleneck (see `--client` in load.py).
- `SioSocket`: python-socketio's `AsyncClient` (websocket transport), the reference client:
  about twice the client CPU (scenario b: 36% of a core against 15%), and a task per message.

A `Participant` joins a room, then adds, edits and moves notes; `Stats` records, by op_id, when
each op was sent, its ack, and its arrival at every other participant of the room.
"""

import asyncio
import json
import random
import time
import uuid
from collections import Counter

import aiohttp

now = time.perf_counter
DUMPS = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


class Closed(Exception):
    """The socket closed before an answer came."""


class LeanSocket:
    """One Socket.IO client connection (default namespace, websocket only)."""

    def __init__(self, session, url, on_event):
        self.session, self.url, self.on_event = session, url, on_event
        self.ws = None
        self.pending = {}  # ack id -> future
        self.next_id = 0
        self.reader = None
        self.loop = asyncio.get_running_loop()

    async def connect(self, timeout=10):
        url = self.url.replace("http://", "ws://", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.ws = await self.session.ws_connect(
            url, timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=5),
            max_msg_size=0, autoping=True, compress=0)
        opened = await self.ws.receive(timeout)
        if opened.type != aiohttp.WSMsgType.TEXT or not opened.data.startswith("0"):
            raise Closed(f"no Engine.IO open packet: {opened.data!r}")
        await self.ws.send_str("40")
        connected = await self.ws.receive(timeout)
        if connected.type != aiohttp.WSMsgType.TEXT or not connected.data.startswith("40"):
            raise Closed(f"Socket.IO connect refused: {connected.data!r}")
        self.reader = asyncio.create_task(self._read())

    async def _read(self):
        ws = self.ws
        try:
            async for message in ws:
                if message.type != aiohttp.WSMsgType.TEXT:
                    continue
                data = message.data
                arrived = now()
                if data[0] == "2":  # Engine.IO ping: answer pong
                    await ws.send_str("3" + data[1:])
                elif data.startswith("42"):
                    self.on_event(data, arrived)
                elif data.startswith("43"):
                    end = 2
                    while data[end].isdigit():
                        end += 1
                    future = self.pending.pop(int(data[2:end]), None)
                    if future is not None and not future.done():
                        future.set_result((json.loads(data[end:])[0], arrived))
                elif data.startswith("41") or data[0] == "1":
                    break
        finally:
            for future in self.pending.values():
                if not future.done():
                    future.set_exception(Closed("socket closed"))
            self.pending.clear()

    async def call(self, event, payload, timeout=30):
        """Emit an event with an ack; return (answer, arrival time)."""
        if self.ws is None or self.ws.closed:
            raise Closed("socket closed")
        self.next_id += 1
        ack_id = self.next_id
        future = self.loop.create_future()
        self.pending[ack_id] = future
        timer = self.loop.call_later(timeout, _expire, future, self.pending, ack_id)
        try:
            await self.ws.send_str(f"42{ack_id}" + DUMPS([event, payload]))
            return await future
        finally:
            timer.cancel()

    async def close(self):
        if self.ws is not None and not self.ws.closed:
            try:
                await self.ws.send_str("41")
                await self.ws.close()
            except Exception:
                pass
        if self.reader is not None:
            try:
                await asyncio.wait_for(self.reader, 5)
            except Exception:
                pass


def _expire(future, pending, ack_id):
    pending.pop(ack_id, None)
    if not future.done():
        future.set_exception(asyncio.TimeoutError())


class SioSocket:
    """The same interface over python-socketio's AsyncClient."""

    def __init__(self, session, url, on_event):
        import socketio

        self.url, self.on_event = url, on_event
        self.sio = socketio.AsyncClient(reconnection=False, http_session=session,
                                        handle_sigint=False)
        self.sio.on("*", self._any)

    async def _any(self, event, data):
        # The lean socket hands over the raw frame; give the same shape to on_event.
        self.on_event(None, now(), (event, data))

    async def connect(self, timeout=10):
        await self.sio.connect(self.url, transports=["websocket"], wait_timeout=timeout)

    async def call(self, event, payload, timeout=30):
        answer = await self.sio.call(event, payload, timeout=timeout)
        return answer, now()

    async def close(self):
        try:
            await self.sio.disconnect()
        except Exception:
            pass


SOCKETS = {"lean": LeanSocket, "sio": SioSocket}


def percentile(values, p):
    """Nearest-rank percentile of an unsorted list (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


class Stats:
    """What a set of participants saw during one measured phase."""

    def __init__(self):
        self.recording = False
        self.sent = {}  # op_id -> (send time, room, sender index)
        self.offered = 0
        self.acked = 0
        self.ack_ms = []
        self.delivery_ms = []
        self.ack_sent = []  # send time of each entry of ack_ms
        self.delivery_sent = []  # send time of each entry of delivery_ms
        self.received = Counter()  # op_id -> deliveries to other participants
        self.expected = 0  # deliveries owed for acked ops: room size - 1 each
        self.errors = Counter()  # code -> count
        self.broadcasts_seen = 0  # every op frame received (saturation phase: counted only)

    def error(self, code):
        self.errors[code] += 1

    def quiet_only(self, quiet):
        """(ack ms, delivery ms) of the ops sent during quiet seconds: [(start, end)]."""
        def keep(values, sent):
            return [v for v, t in zip(values, sent) if any(a <= t < b for a, b in quiet)]
        return keep(self.ack_ms, self.ack_sent), keep(self.delivery_ms, self.delivery_sent)

    def lost(self, room_sizes):
        """Deliveries owed to the other participants of the room but never seen."""
        return sum(max(0, room_sizes[self.sent[op_id][1]] - 1 - count)
                   for op_id, count in self.received.items() if op_id in self.sent)


class Participant:
    """One simulated person in a room: joins, then adds, edits and moves notes."""

    MIX = (("note.add", 0.60), ("note.update", 0.25), ("note.move", 0.15))

    def __init__(self, index, url, room, session, socket_kind="lean", seed=0):
        self.index, self.url, self.room = index, url, room
        self.name = f"P{index:04d}"
        self.rng = random.Random(seed * 100_003 + index)
        self.socket = SOCKETS[socket_kind](session, url, self.on_event)
        self.stats = None  # set by the phase being measured
        self.parse = True  # False in saturation: count broadcasts, do not parse them
        self.groups = []
        self.own_notes = []
        self.room_notes = []  # ids of notes seen in the room (for moves)
        self.join_ms = None
        self.join_bytes = 0

    # -- arriving frames --------------------------------------------------------------------
    def on_event(self, raw, arrived, parsed=None):
        stats = self.stats
        if parsed is None:
            if not raw.startswith('42["op"'):
                return  # presence and the like: not measured
            if stats is not None and stats.recording:
                stats.broadcasts_seen += 1
            if not self.parse:
                return
            name, event = json.loads(raw[2:])
        else:
            name, event = parsed
            if name != "op":
                return
            if stats is not None and stats.recording:
                stats.broadcasts_seen += 1
            if not self.parse:
                return
        op_id = event.get("op_id")
        if stats is not None and stats.recording:
            sent = stats.sent.get(op_id)
            if sent is not None and sent[2] != self.index:
                stats.delivery_ms.append((arrived - sent[0]) * 1000)
                stats.delivery_sent.append(sent[0])
                stats.received[op_id] += 1
        if event.get("type") == "note.add":
            note = event.get("note") or {}
            self.room_notes.append(note.get("id") or op_id)
            if len(self.room_notes) > 500:
                del self.room_notes[:250]

    # -- actions ------------------------------------------------------------------------------
    async def connect(self):
        await self.socket.connect()

    async def join(self, city, fake_groups=None, timeout=60):
        started = now()
        answer, arrived = await self.socket.call(
            "join", {"room": self.room, "name": self.name, "city": city}, timeout=timeout)
        if not answer.get("ok"):
            raise RuntimeError(f"join refused: {answer}")
        self.join_ms = (arrived - started) * 1000
        board = answer.get("board")
        if board:
            self.groups = [group["id"] for group in board["groups"]]
            self.room_notes = [note["id"] for note in board["notes"][-500:]]
            self.join_bytes = len(DUMPS(answer))
        else:  # the bare relay has no board
            self.groups = list(fake_groups or ["g1", "g2", "g3"])
        return answer

    def next_op(self):
        roll = self.rng.random()
        kind = "note.add"
        if roll >= 0.60 and roll < 0.85 and self.own_notes:
            kind = "note.update"
        elif roll >= 0.85 and (self.room_notes or self.own_notes):
            kind = "note.move"
        op = {"type": kind, "op_id": str(uuid.uuid4())}
        if kind == "note.add":
            op["text"] = note_text(self.rng)
            if self.rng.random() < 0.3:
                op["color"] = self.rng.choice(COLORS)
        elif kind == "note.update":
            op["note_id"] = self.rng.choice(self.own_notes)
            op["text"] = note_text(self.rng)
        else:
            op["note_id"] = self.rng.choice(self.room_notes or self.own_notes)
            op["group_id"] = self.rng.choice(self.groups)
            op["position"] = self.rng.randrange(0, 8)
        return op

    async def send(self, op=None, timeout=30):
        """Send one op and record it; return the ack (or None on a timeout/closed socket)."""
        stats = self.stats
        op = op or self.next_op()
        started = now()
        stats.sent[op["op_id"]] = (started, self.room, self.index)
        stats.offered += 1
        try:
            answer, arrived = await self.socket.call("op", op, timeout=timeout)
        except asyncio.TimeoutError:
            stats.error("ack_timeout")
            return None
        except Exception:
            stats.error("closed")
            return None
        if answer.get("ok"):
            stats.acked += 1
            stats.ack_ms.append((arrived - started) * 1000)
            stats.ack_sent.append(started)
            stats.received.setdefault(op["op_id"], 0)
            if op["type"] == "note.add":
                note = answer.get("note") or {}
                self.own_notes.append(note.get("id") or op["op_id"])
                if len(self.own_notes) > 200:
                    del self.own_notes[:100]
        else:
            stats.error(answer.get("code") or "refused")
        return answer

    async def close(self):
        await self.socket.close()


COLORS = ("yellow", "pink", "green", "blue", "orange", "purple")
WORDS = ("bike", "lanes", "school", "canteen", "local", "food", "market", "youth", "council",
         "energy", "housing", "trees", "river", "budget", "citizens", "mobility", "Łódź",
         "Nantes", "Milano", "café", "elderly", "students", "open", "data", "waste", "repair")


def note_text(rng, words=None):
    return " ".join(rng.choice(WORDS) for _ in range(words or rng.randint(3, 18)))


def new_session():
    """One aiohttp session for every socket: no per-host connection cap."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, force_close=False))
