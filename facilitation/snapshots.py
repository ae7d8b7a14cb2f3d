"""Saved session outputs: a workshop's export frozen under a name, optionally written to disk.

A snapshot stores the export JSON as it was when saved, so later edits never change it; each
city's history and downloads are slices of that frozen data.
"""

import json
import logging
import os

from . import rules
from .exports import city_file_names, city_slice, images_of, render, safe_name, workshop_data
from .i18n import N_
from .util import new_id

log = logging.getLogger(__name__)
NAME = rules.Text(N_("Name"), 1, 80)
DISK_FORMATS = ("md", "csv", "json")


def save_snapshot(store, workshop_id, name, outputs_dir=None):
    """Freeze the workshop's outputs now; return the snapshot (id, name, saved_at, files)."""
    name = NAME(name)
    with store.write() as db:
        # Read and insert in one transaction: the frozen data is one consistent moment.
        snapshot, data = insert_snapshot(db, workshop_id, name)
    return write_snapshot_files(snapshot, data, outputs_dir)


def insert_snapshot(db, workshop_id, name):
    """Freeze the workshop's outputs inside the caller's transaction; return (snapshot, data)."""
    data = workshop_data(db, db["workshops"].get(workshop_id))
    row = {"id": new_id(), "workshop_id": workshop_id, "name": name,
           "data": json.dumps(data, ensure_ascii=False), "created_at": data["exported_at"]}
    db["snapshots"].insert(row)
    return {"id": row["id"], "name": name, "saved_at": row["created_at"], "files": []}, data


def write_snapshot_files(snapshot, data, outputs_dir):
    """After the commit: write a snapshot's files when the server keeps outputs on disk."""
    if outputs_dir:
        try:
            snapshot["files"] = write_files(outputs_dir, with_snapshot(data, snapshot))
        except OSError:
            # The database holds the snapshot; a full or read-only disk must not lose it.
            log.exception("Could not write the session outputs to %s", outputs_dir)
    return snapshot


def with_snapshot(data, snapshot):
    """Export data labelled with the snapshot it comes from (shown in every format)."""
    return {**data, "snapshot": {"name": snapshot["name"], "saved_at": snapshot["saved_at"]}}


def _snapshot(row):
    """A stored row as a snapshot with its frozen, labelled data."""
    data = json.loads(row["data"])
    snapshot = {"id": row["id"], "name": row["name"], "saved_at": row["created_at"]}
    return {**snapshot, "data": with_snapshot(data, snapshot)}


def list_snapshots(store, workshop_id):
    """Every snapshot of a workshop, newest first, each with its frozen data."""
    with store.read() as db:
        rows = list(db["snapshots"].rows_where("workshop_id = ?", [workshop_id],
                                               order_by="created_at DESC"))
    return [_snapshot(row) for row in rows]


def count_snapshots(store, workshop_id):
    """How many snapshots a workshop has (without reading their data)."""
    with store.read() as db:
        return db["snapshots"].count_where("workshop_id = ?", [workshop_id])


def get_snapshot(store, workshop_id, snapshot_id):
    """One snapshot of this workshop, or None (another workshop's id is None too)."""
    if not isinstance(snapshot_id, str):
        return None
    with store.read() as db:
        rows = list(db["snapshots"].rows_where("id = ? AND workshop_id = ?",
                                               [snapshot_id, workshop_id], limit=1))
    return _snapshot(rows[0]) if rows else None


def write_files(outputs_dir, data):
    """Write each city's outputs as <workshop>/<city>/<timestamp>.{md,csv,json}; return paths."""
    base = os.path.realpath(outputs_dir)
    stamp = safe_name(data["snapshot"]["saved_at"].replace(":", "-"))
    workshop_dir = safe_name(data["workshop"]["title"])
    written = []
    cities = data["workshop"]["cities"]
    # Unique folder names, as in the ZIP: "A/B" and "A_B" never share (and overwrite) one.
    for city, folder_name in zip(cities, city_file_names(cities, 100)):
        folder = os.path.realpath(os.path.join(base, workshop_dir, folder_name))
        # safe_name already removes separators; this guards the rule, not a known hole.
        if os.path.commonpath([base, folder]) != base or folder == base:
            raise OSError(f"Refusing to write outside {base}")
        os.makedirs(folder, exist_ok=True)
        sliced = city_slice(data, city)
        for fmt in DISK_FORMATS:
            path = os.path.join(folder, f"{stamp}.{fmt}")
            with open(path, "wb") as out:
                out.write(render(sliced, fmt, None))
            written.append(path)
        # The Markdown and CSV name each photo as images/<name>.webp: put them there.
        for name, content in images_of(sliced).items():
            path = os.path.join(folder, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if not os.path.exists(path):
                with open(path, "wb") as out:
                    out.write(content)
                written.append(path)
    return written
