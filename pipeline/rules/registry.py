"""The rule registry: each rule module declares its rule type once, here is where they meet.

A rule module ends with ``register(RuleSpec(...))``: the evaluator class the engine builds for each configured
rule of that type, the object classes it watches when the config names none, and the caption phrase the
template captioner uses for its incidents. The engine, the evaluators' class defaults and the captioner read
them from here, so adding a rule type is one new module plus its config model and search words in the wire
contract (which the center validates without numpy), instead of edits in seven places.

Example:
    >>> rule_spec("loitering").evaluator.__name__
    'LoiteringEvaluator'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# The modules that register rule types (imported on first look-up; they import this module, not the reverse).
RULE_MODULES = (
    "pipeline.rules.object_rules",
    "pipeline.rules.loitering",
    "pipeline.rules.zone_rules",
    "pipeline.rules.motion_rules",
    "pipeline.rules.tripwire",
)


@dataclass(frozen=True)
class RuleSpec:
    """One rule type.

    Attributes:
        type: the config's ``type`` tag and the incident type it raises.
        evaluator: ``RuleEvaluator`` subclass built per configured rule; None when the engine wires the rule
            itself (tripwires ride on the counting lines).
        caption: facts -> the caption sentence without its final full stop (see ``pipeline.caption.phrases``).
        default_classes: classes watched when the rule's ``classes`` is None (None = every class).
    """

    type: str
    evaluator: type | None
    caption: Callable[[dict[str, Any]], str]
    default_classes: frozenset[str] | None = None


_RULES: dict[str, RuleSpec] = {}
_loaded = False


def register(spec: RuleSpec) -> RuleSpec:
    """Declare a rule type (once, at the bottom of its module)."""
    if spec.type in _RULES and _RULES[spec.type] != spec:
        raise ValueError(f"rule type {spec.type!r} is registered twice")
    _RULES[spec.type] = spec
    return spec


def rules() -> dict[str, RuleSpec]:
    """Every registered rule type, by type."""
    global _loaded
    if not _loaded:
        for name in RULE_MODULES:
            importlib.import_module(name)
        _loaded = True
    return dict(_RULES)


def rule_spec(rule_type: str) -> RuleSpec:
    """The spec of one rule type; ``KeyError`` naming the known types when it has none."""
    specs = rules()
    if rule_type not in specs:
        raise KeyError(f"no rule module registers type {rule_type!r} (registered: {sorted(specs)})")
    return specs[rule_type]


__all__ = ["RULE_MODULES", "RuleSpec", "register", "rule_spec", "rules"]
