"""Ids, secrets and timestamps."""

import secrets
import time
from datetime import datetime, timezone


def now_iso():
    """Return the current time as ISO 8601 UTC with milliseconds, e.g. 2026-11-22T09:30:00.123Z."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_DIGITS = "0123456789abcdefghijklmnopqrstuv"  # in ASCII order, so the text sorts as the number


def new_id():
    """Return an opaque id for a stored object: the time in milliseconds (9 characters that sort
    in time order), then 72 random bits.

    Ids made one after another sort one after another, so SQLite appends new rows' ids to the
    end of their indexes (a few pages written per transaction) instead of scattering them over
    the whole index, as fully random ids did (a page per note).
    """
    stamp, digits = time.time_ns() // 1_000_000, []
    for _ in range(9):
        stamp, digit = divmod(stamp, 32)
        digits.append(_DIGITS[digit])
    return "".join(reversed(digits)) + secrets.token_urlsafe(9)


def new_room_code():
    """Return an unguessable room code (72 bits), safe in a URL."""
    return secrets.token_urlsafe(9)


def new_facilitator_key():
    """Return an unguessable facilitator key (192 bits)."""
    return secrets.token_urlsafe(24)


def new_participant_token():
    """Return the secret a browser keeps to come back as the same participant (192 bits)."""
    return secrets.token_urlsafe(24)
