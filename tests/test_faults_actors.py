"""Actor faults on the real pipeline: a CameraWorker process SIGKILLed, and the shared Detector actor killed.

Ray restarts both actors; these tests check that the camera's stream resumes (the supervisor runs a live
camera again), that cameras ride out a detector restart without failing, and that the store still matches
the edge's publish ledger exactly.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
import ray
import redis
from fault_helpers import (
    BOX,
    PEOPLE,
    TRAFFIC,
    MjpegServer,
    Rig,
    cut_clip,
    delivery,
    free_port,
    ingest_caught_up,
    load_ledgers,
    lobby_camera,
    make_cfg,
    ray_node,  # noqa: F401 - session fixture
    read_frames,
    report,
    street_camera,
    wait_until,
)

from citylens.contracts import STREAM_HEALTH


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_killed_camera_worker_is_restarted_and_its_live_stream_resumes_within_10s(ray_node, redis_server, tmp_path):
    server = MjpegServer(free_port(), fps=10, frames=read_frames(PEOPLE, 200, start=240))  # someone at the table
    server.start()
    cfg = make_cfg([lobby_camera("lobby", server.url)], tmp_path)
    try:
        with Rig(cfg, redis_server.url, tmp_path) as rig:
            rig.start_ingest()
            rig.start_edge()
            before = wait_until(lambda: (h := rig.health("lobby")).frames_processed >= 30 and h, 90, "3 s of frames")

            os.kill(before.pid, signal.SIGKILL)  # the camera worker's process dies, as on an OOM kill
            killed = time.monotonic()
            # the new incarnation streams again: a health read on a loaded box may itself time out (UNREACHABLE)
            # for a moment, so wait for a read that says so, not only for the supervisor's measured gap
            after = wait_until(lambda: (h := rig.health("lobby")).last_gap_s is not None
                               and h.state == "streaming" and h, 30, "the camera to stream again")
            resumed_s = time.monotonic() - killed
            time.sleep(3)
            rig.stop_edge()  # closes the new incarnation's incidents and flushes them
            wait_until(lambda: ingest_caught_up(redis_server.url), 60, "ingest to catch up")
            got = delivery(rig.store, load_ledgers(cfg))
            notices = [f[b"json"] for _, f in redis.Redis.from_url(redis_server.url).xrange(STREAM_HEALTH)
                       if b"restarted after a crash" in f[b"json"]]
    finally:
        server.stop()

    report("camera worker SIGKILL (live)", lost=len(got.lost), duplicated=len(got.duplicated), incidents=got.incidents,
           gap_s=after.last_gap_s, resumed_s=round(resumed_s, 2))
    assert after.pid != before.pid and after.restarts == 1, after
    assert after.state == "streaming", after
    assert after.last_gap_s < 10, after
    assert notices, "no health event tells the control room the worker was restarted"
    assert got.incidents > 0, got
    assert got.lost == [], got.lost
    assert got.duplicated == [], got.duplicated


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_killed_detector_is_restarted_and_the_camera_keeps_every_frame_without_failing(ray_node, redis_server, tmp_path):
    clip = cut_clip(TRAFFIC, tmp_path / "street.mp4", 300)
    cfg = make_cfg([street_camera("street", str(clip), realtime=False)], tmp_path)
    with Rig(cfg, redis_server.url, tmp_path) as rig:
        rig.start_ingest()
        rig.start_edge()
        at_kill = wait_until(lambda: (h := rig.health("street")).frames_processed >= 50 and h, 90, "50 frames")
        detector = rig.sup.detectors[BOX]
        ray.kill(detector, no_restart=False)  # Ray restarts it (max_restarts=-1)
        killed = time.monotonic()
        wait_until(lambda: rig.health("street").frames_processed >= at_kill.frames_processed + 10, 60, "detections to flow again")
        recovery_s = time.monotonic() - killed
        results = rig.finish(180)
        assert ray.get(detector.ready.remote(), timeout=30)  # alive, not in a crash loop
        got = delivery(rig.store, load_ledgers(cfg))

    r = results["street"]
    report("detector actor killed", lost=len(got.lost), duplicated=len(got.duplicated), incidents=got.incidents,
           counts=got.counts, detect_retries=r.detect_retries, recovery_s=round(recovery_s, 2))
    assert r.state == "ended" and r.error is None, r
    assert r.frames_processed + r.frames_skipped == r.frames_in == 300 and r.frames_dropped == 0, r  # skipped: fps_cap
    assert got.incidents > 0 and got.counts > 0, got
    assert got.lost == [], got.lost
    assert got.duplicated == [], got.duplicated


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_in_process_placement_detects_in_the_camera_process_and_delivers_exactly(ray_node, redis_server, tmp_path):
    """``models.detector.placement: in_process``: no Detector actor is started; the camera actor runs the box's
    model itself and its events reach the store exactly as published."""
    clip = cut_clip(TRAFFIC, tmp_path / "street.mp4", 80)
    cfg = make_cfg([street_camera("street", str(clip), realtime=False)], tmp_path)
    cfg.models.detector = cfg.models.detector.model_copy(update={"placement": "in_process"})
    with Rig(cfg, redis_server.url, tmp_path) as rig:
        rig.start_ingest()
        rig.start_edge()
        assert rig.sup.detectors == {} and rig.sup.placement_for(BOX) == "in_process"
        results = rig.finish(180)
        got = delivery(rig.store, load_ledgers(cfg))
    r = results["street"]
    assert r.state == "ended" and r.error is None and r.detect_retries == 0, r
    assert r.frames_processed == r.frames_in - r.frames_skipped > 0 and r.detect_s > 0, r
    assert got.lost == [] and got.duplicated == [], got
