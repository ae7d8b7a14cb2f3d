"""The one error shape: a refusal with a machine code and a message a person can read."""


class Refused(Exception):
    """An event or request that cannot be carried out; nothing was changed."""

    def __init__(self, code, message, **details):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details  # extra fields for the client, e.g. the note as it is now

    def as_ack(self):
        return {"ok": False, "error": self.message, "code": self.code, **self.details}


def invalid(message):
    return Refused("invalid", message)


def not_found(message):
    return Refused("not_found", message)


def forbidden(message):
    return Refused("forbidden", message)


def conflict(message):
    return Refused("conflict", message)
