"""The brief of a bilateral call between two cities: what they share, and where each stands.

For each city: its challenges (notes in a "Challenges" group), its stakeholders (notes on a map
room), and its open actions (actions not done or dropped). Every line links to its note.
"""

from . import details as action
from .action_plan import status_of
from .exports import md_inline, md_line
from .i18n import N_, gettext
from .workshops import is_map

CHALLENGE_GROUPS = ("challenges", "challenge")
# Each city's three lists: key in the brief's data, and the heading people read.
SIDES = (("challenges", N_("Challenges")), ("stakeholders", N_("Stakeholders")),
         ("actions", N_("Open actions")))


def for_city(note, city):
    return note["city"] == city or city in note["tags"]


def is_challenge(note):
    return note["group"].casefold() in CHALLENGE_GROUPS or (
        note["template"] == "challenges-ideas-actions" and note["group_position"] == 0)


def is_open_action(note):
    if not (note["details"] or note["template"] == "action-table"):
        return False
    status = status_of(note, {"status": note["group_status"]})
    return status not in ("done", "dropped")


def line(note, link, meta=""):
    return {"id": note["id"], "text": note["text"], "link": link(note["id"]), "meta": meta,
            "author": note["author"], "room": note["room_name"], "group": note["group"]}


def action_meta(note, with_status=True):
    status = status_of(note, {"status": note["group_status"]})
    parts = [action.status_word(status)] if with_status else []
    details = note["details"] or {}
    if details.get("lead"):
        parts.append(gettext("Lead: %(lead)s", lead=details["lead"]))
    if action.timescale(details):
        parts.append(action.timescale(details))
    return " · ".join(parts)


def build(result, notes, pair, link, title):
    """The brief's data: the pair, its score and shared terms, and each city's three lists."""
    found = next((p for p in result["pairs"] if set(p["cities"]) == set(pair)), None)
    by_id = {note["id"]: note for note in notes}
    shared = []
    for term in (found or {}).get("shared", []):
        shared.append({"term": term["term"], "notes": [
            {**line(by_id[n["id"]], link), "city": n["city"]} for n in term["notes"]
            if n["id"] in by_id]})
    cities = []
    for city in pair:
        mine = [note for note in notes if for_city(note, city)]
        cities.append({
            "city": city,
            "challenges": [line(n, link) for n in mine if is_challenge(n)],
            "stakeholders": [line(n, link, n["group"]) for n in mine
                             if is_map(n["template"])],
            "actions": sorted(
                ({**line(n, link, action_meta(n)),
                  "status": status_of(n, {"status": n["group_status"]})}
                 for n in mine if is_open_action(n)),
                key=lambda entry: action.STATUS_ORDER.index(entry["status"])),
        })
    return {"title": title, "cities": pair, "score": found["score"] if found else 0.0,
            "shared": shared, "sides": cities}


def _item(entry):
    text = " ".join(entry["text"].split())
    meta = f" — {md_inline(entry['meta'])}" if entry.get("meta") else ""
    return f"- [{md_line(text)}]({entry['link']}){meta}"


def to_markdown(brief):
    """The brief as Markdown, its headings in the current language."""
    a, b = brief["cities"]
    title = gettext("%(city_a)s + %(city_b)s: brief for the bilateral call", city_a=md_inline(a),
                    city_b=md_inline(b))
    lines = [f"# {title}", "", md_inline(brief["title"]), "",
             f"## {gettext('What they share')}", ""]
    if brief["shared"]:
        for term in brief["shared"]:
            lines.append(f"### {md_inline(term['term'])}")
            lines.append("")
            lines += [_item({**n, "meta": n["city"]}) for n in term["notes"]]
            lines.append("")
    else:
        lines += [f"*{gettext('No shared terms in their notes yet.')}*", ""]
    for side in brief["sides"]:
        lines += [f"## {md_inline(side['city'])}", ""]
        for key, heading in SIDES:
            lines += [f"### {gettext(heading)}", ""]
            lines += [_item(entry) for entry in side[key]] or [f"*{gettext('None yet.')}*"]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
