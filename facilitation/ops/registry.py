"""The op registry: each op type's payload rules, who may send it, and the function applying it.

Op modules import `operation` from here (never from the package), so registering needs no import
cycle: the package imports the pipeline, then every op family.
"""

from dataclasses import dataclass

REGISTRY = {}


@dataclass(frozen=True)
class OpType:
    name: str
    apply: object
    required: dict
    optional: dict
    who: str  # "room": anyone in the room; "facilitator": the workshop's facilitator only
    scope: str  # "room": acts in one room and is logged there; "workshop": logs where it acts
    every_room: bool = False  # a facilitator who names no room applies it to every open room


def operation(name, required=None, optional=None, who="room", scope="room", every_room=False):
    """Register an op type: its payload rules, who may send it, and the function applying it.

    A room-scoped op returns the fields of its event, logged in its room. A workshop-scoped op
    logs its own events with `change.log(room, fields)` and returns the extra fields of its ack.
    `who` is "room" (anyone in the room), "participant" or "facilitator".
    """

    def register(apply):
        REGISTRY[name] = OpType(
            name, apply, required or {}, optional or {}, who, scope, every_room)
        return apply

    return register
