"""Redis Streams → store: a consumer-group reader that upserts each batch in one transaction, then ACKs."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable

import redis
from sqlalchemy.exc import OperationalError
from tenacity import RetryCallState, Retrying, wait_exponential, wait_random

from citylens.contracts import CONSUMER_GROUP, CountEvent, DATA_STREAMS, HealthEvent, IncidentEvent, event_from_fields
from citylens.contracts.redact import redact_url
from citylens.contracts.streams import SOURCE_FIELD, verify_fields
from services.store import IncidentRow, Store

log = logging.getLogger(__name__)

CommitListener = Callable[[list[IncidentRow]], None]


def _s(x: bytes | str) -> str:
    return x.decode() if isinstance(x, bytes) else x


def _parse_id(eid: str) -> tuple[int, int]:
    ms, _, seq = eid.partition("-")
    return int(ms), int(seq or 0)


# Length, first and last id of a stream, computed inside Redis so no entry body crosses the network
# (XINFO STREAM and XRANGE would send the first/last entries' payloads, which may be megabytes).
_STREAM_SPAN_LUA = """
local n = redis.call('XLEN', KEYS[1])
if n == 0 then return {0, false, false} end
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1][1]
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1][1]
return {n, first, last}
"""


REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError)
_REDIS_WAIT = wait_exponential(multiplier=0.2, max=10.0)
_BATCH_WAIT = wait_exponential(multiplier=0.5, max=30.0)


def _ingest_backoff(state: RetryCallState) -> float:
    """Redis down: 0.2 s doubling to 10 s; anything else: 0.5 s doubling to 30 s; each ±20%."""
    base = _REDIS_WAIT if isinstance(state.outcome.exception(), REDIS_DOWN) else _BATCH_WAIT
    return base(state) * wait_random(0.8, 1.2)(state)


class UntrustedEntry(ValueError):
    """An entry whose origin cannot be verified (signature, box or camera); it becomes a dead letter."""


class Ingestor:
    """Reads the incident, count and health streams as one consumer of a group and writes the store.

    Delivery is at-least-once: a batch is committed to the store *before* it is acknowledged, so a crash
    between the two replays the batch, which the idempotent upserts absorb. Entries a dead consumer left
    pending are taken over with XAUTOCLAIM once idle for ``claim_idle_ms``. Entries that cannot be decoded
    are logged with their stream id, stored in ``dead_letters`` and acked, so one bad entry cannot wedge
    the group.

    Args:
        redis_url: Redis to read from.
        store: where events land.
        group: consumer-group name (all center processes share it).
        consumer_name: unique per process; pending entries are tracked per consumer.
        claim_idle_ms: reclaim others' pending entries idle this long; lower recovers a crash sooner, but
            too low steals entries a slow (alive) consumer is still working on (harmless, just duplicated work).
        batch: entries per stream per read; higher means fewer, larger transactions.
        block_ms: how long a read waits for new entries; also bounds how fast ``run`` notices ``stop``.

    Example:
        >>> ing = Ingestor(url, store, group="citylens-center", consumer_name="api-1", claim_idle_ms=30_000)  # doctest: +SKIP
        >>> ing.run_once()  # doctest: +SKIP
        3
    """

    def __init__(
        self,
        redis_url: str,
        store: Store,
        *,
        group: str = CONSUMER_GROUP,
        consumer_name: str,
        claim_idle_ms: int = 30_000,
        batch: int = 64,
        block_ms: int = 1000,
        streams: tuple[str, ...] = DATA_STREAMS,
        box_keys: dict[str, bytes] | None = None,
        camera_boxes: dict[str, str] | None = None,
    ) -> None:
        self.redis_url = redis_url
        # With box keys every entry must carry a valid signature from the box named in its ``src``, and its
        # event must name that box and camera (and, with ``camera_boxes``, a camera of that box).
        self.box_keys = dict(box_keys or {})
        self.camera_boxes = dict(camera_boxes or {})
        self.store = store
        self.group = group
        self.consumer = consumer_name
        self.claim_idle_ms = claim_idle_ms
        self.batch = batch
        self.block_ms = block_ms
        self.streams = streams
        # Reads block up to block_ms, so the socket timeout must outlast them.
        self._redis = redis.Redis.from_url(redis_url, socket_timeout=block_ms / 1000 + 5, socket_connect_timeout=2)
        # Raw XAUTOCLAIM replies: redis-py's parser drops the next-start cursor when JUSTID is used.
        self._redis.set_response_callback("XAUTOCLAIM", lambda r, **_: r)
        self._groups_ready = False
        self.listeners: list[CommitListener] = []
        self._stats = {"processed": 0, "incidents_changed": 0, "duplicates": 0, "counts": 0, "health": 0,
                       "dead_letters": 0, "reclaimed": 0, "trimmed": 0, "errors": 0}
        self.last_ok_at: float | None = None

    # ------------------------------------------------------------------------------------------- control
    def ensure_groups(self) -> None:
        """Create the group on every stream (MKSTREAM, from id 0 so nothing published before is missed)."""
        for stream in self.streams:
            try:
                self._redis.xgroup_create(stream, self.group, id="0", mkstream=True)
            except redis.ResponseError as e:
                if "BUSYGROUP" not in str(e):
                    raise
        self._groups_ready = True

    def run_once(self) -> int:
        """Reclaim stale pending entries, then read new ones; returns how many entries were handled."""
        if not self._groups_ready:
            self.ensure_groups()
        try:
            n = self._reclaim()
            resp = self._redis.xreadgroup(self.group, self.consumer, {s: ">" for s in self.streams},
                                          count=self.batch, block=self.block_ms if n == 0 else None)
        except redis.ResponseError as e:
            if "NOGROUP" in str(e):  # Redis lost its data (no persistence) or the stream was deleted
                log.warning("ingest: consumer group missing (%s); recreating", e)
                self._groups_ready = False
                return 0
            raise
        for stream, entries in resp or []:
            n += self._handle(_s(stream), [(_s(i), f) for i, f in entries])
        self.last_ok_at = time.time()
        return n

    def run(self, stop: threading.Event) -> None:
        """Loop until ``stop`` is set; Redis outages and store errors are logged and retried with backoff.

        Backoff (tenacity, reset by each successful round): Redis unreachable 0.2 s doubling to 10 s; a failed
        batch (store error, bad code) 0.5 s doubling to 30 s, since its entries stay pending and come back.
        Each wait is jittered by ±20% so several consumers do not retry in step.
        """
        while not stop.is_set():
            retrying = Retrying(wait=_ingest_backoff, stop=lambda _: stop.is_set(), sleep=stop.wait,
                                before_sleep=self._failed, retry_error_callback=lambda _: None)
            retrying(self.run_once)

    def _failed(self, state: RetryCallState) -> None:
        e = state.outcome.exception()
        self._stats["errors"] += 1
        delay = state.next_action.sleep
        if isinstance(e, REDIS_DOWN):
            log.warning("ingest: Redis %s unreachable (%s); retrying in %.1fs", redact_url(self.redis_url), e, delay)
        else:  # the ingest loop must outlive any single bad batch
            log.error("ingest: batch failed; entries stay pending and are retried in %.1fs", delay, exc_info=e)

    def start_thread(self) -> tuple[threading.Thread, threading.Event]:
        """Run in a daemon thread (e.g. inside the API); set the returned event and join to stop."""
        stop = threading.Event()
        t = threading.Thread(target=self.run, args=(stop,), name=f"ingest-{self.consumer}", daemon=True)
        t.start()
        return t, stop

    def pending(self) -> int:
        """Entries delivered to the group but not yet acked, over all streams."""
        total = 0
        for stream in self.streams:
            try:
                total += int(self._redis.xpending(stream, self.group)["pending"])
            except redis.ResponseError:  # no group yet
                pass
        return total

    def lag(self) -> int:
        """Entries not yet delivered to the group, over all streams, counted without fetching any entry.

        Redis >= 7 reports it (``XINFO GROUPS`` ``lag``). On 6.2 it is estimated from ids: every entry when the
        group has read nothing that is still in the stream, none when it has read the newest, else the share of
        the stream's time span (ids are millisecond timestamps) after the last delivered id. Each call costs
        one ``XINFO GROUPS`` and one small script per stream, whatever the backlog.
        """
        total = 0
        for stream in self.streams:
            try:
                groups = {_s(g["name"]): g for g in self._redis.xinfo_groups(stream)}
            except redis.ResponseError:  # no stream yet
                continue
            g = groups.get(self.group)
            exact = g.get("lag") if g is not None else None
            if exact is not None:
                total += int(exact)
                continue
            total += self._estimate_lag(stream, _s(g["last-delivered-id"]) if g is not None else "0-0")
        return total

    def _estimate_lag(self, stream: str, last_delivered: str) -> int:
        n, first, last = self._redis.eval(_STREAM_SPAN_LUA, 1, stream)
        if not n:
            return 0
        ld, first, last = _parse_id(last_delivered), _parse_id(_s(first)), _parse_id(_s(last))
        if ld >= last:
            return 0
        if ld < first:
            return int(n)
        span = max(1, last[0] - first[0])
        share = (last[0] - ld[0]) / span
        return max(1, min(int(n), round(int(n) * share)))

    def stats(self) -> dict[str, int]:
        return dict(self._stats)

    def close(self) -> None:
        self._redis.close()

    # ----------------------------------------------------------------------------------------- internals
    def _reclaim(self) -> int:
        n = 0
        for stream in self.streams:
            start = "0-0"
            while True:
                # JUSTID, then XRANGE: Redis 6.2 answers XAUTOCLAIM with nil bodies for trimmed entries,
                # which redis-py cannot parse; fetching by id lets us ack those explicitly.
                nxt, ids = self._autoclaim_ids(stream, start)
                if ids:
                    entries = []
                    for eid in ids:
                        got = self._redis.xrange(stream, min=eid, max=eid)
                        if got:
                            entries.append((eid, got[0][1]))
                        else:
                            log.warning("ingest: pending entry %s %s was trimmed before processing; acking it", stream, eid)
                            self._redis.xack(stream, self.group, eid)
                            self._stats["trimmed"] += 1
                    self._stats["reclaimed"] += len(entries)
                    if entries:
                        log.info("ingest: reclaimed %d stale entries from %s", len(entries), stream)
                        n += self._handle(stream, entries)
                if nxt in ("0-0", start) or not ids:
                    break
                start = nxt
        return n

    def _autoclaim_ids(self, stream: str, start: str) -> tuple[str, list[str]]:
        resp = self._redis.execute_command("XAUTOCLAIM", stream, self.group, self.consumer, self.claim_idle_ms,
                                           start, "COUNT", self.batch, "JUSTID")
        return _s(resp[0]), [_s(i) for i in resp[1]]

    def _handle(self, stream: str, entries: list[tuple[str, dict]]) -> int:
        events: list[tuple[str, IncidentEvent | CountEvent | HealthEvent]] = []
        bad: list[tuple[str, str, dict]] = []
        raw = dict(entries)
        for eid, fields in entries:
            try:
                ev = event_from_fields(fields or {})
                if self.box_keys:
                    self._check_origin(fields or {}, ev)
                events.append((eid, ev))
            except Exception as e:  # noqa: BLE001 - any decode failure is a dead letter, never a crash
                log.error("ingest: undecodable entry %s %s: %s", stream, eid, e)
                bad.append((eid, f"{type(e).__name__}: {e}", fields or {}))
        try:
            changed, tally = self._commit(stream, events, bad)
        except (OperationalError, OSError):
            raise  # locked or full disk: transient, leave the batch pending and retry it whole
        except Exception:  # noqa: BLE001 - a poison entry must not wedge the group: isolate it
            log.exception("ingest: batch of %d from %s failed; retrying entry by entry", len(entries), stream)
            changed, tally = [], Counter()
            for eid, ev in events:
                try:
                    c, t = self._commit(stream, [(eid, ev)], [])
                except (OperationalError, OSError):
                    raise
                except Exception as e:  # noqa: BLE001
                    log.error("ingest: entry %s %s cannot be stored: %s", stream, eid, e)
                    c, t = self._commit(stream, [], [(eid, f"{type(e).__name__}: {e}", raw.get(eid) or {})])
                changed += c
                tally += t
            tally += self._commit(stream, [], bad)[1]
        # Committed: only now acknowledge, so a crash before this line replays the batch (idempotently).
        self._redis.xack(stream, self.group, *[eid for eid, _ in entries])
        tally["processed"] += len(entries)
        for k, v in tally.items():
            self._stats[k] += v
        # Listeners get each changed incident once per batch, at its newest committed revision.
        changed = list({row.id: row for row in changed}.values())
        for listener in self.listeners if changed else ():
            try:
                listener(changed)
            except Exception:  # noqa: BLE001 - a broken live-push client must not stop ingest
                log.exception("ingest: commit listener failed")
        return len(entries)

    def _check_origin(self, fields: dict, ev: IncidentEvent | CountEvent | HealthEvent) -> None:
        src = _s(fields.get(SOURCE_FIELD.encode(), fields.get(SOURCE_FIELD, b"")) or b"")
        box, _, camera = src.partition("/")
        key = self.box_keys.get(box)
        if key is None:
            raise UntrustedEntry(f"entry from unknown box {box!r} (src {src!r}); the center has no key for it")
        if not verify_fields(key, fields):
            raise UntrustedEntry(f"missing or bad signature for box {box!r}")
        if ev.box != box or (camera and ev.camera_id != camera):
            raise UntrustedEntry(f"box {box!r} signed an event for box {ev.box!r} camera {ev.camera_id!r}")
        owner = self.camera_boxes.get(ev.camera_id)
        if self.camera_boxes and owner != box:
            raise UntrustedEntry(f"camera {ev.camera_id!r} belongs to box {owner!r}, not {box!r}")

    def _commit(self, stream: str, events: list, bad: list[tuple[str, str, dict]]) -> tuple[list[IncidentRow], Counter]:
        """Upsert events and store dead letters in ONE transaction; returns changed rows and counters."""
        changed: list[IncidentRow] = []
        tally: Counter = Counter()
        with self.store.session() as s:
            for _eid, ev in events:
                if isinstance(ev, IncidentEvent):
                    if self.store.upsert_incident(ev, session=s):
                        changed.append(s.get(IncidentRow, ev.id))
                        tally["incidents_changed"] += 1
                    else:
                        tally["duplicates"] += 1
                elif isinstance(ev, CountEvent):
                    self.store.upsert_count(ev, session=s)
                    tally["counts"] += 1
                else:
                    self.store.upsert_health(ev, session=s)
                    tally["health"] += 1
            for eid, err, fields in bad:
                self.store.add_dead_letter(stream, eid, err, fields, session=s)
                tally["dead_letters"] += 1
        return changed, tally


__all__ = ["CommitListener", "Ingestor", "UntrustedEntry"]
