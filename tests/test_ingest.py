"""Ingest: stream entries land in the store exactly once, bad entries become dead letters, crashes are reclaimed."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
import redis
from sqlalchemy import select

from citylens.contracts import STREAM_COUNTS, STREAM_INCIDENTS
from edge_workers.bus import Publisher
from pipeline.types import CountEvent, HealthEvent, HealthState, IncidentEvent
from services.ingest import Ingestor
from services.store import CountRow, DeadLetterRow, IncidentRow
from tests.factories import make_incident, tiny_jpeg

# Store and ingest behave the same on both backends (a real PostgreSQL server: tests/pg.py, .ci/run).
STORE_BACKENDS = ("sqlite", "postgresql")

pytestmark = pytest.mark.slow  # real redis-server
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def incident(i: int, seq: int = 0, **kw) -> IncidentEvent:
    return make_incident(i, seq, step=timedelta(seconds=1), type="loitering", rule="loitering:bench", **kw)




@pytest.fixture
def pub(redis_server, tmp_path):
    p = Publisher(redis_server.url, maxlen=10_000, spool_dir=tmp_path / "spool", spool_max_bytes=1 << 20, source="box-1")
    yield p
    p.close()


def make_ingestor(url, store, name="c1", **kw) -> Ingestor:
    opts = dict(consumer_name=name, claim_idle_ms=60_000, batch=16, block_ms=50)
    return Ingestor(url, store, **{**opts, **kw})


def drain(ing: Ingestor) -> int:
    total = 0
    while (n := ing.run_once()) > 0:
        total += n
    return total


def test_events_duplicates_revisions_and_a_bad_entry_land_exactly_once_and_all_are_acked(redis_server, store, pub):
    ing = make_ingestor(redis_server.url, store)
    ing.ensure_groups()
    for i in range(40):
        pub.publish(incident(i))
    pub.publish(incident(3))  # duplicate delivery
    pub.publish(incident(7, seq=1, state="updated", snapshot=tiny_jpeg()))
    pub.publish(incident(7, seq=2, state="closed", caption="a person sat on the bench"))
    pub.publish(CountEvent(camera_id="cam-1", name="l1", object_class="car", direction="in", bucket_start=T0, count=4))
    pub.publish(HealthEvent(camera_id="cam-1", state=HealthState.STREAMING, ts=T0))
    r = redis.Redis.from_url(redis_server.url)
    r.xadd(STREAM_INCIDENTS, {"kind": "incident", "json": "{not json"})
    r.xadd(STREAM_COUNTS, {"garbage": "x"})

    assert drain(ing) == 47
    with store.session() as s:
        rows = {row.id: row for row in s.scalars(select(IncidentRow))}
        dead = list(s.scalars(select(DeadLetterRow)))
        counts = list(s.scalars(select(CountRow)))
    assert len(rows) == 40
    assert (rows["inc-00007"].seq, rows["inc-00007"].state, rows["inc-00007"].snapshot_path) == (2, "closed", "cam-1/inc-00007/snapshot.jpg")
    assert all(rows[f"inc-{i:05d}"].seq == 0 for i in range(40) if i != 7)
    assert sorted(d.stream for d in dead) == [STREAM_COUNTS, STREAM_INCIDENTS]
    assert [c.count for c in counts] == [4]
    assert [h.camera_id for h in store.camera_health()] == ["cam-1"]
    st = ing.stats()
    assert (st["dead_letters"], st["duplicates"], st["processed"]) == (2, 1, 47)
    assert ing.pending() == 0 and ing.lag() == 0
    r.close()


def test_an_entry_the_store_rejects_becomes_a_dead_letter_and_the_rest_of_its_batch_is_stored(redis_server, store, pub):
    ing = make_ingestor(redis_server.url, store)
    ing.ensure_groups()
    pub.publish(incident(1))
    # A hostile writer skips the edge's validation: the camera id would make an unsafe media path.
    pub.publish(incident(2).model_copy(update={"camera_id": "../../etc", "snapshot": tiny_jpeg()}))
    pub.publish(incident(3))
    assert drain(ing) == 3
    assert store.get_incident("inc-00001") and store.get_incident("inc-00003") and store.get_incident("inc-00002") is None
    with store.session() as s:
        (dead,) = s.scalars(select(DeadLetterRow))
    assert "camera_id" in dead.error and ing.pending() == 0


def test_a_consumer_killed_before_ack_is_reclaimed_and_stored_exactly_once(redis_server, store, pub):
    ing = make_ingestor(redis_server.url, store, name="dead")
    ing.ensure_groups()
    for i in range(10):
        pub.publish(incident(i))
    # The "dead" consumer reads but never commits nor acks: it crashed mid-batch.
    r = redis.Redis.from_url(redis_server.url)
    got = r.xreadgroup(ing.group, "dead", {STREAM_INCIDENTS: ">"}, count=100)
    assert len(got[0][1]) == 10 and ing.pending() == 10
    survivor = make_ingestor(redis_server.url, store, name="alive", claim_idle_ms=100)
    time.sleep(0.2)  # let the dead consumer's entries go idle past claim_idle_ms
    drain(survivor)
    with store.session() as s:
        ids = sorted(s.scalars(select(IncidentRow.id)))
    assert ids == [f"inc-{i:05d}" for i in range(10)]
    assert survivor.stats()["reclaimed"] == 10 and survivor.pending() == 0
    r.close()


def test_pending_survives_a_redis_restart_and_is_reclaimed(redis_server, store, pub):
    ing = make_ingestor(redis_server.url, store, name="dead")
    ing.ensure_groups()
    pub.publish(incident(1))
    r = redis.Redis.from_url(redis_server.url)
    r.xreadgroup(ing.group, "dead", {STREAM_INCIDENTS: ">"}, count=10)
    r.close()
    redis_server.stop()  # appendonly: the group and its pending list come back
    redis_server.start()
    survivor = make_ingestor(redis_server.url, store, name="alive", claim_idle_ms=100)
    time.sleep(0.2)
    drain(survivor)
    assert store.get_incident("inc-00001") is not None and survivor.pending() == 0


def test_run_loop_outlives_a_redis_outage_and_resumes(redis_server, store, pub):
    ing = make_ingestor(redis_server.url, store)
    ing.ensure_groups()
    t, stop = ing.start_thread()
    try:
        pub.publish(incident(1))
        _wait(lambda: store.get_incident("inc-00001") is not None)
        redis_server.stop()
        time.sleep(0.5)
        assert t.is_alive()
        redis_server.start()
        pub.publish(incident(2))
        _wait(lambda: store.get_incident("inc-00002") is not None, timeout=15)
        assert ing.stats()["errors"] >= 1
    finally:
        stop.set()
        t.join(10)
    assert not t.is_alive()


def test_listeners_hear_committed_incident_changes(redis_server, store, pub):
    ing = make_ingestor(redis_server.url, store)
    heard: list[tuple[str, int]] = []
    ing.listeners.append(lambda rows: heard.extend((r.id, r.seq) for r in rows))
    ing.ensure_groups()
    pub.publish(incident(1))
    drain(ing)
    pub.publish(incident(1))  # duplicate: nothing changed, nothing heard
    pub.publish(incident(2))
    pub.publish(incident(2, seq=1))  # two revisions in one batch: heard once, at the newest
    drain(ing)
    assert heard == [("inc-00001", 0), ("inc-00002", 1)]


def _wait(cond, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")



def test_ingest_backs_off_while_redis_is_unreachable_and_stops_when_asked(store) -> None:
    from tests.fault_helpers import free_port

    ing = Ingestor(f"redis://127.0.0.1:{free_port()}", store, consumer_name="c", block_ms=100)  # nothing listens
    thread, stop = ing.start_thread()
    time.sleep(1.0)  # backoff 0.2 s, 0.4 s, 0.8 s (±20%): two or three failed rounds in a second
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert 2 <= ing.stats()["errors"] <= 4, ing.stats()
