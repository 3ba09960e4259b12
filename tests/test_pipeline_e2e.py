"""End to end on real parts: `citylens demo --exit-when-done` (Ray local cluster with two simulated boxes,
an embedded real Redis, real yolov8n, the two real clips), then the REST API over the store it filled.

Ground truth comes from watching the clips frame by frame: see docs/hand_counts.md for the method and the
per-event frame ranges.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[1]

# Hand counts (docs/hand_counts.md): person visits to the lobby table, each a separate person who walks to
# the table, stands there reading and leaves.
# Visits (frames): 74-186, 242-438, 520-688, 762-855, 940-1184, 1254-1347.
HAND_TABLE_VISITS = 6
# Moving vehicles crossing `street-line`, per direction name, counted by stepping through the clip.
# Westbound: red pickup ~f45, black pickup ~f140, red hatchback ~f253, black sedan ~f293.
# Eastbound: white car ~f119, white car ~f445, yellow school bus ~f530, red hatchback ~f619.
HAND_STREET = {"eastbound": 4, "westbound": 4}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo")
    env = dict(os.environ)
    env.pop("CITYLENS_REDIS_URL", None)  # the demo must start its own embedded Redis
    # The documented command (README): the `citylens` console script installed beside this interpreter.
    cmd = [str(Path(sys.executable).parent / "citylens"), "demo", "--exit-when-done", "--fast", "--port", "0",
           "--data-dir", str(data_dir), "--timeout", "900"]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, f"demo failed ({proc.returncode}):\n{proc.stderr[-4000:]}"
    summary = json.loads(proc.stdout[proc.stdout.index("{"):])
    return data_dir, summary, proc


@pytest.fixture(scope="module")
def api(demo_run):
    from services.api.app import create_app
    from services.settings import Settings
    from services.store import Store

    data_dir, _, _ = demo_run
    store_url = f"sqlite:///{data_dir / 'citylens.db'}"
    store = Store(store_url, str(data_dir / "media"))
    settings = Settings(store_url=store_url, media_dir=str(data_dir / "media"), run_ingest=False, open_mode=True)
    with TestClient(create_app(settings, store=store), base_url="http://127.0.0.1", client=("127.0.0.1", 50000)) as client:
        yield client


def _all_incidents(client, **params) -> list[dict]:
    out, cursor = [], None
    while True:
        q = dict(params, limit=100, **({"cursor": cursor} if cursor else {}))
        r = client.get("/incidents", params=q)
        assert r.status_code == 200, r.text
        body = r.json()
        out.extend(body["data"])
        cursor = body.get("next_cursor")
        if not cursor:
            return out


@pytest.mark.slow
def test_demo_summary_reports_both_cameras_ended_and_everything_ingested(demo_run):
    _, summary, _ = demo_run
    assert set(summary["cameras"]) == {"lobby", "street"}
    for cam, s in summary["cameras"].items():
        assert s["state"] == "ended", (cam, s)
        assert s["frames_dropped"] == 0, (cam, s)  # --fast reads files without dropping
    assert summary["incidents_total"] >= HAND_TABLE_VISITS


@pytest.mark.slow
def test_each_person_visit_to_the_table_is_exactly_one_loitering_incident(api):
    visits = _all_incidents(api, camera="lobby", type="loitering")
    assert len(visits) == HAND_TABLE_VISITS, [(v["started_at"], v["ended_at"]) for v in visits]
    for v in visits:
        assert v["state"] == "closed"
        assert v["zone"] == "table"
        assert v["object_class"] == "person"
        assert v["facts"]["dwell_s"] >= 3.0


@pytest.mark.slow
def test_vehicle_line_counts_per_direction_are_within_one_of_the_hand_count(api):
    r = api.get("/counts", params={"camera": "street", "kind": "line", "name": "street-line", "bucket": "day"})
    assert r.status_code == 200, r.text
    got: dict[str, int] = {}
    for row in r.json()["data"]:
        got[row["direction"]] = got.get(row["direction"], 0) + row["count"]
    for direction, expected in HAND_STREET.items():
        assert abs(got.get(direction, 0) - expected) <= 1, (direction, got, HAND_STREET)


@pytest.mark.slow
def test_every_incident_snapshot_is_served_and_decodes(api):
    incidents = _all_incidents(api)
    assert incidents
    for inc in incidents:
        r = api.get(f"/incidents/{inc['id']}/snapshot.jpg")
        assert r.status_code == 200, (inc["id"], r.text)
        assert r.headers["content-type"] == "image/jpeg"
        img = cv2.imdecode(np.frombuffer(r.content, np.uint8), cv2.IMREAD_COLOR)
        assert img is not None and img.shape[0] > 100 and img.shape[1] > 100


@pytest.mark.slow
def test_every_incident_is_captioned_and_records_where_the_caption_came_from(api):
    for inc in _all_incidents(api):
        assert inc["caption"], inc["id"]
        assert inc["caption_source"] in ("template", "vlm")
        assert inc["models"]["detector"] == "yolov8n.pt"


@pytest.mark.slow
def test_natural_language_search_finds_the_table_visits(api):
    visits = {v["id"] for v in _all_incidents(api, camera="lobby", type="loitering")}
    r = api.get("/search", params={"q": "person standing at the table", "limit": 10})
    assert r.status_code == 200, r.text
    body = r.json()
    assert "person" in body["parsed"]["filters"]["classes"]
    assert {h["id"] for h in body["data"][:HAND_TABLE_VISITS]} == visits
    assert all(h["caption"] for h in body["data"])
