"""Deterministic one-sentence incident captions built from facts alone (no model, no weights)."""

from __future__ import annotations

import time
from typing import Any, Sequence

from pipeline.caption._types import Caption, CaptionRequest

TEMPLATE_MODEL = "template"

_VEHICLES = {"car", "truck", "bus", "motorcycle", "bicycle", "vehicle"}
_PLURALS = {"person": "people", "bus": "buses", "bicycle": "bicycles", "motorcycle": "motorcycles"}
_DIRECTION_PHRASES = {
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


def _article(phrase: str) -> str:
    return "An" if phrase[:1].lower() in "aeiou" else "A"


def _plural(noun: str, n: int) -> str:
    if n == 1:
        return noun
    return _PLURALS.get(noun, noun if noun.endswith("s") else noun + "s")


def _num(value: Any) -> float | None:
    try:
        return None if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        return None


def _subject(facts: dict[str, Any], default: str = "object") -> str:
    """``A white car`` / ``A person in red`` / ``An object``: colour goes before things, after people."""
    cls = str(facts.get("object_class") or default).replace("_", " ")
    colour = facts.get("colour")
    if colour and cls == "person":
        return f"A person in {colour}"
    phrase = f"{colour} {cls}" if colour else cls
    return f"{_article(phrase)} {phrase}"


def _where(facts: dict[str, Any]) -> str:
    parts = []
    if facts.get("zone"):
        parts.append(f"in zone {facts['zone']}")
    if facts.get("line") and not facts.get("zone"):
        parts.append(f"at line {facts['line']}")
    if facts.get("camera"):
        parts.append(f"on camera {facts['camera']}")
    return (" " + " ".join(parts)) if parts else ""


def _for(facts: dict[str, Any], *keys: str) -> str:
    for key in keys:
        secs = _num(facts.get(key))
        if secs is not None and secs > 0:
            return f" for {format_duration(secs)}"
    return ""


def template_caption(facts: dict[str, Any]) -> str:
    """One grammatical sentence for any :class:`~pipeline.types.IncidentType` (and a generic one otherwise).

    Example:
        >>> template_caption({"type": "stopped_vehicle", "object_class": "car", "colour": "white",
        ...                   "zone": "bus-lane", "camera": "Main St", "dwell_s": 130})
        'A white car stopped in zone bus-lane on camera Main St for 2 min 10 s.'
    """
    kind = str(getattr(facts.get("type"), "value", facts.get("type")) or "incident")
    where = _where(facts)
    direction = _DIRECTION_PHRASES.get(str(facts.get("direction") or "").lower(), "")
    heading = f", {direction}" if direction else ""
    count = _num(facts.get("count"))
    if kind == "intrusion":
        text = f"{_subject(facts, 'person')} entered a restricted area{where}"
    elif kind == "loitering":
        text = f"{_subject(facts, 'person')} lingered{where}{_for(facts, 'dwell_s', 'duration_s')}"
    elif kind == "crowding":
        n = int(count) if count else 0
        cls = str(facts.get("object_class") or "person")
        who = f"A crowd of {n} {_plural(cls, n)}" if n else "A crowd"
        text = f"{who} gathered{where}{_for(facts, 'duration_s', 'dwell_s')}"
    elif kind == "congestion":
        n = int(count) if count else 0
        jam = f" with {n} {_plural(str(facts.get('object_class') or 'vehicle'), n)} queued" if n else ""
        text = f"Traffic was congested{where}{jam}{_for(facts, 'duration_s', 'dwell_s')}"
    elif kind == "stopped_vehicle":
        text = f"{_subject(facts, 'vehicle')} stopped{where}{_for(facts, 'dwell_s', 'duration_s')}"
    elif kind == "illegal_parking":
        text = f"{_subject(facts, 'vehicle')} parked illegally{where}{_for(facts, 'dwell_s', 'duration_s')}"
    elif kind == "wrong_way":
        text = f"{_subject(facts, 'vehicle')} travelled the wrong way{where}{heading}"
    elif kind == "speeding":
        speed = _num(facts.get("speed_kmh"))
        at = f" at {speed:.0f} km/h" if speed is not None else ""
        limit = _num(facts.get("limit_kmh"))
        over = f" (limit {limit:.0f} km/h)" if limit is not None else ""
        text = f"{_subject(facts, 'vehicle')} was speeding{at}{over}{where}{heading}"
    elif kind == "abandoned_object":
        text = f"{_subject(facts, 'object')} was left unattended{where}{_for(facts, 'dwell_s', 'still_s', 'duration_s')}"
    elif kind == "tripwire":
        cross = f" ({direction})" if direction else ""
        line = f" line {facts['line']}" if facts.get("line") else " a tripwire"
        cam = f" on camera {facts['camera']}" if facts.get("camera") else ""
        text = f"{_subject(facts, 'object')} crossed{line}{cross}{cam}"
    elif kind == "incident":
        text = f"An incident was detected{where}"
    else:
        text = f"{_article(kind)} {kind.replace('_', ' ')} incident was detected{where}"
    return text.strip() + "."


class TemplateCaptioner:
    """Captions from facts alone: instant, deterministic, needs no weights (the VLM's fallback).

    Example:
        >>> TemplateCaptioner().caption([CaptionRequest("i", None, {"type": "intrusion", "zone": "gate"})])[0].text
        'A person entered a restricted area in zone gate.'
    """

    model_name = TEMPLATE_MODEL

    def caption(self, reqs: Sequence[CaptionRequest]) -> list[Caption]:
        out = []
        for req in reqs:
            t0 = time.perf_counter()
            text = template_caption(req.facts)
            out.append(Caption(text, "template", TEMPLATE_MODEL, (time.perf_counter() - t0) * 1000.0))
        return out
