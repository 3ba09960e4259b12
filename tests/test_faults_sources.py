"""Source faults on the real pipeline: a live camera that disappears and comes back, and bad inputs among good ones."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from fault_helpers import (
    PEOPLE,
    TRAFFIC,
    MjpegServer,
    Rig,
    cut_clip,
    delivery,
    free_port,
    load_ledgers,
    lobby_camera,
    make_cfg,
    ray_node,  # noqa: F401 - session fixture
    read_frames,
    report,
    street_camera,
    wait_until,
)


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_camera_that_disappears_reconnects_with_backoff_and_get_cameras_shows_it(ray_node, redis_server, tmp_path):
    from services.api.app import create_app
    from services.settings import Settings

    server = MjpegServer(free_port(), fps=10, frames=read_frames(PEOPLE, 100, start=240))
    server.start()
    cfg = make_cfg([lobby_camera("door", server.url)], tmp_path)
    try:
        with Rig(cfg, redis_server.url, tmp_path) as rig:
            settings = Settings(store_url=rig.store_url, media_dir=rig.media_dir, run_ingest=False, open_mode=True)
            with TestClient(create_app(settings, store=rig.store), base_url="http://127.0.0.1", client=("127.0.0.1", 50000)) as api:
                def camera() -> dict:
                    body = api.get("/cameras").json()
                    return next((c for c in body["data"] if c["camera_id"] == "door"), {})

                rig.start_ingest()
                rig.start_edge()
                wait_until(lambda: camera().get("state") == "streaming", 90, "GET /cameras: streaming")
                server.stop()
                down = wait_until(lambda: (c := camera()).get("state") == "reconnecting" and c, 30,
                                  "GET /cameras: reconnecting")
                time.sleep(3)  # several backoff rounds against a closed port
                server.start()
                back = time.monotonic()
                up = wait_until(lambda: (c := camera()).get("state") == "streaming" and c.get("reconnects", 0) >= 1 and c,
                                30, "GET /cameras: streaming again")
                recovery_s = time.monotonic() - back
            rig.stop_edge()
    finally:
        server.stop()
    report("MJPEG source gone 3 s", reconnects=up["reconnects"], recovery_s=round(recovery_s, 2))
    assert "door" in (down["error"] or "") and "127.0.0.1" in (down["error"] or ""), down
    assert up["error"] is None, up


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_bad_inputs_fail_with_one_clear_line_while_the_good_camera_delivers(ray_node, redis_server, tmp_path):
    good = cut_clip(TRAFFIC, tmp_path / "street.mp4", 300)
    corrupt = tmp_path / "corrupt.mp4"
    corrupt.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 200)
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 3])  # mp4v puts the index at the end: lost
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    bad = {"corrupt": (corrupt, "cannot open"), "truncated": (truncated, "cannot open"), "empty": (empty, "0 bytes"),
           "unsupported": ("webcam:front-door", "webcam index must be a number")}
    cams = [street_camera("street", str(good), realtime=False)]
    cams += [lobby_camera(cid, str(url), realtime=False) for cid, (url, _) in bad.items()]
    cfg = make_cfg(cams, tmp_path)
    with Rig(cfg, redis_server.url, tmp_path) as rig:
        rig.start_ingest()
        rig.start_edge()
        results = rig.finish(180)
        health = {h.camera_id: h for h in rig.store.camera_health()}
        got = delivery(rig.store, {"street": load_ledgers(cfg)["street"]})

    report("bad inputs x4 + 1 good", good_incidents=got.incidents, good_counts=got.counts,
           errors={cid: results[cid].error for cid in bad})
    assert results["street"].state == "ended" and results["street"].error is None, results["street"]
    assert got.incidents > 0 and got.ok(), got
    for cid, (url, reason) in bad.items():
        err = results[cid].error
        assert results[cid].state == "failed", (cid, results[cid])
        assert cid in err and str(url).split("/")[-1] in err and reason in err, (cid, err)
        assert "\n" not in err
        assert health[cid].state == "failed" and health[cid].error == err, (cid, health[cid].error)
