"""Payload rules: each field's type and limits, checked before anything is touched."""

from .errors import invalid
from .i18n import N_

PALETTE = ("yellow", "pink", "green", "blue", "orange", "purple")
DEFAULT_COLOR = "yellow"
MAX_NOTES_PER_ROOM = 5000
MAX_GROUPS_PER_ROOM = 100  # a board with thousands of groups hangs every viewer's page


def _encodable(value):
    """False for text with a lone surrogate (JSON allows "\\ud800"; UTF-8 and SQLite do not)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Text:
    """A string, trimmed at both ends, with a length from `least` to `most` characters."""

    def __init__(self, label, least=1, most=1000):
        self.label, self.least, self.most = label, least, most

    def __call__(self, value):
        if not isinstance(value, str):
            raise invalid("%(field)s must be text.", field=self.label)
        value = value.strip()
        if "\x00" in value or not _encodable(value):
            raise invalid("%(field)s contains a character that is not allowed.", field=self.label)
        if len(value) < self.least:
            raise invalid("%(field)s cannot be empty.", field=self.label)
        if len(value) > self.most:
            raise invalid("%(field)s is too long (at most %(most)s characters).",
                          field=self.label, most=self.most)
        return value


class Id:
    """An opaque id sent back by a client."""

    def __init__(self, label):
        self.label = label

    def __call__(self, value):
        if not isinstance(value, str) or not 1 <= len(value) <= 64 or not _encodable(value):
            raise invalid("%(field)s must be an id (text).", field=self.label)
        return value


class Nullable:
    """A rule whose explicit `null` is kept (meaning "remove"), unlike a missing field."""

    nullable = True

    def __init__(self, rule):
        self.rule, self.label = rule, rule.label

    def __call__(self, value):
        return self.rule(value)


class Choice:
    def __init__(self, label, choices):
        self.label, self.choices = label, tuple(choices)

    def __call__(self, value):
        if value not in self.choices or not isinstance(value, str):
            raise invalid("%(field)s must be one of: %(choices)s.", field=self.label,
                          choices=", ".join(self.choices))
        return value


class Integer:
    def __init__(self, label, least=0, most=2**31):
        self.label, self.least, self.most = label, least, most

    def __call__(self, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise invalid("%(field)s must be a whole number.", field=self.label)
        if not self.least <= value <= self.most:
            raise invalid("%(field)s must be between %(least)s and %(most)s.", field=self.label,
                          least=self.least, most=self.most)
        return value


class Boolean:
    def __init__(self, label):
        self.label = label

    def __call__(self, value):
        if not isinstance(value, bool):
            raise invalid("%(field)s must be true or false.", field=self.label)
        return value


COLOR = Choice(N_("Colour"), PALETTE)
NOTE_TEXT = Text(N_("Note text"), 1, 1000)
PERSON_NAME = Text(N_("Your name"), 1, 60)
GROUP_NAME = Text(N_("Group name"), 1, 80)


class CityName(Text):
    """A city: text that can also be its own page's address (/f/<key>/cities/<city>).

    No slash or backslash (another page would answer: "Milan/export.csv" is Milan's CSV), no
    ".." (path traversal in saved output folders), no line breaks or other control characters.
    """

    def __call__(self, value):
        value = super().__call__(value)
        shown = repr(value[:60])
        if "/" in value or "\\" in value:
            raise invalid("%(field)s %(name)s cannot contain a slash (/ or \\).",
                          field=self.label, name=shown)
        if ".." in value:
            raise invalid("%(field)s %(name)s cannot contain \"..\".", field=self.label,
                          name=shown)
        if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
            raise invalid("%(field)s %(name)s cannot contain line breaks, tabs or other control "
                          "characters.", field=self.label, name=shown)
        return value


CITY = CityName(N_("City"), 1, 60)
WORKSHOP_TITLE = Text(N_("Workshop title"), 1, 120)
ROOM_NAME = Text(N_("Room name"), 1, 80)
ROOM_THEME = Text(N_("Room theme"), 1, 80)
OP_ID = Text("op_id", 1, 64)
ALT = Text(N_("Photo description"), 0, 300)


def check(payload, required=None, optional=None):
    """Return the payload's known fields, cleaned; raise `invalid` naming the first bad one."""
    if not isinstance(payload, dict):
        raise invalid("The message must be a JSON object.")
    clean = {}
    for name, rule in (required or {}).items():
        if payload.get(name) is None:
            raise invalid("%(field)s is missing.", field=rule.label)
        clean[name] = rule(payload[name])
    for name, rule in (optional or {}).items():
        if payload.get(name) is not None:
            clean[name] = rule(payload[name])
        elif name in payload and getattr(rule, "nullable", False):
            clean[name] = None  # an explicit null means "remove" (e.g. a note's photo)
    return clean


class IdList:
    """A list of ids, from 1 to `most` of them, without repeats."""

    def __init__(self, label, most=1000):
        self.label, self.most = label, most

    def __call__(self, value):
        if not isinstance(value, list) or not 1 <= len(value) <= self.most:
            raise invalid("%(field)s must be a list of 1 to %(most)s ids.", field=self.label,
                          most=self.most)
        if not all(isinstance(item, str) and 1 <= len(item) <= 64 for item in value):
            raise invalid("%(field)s must hold ids (text).", field=self.label)
        return list(dict.fromkeys(value))
