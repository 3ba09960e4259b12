"""Tracking: confirmed-only output, lost-track buffer in seconds, stable ids for parked cars on real video."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import supervision as sv

from pipeline.adapters import from_arrays
from pipeline.config import DetectorConfig, TrackerConfig
from pipeline.detect import build_detector
from pipeline.exceptions import ContractError
from pipeline.models import MODEL_DIR_ENV
from pipeline.track import Tracker
from pipeline.types import PIXEL_CHANGE_DATA_FIELD, Frame, empty_detections
from tests.paths import TRAFFIC, model_dir

NAMES = {0: "person", 2: "car"}


def boxes(*xyxy: tuple[float, float, float, float], conf: float = 0.9, cls: int = 2):
    n = len(xyxy)
    return from_arrays(np.array(xyxy, np.float32).reshape(n, 4), np.full(n, conf), np.full(n, cls), NAMES)


def confirmed(tracker: Tracker, dets, ts: float | None = None):
    """``trackers`` gives a new track an id on its first match, i.e. the second frame, even at minimum 1."""
    tracker.update(dets, ts=ts)
    return tracker.update(dets, ts=None if ts is None else ts + 0.1)


def test_tentative_tracks_are_not_returned_until_confirmed() -> None:
    tracker = Tracker(TrackerConfig(minimum_consecutive_frames=3), fps=10.0)
    outputs = [tracker.update(boxes((10, 10, 50, 50), (100, 100, 150, 160))) for _ in range(4)]
    assert [len(o) for o in outputs] == [0, 0, 2, 2]
    assert outputs[2].tracker_id.tolist() == outputs[3].tracker_id.tolist()
    assert outputs[3].data["class_name"].tolist() == ["car", "car"]
    assert outputs[3].tracker_id.dtype.kind == "i"


def test_empty_input_keeps_working_and_returns_typed_empty_tracks() -> None:
    tracker = Tracker(TrackerConfig(minimum_consecutive_frames=1), fps=10.0)
    for _ in range(3):
        out = tracker.update(empty_detections())
        assert len(out) == 0 and out.tracker_id is not None and "class_name" in out.data
    assert len(confirmed(tracker, boxes((10, 10, 50, 50)))) == 1
    assert len(tracker.update(empty_detections())) == 0
    assert len(tracker.update(sv.Detections.empty())) == 0


def test_lost_track_buffer_is_seconds_converted_with_the_stream_fps() -> None:
    def run(gap_frames: int) -> tuple[int, int]:
        tracker = Tracker(TrackerConfig(lost_track_buffer=2.0, minimum_consecutive_frames=1), fps=5.0)
        first = confirmed(tracker, boxes((10, 10, 50, 50))).tracker_id[0]
        for _ in range(gap_frames):
            tracker.update(empty_detections())
        tracker.update(boxes((10, 10, 50, 50)))
        return first, tracker.update(boxes((10, 10, 50, 50))).tracker_id[0]

    first, after_short_gap = run(gap_frames=8)  # 1.6 s at 5 fps: within the 2 s buffer
    assert after_short_gap == first
    first, after_long_gap = run(gap_frames=15)  # 3 s: the track was dropped, a new id starts
    assert after_long_gap != first


def test_timestamps_let_skipped_frames_count_as_elapsed_time() -> None:
    tracker = Tracker(TrackerConfig(lost_track_buffer=1.0, minimum_consecutive_frames=1), fps=10.0)
    first = confirmed(tracker, boxes((10, 10, 50, 50)), ts=100.0).tracker_id[0]
    tracker.update(boxes((10, 10, 50, 50)), ts=100.2)
    tracker.update(boxes((10, 10, 50, 50)), ts=103.0)  # one call, but 2.8 s later: lost, new tentative track
    later = tracker.update(boxes((10, 10, 50, 50)), ts=103.1)
    assert later.tracker_id.size == 1 and later.tracker_id[0] != first


def test_reset_forgets_tracks_and_restarts_ids() -> None:
    tracker = Tracker(TrackerConfig(minimum_consecutive_frames=1), fps=10.0)
    ids = confirmed(tracker, boxes((10, 10, 50, 50), (100, 100, 150, 160))).tracker_id.tolist()
    assert len(ids) == 2
    tracker.reset()
    assert confirmed(tracker, boxes((300, 300, 340, 340))).tracker_id.tolist() == [min(ids)]


def test_detections_without_class_names_break_the_contract() -> None:
    tracker = Tracker(TrackerConfig(), fps=10.0)
    bare = sv.Detections(xyxy=np.array([[0, 0, 5, 5]], np.float32), confidence=np.array([0.9]), class_id=np.array([2]))
    with pytest.raises(ContractError, match="class_name"):
        tracker.update(bare)


@pytest.mark.parametrize("kind", ["bytetrack", "ocsort"])
def test_both_tracker_kinds_confirm_and_keep_ids(kind: str) -> None:
    tracker = Tracker(TrackerConfig(kind=kind, minimum_consecutive_frames=2), fps=10.0)
    outs = [tracker.update(boxes((10 + 2 * i, 10, 50 + 2 * i, 50))) for i in range(6)]
    ids = {int(t) for o in outs[2:] for t in o.tracker_id}
    assert len(ids) == 1 and all(len(o) == 1 for o in outs[2:])


@pytest.mark.slow
def test_parked_cars_keep_one_id_over_sixty_real_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MODEL_DIR_ENV, str(model_dir()))
    monkeypatch.setenv("YOLO_OFFLINE", "1")
    cap = cv2.VideoCapture(str(TRAFFIC))
    frames = [Frame("traffic", i, i / 10.0, cap.read()[1]) for i in range(60)]
    cap.release()
    detector = build_detector(DetectorConfig(model="yolov8n.pt", device="cpu", max_batch=8))
    tracker = Tracker(TrackerConfig(), fps=10.0)
    tracks = [tracker.update(d, ts=f.ts) for f, d in zip(frames, detector.detect(frames))]

    # Parked cars: confirmed cars at frame 10 with a box that still overlaps strongly at the end.
    anchor = tracks[10]
    parked = []
    for k in range(len(anchor)):
        if anchor.data["class_name"][k] != "car":
            continue
        later = [t.xyxy[t.tracker_id == anchor.tracker_id[k]] for t in tracks[10:]]
        if sum(len(b) for b in later) >= 0.8 * len(later):
            parked.append((int(anchor.tracker_id[k]), anchor.xyxy[k]))
    assert len(parked) >= 2, f"expected at least two parked cars, got {parked}"

    for track_id, box in parked:
        for i, t in enumerate(tracks[10:], start=10):
            x1 = np.maximum(t.xyxy[:, :2], box[:2])
            x2 = np.minimum(t.xyxy[:, 2:], box[2:])
            inter = np.prod(np.clip(x2 - x1, 0, None), axis=1)
            area = lambda b: np.prod(b[..., 2:] - b[..., :2], axis=-1)  # noqa: E731
            iou = inter / (area(t.xyxy) + area(box) - inter)
            same_place = t.tracker_id[iou >= 0.7]
            assert set(same_place.tolist()) <= {track_id}, f"frame {i}: car {track_id} became {same_place}"
    assert all(len(set(t.tracker_id.tolist())) == len(t) for t in tracks)  # ids unique within a frame


def test_confirmation_is_stated_for_10_fps_and_shrinks_at_lower_rates() -> None:
    from pipeline.track import confirm_frames

    assert [confirm_frames(3, f) for f in (30.0, 10.0, 5.0, 3.0)] == [3, 3, 2, 1]
    assert [confirm_frames(2, f) for f in (30.0, 10.0, 5.0, 3.0)] == [2, 2, 1, 1]


def test_a_fast_car_at_3_fps_keeps_its_track_with_the_buffered_match() -> None:
    """At 3 fps a car moves most of a box length between frames: plain IoU (no velocity yet) loses it."""
    def ids(buffer: float | None) -> list[int]:
        tracker = Tracker(TrackerConfig(minimum_consecutive_frames=1, match_buffer=buffer), fps=3.0)
        out = []
        for k in range(6):
            x = 10 + 32 * k  # 40 px wide box, 32 px per frame: IoU with the last box 0.11
            got = tracker.update(boxes((x, 10, x + 40, 40)), ts=k / 3.0)
            out.extend(got.tracker_id.tolist())
        return out

    assert len(set(ids(None))) == 1 and len(ids(None)) >= 5
    assert len(ids(0.0)) < len(ids(None))


def test_low_score_boxes_extend_a_track_and_a_still_one_never_starts_one() -> None:
    tracker = Tracker(TrackerConfig(minimum_consecutive_frames=1), fps=10.0)
    for k in range(5):  # a still box at 0.2 (below the 0.3 split): never a track of its own
        assert len(tracker.update(boxes((10, 10, 50, 50), conf=0.2), ts=k / 10)) == 0
    tracker.update(boxes((100, 10, 140, 50), conf=0.6), ts=0.5)
    tid = tracker.update(boxes((101, 10, 141, 50), conf=0.6), ts=0.6).tracker_id.tolist()
    for k in range(7, 12):  # the same car now scored 0.15 (dark, distant): its track goes on
        got = tracker.update(boxes((100 + k, 10, 140 + k, 50), conf=0.15), ts=k / 10)
        assert got.tracker_id.tolist() == tid


# ------------------------------------------------------------------ births from low-score boxes (fog, rain, haze)

def _moving(tracker: Tracker, n: int, step: float, fps: float, conf: float = 0.2, x0: float = 10.0) -> list[list[int]]:
    """A 40x30 box moving ``step`` px right per frame at ``conf``: the ids returned on each frame."""
    return [tracker.update(boxes((x0 + step * k, 100, x0 + 40 + step * k, 130), conf=conf), ts=k / fps)
            .tracker_id.tolist() for k in range(n)]


@pytest.mark.parametrize("fps,step", [(10.0, 8.0), (5.0, 16.0), (3.0, 27.0)])
def test_a_low_score_box_moving_steadily_starts_a_track_after_three_sightings(fps: float, step: float) -> None:
    """A car the detector scores 0.2 on every frame (under the 0.3 split) moving at 80 px/s: a track from its
    third sighting on, one id, at 10 fps as at 3 (at 3 fps it moves half its box diagonal per frame)."""
    ids = _moving(Tracker(TrackerConfig(), fps=fps), 8, step, fps)
    assert ids[:2] == [[], []]
    assert len(ids[2]) == 1 and all(i == ids[2] for i in ids[2:])


def test_low_score_births_are_off_with_zero() -> None:
    ids = _moving(Tracker(TrackerConfig(low_score_births=0), fps=10.0), 8, 6.0, 10.0)
    assert ids == [[]] * 8


def test_a_longer_low_score_birth_needs_more_sightings_and_scales_with_the_frame_rate() -> None:
    ids = _moving(Tracker(TrackerConfig(low_score_births=5), fps=10.0), 8, 6.0, 10.0)
    assert [len(i) for i in ids] == [0, 0, 0, 0, 1, 1, 1, 1]
    ids = _moving(Tracker(TrackerConfig(low_score_births=5), fps=5.0), 8, 12.0, 5.0)
    assert [len(i) for i in ids] == [0, 0, 1, 1, 1, 1, 1, 1]  # 5 at 10 fps = 3 at 5 fps


def test_at_a_higher_frame_rate_settings_stated_per_frame_keep_their_time() -> None:
    """A camera analysing 30 fps while a vehicle is near a line (source.active_fps), 10 otherwise: the tracker
    follows the arrival rate, and a car scored 0.2 that the detector finds on every other frame starts a
    track about as soon (0.2-0.3 s) as at 10 fps, not after 9 sightings, and confirmation stays 2 frames."""
    tracker = Tracker(TrackerConfig(), fps=10.0)
    ids = []
    for k in range(12):
        seen = k % 2 == 0
        dets = boxes((10 + 80 * k / 30, 100, 50 + 80 * k / 30, 130), conf=0.2) if seen else empty_detections()
        ids.append(tracker.update(dets, ts=k / 30).tracker_id.tolist())
    assert tracker.rate == 30.0 and tracker.minimum_consecutive_frames == 2
    first = next(k for k, i in enumerate(ids) if i)
    assert 6 <= first <= 10, ids  # 0.2-0.33 s after the first sighting
    assert all(ids[k] == ids[first] for k in range(first, 12, 2))
    for k in range(12, 20):  # back to 10 fps: the per-frame settings follow
        tracker.update(empty_detections(), ts=12 / 30 + (k - 11) / 10)
    assert tracker.rate == 10.0


@pytest.mark.parametrize("fps", [10.0, 3.0])
@pytest.mark.parametrize("jitter", ["still", "jitter", "back-and-forth"])
def test_low_score_boxes_that_do_not_travel_never_start_a_track(fps: float, jitter: str) -> None:
    """A parked car, a sign or a shadow scored 0.1-0.3 for 60 frames: jittering by up to a fifth of its
    diagonal, or stepping 10 px one way then back."""
    rng = np.random.default_rng(1)
    tracker = Tracker(TrackerConfig(), fps=fps)
    for k in range(60):
        dx = {"still": 0.0, "jitter": rng.uniform(-5, 5), "back-and-forth": 10.0 * (k % 2)}[jitter]
        dy = rng.uniform(-5, 5) if jitter == "jitter" else 0.0
        got = tracker.update(boxes((200 + dx, 100 + dy, 240 + dx, 130 + dy), conf=0.15), ts=k / fps)
        assert len(got) == 0, k


def test_a_low_score_box_riding_on_a_tracked_car_is_not_a_second_vehicle() -> None:
    """A headlight reflection or a second, low-score box on a tracked van moves with it: no track of its own."""
    tracker = Tracker(TrackerConfig(), fps=10.0)
    seen = set()
    for k in range(12):
        x = 10 + 8 * k
        dets = from_arrays(np.array([[x, 100, x + 60, 140], [x + 5, 120, x + 55, 150]], np.float32),
                           np.array([0.8, 0.2]), np.array([2, 2]), NAMES)
        seen.update(tracker.update(dets, ts=k / 10).tracker_id.tolist())
    assert len(seen) == 1


def test_a_low_score_birth_starts_with_the_chain_velocity_and_keeps_its_id_across_a_miss() -> None:
    """The new track is fed the chain's boxes: at 3 fps, after one frame with no box, the car (30 px per frame,
    more than its width in two frames) is matched where its velocity puts it, under the same id."""
    tracker = Tracker(TrackerConfig(), fps=3.0)
    ids = [tracker.update(boxes((10 + 30 * k, 100, 35 + 30 * k, 120), conf=0.2), ts=k / 3).tracker_id.tolist()
           for k in range(3)]
    tracker.update(empty_detections(), ts=1.0)
    later = tracker.update(boxes((130, 100, 155, 120), conf=0.2), ts=4 / 3).tracker_id.tolist()
    assert len(ids[2]) == 1 and later == ids[2]


@pytest.mark.parametrize("fps", [5.0, 3.0])
def test_boxes_appearing_one_by_one_along_a_row_of_parked_cars_never_start_a_track(fps: float) -> None:
    """Low-score boxes flickering on along an evenly spaced row of parked cars (car 0 alone, then car 1 alone,
    then one more car found on each frame while the others stay found where they stand) look like one object
    moving at a steady speed, 45 px a frame; a chain never leaves a spot that is still occupied, so no track
    starts."""
    tracker = Tracker(TrackerConfig(), fps=fps)
    for k in range(7):
        row = [(20 + 45 * j, 100, 60 + 45 * j, 130) for j in range(min(k, 1), k + 1)]
        assert len(tracker.update(boxes(*row, conf=0.2), ts=k / fps)) == 0, k


def test_a_chain_that_jumps_between_two_parked_cars_and_then_stands_never_starts_a_track() -> None:
    """Two parked cars side by side, their boxes touching, scored 0.1-0.2 and found one after the other (the
    car-park camera at a low rate, frames 0.2 s then 0.07 s apart): the first link jumps a box length, the
    next one stands. Steps of boxes that overlap must carry the chain's motion on; these do not."""
    tracker = Tracker(TrackerConfig(), fps=3.0)
    left, right = (71, 156, 97, 179), (98, 150, 136, 179)
    frames = [(0.0, right), (0.2, left), (0.27, left), (0.33, left), (0.4, left)]
    for t, box in frames:
        assert len(tracker.update(boxes(box, conf=0.15), ts=t)) == 0, t


def test_a_car_found_a_box_length_apart_then_at_the_active_rate_still_starts_a_track() -> None:
    """The same jump followed by steps that keep its speed (135 px/s, 9 px per 1/15 s) is a vehicle."""
    tracker = Tracker(TrackerConfig(), fps=3.0)
    got = [tracker.update(boxes((x, 100, x + 40, 130), conf=0.2), ts=t).tracker_id.tolist()
           for t, x in [(0.0, 10.0), (1 / 3, 55.0), (0.4, 64.0), (7 / 15, 73.0)]]
    assert got[-1] and got[-1] == got[-2]


def test_a_tracked_car_keeps_its_whole_box_when_its_front_alone_is_scored_high() -> None:
    """A car half hidden behind parked ones, tracked whole (52x21 px); on one frame the detector scores its
    visible front (18x15 px, a car length ahead in anchor) 0.36 and the whole car 0.18. ByteTrack's first stage
    would move the track to the front (at 3 fps the buffered match reaches it); the front is a piece of the
    tracked car, so the whole box keeps it."""
    tracker = Tracker(TrackerConfig(), fps=3.0)
    for k in range(4):
        ids = tracker.update(boxes((50 + k, 134, 102 + k, 155), conf=0.5), ts=k / 3).tracker_id.tolist()
    dets = from_arrays(np.array([[95, 142, 113, 157], [56, 135, 108, 156]], np.float32), np.array([0.36, 0.18]),
                       np.array([2, 2]), NAMES)
    got = tracker.update(dets, ts=4 / 3)
    assert got.tracker_id.tolist() == ids
    assert got.xyxy.tolist() == [[56, 135, 108, 156]] and np.allclose(got.confidence, [0.18])
    assert "_tracker_row" not in got.data


def test_a_box_holding_two_parked_cars_is_no_vehicle_whose_piece_each_car_is() -> None:
    """A track on one box over two parked cars side by side (56x25 px); each car is also boxed alone: the one
    scored high is a car of its own, not a piece of the track's vehicle (the larger box holds another box
    beside it), so ByteTrack's first stage may match it as before."""
    tracker = Tracker(TrackerConfig(), fps=10.0)
    for k in range(3):
        tracker.update(boxes((32, 31, 88, 56), conf=0.4), ts=k / 10)
    pair = from_arrays(np.array([[32, 31, 88, 56], [56, 32, 87, 50], [32, 39, 56, 56]], np.float32),
                       np.array([0.14, 0.34, 0.6]), np.array([2, 2, 2]), NAMES)
    assert tracker.pieces(pair) == []
    alone = from_arrays(np.array([[32, 31, 88, 56], [56, 32, 87, 50]], np.float32), np.array([0.14, 0.34]),
                        np.array([2, 2]), NAMES)
    assert tracker.pieces(alone) == [1]


def test_the_cab_of_a_tracked_pickup_scored_high_never_starts_a_second_track() -> None:
    """A pickup tracked whole (80x29 px) whose cab (its upper front, 41x18 px, bottom 11 px higher) is boxed at a
    high score beside the whole box on several frames: the cab is a piece, never a vehicle of its own."""
    tracker = Tracker(TrackerConfig(), fps=10.0)
    for k in range(3):
        ids = tracker.update(boxes((640 - 2 * k, 239, 720 - 2 * k, 268), conf=0.6), ts=k / 10).tracker_id.tolist()
    seen = set()
    for k in range(3, 9):
        x = 640 - 2 * k
        dets = from_arrays(np.array([[x, 239, x + 80, 268], [x + 6, 239, x + 47, 257]], np.float32),
                           np.array([0.36, 0.33]), np.array([2, 2]), NAMES)
        seen.update(tracker.update(dets, ts=k / 10).tracker_id.tolist())
    assert seen == set(ids)


# ------------------------------------------------------------------ still low-score boxes (dark doorway, night IR fence)

def _person(x: float, conf: float):
    return boxes((x, 100, x + 20, 160), conf=conf, cls=0)


def test_a_lost_person_found_again_only_at_low_scores_where_they_stood_is_a_zone_only_track() -> None:
    """A person tracked at 0.8, lost for 5 s (past the 3 s lost buffer), then seen standing where they were at
    0.15 on every other frame: after still_births_s (2 s) of that, a track again, for the zone rules only; a
    box at 0.8 on it lifts that."""
    tracker = Tracker(TrackerConfig(), fps=10.0)
    for k in range(10):
        tid = tracker.update(_person(100, 0.8), ts=k / 10).tracker_id.tolist()
    assert len(tid) == 1 and not tracker.zone_only
    for k in range(10, 60):
        tracker.update(empty_detections(), ts=k / 10)
    got = []
    for k in range(60, 100):
        out = tracker.update(_person(101 + k % 2, 0.15) if k % 2 == 0 else empty_detections(), ts=k / 10)
        got.append(out.tracker_id.tolist())
    born = [i for i, ids in enumerate(got) if ids]
    assert born and 2.0 <= born[0] / 10 <= 2.5, born  # after ~2 s of sightings on half the frames
    new = got[born[0]][0]
    assert new in tracker.zone_only and tracker.sighted == {}  # the sightings go with the birth frame only
    assert tracker.update(_person(102, 0.8), ts=10.0).tracker_id.tolist() == [new]
    assert new not in tracker.zone_only


def test_a_still_low_score_box_where_no_track_was_never_starts_one_and_a_spot_held_elsewhere_neither() -> None:
    """A bush scored 0.15 as a person for 10 s never becomes a track; nor does it once a person was tracked
    and lost two box widths away."""
    tracker = Tracker(TrackerConfig(), fps=10.0)
    for k in range(5):
        tracker.update(_person(300, 0.8), ts=k / 10)
    for k in range(5, 105):
        assert len(tracker.update(_person(100, 0.15), ts=k / 10)) == 0, k


def test_a_track_confirmed_where_a_still_low_score_box_stood_gets_its_sightings_as_earlier_ones() -> None:
    """A person stands in a dark doorway at 0.15 for 4 s, then steps out at 0.8: the new track's earlier
    sightings (``sighted``, for presence rules; not ``births``, which lines replay) go back to the first
    low-score one, so a dwell rule dates the visit from there."""
    tracker = Tracker(TrackerConfig(minimum_consecutive_frames=1), fps=10.0)
    for k in range(40):
        assert len(tracker.update(_person(100, 0.15), ts=k / 10)) == 0
    sighted, births = {}, {}
    for k in range(40, 43):
        out = tracker.update(_person(100 + (k - 40), 0.8), ts=k / 10)
        sighted.update(tracker.sighted)
        births.update(tracker.births)
    (tid,) = out.tracker_id.tolist()
    assert tid in sighted and sighted[tid][0][0] == pytest.approx(0.0) and tid not in births
    assert tid not in tracker.zone_only


def test_still_births_are_off_with_zero() -> None:
    tracker = Tracker(TrackerConfig(still_births_s=0), fps=10.0)
    for k in range(10):
        tracker.update(_person(100, 0.8), ts=k / 10)
    for k in range(10, 60):
        tracker.update(empty_detections(), ts=k / 10)
    assert all(len(tracker.update(_person(100, 0.15), ts=k / 10)) == 0 for k in range(60, 100))


def test_a_walker_lost_beside_a_still_low_score_box_is_not_continued_by_it() -> None:
    """A person walks (8 px per frame) and is lost where a bush stands that the detector scores 0.15 as a
    person from 2 s later on: the bush's boxes never become a track (a person standing there would, above)."""
    tracker = Tracker(TrackerConfig(), fps=10.0)
    for k in range(10):
        tracker.update(_person(28 + 8 * k, 0.8), ts=k / 10)  # ends at x = 100, where the bush is
    for k in range(10, 20):
        tracker.update(empty_detections(), ts=k / 10)
    for k in range(20, 120):
        assert len(tracker.update(_person(100, 0.15), ts=k / 10)) == 0, k


def _alive(x: float, change: float):
    """A still person scored 0.15, with ``change`` as the picture change inside the box (PixelChange)."""
    det = _person(x, 0.15)
    det.data[PIXEL_CHANGE_DATA_FIELD] = np.array([change], np.float32)
    return det


@pytest.mark.parametrize("change,starts", [(2.0, True), (0.0, False), (float("nan"), False)])
def test_a_still_low_score_box_whose_picture_changes_is_a_zone_only_track_and_a_still_picture_never(change, starts):
    """A person at a night fence scored 0.15 on every other frame, never at the split and never tracked
    before: a track for the zone rules after ~2 s when the picture inside the box changes (they shift about);
    a bush (no change) or an unknown change (no frames) never."""
    tracker = Tracker(TrackerConfig(), fps=10.0)
    got = [tracker.update(_alive(100, change) if k % 2 == 0 else empty_detections(), ts=k / 10).tracker_id.tolist()
           for k in range(60)]
    born = [k for k, ids in enumerate(got) if ids]
    assert bool(born) is starts, born
    if starts:
        assert 2.0 <= born[0] / 10 <= 2.5 and got[born[0]][0] in tracker.zone_only


# ------------------------------------------------------------------ a zone-only track that drives off (fog car park)

def _car(x: float, conf: float):
    return boxes((x, 100, x + 60, 130), conf=conf)


@pytest.mark.parametrize("fps", [10.0, 5.0, 3.0])
def test_a_zone_only_car_that_drives_off_at_low_scores_is_released_to_the_lines(fps) -> None:
    """A car tracked at 0.8 while parked, lost to the detector for 5 s, then seen where it stood at 0.15 (a
    zone-only track after ~2 s), drives off at 0.15 (60 px/s, ~0.9 box diagonals per second): it leaves
    ``zone_only`` within a second or so of moving, and ``births`` hands the lines its moving sightings only
    (none from where it stood). Fails on the old tracker (it stayed zone-only: lines never saw it leave)."""
    tracker = Tracker(TrackerConfig(), fps=fps)
    dt = 1.0 / fps
    k = 0
    while k * dt < 1.0:
        tid = tracker.update(_car(100, 0.8), ts=k * dt).tracker_id.tolist()
        k += 1
    assert len(tid) == 1
    while k * dt < 6.0:
        tracker.update(empty_detections(), ts=k * dt)
        k += 1
    zone = None
    while k * dt < 9.0:
        out = tracker.update(_car(100 + (k % 2), 0.15), ts=k * dt)
        if out.tracker_id.tolist():
            zone = out.tracker_id.tolist()[0]
        k += 1
    assert zone is not None and zone in tracker.zone_only
    start, released = k * dt, None
    while k * dt < start + 2.0:
        out = tracker.update(_car(100 + 60 * (k * dt - start), 0.15), ts=k * dt)
        assert out.tracker_id.tolist() == [zone]
        if zone not in tracker.zone_only:
            released = (k * dt - start, tracker.births.get(zone))
            break
        k += 1
    assert released is not None and released[0] <= 1.4, released
    earlier = released[1]
    assert earlier and all(t >= start - 1e-9 for t, _ in earlier), earlier


def test_a_zone_only_car_that_only_jitters_where_it_stands_stays_zone_only() -> None:
    """The same parked car, its low-score box jittering 3 px back and forth for 5 s: never released."""
    tracker = Tracker(TrackerConfig(), fps=10.0)
    for k in range(10):
        tracker.update(_car(100, 0.8), ts=k / 10)
    for k in range(10, 60):
        tracker.update(empty_detections(), ts=k / 10)
    zone = None
    for k in range(60, 140):
        out = tracker.update(_car(100 + 3 * (k % 3 - 1), 0.15), ts=k / 10)
        if out.tracker_id.tolist():
            zone = out.tracker_id.tolist()[0]
            assert zone in tracker.zone_only and not tracker.births, k
    assert zone is not None
