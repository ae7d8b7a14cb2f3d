"""Action details on a note: URBACT's Action Table fields, their rules, and status by group.

Any note may carry `details` (lead, partners, outputs, start, end, resources, status). They are
stored as a JSON object holding only the fields that are set; a note without any has none.
On an action-table board each of the four groups stands for a status (`note_groups.status`), and a
note arriving in such a group takes that status in the same op.
"""

import json
import re

from .errors import invalid
from .i18n import N_, gettext

TEXT_FIELDS = ("lead", "partners", "outputs", "resources")
FIELDS = ("lead", "partners", "outputs", "start", "end", "resources", "status")
STATUSES = ("idea", "planned", "in-progress", "done", "dropped")
# How an action plan orders its rows, and the word shown for each status (translated where it
# is shown: `status_word`).
STATUS_ORDER = ("in-progress", "planned", "idea", "done", "dropped")
STATUS_WORDS = {"idea": N_("Idea"), "planned": N_("Planned"), "in-progress": N_("In progress"),
                "done": N_("Done"), "dropped": N_("Dropped")}
LABELS = {"lead": N_("Lead"), "partners": N_("Key partners"), "outputs": N_("Intended outputs"),
          "start": N_("Start month"), "end": N_("End month"), "resources": N_("Resources"),
          "status": N_("Status")}
MAX_TEXT = 200
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _text(key, value):
    if not isinstance(value, str):
        raise invalid("%(field)s must be text.", field=f"details.{key}")
    value = value.strip()
    if "\x00" in value:
        raise invalid("%(field)s contains a character that is not allowed.", field=f"details.{key}")
    if len(value) > MAX_TEXT:
        raise invalid("%(field)s is too long (at most %(most)s characters).", field=f"details.{key}",
                      most=MAX_TEXT)
    return value


def _month(key, value):
    if not isinstance(value, str) or not _MONTH.fullmatch(value):
        raise invalid("%(field)s must be a month written YYYY-MM, such as 2027-01.",
                      field=f"details.{key}")
    return value


def _status(key, value):
    if value not in STATUSES or not isinstance(value, str):
        raise invalid("%(field)s must be one of: %(choices)s.", field="details.status",
                      choices=", ".join(STATUSES))
    return value


_RULES = {**{key: _text for key in TEXT_FIELDS}, "start": _month, "end": _month,
          "status": _status}


class DetailsRule:
    """The `details` field of an op: an object of known keys; null (or "") clears a key."""

    label = "details"

    def __call__(self, value):
        if not isinstance(value, dict):
            raise invalid("details must be an object with some of: %(fields)s.",
                          fields=", ".join(FIELDS))
        for key in value:
            if key not in _RULES:
                shown = key[:40] if isinstance(key, str) else key
                raise invalid("details: unknown field %(field)s (known: %(fields)s).",
                              field=repr(shown), fields=", ".join(FIELDS))
        clean = {}
        for key in FIELDS:
            if key in value:
                given = value[key]
                clean[key] = None if given is None else _RULES[key](key, given)
                if clean[key] == "":
                    clean[key] = None  # an empty text is the same as no value
        return clean


DETAILS = DetailsRule()


def merge(current, changes):
    """The details after applying `changes` (None clears a key, keys left out are kept).

    Returns a dict of the fields that are set, in the fixed order, or None when none is; raises
    `invalid` when the start would come after the end.
    """
    merged = dict(current or {})
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    if merged.get("start") and merged.get("end") and merged["start"] > merged["end"]:
        raise invalid("details.start (%(start)s) cannot be after details.end (%(end)s).",
                      start=merged["start"], end=merged["end"])
    ordered = {key: merged[key] for key in FIELDS if merged.get(key) is not None}
    return ordered or None


def check_stored(value, label="details"):
    """Whole details from an import: the same rules, every key set; returns a dict or None."""
    if value is None:
        return None
    return merge(None, DETAILS(value))  # the import names the room, group and note


def decode(value):
    """Stored details (JSON text or None) as a dict, or None."""
    if value is None or isinstance(value, dict):
        return value
    return json.loads(value)


def encode(details):
    return None if not details else json.dumps(details, ensure_ascii=False)


def with_status(details, status):
    """Details with their status set to `status` (None: unchanged)."""
    if status is None or (details or {}).get("status") == status:
        return details
    return merge(details, {"status": status})


def status_word(status):
    """A status as a person reads it, in the current language ("In progress", "In corso")."""
    return gettext(STATUS_WORDS[status])


def timescale(details):
    """"2027-01 → 2027-06", "from 2027-01", "until 2027-06" (in the current language), or ""."""
    details = details or {}
    start, end = details.get("start"), details.get("end")
    if start and end:
        return start if start == end else f"{start} → {end}"
    if start:
        return gettext("from %(start)s", start=start)
    if end:
        return gettext("until %(end)s", end=end)
    return ""


def summary(details):
    """One line of details: lead, timescale and status, for Markdown and printed pages."""
    details = details or {}
    parts = []
    if details.get("lead"):
        parts.append(gettext("Lead: %(lead)s", lead=details["lead"]))
    if details.get("partners"):
        parts.append(gettext("Partners: %(partners)s", partners=details["partners"]))
    if details.get("outputs"):
        parts.append(gettext("Outputs: %(outputs)s", outputs=details["outputs"]))
    if timescale(details):
        parts.append(timescale(details))
    if details.get("resources"):
        parts.append(gettext("Resources: %(resources)s", resources=details["resources"]))
    if details.get("status"):
        parts.append(status_word(details["status"]))
    return " · ".join(parts)
