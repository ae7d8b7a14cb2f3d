"""Run CPU-heavy work (image decoding, big renderings) off the event loop.

Under eventlet a long computation in a green thread stalls every socket. `app.py`, the only
module that knows eventlet, installs `eventlet.tpool.execute` as the runner; tests and other
async modes run the work inline (threading mode already runs each request in its own thread).

Only pure work may be offloaded: read what it needs from the database first, pass it in, and
write its result afterwards. The database connection and its lock belong to the event loop.
"""

_runner = None


def set_runner(runner):
    """Install `runner(fn, *args, **kwargs)`, which runs fn in an OS thread and returns its result."""
    global _runner
    _runner = runner


def offload(fn, *args, **kwargs):
    """Return fn(*args, **kwargs), computed in an OS thread when a runner is installed."""
    if _runner is None:
        return fn(*args, **kwargs)
    return _runner(fn, *args, **kwargs)
