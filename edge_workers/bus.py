"""Edge → center transport over Redis Streams, with a bounded on-disk spool (SQLite) while Redis is unreachable."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import struct
import threading
import time
import zlib
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from citylens.contracts.events import Event, stream_for
from citylens.contracts.streams import (CONSUMER_GROUP, DATA_STREAMS, SIG_FIELD, SOURCE_FIELD, STREAM_CONTROL,
                                        STREAM_COUNTS, STREAM_HEALTH, STREAM_INCIDENTS, sign_fields)

log = logging.getLogger(__name__)

# Redis failures that mean "cannot take writes right now" (spool), as opposed to a bug (raise): unreachable,
# timed out, loading its data, a replica after failover, or out of memory.
REDIS_DOWN_ERRORS = (redis.ConnectionError, redis.TimeoutError, redis.exceptions.ReadOnlyError,
                     redis.exceptions.OutOfMemoryError, OSError)

# Wire names are declared in citylens.contracts; re-exported here for edge code that imports them from the bus.
__all__ = ["CONSUMER_GROUP", "DATA_STREAMS", "REDIS_DOWN_ERRORS", "SOURCE_FIELD", "STREAM_CONTROL", "STREAM_COUNTS",
           "STREAM_HEALTH", "STREAM_INCIDENTS", "Publisher", "Spool", "stream_for"]


# ---------------------------------------------------------------------------------------------- the spool
_HEADER = struct.Struct(">II")  # payload length, crc32(payload)
_LEN = struct.Struct(">I")


def _encode_entry(stream: str, fields: dict[str, bytes | str]) -> bytes:
    parts = [stream.encode(), *(x for k, v in fields.items() for x in (k.encode(), v if isinstance(v, bytes) else v.encode()))]
    return b"".join(_LEN.pack(len(p)) + p for p in parts)


def _decode_entry(payload: bytes) -> tuple[str, dict[str, bytes]]:
    parts: list[bytes] = []
    i = 0
    while i < len(payload):
        (n,) = _LEN.unpack_from(payload, i)
        parts.append(payload[i + 4 : i + 4 + n])
        i += 4 + n
    return parts[0].decode(), {parts[j].decode(): parts[j + 1] for j in range(1, len(parts) - 1, 2)}


_SQLITE_MAGIC = b"SQLite format 3\x00"
REPLAY_CHUNK = 256  # spooled records read per query during replay


def _read_legacy(path: Path) -> list[bytes]:
    """Records of a spool file written by an older release (length + crc32 framed); a torn tail is discarded."""
    data = path.read_bytes()
    out, i = [], 0
    while i + _HEADER.size <= len(data):
        n, crc = _HEADER.unpack_from(data, i)
        payload = data[i + _HEADER.size : i + _HEADER.size + n]
        if len(payload) != n or zlib.crc32(payload) != crc:
            log.warning("spool %s: discarding torn/corrupt tail at byte %d", path, i)
            break
        out.append(payload)
        i += _HEADER.size + n
    return out


class Spool:
    """Events waiting for Redis, oldest first, in one SQLite file; bounded in bytes.

    Each ``append`` is one committed, fsync'd insert (WAL, ``synchronous=FULL``), so spooled events survive a
    crash of the edge process and a crash mid-append loses at most that record. Delivered records are
    deleted by id (``remove_through``) and overflow deletes the oldest ids: neither rewrites the file (the
    single-file spool before it rewrote all of it on every overflow and every replay). Each record counts
    ``len(payload) + 8`` bytes against ``max_bytes``; beyond it the *oldest* are dropped (the newest
    evidence is the most useful), down to 3/4 of the bound so a full spool does not drop on every append,
    and counted in ``dropped``. A spool file of the old format found at ``path`` is imported once.

    Example:
        >>> s = Spool("/tmp/x.spool", max_bytes=1 << 20); s.append(b"payload"); s.read_all()  # doctest: +SKIP
        [b'payload']
    """

    def __init__(self, path: str | os.PathLike, *, max_bytes: int) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.dropped = 0
        self._lock = threading.Lock()
        legacy: list[bytes] = []
        if self.path.exists() and self.path.stat().st_size:
            with open(self.path, "rb") as f:
                if f.read(len(_SQLITE_MAGIC)) != _SQLITE_MAGIC:
                    legacy = _read_legacy(self.path)
            if legacy or self.path.stat().st_size < len(_SQLITE_MAGIC):
                self.path.unlink()
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY AUTOINCREMENT, payload BLOB NOT NULL)")
        self._count, payload_bytes = self._db.execute(
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(payload)), 0) FROM records").fetchone()
        self._size = payload_bytes + self._count * _HEADER.size
        for rec in legacy:
            self.append(rec)
        if legacy:
            log.info("spool %s: imported %d records from the old spool format", self.path, len(legacy))

    def __len__(self) -> int:
        return self._count

    @property
    def size_bytes(self) -> int:
        return self._size

    def append(self, payload: bytes) -> None:
        need = _HEADER.size + len(payload)
        if need > self.max_bytes:
            self.dropped += 1
            log.warning("spool %s: record of %d bytes exceeds spool_max_bytes=%d; dropped", self.path, need, self.max_bytes)
            return
        with self._lock:
            if self._size + need > self.max_bytes:
                self._drop_oldest(need)
            self._db.execute("INSERT INTO records (payload) VALUES (?)", (payload,))
            self._size += need
            self._count += 1

    def peek(self, limit: int) -> list[tuple[int, bytes]]:
        """The ``limit`` oldest records as ``(id, payload)``; ``remove_through(id)`` once they are delivered."""
        with self._lock:
            return self._db.execute("SELECT id, payload FROM records ORDER BY id LIMIT ?", (limit,)).fetchall()

    def remove_through(self, last_id: int) -> None:
        """Forget every record up to ``last_id`` (delivered)."""
        with self._lock:
            self._forget(last_id)

    def read_all(self) -> list[bytes]:
        with self._lock:
            return [r for (r,) in self._db.execute("SELECT payload FROM records ORDER BY id")]

    def close(self) -> None:
        self._db.close()

    def _drop_oldest(self, need: int) -> None:
        target = min(self.max_bytes - need, self.max_bytes * 3 // 4)
        size, cut, k = self._size, None, 0
        for rid, n in self._db.execute("SELECT id, LENGTH(payload) FROM records ORDER BY id").fetchall():
            if size <= target:
                break
            size, cut, k = size - _HEADER.size - n, rid, k + 1
        if cut is not None:
            self._forget(cut)
        self.dropped += k
        log.warning("spool %s full (%d bytes): dropped %d oldest events (%d dropped so far)", self.path, self.max_bytes, k, self.dropped)

    def _forget(self, last_id: int) -> None:
        n, payload_bytes = self._db.execute(
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(payload)), 0) FROM records WHERE id <= ?", (last_id,)).fetchone()
        self._db.execute("DELETE FROM records WHERE id <= ?", (last_id,))
        self._count -= n
        self._size -= payload_bytes + n * _HEADER.size


# ------------------------------------------------------------------------------------------- the publisher
class Publisher:
    """Publishes events to Redis Streams; never raises on a Redis outage.

    While Redis is unreachable, incident and count events go to a local :class:`Spool` (in order) and are
    replayed, in order and before any new event, on the next successful connection. Health events are
    *dropped* during an outage (counted in ``health_dropped``): they are periodic, the next one supersedes
    them, and replaying stale health would only mislead the control room.

    Args:
        redis_url: ``redis://`` or ``rediss://`` URL.
        maxlen: approximate MAXLEN per stream; higher keeps more history in Redis, lower bounds its memory.
        spool_dir: folder of the spool file ``<source>.spool``.
        spool_max_bytes: spool bound; the oldest events are dropped beyond it.
        source: name of the publishing box, stamped on each entry and naming the spool file.
        timeout_s: socket timeout; short so a dead Redis cannot stall the camera loop.
        retry_interval_s: after a failure, go straight to the spool for this long before trying Redis again.
        signing_key: this box's key (``CITYLENS_EDGE_KEY``): each entry gets a ``sig`` field (HMAC-SHA256 of
            the others) that a center holding the key verifies; None sends unsigned entries.

    Example:
        >>> pub = Publisher("redis://127.0.0.1:6379", maxlen=10_000, spool_dir="/tmp/spool",
        ...                 spool_max_bytes=1 << 26, source="box-1")  # doctest: +SKIP
        >>> pub.publish(incident_event)  # doctest: +SKIP
    """

    def __init__(
        self,
        redis_url: str,
        *,
        maxlen: int,
        spool_dir: str | os.PathLike,
        spool_max_bytes: int,
        source: str,
        timeout_s: float = 0.5,
        retry_interval_s: float = 1.0,
        signing_key: bytes | None = None,
    ) -> None:
        self.maxlen = maxlen
        self._signing_key = signing_key
        self.source = source
        self.retry_interval_s = retry_interval_s
        # One retry: a connection left stale by a Redis restart fails once, then reconnects.
        self._redis = redis.Redis.from_url(
            redis_url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s,
            retry=Retry(NoBackoff(), 1), retry_on_timeout=False,
        )
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", source) or "edge"
        self._spool = Spool(Path(spool_dir) / f"{safe}.spool", max_bytes=spool_max_bytes)
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._stats = {"published": 0, "spooled": 0, "replayed": 0, "health_dropped": 0}
        if len(self._spool):
            log.info("publisher %s: %d spooled events from a previous run will be replayed", source, len(self._spool))

    def publish(self, event: Event) -> None:
        """Send one event, or spool it while Redis is down. Never raises on an outage."""
        stream = stream_for(event)
        fields = {**event.to_fields(), SOURCE_FIELD: self.source}
        if self._signing_key:
            fields[SIG_FIELD] = sign_fields(self._signing_key, fields)
        with self._lock:
            if self._try_redis() and self._replay_spool_locked():
                try:
                    self._xadd(stream, fields)
                    self._stats["published"] += 1
                    return
                except REDIS_DOWN_ERRORS as e:
                    self._mark_down(e)
            if stream == STREAM_HEALTH:
                self._stats["health_dropped"] += 1
                return
            self._spool.append(_encode_entry(stream, fields))
            self._stats["spooled"] += 1

    def flush(self) -> bool:
        """Replay the spool now if Redis is reachable; True when the spool is empty afterwards."""
        with self._lock:
            return self._try_redis() and self._replay_spool_locked()

    def stats(self) -> dict[str, int]:
        """Counters: published, spooled, replayed, dropped (spool overflow), health_dropped, spool_pending."""
        with self._lock:
            return {**self._stats, "dropped": self._spool.dropped, "spool_pending": len(self._spool)}

    def close(self) -> None:
        """Try a last replay, then close the connection; what is left stays in the spool for next time."""
        try:
            self.flush()
        finally:
            self._redis.close()
            self._spool.close()

    # -------------------------------------------------------------------------------------------- internals
    def _xadd(self, stream: str, fields: dict) -> None:
        self._redis.xadd(stream, fields, maxlen=self.maxlen, approximate=True)

    def _try_redis(self) -> bool:
        return time.monotonic() >= self._down_until

    def _mark_down(self, err: Exception) -> None:
        if self._down_until == 0.0:
            log.warning("publisher %s: Redis unreachable (%s); spooling to %s", self.source, err, self._spool.path)
        self._down_until = time.monotonic() + self.retry_interval_s

    def _replay_spool_locked(self) -> bool:
        """Send spooled entries in order, one at a time so a failure mid-way duplicates nothing; each chunk's
        delivered records are deleted from the spool by id."""
        if not len(self._spool):
            if self._down_until:
                self._down_until = 0.0
            return True
        done = 0
        while chunk := self._spool.peek(REPLAY_CHUNK):
            sent = None
            try:
                for rid, rec in chunk:
                    stream, fields = _decode_entry(rec)
                    self._xadd(stream, fields)
                    sent, done = rid, done + 1
                    self._stats["replayed"] += 1
            except REDIS_DOWN_ERRORS as e:
                self._mark_down(e)
                return False
            finally:
                if sent is not None:
                    self._spool.remove_through(sent)
        if self._down_until:
            log.info("publisher %s: Redis back; replayed %d spooled events", self.source, done)
        self._down_until = 0.0
        return True
