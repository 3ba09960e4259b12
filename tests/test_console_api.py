"""Browser-facing API: session cookie sign-in and CSRF, offline docs, counts CSV, and /events ids, resumption
(against a real uvicorn server), filters, revocation and the per-key stream cap."""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from pipeline.types import CountEvent
from services.api import create_app
from services.auth import Role, create_key, revoke_key
from services.settings import Settings
from tests.factories import make_incident as incident

STORE_BACKENDS = ("sqlite", "postgresql")  # the same answers from both stores (tests/conftest.py)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def keys(store):
    return {role: create_key(store, f"{role}-1", Role(role))[1] for role in ("viewer", "operator", "admin")}


@pytest.fixture
def client(store, tmp_path, keys):
    app = create_app(Settings(run_ingest=False, data_dir=tmp_path), store=store)
    with TestClient(app) as c:
        yield c


def sign_in(client, key: str) -> str:
    r = client.post("/session", json={"key": key})
    assert r.status_code == 200, r.text
    return r.json()["csrf"]


def test_a_key_becomes_an_httponly_strict_session_cookie_that_the_api_accepts(client, store, keys):
    store.upsert_incident(incident(1))
    r = client.post("/session", json={"key": keys["viewer"]})
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and keys["viewer"] not in cookie
    assert r.json()["role"] == "viewer" and r.json()["csrf"]
    assert client.get("/incidents").json()["count"] == 1  # no key header: the cookie is enough
    assert client.get("/session").json()["name"] == "viewer-1"
    assert client.delete("/session").status_code == 204
    assert client.get("/incidents").status_code == 401


def test_cookie_writes_need_the_csrf_header_and_roles_still_apply(client, store, keys):
    store.upsert_incident(incident(1))
    csrf = sign_in(client, keys["viewer"])
    assert client.post("/incidents/inc-00001/ack", headers={"X-CSRF-Token": csrf}).status_code == 403  # viewer
    client.cookies.clear()
    csrf = sign_in(client, keys["operator"])
    r = client.post("/incidents/inc-00001/ack")
    assert r.status_code == 403 and "X-CSRF-Token" in r.json()["detail"]
    assert client.post("/incidents/inc-00001/ack", headers={"X-CSRF-Token": "wrong"}).status_code == 403
    r = client.post("/incidents/inc-00001/ack", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json()["acked_by"] == "operator-1"


def test_a_cross_site_write_is_refused_even_with_a_valid_key(client, store, keys):
    store.upsert_incident(incident(1))
    r = client.post("/incidents/inc-00001/ack", headers={"X-API-Key": keys["operator"], "Origin": "https://evil.example"})
    assert r.status_code == 403 and "cross-site" in r.json()["detail"]


def test_revoking_the_key_ends_its_sessions(client, store, keys):
    sign_in(client, keys["operator"])
    assert client.get("/incidents").status_code == 200
    key_id = client.get("/session").json()
    revoke_key(store, next(k.id for k in __import__("services.auth").auth.list_keys(store) if k.name == "operator-1"))
    r = client.get("/incidents")
    assert r.status_code == 401 and "sign in again" in r.json()["detail"], key_id


def test_the_console_page_and_offline_docs_are_served_from_package_files(client, keys):
    page = client.get("/")
    assert page.status_code == 200 and "citylens" in page.text and "/ui/console.js" in page.text
    assert "http" not in page.text.split("<body>")[0].replace('href="/', "")  # no CDN in the head
    for asset in ("/ui/console.js", "/ui/console.css", "/ui/vendor/swagger-ui/swagger-ui-bundle.js",
                  "/ui/vendor/redoc/redoc.standalone.js"):
        assert client.get(asset).status_code == 200, asset
    # docs follow the API's auth: a browser without a session is sent to sign in, then gets local assets
    r = client.get("/docs", headers={"Accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/?next=/docs"
    assert client.get("/openapi.json").status_code == 401
    sign_in(client, keys["viewer"])
    for path, asset in (("/docs", "/ui/vendor/swagger-ui/swagger-ui-bundle.js"), ("/redoc", "/ui/vendor/redoc/redoc.standalone.js")):
        html = client.get(path).text
        assert asset in html and "cdn.jsdelivr" not in html and "fonts.googleapis" not in html
    assert client.get("/openapi.json").json()["info"]["title"] == "citylens"


def test_docs_can_be_configured_public(store, tmp_path):
    app = create_app(Settings(run_ingest=False, data_dir=tmp_path, docs_public=True), store=store)
    with TestClient(app) as c:
        assert c.get("/docs").status_code == 200 and c.get("/openapi.json").status_code == 200
        assert c.get("/incidents").status_code == 401


def test_counts_export_as_csv(client, store, keys):
    for direction, n in (("eastbound", 3), ("westbound", 2)):
        store.upsert_count(CountEvent(camera_id="street", kind="line", name="street-line", object_class="car",
                                      direction=direction, bucket_start=T0, count=n))
    r = client.get("/counts", params={"format": "csv", "kind": "line"}, headers={"X-API-Key": keys["viewer"]})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.text.strip().splitlines()
    assert lines[0] == "bucket_start,camera_id,kind,name,object_class,direction,count"
    assert sorted(lines[1:]) == ["2024-05-01T12:00:00Z,street,line,street-line,car,eastbound,3",
                                 "2024-05-01T12:00:00Z,street,line,street-line,car,westbound,2"]


def test_revisions_list_every_ingested_revision_and_acks(client, store, keys):
    for seq in range(3):
        store.upsert_incident(incident(1, seq=seq, caption=f"caption {seq}"))
    client.post("/incidents/inc-00001/ack", headers={"X-API-Key": keys["operator"]})
    r = client.get("/incidents/inc-00001/revisions", headers={"X-API-Key": keys["viewer"]}).json()
    assert [(d["kind"], d["seq"]) for d in r["data"]] == [("incident", 0), ("incident", 1), ("incident", 2), ("ack", 2)]
    assert r["data"][1]["incident"]["caption"] == "caption 1"


# ------------------------------------------------------------------------------------------- live SSE
@contextmanager
def real_server(app):
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and t.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        t.join(10)


def read_events(resp, n: int | None = None, until_event: str | None = None) -> list[dict]:
    out, cur = [], {}
    for line in resp.iter_lines():
        if line == "":
            if cur.get("event"):
                out.append(cur)
                if (n is not None and len(out) >= n) or cur.get("event") == until_event:
                    return out
            cur = {}
            continue
        field, _, value = line.partition(":")
        cur[field] = value.lstrip(" ")
    return out


@pytest.fixture
def sse_app(store, tmp_path):
    app = create_app(Settings(run_ingest=False, data_dir=tmp_path, sse_recheck_s=0.2, sse_heartbeat_s=1.0,
                              sse_max_streams_per_key=2, rate_limit_per_s=0), store=store)
    return app


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_sse_resume_with_last_event_id_has_no_gap_and_no_duplicate_against_a_real_server(sse_app, store, keys):
    total = 40
    with real_server(sse_app) as base:
        writer_started = threading.Event()

        def write() -> None:
            writer_started.set()
            for i in range(total):
                store.upsert_incident(incident(i, camera_id="cam-a" if i % 4 else "cam-b"))
                time.sleep(0.01)

        hdr = {"X-API-Key": keys["viewer"]}
        w = threading.Thread(target=write)
        with httpx.Client(base_url=base, headers=hdr, timeout=30) as c:
            with c.stream("GET", "/events", params={"last_event_id": 0}) as r:  # from the beginning
                assert r.status_code == 200
                w.start()
                first = read_events(r, n=7)  # then the client drops while the writer goes on
            time.sleep(0.2)
            last = first[-1]["id"]
            w.join()
            with c.stream("GET", "/events", headers={"Last-Event-ID": last}, params={"max_events": total - 7}) as r:
                rest = read_events(r)
        ids = [int(e["id"]) for e in first + rest]
        got = [json.loads(e["data"])["id"] for e in first + rest]
        assert ids == sorted(ids) and len(set(ids)) == len(ids) == total
        assert got == [f"inc-{i:05d}" for i in range(total)]
        # filters: only one camera, resumed from the start
        with httpx.Client(base_url=base, headers=hdr, timeout=30) as c:
            with c.stream("GET", "/events", params={"camera": "cam-b", "last_event_id": 0, "max_events": total // 4}) as r:
                only_b = read_events(r)
        assert [json.loads(e["data"])["camera_id"] for e in only_b] == ["cam-b"] * (total // 4)


@pytest.mark.slow
@pytest.mark.timeout(60)
def test_a_revoked_key_has_its_stream_closed_and_streams_per_key_are_capped(sse_app, store, keys):
    row, key = create_key(store, "temp-viewer", Role.VIEWER)
    with real_server(sse_app) as base, httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=30) as c:
        with c.stream("GET", "/events") as a, c.stream("GET", "/events") as b:
            assert a.status_code == 200 and b.status_code == 200
            third = c.get("/events")
            assert third.status_code == 429 and "open event streams" in third.json()["detail"]
            revoke_key(store, row.id)
            t0 = time.monotonic()
            assert read_events(a, until_event="revoked")[-1]["event"] == "revoked"
            assert time.monotonic() - t0 < 5
        # the slots are free again once the streams closed
        deadline = time.monotonic() + 5
        with httpx.Client(base_url=base, headers={"X-API-Key": keys["viewer"]}, timeout=30) as v:
            while sse_app.state.sse_slots.total and time.monotonic() < deadline:
                time.sleep(0.05)
            assert sse_app.state.sse_slots.total == 0
            with v.stream("GET", "/events", params={"max_events": 1}) as r:
                assert r.status_code == 200
                store.upsert_incident(incident(99))
                assert read_events(r)[0]["event"] == "incident"


# ------------------------------------------------------------------------------------------- metrics
@pytest.mark.slow
def test_metrics_expose_request_latency_search_sse_and_the_ingest_backlog(redis_server, store, tmp_path, keys):
    app = create_app(Settings(redis_url=redis_server.url, data_dir=tmp_path, consumer_name="metrics-test"),
                     store=store)
    with TestClient(app, headers={"X-API-Key": keys["viewer"]}) as c:
        assert c.get("/incidents").status_code == 200
        assert c.get("/metrics", headers={"X-API-Key": ""}).status_code == 401
        body = c.get("/metrics").text
    assert 'citylens_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/incidents",status="200"}' in body
    for name in ("citylens_search_duration_seconds_count", "citylens_sse_clients 0.0", "citylens_ingest_pending_entries 0.0",
                 "citylens_ingest_lag_entries 0.0", "citylens_ingest_dead_letters_total 0.0", "citylens_ingest_running 1.0"):
        assert name in body, name


def test_json_logs_are_one_object_per_line_with_extra_fields():
    import logging

    from services.logjson import JsonFormatter

    rec = logging.LogRecord("citylens.api", logging.WARNING, __file__, 1, "camera %s stalled", ("lobby",), None)
    rec.camera_id = "lobby"
    out = json.loads(JsonFormatter().format(rec))
    assert out["msg"] == "camera lobby stalled" and out["level"] == "warning" and out["camera_id"] == "lobby"
