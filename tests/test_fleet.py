"""A real multi-box fleet on this machine: a Ray cluster of a head and three small nodes, each carrying one
``edge_box:<name>`` resource (box-a, box-b, and a spare for box-a), real yolov8n at a small size, the sample
clips looped as live cameras, a real redis-server and the API's ``GET /cameras``.

Checked: ``citylens edge --address`` joins the cluster and runs its box's camera on that box's node; cameras
land on their boxes; when box-a's node is removed its camera is reported down within 10 s, box-b carries
on, and box-a's camera moves to the spare box. The tests share one cluster and run in file order.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
LOBBY = SAMPLES / "people_indoor_one_by_one_intel.mp4"
STREET = SAMPLES / "traffic_residential_street_cvTrafficCam.mp4"
NODE = dict(num_cpus=1, object_store_memory=80 * 1024 * 1024)
DETECTOR = {"model": "yolov8n.pt", "imgsz": 160, "device": "cpu"}  # small: three boxes share two cores here


def _camera(cam_id: str, box: str, clip: Path, **source) -> dict:
    return {"id": cam_id, "box": box, "source": {"url": str(clip), "fps_cap": 2, **source}}


@pytest.fixture(scope="module")
def cluster():
    import ray
    from ray.cluster_utils import Cluster

    c = Cluster(initialize_head=True, head_node_args={**NODE, "include_dashboard": False})
    nodes = {box: c.add_node(**NODE, resources={f"edge_box:{box}": 100}) for box in ("box-a", "box-b", "spare")}
    c.wait_for_nodes()
    try:
        yield c, nodes
    finally:
        if ray.is_initialized():
            ray.shutdown()
        c.shutdown()


@pytest.fixture(scope="module")
def center(tmp_path_factory, cluster):
    """A real redis-server plus the API with its ingest consumer (what the control room runs)."""
    from fastapi.testclient import TestClient

    from services.api.app import create_app
    from services.redis_server import RedisServer
    from services.settings import Settings
    from services.store import Store

    d = tmp_path_factory.mktemp("center")
    redis = RedisServer(d / "redis").start()
    store = Store(f"sqlite:///{d / 'center.db'}", d / "media")
    settings = Settings(redis_url=redis.url, store_url=store.url, media_dir=str(d / "media"), run_ingest=True,
                        open_mode=True, api_host="127.0.0.1", camera_stale_s=6.0, data_dir=d)
    try:
        # open mode serves loopback clients only: present the test client as one
        with TestClient(create_app(settings, store=store), base_url="http://127.0.0.1",
                        client=("127.0.0.1", 50000)) as client:
            yield redis.url, client, d
    finally:
        store.close()
        redis.stop()


def _cameras(client) -> dict[str, dict]:
    r = client.get("/cameras")
    assert r.status_code == 200, r.text
    return {c["camera_id"]: c for c in r.json()["data"]}


def _reachable(sup) -> dict | None:
    """Every worker's health, or None while one of them does not answer (a loaded box can time a call out)."""
    health = {h.camera_id: h for h in sup.health()}
    return None if any(h.state == "unreachable" for h in health.values()) else health


def _wait(cond, timeout: float, what: str, poll: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = cond()
        if got:
            return got
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_citylens_edge_joins_an_existing_cluster_and_runs_on_its_box(cluster, center, tmp_path):
    c, nodes = cluster
    redis_url, _client, _ = center
    cfg = tmp_path / "box-b.yaml"
    cfg.write_text(yaml.safe_dump({
        "boxes": [{"name": "box-b"}],
        "cameras": [_camera("lobby-file", "box-b", LOBBY, realtime=False, fps_cap=1)],
        "models": {"detector": DETECTOR, "captioner": {"enabled": False}},
        "redis": {"spool_dir": str(tmp_path / "spool")},
    }))
    env = {**os.environ, "CITYLENS_REDIS_URL": redis_url}
    env.pop("RAY_ADDRESS", None)
    proc = subprocess.run([str(Path(sys.executable).parent / "citylens"), "edge", "--config", str(cfg), "--box", "box-b",
                           "--address", c.address, "--metrics-port", "0"],  # any free port: another test may hold 9108
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout[proc.stdout.index("{"):])["lobby-file"]
    assert result["state"] == "ended" and result["frames_in"] >= 130 and result["frames_processed"] > 0  # 139 s at 1 fps
    assert result["node_id"] == nodes["box-b"].node_id  # ran on box-b's node of THIS cluster, not a new local Ray


@pytest.mark.slow
@pytest.mark.timeout(400)
def test_cameras_land_on_their_boxes_and_a_lost_box_is_reported_down_and_moved_to_the_spare(cluster, center, tmp_path):
    import ray

    from edge_workers.supervisor import EdgeSupervisor
    from pipeline.config import parse_config

    c, nodes = cluster
    redis_url, client, _ = center
    cfg = parse_config({
        "boxes": [{"name": "box-a"}, {"name": "box-b"}, {"name": "spare", "spare_for": ["box-a"]}],
        "cameras": [_camera("cam-a", "box-a", LOBBY, realtime=True, loop=True),
                    _camera("cam-b", "box-b", STREET, realtime=True, loop=True)],
        "models": {"detector": DETECTOR, "captioner": {"enabled": False}},
        "redis": {"spool_dir": str(tmp_path / "spool")},
    })
    if ray.is_initialized():  # a session-wide local node from earlier tests: this test drives the cluster instead
        ray.shutdown()
    ray.init(address=c.address, log_to_driver=False)
    sup = EdgeSupervisor(cfg, redis_url=redis_url, watch_s=0.5)
    try:
        sup.start()
        _wait(lambda: all(_cameras(client).get(cid, {}).get("state") == "streaming" for cid in ("cam-a", "cam-b")),
              120, "both cameras streaming in /cameras")
        placed = _wait(lambda: _reachable(sup), 30, "both workers answering their health call")
        placed = {h.camera_id: h.node_id for h in placed.values()}
        assert placed == {"cam-a": nodes["box-a"].node_id, "cam-b": nodes["box-b"].node_id}

        b_before = _cameras(client)["cam-b"]["frames_processed"]
        t0 = time.monotonic()
        c.remove_node(nodes["box-a"])
        down = _wait(lambda: (cam := _cameras(client)["cam-a"])["state"] == "down" and cam, 10,
                     "cam-a reported down within 10 s of its node's removal", poll=0.1)
        down_after_s = time.monotonic() - t0
        print(f"FLEET cam-a down after {down_after_s:.1f} s: {down['error']}")
        assert "box-a" in (down["error"] or "") or "no health report" in (down["error"] or "")

        moved = _wait(lambda: (cam := _cameras(client)["cam-a"])["state"] == "streaming" and cam["box"] == "spare"
                      and cam, 120, "cam-a streaming again on the spare box")
        moved_after_s = time.monotonic() - t0
        print(f"FLEET cam-a streaming on spare after {moved_after_s:.1f} s")
        assert moved["box"] == "spare"
        health = _wait(lambda: _reachable(sup), 30, "both workers answering their health call")
        assert health["cam-a"].node_id == nodes["spare"].node_id

        b_now = _cameras(client)["cam-b"]
        assert b_now["state"] == "streaming" and b_now["box"] == "box-b"
        assert b_now["frames_processed"] > b_before  # box-b carried on through box-a's loss
        assert health["cam-b"].node_id == nodes["box-b"].node_id and health["cam-b"].restarts == 0
    finally:
        sup.stop()
        ray.shutdown()


@pytest.mark.parametrize(
    ("spare_for", "error"),
    [(["box-a"], None), (["box-a", "nope"], r"boxes.1.spare_for: \['nope'\] must name other boxes"),
     (["spare"], r"boxes.1.spare_for: \['spare'\] must name other boxes")],
)
def test_a_spare_box_names_the_boxes_it_stands_in_for(spare_for, error):
    from pipeline.config import parse_config
    from citylens.contracts import ConfigError

    data = {"boxes": [{"name": "box-a"}, {"name": "spare", "spare_for": spare_for}],
            "cameras": [_camera("cam-a", "box-a", LOBBY)]}
    if error:
        with pytest.raises(ConfigError, match=error):
            parse_config(data)
    else:
        assert parse_config(data).spares_for("box-a") == ["spare"]
