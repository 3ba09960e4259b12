"""Region detection (pipeline.region): the detector runs on the part of the frame around a camera's lines and
zones when that shows its objects larger, and the boxes come back in the frame's pixels."""

from __future__ import annotations

import numpy as np

from pipeline.adapters import from_arrays
from pipeline.camera import CameraDeps, CameraPipeline
from pipeline.config import CameraConfig
from pipeline.region import MIN_GAIN, MIN_UPSCALE, WINDOW_MARGIN, detect_region, detect_window
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
    assert detect_region(camera(), (240, 135), 640) is None  # the letterbox already enlarges the frame 2.7x
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


TALL = {"lines": [{"name": "l", "start": [0.30, 0.45], "end": [0.40, 0.65]}]}  # region 356 px high at 640x360


def test_a_small_frame_detects_the_window_around_its_lines_at_the_whole_frames_scale_on_a_smaller_input():
    # 640x360, the line widened by WINDOW_MARGIN (0.15) of the long side (264 of 360 px high): 480 instead of 640
    assert detect_region(camera(**TALL), (640, 360), 640) is None  # 356 px: not a small region, no crop
    box, size = detect_window(camera(**TALL), (640, 360), 640)
    assert WINDOW_MARGIN == 0.15 and size == 480 and box is not None
    x0, y0, x1, y1 = box
    assert abs((x1 - x0) / 640 - size / 640) <= 2 / 640  # same scale as the whole frame at 640: size / window
    assert x0 <= 0.30 * 640 - 96 and x1 >= 0.40 * 640 + 96 and y0 <= 0.45 * 360 - 96 and y1 >= 0.65 * 360 + 96
    assert detect_window(camera(**TALL), (640, 360), 640, scaled=False) == (None, 640)  # one input size
    across = {"lines": [{"name": "l", "start": [0.05, 0.5], "end": [0.95, 0.5]}]}
    assert detect_window(camera(**across), (640, 360), 640) == (None, 640)  # no smaller size would hold it
    assert detect_window(camera(), (1920, 1080), 640) == (detect_region(camera(), (1920, 1080), 640), 640)


def test_the_camera_runs_the_window_at_its_size_through_detect_at():
    calls: list[tuple[tuple[int, int], int | None]] = []

    def detect_at(frame: Frame, imgsz: int | None = None):
        calls.append((frame.shape, imgsz))
        return from_arrays(np.array([[10, 10, 30, 20]], np.float32), np.array([0.9], np.float32), np.array([2]), NAMES)

    pipe = CameraPipeline(camera(**TALL), CameraDeps(detect=detect_at, detect_at=detect_at, detect_imgsz=640))
    det = pipe.detect(Frame("cam", 0, 0.0, np.zeros((360, 640, 3), np.uint8)))
    (x0, y0, x1, y1), size = detect_window(pipe.camera, (640, 360), 640)
    assert calls == [((y1 - y0, x1 - x0), size)]
    np.testing.assert_allclose(det.xyxy[0], [x0 + 10, y0 + 10, x0 + 30, y0 + 20])


def test_a_small_region_is_cropped_and_enlarged_up_to_region_upscale():
    # 640x360 (a wide low-resolution camera): the line widened by motion.region_margin (64 px) needs 192x164 px;
    # region_upscale 2 detects on a frame-shaped 320x180 crop around it, enlarged 2x to 640 px
    assert MIN_UPSCALE == 2.0 and camera().region_upscale == 3.0
    x0, y0, x1, y1 = detect_region(camera(region_upscale=2), (640, 360), 640)
    assert (x1 - x0, y1 - y0) == (320, 180)
    assert x0 <= 0.30 * 640 - 64 and x1 >= 0.40 * 640 + 64 and y0 <= 0.50 * 360 - 64 and y1 >= 0.60 * 360 + 64
    # the default (region_upscale 3): the smallest frame-shaped window holding the region, 292x164, enlarged 2.2x
    x0, y0, x1, y1 = detect_region(camera(), (640, 360), 640)
    assert abs((x1 - x0) / (y1 - y0) - 640 / 360) < 0.02 and 290 <= x1 - x0 <= 294
    # a region of 60x51 px in a corner: the crop stays 3x at most (213 px), moved inside the frame
    tiny = {"lines": [{"name": "l", "start": [0.02, 0.90], "end": [0.05, 0.95]}], "motion": {"region_margin": 0.03}}
    x0, y0, x1, y1 = detect_region(camera(region_upscale=3, **tiny), (640, 360), 640)
    assert 212 <= x1 - x0 <= 215 and x0 == 0 and y1 == 360
    # 1 = never enlarged (the behaviour before region_upscale): the whole 640x360 frame
    assert detect_region(camera(region_upscale=1), (640, 360), 640) is None


def test_a_small_frame_is_enlarged_3x_by_default_and_a_larger_region_never():
    # 352x240: a 320 px crop (region_upscale 2) would show the region only 1.1x larger than the whole frame
    # (which the letterbox already enlarges 1.8x); the default 3 crops it: 213x146, seen 1.65x larger
    assert detect_region(camera(region_upscale=2), (352, 240), 640) is None
    x0, y0, x1, y1 = detect_region(camera(), (352, 240), 640)
    assert 212 <= x1 - x0 <= 215 and 640 / (x1 - x0) / (640 / 352) >= MIN_GAIN
    # 640x360, the region 356 px high (more than 320): never enlarged, the whole frame is kept
    assert detect_region(camera(**TALL), (640, 360), 640) is None
    assert detect_region(camera(region_upscale=3, **TALL), (640, 360), 640) is None
    # 1920x1080: a large frame's crop is never enlarged (at least 640 px), small region or not
    x0, y0, x1, y1 = detect_region(camera(region_upscale=3), (1920, 1080), 640)
    assert x1 - x0 >= 640
