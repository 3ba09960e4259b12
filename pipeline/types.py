"""The currencies that cross stage boundaries: Frame → Detections → Tracks → Incident/Count/Health events.

Documented once, here:

* ``Frame``       — one decoded image from one camera (``pipeline.sources`` produces it).
* ``Detections``  — ``supervision.Detections``: parallel numpy arrays ``xyxy (n,4) float32`` in *pixels*,
  ``confidence (n,)``, ``class_id (n,) int``, ``data["class_name"] (n,) str``. ``tracker_id`` is ``None``
  out of a detector. (``pipeline.detect`` produces it.)
* Tracks          — the same ``Detections`` with ``tracker_id (n,) int`` filled in (``pipeline.track``).
  Only *confirmed* tracks leave the tracker, so rules never see tentative ids.
* ``IncidentEvent`` — one revision of an incident (opened → updated … → closed) with a stable ``id``
  created on the edge; ``seq`` grows with each revision so the store keeps the newest (``pipeline.rules``
  opens it, ``pipeline.evidence`` attaches snapshot/crop/facts, ``pipeline.caption`` the caption).
* ``CountEvent``  — absolute count for (camera, line/zone, class, direction, minute bucket); the value is a
  running total for that bucket, so replays and duplicates are idempotent (upsert keeps the max).
* ``HealthEvent`` — a camera's state and rates.

Events are pydantic models; ``to_fields``/``from_fields`` give the Redis Streams wire form.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from typing import Any

import numpy as np
import supervision as sv
from pydantic import BaseModel, ConfigDict, Field

Detections = sv.Detections

CLASS_NAME_DATA_FIELD = "class_name"
WIRE_VERSION = "1"


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


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def ts_to_dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.utc)


class IncidentType(str, Enum):
    INTRUSION = "intrusion"
    LOITERING = "loitering"
    CROWDING = "crowding"
    STOPPED_VEHICLE = "stopped_vehicle"
    ILLEGAL_PARKING = "illegal_parking"
    WRONG_WAY = "wrong_way"
    SPEEDING = "speeding"
    ABANDONED_OBJECT = "abandoned_object"
    TRIPWIRE = "tripwire"
    CONGESTION = "congestion"


class IncidentState(str, Enum):
    OPENED = "opened"
    UPDATED = "updated"
    CLOSED = "closed"


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class HealthState(str, Enum):
    STARTING = "starting"
    STREAMING = "streaming"
    RECONNECTING = "reconnecting"
    ENDED = "ended"
    FAILED = "failed"
    STOPPED = "stopped"


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class IncidentEvent(_Event):
    """One revision of an incident; ``id`` is stable across the lifecycle, ``seq`` increases."""

    id: str = Field(description="UUIDv7 made on the edge; sortable, globally unique")
    seq: int = Field(0, ge=0, description="revision number; the store keeps the highest")
    state: IncidentState
    type: IncidentType
    severity: Severity = Severity.WARNING
    camera_id: str
    box: str = ""
    rule: str = Field(description="name of the rule that raised it")
    zone: str | None = None
    line: str | None = None
    object_class: str | None = None
    track_ids: list[int] = Field(default_factory=list)
    started_at: datetime
    updated_at: datetime
    ended_at: datetime | None = None
    bbox: list[float] | None = Field(None, description="normalised [x1, y1, x2, y2] of the main object")
    facts: dict[str, Any] = Field(default_factory=dict)
    caption: str | None = None
    caption_source: str | None = None  # "vlm" | "template"
    caption_model: str | None = None
    models: dict[str, str] = Field(default_factory=dict)
    # Evidence travels as JPEG bytes; excluded from the JSON body on the wire.
    snapshot: bytes | None = Field(None, exclude=True, repr=False)
    crop: bytes | None = Field(None, exclude=True, repr=False)

    def to_fields(self) -> dict[str, bytes | str]:
        fields: dict[str, bytes | str] = {"kind": "incident", "v": WIRE_VERSION, "json": self.model_dump_json()}
        if self.snapshot:
            fields["snapshot"] = self.snapshot
        if self.crop:
            fields["crop"] = self.crop
        return fields

    @classmethod
    def from_fields(cls, fields: dict[bytes | str, bytes]) -> "IncidentEvent":
        f = _decode_keys(fields)
        ev = cls.model_validate_json(f["json"])
        ev.snapshot = f.get("snapshot") or None
        ev.crop = f.get("crop") or None
        return ev


class CountEvent(_Event):
    """Running total for one (camera, line/zone, class, direction, minute) bucket."""

    camera_id: str
    box: str = ""
    kind: str = Field("line", description="'line' or 'zone'")
    name: str
    object_class: str
    direction: str = Field(description="'in'/'out' for lines (or their configured names); 'occupancy' for zones")
    bucket_start: datetime
    count: int = Field(ge=0)

    @property
    def key(self) -> str:
        return f"{self.camera_id}|{self.kind}|{self.name}|{self.object_class}|{self.direction}|{self.bucket_start.isoformat()}"

    def to_fields(self) -> dict[str, bytes | str]:
        return {"kind": "count", "v": WIRE_VERSION, "json": self.model_dump_json()}

    @classmethod
    def from_fields(cls, fields: dict[bytes | str, bytes]) -> "CountEvent":
        return cls.model_validate_json(_decode_keys(fields)["json"])


class HealthEvent(_Event):
    """A camera's health, published every few seconds and on each state change."""

    camera_id: str
    box: str = ""
    state: HealthState
    ts: datetime
    fps_in: float = 0.0
    fps_out: float = 0.0
    frames_in: int = 0
    frames_processed: int = 0
    frames_dropped: int = 0
    last_frame_at: datetime | None = None
    reconnects: int = 0
    error: str | None = None

    def to_fields(self) -> dict[str, bytes | str]:
        return {"kind": "health", "v": WIRE_VERSION, "json": self.model_dump_json()}

    @classmethod
    def from_fields(cls, fields: dict[bytes | str, bytes]) -> "HealthEvent":
        return cls.model_validate_json(_decode_keys(fields)["json"])


def _decode_keys(fields: dict[bytes | str, bytes]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in fields.items():
        key = k.decode() if isinstance(k, bytes) else k
        out[key] = v
    if "json" not in out:
        raise ValueError(f"stream entry has no 'json' field (fields: {sorted(out)})")
    return out


def event_from_fields(fields: dict[bytes | str, bytes]) -> IncidentEvent | CountEvent | HealthEvent:
    """Decode any wire entry by its ``kind`` field."""
    f = _decode_keys(fields)
    kind = f.get("kind", b"")
    kind = kind.decode() if isinstance(kind, bytes) else kind
    if kind == "incident":
        return IncidentEvent.from_fields(fields)
    if kind == "count":
        return CountEvent.from_fields(fields)
    if kind == "health":
        return HealthEvent.from_fields(fields)
    raise ValueError(f"unknown event kind {kind!r}")


def dumps_facts(facts: dict[str, Any]) -> str:
    return json.dumps(facts, sort_keys=True, default=str)
