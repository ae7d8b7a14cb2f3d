"""Run CPU-heavy work (image decoding, big renderings) off the event loop.

Under eventlet a long computation in a green thread stalls every socket. `app.py`, the only
module that knows eventlet, installs `eventlet.tpool.execute` as the runner; tests and other
async modes run the work inline (threading mode already runs each request in its own thread).

Only pure work may be offloaded: read what it needs from the database first, pass it in, and
write its result afterwards. The database connection and its lock belong to the event loop.
"""

import os
import threading

_runner = None
# Offloaded work runs at a lower CPU priority than the event loop: on 2 cores, two photos being
# decoded would otherwise take both cores and every socket's next message would wait for one.
BACKGROUND_NICE = 10
_local = threading.local()


def set_runner(runner):
    """Install `runner(fn, *args, **kwargs)`, which runs fn in an OS thread and returns its result."""
    global _runner
    _runner = runner


def offload(fn, *args, **kwargs):
    """Return fn(*args, **kwargs), computed in an OS thread when a runner is installed."""
    if _runner is None:
        return fn(*args, **kwargs)
    return _runner(_in_background, fn, *args, **kwargs)


def _in_background(fn, *args, **kwargs):
    """In the worker thread: lower this thread's priority once (Linux: per thread), then run fn."""
    if not getattr(_local, "lowered", False):
        _local.lowered = True
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(),
                           os.getpriority(os.PRIO_PROCESS, 0) + BACKGROUND_NICE)
        except (AttributeError, OSError):
            pass  # not Linux, or not allowed: the work still runs, at the loop's priority
    return fn(*args, **kwargs)
