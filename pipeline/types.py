"""The currencies that cross stage boundaries: Frame → Detections → Tracks → Incident/Count/Health events.

Documented once, here:

* ``Frame``       — one decoded image from one camera (``pipeline.sources`` produces it).
* ``Detections``  — ``supervision.Detections``: parallel numpy arrays ``xyxy (n,4) float32`` in *pixels*,
  ``confidence (n,)``, ``class_id (n,) int``, ``data["class_name"] (n,) str``. ``tracker_id`` is ``None``
  out of a detector. (``pipeline.detect`` produces it.) ``CameraPipeline`` adds ``data["pixel_change"]``
  (``PIXEL_CHANGE_DATA_FIELD``, ``pipeline.motion.PixelChange``) before the tracker when the camera has
  still births; the tracker reads it when present.
* Tracks          — the same ``Detections`` with ``tracker_id (n,) int`` filled in (``pipeline.track``).
  Only *confirmed* tracks leave the tracker, so rules never see tentative ids.
* ``IncidentEvent`` / ``CountEvent`` / ``HealthEvent`` — the wire events, declared once in
  :mod:`citylens.contracts` (``pipeline.rules`` opens an incident, ``pipeline.evidence`` attaches
  snapshot/crop/facts, ``pipeline.caption`` the caption) and re-exported here for pipeline code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import supervision as sv

from citylens.contracts.bounds import (MAX_CAPTION_CHARS, MAX_ERROR_CHARS, MAX_FACTS_BYTES, MAX_ID_CHARS, MAX_JPEG_BYTES,
                                       MAX_JPEG_SIDE, MAX_NAME_CHARS, SAFE_ID_PATTERN, Jpeg, Name, SafeId, check_jpeg)
from citylens.contracts.enums import HealthState, IncidentState, IncidentType, Severity
from citylens.contracts.events import (CountEvent, HealthEvent, IncidentEvent, IncidentFacts, event_from_fields, new_run_id,
                                       ts_to_dt, utcnow)

Detections = sv.Detections

CLASS_NAME_DATA_FIELD = "class_name"
# per box: picture change inside it since the previous analysed frame (pipeline.motion.PixelChange); optional
PIXEL_CHANGE_DATA_FIELD = "pixel_change"


@dataclass(frozen=True)
class Frame:
    """One decoded BGR image from one camera.

    Example:
        >>> Frame(camera_id="cam-1", frame_id=0, ts=0.0, image=np.zeros((4, 4, 3), np.uint8)).shape
        (4, 4)
    """

    camera_id: str
    frame_id: int
    ts: float  # seconds since the epoch (UTC); for files: start time + pts
    image: np.ndarray = field(repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.image, np.ndarray) or self.image.ndim != 3 or self.image.shape[2] != 3:
            got = getattr(self.image, "shape", type(self.image).__name__)
            raise ValueError(f"Frame.image must be an (H, W, 3) uint8 BGR array, got {got}")
        if self.image.dtype != np.uint8:
            raise ValueError(f"Frame.image must be uint8, got {self.image.dtype}")

    @property
    def shape(self) -> tuple[int, int]:
        """(height, width) in pixels."""
        return int(self.image.shape[0]), int(self.image.shape[1])


def empty_detections() -> Detections:
    """Detections with zero rows and the ``class_name`` data field present."""
    det = sv.Detections.empty()
    det.data[CLASS_NAME_DATA_FIELD] = np.array([], dtype=str)
    return det


__all__ = ["CLASS_NAME_DATA_FIELD", "PIXEL_CHANGE_DATA_FIELD", "MAX_CAPTION_CHARS", "MAX_ERROR_CHARS", "MAX_FACTS_BYTES", "MAX_ID_CHARS",
           "MAX_JPEG_BYTES", "MAX_JPEG_SIDE", "MAX_NAME_CHARS", "SAFE_ID_PATTERN", "Jpeg", "Name", "SafeId", "check_jpeg", "CountEvent", "Detections", "Frame", "HealthEvent", "HealthState", "IncidentEvent",
           "IncidentFacts", "IncidentState", "IncidentType", "Severity", "empty_detections", "event_from_fields", "new_run_id",
           "ts_to_dt", "utcnow"]
