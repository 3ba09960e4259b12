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
from typing import Annotated, Any

import numpy as np
import supervision as sv
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, field_validator

Detections = sv.Detections

CLASS_NAME_DATA_FIELD = "class_name"
WIRE_VERSION = "1"

# ------------------------------------------------------------------------------------- bounds on the wire
# Declared once, here; the ingestor, the store and the API's path parameters use these. An entry over any of
# them is refused at ingest (a dead letter with the reason), and the edge cannot build one.
#: Ids (incident, camera): what a URL path segment and a media path component can hold safely; no leading dot.
SAFE_ID_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$"
MAX_ID_CHARS = 64
MAX_NAME_CHARS = 128  # box, zone, line and count names
MAX_CAPTION_CHARS = 4000
MAX_FACTS_BYTES = 16 << 10  # facts as JSON
MAX_JPEG_BYTES = 2 << 20  # each of snapshot and crop (the edge sends <= 960 px at quality 80: ~100-300 kB)
MAX_JPEG_SIDE = 16384
MAX_ERROR_CHARS = 2000  # a camera's error text; longer ones are cut, not refused (they come from tracebacks)

_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def check_jpeg(data: bytes) -> bytes:
    """``data`` if it is a whole baseline/progressive JPEG within the bounds, else ValueError with the reason.

    Walks the marker segments up to the first scan (no pixel decoding): SOI first, a frame header with a sane
    size before the scan, every segment inside the data, and EOI at the end (a truncated file has none).
    """
    n = len(data)
    if n > MAX_JPEG_BYTES:
        raise ValueError(f"JPEG of {n} bytes is over the limit of {MAX_JPEG_BYTES}")
    if not data.startswith(b"\xff\xd8\xff"):
        raise ValueError(f"not a JPEG: starts with {data[:8]!r}, not the SOI marker")
    i, frame = 2, None
    while i + 4 <= n:
        if data[i] != 0xFF:
            raise ValueError(f"not a JPEG: no marker at byte {i}")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            i += 2
            continue
        seg = int.from_bytes(data[i + 2:i + 4], "big")
        if seg < 2 or i + 2 + seg > n:
            raise ValueError(f"not a JPEG: segment 0x{marker:02X} at byte {i} runs past the data")
        if marker in _SOF_MARKERS:
            if seg < 8:
                raise ValueError("not a JPEG: short frame header")
            h, w = int.from_bytes(data[i + 5:i + 7], "big"), int.from_bytes(data[i + 7:i + 9], "big")
            if not (0 < w <= MAX_JPEG_SIDE and 0 < h <= MAX_JPEG_SIDE):
                raise ValueError(f"not a usable JPEG: frame size {w}x{h}")
            frame = (w, h)
        if marker == 0xDA:  # start of scan: the header is complete
            if frame is None:
                raise ValueError("not a JPEG: scan without a frame header")
            if not data.endswith(b"\xff\xd9"):
                raise ValueError("not a whole JPEG: no end-of-image marker (truncated?)")
            return data
        i += 2 + seg
    raise ValueError("not a JPEG: no image data (no scan)")


def _facts_within_bound(facts: dict[str, Any]) -> dict[str, Any]:
    size = len(json.dumps(facts, default=str))
    if size > MAX_FACTS_BYTES:
        raise ValueError(f"facts take {size} bytes as JSON, over the limit of {MAX_FACTS_BYTES}")
    return facts


SafeId = Annotated[str, Field(pattern=SAFE_ID_PATTERN, max_length=MAX_ID_CHARS,
                              description="letters, digits, '_', '-', '.'; 1-64 characters; no leading dot")]
Name = Annotated[str, Field(max_length=MAX_NAME_CHARS)]
Jpeg = Annotated[bytes, AfterValidator(check_jpeg)]
_JPEG = TypeAdapter(Jpeg)


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
    UNREACHABLE = "unreachable"  # the edge supervisor could not ask the camera's worker (dead or restarting)


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class IncidentEvent(_Event):
    """One revision of an incident; ``id`` is stable across the lifecycle, ``seq`` increases."""

    id: SafeId = Field(description="UUIDv7 made on the edge; sortable, globally unique")
    seq: int = Field(0, ge=0, le=2**63 - 1, description="revision number; the store keeps the highest")
    state: IncidentState
    type: IncidentType
    severity: Severity = Severity.WARNING
    camera_id: SafeId
    box: Name = ""
    rule: str = Field(max_length=256, description="name of the rule that raised it")
    zone: Name | None = None
    line: Name | None = None
    object_class: str | None = Field(None, max_length=64)
    track_ids: list[int] = Field(default_factory=list, max_length=1000)
    started_at: datetime
    updated_at: datetime
    ended_at: datetime | None = None
    bbox: list[float] | None = Field(None, min_length=4, max_length=4,
                                     description="normalised [x1, y1, x2, y2] of the main object")
    facts: Annotated[dict[str, Any], AfterValidator(_facts_within_bound)] = Field(default_factory=dict)
    caption: str | None = Field(None, max_length=MAX_CAPTION_CHARS)
    caption_source: str | None = Field(None, max_length=16)  # "vlm" | "template"
    caption_model: str | None = Field(None, max_length=256)
    models: dict[Annotated[str, Field(max_length=64)], Annotated[str, Field(max_length=256)]] = Field(
        default_factory=dict, max_length=32)
    # Evidence travels as JPEG bytes; excluded from the JSON body on the wire. Checked (``check_jpeg``) where
    # it enters the center, in ``from_fields``.
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
        for name in ("snapshot", "crop"):
            data = f.get(name) or None
            if data is not None:
                try:
                    data = _JPEG.validate_python(data)
                except ValueError as e:  # pydantic's ValidationError is one
                    reason = e.errors()[0]["msg"] if hasattr(e, "errors") else str(e)
                    raise ValueError(f"{name}: {reason.removeprefix('Value error, ')}") from None
            setattr(ev, name, data)
        return ev


class CountEvent(_Event):
    """Running total for one (camera, line/zone, class, direction, minute) bucket."""

    camera_id: SafeId
    box: Name = ""
    kind: str = Field("line", max_length=16, description="'line' or 'zone'")
    name: Name
    object_class: str = Field(max_length=64)
    direction: str = Field(max_length=64, description="'in'/'out' for lines (or their configured names); 'occupancy' for zones")
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

    camera_id: SafeId
    box: Name = ""
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

    @field_validator("error", mode="before")
    @classmethod
    def _cut_error(cls, v: Any) -> Any:
        return v[:MAX_ERROR_CHARS] if isinstance(v, str) else v

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
