"""RuleEngine contract and incident lifecycle: ids, seq, updates, grace, flicker, id switches, flush, memory."""

from __future__ import annotations

import subprocess
import sys
import uuid

import numpy as np
import pytest

from pipeline.exceptions import ContractError
from pipeline.rules import RuleEngine
from pipeline.types import IncidentType, Severity
from tests.factories import T0, Scene, box_at, make_camera, make_detections, path, still

W, H = 640, 360
LEFT_HALF = {"name": "yard", "polygon": [(0, 0), (0.5, 0), (0.5, 1), (0, 1)]}


def intrusion_engine(**rule) -> RuleEngine:
    cam = make_camera(zones=[LEFT_HALF], rules=[{"type": "intrusion", "zone": "yard", **rule}])
    return RuleEngine(cam, (W, H), box="edge-7")


def test_tracks_without_tracker_id_break_the_contract():
    engine = intrusion_engine()
    with pytest.raises(ContractError, match="tracker_id"):
        engine.update(make_detections([[0, 0, 10, 10]]), T0)


def test_tracks_without_class_names_break_the_contract():
    det = make_detections([[0, 0, 10, 10]], tracker_id=1)
    del det.data["class_name"]
    with pytest.raises(ContractError, match="class_name"):
        intrusion_engine().update(det, T0)


def test_update_never_mutates_its_input():
    det = make_detections([box_at((100, 200))], tracker_id=3, class_name="person")
    before = (det.xyxy.copy(), det.tracker_id.copy(), det.data["class_name"].copy())
    intrusion_engine().update(det, T0)
    np.testing.assert_array_equal(det.xyxy, before[0])
    np.testing.assert_array_equal(det.tracker_id, before[1])
    np.testing.assert_array_equal(det.data["class_name"], before[2])


def test_unconfirmed_tracks_raise_nothing():
    engine = intrusion_engine()
    for i in range(50):
        det = make_detections([box_at((100, 200))], tracker_id=-1, class_name="person")
        out = engine.update(det, T0 + i * 0.1)
        assert out.incidents == [] and out.counts == [] and out.crossings == []
    assert engine.open_incidents == []


def test_intrusion_incident_is_opened_updated_and_closed_with_one_stable_uuid7():
    engine = intrusion_engine(close_after_s=2.0)
    # standing in the yard for 25 s, then not seen again; updates every 10 s; a still person the detector
    # stops seeing may still be there (night IR), so the close is published when tracker.still_hold_s (30 s)
    # runs out, and it ends at the last sighting
    got = Scene().add(5, "person", still((100, 200), 250)).run(engine, n=600)
    assert got.states() == ["opened", "updated", "updated", "closed"]
    assert len({e.id for e in got.incidents}) == 1
    assert uuid.UUID(got.incidents[0].id).version == 7
    assert [e.seq for e in got.incidents] == [0, 1, 2, 3]
    opened, closed = got.incidents[0], got.incidents[-1]
    assert opened.type == IncidentType.INTRUSION and opened.severity == Severity.CRITICAL
    assert (opened.camera_id, opened.box, opened.rule, opened.zone) == ("cam-1", "edge-7", "intrusion:yard", "yard")
    assert opened.object_class == "person" and opened.track_ids == [5]
    assert opened.bbox == pytest.approx([80 / W, 120 / H, 120 / W, 200 / H], abs=1e-3)
    assert opened.facts.first_seen == pytest.approx(T0)
    assert closed.ended_at.timestamp() == pytest.approx(T0 + 24.9)
    assert closed.updated_at.timestamp() == pytest.approx(T0 + 24.9 + 30.0, abs=0.11)
    assert closed.snapshot is None


def test_an_intruder_lost_while_walking_closes_close_after_s_after_the_last_sighting():
    engine = intrusion_engine(close_after_s=2.0)
    got = Scene().add(5, "person", path((60, 200), (200, 220), 50)).run(engine, n=100)
    assert got.states() == ["opened", "closed"]
    assert got.incidents[-1].updated_at.timestamp() == pytest.approx(T0 + 4.9 + 2.0, abs=0.11)


@pytest.mark.parametrize(
    "interval,expected_updates",
    [(10.0, 5), (5.0, 11), (60.0, 0)],
)
def test_updates_are_rate_limited_by_update_interval(interval, expected_updates):
    cam = make_camera(zones=[LEFT_HALF], rules=[{"type": "intrusion", "zone": "yard"}])
    engine = RuleEngine(cam, (W, H), update_interval_s=interval)
    got = Scene().add(1, "person", still((100, 200), 600)).run(engine, flush=True)  # 60 s
    assert got.states().count("updated") == expected_updates
    assert got.states()[0] == "opened" and got.states()[-1] == "closed"


@pytest.mark.parametrize(
    "gap_frames,close_after_s,expected",
    [
        ([], 2.0, ["opened", "closed"]),
        (range(50, 60), 2.0, ["opened", "closed"]),  # 1 s of missing detections: flicker, one incident
        (range(50, 80), 5.0, ["opened", "closed"]),
    ],
)
def test_flicker_shorter_than_close_after_does_not_close_or_reopen(gap_frames, close_after_s, expected):
    engine = intrusion_engine(close_after_s=close_after_s)
    got = Scene().add(1, "person", still((100, 200), 95), gaps=gap_frames).run(engine, flush=True)
    assert got.states() == expected


@pytest.mark.parametrize("still_hold_s,expected", [
    (30.0, ["opened", "closed"]),  # a still person unseen for 3 s (night IR) is still there: one incident
    (0.0, ["opened", "closed", "opened", "closed"]),  # without the hold: 3 s gone is a new incident
])
def test_a_still_intruder_unseen_longer_than_close_after_is_held_by_still_hold_s(still_hold_s, expected):
    cam = make_camera(zones=[LEFT_HALF], rules=[{"type": "intrusion", "zone": "yard", "close_after_s": 2.0}],
                      tracker={"still_hold_s": still_hold_s})
    got = Scene().add(1, "person", still((100, 200), 95), gaps=range(50, 80)).run(RuleEngine(cam, (W, H)), flush=True)
    assert got.states() == expected


def test_object_outside_the_zone_or_of_another_class_raises_nothing():
    engine = intrusion_engine(classes=["person"])
    scene = Scene().add(1, "person", still((500, 200), 30)).add(2, "car", still((100, 200), 30))
    assert scene.run(engine, flush=True).incidents == []


def test_parked_car_for_an_hour_is_one_incident_with_bounded_updates():
    cam = make_camera(rules=[{"type": "stopped_vehicle", "still_s": 30}])
    engine = RuleEngine(cam, (W, H))
    n = 3600 * 10
    got = Scene().add(9, "car", still((300, 250), n, size=(120, 70), jitter=0.5)).run(engine, flush=True)
    states = got.states()
    assert states.count("opened") == 1 and states.count("closed") == 1
    assert 340 <= states.count("updated") <= 360
    assert len({e.id for e in got.incidents}) == 1
    assert [e.seq for e in got.incidents] == list(range(len(got.incidents)))
    assert got.incidents[0].updated_at.timestamp() == pytest.approx(T0 + 30, abs=0.2)
    assert got.incidents[-1].facts.dwell_s == pytest.approx(3600 - 0.1, abs=0.5)


def test_parked_car_whose_tracker_id_changes_keeps_one_incident_and_its_dwell():
    cam = make_camera(rules=[{"type": "stopped_vehicle", "still_s": 20}])
    engine = RuleEngine(cam, (W, H))
    # id 4 for 15 s, lost for 0.5 s, then id 11 on (almost) the same box for 15 s more
    scene = (Scene().add(4, "car", still((300, 250), 150, size=(120, 70)))
             .add(11, "car", still((301, 250), 100, size=(120, 70)), start=155))
    got = scene.run(engine, flush=True)
    assert got.states() == ["opened", "closed"]
    opened = got.incidents[0]
    assert opened.updated_at.timestamp() == pytest.approx(T0 + 20, abs=0.2)  # dwell carried over the switch
    assert opened.track_ids == [4, 11]


def test_loiterer_whose_tracker_id_changes_stays_one_incident():
    cam = make_camera(zones=[LEFT_HALF], rules=[{"type": "loitering", "zone": "yard", "dwell_s": 10}])
    engine = RuleEngine(cam, (W, H))
    scene = (Scene().add(1, "person", still((100, 200), 80, jitter=2))
             .add(2, "person", still((102, 201), 130, jitter=2, seed=1), start=81))
    got = scene.run(engine, flush=True)
    assert got.states() == ["opened", "updated", "closed"]
    assert got.incidents[0].updated_at.timestamp() == pytest.approx(T0 + 10.1, abs=0.15)
    assert got.incidents[-1].track_ids == [1, 2]


def test_new_id_far_from_the_lost_object_is_a_new_object():
    cam = make_camera(zones=[LEFT_HALF], rules=[{"type": "loitering", "zone": "yard", "dwell_s": 10}])
    engine = RuleEngine(cam, (W, H))
    scene = (Scene().add(1, "person", still((100, 200), 80))
             .add(2, "person", still((250, 300), 80), start=81))
    assert scene.run(engine, flush=True).incidents == []


def test_flush_closes_every_open_incident_and_resets():
    cam = make_camera(zones=[LEFT_HALF], rules=[{"type": "intrusion", "zone": "yard"}])
    engine = RuleEngine(cam, (W, H))
    scene = Scene().add(1, "person", still((100, 200), 10)).add(2, "person", still((200, 200), 10))
    scene.run(engine)
    assert len(engine.open_incidents) == 2
    out = engine.flush(T0 + 5)
    assert [e.state.value for e in out.incidents] == ["closed", "closed"]
    assert engine.open_incidents == []


def test_reset_forgets_open_incidents():
    engine = intrusion_engine()
    Scene().add(1, "person", still((100, 200), 3)).run(engine)
    engine.reset()
    assert engine.open_incidents == []
    assert engine.flush(T0 + 1).incidents == []


def test_objects_unseen_for_a_minute_are_forgotten():
    engine = intrusion_engine()
    for i in range(200):  # 200 different people pass once each
        engine.update(make_detections([box_at((100, 200))], tracker_id=1000 + i), T0 + i)
    assert len(engine._registry.identities) <= 62


def test_importing_the_rules_stage_loads_nothing_heavy():
    code = ("import sys; from pipeline.rules import RuleEngine; "
            "print(sorted(m for m in ('torch', 'ray', 'redis', 'fastapi', 'ultralytics') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_dwell_incident_starts_when_its_condition_began_not_when_the_threshold_fired():
    """A car stopped at 95 s and reported at 100 s (still_s 5) has been a stopped vehicle since 95 s."""
    from pipeline.config import LoiteringRule
    from pipeline.rules.lifecycle import IncidentBook, Observation

    book = IncidentBook(LoiteringRule(type="loitering", zone="z", dwell_s=5), camera_id="c", box="b")
    (opened,) = book.step({1: Observation(object_class="person", zone="z", facts={"dwell_s": 5.0})}, 1_700_000_100.0)
    assert opened.started_at.timestamp() == 1_700_000_095.0
    (closed,) = book.flush(1_700_000_110.0)
    assert closed.started_at.timestamp() == 1_700_000_095.0
