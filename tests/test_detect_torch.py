"""The device detector path (batched, device-side letterbox and NMS) on CPU: parity with ultralytics predict."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.config import DetectorConfig
from pipeline.detect import build_detector
from pipeline.detect_onnx import letterbox, min_shape
from pipeline.detect_torch import TorchDetector, letterbox_geometry
from pipeline.types import Frame

ROOT = Path(__file__).resolve().parents[1]
TRAFFIC = ROOT / "samples" / "traffic_residential_street_cvTrafficCam.mp4"
PEOPLE = ROOT / "samples" / "people_indoor_one_by_one_intel.mp4"


def frames_of(path: Path, indices: list[int]) -> list[Frame]:
    cap = cv2.VideoCapture(str(path))
    out, i = [], 0
    while i <= max(indices):
        ok = cap.grab()
        assert ok, f"{path} ended before frame {i}"
        if i in indices:
            out.append(Frame(camera_id=path.stem, frame_id=i, ts=float(i), image=cap.retrieve()[1]))
        i += 1
    cap.release()
    return out


def best_ious(src, dst) -> list[float]:
    """For each box of ``src``, the best IoU with a same-class box of ``dst``."""
    out = []
    for k in range(len(src)):
        same = dst.xyxy[dst.class_id == src.class_id[k]]
        if len(same) == 0:
            out.append(0.0)
            continue
        a, b = src.xyxy[k], same
        ix = np.clip(np.minimum(a[2], b[:, 2]) - np.maximum(a[0], b[:, 0]), 0, None)
        iy = np.clip(np.minimum(a[3], b[:, 3]) - np.maximum(a[1], b[:, 1]), 0, None)
        inter = ix * iy
        union = (a[2] - a[0]) * (a[3] - a[1]) + (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]) - inter
        out.append(float((inter / union).max()))
    return out


@pytest.mark.parametrize(("h", "w"), [(360, 640), (432, 768), (1080, 1920), (480, 720), (128, 128)])
def test_letterbox_geometry_matches_the_onnx_letterbox(h: int, w: int) -> None:
    img = np.zeros((h, w, 3), np.uint8)
    shape = min_shape((h, w), 640)
    boxed, r, (left, top) = letterbox(img, shape)
    r2, _, padded, (top2, left2) = letterbox_geometry(h, w, 640)
    assert padded == boxed.shape[:2] == shape
    assert (top2, left2) == (top, left) and r2 == pytest.approx(r)


@pytest.mark.slow
def test_torch_path_on_cpu_matches_ultralytics_predict_on_real_frames() -> None:
    frames = frames_of(TRAFFIC, [100, 300, 530]) + frames_of(PEOPLE, [120, 400])
    ref = build_detector(DetectorConfig(model="yolov8n.pt", backend="ultralytics", device="cpu"))
    det = build_detector(DetectorConfig(model="yolov8n.pt", backend="torch", device="cpu", max_batch=2))
    assert isinstance(det, TorchDetector) and det.device == "cpu"
    got = det.detect(frames)  # mixed sizes: grouped by shape, batched by max_batch, returned in order
    want = ref.detect(frames)
    assert sum(len(d) for d in want) >= 5
    for g, w in zip(got, want):
        assert abs(len(g) - len(w)) <= 1
        confident = w[w.confidence >= 0.4]
        assert all(iou >= 0.9 for iou in best_ious(confident, g)), (w.xyxy, g.xyxy)
        assert all(iou >= 0.9 for iou in best_ious(g[g.confidence >= 0.4], w))
        assert g.xyxy.dtype == np.float32 and set(g.data["class_name"]) <= set(w.data["class_name"]) | {"truck", "car"}


def test_batched_nms_keeps_images_apart_and_caps_each_image(monkeypatch: pytest.MonkeyPatch) -> None:
    """One NMS call for the whole batch: the same box in two images survives in both; two overlapping boxes of
    one class in one image keep the better; boxes of different classes suppress each other only with
    ``agnostic_nms``; MAX_DET is per image, best first."""
    import torch

    import pipeline.detect_torch as dt

    det = TorchDetector(DetectorConfig(model="yolov8n.pt", backend="torch", device="cpu", conf=0.25, iou=0.5,
                                       agnostic_nms=False))
    nc = len(det.names)

    def anchor(cx, cy, w, h, cls, score):
        col = torch.zeros(4 + nc)
        col[:4] = torch.tensor([cx, cy, w, h])
        col[4 + cls] = score
        return col

    img0 = [anchor(100, 100, 40, 40, 2, 0.9), anchor(102, 101, 40, 40, 2, 0.8),  # same car twice: one kept
            anchor(100, 100, 40, 40, 0, 0.7), anchor(300, 200, 20, 20, 2, 0.1)]  # a person there too; weak one
    img1 = [anchor(100, 100, 40, 40, 2, 0.6), anchor(400, 300, 30, 30, 7, 0.95),
            anchor(500, 300, 30, 30, 7, 0.5), anchor(10, 10, 4, 4, 2, 0.0)]
    pred = torch.stack([torch.stack(img0, 1), torch.stack(img1, 1)])  # (B, 4 + nc, anchors)
    got = det._to_host(det.postprocess(pred, 1.0, (0, 0), (640, 640)), 2)
    assert [list(d.class_id) for d in got] == [[2, 0], [7, 2, 7]]
    assert got[0].confidence.tolist() == pytest.approx([0.9, 0.7]) and len(got[1]) == 3
    det.cfg = det.cfg.model_copy(update={"agnostic_nms": True})
    agnostic = det._to_host(det.postprocess(pred, 1.0, (0, 0), (640, 640)), 2)
    assert [list(d.class_id) for d in agnostic] == [[2], [7, 2, 7]]
    monkeypatch.setattr(dt, "MAX_DET", 2)
    capped = det._to_host(det.postprocess(pred, 1.0, (0, 0), (640, 640)), 2)
    assert capped[1].confidence.tolist() == pytest.approx([0.95, 0.6])  # the two best of image 1
    assert [len(d) for d in det._to_host(det.postprocess(pred[:, :, :0], 1.0, (0, 0), (640, 640)), 2)] == [0, 0]
