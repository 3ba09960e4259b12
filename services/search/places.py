"""The deployment's places as search knows them: cameras and zones with their names, aliases (any language)
and descriptions, from the YAML config (``CameraConfig.aliases/description``, ``ZoneConfig.aliases/description``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """A camera (``id`` = camera id) or a zone (``id`` = zone name, ``camera_id`` = its camera).

    Example:
        >>> Place(kind="zone", id="hard shoulder", name="hard shoulder", aliases=["arcén"]).names()
        ['hard shoulder', 'arcén']
    """

    kind: str  # "camera" | "zone"
    id: str
    name: str
    aliases: tuple[str, ...] | list[str] = field(default_factory=tuple)
    description: str = ""
    camera_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "aliases", tuple(self.aliases or ()))
        object.__setattr__(self, "description", self.description or "")

    def names(self) -> list[str]:
        """Name first, then aliases (and the id of a camera), without repeats."""
        extra = [self.id] if self.kind == "camera" else []
        return list(dict.fromkeys([self.name, *self.aliases, *extra]))


def places_from_config(cfg) -> list[Place]:
    """Places of a :class:`~pipeline.config.CityConfig` (``None`` gives none)."""
    out: list[Place] = []
    for c in getattr(cfg, "cameras", None) or ():
        out.append(Place("camera", c.id, c.name or c.id, tuple(getattr(c, "aliases", ()) or ()), getattr(c, "description", "") or ""))
        for z in c.zones:
            out.append(Place("zone", z.name, z.name, tuple(getattr(z, "aliases", ()) or ()), getattr(z, "description", "") or "", c.id))
    return out


def merge_places(places: Iterable[Place]) -> list[Place]:
    """One entry per (kind, id): a zone name used by several cameras keeps every alias and description."""
    merged: dict[tuple[str, str], Place] = {}
    for p in places:
        key = (p.kind, p.id)
        if key in merged:
            o = merged[key]
            desc = o.description if p.description in o.description else f"{o.description}; {p.description}".strip("; ")
            merged[key] = Place(p.kind, p.id, o.name, tuple(dict.fromkeys([*o.aliases, *p.aliases])), desc, o.camera_id)
        else:
            merged[key] = p
    return list(merged.values())
