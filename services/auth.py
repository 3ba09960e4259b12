"""Access control of the center: roles, hashed API keys, the audit log and per-key rate limits."""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import func, select

from citylens.contracts import utcnow
from services.store import ApiKeyRow, AuditRow, Store

log = logging.getLogger(__name__)

KEY_PREFIX = "clk_"
# The prefix shown in lists and logs: enough to tell keys apart, far too little to guess the rest (256 bits).
DISPLAY_CHARS = len(KEY_PREFIX) + 8


class Role(str, Enum):
    """What a key may do; each role includes the ones before it."""

    VIEWER = "viewer"  # every GET
    OPERATOR = "operator"  # + ack incidents, add notes
    ADMIN = "admin"  # + manage keys, read the audit log

    @property
    def rank(self) -> int:
        return _RANK[self]

    def allows(self, needed: "Role") -> bool:
        return self.rank >= needed.rank


_RANK = {Role.VIEWER: 0, Role.OPERATOR: 1, Role.ADMIN: 2}


@dataclass(frozen=True)
class Principal:
    """Who is calling: a key, or the open-mode stand-in (``key_id`` None)."""

    key_id: int | None
    name: str
    role: Role

    @property
    def bucket(self) -> str:
        return f"key:{self.key_id}" if self.key_id is not None else f"open:{self.name}"


OPEN_MODE_NAME = "open-mode"


def generate_key() -> str:
    """A new plaintext key: ``clk_`` + 32 random bytes, URL-safe base64."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    # Plain SHA-256 is enough: keys carry 256 random bits, so there is nothing for a slow hash to protect
    # against, and a fast hash keeps the per-request lookup cheap.
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(store: Store, name: str, role: Role, *, key: str | None = None,
               now: datetime | None = None) -> tuple[ApiKeyRow, str]:
    """Store a new key (or the given plaintext, e.g. ``CITYLENS_ADMIN_KEY``); returns (row, plaintext)."""
    key = key or generate_key()
    row = ApiKeyRow(name=name, role=Role(role).value, key_hash=hash_key(key), prefix=key[:DISPLAY_CHARS],
                    created_at=now or utcnow())
    with store.session() as s:
        s.add(row)
        s.flush()
    return row, key


def verify_key(store: Store, key: str) -> ApiKeyRow | None:
    """The active key row matching ``key``, or None (unknown or revoked)."""
    if not key or len(key) > 256:
        return None
    with store.session() as s:
        return s.scalar(select(ApiKeyRow).where(ApiKeyRow.key_hash == hash_key(key), ApiKeyRow.revoked_at.is_(None)))


def list_keys(store: Store, *, include_revoked: bool = True) -> list[ApiKeyRow]:
    stmt = select(ApiKeyRow).order_by(ApiKeyRow.id)
    if not include_revoked:
        stmt = stmt.where(ApiKeyRow.revoked_at.is_(None))
    with store.session() as s:
        return list(s.scalars(stmt))


def count_active_keys(store: Store, role: Role | None = None) -> int:
    stmt = select(func.count()).select_from(ApiKeyRow).where(ApiKeyRow.revoked_at.is_(None))
    if role is not None:
        stmt = stmt.where(ApiKeyRow.role == role.value)
    with store.session() as s:
        return int(s.scalar(stmt) or 0)


class LastAdminKey(RuntimeError):
    """Revoking this key would leave no active admin key."""


def revoke_key(store: Store, key_id: int, *, now: datetime | None = None) -> ApiKeyRow | None:
    """Revoke (idempotently); None if no such key. Refuses to revoke the last active admin key."""
    with store.session() as s:
        row = s.get(ApiKeyRow, key_id)
        if row is None or row.revoked_at is not None:
            return row
        if row.role == Role.ADMIN.value:
            admins = s.scalar(select(func.count()).select_from(ApiKeyRow).where(
                ApiKeyRow.revoked_at.is_(None), ApiKeyRow.role == Role.ADMIN.value))
            if admins <= 1:
                raise LastAdminKey(f"key {key_id} is the last active admin key; create another admin key first")
        row.revoked_at = now or utcnow()
        return row


def seed_admin_key(store: Store, key: str | None) -> ApiKeyRow | None:
    """Store ``key`` as an admin key named ``bootstrap-admin`` if the store has no keys at all."""
    if not key:
        return None
    with store.session() as s:
        if s.scalar(select(func.count()).select_from(ApiKeyRow)):
            return None
    row, _ = create_key(store, "bootstrap-admin", Role.ADMIN, key=key)
    log.warning("seeded admin key %s… from CITYLENS_ADMIN_KEY; create named keys and unset it", row.prefix)
    return row


# ------------------------------------------------------------------------------------------------- audit
def record_audit(store: Store, who: Principal, action: str, target: str | None, detail: dict[str, Any] | None = None,
                 *, client_ip: str | None = None, now: datetime | None = None) -> AuditRow:
    row = AuditRow(ts=now or utcnow(), key_id=who.key_id, key_name=who.name, role=who.role.value, action=action,
                   target=target, detail=detail or {}, client_ip=client_ip)
    with store.session() as s:
        s.add(row)
        s.flush()
    return row


def list_audit(store: Store, *, since: datetime | None = None, until: datetime | None = None,
               action: list[str] | None = None, before_id: int | None = None,
               limit: int = 100) -> tuple[list[AuditRow], int | None]:
    """Newest first; returns (rows, next before_id) — None on the last page."""
    where = []
    if since is not None:
        where.append(AuditRow.ts >= since)
    if until is not None:
        where.append(AuditRow.ts < until)
    if action:
        where.append(AuditRow.action.in_(action))
    if before_id is not None:
        where.append(AuditRow.id < before_id)
    with store.session() as s:
        rows = list(s.scalars(select(AuditRow).where(*where).order_by(AuditRow.id.desc()).limit(limit + 1)))
    if len(rows) > limit:
        return rows[:limit], rows[limit - 1].id
    return rows, None


# -------------------------------------------------------------------------------------------- rate limits
@dataclass
class _Bucket:
    tokens: float
    last: float


@dataclass
class RateLimiter:
    """Token bucket per key, in this process's memory.

    Each key holds up to ``burst`` tokens and earns ``rate`` tokens per second; a request spends one.
    Raising ``rate`` lets a client poll faster; raising ``burst`` absorbs page loads that fire many requests
    at once. ``rate`` 0 disables limiting. Buckets are per process: N API workers allow N times the rate.

    Example:
        >>> rl = RateLimiter(rate=1.0, burst=2, clock=lambda: 0.0)
        >>> [rl.acquire("k") for _ in range(3)]
        [0.0, 0.0, 1.0]
    """

    rate: float
    burst: int
    clock: Callable[[], float] = time.monotonic
    max_keys: int = 10_000  # bounds memory when open mode keys buckets by client
    _buckets: OrderedDict[str, _Bucket] = field(default_factory=OrderedDict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def wait(self, key: str) -> float:
        """Seconds until ``key`` has a token (0.0 when it has one now), without spending it."""
        if self.rate <= 0:
            return 0.0
        with self._lock:
            b = self._buckets.get(key)
            if b is None:
                return 0.0
            tokens = min(float(self.burst), b.tokens + (self.clock() - b.last) * self.rate)
            return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

    def acquire(self, key: str) -> float:
        """Spend a token; returns 0.0 when allowed, else the seconds until one is available."""
        if self.rate <= 0:
            return 0.0
        now = self.clock()
        with self._lock:
            b = self._buckets.pop(key, None) or _Bucket(tokens=float(self.burst), last=now)
            b.tokens = min(float(self.burst), b.tokens + (now - b.last) * self.rate)
            b.last = now
            self._buckets[key] = b  # most recently used last: eviction drops the idlest
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            if b.tokens >= 1.0:
                b.tokens -= 1.0
                return 0.0
            return (1.0 - b.tokens) / self.rate


__all__ = [
    "DISPLAY_CHARS", "KEY_PREFIX", "LastAdminKey", "OPEN_MODE_NAME", "Principal", "RateLimiter", "Role",
    "count_active_keys", "create_key", "generate_key", "hash_key", "list_audit", "list_keys", "record_audit",
    "revoke_key", "seed_admin_key", "verify_key",
]
