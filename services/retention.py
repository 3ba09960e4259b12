"""Data retention: delete incidents (rows, evidence files, notes, audit and search rows) and counts past a deadline."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from citylens.contracts import utcnow
from services import media
from services.store import CountRow, DeadLetterRow, IncidentRow, Store

log = logging.getLogger(__name__)

# Ids per transaction: far below SQLite's bound-parameter limit, and short transactions keep ingest unblocked.
BATCH = 500


@dataclass
class RetentionReport:
    """What one purge removed."""

    cutoff: datetime
    incidents: int = 0
    files: int = 0
    counts: int = 0
    dead_letters: int = 0

    def as_dict(self) -> dict:
        return {**asdict(self), "cutoff": self.cutoff.isoformat()}


def purge(store: Store, days: float, *, now: datetime | None = None, batch: int = BATCH) -> RetentionReport:
    """Delete what is older than ``days``: incidents last updated before the cutoff, count buckets and
    dead letters before it. Evidence files go after their rows are committed, so a failed transaction
    never leaves a row whose image is gone (a crash in between can leave an orphan file, never a dangling row).

    Example:
        >>> purge(store, days=30).incidents  # doctest: +SKIP
        120
    """
    if days <= 0:
        raise ValueError(f"days must be > 0, got {days}")
    cutoff = (now or utcnow()) - timedelta(days=days)
    report = RetentionReport(cutoff=cutoff)
    while True:
        with store.session() as s:
            # updated_at, not started_at: an incident still receiving revisions is not stale yet.
            ids = list(s.scalars(select(IncidentRow.id).where(IncidentRow.updated_at < cutoff).limit(batch)))
            if not ids:
                break
            paths = store.delete_incidents(s, ids)
        report.incidents += len(ids)
        report.files += _remove_files(store, paths)
    with store.session() as s:
        report.counts = s.execute(delete(CountRow).where(CountRow.bucket_start < cutoff)).rowcount or 0
        report.dead_letters = s.execute(delete(DeadLetterRow).where(DeadLetterRow.received_at < cutoff)).rowcount or 0
    if report.incidents or report.counts or report.dead_letters:
        log.info("retention: removed %s", report.as_dict())
    return report


def _remove_files(store: Store, rel_paths: list[str]) -> int:
    removed = 0
    for rel in rel_paths:
        try:
            path = media.resolve(store.media_dir, rel)
        except ValueError:
            log.warning("retention: skipping unsafe media path %r", rel)
            continue
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            pass
        except OSError as e:
            log.warning("retention: cannot delete %s: %s", path, e)
            continue
        try:
            path.parent.rmdir()  # the incident's folder, once both images are gone
        except OSError:
            pass
    return removed


class RetentionJob:
    """Runs :func:`purge` every ``interval_s`` in a daemon thread (inside the API's lifespan).

    Args:
        store: the store to prune.
        days: retention; incidents and counts older than this are deleted.
        interval_s: pause between runs; lower keeps data closer to the deadline, each run costs an indexed scan.
        clock: injected for tests.

    Example:
        >>> job = RetentionJob(store, days=30, interval_s=3600).start()  # doctest: +SKIP
        >>> job.stop()  # doctest: +SKIP
    """

    def __init__(self, store: Store, *, days: float, interval_s: float,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.days = days
        self.interval_s = interval_s
        self.clock = clock
        self.last: RetentionReport | None = None
        self.runs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="retention", daemon=True)

    def start(self) -> "RetentionJob":
        self._thread.start()
        return self

    def run_once(self) -> RetentionReport:
        self.last = purge(self.store, self.days, now=self.clock())
        self.runs += 1
        return self.last

    def _run(self) -> None:
        # The first run happens at start (even if stop() came first): a restart never postpones deletion.
        while True:
            try:
                self.run_once()
            except Exception:  # noqa: BLE001 - a failed run (locked DB, full disk) is retried next interval
                log.exception("retention: run failed; retrying in %.0fs", self.interval_s)
            if self._stop.wait(self.interval_s):
                return

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)


__all__ = ["BATCH", "RetentionJob", "RetentionReport", "purge"]
