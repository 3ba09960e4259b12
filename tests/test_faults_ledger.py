"""The publish ledger the fault tests trust: highest revision per incident, highest total per count key, on disk."""

from __future__ import annotations

from datetime import datetime, timezone

from edge_workers.ledger import PublishLedger, ledger_path
from pipeline.types import CountEvent, HealthEvent, HealthState, IncidentEvent, IncidentState, IncidentType

T = datetime(2025, 1, 1, tzinfo=timezone.utc)


def _incident(seq: int, inc_id: str = "0190-a") -> IncidentEvent:
    return IncidentEvent(id=inc_id, seq=seq, state=IncidentState.UPDATED, type=IncidentType.LOITERING,
                         camera_id="cam", rule="loitering:table", started_at=T, updated_at=T)


def _count(n: int) -> CountEvent:
    return CountEvent(camera_id="cam", name="line", object_class="car", direction="in", bucket_start=T, count=n)


def test_ledger_keeps_the_highest_revision_and_total_and_ignores_health(tmp_path) -> None:
    led = PublishLedger(ledger_path(tmp_path, "cam"))
    for ev in (_incident(0), _incident(2), _incident(1), _count(3), _count(1),
               HealthEvent(camera_id="cam", state=HealthState.STREAMING, ts=T)):
        led.record(ev)
    assert led.snapshot() == {"incidents": {"0190-a": 2}, "counts": {_count(0).key: 3}}


def test_ledger_file_merges_every_incarnation_and_skips_a_torn_last_line(tmp_path) -> None:
    path = ledger_path(tmp_path, "cam")
    PublishLedger(path).record(_incident(0))
    second = PublishLedger(path)  # a restarted worker appends to the same file
    second.record(_incident(0, "0190-b"))
    second.record(_incident(1))
    with open(path, "a") as f:
        f.write('{"k": "incident", "id": "0190-c"')  # killed mid-write
    assert PublishLedger.load(path).incidents == {"0190-a": 1, "0190-b": 0}
