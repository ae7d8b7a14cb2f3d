"""Where people are: the one code path for every change of a participant's place.

A participant's place is the room they are in (`participants.room_id`; None: the lobby) and
whether any of their pages is connected. Every change goes through `place()`: a join by room link
or by the lobby, the facilitator's assign / shuffle / by city / call back, a room closing; a
disconnect changes only the connection. After each change the caller gives the touched ids to
the Socket.IO edge, which sends every facilitator of the workshop their new placements (`placed`).

A rule about who may go where belongs in `place()`, so that it holds for every way in. The one
rule so far: a room link does not override the facilitator's placement. Once the facilitator has
placed someone (in a room or in the lobby: assign, shuffle, by city, call back, pairing), opening
another room's link leaves them where they were placed (`place()` returns that place, and the join
answers `placed` with it, so the page goes there). A room link moves people freely until then;
`participants.placed_by` records who made the current placement.
"""

import time

from .db import get, update
from .presence import LIVE

# How a change of place happened (the `how` of place()).
BY_LINK = "link"          # a participant opened a room link and joined
BY_LOBBY = "lobby"        # a participant joined the workshop's lobby
BY_FACILITATOR = "facilitator"  # assign, shuffle, by city, call back
BY_CLOSING = "closing"    # the facilitator closed the room they were in


def place(db, participant, room, how):
    """Put a participant in `room` (None: the lobby), inside the caller's transaction.

    Returns the room the participant is in afterwards (a row, or None). A lobby join keeps the
    room the facilitator gave (the lobby page then follows it); so does a room link when the
    facilitator placed the participant (see the module's docstring): the caller compares the
    room returned with the one asked for.
    """
    current = participant.get("room_id")
    if how == BY_LOBBY or (how == BY_LINK and participant.get("placed_by") == BY_FACILITATOR):
        placed = get(db, "rooms", current) if current else None
        return placed if placed is None or not placed["closed"] else None
    target = room["id"] if room else None
    # Closing a room sends its people to the lobby and keeps who placed them: the facilitator's
    # placement now says the lobby, and a free person stays free.
    placed_by = participant.get("placed_by") if how == BY_CLOSING else how
    if current != target or placed_by != participant.get("placed_by"):
        update(db, "participants", participant["id"], {"room_id": target, "placed_by": placed_by})
        participant.update(room_id=target, placed_by=placed_by)
    return room


def placements(db, workshop_id, ids=None):
    """Each participant's placement as facilitators see it, oldest participant first.

    `{"id", "name", "city", "room": <code of an open room, or null: the lobby>, "online": bool}`;
    `ids` None: everyone in the workshop.
    """
    # Online: a socket on a server process whose presence lease still runs (presence.py).
    sql = ("SELECT p.id, p.name, p.city, r.code, r.closed, "
           f"EXISTS (SELECT 1 FROM connections c WHERE c.participant_id = p.id AND c.{LIVE}) "
           "FROM participants p LEFT JOIN rooms r ON r.id = p.room_id "
           "WHERE p.workshop_id = ?")
    params = [time.time(), workshop_id]
    if ids is not None:
        ids = list(dict.fromkeys(ids))
        if not ids:
            return []
        sql += f" AND p.id IN ({', '.join('?' for _ in ids)})"
        params += ids
    rows = db.execute(sql + " ORDER BY p.created_at, p.id", params).fetchall()
    return [{"id": pid, "name": name, "city": city,
             "room": code if code and not closed else None, "online": bool(online)}
            for pid, name, city, code, closed, online in rows]
