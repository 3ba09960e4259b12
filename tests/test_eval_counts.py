"""The line-count evaluation's bookkeeping (no video): hand-counted spans, frame selection, the truth file."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.eval.counts import clip_span, load_truth, match, selected_frames
from pipeline.eval.detcache import degrade


def test_a_span_starts_the_stream_at_its_first_frame_and_ends_after_its_last():
    ts = np.arange(100) / 30.0
    whole = selected_frames(ts, 10.0)
    assert whole[0] == 0 and whole[-1] >= 96
    part = selected_frames(ts, 10.0, (30, 59))
    assert part[0] == 30 and part[-1] <= 59
    assert len(part) == 10  # 1 s of a 30 fps clip at 10 fps
    assert selected_frames(ts, 10.0, (90, 500))[-1] <= 99  # a span past the clip's end stops at its last frame


def test_every_hand_counted_crossing_lies_inside_its_clip_span():
    for name, spec in load_truth().items():
        span = clip_span(spec)
        assert spec["split"] in ("dev", "test"), name
        if span is None:
            continue
        first, last = span
        assert 0 <= first < last, name
        for ln in spec["lines"]:
            for direction, frames in ln["crossings"].items():
                assert all(first <= f <= last for f in frames), (name, ln["name"], direction)


def test_matching_is_one_to_one_within_the_window():
    assert match([1.0, 2.0], [1.1, 1.2, 2.4], late_s=2.5) == 2
    assert match([1.0], [0.4], late_s=2.5) == 0  # more than 0.5 s early
    assert match([1.0], [3.6], late_s=2.5) == 0  # more than 2.5 s late


def test_a_degraded_copy_is_smaller_flatter_and_compressed():
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (360, 640, 3), dtype=np.uint8)
    out = degrade(img, scale=0.375, jpeg=35, haze=0.55)
    assert out.shape == (135, 240, 3) and out.dtype == np.uint8
    assert out.std() < 0.6 * degrade(img, scale=0.375).std()  # haze flattens contrast
    assert degrade(img) is img  # nothing asked, nothing done


def _clip_with_a_car_that_parks(path, n=120):
    """A 160x120, 10 fps clip: empty road (frames 0-9), a car driving right across the middle (10-39), then
    parked, its lamps (front and back, 6x8 px) flashing (40-): motion that stays inside a part of its box.
    Returns the detections a model would give (the car's box on every frame it is in)."""
    import cv2

    from pipeline.eval.detcache import ClipDetections

    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (160, 120))
    boxes = []
    for i in range(n):
        img = np.full((120, 160, 3), 60, np.uint8)
        b = np.zeros((0, 6))
        if i >= 10:
            x = 5 + 4 * (min(i, 39) - 10)
            img[50:70, x:x + 30] = 230
            if i >= 40 and not i % 2:
                img[56:64, x + 2:x + 8] = img[56:64, x + 22:x + 28] = 120
            b = np.array([[x, 50, x + 30, 70, 0.9, 2]], float)
        out.write(img)
        boxes.append(b)
    out.release()
    return ClipDetections(ts=np.arange(n) / 10.0, frame_size=(160, 120), boxes=boxes, names={2: "car"})


def test_the_motion_replay_counts_the_car_and_a_stationary_track_skips_its_flashing_lights(tmp_path):
    from pipeline.eval.counts import run_citylens

    dets = _clip_with_a_car_that_parks(tmp_path / "park.avi")
    spec = {"path": str(tmp_path / "park.avi"), "file": "park.avi", "split": "dev",
            "lines": [{"name": "mid", "start": [0.5, 0.0], "end": [0.5, 1.0], "in_name": "a", "out_name": "b",
                       "classes": ["car"], "crossings": {"a": [], "b": []}}]}
    plain = run_citylens("park", spec, dets, None)
    off = run_citylens("park", spec, dets, None, {"motion": {"stationary_iou": 0.0}}, motion=True)
    on = run_citylens("park", spec, dets, None, {"motion": {"stationary_iou": 0.85}}, motion=True)
    for r in (plain, off, on):
        assert sum(v.predicted for v in r.per_line.values()) == 1  # the one crossing, with or without the gate
    assert plain.frames == 120 and off.method == "citylens+gate"
    # the parked car's flashing lamps keep the plain gate analysing most frames (the empty road's first second
    # is still); stationary, it is analysed while its whole body still differs from the background learned of
    # the empty road (the gate cannot tell that from a car rolling off, ~3 s), then at the 1 s re-checks
    assert off.frames >= 100
    assert on.frames <= off.frames - 20


def test_a_frame_that_does_not_decode_stops_the_motion_replay_with_an_error(tmp_path):
    """The cache holds boxes for frames the video no longer gives (a truncated or unreadable file): the replay
    must say so instead of ending early and reporting fewer crossings as if the clip were over."""
    from pipeline.eval.counts import run_citylens
    from pipeline.eval.detcache import ClipDetections

    dets = _clip_with_a_car_that_parks(tmp_path / "park.avi", n=60)
    longer = ClipDetections(ts=np.arange(80) / 10.0, frame_size=dets.frame_size,
                            boxes=dets.boxes + [np.zeros((0, 6))] * 20, names=dets.names)
    spec = {"path": str(tmp_path / "park.avi"), "file": "park.avi", "split": "dev",
            "lines": [{"name": "mid", "start": [0.5, 0.0], "end": [0.5, 1.0], "in_name": "a", "out_name": "b",
                       "classes": ["car"], "crossings": {"a": [], "b": []}}]}
    assert run_citylens("park", spec, dets, None, motion=True).frames > 0  # the whole clip decodes: no error
    with pytest.raises(RuntimeError, match="frame 60 of .*park.avi did not decode"):
        run_citylens("park", spec, longer, None, motion=True)
