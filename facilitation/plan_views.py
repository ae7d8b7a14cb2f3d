"""HTTP edge for what comes after the breakouts: a city's action plan. Thin."""

import json

from flask import Blueprint, Response, abort, jsonify, render_template, request

from . import action_plan
from .db import get_store
from .details import STATUS_ORDER, STATUSES, status_word, timescale
from .errors import Refused
from .export_views import city_of, content_disposition, for_facilitator
from .exports import safe_name, workshop_data
from .history import resolve_ref
from .i18n import gettext
from .offload import offload
from .snapshots import list_snapshots

bp = Blueprint("plans", __name__)
PLAN_FORMATS = {"csv": "text/csv", "json": "application/json",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def init_app(app):
    app.register_blueprint(bp)
    app.add_template_filter(timescale, "timescale")


def attachment(body, mimetype, name, disposition="attachment"):
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(name, disposition)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def plan_of(workshop, city):
    """(export data now, the city's plan, "since then" for ?from= or None).

    An unknown ref raises `Refused` (not_found) with a message a person reads."""
    ref = request.args.get("from")
    with get_store().read() as db:
        data = workshop_data(db, workshop)
        moment = resolve_ref(db, workshop, ref) if ref else None
    plan = action_plan.rows(data, city)
    if moment is None:
        return data, plan, None
    old = action_plan.rows(moment.data, city)
    return data, plan, action_plan.since(old, plan, moment.label())


@bp.get("/f/<key>/cities/<path:city>/action-plan")
@for_facilitator
def action_plan_page(workshop, key, city):
    """The city's action plan as a printable table, with its downloads."""
    city = city_of(workshop, city)
    try:
        data, plan, since = plan_of(workshop, city)
    except Refused as refused:
        return render_template("not_found.html", message=refused.text()), 404
    return render_template(
        "action_plan.html", key=key, city=city, workshop=data["workshop"], plan=plan,
        counts=action_plan.counts(plan), since=since,
        words={status: status_word(status) for status in STATUSES},
        order=STATUS_ORDER, columns=action_plan.COLUMNS, updated=action_plan.updated(plan),
        snapshots=list_snapshots(get_store(), workshop["id"]), ref=request.args.get("from"),
        follows=bool(workshop["follows"]))


@bp.get("/f/<key>/cities/<path:city>/action-plan.<fmt>")
@for_facilitator
def action_plan_export(workshop, key, city, fmt):
    """The city's action plan as csv, json or xlsx."""
    if fmt not in PLAN_FORMATS:
        abort(404)
    city = city_of(workshop, city)
    try:
        data, plan, since = plan_of(workshop, city)
    except Refused as refused:
        return jsonify(error=refused.text()), 404
    name = f"{data['workshop']['title']} - {city} - {gettext('Action plan')}.{fmt}"
    if fmt == "json":
        body = json.dumps(action_plan.plan_json(data, city, plan, since), ensure_ascii=False,
                          indent=2) + "\n"
        return attachment(body.encode(), PLAN_FORMATS[fmt], name)
    if fmt == "csv":
        return attachment(action_plan.to_csv(plan).encode("utf-8-sig"), PLAN_FORMATS[fmt], name)
    # Headings, status words and the sheet's name in the request's language, taken here: the
    # workbook is made in a thread of its own.
    title = safe_name(gettext("%(city)s action plan", city=city), 31)
    body = offload(action_plan.to_xlsx, plan, title, action_plan.headings())
    return attachment(body, PLAN_FORMATS[fmt], name)
