"""The line-count evaluation's bookkeeping (no video): hand-counted spans, frame selection, the truth file."""

from __future__ import annotations

import numpy as np

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
