"""Two API replicas (``citylens api`` processes, ingest inside) consuming one Redis stream into one PostgreSQL
store: every entry is processed exactly once between them (0 lost, 0 duplicated), each incident is stored once
at its newest revision, both replicas share the work under distinct consumer names, and both answer the same.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import redis

from citylens.contracts import STREAM_COUNTS, STREAM_INCIDENTS
from pipeline.types import CountEvent
from tests.factories import STORE_T0, make_incident

N_INCIDENTS = 300


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_api(port: int, env: dict, log: Path) -> subprocess.Popen:
    out = log.open("w")
    return subprocess.Popen([str(Path(sys.executable).parent / "citylens"), "api", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _health(port: int) -> dict | None:
    try:
        r = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
        return r.json() if r.status_code == 200 else None
    except httpx.HTTPError:
        return None


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_two_api_replicas_share_one_stream_into_postgresql_with_nothing_lost_or_duplicated(pg_url, redis_server, tmp_path):
    from services.store import Store

    Store(pg_url, tmp_path / "media").close()  # schema once, as a deployment's migration step would
    env = {**os.environ, "CITYLENS_STORE_URL": pg_url, "CITYLENS_REDIS_URL": redis_server.url,
           "CITYLENS_MEDIA_DIR": str(tmp_path / "media"), "CITYLENS_OPEN_MODE": "1", "CITYLENS_DATA_DIR": str(tmp_path)}
    env.pop("CITYLENS_CONSUMER_NAME", None)  # each process picks <host>-<pid>
    ports = [_port(), _port()]
    procs = [_start_api(p, env, tmp_path / f"api-{i}.log") for i, p in enumerate(ports)]
    try:
        deadline = time.monotonic() + 90
        while not all(_health(p) for p in ports):
            assert all(p.poll() is None for p in procs), [(tmp_path / f"api-{i}.log").read_text()[-2000:] for i in range(2)]
            assert time.monotonic() < deadline, "replicas did not come up"
            time.sleep(0.5)

        r = redis.Redis.from_url(redis_server.url)
        entries = 0
        for i in range(N_INCIDENTS):  # two revisions each, interleaved with counts, as cameras send them
            for seq, state in ((0, "opened"), (1, "closed")):
                r.xadd(STREAM_INCIDENTS, make_incident(i, seq=seq, state=state).to_fields())
                entries += 1
            if i % 10 == 0:
                ev = CountEvent(camera_id="cam-1", name="gate", object_class="car", direction="in",
                                bucket_start=STORE_T0, count=i + 1)
                r.xadd(STREAM_COUNTS, ev.to_fields())
                entries += 1

        store = Store(pg_url, tmp_path / "media")
        try:
            deadline = time.monotonic() + 120
            while True:
                stats = [(_health(p) or {}).get("ingest", {}).get("stats", {}) for p in ports]
                if sum(s.get("processed", 0) for s in stats) >= entries:
                    break
                assert time.monotonic() < deadline, f"ingest stalled: {stats}, {entries} entries sent"
                time.sleep(0.5)
            processed = [s.get("processed", 0) for s in stats]
            assert sum(processed) == entries  # every entry processed exactly once between the two: 0 lost, 0 duplicated
            assert all(n > 0 for n in processed), f"one replica did all the work: {processed}"
            assert sum(s.get("dead_letters", 0) for s in stats) == 0

            rows, _ = store.list_incidents(limit=N_INCIDENTS + 10)
            assert len(rows) == N_INCIDENTS and len({r.id for r in rows}) == N_INCIDENTS
            assert {(r.seq, r.state) for r in rows} == {(1, "closed")}
            assert sum(b.count for b in store.counts(bucket="day")) == N_INCIDENTS - 9  # highest running total: 291
        finally:
            store.close()

        for stream in (STREAM_INCIDENTS, STREAM_COUNTS):
            group = r.xinfo_groups(stream)[0]
            assert group["pending"] == 0
            consumers = {c["name"] for c in r.xinfo_consumers(stream, group["name"])}
            assert len(consumers) == 2, consumers  # distinct consumer names, one per process
        ids = []
        for p in ports:  # both replicas read the same store: the same answer
            body = httpx.get(f"http://127.0.0.1:{p}/incidents", params={"limit": 100}, timeout=10).json()
            ids.append([x["id"] for x in body["data"]])
        assert ids[0] == ids[1] and len(ids[0]) == 100
        r.close()
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
