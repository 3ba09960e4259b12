"""Detection: model resolution, ultralytics and onnxruntime backends on real frames, batching and parity."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.adapters import class_ids_for, from_arrays
from pipeline.config import DetectorConfig
from pipeline.detect import Detector, build_detector, export_onnx
from pipeline.detect_onnx import decode, letterbox, min_shape, nms
from pipeline.exceptions import ModelLoadError
from pipeline.models import MODEL_DIR_ENV, resolve_model
from pipeline.types import Frame
from tests.paths import PEOPLE, TRAFFIC, model_dir

MODELS = model_dir()
ROOT = Path(__file__).resolve().parents[1]


def read_frames(path: Path, indices: list[int]) -> list[Frame]:
    cap = cv2.VideoCapture(str(path))
    frames, i = [], 0
    while i <= max(indices):
        ok, image = cap.read()
        assert ok, f"{path} ended before frame {i}"
        if i in indices:
            frames.append(Frame(camera_id=path.stem, frame_id=i, ts=float(i), image=image))
        i += 1
    cap.release()
    return frames


def iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    tl = np.maximum(a[:, None, :2], b[None, :, :2])
    br = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(br - tl, 0, None), axis=2)
    area = lambda x: np.prod(x[:, 2:] - x[:, :2], axis=1)  # noqa: E731
    return inter / (area(a)[:, None] + area(b)[None, :] - inter)


def assert_covered(src, dst, min_conf: float, min_iou: float) -> None:
    """Every box of ``src`` with conf >= min_conf has a same-class box in ``dst`` with IoU >= min_iou."""
    for frame_i, (s, d) in enumerate(zip(src, dst)):
        for k in np.flatnonzero(s.confidence >= min_conf):
            same = d.class_id == s.class_id[k]
            best = iou_matrix(s.xyxy[k : k + 1], d.xyxy[same]).max(initial=0.0)
            assert best >= min_iou, f"frame {frame_i}: {s.data['class_name'][k]} {s.xyxy[k]} best IoU {best:.3f}"


@pytest.fixture(autouse=True)
def model_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MODEL_DIR_ENV, str(MODELS))
    monkeypatch.setenv("YOLO_OFFLINE", "1")


@pytest.fixture(scope="module")
def people_frames() -> list[Frame]:
    return read_frames(PEOPLE, [150, 200, 250, 300])


@pytest.fixture(scope="module")
def traffic_frames() -> list[Frame]:
    return read_frames(TRAFFIC, [50, 150, 250, 350])


@pytest.fixture(scope="session")
def onnx_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    os.environ.setdefault("YOLO_OFFLINE", "1")
    out = tmp_path_factory.mktemp("onnx") / "yolov8n.onnx"
    return Path(export_onnx(str(MODELS / "yolov8n.pt"), str(out), imgsz=640))


@pytest.fixture(scope="module")
def yolo() -> Detector:
    return build_detector(DetectorConfig(model="yolov8n.pt", backend="ultralytics", device="cpu"))


# ------------------------------------------------------------------------------------------------- units
def test_resolve_model_prefers_path_then_model_dir_then_env_then_bare_name(tmp_path: Path, monkeypatch) -> None:
    arg_dir, env_dir = tmp_path / "arg", tmp_path / "env"
    arg_dir.mkdir(), env_dir.mkdir()
    (arg_dir / "a.pt").write_bytes(b"x")
    (env_dir / "a.pt").write_bytes(b"x")
    (env_dir / "b.pt").write_bytes(b"x")
    monkeypatch.setenv(MODEL_DIR_ENV, str(env_dir))
    assert resolve_model(str(env_dir / "a.pt"), str(arg_dir)) == str(env_dir / "a.pt")
    assert resolve_model("a.pt", str(arg_dir)) == str(arg_dir / "a.pt")
    assert resolve_model("b.pt", str(arg_dir)) == str(env_dir / "b.pt")
    assert resolve_model("yolo11n.pt", str(arg_dir)) == "yolo11n.pt"


def test_class_names_map_to_model_ids_and_unknown_names_are_refused() -> None:
    names = {0: "person", 1: "bicycle", 2: "car"}
    assert class_ids_for(names, ["car", "person"]) == [0, 2]
    assert class_ids_for(names, None) is None
    with pytest.raises(ValueError, match=r"unknown class names \['unicorn'\]"):
        class_ids_for(names, ["unicorn"])


def test_detections_from_arrays_are_float32_pixels_with_class_names() -> None:
    det = from_arrays(np.array([[1, 2, 3, 4]], np.float64), np.array([0.5]), np.array([2]), {2: "car"})
    assert det.xyxy.dtype == np.float32 and det.tracker_id is None
    assert det.data["class_name"].tolist() == ["car"]
    empty = from_arrays(np.empty((0, 4)), np.empty(0), np.empty(0), {})
    assert len(empty) == 0 and "class_name" in empty.data


@pytest.mark.parametrize(("hw", "shape"), [((360, 640), (384, 640)), ((432, 768), (384, 640)), ((61, 97), (416, 640))])
def test_dynamic_input_shape_is_the_smallest_stride_aligned_letterbox(hw, shape) -> None:
    assert min_shape(hw, 640) == shape
    boxed, r, (left, top) = letterbox(np.zeros((*hw, 3), np.uint8), shape)
    assert boxed.shape[:2] == shape and left >= 0 and top >= 0 and r > 0


def test_frames_of_one_size_share_a_batch_and_batches_keep_arrival_order() -> None:
    from pipeline.detect import group_by

    frames = [Frame("c", i, 0.0, np.zeros(hw + (3,), np.uint8))
              for i, hw in enumerate([(360, 640), (432, 768), (360, 640), (360, 640), (432, 768)])]
    assert group_by(frames, lambda f: f.image.shape, 2) == [[0, 2], [3], [1, 4]]
    assert group_by([], lambda f: f.image.shape, 8) == []


@pytest.mark.parametrize(("hw", "small_hw"), [((1080, 1920), (360, 640)), ((432, 768), (360, 640)), ((1200, 1000), (640, 533)),
                                              ((360, 640), (360, 640)), ((240, 320), (240, 320))])
def test_a_frame_fit_to_the_detector_gives_the_letterbox_the_same_pixels_and_its_boxes_map_back(hw, small_hw) -> None:
    from pipeline.detect import fit_to_detector, unfit_detections

    rng = np.random.default_rng(0)
    frame = Frame("c", 7, 1.5, rng.integers(0, 255, hw + (3,), dtype=np.uint8))
    small, r = fit_to_detector(frame, 640)
    assert small.shape == small_hw and (small.camera_id, small.frame_id, small.ts) == ("c", 7, 1.5)
    # the detector's letterbox of the shipped copy is the letterbox of the whole frame: same input pixels
    shape = min_shape(frame.shape, 640)
    assert min_shape(small.shape, 640) == shape
    np.testing.assert_array_equal(letterbox(small.image, shape)[0], letterbox(frame.image, shape)[0])
    if small.shape == frame.shape:
        assert small is frame and r == 1.0
    det = from_arrays(np.array([[10, 20, 110, 220], [0, 0, small_hw[1], small_hw[0]]], np.float32),
                      np.array([0.9, 0.5], np.float32), np.array([2, 0]), {0: "person", 2: "car"})
    back = unfit_detections(det, r, frame.shape)
    np.testing.assert_allclose(back.xyxy[0], np.array([10, 20, 110, 220]) / r, rtol=1e-5)
    assert back.xyxy.dtype == np.float32 and np.all(back.xyxy[1] <= [hw[1], hw[0], hw[1], hw[0]])
    assert back.data["class_name"].tolist() == ["car", "person"] and np.array_equal(back.confidence, det.confidence)
    np.testing.assert_array_equal(det.xyxy[0], [10, 20, 110, 220])  # the input is not changed


def test_nms_suppresses_overlaps_and_keeps_the_best_first() -> None:
    boxes = np.array([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30]], np.float32)
    assert nms(boxes, np.array([0.8, 0.9, 0.7]), 0.5).tolist() == [1, 2]


def test_decode_keeps_each_anchor_above_conf_with_its_best_class() -> None:
    # a YOLOv8 head output (4 box rows + 3 class rows, 5 anchors): anchors 0 and 3 overlap, 1 is under conf,
    # 2's best class is filtered out, 4 stands alone
    pred = np.array([[50, 60, 150, 52, 300],  # cx
                     [50, 60, 150, 52, 300],  # cy
                     [20, 20, 20, 20, 10],  # w
                     [20, 20, 20, 20, 10],  # h
                     [0.9, 0.05, 0.1, 0.2, 0.3],  # class 0
                     [0.1, 0.08, 0.8, 0.7, 0.2],  # class 1
                     [0.2, 0.01, 0.1, 0.1, 0.6]], np.float32)  # class 2
    xyxy, conf, cls = decode(pred, conf=0.25, iou=0.5, classes=[0, 2], agnostic=True)
    assert cls.tolist() == [0, 2] and conf.tolist() == pytest.approx([0.9, 0.6])
    np.testing.assert_array_equal(xyxy, [[40, 40, 60, 60], [295, 295, 305, 305]])
    _, _, cls = decode(pred, conf=0.25, iou=0.5, classes=None, agnostic=False)
    assert cls.tolist() == [0, 1, 1, 2]  # best first; class-aware: anchor 3 (class 1) survives beside anchor 0


def test_missing_onnx_model_says_to_run_citylens_export(tmp_path: Path) -> None:
    cfg = DetectorConfig(model="nope.onnx", backend="onnx")
    with pytest.raises(ModelLoadError, match="citylens export"):
        build_detector(cfg, model_dir=str(tmp_path))


# --------------------------------------------------------------------------------------- real model, slow
@pytest.mark.slow
def test_ultralytics_finds_people_and_cars_in_the_real_videos(yolo, people_frames, traffic_frames) -> None:
    assert (yolo.backend, yolo.device, yolo.model_name) == ("ultralytics", "cpu", "yolov8n.pt")
    people = yolo.detect(people_frames)
    cars = yolo.detect(traffic_frames)
    assert len(people) == len(people_frames) and len(cars) == len(traffic_frames)
    assert sum("person" in d.data["class_name"] for d in people) >= 3
    assert all((d.data["class_name"] == "car").sum() >= 2 for d in cars)
    for frame, det in zip(traffic_frames + people_frames, cars + people):
        h, w = frame.shape
        assert det.xyxy.dtype == np.float32 and det.tracker_id is None
        assert np.all(det.xyxy >= 0) and np.all(det.xyxy[:, [0, 2]] <= w) and np.all(det.xyxy[:, [1, 3]] <= h)
        assert set(det.data["class_name"]) <= set(DetectorConfig().classes)


@pytest.mark.slow
def test_ultralytics_batch_of_four_equals_four_single_calls(yolo, traffic_frames) -> None:
    batched = yolo.detect(traffic_frames)
    single = [yolo.detect([f])[0] for f in traffic_frames]
    for b, s in zip(batched, single):
        assert b.data["class_name"].tolist() == s.data["class_name"].tolist()
        np.testing.assert_allclose(b.xyxy, s.xyxy, atol=0.5)
        np.testing.assert_allclose(b.confidence, s.confidence, atol=1e-3)
    assert yolo.detect([]) == []


@pytest.mark.slow
def test_ultralytics_batch_of_mixed_sizes_keeps_each_frames_own_letterbox(yolo, people_frames, traffic_frames) -> None:
    # ultralytics pads a batch of mixed sizes to 640x640; batched by size, each frame keeps its 640x384 rectangle
    # and its detections do not depend on which other cameras' frames shared the call.
    four_three = Frame("4:3", 0, 0.0, np.ascontiguousarray(traffic_frames[2].image[:, :480]))
    frames = [people_frames[1], traffic_frames[1], four_three, traffic_frames[2]]
    mixed = yolo.detect(frames)
    for got, alone in zip(mixed, [yolo.detect([f])[0] for f in frames]):
        assert got.data["class_name"].tolist() == alone.data["class_name"].tolist()
        np.testing.assert_allclose(got.xyxy, alone.xyxy, atol=0.5)
        np.testing.assert_allclose(got.confidence, alone.confidence, atol=1e-3)
    assert sum(len(d) for d in mixed) >= 4


@pytest.mark.slow
def test_onnx_backend_matches_ultralytics_boxes_on_real_frames(yolo, onnx_model, people_frames, traffic_frames) -> None:
    onnx = build_detector(DetectorConfig(model=str(onnx_model), backend="onnx", device="cpu"))
    assert (onnx.backend, onnx.model_name, onnx.names[0]) == ("onnx", "yolov8n.onnx", "person")
    frames = people_frames + traffic_frames
    ours, theirs = onnx.detect(frames), yolo.detect(frames)
    assert sum(len(d) for d in theirs) >= 20
    assert_covered(theirs, ours, min_conf=0.4, min_iou=0.9)
    assert_covered(ours, theirs, min_conf=0.4, min_iou=0.9)


@pytest.mark.slow
def test_onnx_batch_equals_single_calls_and_mixed_sizes_work(onnx_model, people_frames, traffic_frames) -> None:
    onnx = build_detector(DetectorConfig(model=str(onnx_model), backend="onnx", max_batch=8))
    odd = Frame("odd", 0, 0.0, np.ascontiguousarray(traffic_frames[0].image[:301, :517]))
    frames = [people_frames[1], traffic_frames[1], odd]
    batched = onnx.detect(frames)
    single = [onnx.detect([f])[0] for f in frames]
    assert_covered(single, batched, min_conf=0.3, min_iou=0.95)
    assert_covered(batched, single, min_conf=0.3, min_iou=0.95)
    assert np.all(batched[2].xyxy[:, [0, 2]] <= 517) and np.all(batched[2].xyxy[:, [1, 3]] <= 301)
    # A frame's detections, low scores included, do not depend on which other cameras' frames share its call:
    # frames are batched by input shape, so the street frame keeps its own letterbox beside a 4:3 one.
    four_three = Frame("4:3", 0, 0.0, np.ascontiguousarray(traffic_frames[2].image[:, :480]))
    street = traffic_frames[2]
    mixed = onnx.detect([four_three, street, traffic_frames[3]])
    for got, alone in ((mixed[1], onnx.detect([street, traffic_frames[3]])[0]), (mixed[0], onnx.detect([four_three])[0])):
        assert len(got) == len(alone) and len(alone) > 0
        np.testing.assert_allclose(got.xyxy, alone.xyxy, atol=1e-2)
        np.testing.assert_allclose(got.confidence, alone.confidence, atol=1e-4)


@pytest.mark.slow
def test_onnx_backend_runs_without_importing_torch_or_ultralytics(onnx_model) -> None:
    code = f"""
import sys, cv2
import pipeline.detect_onnx
from pipeline.config import DetectorConfig
from pipeline.detect import build_detector
from pipeline.types import Frame
cap = cv2.VideoCapture({str(PEOPLE)!r}); [cap.read() for _ in range(250)]; ok, image = cap.read()
det = build_detector(DetectorConfig(model={str(onnx_model)!r}, backend="onnx"))
out = det.detect([Frame("c", 0, 0.0, image)])
assert "person" in out[0].data["class_name"], out
leaked = [m for m in ("torch", "ultralytics") if m in sys.modules]
assert not leaked, leaked
print("ok")
"""
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-2000:]


@pytest.mark.slow
def test_in_process_placement_detects_what_the_detector_actor_does(onnx_model, people_frames, traffic_frames) -> None:
    """``placement: in_process`` (the box's model in each camera process, one frame per call, one thread) gives a
    camera the same detections as ``placement: actor``: the frame shrunk to the detector's size
    (``fit_to_detector``), batched with other cameras' frames in the Detector actor, mapped back."""
    import asyncio

    from edge_workers.actors import DetectorActor, in_process_detect
    from pipeline.detect import fit_to_detector, unfit_detections

    cfg = DetectorConfig(model=str(onnx_model), backend="onnx", device="cpu")
    frames = people_frames + traffic_frames
    actor = DetectorActor(cfg, None, threads=2)  # the actor's class, called as Ray would call it

    async def through_actor() -> list:
        fitted = [fit_to_detector(f, cfg.imgsz) for f in frames]
        dets = await asyncio.gather(*(actor.detect(small) for small, _ in fitted))  # concurrent: one batch
        return [unfit_detections(d, r, f.shape) for d, (_, r), f in zip(dets, fitted, frames)]

    via_actor = asyncio.run(through_actor())
    assert actor.batcher.batches < len(frames)  # the actor batched cameras' frames together
    env, cv_threads = dict(os.environ), cv2.getNumThreads()
    try:
        detect, detect_at = in_process_detect(cfg, None, sized=True)
        assert cv2.getNumThreads() == 1  # OpenCV's pool capped in the camera process
        local = [detect(f) for f in frames]
    finally:
        os.environ.clear()
        os.environ.update(env)
        cv2.setNumThreads(cv_threads)
    assert sum(len(d) for d in local) >= 20
    for got, ref in zip(local, via_actor):
        assert got.data["class_name"].tolist() == ref.data["class_name"].tolist()
        np.testing.assert_allclose(got.xyxy, ref.xyxy, atol=0.05)
        np.testing.assert_allclose(got.confidence, ref.confidence, atol=1e-3)
    # the same model at a smaller input size per call (CameraDeps.detect_at): a window of the street frames at the
    # whole frame's scale (pipeline.region.detect_window) finds the objects inside it that the whole frame does
    x0, y0, x1, y1 = 0, 54, 512, 342
    checked, matched = 0, 0
    for f, ref in zip(traffic_frames, local[len(people_frames):]):
        win = detect_at(Frame(f.camera_id, f.frame_id, f.ts, np.ascontiguousarray(f.image[y0:y1, x0:x1])), 512)
        assert detect_at(f, cfg.imgsz).xyxy.tolist() == ref.xyxy.tolist()
        inside = [(b, c) for b, c, s in zip(ref.xyxy, ref.data["class_name"], ref.confidence)
                  if s >= 0.4 and b[0] >= x0 + 8 and b[1] >= y0 + 8 and b[2] <= x1 - 8 and b[3] <= y1 - 8]
        boxes = win.xyxy + np.array([x0, y0, x0, y0], np.float32)
        for b, c in inside:
            same = [_iou(b, w) for w, wc in zip(boxes, win.data["class_name"]) if wc == c]
            matched += bool(same) and max(same) >= 0.5
            checked += 1
    assert checked >= 3 and matched >= 0.8 * checked, (matched, checked)


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    return float(w * h / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h))
