"""HTTP API: filters, cursor pages, reasons on bad input, evidence images, health, live events, ingest in the app."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient

from edge_workers.bus import Publisher
from pipeline.types import CountEvent, HealthEvent, HealthState
from services.api import create_app
from services.auth import Role, create_key
from services.settings import Settings
from tests.factories import make_incident as incident
from tests.factories import tiny_jpeg

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
JPEG = tiny_jpeg()
STORE_BACKENDS = ("sqlite", "postgresql")  # the REST API answers the same from both stores (tests/conftest.py)


@pytest.fixture
def client(store, tmp_path):
    _, key = create_key(store, "test-admin", Role.ADMIN)
    app = create_app(Settings(run_ingest=False, data_dir=tmp_path), store=store)
    with TestClient(app, headers={"X-API-Key": key}) as c:
        yield c


def test_incidents_filter_by_camera_class_type_and_time(client, store):
    for i in range(12):
        store.upsert_incident(incident(i, camera_id=f"cam-{i % 3}", object_class="car" if i % 2 else "person",
                                       type="loitering" if i < 6 else "intrusion"))
    r = client.get("/incidents", params={"camera": ["cam-0", "cam-1"], "class": "car", "type": "intrusion"})
    assert r.status_code == 200
    body = r.json()
    assert [d["id"] for d in body["data"]] == ["inc-00009", "inc-00007"] and body["count"] == 2
    r = client.get("/incidents", params={"since": "2024-05-01T12:03:00Z", "until": "2024-05-01T14:05:00+02:00"})
    assert [d["id"] for d in r.json()["data"]] == ["inc-00004", "inc-00003"]
    assert r.json()["data"][0]["started_at"] == "2024-05-01T12:04:00Z"


def test_cursor_pagination_walks_every_page_with_no_duplicate_and_no_gap(client, store):
    for i in range(37):
        store.upsert_incident(incident(i % 30, seq=0, id=f"inc-{i:05d}"))  # some share started_at
    seen, cursor, pages = [], None, 0
    while True:
        r = client.get("/incidents", params={"limit": 5, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        body = r.json()
        seen += [d["id"] for d in body["data"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 8 and len(seen) == 37 and len(set(seen)) == 37 and body["count"] == 37


@pytest.mark.parametrize(
    ("params", "code", "reason"),
    [
        ({"since": "2024-05-02T00:00:00Z", "until": "2024-05-01T00:00:00Z"}, 422, "is after until"),
        ({"since": "2024-05-01T00:00:00"}, 422, "time zone"),
        ({"cursor": "garbage!!"}, 400, "invalid cursor"),
        ({"limit": 0}, 422, "limit"),
        ({"type": "alien_landing"}, 422, "type"),
    ],
)
def test_bad_incident_queries_are_refused_with_a_reason(client, params, code, reason):
    r = client.get("/incidents", params=params)
    assert r.status_code == code
    assert reason in str(r.json()["detail"])


def test_unknown_incident_and_missing_evidence_are_404_with_a_reason(client, store):
    store.upsert_incident(incident(1))
    r = client.get("/incidents/nope")
    assert r.status_code == 404 and r.json() == {"detail": "incident 'nope' not found"}
    r = client.get("/incidents/inc-00001/snapshot.jpg")
    assert r.status_code == 404 and "has no snapshot" in r.json()["detail"]


def test_snapshot_and_crop_are_served_as_jpeg(client, store):
    store.upsert_incident(incident(1, snapshot=JPEG, crop=JPEG[:6]))
    body = client.get("/incidents/inc-00001").json()
    assert body["snapshot_url"] == "/incidents/inc-00001/snapshot.jpg"
    r = client.get(body["snapshot_url"])
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg" and r.content == JPEG
    assert client.get(body["crop_url"]).content == JPEG[:6]


def test_counts_sum_per_bucket_and_cameras_report_age(client, store):
    for minute, n in ((0, 2), (1, 3), (70, 4)):
        store.upsert_count(CountEvent(camera_id="cam-1", name="l1", object_class="car", direction="in",
                                      bucket_start=T0 + timedelta(minutes=minute), count=n))
    r = client.get("/counts", params={"camera": "cam-1", "bucket": "hour", "class": "car"})
    assert [(d["bucket_start"], d["count"]) for d in r.json()["data"]] == [("2024-05-01T12:00:00Z", 5), ("2024-05-01T13:00:00Z", 4)]
    assert client.get("/counts", params={"bucket": "week"}).status_code == 422
    store.upsert_health(HealthEvent(camera_id="cam-1", state=HealthState.STREAMING, ts=datetime.now(timezone.utc), fps_in=10))
    (cam,) = client.get("/cameras").json()["data"]
    assert cam["camera_id"] == "cam-1" and cam["state"] == "streaming" and 0 <= cam["age_s"] < 60
    assert (cam["degraded"], cam["shed_level"], cam["stride"], cam["frames_gated"]) == (False, 0, 1, 0)
    store.upsert_health(HealthEvent(camera_id="cam-1", state=HealthState.STREAMING, ts=datetime.now(timezone.utc),
                                    frames_gated=120, stride=2, shed_level=3, degraded=True))
    (cam,) = client.get("/cameras").json()["data"]
    assert (cam["degraded"], cam["shed_level"], cam["stride"], cam["frames_gated"]) == (True, 3, 2, 120)


def test_health_without_ingest_reports_store_ok(client):
    r = client.get("/health")
    assert r.status_code == 200 and r.json()["store"] is True and r.json()["status"] == "ok"


def test_a_key_is_required_unless_open_mode_and_open_mode_needs_loopback(store, tmp_path):
    with TestClient(create_app(Settings(run_ingest=False, data_dir=tmp_path), store=store)) as c:
        assert c.get("/incidents").status_code == 401
        assert c.get("/health").status_code == 200
    with TestClient(create_app(Settings(run_ingest=False, data_dir=tmp_path, open_mode=True), store=store),
                    base_url="http://127.0.0.1", client=("127.0.0.1", 50000)) as c:
        assert c.get("/incidents").status_code == 200
    with pytest.raises(ValueError, match="loopback"):
        Settings(open_mode=True, api_host="0.0.0.0")


@pytest.mark.slow
def test_the_api_ingests_from_redis_and_pushes_live_events(redis_server, store, tmp_path):
    settings = Settings(redis_url=redis_server.url, data_dir=tmp_path, consumer_name="api-test", open_mode=True)
    app = create_app(settings, store=store)
    pub = Publisher(redis_server.url, maxlen=1000, spool_dir=tmp_path / "spool", spool_max_bytes=1 << 20, source="box-1")
    with TestClient(app, base_url="http://127.0.0.1", client=("127.0.0.1", 50000)) as c:
        broadcaster = app.state.broadcaster

        def publish_when_subscribed():
            end = time.monotonic() + 10
            while broadcaster.subscribers == 0 and time.monotonic() < end:
                time.sleep(0.02)
            pub.publish(incident(1, snapshot=JPEG))

        t = threading.Thread(target=publish_when_subscribed)
        t.start()
        r = c.get("/events", params={"max_events": 1})
        t.join()
        assert r.status_code == 200 and "event: incident" in r.text and "inc-00001" in r.text
        assert c.get("/incidents/inc-00001").json()["snapshot_url"].endswith("snapshot.jpg")
        health = c.get("/health").json()
        assert health["redis"] is True and health["ingest"]["running"] is True and health["ingest"]["pending"] == 0
    assert app.state.ingest is None  # stopped by the lifespan
    pub.close()
