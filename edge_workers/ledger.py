"""The edge's own record of what it handed to the publisher: the reference that delivery tests check the store against."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from citylens.contracts import CountEvent, IncidentEvent


class PublishLedger:
    """Highest incident revision (``id → seq``) and highest running count (``key → count``) published.

    Appended to a JSON-lines file when ``path`` is given, so the record survives a restart of the camera
    worker (a killed actor loses its memory, not its file). Each line is written and flushed after the
    publisher accepted the event (sent to Redis or fsync'd to the spool), so the ledger never claims an
    event that was not safely handed on. It is not fsync'd itself: it is evidence for tests and audits,
    not a delivery mechanism.

    Example:
        >>> led = PublishLedger(); led.record(incident_event)  # doctest: +SKIP
        >>> led.incidents  # doctest: +SKIP
        {'0190…': 0}
    """

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path else None
        self.incidents: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)

    def record(self, event: object) -> None:
        """Note one event the publisher accepted (health events are not tracked: they are superseded)."""
        if isinstance(event, IncidentEvent):
            kind, key, value, table = "incident", event.id, event.seq, self.incidents
        elif isinstance(event, CountEvent):
            kind, key, value, table = "count", event.key, event.count, self.counts
        else:
            return
        with self._lock:
            table[key] = max(value, table.get(key, value))
            if self.path is not None:
                with open(self.path, "a") as f:
                    f.write(json.dumps({"k": kind, "id": key, "v": value}) + "\n")

    def snapshot(self) -> dict[str, dict[str, int]]:
        with self._lock:
            return {"incidents": dict(self.incidents), "counts": dict(self.counts)}

    @classmethod
    def load(cls, path: str | os.PathLike) -> "PublishLedger":
        """Read a ledger file back (all incarnations of a worker); a torn last line is ignored."""
        led = cls()
        p = Path(path)
        if not p.exists():
            return led
        for line in p.read_text().splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            table = led.incidents if rec["k"] == "incident" else led.counts
            table[rec["id"]] = max(rec["v"], table.get(rec["id"], rec["v"]))
        return led


def ledger_path(spool_dir: str | os.PathLike, camera_id: str) -> Path:
    """Where a camera's ledger lives: next to its spool, so one data dir holds both."""
    return Path(spool_dir) / camera_id / "ledger.jsonl"


__all__ = ["PublishLedger", "ledger_path"]
