"""Rate limits for the Socket.IO edge: token buckets per connection and per address.

One client flooding ops or joins is answered with a readable error and slowed down, while
everyone else's events go through as usual.
"""

import threading
import time

from .errors import Refused
from .i18n import N_

# Defaults; app config FACILITATION_LIMITS overrides any of them.
DEFAULTS = {
    "ops_per_second": 20,  # per connection, sustained
    "ops_burst": 60,
    "address_ops_per_second": 100,  # all connections of one address (a whole office behind NAT)
    "address_ops_burst": 300,
    "joins_per_minute": 60,  # per address
    "joins_burst": 60,
    "uploads_per_minute": 12,  # photos per participant (or facilitator)
    "uploads_burst": 10,
}


class Buckets:
    """Token buckets by key: `rate` tokens a second, at most `burst` saved up."""

    def __init__(self, rate, burst, clock=time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self._state = {}
        self._lock = threading.Lock()

    def take(self, key):
        """Take a token for `key`; return False when its bucket is empty."""
        now = self.clock()
        with self._lock:
            tokens, then = self._state.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens < 1:
                self._state[key] = (tokens, now)
                return False
            self._state[key] = (tokens - 1, now)
            if len(self._state) > 50_000:
                self._forget_full(now)
            return True

    def _forget_full(self, now):
        for key, (tokens, then) in list(self._state.items()):
            if tokens + (now - then) * self.rate >= self.burst:
                del self._state[key]

    def forget(self, key):
        with self._lock:
            self._state.pop(key, None)


class Limits:
    def __init__(self, settings=None):
        s = {**DEFAULTS, **(settings or {})}
        self.ops = Buckets(s["ops_per_second"], s["ops_burst"])
        self.address_ops = Buckets(s["address_ops_per_second"], s["address_ops_burst"])
        self.joins = Buckets(s["joins_per_minute"] / 60, s["joins_burst"])
        self.uploads = Buckets(s["uploads_per_minute"] / 60, s["uploads_burst"])

    def check_op(self, sid, address):
        if not self.ops.take(sid) or not self.address_ops.take(address):
            raise Refused("rate_limited", N_("You are sending changes too fast. Wait a moment "
                                             "and try again."))

    def check_join(self, address):
        if not self.joins.take(address):
            raise Refused("rate_limited", N_("Too many attempts to join from your connection. "
                                             "Wait a minute and try again."))

    def check_upload(self, uploader_id):
        if not self.uploads.take(uploader_id):
            raise Refused("rate_limited", "You are adding photos too fast. Wait a minute and "
                                          "try again.")

    def forget(self, sid):
        self.ops.forget(sid)
