"""Edge → center transport over Redis Streams, with a bounded on-disk spool while Redis is unreachable."""

from __future__ import annotations

import logging
import os
import re
import struct
import threading
import time
import zlib
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from citylens.contracts.events import Event, stream_for
from citylens.contracts.streams import (CONSUMER_GROUP, DATA_STREAMS, SOURCE_FIELD, STREAM_CONTROL, STREAM_COUNTS,
                                        STREAM_HEALTH, STREAM_INCIDENTS)

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


class Spool:
    """Append-only file of length-prefixed, checksummed records, bounded in bytes.

    Each ``append`` is fsync'd, so spooled events survive a crash of the edge process. When the file would
    grow past ``max_bytes`` the *oldest* records are dropped (the newest evidence is the most useful) and
    counted in ``dropped``. A torn last record (crash mid-write) fails its checksum and is discarded on load.

    Example:
        >>> s = Spool("/tmp/x.spool", max_bytes=1 << 20); s.append(b"payload"); s.read_all()
        [b'payload']
    """

    def __init__(self, path: str | os.PathLike, *, max_bytes: int) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.dropped = 0
        records = self.read_all()
        self._count = len(records)
        self._size = sum(_HEADER.size + len(r) for r in records)
        if self.path.exists() and self.path.stat().st_size != self._size:
            self._rewrite(records)  # drop a torn tail so later appends stay readable

    def __len__(self) -> int:
        return self._count

    @property
    def size_bytes(self) -> int:
        return self._size

    def append(self, payload: bytes) -> None:
        rec = _HEADER.pack(len(payload), zlib.crc32(payload)) + payload
        if len(rec) > self.max_bytes:
            self.dropped += 1
            log.warning("spool %s: record of %d bytes exceeds spool_max_bytes=%d; dropped", self.path, len(rec), self.max_bytes)
            return
        if self._size + len(rec) > self.max_bytes:
            self._drop_oldest(need=len(rec))
        with open(self.path, "ab") as f:
            f.write(rec)
            f.flush()
            os.fsync(f.fileno())
        self._size += len(rec)
        self._count += 1

    def read_all(self) -> list[bytes]:
        if not self.path.exists():
            return []
        data = self.path.read_bytes()
        out, i = [], 0
        while i + _HEADER.size <= len(data):
            n, crc = _HEADER.unpack_from(data, i)
            payload = data[i + _HEADER.size : i + _HEADER.size + n]
            if len(payload) != n or zlib.crc32(payload) != crc:
                log.warning("spool %s: discarding torn/corrupt tail at byte %d", self.path, i)
                break
            out.append(payload)
            i += _HEADER.size + n
        return out

    def replace(self, records: list[bytes]) -> None:
        """Keep only ``records`` (the ones not yet delivered)."""
        self._rewrite(records)

    def _drop_oldest(self, need: int) -> None:
        records = self.read_all()
        # Free down to 3/4 of the bound so a full spool does not rewrite the file on every append.
        target = min(self.max_bytes - need, self.max_bytes * 3 // 4)
        size = sum(_HEADER.size + len(r) for r in records)
        k = 0
        while k < len(records) and size > target:
            size -= _HEADER.size + len(records[k])
            k += 1
        self.dropped += k
        log.warning("spool %s full (%d bytes): dropped %d oldest events (%d dropped so far)", self.path, self.max_bytes, k, self.dropped)
        self._rewrite(records[k:])

    def _rewrite(self, records: list[bytes]) -> None:
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        with open(tmp, "wb") as f:
            for r in records:
                f.write(_HEADER.pack(len(r), zlib.crc32(r)) + r)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        self._count = len(records)
        self._size = sum(_HEADER.size + len(r) for r in records)


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
    ) -> None:
        self.maxlen = maxlen
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
        """Send spooled entries in order, one at a time so a failure mid-way duplicates nothing."""
        if not len(self._spool):
            if self._down_until:
                self._down_until = 0.0
            return True
        records = self._spool.read_all()
        done = 0
        try:
            for rec in records:
                stream, fields = _decode_entry(rec)
                self._xadd(stream, fields)
                done += 1
        except REDIS_DOWN_ERRORS as e:
            self._mark_down(e)
            return False
        finally:
            if done:
                self._spool.replace(records[done:])
                self._stats["replayed"] += done
        if self._down_until:
            log.info("publisher %s: Redis back; replayed %d spooled events", self.source, done)
        self._down_until = 0.0
        return True
