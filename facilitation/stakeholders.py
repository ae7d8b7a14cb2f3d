"""A city's stakeholders on the map rooms: the register, and what changed between two moments.

Both read export data (JSON format 1: live, a snapshot, or the previous meeting, see
history.py), so they work the same on every moment. A stakeholder is a note on a room of a map
template (`workshops.MAPS`) that is the city's: its author is from the city, or it is tagged
for the city. Its quadrant (stakeholder map) or sector (ecosystem map) is its group.
"""

import csv
import io

from .exports import spreadsheet_safe
from .history import city_notes, match, normalise
from .i18n import N_, gettext
from .workshops import MAPS, TEMPLATES, map_layout

REGISTER_CSV_HEADER = [N_("Map"), N_("Quadrant or sector"), N_("Stakeholder"), N_("Room"),
                       N_("Author"), N_("City"), N_("Also for cities")]
CHANGES = ("added", "removed", "moved", "unchanged")


def map_templates(*datas):
    """The map templates that rooms of these data use, in MAPS order."""
    used = {room["template"] for data in datas for room in data["rooms"]}
    return [template for template in MAPS if template in used]


def template_label(template):
    return TEMPLATES[template][0]


def map_parts(template, *datas):
    """The quadrants or sectors of a template across data: [{"name", "caption", "area"}].

    Groups come in board order from the first room of the template (the later data first, so a
    compare shows the newer board), then any other group name found in the other rooms. Areas
    and captions come with the layout when the first room has exactly four groups.
    """
    rooms = [room for data in datas for room in data["rooms"] if room["template"] == template]
    if not rooms:
        return []
    first = rooms[0]["groups"]
    layout = map_layout(template, len(first))
    parts, seen = [], set()
    for index, group in enumerate(first):
        seen.add(group["name"])
        parts.append({"name": group["name"],
                      "caption": layout["captions"][index] if layout else None,
                      "area": layout["areas"][index] if layout else None})
    for room in rooms[1:]:
        for group in room["groups"]:
            if group["name"] not in seen:
                seen.add(group["name"])
                parts.append({"name": group["name"], "caption": None, "area": None})
    # A fifth group breaks the 2×2: then every part is drawn as a column.
    if len(parts) != 4:
        for part in parts:
            part["area"] = None
    return parts


def room_map(room):
    """A room of export data as its 2×2 map for a page (parts with their notes), or None."""
    layout = map_layout(room["template"], len(room["groups"]))
    if layout is None:
        return None
    parts = [{"name": group["name"], "caption": layout["captions"][index],
              "area": layout["areas"][index], "notes": group["notes"]}
             for index, group in enumerate(room["groups"])]
    return {"axes": layout["axes"], "grid": True, "parts": parts}


def empty_flag(template, group):
    """What an empty quadrant or sector is called: "No Knowledge partner yet"."""
    if MAPS[template]["part"] == "sector":
        return gettext("No %(sector)s partner yet", sector=group)
    return gettext("No stakeholder in “%(quadrant)s” yet", quadrant=group)


def stakeholder(note):
    return {"text": note["text"], "room": note["room"], "author": note["author"],
            "city": note["city"], "tags": note.get("tags", []), "color": note["color"]}


def register(data, city):
    """One city's stakeholders: by map template, then quadrant or sector, with counts and flags."""
    maps = []
    for template in map_templates(data):
        notes = city_notes(data, city, {template})
        parts = []
        for part in map_parts(template, data):
            found = [stakeholder(note) for note in notes if note["group"] == part["name"]]
            parts.append({"name": part["name"], "caption": part["caption"], "area": part["area"],
                          "count": len(found), "stakeholders": found})
        maps.append({
            "template": template, "label": template_label(template),
            "part": MAPS[template]["part"], "axes": MAPS[template]["axes"],
            "rooms": [room["name"] for room in data["rooms"] if room["template"] == template],
            "count": len(notes), "groups": parts,
            "empty": [part["name"] for part in parts if not part["count"]],
            "flags": [empty_flag(template, part["name"]) for part in parts if not part["count"]],
        })
    return {"city": city, "workshop": data["workshop"]["title"],
            "count": sum(entry["count"] for entry in maps), "maps": maps}


def register_csv(reg):
    """The register as CSV: one row per stakeholder (the caller adds the BOM)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([gettext(column) for column in REGISTER_CSV_HEADER])
    for entry in reg["maps"]:
        for part in entry["groups"]:
            for item in part["stakeholders"]:
                row = [entry["label"], part["name"], item["text"], item["room"], item["author"],
                       item["city"], ", ".join(item["tags"])]
                writer.writerow([spreadsheet_safe(cell) for cell in row])
    return out.getvalue()


def sort_key(item):
    return (item["text"].casefold(), item["template"], item.get("group") or item["to_group"])


def compare(old, new, city):
    """What changed for a city's stakeholders from export data `old` to `new`.

    Returns {"added", "removed", "moved", "unchanged"}, each sorted by text, casefolded, items
    as the JSON answer has them plus "was" (the older text, when it changed), "room" and
    "color" for the page. Notes match within one map template: by lineage, then by text.
    """
    changes = {kind: [] for kind in CHANGES}
    for template in map_templates(old, new):
        pairs, removed, added = match(city_notes(old, city, {template}),
                                      city_notes(new, city, {template}))
        for note in added:
            changes["added"].append(_item(note, template))
        for note in removed:
            changes["removed"].append(_item(note, template))
        for before, after in pairs:
            item = _item(after, template)
            if normalise(before["text"]) != normalise(after["text"]):
                item["was"] = before["text"]
            if before["group"] != after["group"]:
                item.pop("group")
                changes["moved"].append({**item, "from_group": before["group"],
                                         "to_group": after["group"]})
            else:
                changes["unchanged"].append(item)
    for items in changes.values():
        items.sort(key=sort_key)
    return changes


def _item(note, template):
    return {"text": note["text"], "group": note["group"], "template": template,
            "room": note["room"], "color": note["color"]}


def public_changes(changes):
    """The changes as the JSON answer has them, exactly: text, group(s) and template."""
    fields = {"added": ("text", "group", "template"), "removed": ("text", "group", "template"),
              "moved": ("text", "from_group", "to_group", "template"),
              "unchanged": ("text", "group", "template")}
    return {kind: [{field: item[field] for field in fields[kind]} for item in changes[kind]]
            for kind in CHANGES}


def summary(changes):
    """"+3 added · 1 removed · 2 moved"."""
    return (f"+{len(changes['added'])} added · {len(changes['removed'])} removed · "
            f"{len(changes['moved'])} moved")


def compare_grid(old, new, city, changes):
    """The compare page's maps: each template's parts with the items to draw in each.

    An item is drawn where it stands in the newer moment; a removed one where it stood.
    """
    maps = []
    for template in map_templates(old, new):
        parts = map_parts(template, new, old)
        cells = {part["name"]: [] for part in parts}
        for kind in CHANGES:
            for item in changes[kind]:
                if item["template"] != template:
                    continue
                place = item["to_group"] if kind == "moved" else item["group"]
                cells.setdefault(place, []).append({**item, "kind": kind})
        maps.append({"template": template, "label": template_label(template),
                     "part": MAPS[template]["part"], "axes": MAPS[template]["axes"],
                     "parts": [{**part, "items": cells[part["name"]]} for part in parts],
                     "grid": all(part["area"] for part in parts)})
    return maps
