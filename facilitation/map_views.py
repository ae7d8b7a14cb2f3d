"""HTTP edge for maps across meetings: the next meeting, a city's stakeholders, compare. Thin."""

import json

from flask import (Blueprint, Response, abort, current_app, jsonify, redirect, render_template,
                   request, url_for)

from .db import get_store
from .errors import Refused
from .export_views import city_of, content_disposition, for_facilitator, live_data
from .exports import readable_time
from .history import resolve_ref
from .i18n import gettext
from .offload import offload
from .series import plan_next
from .stakeholders import (compare, compare_grid, public_changes, register, register_csv,
                           summary)
from .views import public_workshop
from .workshops import TEMPLATES, carries_forward, is_map
from .public import cities as workshop_cities

bp = Blueprint("maps", __name__)


def init_app(app):
    app.register_blueprint(bp)



# The next meeting ---------------------------------------------------------------------------

def next_page(workshop, key, title="", error=None, status=200):
    """The form to plan the next meeting, saying what each room starts with."""
    data = live_data(workshop)
    rooms = [{"name": room["name"], "theme": room["theme"],
              "template": TEMPLATES[room["template"]][0],
              "carried": carries_forward(room["template"]),
              "count": sum(len(group["notes"]) for group in room["groups"])}
             for room in data["rooms"] if not room["closed"]]
    return render_template("next.html", key=key, workshop=data["workshop"], rooms=rooms,
                           title=title, error=error), status


@bp.get("/f/<key>/next")
@for_facilitator
def next_form(workshop, key):
    """Plan the next meeting: the form."""
    return next_page(workshop, key)


@bp.post("/f/<key>/next")
@for_facilitator
def next_meeting(workshop, key):
    """Create the next meeting: JSON {"title"} answers 201; a form redirects to its console."""
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return jsonify(
                error=gettext("The request body must be a JSON object with a title.")), 400
        title = body.get("title")
    else:
        title = request.form.get("title")
    try:
        if title is None:
            raise Refused("invalid", "Workshop title is missing.")
        created, _ = plan_next(get_store(), workshop["id"], title,
                               current_app.config.get("FACILITATION_OUTPUTS_DIR"))
    except Refused as refused:
        if request.is_json:
            return jsonify(error=refused.text()), 400
        return next_page(workshop, key, title or "", refused.text(), 400)
    if request.is_json:
        return jsonify({**public_workshop(created), "follows": workshop["id"]}), 201
    return redirect(url_for("views.facilitator", key=created["facilitator_key"], created=1),
                    code=303)


# A city's stakeholder register --------------------------------------------------------------

@bp.get("/f/<key>/cities/<path:city>/stakeholders", defaults={"fmt": "html"})
@bp.get("/f/<key>/cities/<path:city>/stakeholders.<fmt>")
@for_facilitator
def stakeholders(workshop, key, city, fmt):
    """One city's stakeholders on the map rooms: page, JSON or CSV."""
    if fmt not in ("html", "json", "csv"):
        abort(404)
    city = city_of(workshop, city)
    reg = register(live_data(workshop), city)  # inline: its flags are translated for the request
    if fmt == "json":
        return no_store(json_answer(reg))
    if fmt == "csv":
        response = Response(register_csv(reg).encode("utf-8-sig"), mimetype="text/csv")
        response.headers["Content-Disposition"] = content_disposition(
            f"{reg['workshop']} - {city} - stakeholders.csv")
        return no_store(response)
    return no_store(render_template("stakeholders.html", key=key, city=city, reg=reg,
                                    cities=workshop_cities(workshop),
                                    follows=bool(workshop.get("follows"))))


def json_answer(value):
    """JSON with its keys in the documented order and accents as they are."""
    return Response(json.dumps(value, ensure_ascii=False), mimetype="application/json")


def no_store(response):
    response = current_app.make_response(response)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# Compare two moments ------------------------------------------------------------------------

def moments(db, workshop):
    """The moments this workshop can compare: live, previous (when it follows one), snapshots."""
    found = [{"ref": "live", "label": gettext("Now (live boards)")}]
    if workshop.get("follows"):
        found.append({"ref": "previous", "label": gettext("Previous meeting (as it ended)")})
    rows = db.execute("SELECT id, name, created_at FROM snapshots WHERE workshop_id = ? "
                      "ORDER BY created_at DESC", [workshop["id"]]).fetchall()
    found += [{"ref": f"snapshot:{sid}", "label": gettext("Saved: %(name)s (%(time)s)", name=name,
                                                             time=readable_time(at))}
              for sid, name, at in rows]
    return found


def default_from(choices):
    """`previous` when the workshop follows one, else the newest snapshot, else live."""
    refs = [choice["ref"] for choice in choices]
    return refs[1] if len(refs) > 1 else "live"


@bp.get("/f/<key>/cities/<path:city>/stakeholders/compare", defaults={"fmt": "html"})
@bp.get("/f/<key>/cities/<path:city>/stakeholders/compare.<fmt>")
@for_facilitator
def stakeholders_compare(workshop, key, city, fmt):
    """What changed in a city's maps between two moments (`from`, `to`: live, previous, ...)."""
    if fmt not in ("html", "json"):
        abort(404)
    city = city_of(workshop, city)
    with get_store().read() as db:
        choices = moments(db, workshop)
        refs = {"from": request.args.get("from") or default_from(choices),
                "to": request.args.get("to") or "live"}
        try:
            old = resolve_ref(db, workshop, refs["from"])
            new = resolve_ref(db, workshop, refs["to"])
        except Refused as refused:
            if fmt == "json":
                return jsonify(error=refused.text()), 404
            return render_template("not_found.html", message=refused.text()), 404
    # Matching two whole workshops' notes is pure CPU work: off the event loop.
    changes = offload(compare, old.data, new.data, city)
    if fmt == "json":
        return no_store(json_answer({"city": city, "from": old.label(), "to": new.label(),
                                     **public_changes(changes)}))
    has_map = any(is_map(room["template"]) for data in (old.data, new.data)
                  for room in data["rooms"])
    return no_store(render_template(
        "compare.html", key=key, city=city, workshop=new.data["workshop"], old=old, new=new,
        refs=refs, choices=choices, changes=changes, summary=summary(changes), has_map=has_map,
        maps=compare_grid(old.data, new.data, city, changes),
        cities=workshop_cities(workshop)))

