"""Breakout assignment: the facilitator puts participants in rooms, or calls them back."""

import random
import time
from collections import defaultdict

from .. import rules
from ..db import get, rows
from ..errors import not_found
from ..i18n import N_
from ..placement import BY_FACILITATOR, place
from ..presence import LIVE
from .registry import operation

DISTRIBUTE_MODES = ("random", "city-together", "city-spread")
_shuffle = random.SystemRandom().shuffle


def move_person(change, person, target):
    """Assign a participant to a room (None: the lobby); log it where they leave and arrive."""
    previous = None
    if person["room_id"]:
        previous = get(change.db, "rooms", person["room_id"])
    if (previous and previous["id"]) == (target and target["id"]):
        return
    place(change.db, person, target, BY_FACILITATOR)
    change.placed.append(person["id"])
    fields = {
        "participant": {key: person[key] for key in ("id", "name", "city")},
        "from_room": previous["code"] if previous else None,
        "to_room": target["code"] if target else None,
    }
    for room in (previous, target):
        if room and not room["closed"]:
            change.log(room, fields)
    change.notify(person["id"], "assigned", {"room": fields["to_room"]})


def workshop_people(change, ids=None):
    people = rows(change.db, "SELECT * FROM participants WHERE workshop_id = ? "
                  "ORDER BY created_at", [change.actor.workshop_id])
    if ids is None:
        return people
    by_id = {row["id"]: row for row in people}
    missing = [pid for pid in ids if pid not in by_id]
    if missing:
        raise not_found("Some of these participants are not in this workshop.")
    return [by_id[pid] for pid in ids]


@operation("participant.assign", required={"participant_id": rules.Id("participant_id")},
           optional={"room": rules.Id("room")}, who="facilitator", scope="workshop")
def assign(change, fields):
    """Put one participant in a room, or back in the lobby when no room is named."""
    [person] = workshop_people(change, [fields["participant_id"]])
    target = change.workshop_room(fields["room"]) if "room" in fields else None
    move_person(change, person, target)
    return {"assignments": {person["id"]: target["code"] if target else None}}


@operation(
    "participants.distribute",
    required={"mode": rules.Choice(N_("Mode"), DISTRIBUTE_MODES)},
    optional={"participant_ids": rules.IdList("participant_ids"),
              "rooms": rules.IdList("rooms", most=100)},
    who="facilitator",
    scope="workshop",
)
def distribute(change, fields):
    """Share participants over rooms: at random in even numbers, or by city.

    Without participant_ids it takes everyone waiting in the lobby now (connected to it, on any
    server process); without rooms, every open room. `city-together` keeps each city in one room (balancing sizes), `city-spread` deals
    each city's people across the rooms.
    """
    if "rooms" in fields:
        rooms = [change.workshop_room(code) for code in fields["rooms"]]
    else:
        rooms = change.open_rooms()
    if "participant_ids" in fields:
        people = workshop_people(change, fields["participant_ids"])
    else:
        waiting = {pid for (pid,) in change.db.execute(
            "SELECT participant_id FROM connections WHERE workshop_id = ? AND room_code IS NULL "
            f"AND facilitator = 0 AND {LIVE}", [change.actor.workshop_id, time.time()]).fetchall()}
        people = [p for p in workshop_people(change)
                  if p["room_id"] is None and p["id"] in waiting]
    plan = plan_rooms(fields["mode"], people, len(rooms), room_sizes(change, rooms, people))
    for person, index in plan:
        move_person(change, person, rooms[index])
    return {"assignments": {person["id"]: rooms[index]["code"] for person, index in plan}}


def room_sizes(change, rooms, moving):
    """How many people are in each room already (placed there, with a page open), not counting
    those about to be moved."""
    moving = {person["id"] for person in moving}
    sizes = []
    for room in rooms:
        rows = change.db.execute(
            "SELECT p.id FROM participants p WHERE p.room_id = ? AND EXISTS "
            "(SELECT 1 FROM connections c WHERE c.participant_id = p.id)", [room["id"]]).fetchall()
        sizes.append(sum(1 for (pid,) in rows if pid not in moving))
    return sizes


def _smallest(sizes):
    return sizes.index(min(sizes))


def plan_rooms(mode, people, room_count, sizes=None):
    """Return (person, room index) pairs for a distribution mode.

    `sizes`: how many people each room has already; "random" and "city-together" fill the
    smallest rooms first, so rooms end up even with the people already in them.
    """
    people = list(people)
    sizes = list(sizes) if sizes else [0] * room_count
    if mode == "random":
        _shuffle(people)
        plan = []
        for person in people:
            index = _smallest(sizes)
            sizes[index] += 1
            plan.append((person, index))
        return plan
    by_city = defaultdict(list)
    for person in people:
        by_city[person["city"]].append(person)
    if mode == "city-spread":
        dealt = [p for city in sorted(by_city) for p in by_city[city]]
        return [(person, i % room_count) for i, person in enumerate(dealt)]
    plan = []
    for city in sorted(by_city, key=lambda c: (-len(by_city[c]), c)):
        index = _smallest(sizes)
        sizes[index] += len(by_city[city])
        plan.extend((person, index) for person in by_city[city])
    return plan


@operation("participants.recall", who="facilitator", scope="workshop")
def recall(change, fields):
    """Call everyone back to the lobby."""
    people = [p for p in workshop_people(change) if p["room_id"] is not None]
    for person in people:
        move_person(change, person, None)
    return {"assignments": {person["id"]: None for person in people}}
