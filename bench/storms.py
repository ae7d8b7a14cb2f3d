"""Scenarios e, f and g of bench/load.py, and the fan-out to one big board: many clients on
ONE board, against our server and against the bare relay in the same run.

- fan-out: clients join one board in batches of 50, then one of them adds 20 notes one after
  another; per note, the time until each other client has it: the median of every delivery,
  the median over the notes of the slowest client's time, and the worst.
- e, join storm: 500 clients join one board at once; from the last join ack on, one of them
  adds 20 notes (one every 50 ms): the time until each note reaches all the others.
- f, reconnect storm: 500 clients hold the board (200 notes, one writer still adding); the
  server is killed (SIGKILL) and restarted on the same port and database; each client
  reconnects as the browser's socket.io does (reconnectionDelay 500 ms doubling up to 5 s,
  each ±50% at random) and re-joins with `since`. Time from the kill until every client holds the board again, and whether the
  board each client holds equals the server's, every acknowledged note included.
- g, memory: the server's resident memory before the clients, and its peak with 500 joined
  to one board (after e): MB, and KB per connection.
"""

import asyncio
import json
import os
import random
import statistics
import uuid

from bench.clients import LeanSocket, new_session, now, percentile

CITIES = ["Milan", "Nantes", "Łódź", "Porto", "Ghent", "Tartu"]


def cpu_seconds(pid):
    """User + system CPU seconds of a process so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def resident_mb(pid, field="VmRSS"):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class Member:
    """One client of a board: keeps the board (note id -> text, last seq) from its join answer
    and the broadcasts, and stamps each op's arrival."""

    def __init__(self, index, url, room, session):
        self.index, self.url, self.room, self.session = index, url, room, session
        self.name = f"M{index:04d}"
        self.socket = None
        self.token = None
        self.notes, self.seq = {}, 0
        self.arrivals = {}  # op_id -> arrival time
        self.pending = None  # broadcasts that came before the join answer
        self.caught_up = None
        self.gaps = 0

    def on_event(self, raw, arrived, parsed=None):
        if not raw.startswith('42["op"'):
            return
        _, event = json.loads(raw[2:])
        self.arrivals.setdefault(event.get("op_id"), arrived)
        if self.pending is not None:
            self.pending.append(event)
        else:
            self.apply(event)

    def apply(self, event):
        seq = event.get("seq")
        if isinstance(seq, int):
            if seq <= self.seq:
                return
            if seq > self.seq + 1 and self.seq:
                self.gaps += 1
            self.seq = seq
        note = event.get("note") or {}
        if event.get("type") == "note.add" and note.get("id"):
            self.notes[note["id"]] = note.get("text")
        elif event.get("type") == "note.update" and note.get("id"):
            self.notes[note["id"]] = note.get("text")
        elif event.get("type") == "note.delete":
            self.notes.pop(event.get("note_id"), None)

    async def connect(self):
        self.socket = LeanSocket(self.session, self.url, self.on_event)
        await self.socket.connect()

    async def join(self, since=None, timeout=120):
        payload = {"room": self.room}
        if self.token:
            payload["token"] = self.token
        else:
            payload.update(name=self.name, city=CITIES[self.index % len(CITIES)])
        if since is not None:
            payload["since"] = since
        self.pending = []
        answer, arrived = await self.socket.call("join", payload, timeout=timeout)
        if not answer.get("ok"):
            raise RuntimeError(f"join refused: {answer}")
        self.token = (answer.get("participant") or {}).get("token")
        self.caught_up = answer.get("catch_up")
        if "board" in answer:
            self.notes = {n["id"]: n["text"] for n in answer["board"]["notes"]}
            self.seq = answer["board"]["seq"]
        for op in answer.get("ops") or ():
            self.apply(op)
        pending, self.pending = self.pending, None
        for event in pending:
            self.apply(event)
        return arrived

    async def add(self, text):
        op_id = str(uuid.uuid4())
        answer, _ = await self.socket.call("op", {"type": "note.add", "op_id": op_id,
                                                  "text": text})
        return op_id, answer

    async def close(self):
        if self.socket is not None:
            await self.socket.close()


async def join_in_batches(members, batch):
    for start in range(0, len(members), batch):
        group = members[start:start + batch]
        await asyncio.gather(*(m.connect() for m in group))
        await asyncio.gather(*(m.join() for m in group))


async def send_notes(sender, others, count, gap, wait=2.0):
    """Sender adds `count` notes, one after another; return per note (send time, arrivals)."""
    notes = []
    for i in range(count):
        started = now()
        op_id, answer = await sender.add(f"note {i} " + "x" * 40)
        deadline = now() + wait
        while now() < deadline and any(op_id not in m.arrivals for m in others):
            await asyncio.sleep(0.005)
        notes.append((started, [m.arrivals.get(op_id) for m in others]))
        await asyncio.sleep(gap)
    return notes


def note_figures(notes):
    """(median of every delivery, median of the slowest client per note, worst) in ms, and
    how many deliveries never came."""
    every, slowest, missing = [], [], 0
    for started, arrivals in notes:
        seen = [(a - started) * 1000 for a in arrivals if a is not None]
        missing += len(arrivals) - len(seen)
        every += seen
        if seen:
            slowest.append(max(seen))
    return {"median": statistics.median(every) if every else None,
            "slowest_median": statistics.median(slowest) if slowest else None,
            "worst": max(every, default=None), "slowest": slowest, "missing": missing}


async def fanout(urls, room, clients, pids, notes=20, batch=50):
    """The fan-out at one size. Also the server's CPU per join: over every join (the board
    filling from 0), and over the last batch only (joining a board that already holds
    clients - batch people), each with the presence changes it causes (a second to settle).

    With several server processes (`urls`, `pids`: behind Redis) the clients alternate between
    them; the CPU is theirs (and Redis's) together."""
    def cpu_now():
        return sum(cpu_seconds(pid) for pid in pids)

    async with new_session() as session:
        members = [Member(i, urls[i % len(urls)], room, session) for i in range(clients)]
        last = min(batch, clients)
        cpu = cpu_now()
        await join_in_batches(members[:-last], batch)
        await asyncio.sleep(1.0)  # presence settles
        cpu_last = cpu_now()
        await join_in_batches(members[-last:], batch)
        await asyncio.sleep(1.0)
        join_cpu_ms = (cpu_now() - cpu) * 1000 / clients
        last_join_cpu_ms = (cpu_now() - cpu_last) * 1000 / last
        result = note_figures(await send_notes(members[0], members[1:], notes, 0.05))
        result.update(join_cpu_ms=join_cpu_ms, last_join_cpu_ms=last_join_cpu_ms,
                      board_before_last=clients - last)
        await asyncio.gather(*(m.close() for m in members), return_exceptions=True)
    return result


async def join_storm(url, room, clients, pid, notes=20):
    """Scenario e (and g's peak memory): everyone joins at once, then notes go out."""
    before = resident_mb(pid)
    async with new_session() as session:
        members = [Member(i, url, room, session) for i in range(clients)]
        gate = asyncio.Semaphore(100)

        async def connect(member):
            async with gate:
                await member.connect()

        await asyncio.gather(*(connect(m) for m in members))
        started, cpu = now(), cpu_seconds(pid)
        acks = await asyncio.gather(*(m.join() for m in members))
        storm_s = max(acks) - started
        join_cpu_ms = (cpu_seconds(pid) - cpu) * 1000 / clients
        figures = note_figures(await send_notes(members[0], members[1:], notes, 0.05))
        figures.update(storm_s=storm_s, join_cpu_ms=join_cpu_ms, before_mb=before, peak_mb=resident_mb(pid, "VmHWM"),
                       held_mb=resident_mb(pid))
        await asyncio.gather(*(m.close() for m in members), return_exceptions=True)
    return figures


async def reconnect_storm(server, room, clients, seed_notes=200, relay=False):
    """Scenario f: kill and restart the server under `clients` connected clients."""
    url = server.url
    async with new_session() as session:
        members = [Member(i, url, room, session) for i in range(clients)]
        writer = Member(clients, url, room, session)
        await join_in_batches(members + [writer], 50)
        for i in range(seed_notes):
            await writer.add(f"seed {i}")
        acked = []
        writing = True

        async def keep_writing():
            while writing:
                try:
                    op_id, answer = await writer.add("while the server dies")
                except Exception:
                    return
                if answer.get("ok"):
                    acked.append(answer.get("note", {}).get("id"))
                await asyncio.sleep(0.05)

        task = asyncio.create_task(keep_writing())
        await asyncio.sleep(1.0)
        killed = now()
        server.kill()
        writing = False

        def restart():
            server.start(timeout=90)
            return now()

        restarting = asyncio.get_running_loop().run_in_executor(None, restart)
        await task

        rng = random.Random(7)

        async def come_back(member):
            try:
                await asyncio.wait_for(asyncio.shield(member.socket.reader), 10)
            except Exception:
                pass
            attempt = 0
            while True:
                await asyncio.sleep(min(0.5 * 2 ** attempt, 5.0) * rng.uniform(0.5, 1.5))
                attempt += 1
                try:
                    await member.connect()
                    return await member.join(since=None if relay else member.seq)
                except Exception:
                    continue

        back = await asyncio.gather(*(come_back(m) for m in members))
        up = await restarting
        result = {"clients": clients, "all_back_s": max(back) - killed,
                  "p50_back_s": statistics.median(b - killed for b in back),
                  "server_up_s": up - killed, "after_up_s": max(back) - up}
        if not relay:
            truth = Member(clients + 1, url, room, session)
            await truth.connect()
            await truth.join()
            result["kinds"] = {kind: sum(1 for m in members if m.caught_up == kind)
                               for kind in ("ops", "board")}
            result["wrong"] = sum(1 for m in members if m.notes != truth.notes)
            result["acked_lost"] = sum(1 for note_id in acked if note_id not in truth.notes)
            result["acked"] = len(acked)
            result["notes"] = len(truth.notes)
            await truth.close()
        await asyncio.gather(*(m.close() for m in members), return_exceptions=True)
    return result


def ms(value):
    return "-" if value is None else (f"{value:.1f}" if value < 100 else f"{value:.0f}")


def growth(figures, sizes):
    """The last batch's CPU per join at the largest size against the smallest, or None."""
    first, last = figures.get(sizes[0]), figures.get(sizes[-1])
    if not first or not last or not first["last_join_cpu_ms"]:
        return None
    return last["last_join_cpu_ms"] / first["last_join_cpu_ms"]


def join_cpu_text(ours, relay):
    """Issue 14: the server's CPU per join must not grow with the board. The last batch's CPU
    per join at each size (a board already holding size - 50 people), ours and the relay's."""
    sizes = sorted(ours)
    if not sizes:
        return None
    cells = []
    for size in sizes:
        o, r = ours[size], relay.get(size)
        cells.append(f"onto {o['board_before_last']} people {o['last_join_cpu_ms']:.2f}"
                     + (f" (relay {r['last_join_cpu_ms']:.2f})" if r else ""))
    text = "CPU per join, ms: " + ", ".join(cells)
    ours_growth, relay_growth = growth(ours, sizes), growth(relay, sizes)
    if len(sizes) > 1 and ours_growth is not None:
        text += f"; at {sizes[-1]} against {sizes[0]}: {ours_growth:.2f}x"
        if relay_growth is not None:
            text += f" (relay {relay_growth:.2f}x)"
        text += " (goal: flat, about 1x)"
    return text


def fanout_text(sizes, ours, relay):
    lines = ["| clients | ours: median / slowest-client median / worst ms | relay | slowest "
             "median, ours / relay | server CPU ms per join, ours / relay | the last 50 "
             "joins only, ours / relay |",
             "|---|---|---|---|---|---|"]
    for size in sizes:
        o, r = ours.get(size), relay.get(size)

        def cell(f):
            if not f:
                return "-"
            lost = f" ({f['missing']} never came)" if f["missing"] else ""
            return f"{ms(f['median'])} / {ms(f['slowest_median'])} / {ms(f['worst'])}{lost}"

        ratio = (f"{o['slowest_median'] / r['slowest_median']:.2f}x"
                 if o and r and o["slowest_median"] and r["slowest_median"] else "-")
        joins = " / ".join(f"{f['join_cpu_ms']:.2f}" if f else "-" for f in (o, r))
        last = " / ".join(f"{f['last_join_cpu_ms']:.2f}" if f else "-" for f in (o, r))
        lines.append(f"| {size} | {cell(o)} | {cell(r)} | {ratio} | {joins} | {last} |")
    return "\n".join(lines)
