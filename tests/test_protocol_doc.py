"""docs/protocol.md stays true: every op type the server knows is described there."""

from pathlib import Path

from facilitation.ops import REGISTRY
from facilitation.rules import PALETTE
from facilitation.workshops import TEMPLATES

DOC = (Path(__file__).resolve().parent.parent / "docs" / "protocol.md").read_text()


def test_every_op_type_is_documented():
    missing = [name for name in REGISTRY if f"`{name}`" not in DOC]
    assert missing == []


def test_palette_and_templates_are_documented():
    for color in PALETTE:
        assert f"`{color}`" in DOC
    for template, (_, groups) in TEMPLATES.items():
        assert f"`{template}`" in DOC
        # None: a group per city of the workshop (photo-wall)
        assert ", ".join(groups) in DOC if groups is not None else "one group per city" in DOC
