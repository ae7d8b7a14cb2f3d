"""The one error shape: a refusal with a machine code and a message a person can read.

The message is English with `%(name)s` placeholders, marked for translation: it is a string
literal at the call (`pybabel` extracts the first argument of `invalid`, `not_found`,
`forbidden`, `conflict` and the second of `Refused`), its values passed as keyword parameters,
never built with an f-string. The edge translates it into the language of the request or the
socket (`text(code)`, `as_ack(code)`); `message` is the English text, for logs and scripts.
"""

from .i18n import translate


class Refused(Exception):
    """An event or request that cannot be carried out; nothing was changed."""

    def __init__(self, code, message, params=None, **details):
        self.code = code
        self.template = message
        self.params = dict(params or {})
        self.details = details  # extra fields for the client, e.g. the note as it is now
        super().__init__(self.message)

    @property
    def message(self):
        """The message in English, placeholders filled."""
        return self.template % self.params if self.params else str(self.template)

    def text(self, language=None):
        """The message in a language (by default the current request's)."""
        return translate(self.template, language, **self.params)

    def as_ack(self, language=None):
        return {"ok": False, "error": self.text(language), "code": self.code, **self.details}


def invalid(message, **params):
    return Refused("invalid", message, params)


def not_found(message, **params):
    return Refused("not_found", message, params)


def forbidden(message, **params):
    return Refused("forbidden", message, params)


def conflict(message, **params):
    return Refused("conflict", message, params)
