"""Per-camera detection post-processing: class map and per-class minimum scores (docs/tuning.md)."""

from __future__ import annotations

import numpy as np
import pytest

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


@pytest.mark.slow
def test_a_cameras_own_detector_has_run_once_before_its_first_frame() -> None:
    """The camera actor's own detector (edge_workers.actors._camera_detect) is warmed on a blank frame when it
    is built, as the box detector is (DetectorActor.warmup): ultralytics has its predictor set up before the
    camera's first real frame, which then gets its detections like any later one."""
    import cv2

    from edge_workers.actors import _camera_detect
    from pipeline.types import Frame

    detect = _camera_detect(DetectorConfig(model="yolov8n.pt", imgsz=320, threads=1), None)
    det = next(c.cell_contents for c in detect.__closure__ if hasattr(c.cell_contents, "_det"))
    assert det._det._model.predictor is not None  # set up by the warm-up, before any camera frame
    cap = cv2.VideoCapture("samples/traffic_residential_street_cvTrafficCam.mp4")
    ok, image = cap.read()
    cap.release()
    assert ok
    out = detect(Frame(camera_id="c", frame_id=0, ts=0.0, image=image))
    assert len(out) > 0 and set(out.data["class_name"]) <= set(DetectorConfig().classes)
