"""The text indexed for one incident: its caption plus words for every fact a query may name."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from services.search.vocab import CLASS_WORDS, TYPE_WORDS, canonical_colour, tokens
from services.store import IncidentRow


def part_of_day(hour: int) -> str:
    return "night" if hour < 6 or hour >= 21 else "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"


def incident_colour(row: IncidentRow) -> str | None:
    """facts.colour (from the crop) when present, else the first colour word of the caption."""
    colour = canonical_colour(row.facts.colour)
    if colour is None and row.caption:
        colour = next((c for c in map(canonical_colour, tokens(row.caption)) if c), None)
    return colour


def _duration(secs: float) -> str:
    s = int(round(secs))
    if s < 60:
        return f"{s} seconds"
    if s < 3600:
        return f"{s // 60} minutes"
    return f"{s // 3600} hours {s % 3600 // 60} minutes"


def fact_words(row: IncidentRow) -> str:
    """The numeric facts in words: how long at close, how fast, how many."""
    f = row.facts
    out = []
    dur = max(f.duration_s or 0.0, f.dwell_s or 0.0)
    if dur >= 1:
        out.append(f"lasted {_duration(dur)}")
    if f.speed_kmh is not None or f.max_speed_kmh is not None:
        speed = max(f.speed_kmh or 0.0, f.max_speed_kmh or 0.0)
        out.append(f"speed {speed:.0f} km/h" + (f" limit {f.limit_kmh:.0f}" if f.limit_kmh else ""))
    if f.count:
        who = "people" if (row.object_class or "person") == "person" and row.type != "congestion" else "vehicles"
        out.append(f"{f.count} {who}")
    return ", ".join(out)


def build_document(row: IncidentRow, *, camera_name: str | None = None, tz: str = "UTC", place_text: str = "") -> str:
    """The text indexed for one incident: its caption plus words for every fact a query may name.

    ``place_text`` is what the deployment says about the incident's camera and zone (aliases, descriptions).
    """
    facts = row.facts
    parts = [(row.caption or "").strip().rstrip(".")]
    parts.append(TYPE_WORDS.get(row.type, row.type.replace("_", " ")))
    if row.object_class:
        parts.append(CLASS_WORDS.get(row.object_class, row.object_class))
    colour = incident_colour(row)
    if colour:
        parts.append(colour)
    if row.zone:
        parts.append(f"in the {row.zone}")
    if row.line:
        parts.append(f"line {row.line}")
    parts.append(f"camera {camera_name or row.camera_id}")
    if place_text:
        parts.append(place_text)
    direction = facts.direction
    if direction:
        parts.append(f"moving {direction}")
    numbers = fact_words(row)
    if numbers:
        parts.append(numbers)
    local = row.started_at.astimezone(ZoneInfo(tz)) if row.started_at else None
    tod = facts.time_of_day
    words = [tod] if tod else []
    if local is not None:
        words.append(part_of_day(local.hour))
        words.append(local.strftime("%A").lower())
    if words:
        parts.append(" ".join(dict.fromkeys(words)))
    return ". ".join(p for p in parts if p)


__all__ = ["build_document", "fact_words", "incident_colour", "part_of_day"]
