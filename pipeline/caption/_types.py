"""Caption request/result currencies and the captioner protocol."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, Sequence

import numpy as np

from pipeline.types import IncidentEvent

CaptionSource = Literal["vlm", "template"]


@dataclass(frozen=True)
class CaptionRequest:
    """What a captioner needs for one incident: its id, an image and the facts the rules established.

    ``facts`` keys used by the captioners: ``type``, ``zone``, ``line``, ``camera`` (display name),
    ``object_class``, ``colour``, ``dwell_s``, ``speed_kmh``, ``direction``, ``count``.

    Example:
        >>> CaptionRequest("inc-1", None, {"type": "loitering", "zone": "table"}).incident_id
        'inc-1'
    """

    incident_id: str
    image: bytes | np.ndarray | None = field(default=None, repr=False)  # JPEG bytes or an (H, W, 3) BGR array
    facts: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        img = self.image
        if img is not None and not isinstance(img, (bytes, bytearray)):
            if not isinstance(img, np.ndarray) or img.ndim != 3 or img.shape[2] != 3:
                got = getattr(img, "shape", type(img).__name__)
                raise ValueError(f"CaptionRequest.image must be JPEG bytes or an (H, W, 3) BGR array, got {got}")

    @classmethod
    def from_incident(cls, ev: IncidentEvent, camera_name: str | None = None) -> "CaptionRequest":
        """Build a request from an incident revision: its snapshot (else crop) and its facts."""
        facts: dict[str, Any] = {
            "type": ev.type.value,
            "zone": ev.zone,
            "line": ev.line,
            "camera": camera_name or ev.camera_id,
            "object_class": ev.object_class,
        }
        facts.update(ev.facts.model_dump())  # only the facts that are set
        return cls(incident_id=ev.id, image=ev.snapshot or ev.crop, facts=facts)


@dataclass(frozen=True)
class Caption:
    """One caption and where it came from.

    ``latency_ms`` is the wall time of the call that produced it (a whole batch for the VLM).

    Example:
        >>> Caption("A person stood in zone table.", "template", "template", 0.1).source
        'template'
    """

    text: str
    source: CaptionSource
    model: str
    latency_ms: float


class Captioner(Protocol):
    """Anything that turns requests into one caption each, in order."""

    model_name: str

    def caption(self, reqs: Sequence[CaptionRequest]) -> list[Caption]: ...
