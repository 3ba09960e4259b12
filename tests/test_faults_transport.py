"""Transport faults on the real pipeline: Redis SIGKILLed mid-run, and the ingest process SIGKILLed mid-batch.

Each test compares the store with the edge's own publish ledger: every (incident id, newest revision) and
every count key at its final running total must arrive once, and nothing the edge did not publish may.
"""

from __future__ import annotations

import time

import pytest
from fault_helpers import (
    TRAFFIC,
    Rig,
    cut_clip,
    delivery,
    load_ledgers,
    make_cfg,
    pending_of,
    ray_node,  # noqa: F401 - session fixture
    report,
    start_ingest_process,
    stop_ingest_process,
    street_camera,
    wait_until,
)


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_redis_killed_mid_run_and_back_10s_later_loses_and_duplicates_nothing(ray_node, redis_server, tmp_path):
    clip = cut_clip(TRAFFIC, tmp_path / "street.mp4", 300)  # 30 s paced like a live camera
    cfg = make_cfg([street_camera("street", str(clip), realtime=True)], tmp_path)
    with Rig(cfg, redis_server.url, tmp_path) as rig:
        rig.start_ingest()
        rig.start_edge()
        wait_until(lambda: rig.health("street").frames_processed >= 50, 90, "5 s of video processed")

        redis_server.kill()  # SIGKILL: no shutdown, no final AOF flush
        down = time.monotonic()
        # At least 10 s down, and long enough for the camera to raise something while Redis is gone (with motion
        # gating and onset-dated dwell rules the first events of this clip can come a little later than 10 s).
        wait_until(lambda: rig.health("street").publisher.spooled > 0, 40, "an event spooled during the outage")
        time.sleep(max(0.0, 10 - (time.monotonic() - down)))
        during = rig.health("street").publisher
        redis_server.start()  # same port, same data dir
        back = time.monotonic()
        wait_until(lambda: rig.health("street").publisher.spool_pending == 0, 60, "the spool to drain")
        recovery_s = time.monotonic() - back
        results = rig.finish(180)
        got = delivery(rig.store, load_ledgers(cfg))

    pub = results["street"].publisher
    report("redis SIGKILL 10 s", lost=len(got.lost), duplicated=len(got.duplicated), incidents=got.incidents,
           counts=got.counts, spooled=pub.spooled, replayed=pub.replayed, recovery_s=round(recovery_s, 2))
    assert results["street"].state == "ended", results["street"]
    assert during.spooled > 0, f"nothing was spooled during the outage: {during}"
    assert pub.dropped == 0 and pub.spool_pending == 0 and pub.replayed == pub.spooled, pub
    assert got.incidents > 0 and got.counts > 0, got
    assert got.lost == [], got.lost
    assert got.duplicated == [], got.duplicated


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_ingest_killed_mid_batch_is_replaced_and_its_pending_entries_are_reclaimed(ray_node, redis_server, tmp_path):
    clip = cut_clip(TRAFFIC, tmp_path / "street.mp4", 300)
    cfg = make_cfg([street_camera("street", str(clip), realtime=False)], tmp_path)
    with Rig(cfg, redis_server.url, tmp_path) as rig:
        # The first consumer holds each transaction open 0.3 s, and once it has stored an incident it holds the next
        # one open for good, so the kill lands mid-batch with entries pending.
        first = start_ingest_process(redis_server.url, rig.store_url, rig.media_dir, name="ingest-a",
                                     claim_idle_ms=500, commit_delay_s=0.3, hang_once_stored_s=600)
        try:
            rig.start_edge()
            wait_until(lambda: pending_of(redis_server.url, "ingest-a") > 0 and rig.store.count_incidents() > 0,
                       120, "ingest-a to hold pending entries after storing some incidents", poll_s=0.02)
        finally:
            first.kill()  # SIGKILL, mid-batch
            first.wait()
        pending_at_kill = pending_of(redis_server.url, "ingest-a")
        second = start_ingest_process(redis_server.url, rig.store_url, rig.media_dir, name="ingest-b",
                                      claim_idle_ms=500, commit_delay_s=0.0)
        started = time.monotonic()
        try:
            wait_until(lambda: pending_of(redis_server.url, "ingest-a") == 0, 30, "ingest-b to reclaim ingest-a's entries")
            recovery_s = time.monotonic() - started
            results = rig.finish(180)
        finally:
            stats = stop_ingest_process(second)
        got = delivery(rig.store, load_ledgers(cfg))

    report("ingest SIGKILL mid-batch", lost=len(got.lost), duplicated=len(got.duplicated), incidents=got.incidents,
           counts=got.counts, pending_at_kill=pending_at_kill, reclaimed=stats["reclaimed"],
           recovery_s=round(recovery_s, 2))
    assert results["street"].state == "ended", results["street"]
    assert pending_at_kill > 0
    assert stats["reclaimed"] >= pending_at_kill, stats
    assert got.incidents > 0 and got.counts > 0, got
    assert got.lost == [], got.lost
    assert got.duplicated == [], got.duplicated
