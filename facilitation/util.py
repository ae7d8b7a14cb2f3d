"""Ids, secrets and timestamps."""

import secrets
from datetime import datetime, timezone


def now_iso():
    """Return the current time as ISO 8601 UTC with milliseconds, e.g. 2026-11-22T09:30:00.123Z."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id():
    """Return an opaque id for a stored object."""
    return secrets.token_urlsafe(9)


def new_room_code():
    """Return an unguessable room code (72 bits), safe in a URL."""
    return secrets.token_urlsafe(9)


def new_facilitator_key():
    """Return an unguessable facilitator key (192 bits)."""
    return secrets.token_urlsafe(24)


def new_participant_token():
    """Return the secret a browser keeps to come back as the same participant (192 bits)."""
    return secrets.token_urlsafe(24)
