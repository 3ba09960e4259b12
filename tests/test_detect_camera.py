"""Per-camera detection post-processing: class map and per-class minimum scores (docs/tuning.md)."""

from __future__ import annotations

import numpy as np

from pipeline.adapters import from_arrays
from pipeline.config import CameraConfig, DetectorConfig
from pipeline.detect_camera import postprocess

NAMES = {0: "person", 2: "car", 5: "bus", 80: "minibus"}


def dets(*rows: tuple[int, float]):
    xyxy = np.array([[i * 10, 0, i * 10 + 8, 8] for i in range(len(rows))], np.float32)
    return from_arrays(xyxy, np.array([c for _, c in rows]), np.array([k for k, _ in rows]), NAMES)


def test_class_map_renames_and_per_class_scores_filter_after_it() -> None:
    cfg = DetectorConfig(conf=0.1, class_map={"minibus": "bus"}, conf_per_class={"person": 0.4, "bus": 0.2})
    out = postprocess(dets((0, 0.3), (0, 0.5), (80, 0.25), (80, 0.15), (2, 0.12)), cfg)
    assert out.data["class_name"].tolist() == ["person", "bus", "car"]
    assert np.allclose(out.confidence, [0.5, 0.25, 0.12])


def test_defaults_leave_detections_untouched() -> None:
    d = dets((0, 0.3), (2, 0.9))
    assert postprocess(d, DetectorConfig()) is d


def test_camera_detector_settings_are_optional_and_validated() -> None:
    base = {"id": "c", "box": "b", "source": {"url": "x.mp4"}}
    assert CameraConfig(**base).detector is None
    cam = CameraConfig(**base, detector={"imgsz": 1280, "slices": [320, 240], "conf_per_class": {"person": 0.4}})
    assert cam.detector.slices == (320, 240) and cam.detector.imgsz == 1280
