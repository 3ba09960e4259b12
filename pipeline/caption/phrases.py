"""Phrase helpers for template captions: subjects, places, durations (shared by the rules' caption phrases)."""

from __future__ import annotations

from typing import Any

_PLURALS = {"person": "people", "bus": "buses", "bicycle": "bicycles", "motorcycle": "motorcycles"}
DIRECTION_PHRASES = {
    "left": "heading left",
    "right": "heading right",
    "away": "heading away from the camera",
    "toward": "heading toward the camera",
    "in": "inbound",
    "out": "outbound",
}


def format_duration(seconds: float) -> str:
    """Human duration: ``12 s``, ``2 min 10 s``, ``1 h 5 min``.

    Example:
        >>> format_duration(130)
        '2 min 10 s'
    """
    s = max(0, int(round(float(seconds))))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        m, r = divmod(s, 60)
        return f"{m} min {r} s" if r else f"{m} min"
    h, r = divmod(s, 3600)
    m = r // 60
    return f"{h} h {m} min" if m else f"{h} h"


def article(phrase: str) -> str:
    return "An" if phrase[:1].lower() in "aeiou" else "A"


def plural(noun: str, n: int) -> str:
    if n == 1:
        return noun
    return _PLURALS.get(noun, noun if noun.endswith("s") else noun + "s")


def num(value: Any) -> float | None:
    try:
        return None if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        return None


def subject(facts: dict[str, Any], default: str = "object") -> str:
    """``A white car`` / ``A person in red`` / ``An object``: colour goes before things, after people."""
    cls = str(facts.get("object_class") or default).replace("_", " ")
    colour = facts.get("colour")
    if colour and cls == "person":
        return f"A person in {colour}"
    phrase = f"{colour} {cls}" if colour else cls
    return f"{article(phrase)} {phrase}"


def where(facts: dict[str, Any]) -> str:
    parts = []
    if facts.get("zone"):
        parts.append(f"in zone {facts['zone']}")
    if facts.get("line") and not facts.get("zone"):
        parts.append(f"at line {facts['line']}")
    if facts.get("camera"):
        parts.append(f"on camera {facts['camera']}")
    return (" " + " ".join(parts)) if parts else ""


def for_(facts: dict[str, Any], *keys: str) -> str:
    for key in keys:
        secs = num(facts.get(key))
        if secs is not None and secs > 0:
            return f" for {format_duration(secs)}"
    return ""


def heading(facts: dict[str, Any]) -> str:
    """The travel direction as a phrase (``heading left``, ``inbound``), or empty."""
    return DIRECTION_PHRASES.get(str(facts.get("direction") or "").lower(), "")
