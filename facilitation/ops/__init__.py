"""Every change to a workshop's boards is an op: the pipeline, then one module per family of op types.

`run_op` (in `pipeline`) is the one way in. Each family module registers its op types with
`registry.operation` when imported here.
"""

from .pipeline import Broadcast, Change, Notice, Outcome, check_op, find_open_room, run_op
from .registry import REGISTRY, OpType, operation
from . import board, lobby, pairing, rooms, spotlight, tags, votes  # noqa: E402,F401  (registers the op types)

__all__ = ["REGISTRY", "Broadcast", "Change", "Notice", "OpType", "Outcome", "check_op",
           "find_open_room", "operation", "run_op"]
