"""The center's store: incidents, counts, camera health and dead letters (SQLAlchemy 2, SQLite WAL by default)."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import (JSON, ColumnElement, DateTime, ForeignKey, Index, Integer, Select, String, Text, TypeDecorator, and_,
                        bindparam, column, create_engine, delete, event, func, literal, or_, select, table, text, tuple_)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from citylens.contracts import (FILTER_COLUMNS, MAX_SEQ_STEP, CountEvent, HealthEvent, IncidentBase, IncidentEvent,
                                IncidentFacts, IncidentFilter, utcnow)
from services import media, migrations

log = logging.getLogger(__name__)


class UTCDateTime(TypeDecorator):
    """Stores UTC as naive (SQLite has no time zones) and hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: citylens stores UTC-aware datetimes only")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


class FactsJSON(TypeDecorator):
    """An :class:`~citylens.contracts.IncidentFacts` kept as a JSON object of the facts that are set."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: IncidentFacts | dict | None, dialect) -> dict[str, Any]:
        return IncidentFacts.model_validate(value or {}).model_dump(mode="json")

    def process_result_value(self, value: dict | None, dialect) -> IncidentFacts:
        return IncidentFacts.model_validate(value or {})


class Base(DeclarativeBase):
    pass


class IncidentRow(Base):
    """The newest revision of one incident (highest ``seq`` wins)."""

    __tablename__ = "incidents"
    # Filter column + started_at (+ id) so a filtered newest-first listing walks one index in order and stops
    # at LIMIT instead of sorting every match (124 ms -> a few ms at 1M incidents). (type, zone) is the pair
    # parsed searches name most ("loitering at the gate"); without it a combination with no match scans a type.
    __table_args__ = (
        Index("ix_incidents_camera_started", "camera_id", "started_at", "id"),
        Index("ix_incidents_type_started", "type", "started_at", "id"),
        Index("ix_incidents_class_started", "object_class", "started_at", "id"),
        Index("ix_incidents_zone_started", "zone", "started_at", "id"),
        Index("ix_incidents_type_zone_started", "type", "zone", "started_at", "id"),
    )
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), index=True)
    type: Mapped[str] = mapped_column(String(32), index=True)
    severity: Mapped[str] = mapped_column(String(16))
    camera_id: Mapped[str] = mapped_column(String(128), index=True)
    box: Mapped[str] = mapped_column(String(128), default="")
    rule: Mapped[str] = mapped_column(String(256))
    zone: Mapped[str | None] = mapped_column(String(128))
    line: Mapped[str | None] = mapped_column(String(128))
    object_class: Mapped[str | None] = mapped_column(String(64))
    track_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bbox: Mapped[list[float] | None] = mapped_column(JSON)
    facts: Mapped[IncidentFacts] = mapped_column(FactsJSON, default=IncidentFacts)
    caption: Mapped[str | None] = mapped_column(Text)
    caption_source: Mapped[str | None] = mapped_column(String(16))
    caption_model: Mapped[str | None] = mapped_column(String(256))
    models: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    snapshot_path: Mapped[str | None] = mapped_column(String(512))
    crop_path: Mapped[str | None] = mapped_column(String(512))
    ingested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set by an operator (POST /incidents/{id}/ack); revisions from the edge never touch them.
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acked_by: Mapped[str | None] = mapped_column(String(64))
    # The run that raised it (IncidentEvent.run_id): `citylens process`/`demo` summarise one run by it.
    run_id: Mapped[str | None] = mapped_column(String(64), index=True)


class CountRow(Base):
    """Running total of one (camera, line/zone, class, direction, minute) bucket."""

    __tablename__ = "counts"
    key: Mapped[str] = mapped_column(String(512), primary_key=True)
    camera_id: Mapped[str] = mapped_column(String(128), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(128))
    object_class: Mapped[str] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(64))
    bucket_start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    count: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[str | None] = mapped_column(String(64), index=True)


class CameraHealthRow(Base):
    """Latest health of one camera."""

    __tablename__ = "camera_health"
    camera_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    box: Mapped[str] = mapped_column(String(128), default="")
    state: Mapped[str] = mapped_column(String(32))
    ts: Mapped[datetime] = mapped_column(UTCDateTime)
    fps_in: Mapped[float] = mapped_column(default=0.0)
    fps_out: Mapped[float] = mapped_column(default=0.0)
    frames_in: Mapped[int] = mapped_column(default=0)
    frames_processed: Mapped[int] = mapped_column(default=0)
    frames_dropped: Mapped[int] = mapped_column(default=0)
    last_frame_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reconnects: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    frames_gated: Mapped[int] = mapped_column(default=0)
    stride: Mapped[int] = mapped_column(default=1)
    shed_level: Mapped[int] = mapped_column(default=0)
    degraded: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    run_id: Mapped[str | None] = mapped_column(String(64))


class DeadLetterRow(Base):
    """A stream entry that could not be decoded; kept (and acked) so it is neither lost nor retried forever."""

    __tablename__ = "dead_letters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    stream: Mapped[str] = mapped_column(String(128))
    entry_id: Mapped[str] = mapped_column(String(64))
    error: Mapped[str] = mapped_column(Text)
    fields: Mapped[dict[str, str]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NoteRow(Base):
    """An operator's note on an incident; deleted with it (FK cascade and :meth:`Store.delete_incidents`)."""

    __tablename__ = "incident_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[str] = mapped_column(String(64), ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiKeyRow(Base):
    """An API key: only its SHA-256 is kept; ``prefix`` is what lists and logs show."""

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditRow(Base):
    """One operator or admin action; ``target`` is ``incident:<id>`` or ``key:<id>``."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ts: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    key_id: Mapped[int | None] = mapped_column(Integer)
    key_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str | None] = mapped_column(String(128), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    client_ip: Mapped[str | None] = mapped_column(String(64))


@dataclass
class CountBucket:
    """Summed counts of one time bucket and (camera, kind, name, class, direction)."""

    bucket_start: datetime
    camera_id: str
    kind: str
    name: str
    object_class: str
    direction: str
    count: int


# The search index's row per incident (label = FTS5 rowid = hnswlib label, the colour it derives, and on
# PostgreSQL its tsvector doc_tsv, migration 0006), made by the migrations. Declared here for filters and joins
# only: it stays out of Base.metadata, as its FTS5 companion is no SQLAlchemy construct.
incident_attrs = table("incident_attrs", column("label", Integer), column("incident_id", String), column("colour", String),
                       column("doc_tsv"))


def incident_column(name: str) -> ColumnElement:
    """The column ``name`` of an incident: its row's, or the search attributes' (``colour``)."""
    return incident_attrs.c[name] if name in incident_attrs.c else IncidentRow.__table__.c[name]


# Each filter field's SQL column, resolved once from the contract's declaration (an unknown name fails at import).
_FILTER_SQL: dict[str, ColumnElement] = {name: incident_column(col.name) for name, col in FILTER_COLUMNS.items()}
_FILTER_OPS = {"in": lambda c, v: c.in_(v), "eq": lambda c, v: c == v, "ge": lambda c, v: c >= v,
               "lt": lambda c, v: c < v}


def _condition(name: str, value) -> ColumnElement[bool]:
    """The filter field ``name`` = ``value`` (a value, or a bind parameter) as a condition on its column."""
    col = FILTER_COLUMNS[name]
    return _FILTER_OPS[col.op](_FILTER_SQL[name], list(value) if col.op == "in" and isinstance(value, tuple) else value)


def incident_where(f: IncidentFilter) -> list[ColumnElement[bool]]:
    """``f`` as SQL conditions on ``incidents`` (and ``incident_attrs`` for colours): the one translation of a
    filter to SQL, used by listings, counts and both of search's SQL rankers. Core expressions only, so it
    runs on SQLite and PostgreSQL alike."""
    return [_condition(name, v) for name, v in f.set_fields().items()]


def filter_conditions(names: tuple[str, ...]) -> list[ColumnElement[bool]]:
    """:func:`incident_where` for a filter that sets the fields ``names``, each value left as the bind parameter
    ``filter_<name>`` (:func:`filter_params` gives them): for hot statements built once per set of fields, which
    skips SQLAlchemy's statement building and cache-key work on every call (~0.5 ms)."""
    return [_condition(n, bindparam(f"filter_{n}", expanding=FILTER_COLUMNS[n].op == "in", type_=_FILTER_SQL[n].type))
            for n in names]


def filter_params(f: IncidentFilter) -> dict[str, object]:
    """The bind parameters of :func:`filter_conditions` for ``f``."""
    return {f"filter_{n}": list(v) if FILTER_COLUMNS[n].op == "in" else v for n, v in f.set_fields().items()}


def incident_select(f: IncidentFilter, *cols) -> Select:
    """``SELECT cols FROM incidents WHERE f`` (joined to ``incident_attrs`` when ``f`` tests a column of it)."""
    stmt = select(*cols).select_from(IncidentRow)
    if any(_FILTER_SQL[name].table is incident_attrs for name in f.set_fields()):
        stmt = stmt.join(incident_attrs, incident_attrs.c.incident_id == IncidentRow.id)
    return stmt.where(*incident_where(f))


_FIRST_SLICE = {"minute": timedelta(hours=1), "hour": timedelta(days=2), "day": timedelta(days=64)}


def _bucket_floor(t: datetime, bucket: str) -> datetime:
    """``t`` (UTC) truncated to the start of its minute/hour/day bucket."""
    t = t.astimezone(timezone.utc)
    t = t.replace(second=0, microsecond=0)
    if bucket in ("hour", "day"):
        t = t.replace(minute=0)
    if bucket == "day":
        t = t.replace(hour=0)
    return t


class InvalidCursor(ValueError):
    """The pagination cursor is not one this store issued."""


def encode_cursor(started_at: datetime, incident_id: str) -> str:
    raw = json.dumps([started_at.astimezone(timezone.utc).isoformat(), incident_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        ts, iid = json.loads(raw)
        dt = datetime.fromisoformat(ts)
        if dt.tzinfo is None or not isinstance(iid, str):
            raise ValueError
        return dt.astimezone(timezone.utc), iid  # a forged year 1 / 9999 with an offset overflows here, not in SQL
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, OverflowError):
        raise InvalidCursor(f"invalid cursor {cursor[:40]!r}: pass next_cursor from a previous page unchanged") from None


def encode_count_cursor(last: CountBucket) -> str:
    raw = json.dumps([last.bucket_start.astimezone(timezone.utc).isoformat(), last.camera_id, last.kind, last.name,
                      last.object_class, last.direction]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_count_cursor(cursor: str) -> CountBucket:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        ts, *dims = json.loads(raw)
        dt = datetime.fromisoformat(ts)
        if dt.tzinfo is None or len(dims) != 5 or not all(isinstance(d, str) for d in dims):
            raise ValueError
        dt.astimezone(timezone.utc)
        return CountBucket(dt, *dims, count=0)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, OverflowError):
        raise InvalidCursor(f"invalid cursor {cursor[:40]!r}: pass next_cursor from a previous page unchanged") from None


# The row's columns that mirror the contract's incident, read from its declaration (the id is the key);
# tests/test_migrations.py checks each has a column that holds every value the contract admits.
_INCIDENT_COLUMNS = tuple(name for name in IncidentBase.model_fields if name != "id")
_FTS_DELETE = text("INSERT INTO incidents_fts (incidents_fts, rowid, doc) "
                   "SELECT 'delete', label, doc FROM incident_attrs WHERE incident_id IN :ids"
                   ).bindparams(bindparam("ids", expanding=True))
_ATTRS_DELETE = text("DELETE FROM incident_attrs WHERE incident_id IN :ids").bindparams(bindparam("ids", expanding=True))
IncidentHook = Callable[[Session, IncidentRow], None]
DeleteHook = Callable[[Session, list[str]], None]


class RefusedRevision(ValueError):
    """An incident revision the store will not apply (ingest turns it into a dead letter with this reason)."""


def _check_revision(row: IncidentRow | None, ev: IncidentEvent) -> None:
    """An incident keeps its camera and type for life, and ``seq`` moves in bounded steps, so a writer on the
    stream can neither move an incident elsewhere nor freeze it with a huge ``seq``."""
    if row is None:
        if ev.seq > MAX_SEQ_STEP:
            raise RefusedRevision(f"seq {ev.seq} of new incident {ev.id!r} is over the first-revision bound {MAX_SEQ_STEP}")
        return
    ev_type = ev.type.value if isinstance(ev.type, Enum) else ev.type
    if ev.camera_id != row.camera_id:
        raise RefusedRevision(f"revision {ev.seq} of {ev.id!r} changes its camera ({row.camera_id!r} -> {ev.camera_id!r})")
    if ev_type != row.type:
        raise RefusedRevision(f"revision {ev.seq} of {ev.id!r} changes its type ({row.type!r} -> {ev_type!r})")
    if ev.seq - row.seq > MAX_SEQ_STEP:
        raise RefusedRevision(f"seq of {ev.id!r} jumps from {row.seq} to {ev.seq} (more than {MAX_SEQ_STEP})")


def _ensure_sqlite_dir(url: str) -> None:
    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


class Store:
    """Incidents, counts and camera health behind SQLAlchemy, plus evidence files under ``media_dir``.

    Upserts are idempotent so at-least-once delivery is harmless: an incident revision overwrites the row
    only when its ``seq`` is higher; counts keep the max running total; health keeps the newest ``ts``.
    ``on_incident_changed`` hooks run inside the same transaction right after a row changes (the search
    index uses this to stay in step with the commit).

    Opening a store upgrades its schema to this release's Alembic revision (``services.migrations``);
    with ``upgrade=False`` an outdated store is refused with :class:`~services.migrations.StoreNeedsUpgrade`,
    whose message names ``citylens db upgrade``.

    Example:
        >>> store = Store("sqlite:///./.citylens/citylens.db", "./.citylens/media")  # doctest: +SKIP
        >>> store.upsert_incident(event)  # doctest: +SKIP
        True
    """

    def __init__(self, url: str, media_dir: str | os.PathLike, *, upgrade: bool = True) -> None:
        _ensure_sqlite_dir(url)
        self.url = url
        self.media_dir = Path(media_dir)
        self.media_dir.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.on_incident_changed: list[IncidentHook] = []
        # Run inside the deleting transaction, before the incident rows go (side tables still see them).
        self.on_incidents_deleted: list[DeleteHook] = []
        # The schema is Alembic's (services/migrations): upgrade on open, or refuse naming the command.
        if upgrade:
            migrations.upgrade(self.engine)
        else:
            migrations.check(self.engine)
        self.analyze_if_unplanned()

    def analyze_if_unplanned(self, min_rows: int = 10_000) -> None:
        # Without sqlite_stat1 the planner guesses that every index is equally selective and may walk
        # started_at over the whole table; ANALYZE once when a big table has indexes without statistics
        # (new indexes on an old database). ~2 s at 1M incidents; small stores skip it.
        if self.engine.dialect.name != "sqlite":
            return
        with self.engine.begin() as conn:
            if (conn.exec_driver_sql("SELECT max(rowid) FROM incidents").scalar() or 0) < min_rows:
                return
            has_stats = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() is not None
            names = {r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incidents' AND sql IS NOT NULL")}
            if has_stats:
                names -= {r[0] for r in conn.exec_driver_sql("SELECT idx FROM sqlite_stat1 WHERE tbl = 'incidents'")}
            if names:
                log.info("store: analysing incidents for the query planner (%d indexes lack statistics)", len(names))
                conn.exec_driver_sql("ANALYZE")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: commit on success, roll back on any error."""
        with self._sessions() as s, s.begin():
            yield s

    def close(self) -> None:
        if self.engine.dialect.name == "sqlite":
            try:  # SQLite's advice for long-lived connections: refresh planner statistics that went stale
                with self.engine.begin() as conn:
                    conn.exec_driver_sql("PRAGMA optimize")
            except Exception as e:  # a read-only or locked database must not fail shutdown
                log.warning("store: PRAGMA optimize on close failed: %s", e)
        self.engine.dispose()

    # ------------------------------------------------------------------------------------------- writes
    def upsert_incident(self, ev: IncidentEvent, *, session: Session | None = None) -> bool:
        """Insert or, if ``ev.seq`` is newer, overwrite; returns True when the row changed."""
        if session is None:
            with self.session() as s:
                return self.upsert_incident(ev, session=s)
        row = session.get(IncidentRow, ev.id)
        _check_revision(row, ev)
        values = ev.model_dump(include=set(_INCIDENT_COLUMNS) - {"facts"}, mode="python")
        values = {k: (v.value if isinstance(v, Enum) else v) for k, v in values.items()}
        values["facts"] = ev.facts  # the typed model, so hooks that run before a reload see what a read returns
        if row is None:
            row = IncidentRow(id=ev.id, ingested_at=utcnow(), **values)
            session.add(row)
        elif ev.seq > row.seq:
            for k, v in values.items():
                setattr(row, k, v)
            row.ingested_at = utcnow()
        else:
            # An older or duplicate revision: only fill evidence the newer one lacked (out-of-order delivery).
            if not self._save_media(row, ev, only_missing=True):
                return False
            session.flush()
            return True
        self._save_media(row, ev, only_missing=False)
        session.flush()
        for hook in self.on_incident_changed:
            hook(session, row)
        return True

    def _save_media(self, row: IncidentRow, ev: IncidentEvent, *, only_missing: bool) -> bool:
        # Caption-only revisions carry no bytes: the paths of the earlier revision stay.
        changed = False
        for name in media.EVIDENCE_NAMES:
            data: bytes | None = getattr(ev, name)
            attr = f"{name}_path"
            if data and not (only_missing and getattr(row, attr)):
                setattr(row, attr, media.save_evidence(self.media_dir, ev.camera_id, ev.id, name, data))
                changed = True
        return changed

    def upsert_count(self, ev: CountEvent, *, session: Session | None = None) -> bool:
        if session is None:
            with self.session() as s:
                return self.upsert_count(ev, session=s)
        row = session.get(CountRow, ev.key)
        if row is None:
            session.add(CountRow(key=ev.key, camera_id=ev.camera_id, kind=ev.kind, name=ev.name, object_class=ev.object_class,
                                 direction=ev.direction, bucket_start=ev.bucket_start, count=ev.count, run_id=ev.run_id))
            return True
        if ev.count > row.count:
            row.count = ev.count
            return True
        return False

    def upsert_health(self, ev: HealthEvent, *, session: Session | None = None) -> bool:
        if session is None:
            with self.session() as s:
                return self.upsert_health(ev, session=s)
        row = session.get(CameraHealthRow, ev.camera_id)
        if row is not None and row.ts > ev.ts:
            return False
        values = ev.model_dump(mode="python")
        values["state"] = ev.state.value
        if row is None:
            session.add(CameraHealthRow(**values, updated_at=utcnow()))
        else:
            for k, v in values.items():
                setattr(row, k, v)
            row.updated_at = utcnow()
        return True

    def add_dead_letter(self, stream: str, entry_id: str, error: str, fields: dict, *, session: Session) -> None:
        """Keep a refused entry whole (nothing is lost): text fields as they are, binary ones (evidence, or
        anything not UTF-8) base64-encoded under ``<name>.b64``. Retention deletes dead letters with the rest."""
        kept: dict[str, str] = {}
        for k, v in (fields or {}).items():
            key = k.decode(errors="replace") if isinstance(k, bytes) else str(k)
            if isinstance(v, bytes):
                try:
                    if key in media.EVIDENCE_NAMES:
                        raise UnicodeDecodeError("utf-8", v, 0, 0, "evidence is binary")
                    kept[key] = v.decode()
                except UnicodeDecodeError:
                    kept[f"{key}.b64"] = base64.b64encode(v).decode()
            else:
                kept[key] = str(v)
        session.add(DeadLetterRow(stream=stream, entry_id=entry_id, error=error[:4000], fields=kept, received_at=utcnow()))

    def ack_incident(self, incident_id: str, by: str, at: datetime) -> IncidentRow | None:
        """Acknowledge once: a repeated ack keeps the first (who and when); None if the incident is unknown."""
        with self.session() as s:
            row = s.get(IncidentRow, incident_id)
            if row is not None and row.acked_at is None:
                row.acked_at, row.acked_by = at, by
            return row

    def add_note(self, incident_id: str, author: str, note: str, at: datetime) -> NoteRow | None:
        with self.session() as s:
            if s.get(IncidentRow, incident_id) is None:
                return None
            row = NoteRow(incident_id=incident_id, author=author, text=note, created_at=at)
            s.add(row)
            s.flush()
            return row

    def delete_incidents(self, session: Session, ids: list[str]) -> list[str]:
        """Delete incidents with their notes, audit and search rows; returns their evidence paths (relative to media_dir).

        Every deletion goes through here (retention included). Hooks run first (the search index drops the
        incidents' vectors); files are the caller's to remove *after* commit, so a rollback never leaves rows
        without their images.
        """
        if not ids:
            return []
        for hook in self.on_incidents_deleted:
            hook(session, ids)
        paths = [p for snap, crop in session.execute(
            select(IncidentRow.snapshot_path, IncidentRow.crop_path).where(IncidentRow.id.in_(ids))) for p in (snap, crop) if p]
        if self.engine.dialect.name == "sqlite":
            # incidents_fts is external-content FTS5: its rows go by the 'delete' command with the old text,
            # which incident_attrs still holds at this point (both tables come with the schema, migration 0001).
            session.execute(_FTS_DELETE, {"ids": ids})
        session.execute(_ATTRS_DELETE, {"ids": ids})
        session.execute(delete(NoteRow).where(NoteRow.incident_id.in_(ids)))
        session.execute(delete(AuditRow).where(AuditRow.target.in_([f"incident:{i}" for i in ids])))
        session.execute(delete(IncidentRow).where(IncidentRow.id.in_(ids)))
        return paths

    # -------------------------------------------------------------------------------------------- reads
    def list_notes(self, incident_id: str) -> list[NoteRow]:
        with self._sessions() as s:
            return list(s.scalars(select(NoteRow).where(NoteRow.incident_id == incident_id).order_by(NoteRow.id)))

    def get_incident(self, incident_id: str) -> IncidentRow | None:
        with self._sessions() as s:
            return s.get(IncidentRow, incident_id)

    def list_incidents(
        self, filters: IncidentFilter | None = None, cursor: str | None = None, limit: int = 50
    ) -> tuple[list[IncidentRow], str | None]:
        """Newest first by (started_at, id); returns (rows, next_cursor) — next_cursor is None on the last page."""
        stmt = incident_select(filters or IncidentFilter(), IncidentRow)
        if cursor:
            ts, iid = decode_cursor(cursor)
            c = IncidentRow
            stmt = stmt.where(or_(c.started_at < ts, and_(c.started_at == ts, c.id < iid)))
        stmt = stmt.order_by(IncidentRow.started_at.desc(), IncidentRow.id.desc()).limit(limit + 1)
        with self._sessions() as s:
            rows = list(s.scalars(stmt))
        if len(rows) > limit:
            rows = rows[:limit]
            return rows, encode_cursor(rows[-1].started_at, rows[-1].id)
        return rows, None

    def count_incidents(self, filters: IncidentFilter | None = None) -> int:
        stmt = incident_select(filters or IncidentFilter(), func.count())
        with self._sessions() as s:
            return int(s.scalar(stmt) or 0)

    def counts(
        self, *, camera_id: list[str] | None = None, kind: str | None = None, name: list[str] | None = None,
        object_class: list[str] | None = None, direction: list[str] | None = None, since: datetime | None = None,
        until: datetime | None = None, bucket: Literal["minute", "hour", "day"] = "hour",
        after: CountBucket | None = None, limit: int | None = None, run_id: str | None = None,
    ) -> list[CountBucket]:
        """Sums of counts per (time bucket, camera, kind, name, class, direction), oldest bucket first.

        ``after`` (the last bucket of the previous page) and ``limit`` page through the sums in that order.
        With a limit and a bounded window, the window is read in bucket-aligned slices (an hour of minute
        buckets first, doubling while they hold too few sums), so a page costs what it returns, not the window.
        """
        if limit is None or since is None or until is None:
            return self._counts(camera_id, kind, name, object_class, direction, since, until, bucket, after, limit,
                                run_id=run_id)
        lo = max(since, after.bucket_start) if after is not None else since
        step = _FIRST_SLICE[bucket]
        out: list[CountBucket] = []
        while lo < until and len(out) < limit:
            hi = until if until - lo <= step else max(_bucket_floor(lo + step, bucket), lo + timedelta(minutes=1))
            got = self._counts(camera_id, kind, name, object_class, direction, since, hi, bucket,
                               out[-1] if out else after, limit - len(out), lo, run_id=run_id)
            out += got
            lo, step = hi, step * 2
        return out

    def _counts(self, camera_id, kind, name, object_class, direction, since, until, bucket, after, limit,
                lo: datetime | None = None, *, run_id: str | None = None) -> list[CountBucket]:
        c = CountRow
        where = self._count_where(camera_id, kind, name, object_class, direction)
        if run_id:
            where.append(c.run_id == run_id)
        if since is not None:
            where.append(c.bucket_start >= since)
        if lo is not None:
            where.append(c.bucket_start >= lo)
        if until is not None:
            where.append(c.bucket_start < until)
        sqlite = self.engine.dialect.name == "sqlite"
        fmt = {"minute": "%Y-%m-%d %H:%M:00", "hour": "%Y-%m-%d %H:00:00", "day": "%Y-%m-%d 00:00:00"}[bucket]
        b = func.strftime(fmt, c.bucket_start) if sqlite else func.date_trunc(bucket, c.bucket_start)
        dims = (c.camera_id, c.kind, c.name, c.object_class, c.direction)
        stmt = select(b.label("b"), *dims, func.sum(c.count)).where(*where).group_by(b, *dims)
        if after is not None:
            start = after.bucket_start.astimezone(timezone.utc)
            where_after = c.bucket_start >= start  # earlier rows cannot sort after the cursor's bucket
            key = start.replace(tzinfo=None).strftime(fmt) if sqlite else start
            stmt = stmt.where(where_after).having(
                tuple_(b, *dims) > tuple_(literal(key), literal(after.camera_id), literal(after.kind),
                                          literal(after.name), literal(after.object_class), literal(after.direction)))
        stmt = stmt.order_by(b, *dims)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._sessions() as s:
            rows = s.execute(stmt).all()
        out = []
        for bstart, cam, k, n, cls, d, total in rows:
            dt = bstart if isinstance(bstart, datetime) else datetime.fromisoformat(str(bstart))
            out.append(CountBucket(dt.replace(tzinfo=timezone.utc), cam, k, n, cls, d, int(total)))
        return out

    def latest_count_bucket(self, *, camera_id: list[str] | None = None, kind: str | None = None,
                            name: list[str] | None = None, object_class: list[str] | None = None,
                            direction: list[str] | None = None) -> datetime | None:
        """Start of the newest count bucket matching the filters (None when there is none)."""
        stmt = select(func.max(CountRow.bucket_start)).where(
            *self._count_where(camera_id, kind, name, object_class, direction))
        with self._sessions() as s:
            got = s.scalar(stmt)
        if got is None:
            return None
        got = got if isinstance(got, datetime) else datetime.fromisoformat(str(got))
        return got.replace(tzinfo=timezone.utc) if got.tzinfo is None else got

    @staticmethod
    def _count_where(camera_id, kind, name, object_class, direction) -> list:
        c = CountRow
        where = []
        for col, values in ((c.camera_id, camera_id), (c.name, name), (c.object_class, object_class), (c.direction, direction)):
            if values:
                where.append(col.in_(list(values)))
        if kind:
            where.append(c.kind == kind)
        return where

    def camera_health(self) -> list[CameraHealthRow]:
        with self._sessions() as s:
            return list(s.scalars(select(CameraHealthRow).order_by(CameraHealthRow.camera_id)))

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                return conn.exec_driver_sql("SELECT 1").scalar() == 1
        except Exception:  # noqa: BLE001 - health check reports any failure as "store not ok"
            log.exception("store ping failed")
            return False


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the API read while ingest writes; busy_timeout waits out the writer instead of failing.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    # Reads through mmap instead of one pread per page: filtered searches touch tens of thousands of rows.
    cur.execute("PRAGMA mmap_size=1073741824")
    cur.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache per connection
    cur.close()


__all__ = ["ApiKeyRow", "AuditRow", "Base", "CameraHealthRow", "CountBucket", "CountRow", "DeadLetterRow", "DeleteHook",
           "IncidentHook", "IncidentRow", "InvalidCursor", "NoteRow", "RefusedRevision", "Store",
           "decode_count_cursor", "decode_cursor", "encode_count_cursor", "encode_cursor",
           "filter_conditions", "filter_params", "incident_attrs", "incident_column", "incident_select", "incident_where"]
