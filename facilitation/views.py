"""HTTP edge: the pages and the JSON API. Views stay thin: they call the domain."""

import hmac

from flask import (Blueprint, abort, current_app, has_request_context, jsonify, redirect,
                   render_template, request, url_for)

from .db import get_store
from .statement import statement
from .errors import Refused
from .i18n import LANGUAGES, N_, current_language, gettext, use_workshop_language
from .workshops import (
    DEMO,
    TEMPLATES,
    create_workshop,
    get_workshop,
    is_map,
    lobby_workshop,
    room_with_workshop,
    workshop_title,
)

bp = Blueprint("views", __name__)
ADMIN_KEY_NEEDED = N_("A valid admin key is needed: Authorization: Bearer <key>.")


def init_app(app):
    app.register_blueprint(bp)
    app.register_error_handler(404, page_not_found)
    app.register_error_handler(403, refused)
    app.add_template_global(statement_url)


def statement_url():
    """The accessibility statement's absolute address, for pages that may be saved and opened
    elsewhere (printable exports, ZIP files); None outside a request."""
    if not has_request_context():
        return None
    return url_for("views.accessibility", _external=True)


def refused(error):
    # abort(403, <English text marked with N_>): shown in the request's language.
    message = gettext(error.description)
    if request.path.startswith("/api/"):
        return jsonify(error=message), 403
    return message, 403, {"Content-Type": "text/plain; charset=utf-8"}


def page_not_found(_error):
    if request.path.startswith("/api/"):
        return jsonify(error=gettext("Not found.")), 404
    message = gettext("This link does not lead to a board. Check that you copied the whole link.")
    return render_template("not_found.html", message=message), 404


def admin_key_required():
    return bool(current_app.config.get("FACILITATION_ADMIN_KEY"))


def admin_key_ok(given):
    expected = current_app.config.get("FACILITATION_ADMIN_KEY")
    if not expected:
        return True
    return isinstance(given, str) and hmac.compare_digest(given.encode(), expected.encode())


def public_workshop(workshop):
    """The workshop as the API answers it: links made absolute for this server."""
    key = workshop["facilitator_key"]
    return {
        "id": workshop["id"],
        "title": workshop["title"],
        "cities": workshop["cities"],
        "language": workshop["language"],
        "facilitator_key": key,
        "facilitator_url": url_for("views.facilitator", key=key, _external=True),
        "lobby_code": workshop["lobby_code"],
        "lobby_url": url_for("views.lobby", code=workshop["lobby_code"], _external=True),
        "rooms": [
            {
                **{field: room[field] for field in ("id", "name", "theme", "code")},
                "join_url": url_for("views.room", code=room["code"], _external=True),
            }
            for room in workshop["rooms"]
        ],
    }


@bp.post("/api/workshops")
def api_create_workshop():
    header = request.headers.get("Authorization", "")
    given = header[len("Bearer "):] if header.startswith("Bearer ") else None
    if not admin_key_ok(given):
        return jsonify(error=gettext(ADMIN_KEY_NEEDED)), 401
    data = request.get_json(silent=True)
    if data is None:
        return jsonify(error=gettext("The request body must be JSON.")), 400
    try:
        workshop = create_workshop(get_store(), data)
    except Refused as refused:
        return jsonify(error=refused.text()), 400
    return jsonify(public_workshop(workshop)), 201


def index_form(form=None, error=None, status=200):
    form = form or {
        "title": "",
        "cities": "\n".join(DEMO["cities"][:3]),
        "rooms": [{**room, "name": gettext(room["name"]), "theme": gettext(room["theme"])}
                  for room in DEMO["rooms"]],
        "language": current_language(),
    }
    return (
        render_template(
            "index.html",
            form=form,
            error=error,
            admin_key_required=admin_key_required(),
            room_templates=[(value, gettext(label)) for value, (label, _) in TEMPLATES.items()],
            languages=LANGUAGES,
        ),
        status,
    )


@bp.get("/")
def index():
    return index_form()


@bp.post("/")
def create_from_form():
    rooms = [
        {"name": name, "theme": theme, "template": template or None}
        for name, theme, template in zip(
            request.form.getlist("room_name"),
            request.form.getlist("room_theme"),
            request.form.getlist("room_template"),
        )
        if name.strip() or theme.strip()
    ]
    cities_text = request.form.get("cities", "")
    language = request.form.get("language") or "en"
    form = {"title": request.form.get("title", ""), "cities": cities_text, "rooms": rooms,
            "language": language}
    if not admin_key_ok(request.form.get("admin_key")):
        return index_form(form, gettext("The admin key is missing or wrong."), 401)
    cities = [line.strip() for line in cities_text.replace(",", "\n").splitlines() if line.strip()]
    data = {"title": form["title"], "cities": cities, "rooms": rooms, "language": language}
    try:
        workshop = create_workshop(get_store(), data)
    except Refused as refused:
        return index_form(form, refused.text(), 400)
    # ?created=1: the console says at the top to bookmark its link, the only way back to it.
    return redirect(url_for("views.facilitator", key=workshop["facilitator_key"], created=1),
                    code=303)


@bp.get("/f/<key>")
def facilitator(key):
    workshop = get_workshop(get_store(), key)
    if workshop is None:
        abort(404)
    use_workshop_language(workshop["language"])
    shown = public_workshop(workshop)
    rooms = [
        {**room, "template": original["template"]}
        for room, original in zip(shown["rooms"], workshop["rooms"])
    ]
    return render_template(
        "console.html", workshop=shown, rooms=rooms, facilitator_url=shown["facilitator_url"],
        just_created=request.args.get("created") == "1",
        room_templates=[(value, gettext(label)) for value, (label, _) in TEMPLATES.items()],
        languages=LANGUAGES,
        follows=workshop_title(get_store(), workshop["follows"]),
        has_map=any(is_map(room["template"]) for room in workshop["rooms"]),
    )


@bp.get("/r/<code>")
def room(code):
    room, workshop = room_with_workshop(get_store(), code)
    if room is None:
        abort(404)
    use_workshop_language(workshop["language"])
    return render_template("room.html", room=room, workshop=workshop)


@bp.get("/w/<code>")
def lobby(code):
    workshop = lobby_workshop(get_store(), code)
    if workshop is None:
        abort(404)
    use_workshop_language(workshop["language"])
    return render_template("lobby.html", workshop=workshop)


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement, in the EU model's form (Decision (EU) 2018/1523)."""
    return render_template("accessibility.html", statement=statement(current_app.config))
