"""HTTP edge for photos: uploads by participants and the facilitator, and the image URLs. Thin.

Uploads are judged by their content (`images.py`), worked on off the event loop (`offload`),
and only then stored. Every refusal is `{"error": "<readable>", "code"}` and stores nothing.
"""

import io
import threading
import time

from flask import Blueprint, Response, abort, current_app, jsonify, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import parse_form_data

from . import images
from .db import get_store
from .errors import Refused
from .exports import find_workshop
from .i18n import gettext
from .offload import offload
from .photos import readable_image, store_image
from .workshops import find_room

bp = Blueprint("photos", __name__)
# One photo at a time: on a 2-core machine two took both cores from the event loop (bench/photos.py:
# delivery p99 350 ms with two, 85 to 100 ms with one). Under eventlet this lock is green.
_working = threading.BoundedSemaphore(1)
STATUS = {"invalid": 400, "too_large": 413, "forbidden": 403, "not_found": 404,
          "rate_limited": 429, "locked": 403, "closed": 403}
# The multipart envelope around a photo of MAX_BYTES: a little over.
ENVELOPE = 64 * 1024
TOO_LARGE_MB = images.MAX_BYTES // (1024 * 1024)
CHUNK = 256 * 1024


def init_app(app):
    app.register_blueprint(bp)


def refusal(refused):
    return jsonify(error=refused.text(), code=refused.code), STATUS.get(refused.code, 400)


def participant_for_room(db, room, token):
    """The participant whose token this is, if they are in this room; else Refused."""
    if not isinstance(token, str) or not token:
        raise Refused("forbidden", "Join the room before adding a photo "
                                   "(X-Participant-Token is missing).")
    row = next(iter(db["participants"].rows_where(
        "token = ? AND workshop_id = ?", [token, room["workshop_id"]], limit=1)), None)
    if row is None or row["room_id"] != room["id"]:
        raise Refused("forbidden", "You can add photos only in the room you joined.")
    if room["closed"]:
        raise Refused("closed", "The facilitator has closed this room.")
    if room["locked"]:
        raise Refused("locked", "The facilitator has locked this board: it can be read, "
                                "not changed.")
    return row


def read_upload():
    """The uploaded file's bytes (form field `image`); refuse a missing or too large one.

    The body is read a chunk at a time, letting other connections' messages through between
    chunks (a body already buffered would otherwise be read and parsed in one go, holding up
    every socket); the multipart envelope is then parsed off the event loop."""
    limit = images.MAX_BYTES + ENVELOPE
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        raise Refused("too_large", images.TOO_LARGE, {"most": TOO_LARGE_MB})
    body = bytearray()
    try:
        while chunk := request.stream.read(CHUNK):
            body += chunk
            if len(body) > limit:
                raise RequestEntityTooLarge()
            time.sleep(0)  # a cooperative yield under eventlet; a no-op with OS threads
    except RequestEntityTooLarge:  # a chunked body past the limit
        raise Refused("too_large", images.TOO_LARGE, {"most": TOO_LARGE_MB}) from None
    data = offload(image_field, bytes(body), request.content_type or "")
    if data is None:
        raise Refused("invalid", "Send the photo as a file in the form field \"image\".")
    if len(data) > images.MAX_BYTES:
        raise Refused("too_large", images.TOO_LARGE, {"most": TOO_LARGE_MB})
    return data


def image_field(body, content_type):
    """The bytes of the multipart body's `image` file, or None (pure work, for `offload`)."""
    environ = {"REQUEST_METHOD": "POST", "CONTENT_TYPE": content_type,
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    _, _, files = parse_form_data(environ)
    try:
        upload = files.get("image")
        return upload.read(images.MAX_BYTES + 1) if upload else None
    finally:
        for each in files.values():
            each.close()


def upload(workshop_id, uploader_id):
    """Check the rate, process the photo off the loop, store it; the 201 answer."""
    current_app.extensions["facilitation.limits"].check_upload(uploader_id)
    data = read_upload()
    with _working:
        processed = offload(images.process_upload, data)
    row = store_image(get_store(), workshop_id, uploader_id, processed)
    return jsonify(image_id=row["id"],
                   url=url_for("photos.image", name=f"{row['id']}.webp"),
                   thumb_url=url_for("photos.image", name=f"{row['id']}-thumb.webp"),
                   width=row["width"], height=row["height"]), 201


@bp.post("/r/<code>/images")
def participant_upload(code):
    """A participant adds a photo, authorised by their token (header X-Participant-Token)."""
    try:
        with get_store().read() as db:
            room = find_room(db, code)
            if room is None:
                raise Refused("not_found", "This room link is not valid.")
            person = participant_for_room(db, room, request.headers.get("X-Participant-Token"))
        return upload(room["workshop_id"], person["id"])
    except Refused as refused:
        return refusal(refused)


@bp.post("/f/<key>/images")
def facilitator_upload(key):
    """The facilitator adds a photo."""
    with get_store().read() as db:
        workshop = find_workshop(db, key)
    if workshop is None:
        return jsonify(error=gettext("This facilitator link is not valid."), code="forbidden"), 403
    try:
        return upload(workshop["id"], f"facilitator:{workshop['id']}")
    except Refused as refused:
        return refusal(refused)


def viewer():
    """Who asks for a photo: a participant's token or the facilitator key (header or query)."""
    store = get_store()
    key = request.headers.get("X-Facilitator-Key") or request.args.get("key")
    if key:
        with store.read() as db:
            workshop = find_workshop(db, key)
        if workshop is not None:
            return ("facilitator", workshop["id"])
    token = request.headers.get("X-Participant-Token") or request.args.get("token")
    if token:
        with store.read() as db:
            row = next(iter(db["participants"].rows_where("token = ?", [token], limit=1)), None)
        if row is not None:
            return ("participant", row["id"], row["workshop_id"])
    return None


@bp.get("/i/<name>")
def image(name):
    """A photo (`<id>.webp`) or its thumbnail (`<id>-thumb.webp`), to whoever may see it."""
    if name.endswith("-thumb.webp"):
        image_id, column = name[: -len("-thumb.webp")], "thumb"
    elif name.endswith(".webp"):
        image_id, column = name[: -len(".webp")], "full"
    else:
        abort(404)
    row = readable_image(get_store(), image_id, viewer())
    if row is None:
        abort(404)
    response = Response(row[column], mimetype="image/webp")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private"
    return response
