"""Maps across meetings: how long the next meeting, a city's register and a compare take.

A network of cities with big stakeholder maps (in-process Flask test client, a fresh database):
plan the next meeting, change a tenth of the notes, then time each city's register and compare
(HTML and JSON, from=previous).

    python bench/maps.py --cities 10 --notes 1500 --rooms 2
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from facilitation import create_app  # noqa: E402
from facilitation.boards import snapshot  # noqa: E402
from facilitation.db import get_store  # noqa: E402
from facilitation.facilitator import facilitator_actor  # noqa: E402
from facilitation.ops import run_op  # noqa: E402
from facilitation.participants import join  # noqa: E402
from facilitation.workshops import create_workshop, find_room  # noqa: E402


def op(store, actor, type_, **fields):
    ack = run_op(store, actor, {"type": type_, "op_id": str(uuid.uuid4()), **fields}).ack
    assert ack["ok"], ack
    return ack


def timed(call, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        answer = call()
        times.append(time.perf_counter() - start)
        assert answer.status_code in (200, 201), answer.status_code
    return statistics.median(times) * 1000, answer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=10)
    parser.add_argument("--notes", type=int, default=1500, help="notes per map room")
    parser.add_argument("--rooms", type=int, default=2, help="map rooms (alternating templates)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    random.seed(1)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "FACILITATION_DB": f"{tmp}/bench.sqlite",
                          "SOCKETIO_ASYNC_MODE": "threading"})
        store, client = get_store(app), app.test_client()
        cities = [f"City {n}" for n in range(args.cities)]
        templates = ["stakeholder-map", "ecosystem-map"]
        workshop = create_workshop(store, {"title": "#3 Meeting", "cities": cities, "rooms": [
            {"name": f"Map {n}", "theme": "Stakeholders", "template": templates[n % 2]}
            for n in range(args.rooms)]})
        for room in workshop["rooms"]:
            people = [join(store, {"room": room["code"], "name": f"P{c}", "city": city})
                      for c, city in enumerate(cities)]
            for n in range(args.notes):
                actor, _, answer = people[n % len(people)]
                board = answer["board"]
                op(store, actor, "note.add", text=f"Stakeholder {n}",
                   group_id=board["groups"][n % 4]["id"])
        total = args.rooms * args.notes
        start, cpu = time.perf_counter(), time.process_time()
        answer = client.post(f"/f/{workshop['facilitator_key']}/next", json={"title": "#4"})
        plan_ms = (time.perf_counter() - start) * 1000
        plan_cpu_ms = (time.process_time() - cpu) * 1000
        new = answer.json
        facilitator = facilitator_actor(new["id"])
        changed = 0
        for room in new["rooms"]:
            with store.read() as db:
                board = snapshot(db, find_room(db, room["code"]))
            groups = [g["id"] for g in board["groups"]]
            for note in random.sample(board["notes"], len(board["notes"]) // 10):
                kind = random.choice(["rename", "move", "delete"])
                if kind == "rename":
                    op(store, facilitator, "note.update", room=room["code"],
                       note_id=note["id"], text=note["text"] + " (renamed)")
                elif kind == "move":
                    op(store, facilitator, "note.move", room=room["code"], note_id=note["id"],
                       group_id=random.choice(groups))
                else:
                    op(store, facilitator, "note.delete", room=room["code"], note_id=note["id"])
                changed += 1
        key = new["facilitator_key"]
        city = cities[0]
        base = f"/f/{key}/cities/{city}/stakeholders"
        reg_ms, _ = timed(lambda: client.get(base + ".json"), args.repeat)
        reg_html_ms, _ = timed(lambda: client.get(base), args.repeat)
        json_ms, answer = timed(lambda: client.get(base + "/compare.json?from=previous"),
                                args.repeat)
        html_ms, page = timed(lambda: client.get(base + "/compare?from=previous"), args.repeat)
        counts = {k: len(answer.json[k]) for k in ("added", "removed", "moved", "unchanged")}
        print(f"{total} notes on {args.rooms} map rooms, {args.cities} cities; "
              f"{changed} changed in the next meeting")
        print(f"plan the next meeting (snapshot + copy):  {plan_ms:8.1f} ms "
              f"(CPU {plan_cpu_ms:.1f} ms; the machine's load shows in the difference)")
        print(f"register .json, one city:                 {reg_ms:8.1f} ms")
        print(f"register page, one city:                  {reg_html_ms:8.1f} ms")
        print(f"compare .json from=previous, one city:    {json_ms:8.1f} ms  {counts}")
        print(f"compare page, one city:                   {html_ms:8.1f} ms  "
              f"({len(page.data) // 1024} KB)")
        store.close()


if __name__ == "__main__":
    main()
