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
    # What `sync` answers return to one address, in rows (ops, or notes of a fresh board), across
    # all its connections and reconnects: a page of 200 costs 201. A whole venue behind one NAT
    # address syncs once each after a blip (a few rows each); a script looping `sync {since: 0}`
    # gets a page now and then. A sync is served while the address has any left; its rows are
    # charged afterwards.
    "sync_rows_per_second": 500,
    "sync_rows_burst": 5000,
    # Joins per address: a whole venue behind one NAT address (hundreds of people) rejoins at
    # once after a wifi blip; one join is a short write, so this stops only a script.
    "joins_per_minute": 1200,
    "joins_burst": 500,
    "uploads_per_minute": 12,  # photos per participant (or facilitator)
    "uploads_burst": 10,
    # Refused events (too large, too fast, malformed...) count as strikes against the connection
    # and its address. A connection out of strikes is closed; an address out of strikes cannot
    # open sockets until it has some again. Honest clients see a refusal now and then, not dozens.
    "strikes_per_second": 0.5,  # per connection
    "strikes_burst": 20,
    "address_strikes_per_second": 2,
    "address_strikes_burst": 200,
    # Exports (downloads, printable pages, ZIPs) and imports, per address.
    "heavy_per_minute": 30,
    "heavy_burst": 20,
}
# What a refusal costs in strikes, by its code (others cost 1; a conflict or a missing note is
# what concurrent editing gives honest people, so it costs nothing; so does a room link that
# leads a person to where the facilitator placed them).
STRIKE_COST = {"too_large": 4, "conflict": 0, "not_found": 0, "locked": 0, "closed": 0,
               "placed": 0}


TOO_FAST = Refused("rate_limited", N_("You are sending changes too fast. Wait a moment and try "
                                      "again."))


class Buckets:
    """Token buckets by key: `rate` tokens a second, at most `burst` saved up."""

    def __init__(self, rate, burst, clock=time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self._state = {}
        self._lock = threading.Lock()

    def take(self, key, cost=1, drain=False):
        """Take `cost` tokens for `key`; return False when its bucket has fewer than that
        (a cost of 0 only asks whether one token is there; `drain` empties it then)."""
        now = self.clock()
        with self._lock:
            tokens, then = self._state.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens < max(cost, 1):
                self._state[key] = (min(tokens, 0) if drain else tokens, now)
                return False
            self._state[key] = (tokens - cost, now)
            if len(self._state) > 50_000:
                self._forget_full(now)
            return True

    def _forget_full(self, now):
        for key, (tokens, then) in list(self._state.items()):
            if tokens + (now - then) * self.rate >= self.burst:
                del self._state[key]

    def spend(self, key, cost):
        """Take `cost` tokens for `key` even if that leaves it owing (down to minus a burst)."""
        now = self.clock()
        with self._lock:
            tokens, then = self._state.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            self._state[key] = (max(tokens - cost, -self.burst), now)

    def forget(self, key):
        with self._lock:
            self._state.pop(key, None)


class Limits:
    def __init__(self, settings=None, clock=time.monotonic):
        s = {**DEFAULTS, **(settings or {})}

        def buckets(rate, burst):
            return Buckets(rate, burst, clock)

        self.ops = buckets(s["ops_per_second"], s["ops_burst"])
        self.address_ops = buckets(s["address_ops_per_second"], s["address_ops_burst"])
        self.sync_rows = buckets(s["sync_rows_per_second"], s["sync_rows_burst"])
        self.joins = buckets(s["joins_per_minute"] / 60, s["joins_burst"])
        self.uploads = buckets(s["uploads_per_minute"] / 60, s["uploads_burst"])
        self.heavy = buckets(s["heavy_per_minute"] / 60, s["heavy_burst"])
        self.strikes = buckets(s["strikes_per_second"], s["strikes_burst"])
        self.address_strikes = buckets(s["address_strikes_per_second"],
                                       s["address_strikes_burst"])

    def take_heavy(self, address):
        """One export or import for an address; False when its budget is spent."""
        return self.heavy.take(address)

    def strike(self, sid, address, code):
        """Count a refused event; return False when its connection should now be closed."""
        cost = STRIKE_COST.get(code, 1)
        if not cost:
            return True
        connection_ok = self.strikes.take(sid, cost)
        return self.address_strikes.take(address, cost, drain=True) and connection_ok

    def address_ok(self, address):
        """False while an address is out of strikes: it may not open sockets."""
        return self.address_strikes.take(address, 0)

    def check_op(self, sid, address):
        if not self.ops.take(sid) or not self.address_ops.take(address):
            raise TOO_FAST

    def check_sync(self, sid, address):
        """A sync: one op of the rate limit, and the address must have sync rows left (it may
        owe after a big answer: then it waits until they have come back)."""
        self.check_op(sid, address)
        if not self.sync_rows.take(address, 0):
            raise TOO_FAST

    def spend_sync(self, sid, address, rows):
        """Charge what a sync returned: its rows to the address's sync budget (one more for the
        answer itself), and one op for every 50 rows to the connection and address."""
        self.sync_rows.spend(address, rows + 1)
        self.spend(sid, address, rows // 50)

    def spend(self, sid, address, cost):
        """Charge an answer that cost more than one op (a big sync) to its connection and address."""
        if cost > 0:
            self.ops.spend(sid, cost)
            self.address_ops.spend(address, cost)

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
        self.strikes.forget(sid)
