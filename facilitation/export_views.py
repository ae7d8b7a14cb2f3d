"""HTTP edge for session outputs: board exports, city pages, snapshots, import. Thin."""

import functools
import os
import unicodedata
from urllib.parse import quote

from flask import (Blueprint, Response, abort, copy_current_request_context, current_app, jsonify,
                   redirect, render_template, request, url_for)

from .db import get_store
from .details import summary as action_summary
from .errors import Refused
from .exports import (FORMATS, MIMETYPES, city_slice, download_name, find_workshop, image_src,
                      note_count, readable_time, render, safe_name, to_zip, workshop_data)
from .i18n import N_, current_language, force_locale, gettext, use_workshop_language
from .imports import import_export, parse_json
from .offload import offload
from .stakeholders import room_map
from .snapshots import count_snapshots, get_snapshot, list_snapshots, save_snapshot
from .views import ADMIN_KEY_NEEDED, admin_key_ok, public_workshop
from .workshops import find_room
from .public import cities as workshop_cities

bp = Blueprint("exports", __name__)
WORKSHOP_FORMATS = FORMATS + ("zip",)
KEY_REFUSED = N_("This facilitator link is not valid, so its outputs cannot be shown.")
# Letters NFKD cannot take apart, for the ASCII file name old browsers fall back on.
ASCII_LETTERS = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ß": "ss", "Æ": "AE",
                               "æ": "ae", "Œ": "OE", "œ": "oe", "Đ": "D", "đ": "d", "Þ": "Th",
                               "þ": "th", "ı": "i"})


HEAVY = ("exports.room_export", "exports.workshop_export", "exports.city_export",
         "exports.snapshot_export", "exports.snapshot_city_export", "exports.api_import")
TOO_MANY = "Too many downloads or imports from your connection. Wait a minute and try again."


@bp.before_request
def limit_heavy_requests():
    """Exports and imports cost far more than a page: a budget per address (limits.py)."""
    if request.endpoint not in HEAVY:
        return None
    if current_app.extensions["facilitation.limits"].take_heavy(request.remote_addr):
        return None
    if request.path.startswith("/api/"):
        return jsonify(error=TOO_MANY), 429, {"Retry-After": "30"}
    return TOO_MANY, 429, {"Retry-After": "30", "Content-Type": "text/plain; charset=utf-8"}


def init_app(app):
    """Register the routes, the time filter and FACILITATION_OUTPUTS_DIR (env) in config."""
    app.config.setdefault("FACILITATION_OUTPUTS_DIR",
                          os.environ.get("FACILITATION_OUTPUTS_DIR") or None)
    app.register_blueprint(bp)
    app.add_template_filter(readable_time, "readable_time")
    app.add_template_global(image_src, "photo_src")
    app.add_template_filter(action_summary, "action_summary")


def content_disposition(name, disposition="attachment"):
    """RFC 6266/5987: a UTF-8 `filename*` and a plain ASCII `filename` fallback."""
    name = safe_name(name, 200)
    plain = unicodedata.normalize("NFKD", name.translate(ASCII_LETTERS))
    plain = "".join(c if " " <= c < "\x7f" and c not in '"\\%;' else "_"
                    for c in plain if not unicodedata.combining(c))
    return f"{disposition}; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def download(data, fmt):
    """A response carrying data in a format, named for what it holds.

    The rendering (a ZIP of a big workshop takes over a second) runs off the event loop, in
    the request's context (templates), while every socket goes on.
    """
    if fmt == "zip":
        path = os.path.join(current_app.static_folder, "css", "print.css")
        with open(path, "rb") as css:
            print_css = css.read()

        def build():
            return to_zip(data, print_css)
    else:
        stylesheet = url_for("static", filename="css/print.css")

        def build():
            return render(data, fmt, stylesheet)
    # The thread gets a copy of the request but a fresh `g`: it would lose the workshop's default
    # language, so the language chosen here goes with it.
    language = current_language()

    def in_language():
        with force_locale(language):
            return build()

    body = offload(copy_current_request_context(in_language))
    response = Response(body, mimetype=MIMETYPES[fmt])
    # The printable page opens in the browser (to print or save as PDF); the rest download.
    disposition = "inline" if fmt == "html" else "attachment"
    response.headers["Content-Disposition"] = content_disposition(
        download_name(data, fmt), disposition)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def refused_key():
    """The answer to a wrong facilitator key: 403, with no hint of what exists."""
    return render_template("not_found.html", message=gettext(KEY_REFUSED)), 403


def facilitator_workshop(key):
    """The workshop row of a facilitator key, or None (the caller answers 403)."""
    with get_store().read() as db:
        return find_workshop(db, key)


def for_facilitator(view):
    """Resolve the URL's facilitator key to its workshop (passed first), or answer 403."""

    @functools.wraps(view)
    def wrapper(key, **kwargs):
        workshop = facilitator_workshop(key)
        if workshop is None:
            return refused_key()
        use_workshop_language(workshop["language"])
        return view(workshop, key=key, **kwargs)

    return wrapper


def live_data(workshop):
    """The workshop's export data as it is now."""
    with get_store().read() as db:
        return workshop_data(db, workshop)


def city_of(workshop, city):
    """The city if the workshop has it; an unknown city is a 404 page."""
    if city not in workshop_cities(workshop):
        abort(404)
    return city


@bp.get("/r/<code>/export.<fmt>")
def room_export(code, fmt):
    """A room's board in a format, for anyone with the room link."""
    if fmt not in FORMATS:
        abort(404)
    with get_store().read() as db:
        room = find_room(db, code)
        if room is None:
            abort(404)
        workshop = db["workshops"].get(room["workshop_id"])
        use_workshop_language(workshop["language"])
        data = None if room["hidden"] else workshop_data(db, workshop, only_room=room)
    if data is None:
        # Anyone with the room link may export: while notes are private, nobody may read them.
        message = gettext("The notes of this board are hidden while people write. Export again "
                          "after the facilitator reveals them.")
        page = render_template(
            "export_board.html", data={"kind": "room", "workshop": workshop, "rooms": []},
            title=f"{room['name']}: {room['theme']}", subtitle=message, provenance="",
            back=url_for("views.room", code=code),
            stylesheet=url_for("static", filename="css/print.css"))
        return page, 409
    return download(data, fmt)


@bp.get("/f/<key>/export.<fmt>")
@for_facilitator
def workshop_export(workshop, key, fmt):
    """The whole workshop (every room, closed ones too), or every file in a ZIP."""
    if fmt not in WORKSHOP_FORMATS:
        abort(404)
    return download(live_data(workshop), fmt)


@bp.get("/f/<key>/cities/<path:city>")
@for_facilitator
def city_page(workshop, key, city):
    """Everything for one city across every room, with its downloads."""
    city = city_of(workshop, city)
    data = live_data(workshop)
    sliced = city_slice(data, city)
    return render_template("city.html", key=key, city=city, data=sliced,
                           workshop=data["workshop"], count=note_count(sliced),
                           saved=count_snapshots(get_store(), workshop["id"]), room_map=room_map)


@bp.get("/f/<key>/cities/<path:city>/export.<fmt>")
@for_facilitator
def city_export(workshop, key, city, fmt):
    """One city's notes in a format."""
    if fmt not in FORMATS:
        abort(404)
    city = city_of(workshop, city)
    return download(city_slice(live_data(workshop), city), fmt)


def snapshots_page(workshop, key, city, error=None, name=None, status=200):
    """A city's history of saved outputs, with the form to save the workshop's outputs now."""
    snapshots = [{**snapshot, "count": note_count(city_slice(snapshot["data"], city))}
                 for snapshot in list_snapshots(get_store(), workshop["id"])]
    return render_template("snapshots.html", key=key, city=city, workshop=workshop,
                           cities=workshop_cities(workshop), snapshots=snapshots,
                           error=error, name=name), status


@bp.get("/f/<key>/cities/<path:city>/snapshots")
@for_facilitator
def city_snapshots(workshop, key, city):
    """One city's history of saved outputs."""
    return snapshots_page(workshop, key, city_of(workshop, city))


@bp.post("/f/<key>/snapshots")
@for_facilitator
def save_outputs(workshop, key):
    """Save the workshop's outputs: a form (redirects to a city's history) or JSON (201)."""
    fields = request.get_json(silent=True) if request.is_json else request.form
    fields = fields if isinstance(fields, dict) else {}  # a form is a dict too
    city = fields.get("city")
    city = city if city in workshop_cities(workshop) else None
    try:
        snapshot = save_snapshot(get_store(), workshop["id"], fields.get("name") or "",
                                 current_app.config.get("FACILITATION_OUTPUTS_DIR"))
    except Refused as refused:
        if request.is_json or city is None:
            return jsonify(error=refused.text()), 400
        return snapshots_page(workshop, key, city, refused.text(), fields.get("name"), 400)
    if request.is_json:
        return jsonify({field: snapshot[field] for field in ("id", "name", "saved_at")}), 201
    if city is None:
        return redirect(url_for("views.facilitator", key=key), code=303)
    return redirect(url_for("exports.city_snapshots", key=key, city=city), code=303)


def snapshot_or_404(workshop, snapshot_id):
    """A snapshot of this workshop, or the 404 page."""
    snapshot = get_snapshot(get_store(), workshop["id"], snapshot_id)
    if snapshot is None:
        abort(404)
    return snapshot


@bp.get("/f/<key>/snapshots/<snapshot_id>/export.<fmt>")
@for_facilitator
def snapshot_export(workshop, key, snapshot_id, fmt):
    """A whole saved snapshot in a format (or ZIP)."""
    if fmt not in WORKSHOP_FORMATS:
        abort(404)
    return download(snapshot_or_404(workshop, snapshot_id)["data"], fmt)


@bp.get("/f/<key>/snapshots/<snapshot_id>/cities/<path:city>/export.<fmt>")
@for_facilitator
def snapshot_city_export(workshop, key, snapshot_id, city, fmt):
    """A saved snapshot cut to one city, in a format."""
    if fmt not in FORMATS:
        abort(404)
    city = city_of(workshop, city)
    return download(city_slice(snapshot_or_404(workshop, snapshot_id)["data"], city), fmt)


@bp.post("/api/import")
def api_import():
    """Rebuild a workshop from an export (JSON body); same admin key rule as creating one."""
    header = request.headers.get("Authorization", "")
    given = header[len("Bearer "):] if header.startswith("Bearer ") else None
    if not admin_key_ok(given):
        return jsonify(error=gettext(ADMIN_KEY_NEEDED)), 401
    # A whole workshop's export can be far bigger than any other request.
    request.max_content_length = 32 * 1024 * 1024
    try:
        data = offload(parse_json, request.get_data())
        workshop = import_export(get_store(), data)
    except Refused as refused:
        return jsonify(error=refused.text()), 400
    return jsonify(public_workshop(workshop)), 201
