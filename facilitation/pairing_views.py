"""HTTP edge for city pairing: the suggestion, its reasons, applying it, and each call's brief."""

import itertools
import uuid

from babel.numbers import format_decimal
from flask import Blueprint, abort, jsonify, render_template, request, url_for

from . import brief as briefs
from .db import get_store
from .errors import Refused
from .export_views import city_of, for_facilitator
from .facilitator import facilitator_actor
from .i18n import format_locale, gettext
from .offload import offload
from .ops import run_op
from .pairing import TAG_WEIGHT, pairing
from .plan_views import attachment
from .public import cities as workshop_cities
from .realtime import deliver
from .workshop_notes import split_list, workshop_notes
from .workshops import TEMPLATES

bp = Blueprint("pairing", __name__)
APPLY_TEMPLATE = "challenges-ideas-actions"  # the form's choice for a peer exchange room


def init_app(app):
    app.register_blueprint(bp)
    app.add_template_filter(score, "score")


def score(value):
    """A pair's score with two decimals, written the page language's way (0.42, 0,42)."""
    return format_decimal(value, format="0.00", locale=format_locale())


def narrowed(workshop):
    """(notes, rooms, group names, chosen rooms, chosen groups) for ?rooms= and ?groups=."""
    # ?rooms=a,b&groups=Challenges (links), or ?room=a&room=b&group=… (the page's form).
    chosen_rooms = split_list(request.args.get("rooms")) + request.args.getlist("room")
    chosen_groups = split_list(request.args.get("groups")) + request.args.getlist("group")
    with get_store().read() as db:
        rooms = list(db["rooms"].rows_where("workshop_id = ?", [workshop["id"]],
                                            order_by="position"))
        names = [name for (name,) in db.execute(
            "SELECT DISTINCT g.name FROM note_groups g JOIN rooms r ON r.id = g.room_id "
            "WHERE r.workshop_id = ? ORDER BY g.name COLLATE NOCASE", [workshop["id"]])]
        notes = workshop_notes(db, workshop, chosen_rooms, chosen_groups)
    return notes, rooms, names, chosen_rooms, chosen_groups


def compute(workshop):
    """The pairing answer for the request's narrowing, and what the page needs around it."""
    notes, rooms, names, chosen_rooms, chosen_groups = narrowed(workshop)
    cities = workshop_cities(workshop)
    result = offload(pairing, notes, cities)
    return result, {"rooms": rooms, "group_names": names, "chosen_rooms": chosen_rooms,
                    "chosen_groups": chosen_groups, "cities": cities}


def page(workshop, key, result, context, status=200, error=None, groups=None, applied=None):
    scores = {tuple(pair["cities"]): pair for pair in result["pairs"]}
    return render_template(
        "pairing.html", key=key, workshop=workshop, result=result, scores=scores,
        groups=groups if groups is not None else result["suggestion"], error=error,
        applied=applied, op_id=str(uuid.uuid4()),
        apply_template=APPLY_TEMPLATE,
        templates=[(name, gettext(label)) for name, (label, _) in TEMPLATES.items()],
        tag_weight=TAG_WEIGHT, query=request.query_string.decode(),
        combos=lambda group: list(itertools.combinations(group, 2)), **context), status


@bp.get("/f/<key>/pairing")
@for_facilitator
def pairing_page(workshop, key):
    """Pairs with their reasons, the suggestion as a form the facilitator can change, clusters."""
    try:
        result, context = compute(workshop)
    except Refused as refused:
        abort(400, refused.text())
    return page(workshop, key, result, context)


@bp.get("/f/<key>/pairing.json")
@for_facilitator
def pairing_json(workshop, key):
    try:
        result, _ = compute(workshop)
    except Refused as refused:
        return jsonify(error=refused.text()), 400
    response = jsonify(result)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def groups_from_form(form, cities):
    """The facilitator's pairing from the form: each city's group number ("" = not paired)."""
    chosen = {}
    for index, city in enumerate(cities):
        value = form.get(f"city-{index}", "")
        if value.isdigit():
            chosen.setdefault(int(value), []).append(city)
    return [chosen[number] for number in sorted(chosen)]


@bp.post("/f/<key>/pairing/apply")
@for_facilitator
def pairing_apply(workshop, key):
    """Apply the pairing of the form through the op pipeline (pairing.apply), then show it."""
    cities = workshop_cities(workshop)
    groups = groups_from_form(request.form, cities)
    template = request.form.get("template") or APPLY_TEMPLATE
    op_id = request.form.get("op_id") or str(uuid.uuid4())
    payload = {"type": "pairing.apply", "op_id": op_id[:64], "pairs": groups,
               "template": template}
    try:
        outcome = run_op(get_store(), facilitator_actor(workshop["id"]), payload)
    except Refused as refused:
        result, context = compute(workshop)
        return page(workshop, key, result, context, 400, refused.text(), groups)
    deliver(outcome)
    result, context = compute(workshop)
    rooms = [{**room, "url": url_for("views.room", code=room["code"], _external=True)}
             for room in outcome.ack["rooms"]]
    return page(workshop, key, result, context, groups=groups, applied=rooms)


@bp.get("/f/<key>/pairing/<city_a>/<city_b>.md")
@for_facilitator
def brief_md(workshop, key, city_a, city_b):
    data = brief_data(workshop, key, city_a, city_b)
    pair = " + ".join(data["cities"])
    name = f"{workshop['title']} - {pair} - {gettext('Brief')}.md"
    return attachment(briefs.to_markdown(data).encode(), "text/markdown", name)


@bp.get("/f/<key>/pairing/<city_a>/<city_b>")
@for_facilitator
def brief_page(workshop, key, city_a, city_b):
    """One printable page for a bilateral call."""
    data = brief_data(workshop, key, city_a, city_b)
    sides = [(name, gettext(heading)) for name, heading in briefs.SIDES]
    return render_template("brief.html", key=key, workshop=workshop, brief=data, sides=sides)


def brief_data(workshop, key, city_a, city_b):
    pair = [city_of(workshop, city_a), city_of(workshop, city_b)]
    if pair[0] == pair[1]:
        abort(404)
    with get_store().read() as db:
        notes = workshop_notes(db, workshop)
    cities = workshop_cities(workshop)
    result = offload(pairing, notes, cities)
    link = lambda note_id: url_for("pairing.note_page", key=key, note_id=note_id, _external=True)
    return briefs.build(result, notes, pair, link, workshop["title"])


@bp.get("/f/<key>/notes/<note_id>")
@for_facilitator
def note_page(workshop, key, note_id):
    """One note where it stands: text, author and city, room and group, details, tags, votes."""
    with get_store().read() as db:
        notes = [note for note in workshop_notes(db, workshop) if note["id"] == note_id]
    if not notes:
        abort(404)
    return render_template("note.html", key=key, workshop=workshop, note=notes[0])
