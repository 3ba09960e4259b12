"""Line counting and tripwires: confirmed sides, hysteresis, id switches, class filters, per-minute buckets."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
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
def test_a_side_near_the_line_counts_only_after_min_frames(frames_per_side, min_frames, expected):
    # 12 px from the line: outside the hysteresis band, inside a quarter of the box diagonal (22 px)
    boxes = still((320, 192), frames_per_side) + still((320, 168), frames_per_side)
    got = Scene().add(1, "car", boxes).run(engine_for({"min_frames": min_frames, "infer_entry_s": 0}), flush=True)
    assert sum(got.final_counts().values()) == expected


@pytest.mark.parametrize("fps,frames_per_side,expected", [(20.0, 2, 0), (20.0, 3, 1), (10.0, 2, 1)])
def test_min_frames_is_stated_for_10_fps_and_keeps_its_time_at_the_active_rate(fps, frames_per_side, expected):
    """At 20 fps (source.active_fps near a line) two samples 12 px past the line span 0.05 s, not the 0.1 s two
    frames take at 10 fps: a box settling onto the line jitters that long; three samples (0.1 s) count."""
    boxes = still((320, 192), frames_per_side) + still((320, 168), frames_per_side)
    got = Scene(fps=fps).add(1, "car", boxes).run(engine_for({"infer_entry_s": 0}), flush=True)
    assert sum(got.final_counts().values()) == expected


@pytest.mark.parametrize("min_frames", [2, 4])
def test_one_sample_well_clear_of_the_line_confirms_a_side(min_frames):
    """At 3 fps a vehicle may be seen once on each side: a sample far from the line is proof enough."""
    boxes = still((320, 300), 1) + still((320, 60), 1)
    got = Scene().add(1, "car", boxes).run(engine_for({"min_frames": min_frames, "infer_entry_s": 0}), flush=True)
    assert got.final_counts() == {("gate", "car", "north"): 1}


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


def test_crossing_near_the_end_of_a_line_counts_once_though_it_is_clear_of_the_line_only_beyond_the_end():
    """A vehicle turning at a junction crosses a line 10 px inside its end and is past the end by the time it is
    clear of the line's band: the crossing happened between the ends and counts (it was missed before)."""
    short = {"start": (0.0, 0.5), "end": (0.5, 0.5)}  # x 0-320 at y = 180
    got = Scene().add(1, "car", path((250, 260), (370, 100), 16)).run(engine_for(short), flush=True)
    assert got.final_counts() == {("gate", "car", "north"): 1}


@pytest.mark.parametrize("start", [0, 5], ids=["at-stream-start", "later"])
def test_going_round_the_end_of_a_line_never_counts(start):
    """A vehicle passes beyond the line's end (crossing its extension) and then drives on past the line's
    side: it never crossed the line. Before, a new track first seen on the far side of the extension was taken
    for one born on the other side of the line (a junction's phantom)."""
    short = {"start": (0.0, 0.5), "end": (0.5, 0.5)}
    got = Scene().add(1, "car", path((450, 260), (250, 60), 20), start=start).run(engine_for(short), flush=True)
    assert got.final_counts() == {}


def test_a_track_taken_over_on_the_side_it_reached_round_the_end_does_not_count():
    """A car drives past the end of a short line (crossing its extension, never confirmed on a side), is lost, and
    its track takes a box of another vehicle inside the line's span on the side the car had already reached (the
    dark street copy: a far-lane car past the end of the near lane's entry line, its track taken over at a low
    score by a car entering in the near lane). The straight way from the track's first sample to that box meets
    the line, but the car came over beyond the end: no crossing. Counted once before."""
    short = {"start": (0.0, 0.5), "end": (0.5, 0.5)}  # x 0-320 at y = 180
    boxes = path((450, 260), (450, 60), 20) + [box_at((150, 120))] * 5 + path((150, 120), (160, 120), 10)
    got = Scene().add(1, "car", boxes, gaps=range(20, 25)).run(engine_for(short), flush=True)
    assert got.final_counts() == {}


def test_a_track_born_below_a_short_line_that_crosses_it_between_its_ends_after_a_gap_counts():
    short = {"start": (0.0, 0.5), "end": (0.5, 0.5)}
    boxes = path((250, 260), (250, 200), 6) + [box_at((250, 120))] * 5 + path((250, 120), (250, 60), 10)
    got = Scene().add(1, "car", boxes, gaps=range(6, 11)).run(engine_for(short), flush=True)
    assert got.final_counts() == {("gate", "car", "north"): 1}


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


# ------------------------------------------------------------------------------ entry inference (issue 8)
# GATE is y = 180; boxes are 40x80 (diagonal 89 px). Moving up is 'north'.

LATER = 5  # the camera has been up for 0.5 s when the vehicle appears (empty frames before it)


def test_track_born_just_past_the_line_moving_away_counts_once():
    """A vehicle first detected 20 px past a line near the frame edge, driving on at 120 px/s."""
    got = Scene().add(1, "car", path((320, 160), (320, 40), 10), start=LATER).run(engine_for(), flush=True)
    assert got.final_counts() == {("gate", "car", "north"): 1}


def test_track_born_on_the_line_a_pixel_short_of_it_moving_away_counts_once():
    """A vehicle first tracked with its anchor 2 px short of the line (inside the 4.5 px band: it is crossing
    as it is found, e.g. a track started late from low-score boxes) and then driving on counts once."""
    got = Scene().add(1, "car", path((320, 182), (320, 62), 10), start=LATER).run(engine_for(), flush=True)
    assert got.final_counts() == {("gate", "car", "north"): 1}
    got = Scene().add(1, "car", still((320, 182), 60, jitter=2.0), start=LATER).run(engine_for(), flush=True)
    assert got.final_counts() == {}  # standing there never does


def test_a_vehicle_found_late_a_box_length_past_the_line_counts_and_one_first_seen_far_beyond_it_does_not():
    """Found 110 px (1.2 box diagonals) past the line driving on at 85 px/s: on the line 1.3 s before it was
    first seen (within an infer_entry_s of 1.5). A small box first seen 125 px (2.8 diagonals) past it, though fast
    enough to have been on it 1 s before, is not: a late find is about a box length past, a box far beyond is
    a track or chain that jumped from another object."""
    late = Scene().add(1, "car", path((320, 70), (320, 2), 9), start=20).run(engine_for({"infer_entry_s": 1.5}),
                                                                              flush=True)
    assert late.final_counts() == {("gate", "car", "north"): 1}
    far = (Scene().add(1, "car", path((320, 55), (320, 5), 5, size=(20, 40)), start=20)
           .run(engine_for({"infer_entry_s": 1.5}), flush=True))
    assert far.final_counts() == {}


def test_entry_inference_is_off_with_zero_horizon():
    got = (Scene().add(1, "car", path((320, 160), (320, 40), 10), start=LATER)
           .run(engine_for({"infer_entry_s": 0}), flush=True))
    assert got.final_counts() == {}


@pytest.mark.parametrize(
    "boxes",
    [
        still((320, 150), 100, jitter=2.0),      # parked just past the line
        path((320, 60), (320, 40), 30),           # born far from the line, moving slowly away: not provable
        path((320, 100), (320, 160), 20),         # born past the line moving TOWARD it (never reaches it)
    ],
    ids=["parked", "far-and-slow", "approaching"],
)
def test_entry_inference_never_counts_what_motion_does_not_prove(boxes):
    got = Scene().add(1, "car", boxes, start=LATER).run(engine_for(), flush=True)
    assert got.final_counts() == {}


def test_track_seen_on_both_sides_counts_once_not_twice():
    got = Scene().add(1, "car", path((320, 200), (320, 40), 16)).run(engine_for(), flush=True)
    assert got.final_counts() == {("gate", "car", "north"): 1}


def test_a_new_id_for_the_same_vehicle_just_past_the_line_is_not_a_second_entry():
    """The tracker loses a vehicle right after it crossed and finds it again under a new id further on."""
    scene = (Scene().add(1, "car", path((320, 260), (320, 150), 8), start=LATER)
             .add(2, "car", path((320, 110), (320, 40), 6), start=LATER + 9))
    assert scene.run(engine_for(), flush=True).final_counts() == {("gate", "car", "north"): 1}


def test_the_next_vehicle_in_the_same_lane_found_past_the_line_counts_too():
    """A vehicle crosses and is lost; 2 s later the next one in the same lane is first detected past the
    line (spray, a late detection). It reached the line 1.3 s after the first one: not an echo of it."""
    scene = (Scene().add(1, "car", path((320, 260), (320, 100), 12), start=LATER)
             .add(2, "car", path((320, 160), (320, 40), 10), start=LATER + 22))
    assert scene.run(engine_for(), flush=True).final_counts() == {("gate", "car", "north"): 2}


def slant(k0: int, k1: int) -> list[np.ndarray]:
    """Frames k0..k1 of one vehicle in a lane at a slant to the line: 25 px along it per frame, 12 px across."""
    return [box_at((100 + 25 * k, 260 - 12 * k)) for k in range(k0, k1 + 1)]


@pytest.mark.parametrize("gap", [0, 1])
def test_a_new_id_for_a_vehicle_moving_along_the_line_too_is_not_a_second_entry(gap):
    """The rain freeway's phantom (docs/tuning.md): a vehicle in a lane at a slant to the line crosses, is lost
    0.2-0.5 s later and found again past the line, well along it from where it crossed (more than its box's
    diagonal) but where it would be by then at its speed along the line: the same vehicle, counted once."""
    scene = (Scene().add(1, "car", slant(0, 11), start=LATER)
             .add(2, "car", slant(14 + gap, 19), start=LATER + 14 + gap))
    assert scene.run(engine_for(), flush=True).final_counts() == {("gate", "car", "north"): 1}


def test_a_vehicle_found_past_the_line_away_from_where_a_lost_one_would_be_counts_too():
    """The same lost vehicle; another is found past the line at the same time but back along the line from
    where the lost one would be (a vehicle in the next lane): it counts."""
    scene = (Scene().add(1, "car", slant(0, 11), start=LATER)
             .add(2, "car", path((150, 120), (150, 40), 6), start=LATER + 14))
    assert scene.run(engine_for(), flush=True).final_counts() == {("gate", "car", "north"): 2}


def test_a_vehicle_found_past_the_line_beside_one_still_tracked_counts_too():
    """The first vehicle is still tracked when the second, right behind it, is first found past the line."""
    scene = (Scene().add(1, "car", path((320, 260), (320, 40), 16), start=LATER)
             .add(2, "car", path((360, 160), (360, 40), 10), start=LATER + 9))
    assert scene.run(engine_for(), flush=True).final_counts() == {("gate", "car", "north"): 2}


def test_two_vehicles_born_past_the_line_side_by_side_both_count():
    scene = (Scene().add(1, "car", path((150, 160), (150, 40), 10), start=LATER)
             .add(2, "car", path((450, 160), (450, 40), 10), start=LATER))
    assert scene.run(engine_for(), flush=True).final_counts() == {("gate", "car", "north"): 2}


@pytest.mark.parametrize(
    "first,expected",
    [
        ((320, 160), 0),   # already 20 px past the line in the stream's first frame: crossed before it
        ((320, 177), 1),   # 3 px past, inside the line's band (4.5 px): crossing as the stream starts
    ],
    ids=["past", "on-the-line"],
)
def test_vehicle_already_past_the_line_when_the_stream_starts_is_not_counted(first, expected):
    """Entry inference puts the first vehicle on the line before the first frame: a crossing nobody watched
    (the hand counts leave such vehicles out; after a restart the previous run counted it)."""
    got = Scene().add(1, "car", path(first, (first[0], first[1] - 120), 10)).run(engine_for(), flush=True)
    assert sum(got.final_counts().values()) == expected
    # the same motion once the camera has been up for 0.2 s counts once
    got = Scene().add(1, "car", path((320, 160), (320, 40), 10), start=2).run(engine_for(), flush=True)
    assert got.final_counts() == {("gate", "car", "north"): 1}


def test_stream_start_is_reset_with_the_engine():
    """After ``flush`` (end of stream) the next stream's first frame is the new start."""
    engine = engine_for()
    Scene().add(1, "car", still((100, 300), 5)).run(engine, flush=True)
    got = Scene(t0=T0 + 100).add(7, "car", path((320, 160), (320, 40), 10)).run(engine, flush=True)
    assert got.final_counts() == {}


# ------------------------------------------------------------------------------ anchors and class groups

@pytest.mark.parametrize("anchors,expected", [(["bottom_center"], 1), (["center"], 0), (["top_center"], 0)])
def test_line_anchor_is_configurable(anchors, expected):
    # a line at y = 230; the box's bottom goes 260 -> 215 and crosses it, its centre (220 -> 175) never does
    line = {"start": (0.0, 230 / H), "end": (1.0, 230 / H), "anchors": anchors, "infer_entry_s": 0}
    got = Scene().add(1, "car", path((320, 260), (320, 215), 20)).run(engine_for(line), flush=True)
    assert sum(got.final_counts().values()) == expected


def test_all_corner_anchors_must_cross_before_counting():
    line = {"start": (0.0, 0.5), "end": (1.0, 0.5), "anchors": ["top_left", "bottom_right"], "infer_entry_s": 0}
    half_way = path((320, 300), (320, 220), 20)  # bottom crosses nothing, top (y-80) crosses y=180 -> not all
    assert Scene().add(1, "car", half_way).run(engine_for(line), flush=True).final_counts() == {}
    whole = path((320, 300), (320, 120), 20)  # top and bottom both end above the line
    assert sum(Scene().add(1, "car", whole).run(engine_for(line), flush=True).final_counts().values()) == 1


def test_vehicle_class_group_counts_a_flickering_car_bus_once():
    boxes = path(*UP, 30)
    scene = Scene().add(1, "car", boxes[:14]).add(1, "bus", boxes[14:], start=14)
    got = scene.run(engine_for({"classes": ["vehicle"]}), flush=True)
    assert len(got.crossings) == 1 and sum(got.final_counts().values()) == 1


def test_zone_anchor_is_configurable():
    from pipeline.config import ZoneConfig
    from pipeline.rules.zones import ZoneSet
    import numpy as np

    # a person whose feet are below the zone but whose centre is inside it
    box = np.array([[100.0, 60.0, 140.0, 160.0]])
    poly = [(0.0, 0.0), (1.0, 0.0), (1.0, 120 / H), (0.0, 120 / H)]
    feet = ZoneSet([ZoneConfig(name="z", polygon=poly)], (W, H)).masks(box)["z"]
    centre = ZoneSet([ZoneConfig(name="z", polygon=poly, anchors=["center"])], (W, H)).masks(box)["z"]
    assert feet.tolist() == [False] and centre.tolist() == [True]


def test_a_zone_only_track_is_never_counted_until_the_tracker_confirms_it():
    """A track started from a still low-score box (``Tracker.zone_only``) walking across the line is not
    counted; once confirmed (out of zone_only) its next crossing counts."""
    engine = engine_for()
    up = path(*UP, 20)
    for k, b in enumerate(up):
        out = engine.update(make_detections([b], tracker_id=7), T0 + k / 10, zone_only={7})
        assert out.crossings == []
    got = [c for k, b in enumerate(path(*DOWN, 20))
           for c in engine.update(make_detections([b], tracker_id=7), T0 + 2 + k / 10).crossings]
    assert [(c.line, c.direction) for c in got] == [("gate", "south")]


@pytest.mark.parametrize("front_frames", [27, 12], ids=["both-tracked", "front-lost-before-the-bus-counts"])
def test_a_second_track_on_one_vehicle_counts_once_and_a_car_following_a_truck_still_counts(front_frames):
    # yolov8n boxes a bus whole and, on a later frame, its front too: the front's track (inside the whole box)
    # crosses with it, first (its bottom is higher), and may be lost before the whole box's track counts.
    # A car half a second behind a truck in the next lane (boxes apart) is a vehicle of its own.
    bus = path((320, 330), (320, 40), 30, size=(200, 90))
    front = [b + [0, 0, -120, -10] for b in bus]  # the front third of the same box, from its 4th frame on
    got = Scene().add(1, "bus", bus).add(2, "car", front[3:3 + front_frames], start=3).run(engine_for(), flush=True)
    assert sum(got.final_counts().values()) == 1 and len(got.crossings) == 1
    truck = path((250, 330), (250, 40), 30, size=(90, 120))
    car = path((400, 330), (400, 40), 30, size=(60, 50))
    got = Scene().add(1, "truck", truck).add(2, "car", car, start=5).run(engine_for(), flush=True)
    assert got.final_counts() == {("gate", "truck", "north"): 1, ("gate", "car", "north"): 1}
    # a car close behind a van, half hidden: its box lies in the van's but its bottom is hidden 40 px above
    van = path((320, 340), (320, 20), 33, size=(120, 130))
    behind = [b + [20, 20, -20, -40] for b in van]
    got = Scene().add(1, "car", van).add(2, "car", behind[3:], start=3).run(engine_for(), flush=True)
    assert got.final_counts() == {("gate", "car", "north"): 2}


def test_a_piece_of_a_car_that_has_not_crossed_does_not_count_and_the_car_counts_once():
    # a car half hidden behind parked ones (low resolution) driving along an aisle across a vertical line is
    # tracked whole and, as a second track, by its visible front: the front's box (same ground, half of it in
    # the car's box) reaches the line's far side while the car's anchor is still short of it; the car then
    # crosses and counts, the front never does
    aisle = {"start": (0.5, 0.0), "end": (0.5, 1.0)}
    car = path((150, 250), (500, 250), 36, size=(120, 60))
    front = [b + [70, 10, 30, 0] for b in car]  # 80x50 box, its right half beyond the car's: share 0.5
    got = Scene().add(1, "car", car).add(2, "car", front[6:22], start=6).run(engine_for(aisle), flush=True)
    assert sum(got.final_counts().values()) == 1
    assert [c.tracker_id for c in got.crossings] == [1]


def test_a_piece_first_seen_past_the_line_on_a_tracked_car_is_not_an_entry():
    # the car stands on the line's near edge; a track is started on its front, already past the line and
    # moving away as the box grows: it was not found late, the detector had been seeing that car
    car = still((320, 186), 30, size=(120, 60))
    front = [box_at((330, 175 - 4 * k), size=(60, 50)) for k in range(10)]
    got = Scene().add(1, "car", car).add(2, "car", front, start=15).run(engine_for(), flush=True)
    assert got.final_counts() == {}
    # the same box with no tracked car around it is a vehicle found late and counts
    got = Scene().add(2, "car", front, start=15).run(engine_for(), flush=True)
    assert got.final_counts() == {("gate", "car", "north"): 1}


@pytest.mark.parametrize(
    "ys,expected",
    [
        ([170, 166, 160, 170, 190, 200, 210], {("gate", "car", "south"): 1}),  # first seen north, now south
        ([190, 200, 170, 160, 175, 190, 200], {}),                              # south, across and back
    ],
    ids=["net-once", "back-where-it-was"],
)
def test_sightings_replayed_at_a_tracks_start_count_once_net(ys, expected):
    # a manoeuvring car the tracker confirms late (low-score boxes at 3 fps): its earlier sightings, replayed in
    # one update, cross the line more than once; it counts from the side it was first seen on to where it is
    engine = engine_for()
    for k in range(5):
        engine.update(make_detections(np.zeros((0, 4)), tracker_id=np.zeros(0, int)), T0 + k / 10)
    earlier = {7: [(T0 + 0.5 + k / 15, box_at((320, y), size=(120, 60))) for k, y in enumerate(ys[:-1])]}
    out = engine.update(make_detections([box_at((320, ys[-1]), size=(120, 60))], tracker_id=7, class_name="car"),
                        T0 + 0.5 + (len(ys) - 1) / 15, earlier=earlier)
    got = {}
    for c in out.crossings:
        got[("gate", c.object_class, c.direction)] = got.get(("gate", c.object_class, c.direction), 0) + 1
    assert got == expected
