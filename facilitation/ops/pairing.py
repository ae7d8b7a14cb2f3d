"""pairing.apply: the facilitator opens one "Peer exchange" room per pair (or cluster) of cities
and moves the connected participants of those cities there, as "by city" assignment does."""

from ..db import rows
from ..errors import invalid
from ..i18n import N_
from ..tags import workshop_cities
from ..workshops import TEMPLATE
from .lobby import move_person
from .registry import operation
from .rooms import open_room

THEME = N_("Peer exchange")  # in the workshop's language when the room is made
MAX_NAME = 80


class Pairs:
    """A list of groups of city names: each 2 or more cities, no city twice."""

    label = "pairs"

    def __call__(self, value):
        if not isinstance(value, list) or not 1 <= len(value) <= 25:
            raise invalid("pairs must be a list of 1 to 25 groups of cities, "
                          "such as [[\"Milan\", \"Nantes\"]].")
        seen = set()
        for group in value:
            if not isinstance(group, list) or not all(isinstance(c, str) for c in group):
                raise invalid("Each pair must be a list of city names.")
            if len(group) < 2:
                shown = group[0][:60] if group else N_("an empty pair")
                raise invalid("A pair needs at least 2 cities: %(city)s has no partner.", city=shown)
            for city in group:
                if city in seen:
                    raise invalid("%(city)s is in two pairs: each city can be in one only.",
                                  city=city[:60])
                seen.add(city)
        return [list(group) for group in value]


def room_name(cities):
    """"Milan + Nantes", shortened to the longest room name allowed."""
    name = " + ".join(cities)
    return name if len(name) <= MAX_NAME else name[:MAX_NAME - 1].rstrip() + "…"


@operation("pairing.apply", required={"pairs": Pairs()}, optional={"template": TEMPLATE},
           who="facilitator", scope="workshop")
def apply_pairing(change, fields):
    """One room per pair, named after its cities, with the theme "Peer exchange"; the connected
    participants of those cities move there (from the lobby or another room)."""
    cities = workshop_cities(change.db, change.actor.workshop_id)
    for group in fields["pairs"]:
        for city in group:
            if city not in cities:
                raise invalid("City %(city)s is not one of the workshop's cities.", city=city[:60])
    connected = {pid for (pid,) in change.db.execute(
        "SELECT participant_id FROM connections WHERE workshop_id = ? AND facilitator = 0",
        [change.actor.workshop_id]).fetchall()}
    people = [p for p in rows(change.db, "SELECT * FROM participants WHERE workshop_id = ? "
                              "ORDER BY created_at", [change.actor.workshop_id])
              if p["id"] in connected]
    made = []
    for group in fields["pairs"]:
        room = {"name": room_name(group), "theme": THEME,
                "template": fields.get("template", "blank")}
        row, _ = open_room(change, room)
        for person in people:
            if person["city"] in group:
                move_person(change, person, row)
        made.append({"code": row["code"], "name": row["name"], "cities": group})
    return {"rooms": made}
