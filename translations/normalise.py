"""Fixed dates in the catalogues' headers (run by `make messages`).

pybabel writes the time of each run into POT-Creation-Date and PO-Revision-Date, and into the
compiled .mo files: every run, on every branch, would change all of them and make them clash.
"""

import pathlib
import re

HERE = pathlib.Path(__file__).resolve().parent
DATE = re.compile(r'^"(POT-Creation|PO-Revision)-Date: .*\\n"$', re.M)

for path in [*HERE.glob("*.pot"), *HERE.glob("*/LC_MESSAGES/*.po")]:
    text = path.read_text(encoding="utf-8")
    fixed = DATE.sub(lambda m: f'"{m.group(1)}-Date: 2026-01-01 00:00+0000\\n"', text)
    if fixed != text:
        path.write_text(fixed, encoding="utf-8")
