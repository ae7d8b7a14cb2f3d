"""Photos in the database: storing an upload, who may see one, attaching to notes, clean-up.

The image work itself (Pillow) is in `images.py` and runs off the event loop; this module only
reads and writes rows, before and after that work.
"""

import secrets
from datetime import datetime, timedelta, timezone

from .db import insert, one
from .errors import not_found
from .i18n import N_
from .util import now_iso

KEEP_UNUSED = timedelta(hours=24)
GONE = N_("This photo is not available any more. Add it again.")


def new_image_id():
    """An image id: 192 random bits, URL-safe (the URL of a photo is its only key)."""
    return secrets.token_urlsafe(24)


def store_image(store, workshop_id, uploader_id, processed, now=None):
    """Keep a processed photo; delete photos no note has used for a day; return the new row."""
    row = {"id": new_image_id(), "workshop_id": workshop_id, "uploader_id": uploader_id,
           "width": processed.width, "height": processed.height,
           "full": processed.full, "thumb": processed.thumb,
           "created_at": now or now_iso()}
    with store.write() as db:
        sweep(db)
        insert(db, "images", row)
    return row


def sweep(db, now=None):
    """Delete every photo older than a day that no note uses; return how many."""
    moment = now or datetime.now(timezone.utc)
    cutoff = (moment - KEEP_UNUSED).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    cursor = db.execute(
        "DELETE FROM images WHERE created_at < ? AND NOT EXISTS "
        "(SELECT 1 FROM notes WHERE notes.image_id = images.id)", [cutoff])
    return cursor.rowcount


def image_for_note(change, image_id):
    """The photo a note may carry: one of this workshop's, uploaded by the sender (the
    facilitator may use any photo of the workshop); else `not_found`."""
    row = one(change.db, "SELECT id, workshop_id, uploader_id FROM images WHERE id = ?",
              [image_id])
    if row is None or row["workshop_id"] != change.actor.workshop_id:
        raise not_found(GONE)
    if not change.actor.is_facilitator and row["uploader_id"] != change.actor.id:
        raise not_found(GONE)
    return row


def readable_image(store, image_id, viewer):
    """The image row if `viewer` may see it, else None.

    `viewer` is ("participant", id, workshop id), ("facilitator", workshop id) or None. A photo
    on a note of a room that hides notes is shown only to that note's author, its uploader and
    the workshop's facilitator until the reveal; anywhere else, its unguessable id suffices.
    """
    with store.read() as db:
        row = one(db, "SELECT id, workshop_id, uploader_id, full, thumb FROM images "
                      "WHERE id = ?", [image_id])
        if row is None:
            return None
        uses = db.execute(
            "SELECT n.author_id, r.hidden FROM notes n JOIN rooms r ON r.id = n.room_id "
            "WHERE n.image_id = ?", [image_id]).fetchall()
    if not uses or any(not hidden for _, hidden in uses):
        return row
    if viewer is None:
        return None
    if viewer[0] == "facilitator":
        return row if viewer[1] == row["workshop_id"] else None
    _, viewer_id, workshop_id = viewer
    if workshop_id != row["workshop_id"]:
        return None
    if viewer_id == row["uploader_id"] or any(author == viewer_id for author, _ in uses):
        return row
    return None
