"""Socket.IO edge: thin handlers that call the domain, then acknowledge and deliver.

Every client event is answered through its acknowledgement with `{"ok": true, ...}` or
`{"ok": false, "error", "code"}`; a bad event never drops the connection. Channels:
`room:<code>` (participants in a room), `lobby:<workshop>` (participants waiting),
`facilitators:<workshop>` and `participant:<id>` (every socket of one person).

Refusals are answered in the socket's language: the `lang` its join named (the page's
`<html lang>`), else what the handshake's cookie or Accept-Language ask for, else the default
language of the workshop it joined, else English.
"""

import functools
import json
import logging

from flask import current_app, request
from flask_socketio import SocketIO, disconnect, join_room, leave_room

from . import participants
from .boards import for_participants, hidden_view
from .db import get_store
from .errors import Refused
from .facilitator import join_as_facilitator
from .i18n import COOKIE, DEFAULT, N_, accepted_language, supported, translate
from .limits import Limits
from .placement import placements
from .ops.group_commit import GroupCommit
from .packets import Packet, RawJSON
from .presence import Connection, Presence

log = logging.getLogger(__name__)

socketio = SocketIO()
SERVER_ERROR = N_("Something went wrong on the server; your change was not saved. "
                  "Please try again.")
# The language each socket of this process asked for at its join (sid -> code).
LANGUAGES = {}


def init_app(app):
    """Attach Socket.IO to the app; the async mode comes from config (app.py picks eventlet).

    With FACILITATION_MESSAGE_QUEUE (redis://...), several server processes sharing the
    database relay their broadcasts to each other's sockets through Redis.
    """
    app.extensions["facilitation.limits"] = Limits(app.config.get("FACILITATION_LIMITS"))
    # Ops that arrive together share one transaction; the pause is one turn of the event loop
    # (a thread yield in threading mode), so the others that arrived at that moment queue theirs.
    app.extensions["facilitation.group_commit"] = GroupCommit(
        get_store(app), pause=lambda: socketio.sleep(0))
    tracker = app.extensions["facilitation.presence"] = Presence(
        get_store(app), app.config.get("FACILITATION_INSTANCE"))
    tracker.notify = functools.partial(announce, app=app)  # a dead process's people left
    extra_origins = set(app.config.get("FACILITATION_ALLOWED_ORIGINS") or ())
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        # Transport cap: a larger message closes that socket before it is read whole or parsed.
        # Below it, client_event answers anything over MAX_EVENT_BYTES with a readable error.
        max_http_buffer_size=MAX_MESSAGE_BYTES,
        manage_session=False,
        cors_allowed_origins=functools.partial(origin_allowed, extra_origins),
        message_queue=app.config.get("FACILITATION_MESSAGE_QUEUE"),
        serializer=Packet,  # JSON-encodes each packet once, without a walk for bytes first
    )
    socketio.server.on("op", on_op)
    # Flask-SocketIO runs each event in a request context for /socket.io/; with no route there,
    # URL matching raises NotFound on every event and the exception keeps the context alive in a
    # reference cycle (about 50 objects of garbage per event). This rule is never served: the
    # Engine.IO middleware answers that path before Flask.
    app.add_url_rule("/socket.io/", endpoint="socketio_path", view_func=_never_served,
                     websocket=True)


def _never_served():
    return "", 404


def origin_allowed(extra_origins, origin, environ):
    """Accept sockets from the server's own pages (and configured origins) only.

    Browsers always send Origin on a websocket or cross-site request, so a foreign page cannot
    drive a participant's browser into this server (cross-site websocket hijacking).
    """
    if origin is None:
        return True  # not a browser: a script or a test client
    # Behind configured proxies (FACILITATION_PROXIES), ProxyFix has already set the host and
    # scheme from X-Forwarded-Host/-Proto; without one, those headers are anybody's and ignored.
    own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
    return origin == own or origin in extra_origins


def limits():
    return current_app.extensions["facilitation.limits"]


def presence():
    return current_app.extensions["facilitation.presence"]


def place_channel(workshop_id, room_code):
    return f"room:{room_code}" if room_code else f"lobby:{workshop_id}"


def facilitators(workshop_id):
    return f"facilitators:{workshop_id}"


def person(participant_id):
    return f"participant:{participant_id}"


MAX_EVENT_BYTES = 16 * 1024  # the largest real op (a 1000-character note) is under 5 KiB
# One Socket.IO message on the wire (UTF-8, or a polling batch): a few real events at most.
MAX_MESSAGE_BYTES = 48 * 1024
TOO_LARGE = Refused("too_large", N_("This change is too large to send. Shorten it and try "
                                    "again."))
CLOSED_FOR_ABUSE = Refused("rate_limited", N_("Too many refused messages from this connection: "
                                              "it is closed. Reload the page to continue."))


def client_event(name):
    """Register a handler that takes one payload; turn refusals and crashes into error acks.

    Every refusal counts against the connection and its address (limits.py, strikes): a socket
    that keeps sending refused events (too large, too fast, malformed) is closed.
    """

    def register(handler):
        @functools.wraps(handler)
        def wrapper(payload=None, *_ignored):
            try:
                check_size(payload)
                return handler(payload)
            except Exception as error:
                return refusal_ack(name, error, payload)

        return socketio.on(name)(wrapper)

    return register


def check_size(payload):
    if len(json.dumps(payload, ensure_ascii=False)) > MAX_EVENT_BYTES:
        raise TOO_LARGE


def refusal_ack(name, error, payload):
    """The ack for an event that failed (in its request context): a refusal in the socket's
    language, counted against it (a socket that keeps sending refused events is closed), or
    "server_error" for a crash."""
    if not isinstance(error, Refused):
        log.error("%s event failed", name, exc_info=error)
        return {"ok": False, "error": translate(SERVER_ERROR, socket_language(None)),
                "code": "server_error"}
    if not limits().strike(request.sid, request.remote_addr, error.code):
        log.warning("Closing a socket from %s: too many refused events", request.remote_addr)
        language = socket_language(payload)
        close_connection(request.sid)
        return CLOSED_FOR_ABUSE.as_ack(language)
    return error.as_ack(socket_language(payload))


def close_connection(sid):
    """Close a socket for good: its Socket.IO session and the Engine.IO connection under it
    (leaving the namespace alone would still let it send, and make us parse, more)."""
    eio_sid = socketio.server.manager.eio_sid_from_sid(sid, "/")
    disconnect()
    if eio_sid:
        try:
            socketio.server.eio.disconnect(eio_sid)
        except Exception:  # already gone, or a test client without a transport
            pass


@socketio.on("connect")
def on_connect(*_auth):
    """Refuse sockets from an address that is out of strikes (it kept sending refused events)."""
    return limits().address_ok(request.remote_addr)


def socket_language(payload):
    """The language to answer this socket in (see the module's docstring)."""
    asked = LANGUAGES.get(request.sid)
    if asked is None and isinstance(payload, dict):
        asked = supported(payload.get("lang"))
    asked = (asked or supported(request.cookies.get(COOKIE))
             or accepted_language(request.accept_languages))
    if asked:
        return asked
    connection = presence().get(request.sid)
    if connection is not None:
        with get_store().read() as db:
            row = db.execute("SELECT language FROM workshops WHERE id = ?",
                             [connection.actor.workshop_id]).fetchone()
        if row and supported(row[0]):
            return row[0]
    return DEFAULT


def remember_language(payload):
    """Keep the language a join names (the page's), for this socket's later answers."""
    asked = supported(payload.get("lang")) if isinstance(payload, dict) else None
    if asked:
        LANGUAGES[request.sid] = asked


def current_actor():
    connection = presence().get(request.sid)
    return connection.actor if connection else None


def announce(place, app=None):
    """Send a place's presence changes soon: at most one event per place every 250 ms.

    `place` is (workshop id, room code or None for the lobby). The event carries what changed,
    `{"room", "joined": [...], "left": [...]}`; the full list is only in join answers.
    """
    tracker = (app or current_app).extensions["facilitation.presence"]
    if not tracker.changed(place):
        return
    delay = tracker.schedule(place)
    if delay is not None:
        socketio.start_background_task(_announce_later, tracker, place, delay)


def _announce_later(tracker, place, delay):
    try:
        socketio.sleep(delay)
        joined, left = tracker.take(place)
        if joined or left:
            workshop_id, room_code = place
            socketio.emit("presence", {"room": room_code, "joined": joined, "left": left},
                          to=[place_channel(workshop_id, room_code), facilitators(workshop_id)])
    except Exception:  # the server may be stopping (database closed): nothing to announce to
        log.debug("presence announcement for %s skipped", place, exc_info=True)


def full_presence(workshop_id, room_code):
    """A place's whole presence list, as join answers carry it: already encoded (the packet
    puts the text in as is), so a join does not encode everyone there again."""
    return {"room": room_code,
            "participants": RawJSON(presence().participants_json(workshop_id, room_code))}


def emit_placements(workshop_id, participant_ids):
    """Tell every facilitator of the workshop where these people are now (`placed`).

    Called after every change of place has committed (joins, assignment ops, a room closing,
    a disconnect); it reads the placements afresh, so it always sends the latest truth.
    """
    if not participant_ids:
        return
    with get_store().read() as db:
        people = placements(db, workshop_id, participant_ids)
    if people:
        socketio.emit("placed", {"people": people}, to=facilitators(workshop_id))


def move_socket(actor, room_code):
    """Put this socket in a room (None: the lobby); both places announce the change."""
    previous = presence().set(request.sid, Connection(actor, room_code))
    if previous and not previous.actor.is_facilitator:
        leave_room(place_channel(previous.actor.workshop_id, previous.room_code))
        leave_room(person(previous.actor.id))
        announce((previous.actor.workshop_id, previous.room_code))
    elif previous:
        leave_room(facilitators(previous.actor.workshop_id))
    join_room(place_channel(actor.workshop_id, room_code))
    join_room(person(actor.id))
    announce((actor.workshop_id, room_code))


@client_event("join")
def on_join(payload):
    remember_language(payload)
    limits().check_join(request.remote_addr)
    if isinstance(payload, dict) and payload.get("facilitator_key") is not None:
        return join_facilitator(payload["facilitator_key"], payload.get("since"))
    if isinstance(payload, dict) and payload.get("lobby") is not None:
        actor, participant, workshop, assigned = participants.join_lobby(get_store(), payload)
        move_socket(actor, None)
        emit_placements(actor.workshop_id, [actor.id])
        return {"ok": True, "participant": participant, "workshop": workshop, "room": assigned,
                "presence": full_presence(actor.workshop_id, None)}
    actor, participant, caught_up = participants.join(get_store(), payload)
    code = caught_up.pop("room_code")
    move_socket(actor, code)
    emit_placements(actor.workshop_id, [actor.id])
    return {"ok": True, "participant": participant, **caught_up,
            "presence": full_presence(actor.workshop_id, code)}


def join_facilitator(key, since=None):
    actor, workshop, caught_up = join_as_facilitator(get_store(), key, since)
    previous = presence().set(request.sid, Connection(actor, None))
    if previous and not previous.actor.is_facilitator:
        leave_room(place_channel(previous.actor.workshop_id, previous.room_code))
        leave_room(person(previous.actor.id))
        announce((previous.actor.workshop_id, previous.room_code))
    join_room(facilitators(actor.workshop_id))
    places = {None} | {room["code"] for room in workshop["rooms"]}
    online = [full_presence(actor.workshop_id, code) for code in places]
    return {"ok": True, "workshop": workshop, **caught_up, "presence": online}


def on_op(sid, payload=None, *_ignored):
    """`op`, the busiest event, registered on the Socket.IO server itself (init_app): it runs in
    an app context only, without the Flask request context Flask-SocketIO builds around every
    other event (a Request, URL matching, the session: about 50 µs, as long as the rest of
    the op's own Python). A failed op is answered in a request context like every other event.
    """
    environ = socketio.server.get_environ(sid)
    if not environ:
        return None  # the socket is gone
    app = environ["flask.app"]
    with app.app_context():
        try:
            check_size(payload)
            app.extensions["facilitation.limits"].check_op(sid, environ.get("REMOTE_ADDR"))
            connection = app.extensions["facilitation.presence"].get(sid)
            outcome = app.extensions["facilitation.group_commit"].run(
                connection.actor if connection else None, payload)
        except Exception as error:
            with app.request_context(environ):
                request.sid, request.namespace = sid, "/"
                return refusal_ack("op", error, payload)
        deliver(outcome)
        return outcome.ack


def deliver(outcome):
    """Send a committed op's events: whole to the facilitator, as each may see them to others.

    In a room that hides notes, each participant of the room gets their own view on their
    personal channel (clients keep only events of the room they show).
    """
    for broadcast in outcome.broadcasts:
        event, workshop_id = broadcast.event, broadcast.workshop_id
        room = place_channel(workshop_id, broadcast.room_code)
        seen = for_participants(event)
        if broadcast.hidden and ("note" in event or "notes" in event):
            socketio.emit("op", event, to=facilitators(workshop_id))
            for participant_id in participants.in_room(get_store(), broadcast.room_code):
                socketio.emit("op", hidden_view(seen, participant_id),
                              to=person(participant_id))
        elif seen is event:
            socketio.emit("op", event, to=[room, facilitators(workshop_id)])
        else:
            socketio.emit("op", event, to=facilitators(workshop_id))
            socketio.emit("op", seen, to=room)
    for notice in outcome.notices:
        socketio.emit(notice.name, notice.payload, to=person(notice.participant_id))
    if outcome.placed:
        emit_placements(outcome.workshop_id, outcome.placed)


@client_event("sync")
def on_sync(payload):
    limits().check_sync(request.sid, request.remote_addr)
    answer = participants.sync(get_store(), current_actor(), payload)
    # Priced by what it returns (ops, or notes of a fresh board), against the address's sync
    # budget across all its connections and reconnects, and the op rate limits (limits.py).
    size = len(answer["ops"]) + len(answer["board"]["notes"]) if "board" in answer else len(
        answer["ops"])
    limits().spend_sync(request.sid, request.remote_addr, size)
    return {"ok": True, **answer}


@socketio.on("disconnect")
def on_disconnect(*_reason):
    limits().forget(request.sid)
    LANGUAGES.pop(request.sid, None)
    connection = presence().remove(request.sid)
    if connection and not connection.actor.is_facilitator:
        announce((connection.actor.workshop_id, connection.room_code))
        emit_placements(connection.actor.workshop_id, [connection.actor.id])
