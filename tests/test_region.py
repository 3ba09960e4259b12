"""Region detection (pipeline.region): the detector runs on the part of the frame around a camera's lines and
zones when that shows its objects larger, and the boxes come back in the frame's pixels."""

from __future__ import annotations

import numpy as np

from pipeline.adapters import from_arrays
from pipeline.camera import CameraDeps, CameraPipeline
from pipeline.config import CameraConfig
from pipeline.region import MIN_GAIN, WINDOW_MARGIN, detect_region, detect_window
from pipeline.types import Frame

NAMES = {0: "person", 2: "car"}


def camera(**kw) -> CameraConfig:
    base = {"id": "cam", "box": "b", "source": {"url": "x.mp4"},
            "lines": [{"name": "l", "start": [0.30, 0.50], "end": [0.40, 0.60]}]}
    return CameraConfig(**{**base, **kw})


def test_a_line_in_a_corner_of_a_1080p_frame_is_detected_on_a_crop_of_the_frames_shape_around_it():
    box = detect_region(camera(), (1920, 1080), 640)
    assert box is not None
    x0, y0, x1, y1 = box
    # the frame's shape, so the detector's letterbox (and cost) is the whole frame's
    assert abs((x1 - x0) / (y1 - y0) - 1920 / 1080) < 0.01
    assert 1920 / (x1 - x0) >= MIN_GAIN
    # the line, widened by motion.region_margin (0.1 of the long side = 192 px), lies inside it
    assert x0 <= 0.30 * 1920 - 192 and x1 >= 0.40 * 1920 + 192
    assert y0 <= 0.50 * 1080 - 192 and y1 >= 0.60 * 1080 + 192
    assert 0 <= x0 and 0 <= y0 and x1 <= 1920 and y1 <= 1080


def test_the_whole_frame_when_the_crop_would_not_pay_or_a_rule_looks_everywhere():
    across = {"lines": [{"name": "l", "start": [0.05, 0.5], "end": [0.95, 0.5]}]}
    assert detect_region(camera(**across), (1920, 1080), 640) is None  # a line across the frame
    assert detect_region(camera(), (352, 240), 640) is None  # a small frame: the crop would only be enlarged
    assert detect_region(camera(region_detect=False), (1920, 1080), 640) is None
    assert detect_region(camera(lines=[]), (1920, 1080), 640) is None
    frame_wide = {"rules": [{"type": "stopped_vehicle", "still_s": 10}]}  # no zone: the whole frame
    assert detect_region(camera(**frame_wide), (1920, 1080), 640) is None


def test_the_camera_detects_on_the_crop_and_tracks_in_frame_pixels():
    seen: list[tuple[int, int]] = []

    def detect(frame: Frame):
        seen.append(frame.shape)
        h, w = frame.shape  # one car at the crop's centre
        return from_arrays(np.array([[w / 2 - 20, h / 2 - 10, w / 2 + 20, h / 2 + 10]], np.float32),
                           np.array([0.9], np.float32), np.array([2]), NAMES)

    pipe = CameraPipeline(camera(), CameraDeps(detect=detect))
    x0, y0, x1, y1 = detect_region(pipe.camera, (1920, 1080), 640)
    frame = Frame("cam", 0, 0.0, np.zeros((1080, 1920, 3), np.uint8))
    det = pipe.detect(frame)
    assert seen == [(y1 - y0, x1 - x0)]
    cx, cy = det.xyxy[0, [0, 2]].mean(), det.xyxy[0, [1, 3]].mean()
    assert abs(cx - (x0 + x1) / 2) <= 1 and abs(cy - (y0 + y1) / 2) <= 1
    pipe.reconfigure(camera(id="cam", region_detect=False))  # off: the next frame goes whole
    pipe.detect(frame)
    assert seen[-1] == (1080, 1920)


def test_a_small_frame_detects_the_window_around_its_lines_at_the_whole_frames_scale_on_a_smaller_input():
    # 640x360, the line widened by WINDOW_MARGIN (0.15) of the long side (228 of 360 px high): 416 instead of 640
    box, size = detect_window(camera(), (640, 360), 640)
    assert WINDOW_MARGIN == 0.15 and size == 416 and box is not None
    x0, y0, x1, y1 = box
    assert abs((x1 - x0) / 640 - size / 640) <= 2 / 640  # same scale as the whole frame at 640: size / window
    assert x0 <= 0.30 * 640 - 96 and x1 >= 0.40 * 640 + 96 and y0 <= 0.50 * 360 - 96 and y1 >= 0.60 * 360 + 96
    assert detect_window(camera(), (640, 360), 640, scaled=False) == (None, 640)  # detector of one input size
    across = {"lines": [{"name": "l", "start": [0.05, 0.5], "end": [0.95, 0.5]}]}
    assert detect_window(camera(**across), (640, 360), 640) == (None, 640)  # no smaller size would hold it
    assert detect_window(camera(), (1920, 1080), 640) == (detect_region(camera(), (1920, 1080), 640), 640)


def test_the_camera_runs_the_window_at_its_size_through_detect_at():
    calls: list[tuple[tuple[int, int], int | None]] = []

    def detect_at(frame: Frame, imgsz: int | None = None):
        calls.append((frame.shape, imgsz))
        return from_arrays(np.array([[10, 10, 30, 20]], np.float32), np.array([0.9], np.float32), np.array([2]), NAMES)

    pipe = CameraPipeline(camera(), CameraDeps(detect=detect_at, detect_at=detect_at, detect_imgsz=640))
    det = pipe.detect(Frame("cam", 0, 0.0, np.zeros((360, 640, 3), np.uint8)))
    (x0, y0, x1, y1), size = detect_window(pipe.camera, (640, 360), 640)
    assert calls == [((y1 - y0, x1 - x0), size)]
    np.testing.assert_allclose(det.xyxy[0], [x0 + 10, y0 + 10, x0 + 30, y0 + 20])
