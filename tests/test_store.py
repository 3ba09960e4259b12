"""Store: idempotent upserts by (id, seq), evidence files, keyset pagination, count buckets, hooks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pipeline.types import CountEvent, HealthEvent, HealthState
from services import media
from citylens.contracts import IncidentFilter
from services.store import InvalidCursor
from tests.factories import make_incident as incident

# Store and ingest behave the same on both backends (a real PostgreSQL server: tests/pg.py, .ci/run).
STORE_BACKENDS = ("sqlite", "postgresql")

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def test_upsert_inserts_then_keeps_only_higher_seq_and_ignores_duplicates(store):
    assert store.upsert_incident(incident(1, seq=0)) is True
    assert store.upsert_incident(incident(1, seq=0)) is False  # duplicate delivery
    assert store.upsert_incident(incident(1, seq=2, state="closed", caption="a person")) is True
    assert store.upsert_incident(incident(1, seq=1, state="updated")) is False  # late, older revision
    row = store.get_incident("inc-00001")
    assert (row.seq, row.state, row.caption) == (2, "closed", "a person")
    assert row.started_at.tzinfo is not None and row.started_at == T0 + timedelta(minutes=1)


def test_evidence_is_written_under_media_dir_and_caption_only_revision_keeps_paths(store, tmp_path):
    store.upsert_incident(incident(1, snapshot=b"\xff\xd8snap", crop=b"\xff\xd8crop"))
    store.upsert_incident(incident(1, seq=1, caption="caption only"))
    row = store.get_incident("inc-00001")
    assert row.snapshot_path == "cam-1/inc-00001/snapshot.jpg"
    assert media.resolve(store.media_dir, row.snapshot_path).read_bytes() == b"\xff\xd8snap"
    assert media.resolve(store.media_dir, row.crop_path).read_bytes() == b"\xff\xd8crop"
    assert row.caption == "caption only"


@pytest.mark.parametrize("bad", ["../etc", "a/../../b", "..", "x y"])
def test_media_paths_refuse_traversal(tmp_path, bad):
    with pytest.raises(ValueError):
        media.resolve(tmp_path, bad)
    with pytest.raises(ValueError):
        media.relative_path(bad, "inc", "snapshot")


def test_hooks_run_in_the_same_transaction_for_changed_rows_only(store):
    seen = []
    store.on_incident_changed.append(lambda session, row: seen.append((row.id, row.seq, session.in_transaction())))
    store.upsert_incident(incident(1))
    store.upsert_incident(incident(1))
    store.upsert_incident(incident(1, seq=1))
    assert seen == [("inc-00001", 0, True), ("inc-00001", 1, True)]


def test_list_incidents_filters_and_pages_newest_first_without_gaps(store):
    for i in range(23):
        store.upsert_incident(incident(i, camera_id="cam-1" if i % 2 else "cam-2", object_class="person" if i % 3 else "car"))
    # two incidents with the same started_at: the id breaks the tie
    store.upsert_incident(incident(100, started_at=T0 + timedelta(minutes=5)))
    seen, cursor = [], None
    while True:
        rows, cursor = store.list_incidents(IncidentFilter(), cursor, limit=4)
        seen += [r.id for r in rows]
        if cursor is None:
            break
    assert len(seen) == 24 and len(set(seen)) == 24
    all_rows, _ = store.list_incidents(IncidentFilter(), None, limit=100)
    assert seen == [r.id for r in all_rows]
    keys = [(r.started_at, r.id) for r in all_rows]
    assert keys == sorted(keys, reverse=True)
    f = IncidentFilter(cameras=["cam-1"], classes=["car"], since=T0 + timedelta(minutes=3), until=T0 + timedelta(minutes=16))
    rows, _ = store.list_incidents(f, None, limit=100)
    assert sorted(r.id for r in rows) == ["inc-00003", "inc-00009", "inc-00015"]
    assert store.count_incidents(f) == 3


def test_a_tampered_cursor_is_rejected(store):
    with pytest.raises(InvalidCursor):
        store.list_incidents(IncidentFilter(), "not-a-cursor", limit=5)


def test_counts_keep_max_per_key_and_sum_per_hour_bucket(store):
    def ev(minute, n, direction="in"):
        return CountEvent(camera_id="cam-1", name="l1", object_class="car", direction=direction,
                          bucket_start=T0 + timedelta(minutes=minute), count=n)

    store.upsert_count(ev(0, 3))
    store.upsert_count(ev(0, 2))  # a stale replay never lowers a running total
    store.upsert_count(ev(1, 4))
    store.upsert_count(ev(61, 5))
    store.upsert_count(ev(1, 7, direction="out"))
    got = store.counts(camera_id=["cam-1"], direction=["in"], bucket="hour")
    assert [(b.bucket_start, b.count) for b in got] == [(T0, 7), (T0 + timedelta(hours=1), 5)]
    assert sum(b.count for b in store.counts(bucket="day")) == 19
    assert [b.count for b in store.counts(bucket="minute", direction=["in"])] == [3, 4, 5]


def test_health_keeps_the_newest_report_per_camera(store):
    store.upsert_health(HealthEvent(camera_id="cam-1", state=HealthState.STREAMING, ts=T0 + timedelta(seconds=5), fps_in=9.5))
    store.upsert_health(HealthEvent(camera_id="cam-1", state=HealthState.RECONNECTING, ts=T0))
    (row,) = store.camera_health()
    assert (row.state, row.fps_in) == ("streaming", 9.5)


def test_an_old_camera_health_table_gets_the_load_shedding_columns(tmp_path):
    import sqlite3
    from datetime import datetime, timezone

    from pipeline.types import HealthEvent, HealthState
    from services.store import Store

    db = tmp_path / "old.sqlite"
    con = sqlite3.connect(db)  # the camera_health table as it was before load shedding
    con.execute("CREATE TABLE camera_health (camera_id VARCHAR(128) PRIMARY KEY, box VARCHAR(128), state VARCHAR(32), "
                "ts DATETIME, fps_in FLOAT, fps_out FLOAT, frames_in INTEGER, frames_processed INTEGER, "
                "frames_dropped INTEGER, last_frame_at DATETIME, reconnects INTEGER, error TEXT, updated_at DATETIME)")
    con.commit()
    con.close()
    s = Store(f"sqlite:///{db}", tmp_path / "media")
    try:
        assert s.upsert_health(HealthEvent(camera_id="c", state=HealthState.STREAMING, ts=datetime.now(timezone.utc),
                                           stride=3, shed_level=1, degraded=True))
    finally:
        s.close()


def test_every_filter_field_narrows_listings_and_counts_as_its_declared_column_says(store):
    """One translation of the contract's IncidentFilter: each field tests the column FILTER_COLUMNS declares
    for it, in listings and counts alike, on SQLite and PostgreSQL (colour through the search's incident_attrs)."""
    import random

    from sqlalchemy import text

    from citylens.contracts import FILTER_COLUMNS

    rng = random.Random(3)
    pools = {"camera_id": ["cam-1", "cam-2", "cam-3"], "zone": [None, "gate", "lane"], "object_class": [None, "car", "person"],
             "type": ["intrusion", "loitering", "crowding"], "severity": ["info", "warning", "critical"],
             "state": ["opened", "updated", "closed"], "run_id": [None, "run-a", "run-b"]}
    rows: dict[str, dict] = {}
    with store.session() as s:
        for i in range(40):
            ev = incident(i, **{c: rng.choice(pool) for c, pool in pools.items()})
            store.upsert_incident(ev, session=s)
            colour = rng.choice([None, "red", "blue"])
            s.execute(text("INSERT INTO incident_attrs (label, incident_id, colour, doc) VALUES (:l, :i, :c, '')"),
                      {"l": i + 1, "i": ev.id, "c": colour})
            rows[ev.id] = {**{k: getattr(v, "value", v) for k, v in ev}, "colour": colour}
    pools |= {"id": sorted(rows), "colour": ["red", "blue"]}
    ops = {"in": lambda x, v: x in v, "eq": lambda x, v: x == v, "ge": lambda x, v: x >= v, "lt": lambda x, v: x < v}

    def draw(name: str):
        col = FILTER_COLUMNS[name]
        if col.name == "started_at":
            return T0 + timedelta(minutes=rng.randint(-2, 42))
        values = [v for v in pools[col.name] if v is not None]
        return rng.choice(values) if col.op == "eq" else tuple(rng.sample(values, rng.randint(1, 2)))

    filters = [IncidentFilter(**{name: draw(name)}) for name in FILTER_COLUMNS]  # each field alone, then mixes
    filters += [IncidentFilter(**{n: draw(n) for n in rng.sample(sorted(FILTER_COLUMNS), 3)}) for _ in range(30)]
    for f in filters:
        want = {iid for iid, row in rows.items()
                if all(ops[FILTER_COLUMNS[n].op](row[FILTER_COLUMNS[n].name], v) for n, v in f.set_fields().items())}
        got, _ = store.list_incidents(f, None, limit=100)
        assert {r.id for r in got} == want, f
        assert store.count_incidents(f) == len(want), f
    assert sum(0 < store.count_incidents(f) < 40 for f in filters[:len(FILTER_COLUMNS)]) >= len(FILTER_COLUMNS) - 2
