"""Line counting and tripwires: confirmed sides, hysteresis, id switches, class filters, per-minute buckets."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pipeline.rules import Crossing, RuleEngine
from pipeline.types import IncidentType
from tests.factories import T0, Scene, box_at, make_camera, make_detections, path, still

W, H = 640, 360
# Horizontal line across the middle, drawn left → right: 'in' is upward (the visual left, as sv.LineZone).
GATE = {"name": "gate", "start": (0.0, 0.5), "end": (1.0, 0.5), "in_name": "north", "out_name": "south"}
UP = ((320, 300), (320, 60))
DOWN = ((320, 60), (320, 300))


def engine_for(line=None, rules=(), **camera) -> RuleEngine:
    return RuleEngine(make_camera(lines=[{**GATE, **(line or {})}], rules=list(rules), **camera), (W, H))


@pytest.mark.parametrize(
    "start,end,expected",
    [
        (*UP, {("gate", "person", "north"): 1}),
        (*DOWN, {("gate", "person", "south"): 1}),
        ((100, 300), (600, 250), {}),  # walks along below the line
        ((320, 300), (320, 190), {}),  # stops short of the line
    ],
)
def test_crossing_counts_once_in_its_direction(start, end, expected):
    got = Scene().add(1, "person", path(start, end, 30)).run(engine_for(), flush=True)
    assert got.final_counts() == expected
    assert len(got.crossings) == sum(expected.values())


def test_crossing_reports_line_id_class_direction_and_time():
    got = Scene().add(7, "car", path(*UP, 30)).run(engine_for())
    (crossing,) = got.crossings
    assert isinstance(crossing, Crossing)
    assert (crossing.line, crossing.tracker_id, crossing.object_class) == ("gate", 7, "car")
    assert crossing.direction == "north"
    assert T0 < crossing.ts < T0 + 3


@pytest.mark.parametrize("jitter", [0.0, 2.0, 3.5])
def test_object_standing_on_the_line_never_counts(jitter):
    got = Scene().add(1, "person", still((320, 180), 600, jitter=jitter)).run(engine_for(), flush=True)
    assert got.final_counts() == {}


@pytest.mark.parametrize("min_frames", [2, 3])
def test_object_jittering_across_the_line_never_counts(min_frames):
    # the anchor swings ±12 px around the line every frame: far beyond the hysteresis band
    boxes = [box_at((320, 180 + (12 if i % 2 else -12))) for i in range(200)]
    got = Scene().add(1, "person", boxes).run(engine_for({"min_frames": min_frames}), flush=True)
    assert got.final_counts() == {}


def test_object_that_jitters_on_the_line_then_leaves_counts_at_most_once():
    rng_boxes = [box_at((320, 180 + (12 if i % 3 else -12))) for i in range(150)]
    boxes = path((320, 300), (320, 190), 15) + rng_boxes + path((320, 170), (320, 60), 15)
    got = Scene().add(1, "person", boxes).run(engine_for(), flush=True)
    assert got.final_counts() == {("gate", "person", "north"): 1}


@pytest.mark.parametrize("gap", [0, 5])
def test_id_switch_to_an_unrelated_box_after_crossing_does_not_count_again(gap):
    first = path((320, 300), (320, 120), 20)
    # the tracker loses the person and re-finds them 60 px further on with a new id (IoU < 0.5)
    second = path((320, 60), (320, 20), 10)
    scene = Scene().add(1, "person", first).add(2, "person", second, start=20 + gap)
    got = scene.run(engine_for(), flush=True)
    assert got.final_counts() == {("gate", "person", "north"): 1}


def test_approaching_pausing_on_the_line_then_crossing_counts_exactly_once():
    boxes = path((320, 300), (320, 180), 20) + still((320, 180), 100, jitter=3) + path((320, 180), (320, 60), 20)
    got = Scene().add(1, "person", boxes).run(engine_for(), flush=True)
    assert got.final_counts() == {("gate", "person", "north"): 1}


def test_coming_back_counts_the_other_direction():
    boxes = path(*UP, 30) + path(*DOWN, 30)
    got = Scene().add(1, "person", boxes).run(engine_for(), flush=True)
    assert got.final_counts() == {("gate", "person", "north"): 1, ("gate", "person", "south"): 1}


@pytest.mark.parametrize(
    "frames_per_side,min_frames,expected",
    [(1, 2, 0), (2, 2, 1), (1, 1, 1), (3, 4, 0), (4, 4, 1)],
)
def test_a_side_counts_only_after_min_frames(frames_per_side, min_frames, expected):
    boxes = still((320, 300), frames_per_side) + still((320, 60), frames_per_side)
    got = Scene().add(1, "car", boxes).run(engine_for({"min_frames": min_frames}), flush=True)
    assert sum(got.final_counts().values()) == expected


@pytest.mark.parametrize("switch_at", [10, 14, 16, 20])
def test_id_switch_mid_crossing_does_not_double_count(switch_at):
    boxes = path(*UP, 30)
    scene = Scene().add(1, "person", boxes[:switch_at]).add(2, "person", boxes[switch_at:], start=switch_at)
    got = scene.run(engine_for(), flush=True)
    assert got.final_counts() == {("gate", "person", "north"): 1}


def test_unconfirmed_tracks_are_never_counted():
    engine = engine_for()
    for i, box in enumerate(path(*UP, 30)):
        out = engine.update(make_detections([box], tracker_id=-1), T0 + i / 10)
        assert out.counts == [] and out.crossings == []


def test_line_classes_filter_what_is_counted():
    scene = Scene().add(1, "person", path(*UP, 30)).add(2, "car", path((100, 300), (100, 60), 30))
    got = scene.run(engine_for({"classes": ["car"]}), flush=True)
    assert got.final_counts() == {("gate", "car", "north"): 1}
    assert [c.object_class for c in got.crossings] == ["car"]


def test_passing_beyond_the_end_of_a_short_line_does_not_count():
    got = Scene().add(1, "car", path((600, 300), (600, 60), 30)).run(
        engine_for({"start": (0.0, 0.5), "end": (0.5, 0.5)}), flush=True)
    assert got.final_counts() == {}


def test_counts_are_running_totals_per_utc_minute_bucket():
    scene = Scene()
    # crossings confirmed at ~12:00:0x (two people), ~12:00:5x and ~12:01:1x
    for k, start in enumerate([0, 5, 500, 700]):
        scene.add(k + 1, "person", path((100 + 100 * k, 300), (100 + 100 * k, 60), 30), start=start)
    got = scene.run(engine_for(), flush=True)
    during = [c for c in got.counts]
    minute = lambda m: datetime(2024, 6, 3, 12, m, tzinfo=timezone.utc)  # noqa: E731
    running = [(c.bucket_start, c.count) for c in during[:-2]]  # the flush re-emits both buckets at the end
    assert running == [(minute(0), 1), (minute(0), 2), (minute(0), 3), (minute(1), 1)]
    assert [(c.bucket_start, c.count) for c in during[-2:]] == [(minute(0), 3), (minute(1), 1)]
    assert all(c.kind == "line" and c.name == "gate" and c.direction == "north" and c.box == "box-1" for c in during)


def test_count_lines_off_publishes_no_counts():
    got = Scene().add(1, "person", path(*UP, 30)).run(engine_for(count_lines=False), flush=True)
    assert got.counts == [] and got.crossings == []


@pytest.mark.parametrize(
    "direction,walk,expected_incidents",
    [("in", UP, 1), ("in", DOWN, 0), ("out", DOWN, 1), ("out", UP, 0), ("both", UP, 1), ("both", DOWN, 1)],
)
def test_tripwire_raises_an_incident_per_crossing_in_its_direction(direction, walk, expected_incidents):
    engine = engine_for(rules=[{"type": "tripwire", "line": "gate", "direction": direction}])
    got = Scene().add(4, "person", path(*walk, 30)).run(engine, flush=True)
    assert len(got.opened()) == expected_incidents
    assert got.states() == ["opened", "closed"] * expected_incidents
    if expected_incidents:
        opened, closed = got.incidents
        assert opened.id == closed.id and (opened.seq, closed.seq) == (0, 1)
        assert opened.type == IncidentType.TRIPWIRE and opened.line == "gate" and opened.track_ids == [4]
        assert opened.facts.direction == ("north" if walk == UP else "south")


def test_tripwire_works_with_counting_off_and_filters_classes():
    engine = engine_for(rules=[{"type": "tripwire", "line": "gate", "classes": ["person"]}], count_lines=False)
    scene = Scene().add(1, "person", path(*UP, 30)).add(2, "car", path((100, 300), (100, 60), 30))
    got = scene.run(engine, flush=True)
    assert [e.object_class for e in got.opened()] == ["person"]
    assert got.counts == []


def test_each_tripwire_crossing_is_its_own_incident():
    engine = engine_for(rules=[{"type": "tripwire", "line": "gate"}])
    got = Scene().add(1, "person", path(*UP, 30) + path(*DOWN, 30) + path(*UP, 30)).run(engine, flush=True)
    assert len({e.id for e in got.opened()}) == 3
