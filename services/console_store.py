"""Tables the browser console needs beside the store's: server-side sign-in sessions and the incident event log.

Their schema comes with the store's migrations (services/migrations/versions/0003_console_tables.py).

The event log gives every incident revision and operator action a monotonic id, written in the same
transaction as the change. ``/events`` streams rows after an id, so a client resuming with ``Last-Event-ID``
gets every event it missed once and only once, even across an API restart.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, Text, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from citylens.contracts import utcnow
from services.store import ApiKeyRow, Base, IncidentRow, Store, UTCDateTime

# How many events the log keeps; older ones are pruned as new ones arrive. A client gone longer than this
# many events resumes from the oldest kept (and the stream says so with a ``reset`` event).
EVENT_LOG_KEEP = 50_000
SESSION_COOKIE = "citylens_session"
CSRF_HEADER = "X-CSRF-Token"


class EventRow(Base):
    """One pushed event: an incident revision (``incident``) or an operator action (``ack``)."""

    __tablename__ = "incident_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    incident_id: Mapped[str] = mapped_column(String(64), index=True)
    camera_id: Mapped[str] = mapped_column(String(128))
    type: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)
    ts: Mapped[datetime] = mapped_column(UTCDateTime)
    data: Mapped[str] = mapped_column(Text)


class SessionRow(Base):
    """A browser sign-in: only the token's SHA-256 is kept; ``csrf`` is echoed back in a header on writes."""

    __tablename__ = "console_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[int] = mapped_column(Integer, index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


# ------------------------------------------------------------------------------------------------ events
def record_event(session: Session, row: IncidentRow, kind: str, data: str) -> EventRow:
    ev = EventRow(kind=kind, incident_id=row.id, camera_id=row.camera_id, type=row.type, seq=row.seq, ts=utcnow(),
                  data=data)
    session.add(ev)
    session.flush()
    if ev.id % 1000 == 0:  # prune now and then, not on every write
        session.execute(delete(EventRow).where(EventRow.id <= ev.id - EVENT_LOG_KEEP))
    return ev


def events_after(store: Store, after: int, *, cameras: list[str] | None = None, types: list[str] | None = None,
                 limit: int = 200) -> list[EventRow]:
    stmt = select(EventRow).where(EventRow.id > after)
    if cameras:
        stmt = stmt.where(EventRow.camera_id.in_(cameras))
    if types:
        stmt = stmt.where(EventRow.type.in_(types))
    with store.session() as s:
        return list(s.scalars(stmt.order_by(EventRow.id).limit(limit)))


def last_event_id(store: Store) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.max(EventRow.id))) or 0)


def first_event_id(store: Store) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.min(EventRow.id))) or 0)


def revisions(store: Store, incident_id: str, limit: int = 100) -> list[EventRow]:
    with store.session() as s:
        return list(s.scalars(select(EventRow).where(EventRow.incident_id == incident_id)
                              .order_by(EventRow.id).limit(limit)))


# ---------------------------------------------------------------------------------------------- sessions
@dataclass(frozen=True)
class NewSession:
    token: str
    csrf: str
    expires_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(store: Store, key_id: int, ttl_s: float) -> NewSession:
    now = utcnow()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    expires = now + timedelta(seconds=ttl_s)
    with store.session() as s:
        s.execute(delete(SessionRow).where(SessionRow.expires_at < now))
        s.add(SessionRow(token_hash=_hash(token), key_id=key_id, csrf=csrf, created_at=now, expires_at=expires))
    return NewSession(token=token, csrf=csrf, expires_at=expires)


def session_key(store: Store, token: str) -> tuple[SessionRow, ApiKeyRow] | None:
    """The live session and its still-active key, or None (unknown, expired, or the key was revoked)."""
    if not token or len(token) > 256:
        return None
    with store.session() as s:
        hit = s.execute(select(SessionRow, ApiKeyRow).join(ApiKeyRow, ApiKeyRow.id == SessionRow.key_id)
                        .where(SessionRow.token_hash == _hash(token), SessionRow.expires_at > utcnow(),
                               ApiKeyRow.revoked_at.is_(None))).first()
        return (hit[0], hit[1]) if hit else None


def delete_session(store: Store, token: str) -> None:
    with store.session() as s:
        s.execute(delete(SessionRow).where(SessionRow.token_hash == _hash(token)))


def key_active(store: Store, key_id: int) -> bool:
    with store.session() as s:
        return s.scalar(select(ApiKeyRow.id).where(ApiKeyRow.id == key_id, ApiKeyRow.revoked_at.is_(None))) is not None


__all__ = [
    "CSRF_HEADER", "EVENT_LOG_KEEP", "EventRow", "NewSession", "SESSION_COOKIE", "SessionRow", "create_session",
    "delete_session", "events_after", "first_event_id", "key_active", "last_event_id", "record_event",
    "revisions", "session_key",
]
