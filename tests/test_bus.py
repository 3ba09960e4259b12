"""Publisher: XADD to the right stream, spool while Redis is down, replay in order once it is back."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import redis

from citylens.contracts import STREAM_COUNTS, STREAM_HEALTH, STREAM_INCIDENTS
from edge_workers.bus import Publisher, Spool
from pipeline.types import CountEvent, HealthEvent, HealthState, IncidentEvent, event_from_fields
from tests.factories import tiny_jpeg

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
JPEG = tiny_jpeg()


def incident(i: int, seq: int = 0, **kw) -> IncidentEvent:
    return IncidentEvent(id=f"inc-{i:05d}", seq=seq, state="opened", type="intrusion", camera_id="cam-1", rule="intrusion:gate",
                         started_at=T0 + timedelta(seconds=i), updated_at=T0 + timedelta(seconds=i), **kw)


def count(i: int) -> CountEvent:
    return CountEvent(camera_id="cam-1", name="l1", object_class="car", direction="in", bucket_start=T0, count=i)


def health() -> HealthEvent:
    return HealthEvent(camera_id="cam-1", state=HealthState.STREAMING, ts=T0)


def make_pub(url, tmp_path, **kw) -> Publisher:
    opts = dict(maxlen=10_000, spool_dir=tmp_path / "spool", spool_max_bytes=1 << 20, source="box-1", retry_interval_s=0.0)
    return Publisher(url, **{**opts, **kw})


def read_stream(url: str, stream: str):
    r = redis.Redis.from_url(url)
    try:
        return [event_from_fields(f) for _id, f in r.xrange(stream)]
    finally:
        r.close()


@pytest.mark.slow
def test_publish_writes_each_event_to_its_stream_with_decodable_fields(redis_server, tmp_path):
    pub = make_pub(redis_server.url, tmp_path)
    pub.publish(incident(1, snapshot=JPEG))
    pub.publish(count(3))
    pub.publish(health())
    got = read_stream(redis_server.url, STREAM_INCIDENTS)
    assert [e.id for e in got] == ["inc-00001"] and got[0].snapshot == JPEG
    assert read_stream(redis_server.url, STREAM_COUNTS) == [count(3)]
    assert read_stream(redis_server.url, STREAM_HEALTH) == [health()]
    assert pub.stats()["published"] == 3
    pub.close()


@pytest.mark.slow
def test_outage_spools_without_raising_and_restart_replays_in_order_exactly_once(redis_server, tmp_path):
    pub = make_pub(redis_server.url, tmp_path)
    for i in range(5):
        pub.publish(incident(i))
    redis_server.stop()
    for i in range(5, 25):
        pub.publish(incident(i))  # must not raise
    pub.publish(health())  # dropped, not spooled
    st = pub.stats()
    assert (st["spooled"], st["spool_pending"], st["health_dropped"]) == (20, 20, 1)
    redis_server.start()
    pub.publish(incident(25))
    ids = [e.id for e in read_stream(redis_server.url, STREAM_INCIDENTS)]
    assert ids == [f"inc-{i:05d}" for i in range(26)]  # 0 lost, 0 duplicated, in order
    st = pub.stats()
    assert (st["replayed"], st["spool_pending"], st["dropped"]) == (20, 0, 0)
    pub.close()


@pytest.mark.slow
def test_spool_survives_a_publisher_restart_and_is_replayed_by_flush(redis_server, tmp_path):
    redis_server.stop()
    pub = make_pub(redis_server.url, tmp_path)
    for i in range(3):
        pub.publish(incident(i))
    pub.close()
    redis_server.start()
    pub2 = make_pub(redis_server.url, tmp_path)
    assert pub2.flush() is True
    assert [e.id for e in read_stream(redis_server.url, STREAM_INCIDENTS)] == ["inc-00000", "inc-00001", "inc-00002"]
    pub2.close()


def test_spool_bound_drops_oldest_records_and_counts_them(tmp_path):
    spool = Spool(tmp_path / "s.spool", max_bytes=1000)
    for i in range(40):
        spool.append(f"record-{i:03d}".ljust(92, ".").encode())  # 100 bytes each with the 8-byte header
    records = spool.read_all()
    assert spool.size_bytes <= 1000
    assert spool.dropped == 40 - len(records)
    assert records[-1].startswith(b"record-039")  # newest kept
    kept = [int(r[7:10]) for r in records]
    assert kept == list(range(40 - len(records), 40))  # contiguous: only the oldest went


def test_a_spool_file_of_the_old_format_is_imported_without_its_torn_tail(tmp_path):
    import struct
    import zlib

    path = tmp_path / "s.spool"
    with open(path, "wb") as f:  # the single-file format of the previous release, crashed mid-append
        for rec in (b"one", b"two"):
            f.write(struct.pack(">II", len(rec), zlib.crc32(rec)) + rec)
        f.write(b"\x00\x00\x00\x09\x00")  # half a header
    reopened = Spool(path, max_bytes=1 << 20)
    assert reopened.read_all() == [b"one", b"two"] and len(reopened) == 2
    reopened.append(b"three")
    reopened.close()
    assert Spool(path, max_bytes=1 << 20).read_all() == [b"one", b"two", b"three"]


def test_replay_and_overflow_delete_records_without_rewriting_the_spool_file(tmp_path):
    path = tmp_path / "s.spool"
    spool = Spool(path, max_bytes=4000)
    for i in range(30):
        spool.append(f"record-{i:03d}".ljust(92, ".").encode())
    inode = path.stat().st_ino
    first = spool.peek(10)
    spool.remove_through(first[-1][0])  # delivered
    for i in range(30, 60):
        spool.append(f"record-{i:03d}".ljust(92, ".").encode())  # overflows: the oldest go
    assert path.stat().st_ino == inode  # the same file, never replaced by a rewritten copy
    kept = [int(r[7:10]) for r in spool.read_all()]
    assert kept == list(range(60 - len(kept), 60)) and spool.size_bytes <= 4000
    assert spool.dropped == 60 - 10 - len(kept)


def test_publish_to_an_unreachable_redis_spools_quickly(tmp_path):
    from services.redis_server import free_port

    pub = make_pub(f"redis://127.0.0.1:{free_port()}/0", tmp_path, retry_interval_s=5.0)
    import time

    t = time.monotonic()
    for i in range(50):
        pub.publish(incident(i))
    assert time.monotonic() - t < 2.0
    assert pub.stats()["spooled"] == 50


def test_ensure_redis_names_an_unreachable_url_with_its_password_redacted(tmp_path):
    from pipeline.exceptions import TransportError
    from services.redis_server import ensure_redis, free_port

    url = f"redis://user:hunter2@127.0.0.1:{free_port()}/0"
    with pytest.raises(TransportError) as err:
        ensure_redis(url, tmp_path, timeout_s=0.5)
    assert "redis://***@127.0.0.1" in str(err.value) and "hunter2" not in str(err.value)


@pytest.mark.slow
def test_embedded_redis_keeps_streams_across_a_restart(tmp_path, monkeypatch):
    from services.redis_server import ensure_redis

    monkeypatch.delenv("CITYLENS_REDIS_URL", raising=False)
    url, handle = ensure_redis(None, tmp_path)
    r = redis.Redis.from_url(url)
    r.xadd(STREAM_INCIDENTS, {"k": "v"})
    r.close()
    handle.stop()
    handle.start()
    r = redis.Redis.from_url(handle.url)
    assert r.xlen(STREAM_INCIDENTS) == 1
    r.close()
    handle.stop()
