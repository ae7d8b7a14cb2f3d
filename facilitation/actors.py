"""Who acts: a participant joined to a room (or the lobby), or a workshop's facilitator."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who sends an op: a participant joined to a room, or a workshop's facilitator."""

    kind: str  # "participant" or "facilitator"
    id: str
    name: str
    city: str | None
    workshop_id: str
    room_id: str | None = None

    @property
    def is_facilitator(self):
        return self.kind == "facilitator"

    def public(self):
        return {"id": self.id, "name": self.name, "city": self.city}
