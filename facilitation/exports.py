"""Session outputs: a workshop's boards as export data (JSON format 1), sliced and rendered.

Headings, CSV columns and the printable page speak the language of the request (or of the CLI
command); the JSON is data and never changes with it.

Everything starts from `workshop_data`, a plain dict read from the database in one go (or
thawed from a saved snapshot). Rooms and cities are slices of it, and every format renders
from such a dict, so a live export and a snapshot's export look the same. The data holds no
ids, codes or secrets: it is what a city takes home, and importing it rebuilds the boards.
"""

import base64
import csv
import functools
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from pathlib import Path
from urllib.parse import quote

from flask import render_template
from markupsafe import Markup, escape

from . import details as action
from .i18n import N_, gettext, ngettext, readable_time
from .public import cities as workshop_cities, workshop_by_key
from .tags import tags_by_note
from .util import now_iso
from .workshops import is_map, map_layout

FORMAT = 1
FORMATS = ("csv", "json", "md", "html")
MIMETYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "md": "text/markdown",
    "html": "text/html",
    "zip": "application/zip",
}
CSV_HEADER = [N_("Workshop"), N_("Room"), N_("Theme"), N_("Group"), N_("Note"), N_("Author"),
              N_("City"), N_("Also for cities"), N_("Votes"), N_("Created (UTC)"),
              N_("Updated (UTC)"), N_("Photo"), N_("Photo description"),
              *(action.LABELS[key] for key in action.FIELDS)]
IMAGE_TYPE = "image/webp"


find_workshop = workshop_by_key  # the workshop row with this facilitator key (public.py)


def workshop_data(db, workshop, only_room=None):
    """Export data of a workshop row: every room (closed ones too), or only `only_room`."""
    cities = workshop_cities(workshop)
    if only_room is None:
        rooms = list(db["rooms"].rows_where("workshop_id = ?", [workshop["id"]],
                                            order_by="position"))
    else:
        rooms = [only_room]
    return {
        "format": FORMAT,
        "kind": "workshop" if only_room is None else "room",
        "exported_at": now_iso(),
        "workshop": {"title": workshop["title"], "cities": cities,
                     "created_at": workshop["created_at"]},
        "rooms": [room_data(db, room, cities) for room in rooms],
    }


def room_data(db, room, cities):
    """One room's state, groups and notes in board order, without ids."""
    groups = db.execute(
        "SELECT id, name, status FROM note_groups WHERE room_id = ? ORDER BY position",
        [room["id"]]).fetchall()
    rows = db.execute(
        "SELECT n.id, n.group_id, n.text, n.color, n.author, n.city, n.votes, n.created_at, "
        "n.updated_at, n.lineage, n.alt, i.full, n.details "
        "FROM notes n LEFT JOIN images i ON i.id = n.image_id "
        "WHERE n.room_id = ? ORDER BY n.position", [room["id"]]).fetchall()
    tags = tags_by_note(db, [row[0] for row in rows], cities)
    notes = {group_id: [] for group_id, _, _ in groups}
    for (note_id, group_id, text, color, author, city, votes, created, updated, lineage, alt,
            full, details) in rows:
        note = {
            "text": text, "color": color, "author": author, "city": city,
            "tags": tags.get(note_id, []), "votes": votes,
            "created_at": created, "updated_at": updated, "lineage": lineage,
        }
        if full is not None:
            note["image"] = {"type": IMAGE_TYPE, "data": base64.b64encode(full).decode("ascii"),
                             "alt": alt or ""}
        if details is not None:  # action details only where a note has some
            note["details"] = action.decode(details)
        notes.setdefault(group_id, []).append(note)
    return {
        "name": room["name"], "theme": room["theme"], "template": room["template"],
        "locked": bool(room["locked"]), "hidden": bool(room["hidden"]),
        "closed": bool(room["closed"]), "created_at": room["created_at"],
        "groups": [group_data(name, status, notes[group_id]) for group_id, name, status in groups],
    }


def group_data(name, status, notes):
    """A group of export data; a group of an action table also says which status it stands for."""
    if status:
        return {"name": name, "status": status, "notes": notes}
    return {"name": name, "notes": notes}


def room_slice(data, index):
    """The export of one room of workshop data."""
    return {**data, "kind": "room", "rooms": [data["rooms"][index]]}


def is_for_city(note, city):
    """A note is for a city when its author is from there or the facilitator tagged it."""
    return note["city"] == city or city in note.get("tags", ())


def city_slice(data, city):
    """Workshop data cut down to one city's notes: only the groups and rooms that have some.

    A map room with notes for the city keeps all its groups (empty quadrants too): its printable
    page draws the whole 2×2, and importing the export rebuilds the whole map.
    """
    rooms = []
    for room in data["rooms"]:
        groups = [{**group, "notes": [n for n in group["notes"] if is_for_city(n, city)]}
                  for group in room["groups"]]
        if not any(group["notes"] for group in groups):
            continue
        if not is_map(room["template"]):
            groups = [group for group in groups if group["notes"]]
        rooms.append({**room, "groups": groups})
    return {**data, "kind": "city", "city": city, "rooms": rooms}


def image_file(note):
    """The file name of a note's photo in a ZIP (`images/<name>.webp`), named by its content."""
    digest = hashlib.sha256(note["image"]["data"].encode("ascii")).hexdigest()[:20]
    return f"images/{digest}.webp"


def image_src(note, base=None):
    """Where a page finds a note's photo: inline (a data: URL) or, in a ZIP, beside it."""
    if base is None:
        return f"data:{IMAGE_TYPE};base64,{note['image']['data']}"
    return base + image_file(note)


def images_of(data):
    """Every photo of export data once: {file name: bytes}."""
    found = {}
    for room in data["rooms"]:
        for group in room["groups"]:
            for note in group["notes"]:
                if note.get("image") and image_file(note) not in found:
                    found[image_file(note)] = base64.b64decode(note["image"]["data"])
    return found


def note_count(data):
    """The number of notes in export data."""
    return sum(len(group["notes"]) for room in data["rooms"] for group in room["groups"])


def to_json(data):
    """The export as UTF-8 JSON (accents kept as they are): the structure indented, one note a line.

    Indenting everything would force Python's pure-Python encoder over every note (most of the
    data, and most of the time of a workshop ZIP); notes go through the C encoder instead.
    """
    note_lists = []

    def skeleton(value):
        if isinstance(value, dict):
            if "notes" in value and isinstance(value["notes"], list):
                note_lists.append(value["notes"])
                value = {**value, "notes": f"\x00notes{len(note_lists) - 1}"}
            return {key: skeleton(item) for key, item in value.items()}
        if isinstance(value, list):
            return [skeleton(item) for item in value]
        return value

    # The placeholder holds a NUL, which JSON writes as \u0000 (and which text never holds: the
    # rules refuse it), under the key "notes", which only our structure has.
    lines = json.dumps(skeleton(data), ensure_ascii=False, indent=2).split("\n")
    for index, line in enumerate(lines):
        if line.lstrip().startswith('"notes": "\\u0000notes'):
            key, _, token = line.partition(": ")
            number = int(token.strip('",').removeprefix("\\u0000notes"))
            notes = note_lists[number]
            pad = " " * (len(key) - len(key.lstrip()) + 2)
            body = ",\n".join(pad + json.dumps(note, ensure_ascii=False) for note in notes)
            tail = "," if token.endswith(",") else ""
            inner = f"[\n{body}\n{pad[:-2]}]" if notes else "[]"
            lines[index] = f"{key}: {inner}{tail}"
    return "\n".join(lines) + "\n"


def spreadsheet_safe(value):
    """Neutralise a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def plain_time(iso):
    """2026-11-22T09:30:00.123Z as 2026-11-22 09:30:00, which spreadsheets read as a date."""
    return iso[:19].replace("T", " ") if isinstance(iso, str) else ""


def to_csv(data, memo=None):
    """One row per note; the caller encodes it as UTF-8 with a BOM so Excel reads accents.

    `memo` (a dict, for one set of data): rows already made, by note, for documents that share
    notes (a ZIP has each note in the workshop's, its room's and its cities' files)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([gettext(column) for column in CSV_HEADER])
    title = data["workshop"]["title"]
    memo = {} if memo is None else memo
    for room in data["rooms"]:
        for group in room["groups"]:
            for note in group["notes"]:
                writer.writerow(made_once(memo, "csv", note, None,
                                          lambda: csv_row(title, room, group, note)))
    return out.getvalue()


def made_once(memo, fmt, note, images, make):
    """`make()` for a note in a format, once per `memo` (a dict shared by the documents of one
    export: a ZIP has each note in the workshop's, its room's and its cities' files). `images`
    (where photos are) tells apart what a note with a photo gives in each document."""
    key = (fmt, id(note), images if note.get("image") else None)
    kept = memo.get(key)
    if kept is None or kept[0] is not note:  # the note is kept with it: its id stays its own
        kept = memo[key] = (note, make())
    return kept[1]


def csv_row(title, room, group, note):
    row = [title, room["name"], room["theme"], group["name"], note["text"],
           note["author"], note["city"], ", ".join(note.get("tags", [])),
           note["votes"], plain_time(note["created_at"]),
           plain_time(note["updated_at"])]
    photo = note.get("image")
    row += [image_file(note), photo["alt"]] if photo else ["", ""]
    details = note.get("details") or {}
    row += [details.get(key, "") for key in action.FIELDS]
    return [spreadsheet_safe(cell) for cell in row]


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
# "&" only matters where it would spell an entity such as &lt; or &#60;.
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What would start a list, a quote or a heading underline at the start of a line.
_MD_LINE_START = re.compile(r"^([-+=]|\d+(?=[.)]))")


def md_line(text):
    """One line of text with everything Markdown would act on escaped."""
    text = _MD_ENTITY.sub(r"\\&", _MD_SPECIAL.sub(r"\\\1", text.strip()))
    match = _MD_LINE_START.match(text)
    if match:
        if match.group(1)[0].isdigit():
            end = match.end()
            return text[:end] + "\\" + text[end:]
        return "\\" + text
    return text


def md_inline(text):
    """A name on one line (headings, authors), escaped."""
    return md_line(" ".join(str(text).split()))


def md_note(note, base=""):
    """A note as a list item: its lines joined by hard breaks, then author, city and votes;
    its photo (a file beside the document, named in `images/`) under it."""
    lines = [md_line(line) for line in note["text"].splitlines() if line.strip()]
    text = "\\\n  ".join(lines)
    who = md_inline(note["author"])
    if note["city"]:
        who += ", " + md_inline(note["city"])
    extra = ""
    if note["votes"]:
        extra += " · " + ngettext("%(num)d vote", "%(num)d votes", note["votes"])
    if note.get("tags"):
        extra += " · " + gettext("also for %(cities)s",
                                 cities=", ".join(md_inline(city) for city in note["tags"]))
    item = f"- {text} — *{who}*{extra}"
    if note.get("details"):
        item += "\\\n  " + md_inline(action.summary(note["details"]))
    if note.get("image"):
        alt = md_inline(note["image"]["alt"] or gettext("Photo"))
        item += f"\n\n  ![{alt}]({base}{image_file(note)})"
    return item


def heading(data):
    """The document's title and the line under it, as plain text."""
    title = data["workshop"]["title"]
    if data["kind"] == "room" and data["rooms"]:
        room = data["rooms"][0]
        return f"{room['name']}: {room['theme']}", title
    if data["kind"] == "city":
        city = data["city"]
        return f"{city}: {title}", gettext("Notes by people from %(city)s, or tagged for %(city)s",
                                           city=city)
    return title, gettext("Cities: %(cities)s", cities=", ".join(data["workshop"]["cities"]))


def provenance(data):
    """When the data was taken: a saved snapshot's name and time, or the export time."""
    snapshot = data.get("snapshot")
    if snapshot:
        return gettext("Saved outputs “%(name)s”, %(time)s", name=snapshot["name"],
                       time=readable_time(snapshot["saved_at"]))
    return gettext("Exported %(time)s", time=readable_time(data["exported_at"]))


def to_markdown(data, images="", memo=None):
    """Rooms and groups as headings, notes as items with author and city (`memo`: as to_csv)."""
    memo = {} if memo is None else memo

    def item(note):
        return made_once(memo, "md", note, images, lambda: md_note(note, images))

    title, subtitle = heading(data)
    lines = [f"# {md_inline(title)}", "", f"{md_inline(subtitle)} · {md_inline(provenance(data))}"]
    group_level = "##" if data["kind"] == "room" else "###"
    for room in data["rooms"]:
        if data["kind"] != "room":
            lines += ["", f"## {md_inline(room['name'])}: {md_inline(room['theme'])}"]
        for group in room["groups"]:
            lines += ["", f"{group_level} {md_inline(group['name'])}", ""]
            lines += ([item(note) for note in group["notes"]]
                      or [f"*{gettext('No notes.')}*"])
    if not data["rooms"]:
        lines += ["", f"*{gettext('No notes.')}*"]
    return "\n".join(lines) + "\n"


@functools.cache
def favicon():
    """The app's icon as a data: URI, so a printable page has one even saved on its own."""
    svg = (Path(__file__).resolve().parent.parent / "static" / "favicon.svg").read_text("utf-8")
    return "data:image/svg+xml," + quote(svg.strip())


def to_html(data, stylesheet, images=None, memo=None):
    """The printable page (needs an app context for the template); photos inline, or from
    `images` + `images/<name>.webp` (in a ZIP). `memo`: as to_csv."""
    title, subtitle = heading(data)
    memo = {} if memo is None else memo

    def note_html(note):
        return made_once(memo, "html", note, images, lambda: html_note(note, images))

    return render_template("export_board.html", data=data, title=title, subtitle=subtitle,
                           provenance=provenance(data), stylesheet=stylesheet,
                           map_layout=map_layout, note_html=note_html, favicon=favicon())


def html_note(note, images=None):
    """A note of the printable page, as an item of its group's list: every value escaped.

    Made here rather than in export_board.html: a page lists up to 10,000 notes, and Jinja's
    per-note work (attribute look-ups, a macro call) took three times as long."""
    parts = [f'<li class="report-note note-{escape(note["color"])}">']
    if note.get("image"):
        parts.append(f'<img class="report-photo" src="{escape(image_src(note, images))}" '
                     f'alt="{escape(note["image"]["alt"])}">')
    parts.append(f'<p class="report-note-text">{escape(note["text"])}</p>')
    if note.get("details"):
        parts.append(f'<p class="report-note-details">{escape(action.summary(note["details"]))}</p>')
    meta = [f'<span class="report-author">{escape(note["author"])}</span>']
    if note["city"]:
        meta.append(f'<span class="report-city">{escape(note["city"])}</span>')
    if note["votes"]:
        votes = ngettext("%(num)d vote", "%(num)d votes", note["votes"])
        meta.append(f'<span class="report-votes">{escape(votes)}</span>')
    if note.get("tags"):
        tags = gettext("also for %(cities)s", cities=", ".join(note["tags"]))
        meta.append(f'<span class="report-tags">{escape(tags)}</span>')
    parts.append(f'<p class="report-note-meta">{" ".join(meta)}</p></li>')
    return Markup("".join(parts))


def render(data, fmt, stylesheet, images=None, memo=None):
    """Return the bytes of data in a format (csv, json, md, html).

    `images`: where the document's photos are, relative to it ("../" in a ZIP's sub-folder):
    None keeps them inside the page (html) and names `images/...` (md). `memo`: a dict shared by
    documents made of the same data (to_csv).
    """
    if fmt == "csv":
        return to_csv(data, memo).encode("utf-8-sig")
    if fmt == "json":
        return to_json(data).encode()
    if fmt == "md":
        return to_markdown(data, images or "", memo).encode()
    return to_html(data, stylesheet, images, memo).encode()


def safe_name(text, most=100):
    """A file or folder name from any text: no slashes, no traversal, no control characters."""
    text = unicodedata.normalize("NFC", str(text))
    text = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', "_", text)
    text = " ".join(text.split())[:most].strip(". ")
    return text or "_"


def city_file_names(cities, most=60):
    """A file or folder name for each city, unique even where names clean up the same
    ("A/B", "A_B") or differ only by case (folders on Windows and macOS)."""
    taken, names = set(), []
    for index, city in enumerate(cities):
        name = safe_name(city, most)
        if name.lower() in taken:
            name = f"{name} ({index + 1})"
        taken.add(name.lower())
        names.append(name)
    return names


def to_zip(data, print_css, pause=lambda: None):
    """Every room and every city of workshop data in every format, plus the whole workshop.

    `pause` runs between files, so a server can let other clients' events through while a
    large archive is built. Light compression: text squeezes well at level 1, at a third of the
    time of the default level.
    """
    top = safe_name(data["workshop"]["title"])
    memo = {}  # each note is in three documents (workshop, room, city): made once per format
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        def add(path, content):
            """Add one file under the archive's top folder."""
            archive.writestr(f"{top}/{path}", content)
            pause()

        add("print.css", print_css)
        for path, content in images_of(data).items():
            # WebP is compressed already: stored as it is.
            archive.writestr(f"{top}/{path}", content, compress_type=zipfile.ZIP_STORED)
            pause()
        for fmt in FORMATS:
            add(f"workshop.{fmt}", render(data, fmt, "print.css", "", memo))
        for index, room in enumerate(data["rooms"]):
            name = f"{index + 1:02d} {safe_name(room['name'], 60)}"
            for fmt in FORMATS:
                add(f"rooms/{name}.{fmt}",
                    render(room_slice(data, index), fmt, "../print.css", "../", memo))
        cities = data["workshop"]["cities"]
        for city, name in zip(cities, city_file_names(cities)):
            for fmt in FORMATS:
                add(f"cities/{name}.{fmt}",
                    render(city_slice(data, city), fmt, "../print.css", "../", memo))
    return buffer.getvalue()


def download_name(data, ext):
    """A readable file name for an export (any characters; the HTTP edge makes it safe)."""
    parts = [data["workshop"]["title"]]
    if data["kind"] == "room" and data["rooms"]:
        parts.append(data["rooms"][0]["name"])
    elif data["kind"] == "city":
        parts.append(data["city"])
    if data.get("snapshot"):
        parts.append(data["snapshot"]["name"])
    return f"{' - '.join(' '.join(str(p).split()) for p in parts)[:150]}.{ext}"
