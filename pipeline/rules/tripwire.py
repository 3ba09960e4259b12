"""Tripwire: an object crosses a counting line in the configured direction (a momentary incident).

The engine evaluates tripwires on the counting lines' crossings (``RuleEngine._crossed``), so the rule type
registers no evaluator of its own.
"""

from __future__ import annotations

from pipeline.caption.phrases import heading, subject
from pipeline.rules.registry import RuleSpec, register


def _caption(f: dict) -> str:
    h = heading(f)
    line = f" line {f['line']}" if f.get("line") else " a tripwire"
    cam = f" on camera {f['camera']}" if f.get("camera") else ""
    return f"{subject(f, 'object')} crossed{line}{f' ({h})' if h else ''}{cam}"


register(RuleSpec("tripwire", None, _caption))
