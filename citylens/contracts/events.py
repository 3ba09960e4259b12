"""The events that cross from the edge to the center, and their Redis Streams envelope.

* ``IncidentEvent`` — one revision of an incident (opened → updated … → closed) with a stable ``id``
  created on the edge; ``seq`` grows with each revision so the store keeps the newest. Its ``facts`` are
  an :class:`IncidentFacts`: typed, optional fields, each declared once here.
* ``CountEvent``  — absolute count for (camera, line/zone, class, direction, minute bucket); the value is a
  running total for that bucket, so replays and duplicates are idempotent (upsert keeps the max).
* ``HealthEvent`` — a camera's state and rates.

The envelope of a stream entry is ``{"kind": EventKind, "v": ENVELOPE_VERSION, "json": <event JSON>}``
plus, for incidents, the evidence JPEGs as raw ``snapshot`` / ``crop`` fields; ``to_fields`` and
:func:`event_from_fields` are its only writer and reader.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_serializer, model_validator

from citylens.contracts.bounds import (JPEG, MAX_CAPTION_CHARS, MAX_ERROR_CHARS, MAX_FACTS_BYTES, Name,
                                       SafeId)
from citylens.contracts.enums import EventKind, HealthState, IncidentState, IncidentType, Severity
from citylens.contracts.streams import STREAM_COUNTS, STREAM_HEALTH, STREAM_INCIDENTS

# 2: facts became a typed model and no longer repeat zone/line/object_class/track_ids of the event.
ENVELOPE_VERSION = "2"
# Envelopes this release decodes; version 1 facts are read through IncidentFacts' legacy mapping.
ACCEPTED_ENVELOPE_VERSIONS = frozenset({"1", "2"})


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_run_id() -> str:
    """A sortable, globally unique run id (UUIDv7, like incident ids) for ``*Event.run_id``."""
    import uuid6

    return str(uuid6.uuid7())


def ts_to_dt(ts: float) -> datetime:
    """Epoch seconds → aware UTC datetime."""
    return datetime.fromtimestamp(ts, tz=timezone.utc)


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


# Keys of version-1 facts that repeated the event's own fields (dropped), or spelled a fact differently.
_LEGACY_DROPPED = frozenset({"zone", "line", "object_class", "track_ids"})
_LEGACY_RENAMED = {"color": "colour"}


class IncidentFacts(BaseModel):
    """What the rules and the evidence stage established about one incident; every field is optional.

    One model for every incident type: a fact means the same thing whichever rule reports it (``dwell_s`` is
    set by five rule types), so each is declared once here; which fields a type fills is listed per field.
    Unset facts are left out of the JSON, so the wire and the API carry only what was established.

    Example:
        >>> IncidentFacts(dwell_s=6.0, colour="red").model_dump()
        {'dwell_s': 6.0, 'colour': 'red'}
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    # every rule (the lifecycle and the object tracker)
    duration_s: float | None = Field(None, ge=0, description="seconds from opening to the last time the condition held")
    first_seen: float | None = Field(None, description="epoch seconds the main object was first seen (object rules)")
    last_seen: float | None = Field(None, description="epoch seconds the main object was last seen (object rules)")
    # dwelling objects and zone aggregates
    dwell_s: float | None = Field(
        None, ge=0, description="seconds the condition has held for the object or zone (loitering, stopped_vehicle, "
        "illegal_parking, abandoned_object, crowding, congestion)")
    nearest_person: float | None = Field(None, ge=0, description="abandoned_object: normalised distance to the nearest person")
    count: int | None = Field(None, ge=0, description="crowding/congestion: watched objects in the zone")
    max_count: int | None = Field(None, ge=0, description="crowding/congestion: the rule's threshold")
    classes: list[str] | None = Field(None, description="crowding/congestion: classes of the objects in the zone")
    mean_speed_px_s: float | None = Field(None, ge=0, description="congestion: mean speed in the zone, pixels/s")
    # motion
    direction: str | None = Field(
        None, description="wrong_way: compass word of travel (image up = north); tripwire: the line's label of the crossing")
    direction_deg: float | None = Field(None, description="wrong_way: heading of travel in degrees")
    angle_deg: float | None = Field(None, ge=0, le=180, description="wrong_way: angle from the allowed direction")
    crossing: Literal["in", "out"] | None = Field(None, description="tripwire: canonical side of the crossing")
    speed_kmh: float | None = Field(None, ge=0, description="speeding: current ground speed")
    max_speed_kmh: float | None = Field(None, ge=0, description="speeding: highest speed of this incident so far")
    limit_kmh: float | None = Field(None, gt=0, description="speeding: the rule's limit")
    # evidence (pipeline.evidence, from the crop and the frame)
    colour: str | None = Field(None, description="dominant colour of the main object's crop")
    time_of_day: Literal["day", "night"] | None = Field(None, description="from the keyframe's brightness")

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any) -> Any:
        if isinstance(data, dict) and (_LEGACY_DROPPED.intersection(data) or _LEGACY_RENAMED.keys() & data.keys()):
            data = {_LEGACY_RENAMED.get(k, k): v for k, v in data.items() if k not in _LEGACY_DROPPED}
        return data

    @model_validator(mode="after")
    def _within_bound(self) -> "IncidentFacts":
        size = len(self.model_dump_json())
        if size > MAX_FACTS_BYTES:
            raise ValueError(f"facts take {size} bytes as JSON, over the limit of {MAX_FACTS_BYTES}")
        return self

    @model_serializer(mode="wrap")
    def _set_only(self, handler):  # no return annotation: the JSON schema keeps the typed fields

        return {k: v for k, v in handler(self).items() if v is not None}


class IncidentBase(_Event):
    """The fields of one incident revision, declared once: the wire event adds its evidence bytes, the API's
    ``IncidentPublic`` adds what the center knows (ack, evidence URLs), as the FastAPI template's ``UserBase``
    → ``User`` / ``UserPublic``."""

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
    facts: IncidentFacts = Field(default_factory=IncidentFacts)
    caption: str | None = Field(None, max_length=MAX_CAPTION_CHARS)
    caption_source: str | None = Field(None, max_length=16)  # "vlm" | "template"
    caption_model: str | None = Field(None, max_length=256)
    models: dict[Annotated[str, Field(max_length=64)], Annotated[str, Field(max_length=256)]] = Field(
        default_factory=dict, max_length=32)
    run_id: str | None = Field(None, max_length=64, description="the run that raised it (one `citylens process`/"
                               "`demo`/`edge` start); summaries and exports of one run filter on it")


class IncidentEvent(IncidentBase):
    """One revision of an incident; ``id`` is stable across the lifecycle, ``seq`` increases."""

    # Evidence travels as JPEG bytes; excluded from the JSON body on the wire. Checked (``check_jpeg``) where
    # it enters the center, in ``from_fields``.
    snapshot: bytes | None = Field(None, exclude=True, repr=False)
    crop: bytes | None = Field(None, exclude=True, repr=False)

    def to_fields(self) -> dict[str, bytes | str]:
        fields: dict[str, bytes | str] = _envelope(EventKind.INCIDENT, self)
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
                    data = JPEG.validate_python(data)
                except ValueError as e:  # pydantic's ValidationError is one
                    reason = e.errors()[0]["msg"] if hasattr(e, "errors") else str(e)
                    raise ValueError(f"{name}: {reason.removeprefix('Value error, ')}") from None
            setattr(ev, name, data)
        return ev


class CountEvent(_Event):
    """Running total for one (camera, line/zone, class, direction, minute) bucket."""

    camera_id: SafeId
    box: Name = ""
    kind: Literal["line", "zone"] = Field("line", description="'line' or 'zone'")
    name: Name
    object_class: str = Field(max_length=64)
    direction: str = Field(max_length=64, description="'in'/'out' for lines (or their configured names); 'occupancy' for zones")
    bucket_start: datetime
    count: int = Field(ge=0)
    run_id: str | None = Field(None, max_length=64, description="the run that counted it; part of the key, so two "
                               "runs over the same minute never merge their totals")

    @property
    def key(self) -> str:
        k = f"{self.camera_id}|{self.kind}|{self.name}|{self.object_class}|{self.direction}|{self.bucket_start.isoformat()}"
        return f"{self.run_id}|{k}" if self.run_id else k

    def to_fields(self) -> dict[str, bytes | str]:
        return _envelope(EventKind.COUNT, self)

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
    frames_gated: int = Field(0, description="frames not sent to the detector (motion gate, adaptive stride, shedding)")
    stride: int = Field(1, description="the camera analyses one frame in `stride` right now")
    shed_level: int = Field(0, description="load-shedding level (0 = none); idle cameras shed first")
    degraded: bool = Field(False, description="shedding lowers the rate of a camera with objects near its lines or "
                           "zones: counts and events may be missed")
    run_id: str | None = Field(None, max_length=64, description="the run (one edge/demo/process start) reporting")

    @field_validator("error", mode="before")
    @classmethod
    def _cut_error(cls, v: Any) -> Any:
        return v[:MAX_ERROR_CHARS] if isinstance(v, str) else v

    def to_fields(self) -> dict[str, bytes | str]:
        return _envelope(EventKind.HEALTH, self)

    @classmethod
    def from_fields(cls, fields: dict[bytes | str, bytes]) -> "HealthEvent":
        return cls.model_validate_json(_decode_keys(fields)["json"])


Event = IncidentEvent | CountEvent | HealthEvent
_MODELS: dict[EventKind, type[IncidentEvent] | type[CountEvent] | type[HealthEvent]] = {
    EventKind.INCIDENT: IncidentEvent, EventKind.COUNT: CountEvent, EventKind.HEALTH: HealthEvent,
}
_STREAMS = {IncidentEvent: STREAM_INCIDENTS, CountEvent: STREAM_COUNTS, HealthEvent: STREAM_HEALTH}


def _envelope(kind: EventKind, event: BaseModel) -> dict[str, bytes | str]:
    return {"kind": kind.value, "v": ENVELOPE_VERSION, "json": event.model_dump_json()}


def _decode_keys(fields: dict[bytes | str, bytes]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in fields.items():
        key = k.decode() if isinstance(k, bytes) else k
        out[key] = v
    if "json" not in out:
        raise ValueError(f"stream entry has no 'json' field (fields: {sorted(out)})")
    version = out.get("v", b"1")
    version = version.decode() if isinstance(version, bytes) else str(version)
    if version not in ACCEPTED_ENVELOPE_VERSIONS:
        raise ValueError(f"stream entry has envelope version {version!r}; this release reads "
                         f"{sorted(ACCEPTED_ENVELOPE_VERSIONS)} (upgrade the center)")
    return out


def event_from_fields(fields: dict[bytes | str, bytes]) -> Event:
    """Decode any wire entry by its ``kind`` field."""
    f = _decode_keys(fields)
    kind = f.get("kind", b"")
    kind = kind.decode() if isinstance(kind, bytes) else kind
    try:
        model = _MODELS[EventKind(kind)]
    except ValueError:
        raise ValueError(f"unknown event kind {kind!r}") from None
    return model.from_fields(fields)


def stream_for(event: Event) -> str:
    """The stream an event travels on."""
    try:
        return _STREAMS[type(event)]
    except KeyError:
        raise TypeError(f"cannot publish {type(event).__name__}; expected IncidentEvent, CountEvent or HealthEvent") from None


__all__ = ["ACCEPTED_ENVELOPE_VERSIONS", "ENVELOPE_VERSION", "CountEvent", "Event", "HealthEvent", "IncidentBase",
           "IncidentEvent", "IncidentFacts", "event_from_fields", "new_run_id", "stream_for", "ts_to_dt", "utcnow"]
