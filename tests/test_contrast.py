"""The detector's input stretched while a camera's picture is flat (pipeline.contrast, camera.contrast_boost),
on made-up frames: normal frames untouched, flat ones stretched, a slow and sticky decision, only the detector's
input changed, and the evaluation's cache keyed by it."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.camera import CameraDeps, CameraPipeline
from pipeline.contrast import EVERY_S, ContrastBoost, grey_spread
from pipeline.types import Frame
from tests.factories import T0, make_camera, make_detections


def _street(spread: float = 200.0, mean: float = 120.0, seed: int = 0) -> np.ndarray:
    """A 360x640 picture with a dark car on a textured road: grey levels over about ``spread`` around ``mean``."""
    rng = np.random.default_rng(seed)
    blocks = rng.uniform(-0.5, 0.5, (45, 80)).astype(np.float32)  # 8 px tiles: texture the measure's copy keeps
    img = cv2.resize(blocks, (640, 360), interpolation=cv2.INTER_NEAREST)[:, :, None] * np.ones((1, 1, 3))
    img[200:260, 300:420] = -0.5  # the car
    img[150:160, :] = 0.5  # a kerb
    return np.clip(mean + img * spread, 0, 255).astype(np.uint8)


def _hazy(img: np.ndarray, haze: float) -> np.ndarray:
    return cv2.addWeighted(img, 1.0 - haze, np.full_like(img, 190), haze, 0)


def test_a_normal_picture_is_handed_on_untouched_and_a_flat_one_is_stretched_to_the_full_range():
    clear, foggy = _street(), _hazy(_street(), 0.7)
    assert grey_spread(clear)[0] > 150 and grey_spread(foggy)[0] < 60
    boost = ContrastBoost("auto")
    assert boost(clear, 0.0) is clear and not boost.active
    boost = ContrastBoost("auto")
    out = boost(foggy, 0.0)
    assert boost.active and out.shape == foggy.shape and out.dtype == np.uint8
    assert grey_spread(out)[0] > 2.5 * grey_spread(foggy)[0]
    # the car is still darker than the road, by much more than in the fog
    car, road = (slice(200, 260), slice(300, 420)), (slice(280, 340), slice(0, 200))
    assert out[car].mean() < out[road].mean() - 2.5 * (foggy[road].mean() - foggy[car].mean())
    # a dark scene too (every pixel times 0.3)
    night = cv2.convertScaleAbs(_street(), alpha=0.3)
    boost = ContrastBoost("auto")
    assert boost(night, 0.0) is not night and boost.active


def test_the_decision_is_taken_every_few_seconds_with_hysteresis_so_it_does_not_flicker():
    clear, foggy, misty = _street(), _hazy(_street(), 0.7), _street(spread=78.0)
    assert 72 < grey_spread(misty)[0] < 84  # between the on and off spreads
    boost = ContrastBoost("auto")
    assert boost(foggy, 0.0) is not foggy
    assert boost(clear, EVERY_S / 2) is not clear  # not measured again yet: still stretched
    assert boost(misty, EVERY_S) is not misty  # measured: between the two thresholds it stays on
    assert boost(clear, 2 * EVERY_S) is clear and not boost.active  # clear again: off
    assert boost(misty, 3 * EVERY_S) is misty  # ... and between the thresholds it stays off
    assert boost(foggy, 3 * EVERY_S + 0.1) is foggy  # not measured yet
    assert boost(foggy, 4 * EVERY_S) is not foggy
    assert boost(clear, 0.0) is clear  # time went back (a new stream): measured at once


def test_off_never_and_always_every_frame():
    foggy, clear = _hazy(_street(), 0.7), _street()
    off = ContrastBoost("off")
    assert off(foggy, 0.0) is foggy and not off.active
    always = ContrastBoost("always")
    assert always(clear, 0.0) is not clear and always(foggy, 10.0) is not foggy


def test_the_camera_stretches_only_what_its_detector_gets():
    seen: list[np.ndarray] = []

    def detect(frame: Frame):
        seen.append(frame.image)
        return make_detections([[300, 200, 420, 260]], class_name="car", confidence=0.9)

    line = {"name": "l", "start": [0.5, 0.0], "end": [0.5, 1.0], "in_name": "a", "out_name": "b"}
    foggy = Frame("cam-1", 0, T0, _hazy(_street(), 0.7))
    kept = foggy.image.copy()
    cam = CameraPipeline(make_camera(lines=[line], contrast_boost="auto"), CameraDeps(detect=detect), box="b")
    cam.detect(foggy)
    assert grey_spread(seen[-1])[0] > 2.5 * grey_spread(foggy.image)[0]
    assert np.array_equal(foggy.image, kept)  # the camera's own frame (gate, tracker, evidence) is not changed
    clear = Frame("cam-1", 1, T0 + 10.0, _street())
    cam.detect(clear)
    assert seen[-1] is clear.image
    assert make_camera().contrast_boost == "auto"  # the default
    off = CameraPipeline(make_camera(lines=[line], contrast_boost="off"), CameraDeps(detect=detect), box="b")
    off.detect(foggy)
    assert seen[-1] is foggy.image


def test_the_evaluation_cache_key_names_the_stretched_frames_and_only_them(tmp_path):
    from pipeline.eval.detcache import _key, contrast_plan, frame_times

    def clip(name: str, haze: float) -> str:
        path = tmp_path / name
        out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (640, 360))
        for i in range(60):
            out.write(_hazy(_street(seed=i), haze if i >= 25 else 0.0))  # the fog comes in at 2.5 s
        out.release()
        return path

    cam = make_camera(contrast_boost="auto")
    path = clip("a.avi", 0.7)
    ts, _ = frame_times(path)
    plan, key = contrast_plan(path, ts, cam, None, None)
    # measured at 0, 2 and 4 s (frames 0, 20, 40): the fog that came in at frame 25 is seen at frame 40
    assert [t is not None for t in plan] == [False] * 40 + [True] * 20
    assert key.startswith("|contrast-auto[40]")
    plan, key = contrast_plan(path, ts[:40], cam, None, None)  # the clip's first 4 s: nothing stretched
    assert all(t is None for t in plan) and key == ""  # the same detections (and cache) as contrast_boost off
    plan, key = contrast_plan(path, ts, cam, {"haze": 0.7}, None)  # a hazier copy: flat from the first frame
    assert all(t is not None for t in plan) and key.startswith("|contrast-auto")
    off, _ = contrast_plan(path, ts, make_camera(contrast_boost="off"), {"haze": 0.7}, None)
    assert all(t is None for t in off)
    from pipeline.config import DetectorConfig

    cfg = DetectorConfig()
    assert _key(path, cfg, 0.05, {"haze": 0.7}) != _key(path, cfg, 0.05, {"haze": 0.7}, stretched=key)
