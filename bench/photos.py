"""Photo benchmark: 20 uploads of 4 MB at the same time while 100 clients write notes.

    .venv/bin/python bench/photos.py [--writers 100] [--rooms 10] [--uploads 20] [--mb 4]

Target (issue 11): the notes' delivery p99 stays under 150 ms while the photos are worked on,
because decoding and encoding run off the event loop (facilitation/offload.py).

It starts the real server (app.py under eventlet, a fresh database on 127.0.0.1, a free port),
joins `--writers` participants spread over `--rooms` rooms, each sending an op every
`--period` seconds (adds, edits and moves, as bench/load.py's participants), measures a quiet
baseline, then sends `--uploads` JPEG photos of about `--mb` MB (12 megapixels, made with
Pillow) at once, from as many other participants, each then putting its photo on a note. It
prints the delivery latency of the writers' notes before and during the uploads, and how long
the uploads took. Everything stops by itself.
"""

import argparse
import asyncio
import io
import json
import random
import sys
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.clients import Participant, Stats, new_session, now, percentile  # noqa: E402
from bench.load import BENCH_LIMITS, CITIES, CpuMeter, wait_for_quiet  # noqa: E402
from tests.live import LiveServer  # noqa: E402

TARGET_P99_MS = 150
LIMITS = json.dumps({**json.loads(BENCH_LIMITS), "uploads_burst": 1000,
                     "uploads_per_minute": 100000})


def photo(seed, megabytes):
    """A 4000×3000 photo-like JPEG of about `megabytes` MB (smooth noise, like foliage)."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    base = Image.frombytes("RGB", (1000, 750), rng.randbytes(1000 * 750 * 3))
    image = base.filter(ImageFilter.GaussianBlur(0.6)).resize((4000, 3000),
                                                              Image.Resampling.BICUBIC)
    quality, data = 80, b""
    while quality <= 98:
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality)
        data = out.getvalue()
        if len(data) >= megabytes * 1_000_000 * 0.95:
            break
        quality += 3
    return data


def ms(value):
    return "-" if value is None else f"{value:.1f}"


def summary(values):
    return " / ".join(ms(percentile(values, p)) for p in (50, 95, 99)) + \
        f" / {ms(max(values) if values else None)}"


def upload_worker():
    """In a process of its own (so the writers' event loop only measures): read the uploads' spec
    (JSON lines on stdin: url, token, path), say "ready", wait for "go", send them all at once in
    threads, print [status, body, ms] of each as JSON."""
    import threading
    import urllib.error
    import urllib.request

    spec = json.loads(sys.stdin.readline())
    files = [Path(item["path"]).read_bytes() for item in spec]
    results = [None] * len(spec)

    def send(index):
        boundary = f"bench{index}x{random.randrange(1 << 60)}"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; "
                f"filename=\"photo-{index}.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").encode() + \
            files[index] + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(spec[index]["url"], data=body, method="POST", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Participant-Token": spec[index]["token"]})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=300) as answer:
                status, text = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read()
        results[index] = [status, json.loads(text or b"{}"), (time.perf_counter() - started) * 1000]

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(spec))]
    print("ready", flush=True)
    sys.stdin.readline()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(results), flush=True)


async def uploads_from_another_process(spec):
    """Start the upload worker, wait until it is ready; returns (start, awaitable of results)."""
    worker = await asyncio.create_subprocess_exec(
        sys.executable, str(Path(__file__).resolve()), "--upload-worker",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    worker.stdin.write((json.dumps(spec) + "\n").encode())
    await worker.stdin.drain()
    assert (await worker.stdout.readline()).strip() == b"ready"

    async def results():
        worker.stdin.write(b"go\n")
        await worker.stdin.drain()
        line = await worker.stdout.readline()
        await worker.wait()
        return [tuple(item) for item in json.loads(line)]
    return results


async def run(args):
    print(f"Making {args.uploads} photos of about {args.mb} MB...", flush=True)
    photos = [photo(index, args.mb) for index in range(args.uploads)]
    sizes = [len(p) / 1_000_000 for p in photos]
    if args.quiet_wait:
        other = wait_for_quiet(args.quiet_wait)
        print(f"other processes before the run: {other:.0f}% of a core", flush=True)
    server = LiveServer(Path(args.tmp) / "photos.sqlite", env={"FACILITATION_LIMITS": LIMITS})
    server.start()
    try:
        workshop = server.create_workshop({
            "title": "Photo load", "cities": CITIES,
            "rooms": [{"name": f"Room {i + 1}", "theme": "Photos", "template": "photo-wall"}
                      for i in range(args.rooms)]})
        codes = [room["code"] for room in workshop["rooms"]]
        async with new_session() as session:
            writers = [Participant(i, server.url, codes[i % args.rooms], session)
                       for i in range(args.writers)]
            uploaders = [Participant(args.writers + i, server.url, codes[i % args.rooms], session)
                         for i in range(args.uploads)]
            tokens = []
            for person in writers + uploaders:
                await person.connect()
                joined = await person.join(CITIES[person.index % len(CITIES)])
                tokens.append(joined["participant"]["token"])
            tokens = tokens[args.writers:]
            stats = Stats()
            for person in writers + uploaders:
                person.stats = stats
            stats.recording = True
            end = now() + args.baseline + args.window
            marks = {}

            async def write(person):
                due = now() + person.rng.uniform(0, args.period)
                while due < end:
                    await asyncio.sleep(max(0.0, due - now()))
                    asyncio.ensure_future(person.send())
                    due += args.period

            folder = Path(args.tmp)
            spec = []
            for index, (person, token, data) in enumerate(zip(uploaders, tokens, photos)):
                path = folder / f"photo-{index}.jpg"
                path.write_bytes(data)
                spec.append({"url": f"{server.url}/r/{person.room}/images", "token": token,
                             "path": str(path)})

            async def photos_at_once():
                go = await uploads_from_another_process(spec)
                await asyncio.sleep(args.baseline)
                marks["start"] = now()
                results = await go()
                marks["uploaded"] = now()
                notes = await asyncio.gather(*(
                    person.send({"type": "note.add", "op_id": f"photo-{index}",
                                 "text": f"My city, photo {index}", "image_id": body["image_id"],
                                 "alt": "A street in the city"})
                    for index, (person, (status, body, _)) in enumerate(zip(uploaders, results))
                    if status == 201))
                marks["end"] = now()
                return results, notes

            meter = CpuMeter([server.process.pid]).start()
            uploads_task = asyncio.create_task(photos_at_once())
            await asyncio.gather(*(write(p) for p in writers))
            results, notes = await uploads_task
            cpu = meter.stop()
            await asyncio.sleep(1.0)
            stats.recording = False
            await asyncio.gather(*(p.close() for p in writers + uploaders),
                                 return_exceptions=True)
    finally:
        server.stop()

    start, stop = marks["start"], marks["end"]
    before = [d for d, sent in zip(stats.delivery_ms, stats.delivery_sent) if sent < start]
    during = [d for d, sent in zip(stats.delivery_ms, stats.delivery_sent)
              if start <= sent <= stop]
    acks_during = [a for a, sent in zip(stats.ack_ms, stats.ack_sent) if start <= sent <= stop]
    statuses = [status for status, _, _ in results]
    upload_ms = [took for _, _, took in results]
    photo_notes = sum(1 for answer in notes if answer and answer.get("ok"))
    p99 = percentile(during, 99)
    print()
    print(f"server: app.py (eventlet), {args.writers} writers in {args.rooms} rooms, an op every "
          f"{args.period:g} s each ({args.writers / args.period:.0f} ops/s)")
    print(f"photos: {args.uploads} JPEGs of 4000x3000, {min(sizes):.1f} to {max(sizes):.1f} MB "
          f"({sum(sizes):.0f} MB), sent at once")
    print(f"uploads answered {dict((s, statuses.count(s)) for s in set(statuses))}, "
          f"each in ms p50 / max: {ms(percentile(upload_ms, 50))} / {ms(max(upload_ms))}; "
          f"all done in {(marks['uploaded'] - start):.2f} s; {photo_notes} photo notes acked")
    print(f"server CPU during the run: {cpu['server_cpu']:.0f}% of a core; "
          f"other processes: {cpu['other_cpu']:.0f}%")
    print()
    print("| notes' delivery, ms | p50 / p95 / p99 / max | deliveries |")
    print("| --- | --- | ---: |")
    print(f"| before the uploads ({args.baseline:g} s) | {summary(before)} | {len(before):,} |")
    print(f"| during the uploads ({stop - start:.1f} s) | {summary(during)} | {len(during):,} |")
    print(f"| acks during the uploads | {summary(acks_during)} | {len(acks_during):,} |")
    print()
    errors = dict(stats.errors)
    verdict = "PASS" if p99 is not None and p99 < TARGET_P99_MS and not errors else "FAIL"
    print(f"target: delivery p99 during the uploads < {TARGET_P99_MS} ms: {ms(p99)} ms, "
          f"errors {errors or 0}: {verdict}")
    return 0 if verdict == "PASS" else 1


def main():
    if sys.argv[1:] == ["--upload-worker"]:
        return upload_worker()
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=100)
    parser.add_argument("--rooms", type=int, default=10)
    parser.add_argument("--period", type=float, default=2.0, help="seconds between a writer's ops")
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--mb", type=float, default=4.0)
    parser.add_argument("--baseline", type=float, default=5.0, help="seconds before the uploads")
    parser.add_argument("--window", type=float, default=25.0,
                        help="seconds the writers keep writing after the uploads start")
    parser.add_argument("--quiet-wait", type=float, default=60.0,
                        help="wait up to this many seconds for a quiet machine first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-photos-") as tmp:
        args.tmp = tmp
        started = time.monotonic()
        code = asyncio.run(run(args))
        print(f"({time.monotonic() - started:.0f} s in all)")
    return code


if __name__ == "__main__":
    sys.exit(main())
