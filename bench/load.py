"""Load benchmark: the real server (eventlet, fresh database) under simulated participants.

    .venv/bin/python bench/load.py [--scenario a|b|c|d|all] [--processes N] [--seconds S]

Scenarios (targets for a 2-core machine in brackets):
  a  500 participants in 25 rooms, each adding, editing or moving a note every 10 s
     (p99 broadcast delivery < 50 ms, no errors; max ack throughput >= 70% of the bare relay's)
  b  200 participants in one room, same rate (same targets)
  c  20 fresh participants join, one at a time, a room whose board holds 2,000 notes (< 150 ms)
  d  export of a workshop of 10,000 notes in every format (< 1 s each)

a and b run twice with the same clients and load: against our server and against the bare relay
(bench/relay.py: Flask-SocketIO under eventlet that only re-broadcasts), and print our figures
as a ratio to it. Each has a paced phase (the scenario's rate, --seconds long: latency and
delivery) and a short saturation phase (every participant sends its next op as soon as the
previous one is acknowledged, --saturate seconds: maximum ack throughput).

--processes 2 runs scenario a over two server processes sharing one database behind a Redis
message queue (Debian's redis-server on a free loopback port), participants spread over both.
--profile DIR records the server with py-spy during a and b and prints its hot spots.
Everything listens on 127.0.0.1, on free ports, and stops by itself.
"""

import argparse
import asyncio
import datetime
import gc
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.clients import Participant, Stats, new_session, note_text, now, percentile  # noqa: E402
from bench import storms, summary  # noqa: E402
from tests.live import LiveServer, free_port  # noqa: E402

# Per-connection and per-address limits out of the way: every participant is on 127.0.0.1.
BENCH_LIMITS = json.dumps({
    "ops_per_second": 100000, "ops_burst": 100000,
    "joins_per_minute": 1000000, "joins_burst": 1000000,
    "address_ops_per_second": 1000000, "address_ops_burst": 1000000,
    # d asks for 27 exports in a row (heavy requests: 20 at once, then 30 a minute by default)
    "heavy_per_minute": 100000, "heavy_burst": 100000,
})
CITIES = ["Milan", "Nantes", "Łódź", "Porto", "Ghent", "Tartu"]
TICK = os.sysconf("SC_CLK_TCK")
QUIET_CPU = 25.0  # other processes under this % of a core: a quiet second
TARGETS = {"delivery_p99_ms": 50, "throughput_ratio": 0.70, "join_ms": 150, "export_s": 1.0}


# -- processes: CPU, memory, files ---------------------------------------------------------------

def cpu_seconds(pid):
    """utime + stime of a process (all its threads), in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def peak_memory_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def database_mb(path):
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p)) / 2**20


def machine_busy_seconds():
    """CPU seconds the whole machine has been busy (every core), from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / TICK


class CpuMeter:
    """CPU used by some processes, by this one, and by everything else, between start() and
    stop(), in % of one core. Other work on the machine (tests, browsers) skews every figure:
    `other_cpu` says how much there was."""

    def __init__(self, pids):
        self.pids = pids

    def start(self):
        self.wall = time.monotonic()
        self.server = sum(cpu_seconds(pid) for pid in self.pids)
        self.client = time.process_time()
        self.machine = machine_busy_seconds()
        return self

    def stop(self):
        wall = time.monotonic() - self.wall
        server = sum(cpu_seconds(pid) for pid in self.pids) - self.server
        client = time.process_time() - self.client
        machine = machine_busy_seconds() - self.machine
        return {"server_cpu": 100 * server / wall, "client_cpu": 100 * client / wall,
                "other_cpu": max(0.0, 100 * (machine - server - client) / wall),
                "server_seconds": server}


def wait_for_quiet(max_seconds, threshold=25.0, window=2.0):
    """Wait (at most max_seconds) until other processes use under `threshold` % of a core.

    This machine may be shared (tests, browsers): a busy neighbour skews latencies. Returns the
    other processes' CPU % in the last window."""
    deadline = time.monotonic() + max_seconds
    while True:
        meter = CpuMeter([]).start()
        time.sleep(window)
        other = meter.stop()["other_cpu"]
        if other < threshold or time.monotonic() >= deadline:
            return other


def wait_for_port(port, process, output, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("exited:\n" + "".join(output))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("did not start listening:\n" + "".join(output))


class Subprocess:
    """A helper process on a free loopback port, its output kept, stopped on exit."""

    def __init__(self, argv, env=None, port=None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.argv = [a.replace("{port}", str(self.port)) for a in argv]
        self.env = env or {}
        self.output = []

    def start(self, timeout=90):
        self.process = subprocess.Popen(
            self.argv, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1", "HOST": "127.0.0.1",
                                      "PORT": str(self.port), **self.env},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._collect, daemon=True).start()
        wait_for_port(self.port, self.process, self.output, timeout)
        return self

    def _collect(self):
        for line in self.process.stdout:
            self.output.append(line)

    def kill(self):
        """SIGKILL, as in a crash (start() brings it back on the same port)."""
        self.process.kill()
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


RELAY_UNMASK = False  # --relay-unmask: the relay unmasks frames as app.py does (wsmask.py)
RELAY_DIRECT = False  # --relay-direct: the relay writes to websockets as app.py does (wssend.py)


class Servers:
    """One or more server processes (ours or the relay) and what they share: a database, Redis."""

    def __init__(self, kind, processes=1, redis_url=None, nodelay=False):
        self.kind, self.processes, self.redis_url = kind, processes, redis_url
        self.nodelay = nodelay
        self.redis = None  # a Redis of their own (servers_behind_redis), stopped with them
        self.extra_pids = []  # counted in the server CPU too (Redis)
        self.tmp = tempfile.mkdtemp(prefix=f"bench-{kind}-")
        self.db_path = os.path.join(self.tmp, "bench.sqlite")
        self.procs = []

    def start(self):
        for _ in range(self.processes):
            if self.kind == "ours":
                env = {"FACILITATION_LIMITS": BENCH_LIMITS}
                if self.redis_url:
                    env["FACILITATION_MESSAGE_QUEUE"] = self.redis_url
                server = LiveServer(self.db_path, env=env).start(timeout=90)
            else:
                env = {"RELAY_MESSAGE_QUEUE": self.redis_url} if self.redis_url else {}
                if self.nodelay:
                    env["RELAY_TCP_NODELAY"] = "1"
                if RELAY_UNMASK:
                    env["RELAY_FAST_UNMASK"] = "1"
                if RELAY_DIRECT:
                    env["RELAY_DIRECT_SEND"] = "1"
                server = Subprocess([sys.executable, "bench/relay.py"], env=env).start()
            self.procs.append(server)
        return self

    @property
    def urls(self):
        return [server.url for server in self.procs]

    @property
    def pids(self):
        return [server.process.pid for server in self.procs] + self.extra_pids

    def peak_memory(self):
        return sum(peak_memory_mb(server.process.pid) or 0 for server in self.procs)

    def logged_errors(self):
        lines = [line for server in self.procs for line in server.output]
        return sum(1 for line in lines if "Traceback" in line or " ERROR " in line)

    def db_size(self):
        return database_mb(self.db_path) if self.kind == "ours" else None

    def create_workshop(self, rooms, title="Load test"):
        return self.procs[0].create_workshop({
            "title": title, "cities": CITIES,
            "rooms": [{"name": f"Room {i + 1}", "theme": "Load", "template":
                       "challenges-ideas-actions"} for i in range(rooms)]})

    def stop(self):
        for server in self.procs:
            server.stop()
        if self.redis:
            self.redis.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def servers_behind_redis(kind, processes, nodelay):
    """Servers of this kind (not started); with several processes, a Redis of their own (its
    CPU counted with theirs, stopped with them) relays their broadcasts."""
    redis = None
    if processes > 1:
        redis = start_redis()
        if redis is None:
            raise SystemExit("--processes 2 needs Debian's redis-server (apt-get install "
                             "redis-server): not found on PATH.")
    servers = Servers(kind, processes, redis.url.replace("http", "redis") + "/0" if redis else None,
                      nodelay=nodelay)
    if redis:
        servers.redis = redis
        servers.extra_pids.append(redis.process.pid)
    return servers


def start_redis():
    """Debian's redis-server on a free loopback port, nothing saved; None when not installed."""
    binary = shutil.which("redis-server")
    if binary is None:
        return None
    redis = Subprocess([binary, "--port", "{port}", "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "no", "--protected-mode", "yes"])
    return redis.start()


class GcPauses:
    """This (client) process's garbage-collection pauses: a long one delays every arrival
    stamp behind it, so the table shows the longest."""

    def __init__(self):
        self.pauses, self._started = [], None
        gc.callbacks.append(self._callback)

    def _callback(self, phase, info):
        if phase == "start":
            self._started = time.perf_counter()
        elif self._started is not None:
            self.pauses.append((time.perf_counter() - self._started) * 1000)

    def longest_since(self, mark):
        return max(self.pauses[mark:], default=0.0)


GC_PAUSES = GcPauses()


# -- py-spy ---------------------------------------------------------------------------------------

class Profiler:
    """py-spy record of the server process, as collapsed stacks, for one phase."""

    def __init__(self, directory):
        self.directory = directory
        self.binary = self.binary_path()
        os.makedirs(directory, exist_ok=True)
        self.process = None

    @staticmethod
    def binary_path():
        return shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")

    def start(self, pid, name, seconds):
        self.path = os.path.join(self.directory, f"{name}.txt")
        self.process = subprocess.Popen(
            [self.binary, "record", "--pid", str(pid), "--duration", str(max(1, int(seconds))),
             "--rate", "200", "--format", "raw", "--nonblocking", "-o", self.path],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def stop(self):
        if self.process is None:
            return None
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=10)
        self.process = None
        return self.path if os.path.exists(self.path) else None


def hot_spots(path, top=18):
    """Self and inclusive shares of the sampled (non-idle) stacks, by function."""
    selfs, inclusive, total = Counter(), Counter(), 0
    with open(path) as raw:
        for line in raw:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            count = int(count)
            total += count
            frames = [shorten(frame) for frame in stack.split(";")]
            selfs[frames[-1]] += count
            for frame in set(frames):
                inclusive[frame] += count
    lines = [f"  {total} samples (200 Hz, idle excluded)",
             f"  {'self %':>7} {'total %':>8}  function (file)"]
    for frame, count in selfs.most_common(top):
        lines.append(f"  {100 * count / total:7.1f} {100 * inclusive[frame] / total:8.1f}  {frame}")
    lines.append("  -- by total (inclusive) time, ours only --")
    ours = [(f, c) for f, c in inclusive.most_common() if "facilitation/" in f or "realtime" in f]
    for frame, count in ours[:top]:
        lines.append(f"  {100 * selfs[frame] / total:7.1f} {100 * count / total:8.1f}  {frame}")
    return "\n".join(lines)


def shorten(frame):
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    path = where.rsplit(":", 1)[0]
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{name} ({path})"


# -- the participants ------------------------------------------------------------------------------

async def connect_all(participants, concurrency=50, fake_groups=None):
    gate = asyncio.Semaphore(concurrency)

    async def one(participant):
        async with gate:
            await participant.connect()
            await participant.join(CITIES[participant.index % len(CITIES)], fake_groups)

    await asyncio.gather(*(one(p) for p in participants))


async def paced(participants, seconds, period, pids, profiler=None, profile_name=None):
    """Each participant sends an op every `period` s (random phase); return Stats and CPU."""
    stats = Stats()
    for participant in participants:
        participant.stats, participant.parse = stats, True
    tasks = set()
    start = now() + 0.1
    end = start + seconds

    async def ticker(participant):
        due = start + participant.rng.uniform(0, period)
        while due < end:
            await asyncio.sleep(max(0.0, due - now()))
            task = asyncio.create_task(participant.send())
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            due += period

    stats.recording = True
    if profiler:
        profiler.start(pids[0], profile_name, seconds)
    meter = CpuMeter(pids).start()
    seconds_watched = []  # (start, end, other processes' CPU %) for each second
    watcher = asyncio.create_task(watch_machine(pids, end, seconds_watched))
    await asyncio.gather(*(ticker(p) for p in participants))
    cpu = meter.stop()
    await watcher
    if tasks:
        await asyncio.wait(set(tasks), timeout=30)
    await asyncio.sleep(1.0)  # broadcasts still on their way
    stats.recording = False
    stats.seconds = seconds
    stats.cpu = cpu
    # Seconds when the rest of the machine was quiet; ops sent then were not slowed by others.
    stats.quiet = [(a, b) for a, b, other in seconds_watched if other < QUIET_CPU]
    stats.watched = len(seconds_watched)
    stats.profile = profiler.stop() if profiler else None
    return stats


async def watch_machine(pids, end, seconds_watched):
    """Every second until `end`, note how busy the rest of the machine was."""
    while now() < end:
        started, meter = now(), CpuMeter(pids).start()
        await asyncio.sleep(1.0)
        seconds_watched.append((started, now(), meter.stop()["other_cpu"]))


async def saturate(participants, seconds, pids, profiler=None, profile_name=None):
    """Every participant sends its next op as soon as the last is acknowledged."""
    stats = Stats()
    for participant in participants:
        participant.stats, participant.parse = stats, False  # count broadcasts, parse none
    end = now() + seconds
    stats.recording = True

    async def closed_loop(participant):
        while now() < end:
            if await participant.send(timeout=60) is None:
                await asyncio.sleep(0.05)

    if profiler:
        profiler.start(pids[0], profile_name, seconds)
    meter = CpuMeter(pids).start()
    loops = [asyncio.create_task(closed_loop(p)) for p in participants]
    await asyncio.sleep(seconds)
    acked_in_window, seen_in_window = stats.acked, stats.broadcasts_seen
    cpu = meter.stop()
    await asyncio.wait(loops, timeout=60)
    stats.recording = False
    stats.throughput = acked_in_window / seconds
    stats.cpu_ms_per_op = 1000 * cpu["server_seconds"] / max(1, acked_in_window)
    stats.deliveries_per_s = seen_in_window / seconds
    stats.cpu = cpu
    stats.profile = profiler.stop() if profiler else None
    return stats


async def close_all(participants):
    await asyncio.gather(*(p.close() for p in participants), return_exceptions=True)


async def drive_load(servers, participants_n, rooms_n, seconds, sat_seconds, period, client,
                     profiler=None, label=""):
    """Connect, join, run the paced and the saturation phases; return the figures."""
    if servers.kind == "ours":
        workshop = servers.create_workshop(rooms_n)
        codes = [room["code"] for room in workshop["rooms"]]
    else:
        codes = [f"relay-room-{i}" for i in range(rooms_n)]
    urls = servers.urls
    async with new_session() as session:
        participants = [
            Participant(i, urls[(i // rooms_n) % len(urls)], codes[i % rooms_n], session, client)
            for i in range(participants_n)]
        started = now()
        await connect_all(participants)
        join_s = now() - started
        # What the joins made lives to the end: keep the collector off it (shorter pauses).
        gc.collect()
        gc.freeze()
        gc_mark = len(GC_PAUSES.pauses)
        room_sizes = Counter(p.room for p in participants)
        await asyncio.sleep(1.0)  # presence broadcasts of the joins settle
        pace = await paced(participants, seconds, period, servers.pids, profiler,
                           f"{label}-paced")
        client_gc = GC_PAUSES.longest_since(gc_mark)
        sat = await saturate(participants, sat_seconds, servers.pids, profiler,
                             f"{label}-saturation") if sat_seconds else None
        await close_all(participants)
    gc.unfreeze()
    return {
        "client_gc_ms": client_gc,
        "participants": participants_n, "rooms": rooms_n, "processes": len(urls),
        "join_s": join_s, "offered": participants_n / period,
        "achieved": pace.acked / seconds,
        "ack": pace.ack_ms, "delivery": pace.delivery_ms,
        "errors": pace.errors, "lost": pace.lost(room_sizes), "owed": sum(
            room_sizes[pace.sent[op_id][1]] - 1 for op_id in pace.received if op_id in pace.sent),
        "server_cpu": pace.cpu["server_cpu"], "client_cpu": pace.cpu["client_cpu"],
        "other_cpu": pace.cpu["other_cpu"],
        "cpu_ms_per_op": 1000 * pace.cpu["server_seconds"] / max(1, pace.acked),
        "quiet": pace.quiet_only(pace.quiet), "quiet_seconds": len(pace.quiet),
        "watched_seconds": pace.watched,
        "sat": sat, "profiles": [s.profile for s in (pace, sat) if s and s.profile],
    }


def run_load_scenario(kind, participants, rooms, args, processes=1):
    """Scenario a or b against one kind of server ('ours' or 'relay')."""
    servers = servers_behind_redis(kind, processes, nodelay=args.relay_nodelay)
    try:
        servers.start()
        if args.quiet_wait:
            wait_for_quiet(args.quiet_wait)
        profiler = Profiler(args.profile) if args.profile and kind == "ours" else None
        label = f"{args.current}-{kind}" + (f"-{processes}p" if processes > 1 else "")
        figures = asyncio.run(drive_load(servers, participants, rooms, args.seconds,
                                         args.saturate, args.period, args.client, profiler,
                                         label))
        figures["memory"] = servers.peak_memory()
        figures["db"] = servers.db_size()
        figures["logged_errors"] = servers.logged_errors()
        if processes > 1 and figures["lost"]:
            figures["note"] = ("deliveries lost across processes: is FACILITATION_MESSAGE_QUEUE "
                               "supported by this server?")
        return figures
    finally:
        servers.stop()


# -- a, alternating: both servers up, their saturations taking turns ------------------------------

async def alternate_saturations(ours, relay, participants_n, rooms_n, rounds, seconds, client):
    """a's participants on both servers at once; then `rounds` times: saturate ours for `seconds`,
    then the relay. A machine whose speed drifts (a shared host) hurts both alike."""
    codes = [room["code"] for room in ours.create_workshop(rooms_n)["rooms"]]
    relay_codes = [f"relay-room-{i}" for i in range(rooms_n)]
    turns = {"ours": [], "relay": []}
    async with new_session() as session:
        crowds = {
            "ours": [Participant(i, ours.urls[0], codes[i % rooms_n], session, client)
                     for i in range(participants_n)],
            "relay": [Participant(i, relay.urls[0], relay_codes[i % rooms_n], session, client)
                      for i in range(participants_n)]}
        for crowd in crowds.values():
            await connect_all(crowd)
        gc.collect()
        gc.freeze()  # as in drive_load: shorter collector pauses in the clients
        await asyncio.sleep(1.0)
        for _ in range(rounds):
            for kind, servers in (("ours", ours), ("relay", relay)):
                stats = await saturate(crowds[kind], seconds, servers.pids)
                turns[kind].append((stats.throughput, stats.cpu_ms_per_op,
                                    stats.cpu["client_cpu"]))
        for crowd in crowds.values():
            await close_all(crowd)
    gc.unfreeze()
    return turns


def run_alternating_scenario(args):
    ours, relay = Servers("ours").start(), Servers("relay", nodelay=args.relay_nodelay).start()
    try:
        participants, rooms = SCENARIOS["a"]
        return asyncio.run(alternate_saturations(
            ours, relay, args.participants or participants, args.rooms or rooms,
            args.rounds, args.round_seconds, args.client))
    finally:
        ours.stop()
        relay.stop()


def alternating_text(turns):
    lines = ["a, alternating (both servers up; saturation ours, then the relay, each round): "
             "acked ops/s, ours / relay = ratio (server CPU ms per op, ours / relay; the "
             "clients' CPU %, ours / relay)"]
    for index, (mine, theirs) in enumerate(zip(turns["ours"], turns["relay"]), 1):
        lines.append(f"  round {index}: {mine[0]:,.0f} / {theirs[0]:,.0f} = "
                     f"{mine[0] / theirs[0]:.2f} ({mine[1]:.2f} / {theirs[1]:.2f}; "
                     f"{mine[2]:.0f} / {theirs[2]:.0f})")
    total = sum(t[0] for t in turns["ours"]) / sum(t[0] for t in turns["relay"])
    ratios = sorted(m[0] / t[0] for m, t in zip(turns["ours"], turns["relay"]))
    lines.append(f"a, alternating: all rounds {total:.2f} of the relay (rounds from "
                 f"{ratios[0]:.2f} to {ratios[-1]:.2f}; target >= 0.70): "
                 + ("PASS" if total >= 0.70 else "FAIL"))
    return "\n".join(lines)


# -- scenario c: join of a full board --------------------------------------------------------------

async def seed_notes(url, codes, per_room, session, writers_per_room=8, words=(3, 18),
                     in_flight=4):
    """Fill each room with `per_room` notes through ops: several writers per room, each with a
    few ops in flight."""
    writers = [Participant(10_000 + i, url, codes[i % len(codes)], session)
               for i in range(writers_per_room * len(codes))]
    await connect_all(writers)
    stats = Stats()
    for writer in writers:
        writer.stats, writer.parse = stats, False
    quota = Counter({code: per_room for code in codes})

    async def write(writer):
        while quota[writer.room] > 0:
            quota[writer.room] -= 1
            text = note_text(writer.rng, writer.rng.randint(*words))
            op = {"type": "note.add", "op_id": str(uuid.uuid4()), "text": text}
            answer = await writer.send(op, timeout=60)
            if not answer or not answer.get("ok"):
                quota[writer.room] += 1
                await asyncio.sleep(0.05)

    started = now()
    await asyncio.gather(*(write(w) for w in writers for _ in range(in_flight)))
    seconds = now() - started
    await close_all(writers)
    return stats, seconds


async def join_full_board(servers, notes, joins):
    server = servers.procs[0]
    workshop = servers.create_workshop(1, "Full board")
    code = workshop["rooms"][0]["code"]
    async with new_session() as session:
        seeded, seed_s = await seed_notes(server.url, [code], notes, session)
        joiners = []
        for i in range(joins):
            joiner = Participant(20_000 + i, server.url, code, session)
            await joiner.connect()
            answer = await joiner.join(CITIES[i % len(CITIES)])
            joiners.append(joiner)
            assert len(answer["board"]["notes"]) == notes, len(answer["board"]["notes"])
        await close_all(joiners)
    times = [j.join_ms for j in joiners]
    return {"notes": notes, "joins": joins, "seed_s": seed_s, "seed_rate": notes / seed_s,
            "seed_errors": seeded.errors, "bytes": joiners[0].join_bytes,
            "p50": percentile(times, 50), "p99": percentile(times, 99), "max": max(times)}


def run_join_scenario(args):
    servers = Servers("ours").start()
    try:
        result = asyncio.run(join_full_board(servers, args.join_notes, args.joins))
        result["memory"] = servers.peak_memory()
        return result
    finally:
        servers.stop()


# -- scenario d: exports ---------------------------------------------------------------------------

def http_get(url, timeout=60):
    """GET a URL; return (status, bytes, seconds)."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body = error.read()
        status = error.code
    return status, len(body), time.perf_counter() - started


def run_export_scenario(args):
    servers = Servers("ours").start()
    try:
        return asyncio.run(exports(servers, args))
    finally:
        servers.stop()


async def exports(servers, args):
    """Seed the notes, then time every export route while a probe participant keeps sending an
    op every 50 ms: its slowest ack during an export shows how long the export held up
    everyone else on the server (eventlet runs one thing at a time)."""
    server = servers.procs[0]
    rooms = 2  # a room holds at most 5,000 notes
    workshop = servers.create_workshop(rooms, "Export test")
    codes = [room["code"] for room in workshop["rooms"]]
    key = workshop["facilitator_key"]
    routes = [(f"workshop .{fmt}", f"/f/{key}/export.{fmt}")
              for fmt in ("csv", "json", "md", "html", "zip")]
    routes += [(f"room .{fmt}", f"/r/{codes[0]}/export.{fmt}")
               for fmt in ("csv", "json", "md", "html")]
    async with new_session() as session:
        seeded, seed_s = await seed_notes(server.url, codes, args.export_notes // rooms, session,
                                          words=(5, 30))
        probe = Participant(30_000, server.url, codes[1], session)
        await probe.connect()
        await probe.join(CITIES[0])
        probe.stats = Stats()
        rows = []
        for name, path in routes:
            stop = asyncio.Event()
            acks = []

            async def probing():
                while not stop.is_set():
                    started = now()
                    await probe.send({"type": "note.update", "op_id": str(uuid.uuid4()),
                                      "note_id": probe.own_notes[-1], "text": "probe"}
                                     if probe.own_notes else None)
                    acks.append((now() - started) * 1000)
                    await asyncio.sleep(0.05)

            task = asyncio.create_task(probing())
            runs = []
            for _ in range(args.export_repeats):
                runs.append(await asyncio.to_thread(http_get, server.url + path))
            stop.set()
            await task
            status = runs[0][0]
            if status == 404:
                rows.append({"name": name, "path": path, "missing": True})
                continue
            times = sorted(run[2] for run in runs)
            rows.append({"name": name, "path": path, "status": status, "bytes": runs[0][1],
                         "first": runs[0][2], "median": times[len(times) // 2],
                         "max": times[-1], "probe_max": max(acks, default=None)})
        await probe.close()
    return {"notes": args.export_notes, "rooms": rooms, "seed_s": seed_s,
            "seed_errors": seeded.errors, "rows": rows, "db": servers.db_size(),
            "memory": servers.peak_memory()}


# -- scenarios e, f, g and the fan-out: many clients on one board (bench/storms.py) -------------------

def one_board(kind, processes=1):
    """A fresh server of this kind (`processes` of them behind Redis) and its one board's code."""
    servers = servers_behind_redis(kind, processes, nodelay=True).start()
    if kind == "ours":
        return servers, servers.create_workshop(1, "One board")["rooms"][0]["code"]
    return servers, "one-board"


def run_storm_scenarios(args, chosen):
    """The fan-out at each size, e with g, and f; ours and the relay one after the other for
    each measurement, so that a machine that gets busier hurts both alike."""
    kinds = ["ours"] if args.no_relay else ["ours", "relay"]
    results = {"fanout": {kind: {} for kind in kinds}, "e": {}, "f": {}}

    def measure(kind, label, run, processes=1):
        print(f"… {label} ({kind}" + (f", {processes} processes)" if processes > 1 else ")"),
              flush=True)
        servers, code = one_board(kind, processes)
        try:
            return asyncio.run(run(servers, code))
        finally:
            servers.stop()

    if "fanout" in chosen:
        for size in args.fanout_sizes:
            for kind in kinds:
                results["fanout"][kind][size] = measure(
                    kind, f"fan-out: {size} clients on one board",
                    lambda servers, code: storms.fanout(servers.urls, code, size,
                                                          servers.pids), args.processes)
    else:
        results["fanout"] = {}
    if "e" in chosen or "g" in chosen:
        for kind in kinds:
            results["e"][kind] = measure(
                kind, f"e/g: join storm of {args.storm} clients on one board",
                lambda servers, code: storms.join_storm(servers.urls[0], code, args.storm,
                                                        servers.pids[0]))
    if "f" in chosen:
        for kind in kinds:
            results["f"][kind] = measure(
                kind, f"f: reconnect storm of {args.storm} clients",
                lambda servers, code: storms.reconnect_storm(servers.procs[0], code, args.storm,
                                                             relay=kind == "relay"))
    return results


def storm_text(results, chosen, clients):
    lines = []
    fan = results["fanout"]
    if fan:
        lines += ["Fan-out to one board: a note's time to each other client, ms (median / median "
                  "of the slowest client / worst)",
                  storms.fanout_text(sorted(fan.get("ours") or fan.get("relay")),
                                     fan.get("ours", {}), fan.get("relay", {}))]
        for size, figures in sorted(fan.get("ours", {}).items()):
            relay = fan.get("relay", {}).get(size)
            if relay and relay["slowest_median"]:
                ratio = figures["slowest_median"] / relay["slowest_median"]
                target = " (target <= 1.0x at 500)" if size == 500 else ""
                lines.append(f"fan-out {size}: slowest-client median {ratio:.2f}x the relay"
                             f"{target}" + (f": {'PASS' if ratio <= 1.0 else 'FAIL'}"
                                            if size == 500 else ""))
        joins = storms.join_cpu_text(fan.get("ours", {}), fan.get("relay", {}))
        if joins:
            lines.append(joins)
        lines.append("")
    e = results["e"]
    if e and ("e" in chosen):
        for kind, f in e.items():
            slowest = f["slowest"]
            lines.append(
                f"e ({kind}): {f.get('storm_s', 0):.2f} s for all joins; then each note's time "
                f"to reach everyone ms p50 {storms.ms(percentile(slowest, 50))}, p99 "
                f"{storms.ms(percentile(slowest, 99))}, max {storms.ms(max(slowest, default=None))}"
                f", first note {storms.ms(slowest[0] if slowest else None)}; server CPU "
                f"{f['join_cpu_ms']:.2f} ms per join"
                + (f", {f['missing']} deliveries never came" if f["missing"] else ""))
        ours = e.get("ours")
        if ours:
            p99, worst = percentile(ours["slowest"], 99), max(ours["slowest"], default=None)
            ok = (p99 is not None and p99 < 100 and worst < 1000 and not ours["missing"])
            lines.append(f"e: p99 {storms.ms(p99)} ms (target < 100), max {storms.ms(worst)} ms "
                         f"(target < 1000): {'PASS' if ok else 'FAIL'}")
        lines.append("")
    if e and ("g" in chosen):
        for kind, f in e.items():
            per = (f["peak_mb"] - f["before_mb"]) * 1024 / clients
            lines.append(f"g ({kind}): {f['before_mb']:.0f} MB before, peak {f['peak_mb']:.0f} MB "
                         f"with {clients} connected ({per:.0f} KB per connection)")
        if e.get("ours"):
            lines.append(f"g: peak {e['ours']['peak_mb']:.0f} MB (target < 300 MB): "
                         f"{'PASS' if e['ours']['peak_mb'] < 300 else 'FAIL'}")
        lines.append("")
    f = results["f"]
    for kind, r in f.items():
        text = (f"f ({kind}): {r['clients']} clients all back {r['all_back_s']:.2f} s after the "
                f"kill (median {r['p50_back_s']:.2f} s; the server listened again after "
                f"{r['server_up_s']:.2f} s, the last client was back {r['after_up_s']:.2f} s "
                "later)")
        if kind == "ours":
            text += (f"; answers: {r['kinds']['ops']} ops, {r['kinds']['board']} boards; "
                     f"clients whose board differs from the server's: {r['wrong']}; acked notes "
                     f"lost: {r['acked_lost']} of {r['acked']} ({r['notes']} notes)")
        lines.append(text)
    if f.get("ours"):
        r = f["ours"]
        ok = r["all_back_s"] < 5 and r["wrong"] == 0 and r["acked_lost"] == 0
        lines.append(f"f: {r['all_back_s']:.2f} s (target < 5 s, nothing lost): "
                     f"{'PASS' if ok else 'FAIL'}")
    return "\n".join(lines)


# -- the tables ------------------------------------------------------------------------------------

def ms(value):
    return "-" if value is None else (f"{value:.1f}" if value < 100 else f"{value:.0f}")


def errors_text(figures):
    parts = [f"{code} {count}" for code, count in sorted(figures["errors"].items())]
    if figures["lost"]:
        parts.append(f"lost deliveries {figures['lost']}")
    if figures.get("logged_errors"):
        parts.append(f"server tracebacks {figures['logged_errors']}")
    return ", ".join(parts) or "0"


def load_table(columns):
    """columns: [(title, figures)]"""
    rows = [
        ("participants", lambda f: f"{f['participants']}"),
        ("rooms", lambda f: f"{f['rooms']}"),
        ("server processes", lambda f: f"{f['processes']}"),
        ("ops/s offered", lambda f: f"{f['offered']:.1f}"),
        ("ops/s achieved (acked)", lambda f: f"{f['achieved']:.1f}"),
        ("ack ms p50", lambda f: ms(percentile(f["ack"], 50))),
        ("ack ms p95", lambda f: ms(percentile(f["ack"], 95))),
        ("ack ms p99", lambda f: ms(percentile(f["ack"], 99))),
        ("ack ms max", lambda f: ms(max(f["ack"], default=None))),
        ("delivery ms p50", lambda f: ms(percentile(f["delivery"], 50))),
        ("delivery ms p95", lambda f: ms(percentile(f["delivery"], 95))),
        ("delivery ms p99", lambda f: ms(percentile(f["delivery"], 99))),
        ("delivery ms max", lambda f: ms(max(f["delivery"], default=None))),
        ("quiet seconds (others < 25%)",
         lambda f: f"{f['quiet_seconds']} of {f['watched_seconds']}"),
        ("quiet s: ack ms p99", lambda f: ms(percentile(f["quiet"][0], 99))),
        ("quiet s: delivery ms p50", lambda f: ms(percentile(f["quiet"][1], 50))),
        ("quiet s: delivery ms p99", lambda f: ms(percentile(f["quiet"][1], 99))),
        ("quiet s: delivery ms max", lambda f: ms(max(f["quiet"][1], default=None))),
        ("deliveries seen / owed", lambda f: f"{len(f['delivery'])} / {f['owed']}"),
        ("errors", errors_text),
        ("server CPU % of a core", lambda f: f"{f['server_cpu']:.0f}"),  # + Redis if any
        ("server CPU ms per op", lambda f: f"{f['cpu_ms_per_op']:.2f}"),
        ("server peak memory MB", lambda f: f"{f['memory']:.0f}"),
        ("client CPU % of a core", lambda f: f"{f['client_cpu']:.0f}"),
        ("client GC pause max ms", lambda f: ms(f["client_gc_ms"])),
        ("other processes CPU %", lambda f: f"{f['other_cpu']:.0f}"),
        ("database MB (db + wal)", lambda f: "-" if f["db"] is None else f"{f['db']:.1f}"),
        ("saturation: acked ops/s", lambda f: sat(f, lambda s: f"{s.throughput:.0f}")),
        ("saturation: deliveries/s", lambda f: sat(f, lambda s: f"{s.deliveries_per_s:.0f}")),
        ("saturation: ack ms p50", lambda f: sat(f, lambda s: ms(percentile(s.ack_ms, 50)))),
        ("saturation: ack ms p99", lambda f: sat(f, lambda s: ms(percentile(s.ack_ms, 99)))),
        ("saturation: errors", lambda f: sat(f, lambda s: ", ".join(
            f"{c} {n}" for c, n in sorted(s.errors.items())) or "0")),
        ("saturation: server CPU %", lambda f: sat(f, lambda s: f"{s.cpu['server_cpu']:.0f}")),
        ("saturation: server CPU ms/op", lambda f: sat(f, lambda s: f"{s.cpu_ms_per_op:.2f}")),
        ("saturation: client CPU %", lambda f: sat(f, lambda s: f"{s.cpu['client_cpu']:.0f}")),
        ("saturation: other CPU %", lambda f: sat(f, lambda s: f"{s.cpu['other_cpu']:.0f}")),
    ]
    cells = [[label] + [render(f) for _, f in columns] for label, render in rows]
    header = ["metric"] + [title for title, _ in columns]
    return text_table(header, cells)


def sat(figures, render):
    return render(figures["sat"]) if figures.get("sat") else "-"


def text_table(header, cells, left=1):
    widths = [max(len(str(row[i])) for row in [header] + cells) for i in range(len(header))]
    line = lambda row: "| " + " | ".join(  # noqa: E731
        str(c).ljust(w) if i < left else str(c).rjust(w)
        for i, (c, w) in enumerate(zip(row, widths))) + " |"
    rule = "|" + "|".join("-" * (w + 2) if i < left else "-" * (w + 1) + ":"
                          for i, w in enumerate(widths)) + "|"
    return "\n".join([line(header), rule] + [line(row) for row in cells])


def verdicts(name, ours, relay):
    p99 = percentile(ours["delivery"], 99)
    relay_p99 = percentile(relay["delivery"], 99) if relay else None
    passed = (p99 is not None and p99 < TARGETS["delivery_p99_ms"]
              and errors_text(ours) == "0")
    lines = [f"{name}: delivery p99 {ms(p99)} ms (target < {TARGETS['delivery_p99_ms']} ms, "
             f"no errors): {'PASS' if passed else 'FAIL'}"]
    if relay:
        if ours.get("sat") and relay.get("sat"):
            ratio = ours["sat"].throughput / relay["sat"].throughput
            lines.append(f"{name}: max ack throughput {ours['sat'].throughput:.0f} vs relay "
                         f"{relay['sat'].throughput:.0f} ops/s = {ratio:.2f} of the relay (target "
                         f">= {TARGETS['throughput_ratio']:.2f}): "
                         f"{'PASS' if ratio >= TARGETS['throughput_ratio'] else 'FAIL'}")
        if ours.get("sat") and relay.get("sat"):
            lines.append(f"{name}: server CPU per op at saturation {ours['sat'].cpu_ms_per_op:.2f} "
                         f"vs relay {relay['sat'].cpu_ms_per_op:.2f} ms = "
                         f"{ours['sat'].cpu_ms_per_op / relay['sat'].cpu_ms_per_op:.1f}x")
        paced_ratio = ours["achieved"] / relay["achieved"] if relay["achieved"] else 0
        lines.append(f"{name}: paced ack throughput {ours['achieved']:.1f} vs relay "
                     f"{relay['achieved']:.1f} ops/s = {paced_ratio:.2f} of the relay")
        if relay_p99:
            lines.append(f"{name}: delivery p99 {ms(p99)} vs relay {ms(relay_p99)} ms = "
                         f"{p99 / relay_p99:.1f}x the relay; ack p99 "
                         f"{ms(percentile(ours['ack'], 99))} vs "
                         f"{ms(percentile(relay['ack'], 99))} ms = "
                         f"{percentile(ours['ack'], 99) / percentile(relay['ack'], 99):.1f}x")
    busy = max(ours["other_cpu"], (relay or ours)["other_cpu"])
    if busy > QUIET_CPU:
        quiet_p99 = percentile(ours["quiet"][1], 99)
        lines.append(f"{name}: WARNING other processes used {busy:.0f}% of a core during the "
                     "paced phase: latencies are skewed by a busy machine; over the quiet "
                     f"seconds only ({ours['quiet_seconds']} of {ours['watched_seconds']}), "
                     f"our delivery p99 is {ms(quiet_p99)} ms")
    if ours.get("note"):
        lines.append(f"{name}: NOTE {ours['note']}")
    return lines


def join_table(result):
    header = ["metric", "c: join of a full board"]
    cells = [
        ["notes on the board", f"{result['notes']}"],
        ["seeded through ops in", f"{result['seed_s']:.1f} s ({result['seed_rate']:.0f} ops/s)"],
        ["seed errors", ", ".join(f"{c} {n}" for c, n in result["seed_errors"].items()) or "0"],
        ["join ack size KB", f"{result['bytes'] / 1024:.0f}"],
        ["fresh joins, one at a time", f"{result['joins']}"],
        ["join ms p50", ms(result["p50"])],
        ["join ms p99", ms(result["p99"])],
        ["join ms max", ms(result["max"])],
        ["server peak memory MB", f"{result['memory']:.0f}"],
    ]
    verdict = (f"c: join p99 {ms(result['p99'])} ms (target < {TARGETS['join_ms']} ms): "
               f"{'PASS' if result['p99'] < TARGETS['join_ms'] else 'FAIL'}")
    return text_table(header, cells) + "\n" + verdict


def export_table(result):
    header = ["d: export", "route", "status", "KB", "first s", "median s", "max s",
              "others' op ack max ms"]
    cells = []
    worst = 0.0
    for row in result["rows"]:
        route = row["path"].split("/export")[0][:3] + "…/export" + row["path"].split("/export")[1]
        if row.get("missing"):
            cells.append([row["name"], route, "n/a (route missing)", "", "", "", "", ""])
            continue
        worst = max(worst, row["max"]) if row["status"] == 200 else worst
        cells.append([row["name"], route, str(row["status"]), f"{row['bytes'] / 1024:.0f}",
                      f"{row['first']:.2f}", f"{row['median']:.2f}", f"{row['max']:.2f}",
                      ms(row["probe_max"])])
    timed = [r for r in result["rows"] if not r.get("missing")]
    head = (f"{result['notes']} notes in {result['rooms']} rooms, seeded through ops in "
            f"{result['seed_s']:.1f} s; database {result['db']:.1f} MB; server peak memory "
            f"{result['memory']:.0f} MB")
    if not timed:
        verdict = "d: n/a (no export route exists yet)"
    else:
        ok = all(r["status"] == 200 for r in timed) and worst < TARGETS["export_s"]
        verdict = (f"d: slowest export {worst:.2f} s (target < {TARGETS['export_s']:.0f} s "
                   f"each): {'PASS' if ok else 'FAIL'}")
    return head + "\n" + text_table(header, cells, left=3) + "\n" + verdict


# -- main ------------------------------------------------------------------------------------------

SCENARIOS = {"a": (500, 25), "b": (200, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--scenario", default="all",
                        help="all, or some of a, a-alternating, b, c, d, e, f, g, fanout (comma-separated)")
    parser.add_argument("--storm", type=int, default=500, help="clients in e, f and g")
    parser.add_argument("--rounds", type=int, default=4, help="a-alternating: rounds")
    parser.add_argument("--round-seconds", type=float, default=4,
                        help="a-alternating: seconds of each server's saturation per round")
    parser.add_argument("--fanout-sizes", default="50,200,500",
                        help="clients on one board for the fan-out table")
    parser.add_argument("--processes", type=int, default=1,
                        help="server processes for a and the fan-out (2: behind a Redis queue; "
                             "the fan-out's clients alternate between them)")
    parser.add_argument("--seconds", type=float, default=30, help="paced phase of a and b")
    parser.add_argument("--saturate", type=float, default=8,
                        help="saturation phase of a and b, seconds (0: none)")
    parser.add_argument("--period", type=float, default=10,
                        help="seconds between two ops of one participant")
    parser.add_argument("--participants", type=int, help="override a/b's participant count")
    parser.add_argument("--rooms", type=int, help="override a/b's room count")
    parser.add_argument("--client", default="lean", choices=["lean", "sio"],
                        help="lean: minimal Socket.IO client on aiohttp (default); "
                             "sio: python-socketio AsyncClient")
    parser.add_argument("--no-relay", action="store_true", help="skip the bare relay runs")
    parser.add_argument("--relay-unmask", action="store_true",
                        help="the relay unmasks incoming frames the way our server does "
                             "(facilitation/wsmask.py instead of eventlet's per-byte loop)")
    parser.add_argument("--relay-direct", action="store_true",
                        help="the relay writes to websockets the way our server does "
                             "(facilitation/wssend.py instead of a writer green thread per "
                             "message)")
    parser.add_argument("--relay-nodelay", action="store_true",
                        help="serve the relay with TCP_NODELAY (Nagle off)")
    parser.add_argument("--only-relay", action="store_true", help="skip our server (a, b)")
    parser.add_argument("--join-notes", type=int, default=2000)
    parser.add_argument("--joins", type=int, default=20)
    parser.add_argument("--export-notes", type=int, default=10000)
    parser.add_argument("--export-repeats", type=int, default=3)
    parser.add_argument("--profile", metavar="DIR", help="py-spy the server during a and b")
    parser.add_argument("--quiet-wait", type=float, default=60,
                        help="before a and b, wait up to this many seconds for other processes "
                             "on the machine to calm down (0: do not wait)")
    args = parser.parse_args()
    global RELAY_UNMASK, RELAY_DIRECT
    RELAY_UNMASK, RELAY_DIRECT = args.relay_unmask, args.relay_direct

    if args.profile and not os.path.exists(Profiler.binary_path()):
        raise SystemExit("--profile needs py-spy: .venv/bin/pip install py-spy")
    everything = ["a", "a-alternating", "b", "c", "d", "e", "f", "g", "fanout"]
    chosen = everything if args.scenario == "all" else args.scenario.split(",")
    unknown = set(chosen) - set(everything)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    args.fanout_sizes = [int(size) for size in args.fanout_sizes.split(",")]
    if args.processes > 1 and set(chosen) - {"a", "fanout"}:
        print("--processes applies to scenarios a and fanout only; the others run on one "
              "process.")
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"Breakout Boards load benchmark, {stamp}, {summary.machine()}, client={args.client}, "
          f"paced {args.seconds:.0f} s + saturation {args.saturate:.0f} s", flush=True)

    columns, lines, results = [], [], {"chosen": chosen}
    for name in chosen:
        args.current = name
        if name in SCENARIOS:
            participants, rooms = SCENARIOS[name]
            participants = args.participants or participants
            rooms = args.rooms or rooms
            processes = args.processes if name == "a" else 1
            print(f"… {name}: {participants} participants in {rooms} rooms, "
                  f"{processes} process(es)", flush=True)
            ours = None if args.only_relay else run_load_scenario(
                "ours", participants, rooms, args, processes)
            relay = None if args.no_relay else run_load_scenario(
                "relay", participants, rooms, args, processes)
            if ours:
                columns.append((f"{name}: ours", ours))
                lines += verdicts(name, ours, relay)
                results[name] = ours
            if relay:
                columns.append((f"{name}: relay", relay))
                results[f"{name}_relay"] = relay
        elif name == "a-alternating":
            print(f"… a, alternating: {args.rounds} rounds of {args.round_seconds:.0f} s each",
                  flush=True)
            results["alternating"] = run_alternating_scenario(args)
        elif name == "c":
            print(f"… c: join of a board of {args.join_notes} notes", flush=True)
            results["c"] = run_join_scenario(args)
        elif name == "d":
            print(f"… d: exports of {args.export_notes} notes", flush=True)
            results["d"] = run_export_scenario(args)
    storm_names = [name for name in chosen if name in ("e", "f", "g", "fanout")]
    if storm_names:
        results["storms"] = run_storm_scenarios(args, storm_names)

    print()
    if columns:
        print(load_table(columns))
        print()
        print("\n".join(lines))
    if "alternating" in results:
        print()
        print(alternating_text(results["alternating"]))
    if "c" in results:
        print()
        print(join_table(results["c"]))
    if "d" in results:
        print()
        print(export_table(results["d"]))
    if "storms" in results:
        print()
        print(storm_text(results["storms"], chosen, args.storm))
    rows = summary.readme_rows(results, args.storm, stamp)
    if rows:
        print()
        print(rows)
    for name in ("a", "b"):
        for path in results.get(name, {}).get("profiles", []):
            print(f"\nServer profile {os.path.basename(path)} (py-spy, {path}):")
            print(hot_spots(path))


if __name__ == "__main__":
    main()
