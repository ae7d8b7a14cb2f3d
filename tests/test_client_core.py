"""The browser code is one client core shared by the room page, the lobby and the console.

- the reducer and state unit tests in tests/js run with Node's built-in runner (`node --test`);
- the console's modules use the shared core and hold no copy of participant code: no run of six
  code lines of a console file stands again in any other file of static/js (the `duplicates` tool,
  on developers' machines, checks the same by shape as well).
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "static" / "js"
RUN = 6  # shared lines that make a copy


def test_node_unit_tests_of_the_client_core_pass():
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is missing: CI must run the browser-module unit tests (apt-get install nodejs)")
        pytest.skip("node is not installed (apt-get install nodejs)")
    result = subprocess.run([node, "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"^# pass [1-9]", result.stdout, re.M), result.stdout[-2000:]


def code_lines(path):
    """(line number, normalised line) of a file's code: no blanks, comments, imports, lone braces."""
    lines = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = " ".join(line.split())
        if (not text or text.startswith(("//", "/*", "*", "import ", "export {"))
                or re.fullmatch(r"[\s{}()\[\];,]*", text)):
            continue
        lines.append((number, text))
    return lines


def runs(path):
    lines = code_lines(path)
    return {tuple(text for _, text in lines[i:i + RUN]): lines[i][0]
            for i in range(len(lines) - RUN + 1)}


def console_files():
    return sorted(JS.glob("console*.js"))


def test_no_console_file_repeats_code_of_another_module():
    others = [path for path in JS.glob("*.js") if not path.name.startswith("console")]
    seen = {}
    for path in others:
        for run, line in runs(path).items():
            seen.setdefault(run, f"{path.name}:{line}")
    copies = [f"{path.name}:{line} ~ {seen[run]}"
              for path in console_files() for run, line in runs(path).items() if run in seen]
    assert not copies, copies
    assert len(console_files()) >= 4


SHARED = {
    "session.js": "join, sync, pending ops, events that arrive early",
    "board-state.js": "the board reducer",
    "note-view.js": "the note view",
    "group-view.js": "the group view",
    "timer-clock.js": "the timer clock",
}
# Functions only the shared core may define.
CORE_FUNCTIONS = ["reduceBoard", "applyBoardOp", "placeNote", "createNote", "updateNote", "createGroup",
                  "renderGroup", "observeTimer", "secondsLeft", "clockText", "createSession",
                  "createConnection", "requestSync", "settlePending"]


def imports(path):
    return set(re.findall(r'from "\./([\w-]+\.js)"', path.read_text(encoding="utf-8")))


def test_console_room_page_and_lobby_are_built_on_the_shared_core():
    console = set().union(*(imports(path) for path in console_files()))
    assert set(SHARED) <= console, f"the console does not use {set(SHARED) - console}"
    room_page = set().union(*(imports(JS / name) for name in ("board.js", "render.js", "state.js", "actions.js",
                                                             "header.js")))
    assert set(SHARED) <= room_page, f"the room page does not use {set(SHARED) - room_page}"
    assert "session.js" in imports(JS / "lobby.js")
    for path in JS.glob("*.js"):
        if path.name in SHARED or path.name in ("connection.js", "pending.js"):
            continue
        text = path.read_text(encoding="utf-8")
        defined = [name for name in CORE_FUNCTIONS
                   if re.search(rf"function\s+{name}\b|\b{name}\s*=\s*(\(|function)", text)]
        assert not defined, f"{path.name} defines its own {defined}"
        # Only the session speaks the join / sync protocol.
        assert not re.search(r'request\("(join|sync)"', text), path.name
