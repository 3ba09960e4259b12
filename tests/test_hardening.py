"""Hardening regressions from issue 11: each test reproduces one finding against real servers
(redis-server, uvicorn on loopback, raw sockets) and checks the bound that now holds."""

from __future__ import annotations

import socket
import statistics
import threading
import time
from types import SimpleNamespace

import httpx
import pytest
import redis

from citylens.contracts import CONSUMER_GROUP, STREAM_INCIDENTS
from services.api import create_app
from services.ingest import Ingestor
from services.settings import Settings
from tests.http_helpers import PY, free_port, latency_p50, serve_in_thread, serve_subprocess, wait_http


def _net_out(r: redis.Redis) -> int:
    return int(r.info("stats")["total_net_output_bytes"])


# ------------------------------------------------------------------------------- 1. /health and the backlog
def test_health_counts_a_large_backlog_without_pulling_it_out_of_redis(redis_server, store, tmp_path):
    r = redis.Redis.from_url(redis_server.url)
    r.xgroup_create(STREAM_INCIDENTS, CONSUMER_GROUP, id="0", mkstream=True)
    payload = b"x" * 20_000
    n = 2000
    for start in range(0, n, 250):
        with r.pipeline(transaction=False) as p:
            for _ in range(250):
                p.xadd(STREAM_INCIDENTS, {"kind": "incident", "json": payload})
            p.execute()
    # An ingestor that is not consuming (as after an outage, while it catches up): the backlog waits in Redis.
    ing = Ingestor(redis_server.url, store, consumer_name="health-test")
    app = create_app(Settings(run_ingest=False, data_dir=tmp_path), store=store)
    try:
        with serve_in_thread(app) as base:
            app.state.ingest = SimpleNamespace(running=True, ingestor=ing)
            app.state.redis_url = redis_server.url
            before = _net_out(r)
            t0 = time.perf_counter()
            bodies = [httpx.get(f"{base}/health", timeout=30).json() for _ in range(5)]
            took = time.perf_counter() - t0
            moved = _net_out(r) - before
            assert bodies[0]["ingest"]["lag"] == n, bodies[0]
            assert moved < 64_000, f"/health moved {moved} bytes out of Redis for 5 calls (backlog {n} x 20 kB)"
            assert took < 5.0  # ~0.1 s; loose for a loaded CI box: the bytes above are the regression check
            # Partly delivered: the count is an estimate from ids on Redis 6.2 (exact on >= 7), never the payloads.
            r.xreadgroup(CONSUMER_GROUP, "other", {STREAM_INCIDENTS: ">"}, count=500)
            time.sleep(1.1)  # past the cache
            before = _net_out(r)
            body = httpx.get(f"{base}/health", timeout=30).json()
            assert _net_out(r) - before < 16_000, "a partly delivered backlog is counted without payloads too"
            assert 1 <= body["ingest"]["lag"] <= n and body["ingest"]["pending"] == 500
            assert latency_p50(f"{base}/health", n=10) < 0.1
    finally:
        app.state.ingest = None
        ing.close()
        r.close()


# ---------------------------------------------------------------------- 2. open mode and the real socket
def _uvicorn_factory(host: str, port: int, tmp_path) -> list[str]:
    return [PY, "-m", "uvicorn", "--factory", "services.api.app:create_app", "--host", host, "--port", str(port),
            "--log-level", "warning"]


@pytest.mark.parametrize("bind", ["0.0.0.0", "127.0.0.1"])
def test_open_mode_checks_the_socket_uvicorn_really_bound_and_never_creates_keys(tmp_path, bind):
    port = free_port()
    env = {"CITYLENS_OPEN_MODE": "1", "CITYLENS_RUN_INGEST": "0", "CITYLENS_DATA_DIR": str(tmp_path)}
    with serve_subprocess(_uvicorn_factory(bind, port, tmp_path), env, port) as proc:
        base = f"http://127.0.0.1:{port}"  # traffic only ever goes to loopback
        wait_http(f"{base}/health", proc=proc)
        listing = httpx.get(f"{base}/incidents", timeout=10)
        created = httpx.post(f"{base}/keys", json={"name": "mallory", "role": "admin"}, timeout=10)
    if bind == "0.0.0.0":
        assert listing.status_code == 403, listing.text
        assert "0.0.0.0" in listing.json()["detail"] and "loopback" in listing.json()["detail"]
    else:
        assert listing.status_code == 200, listing.text
    assert created.status_code == 403, created.text
    assert "open mode" in created.json()["detail"]
    from services.auth import list_keys
    from services.store import Store

    s = Store(f"sqlite:///{tmp_path / 'citylens.db'}", tmp_path / "media")
    try:
        assert list_keys(s) == []  # no anonymous key was ever stored
    finally:
        s.close()


def test_open_mode_refuses_a_client_that_is_not_on_loopback(store, tmp_path):
    from fastapi.testclient import TestClient

    app = create_app(Settings(run_ingest=False, data_dir=tmp_path, open_mode=True), store=store)
    with TestClient(app, base_url="http://127.0.0.1", client=("192.0.2.7", 40000)) as c:
        r = c.get("/incidents")
        assert r.status_code == 403 and "192.0.2.7" in r.json()["detail"]
    with TestClient(app, base_url="http://127.0.0.1", client=("127.0.0.1", 40000)) as c:
        assert c.get("/incidents").status_code == 200


# ---------------------------------------------------------------------------- 3. oversized request heads
def _send_huge_header(port: int, size: int, result: dict) -> None:
    """One request whose single header is ``size`` bytes; records what the server answered (if anything)."""
    chunk = b"a" * (1 << 20)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ")
            sent = 0
            while sent < size:
                s.sendall(chunk)
                sent += len(chunk)
            s.sendall(b"\r\n\r\n")
            result["answer"] = s.recv(200)
    except OSError as e:  # the server closed on us mid-header: what a bounded server does
        result["error"] = repr(e)
    result["sent"] = sent


def _health_under_attack(base: str, size: int) -> tuple[float, float, list[dict]]:
    """(p50, max) latency of /health polled throughout two huge-header requests, and what they got back."""
    port = int(base.rsplit(":", 1)[1])
    results = [{}, {}]
    attackers = [threading.Thread(target=_send_huge_header, args=(port, size, r)) for r in results]
    for t in attackers:
        t.start()
    times = []
    with httpx.Client(timeout=30) as c:
        end = time.monotonic() + 60
        while (any(t.is_alive() for t in attackers) or len(times) < 10) and time.monotonic() < end:
            t0 = time.perf_counter()
            c.get(f"{base}/health")
            times.append(time.perf_counter() - t0)
            time.sleep(0.01)
    for t in attackers:
        t.join(60)
    return statistics.median(times), max(times), results


def test_one_huge_request_header_cannot_stall_the_api(store, tmp_path):
    from services.api.server import server_config

    settings = Settings(run_ingest=False, data_dir=tmp_path)
    app = create_app(settings, store=store)
    with serve_in_thread(app, **server_config(settings)) as base:
        quiet = latency_p50(f"{base}/health", n=10)
        p50, worst, results = _health_under_attack(base, 64 << 20)
    for r in results:  # refused early: the connection was answered/closed long before 64 MiB went through
        assert r.get("sent", 0) < (64 << 20) or r.get("answer", b"").startswith(b"HTTP/1.1 4"), r
    assert p50 < max(0.1, 5 * quiet) and worst < 1.0, \
        f"/health p50 {p50 * 1000:.0f} ms, max {worst * 1000:.0f} ms under two 64 MiB headers (quiet {quiet * 1000:.0f} ms)"


def test_citylens_api_refuses_an_oversized_header_and_request_line_with_400(tmp_path):
    port = free_port()
    env = {"CITYLENS_DATA_DIR": str(tmp_path)}
    with serve_subprocess([PY, "-m", "citylens", "api", "--host", "127.0.0.1", "--port", str(port), "--no-ingest"],
                          env, port) as proc:
        wait_http(f"http://127.0.0.1:{port}/health", proc=proc)
        for head in (b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n",
                     b"GET /health?" + b"q" * (1 << 20) + b" HTTP/1.1\r\nHost: x\r\n\r\n"):
            t0 = time.perf_counter()
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                try:
                    s.sendall(head)
                except OSError:
                    pass  # closed while we were still sending: refused early
                answer = s.recv(100)
            assert answer.startswith(b"HTTP/1.1 400") or answer == b"", answer
            assert time.perf_counter() - t0 < 2.0
        ok = httpx.get(f"http://127.0.0.1:{port}/health", headers={"X-Normal": "b" * 8000}, timeout=10)
        assert ok.status_code == 200  # ordinary large-ish headers still pass


# --------------------------------------------------------------------------------- 5. /counts pages
def _fill_counts(store, n_minutes: int, series: int) -> int:
    """``series`` line counters × ``n_minutes`` minute buckets, bulk-inserted; returns the sum of counts."""
    from datetime import datetime, timedelta, timezone

    from services.store import CountRow

    t0 = datetime(2024, 5, 1, tzinfo=timezone.utc)
    rows = []
    for m in range(n_minutes):
        for k in range(series):
            ts = t0 + timedelta(minutes=m)
            rows.append(dict(key=f"cam-{k % 7}|line|l{k}|car|in|{ts.isoformat()}", camera_id=f"cam-{k % 7}", kind="line",
                             name=f"l{k}", object_class="car", direction="in", bucket_start=ts, count=1 + (m + k) % 5))
    with store.session() as s:
        s.execute(CountRow.__table__.insert(), rows)
    return sum(r["count"] for r in rows)


def test_counts_are_paged_and_the_range_per_bucket_is_bounded(store, tmp_path):
    from services.auth import Role, create_key

    total = _fill_counts(store, n_minutes=24 * 60, series=20)  # 28,800 minute buckets over one day
    _, key = create_key(store, "viewer", Role.VIEWER)
    app = create_app(Settings(run_ingest=False, data_dir=tmp_path, rate_limit_per_s=0), store=store)
    h = {"X-API-Key": key}
    with serve_in_thread(app) as base, httpx.Client(base_url=base, headers=h, timeout=30) as c:
        # One call used to return every sum (300,000 rows: 41.8 MB). Now: a page, and a cursor to the next one.
        params = {"bucket": "minute", "since": "2024-05-01T00:00:00Z", "until": "2024-05-02T00:00:00Z"}
        t0 = time.perf_counter()
        first = c.get("/counts", params=params)
        took = time.perf_counter() - t0
        assert first.status_code == 200, first.text
        body = first.json()
        assert body["count"] == 1000 and body["next_cursor"] and len(first.content) < 300_000 and took < 5.0
        seen, got, cursor, pages = set(), 0, None, 0
        while pages < 20:
            r = c.get("/counts", params={**params, "limit": 5000, **({"cursor": cursor} if cursor else {})})
            assert r.status_code == 200, r.text
            for d in r.json()["data"]:
                k = (d["bucket_start"], d["camera_id"], d["name"])
                assert k not in seen
                seen.add(k)
                got += d["count"]
            pages += 1
            cursor = r.json()["next_cursor"]
            if cursor is None:
                break
        assert (len(seen), got, pages) == (28_800, total, 6)
        # The range per bucket size is bounded, with the reason.
        r = c.get("/counts", params={"bucket": "minute", "since": "2024-01-01T00:00:00Z", "until": "2024-05-01T00:00:00Z"})
        assert r.status_code == 422 and "minute" in r.json()["detail"] and "7 days" in r.json()["detail"]
        assert c.get("/counts", params={"limit": 100_000}).status_code == 422
        assert c.get("/counts", params={"cursor": "bm9wZQ"}).status_code == 400
        # Without a range: the newest window the bucket size allows, stated in the answer.
        r = c.get("/counts", params={"bucket": "hour"}).json()
        assert r["until"] == "2024-05-02T00:00:00Z" and r["since"] and r["next_cursor"] is None
        assert sum(d["count"] for d in r["data"]) == total


# ----------------------------------------------------------------------- 8. crafted input, never a 500
def _cursor(ts: str, iid: str = "inc-00001") -> str:
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps([ts, iid]).encode()).decode().rstrip("=")


CRAFTED = [
    ("GET", "/incidents", {"params": {"cursor": _cursor("0001-01-01T00:00:00+05:00")}}),
    ("GET", "/incidents", {"params": {"cursor": _cursor("9999-12-31T23:59:59-05:00")}}),
    ("GET", "/audit", {"params": {"cursor": _cursor("9999-12-31T23:59:59-05:00")}}),
    ("GET", "/counts", {"params": {"since": "0001-01-01T00:00:00Z", "bucket": "day"}}),
    ("GET", "/counts", {"params": {"until": "0001-01-02T00:00:00Z", "bucket": "day"}}),
    ("GET", "/search", {"params": {"q": "last 1000000 days"}}),
    ("GET", "/search", {"params": {"q": "last 1000000 weeks"}}),
    ("GET", "/search", {"params": {"q": "on 9999-12-31"}}),
    ("GET", "/search", {"params": {"q": "since 9999-12-31"}}),
    ("GET", "/search", {"params": {"q": "after 31 dec 9999"}}),
    ("GET", "/search", {"params": {"q": "last 99999999999999999999 hours"}}),
    ("POST", "/search", {"content": '{"q": "\\ud800 person"}'}),
    ("POST", "/search", {"content": '{"q": "person", "filters": {"cameras": ["\\udfff"]}}'}),
    ("POST", "/incidents/inc-00001/notes", {"content": '{"text": "\\ud800"}'}),
    ("POST", "/keys", {"content": '{"name": "\\ud800", "role": "viewer"}'}),
    ("POST", "/keys", {"content": '{"name": "ok", "role": "\\udc00"}'}),
]


def test_crafted_cursors_times_and_lone_surrogates_get_a_4xx_with_a_reason(store, tmp_path):
    from services.auth import Role, create_key
    from tests.factories import make_incident

    store.upsert_incident(make_incident(1))
    _, key = create_key(store, "admin", Role.ADMIN)
    app = create_app(Settings(run_ingest=False, data_dir=tmp_path, rate_limit_per_s=0), store=store)
    headers = {"X-API-Key": key, "Content-Type": "application/json"}
    with serve_in_thread(app) as base, httpx.Client(base_url=base, headers=headers, timeout=60) as c:
        for method, path, kw in CRAFTED:
            r = c.request(method, path, **kw)
            assert 400 <= r.status_code < 500 or r.status_code == 200, (method, path, kw, r.status_code, r.text[:200])
            if r.status_code != 200:
                assert r.json()["detail"], (path, kw)
        ok = c.post("/incidents/inc-00001/notes", content='{"text": "a real pair \\ud83d\\ude00 is fine"}')
        assert ok.status_code == 201 and ok.json()["text"].endswith("\U0001F600 is fine")


# ------------------------------------------- 10. docs need a key; bad keys are rate-limited per address
def test_api_docs_need_a_key_and_bad_keys_are_limited_per_client_address(store, tmp_path):
    from services.auth import Role, create_key

    _, key = create_key(store, "viewer", Role.VIEWER)
    app = create_app(Settings(run_ingest=False, data_dir=tmp_path, auth_fail_rate_per_s=1.0, auth_fail_burst=20),
                     store=store)
    with serve_in_thread(app) as base, httpx.Client(base_url=base, timeout=10) as c:
        for path in ("/openapi.json", "/docs", "/redoc"):
            assert c.get(path).status_code == 401, path
            assert c.get(path, headers={"X-API-Key": key}).status_code == 200, path
        codes = [c.get("/incidents", headers={"X-API-Key": f"clk_guess{i}"}).status_code for i in range(100)]
        assert 15 <= codes.count(401) <= 25 and codes.count(429) >= 75, codes
        refused = c.get("/incidents", headers={"X-API-Key": "clk_another"})
        assert refused.status_code == 429 and "Retry-After" in refused.headers and "without a valid API key" in refused.json()["detail"]
        assert c.get("/health").status_code == 200  # /health stays open


# ------------------------------------------------------- 7. more cameras than a 16-bit code can name
def test_search_filters_hold_more_than_32768_cameras_live_and_after_a_restart(store):
    from datetime import datetime, timezone

    from sqlalchemy import text as sql

    from services.search.attrs import AttrTable
    from citylens.contracts import IncidentFilter
    from services.store import IncidentRow

    n = 40_000
    at = datetime(2024, 5, 1, tzinfo=timezone.utc)
    live = AttrTable()
    for label in range(1, n + 1):  # what ingest does for each new incident (it raised at camera 32,769)
        live.set(label, type="intrusion", camera_id=f"cam-{label}", object_class="person", started_at=at)
    assert list(live.mask(IncidentFilter(cameras=("cam-40000",))).nonzero()[0]) == [n]
    assert list(live.mask(IncidentFilter(cameras=("cam-7",))).nonzero()[0]) == [7]
    # After a restart the table is loaded from the store (incident_attrs comes with the schema, migration 0001).
    with store.session() as s:
        s.execute(IncidentRow.__table__.insert(), [
            dict(id=f"i{k}", seq=0, state="opened", type="intrusion", severity="warning", camera_id=f"cam-{k}", box="",
                 rule="r", started_at=at, updated_at=at, ingested_at=at, track_ids=[], facts={}, models={})
            for k in range(1, n + 1)])
        s.execute(sql("INSERT INTO incident_attrs (label, incident_id, doc) VALUES (:l, :i, '')"),
                  [{"l": k, "i": f"i{k}"} for k in range(1, n + 1)])
    loaded = AttrTable()
    with store.session() as s:
        assert loaded.load(s) == n
    assert list(loaded.mask(IncidentFilter(cameras=("cam-39999",))).nonzero()[0]) == [n - 1]


# ------------------------------------------------------------------- 9. shutdown with a full queue
def test_sigterm_stops_ingest_at_once_and_exits_fast_leaving_embeddings_for_the_next_start(redis_server, tmp_path):
    import signal

    from edge_workers.bus import Publisher
    from services.search.index import SearchIndex
    from services.store import Store
    from tests.factories import make_incident

    n = 2500
    pub = Publisher(redis_server.url, maxlen=100_000, spool_dir=tmp_path / "spool", spool_max_bytes=1 << 26, source="b")
    for i in range(n):
        pub.publish(make_incident(i, caption=f"a person in a red coat waits by gate {i % 50}"))
    pub.close()
    port = free_port()
    env = {"CITYLENS_DATA_DIR": str(tmp_path / "center"), "CITYLENS_REDIS_URL": redis_server.url}
    with serve_subprocess([PY, "-m", "citylens", "api", "--host", "127.0.0.1", "--port", str(port)], env, port) as proc:
        base = f"http://127.0.0.1:{port}"
        wait_http(f"{base}/health", proc=proc, timeout_s=60)
        end = time.monotonic() + 60
        while time.monotonic() < end:
            processed = httpx.get(f"{base}/health", timeout=10).json()["ingest"]["stats"]["processed"]
            if processed >= 400:
                break
            time.sleep(0.1)
        t0 = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
        took = time.perf_counter() - t0
    store = Store(f"sqlite:///{tmp_path / 'center' / 'citylens.db'}", tmp_path / "center" / "media")
    try:
        with store.session() as s:
            from sqlalchemy import func, select

            from services.store import IncidentRow

            stored = s.scalar(select(func.count()).select_from(IncidentRow))
        assert took < 10.0, f"shutdown took {took:.1f}s"
        assert stored < n and stored - processed <= 3 * 64, (processed, stored)  # at most the batches in flight
        index = SearchIndex(store, background=False)
        try:
            print(f"SHUTDOWN-RESULT exit {took:.2f}s, processed at SIGTERM {processed}, stored {stored} of {n}, "
                  f"queued again at restart {index.pending}")
            assert index.pending > 0  # what was not embedded is queued again at the next start
        finally:
            index.close()
    finally:
        store.close()


def test_counts_pages_at_the_edges_of_time_are_4xx_or_200_never_500(store, tmp_path):
    from services.auth import Role, create_key

    _, key = create_key(store, "viewer", Role.VIEWER)
    app = create_app(Settings(run_ingest=False, data_dir=tmp_path, rate_limit_per_s=0), store=store)
    with serve_in_thread(app) as base, httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=30) as c:
        for params in ({"since": "9999-12-30T00:00:00Z", "until": "9999-12-31T23:59:59Z", "bucket": "minute"},
                       {"since": "9999-12-01T00:00:00Z", "bucket": "day"},
                       {"until": "0001-01-02T00:00:00Z", "bucket": "minute"}):
            r = c.get("/counts", params=params)
            assert r.status_code in (200, 422), (params, r.status_code, r.text)
