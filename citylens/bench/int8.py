"""INT8 vs fp32 ONNX: mAP@0.5 on a labelled YOLO-format set and speed on real frames, in one run.

The labelled set is coco128 (``$CITYLENS_DATA_DIR/coco128``): the first 128 images of COCO **train2017**,
which the COCO-pretrained weights were trained on, so its mAP is optimistic in absolute terms. Here it only
measures the *difference* quantisation makes (both models see the same images).
"""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from pipeline.config import DetectorConfig
from pipeline.types import Frame

REPO = Path(__file__).resolve().parents[2]
SAMPLES = [REPO / "samples" / "traffic_residential_street_cvTrafficCam.mp4",
           REPO / "samples" / "people_indoor_one_by_one_intel.mp4"]


def load_yolo_set(root: Path) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(image path, gt class ids, gt xyxy in pixels) for every image of a YOLO-format set."""
    items = []
    for img_path in sorted((root / "images").rglob("*.jpg")):
        label = root / "labels" / img_path.parent.name / (img_path.stem + ".txt")
        h, w = cv2.imread(str(img_path)).shape[:2]
        rows = np.loadtxt(label, ndmin=2) if label.exists() and label.stat().st_size else np.zeros((0, 5))
        cls = rows[:, 0].astype(int)
        cx, cy, bw, bh = rows[:, 1] * w, rows[:, 2] * h, rows[:, 3] * w, rows[:, 4] * h
        items.append((str(img_path), cls, np.stack([cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], 1)))
    if not items:
        raise FileNotFoundError(f"no images under {root}/images")
    return items


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    tl = np.maximum(a[:, None, :2], b[None, :, :2])
    br = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(br - tl, 0, None), axis=2)
    area = lambda x: (x[:, 2] - x[:, 0]) * (x[:, 3] - x[:, 1])  # noqa: E731
    return inter / (area(a)[:, None] + area(b)[None, :] - inter + 1e-9)


def average_precision(recall: np.ndarray, precision: np.ndarray) -> float:
    """COCO-style 101-point interpolated AP (as ultralytics' ``compute_ap``)."""
    mrec = np.concatenate(([0.0], recall, [1.0]))
    mpre = np.flip(np.maximum.accumulate(np.flip(np.concatenate(([1.0], precision, [0.0])))))
    x = np.linspace(0, 1, 101)
    return float(np.trapz(np.interp(x, mrec, mpre), x)) if hasattr(np, "trapz") else float(
        np.trapezoid(np.interp(x, mrec, mpre), x))


def map50(detector, items) -> dict:
    """mAP@0.5 over the classes present in the ground truth; also the number of images and boxes."""
    per_class: dict[int, list[tuple[float, bool]]] = {}
    n_gt: dict[int, int] = {}
    for path, gcls, gbox in items:
        img = cv2.imread(path)
        det = detector.detect([Frame(camera_id="map", frame_id=0, ts=0.0, image=img)])[0]
        for c in gcls:
            n_gt[int(c)] = n_gt.get(int(c), 0) + 1
        if len(det) == 0:
            continue
        order = np.argsort(-det.confidence)
        pbox, pconf, pcls = det.xyxy[order], det.confidence[order], det.class_id[order]
        used = np.zeros(len(gbox), bool)
        ious = _iou(pbox, gbox) if len(gbox) else np.zeros((len(pbox), 0))
        for i in range(len(pbox)):
            tp = False
            if len(gbox):
                cand = np.where((gcls == pcls[i]) & ~used & (ious[i] >= 0.5))[0]
                if len(cand):
                    j = cand[np.argmax(ious[i, cand])]
                    used[j] = tp = True
            per_class.setdefault(int(pcls[i]), []).append((float(pconf[i]), tp))
    aps = []
    for c, n in n_gt.items():
        preds = sorted(per_class.get(c, []), key=lambda t: -t[0])
        if not preds:
            aps.append(0.0)
            continue
        tps = np.cumsum([t for _, t in preds])
        fps = np.cumsum([not t for _, t in preds])
        aps.append(average_precision(tps / n, tps / np.maximum(tps + fps, 1e-9)))
    return {"map50": round(float(np.mean(aps)), 4), "classes": len(n_gt), "images": len(items),
            "boxes": int(sum(n_gt.values()))}


def _speed(detector, frames: list[Frame], repeats: int) -> dict:
    detector.detect(frames[:1])
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for f in frames:
            detector.detect([f])
        runs.append((time.perf_counter() - t0) / len(frames))
    ms = statistics.median(runs) * 1000
    return {"ms_per_frame": round(ms, 2), "fps": round(1000 / ms, 1)}


def run_int8_bench(*, data_dir: str | None = None, model: str = "yolov8n.pt", imgsz: int = 640, calib_frames: int = 256,
                   speed_frames: int = 32, repeats: int = 3, threads: int | None = None,
                   model_dir: str | None = None) -> dict:
    from pipeline.detect import build_detector, export_onnx
    from pipeline.quantize import calibration_frames, calibration_videos, quantize_int8

    data = Path(data_dir or os.environ.get("CITYLENS_DATA_DIR") or REPO.parent / "shared" / "data")
    items = load_yolo_set(data / "coco128")
    cap = cv2.VideoCapture(str(SAMPLES[0]))
    speed = []
    while len(speed) < speed_frames:
        ok, img = cap.read()
        if not ok:
            break
        speed.append(Frame(camera_id="bench", frame_id=len(speed), ts=float(len(speed)), image=img))
    cap.release()
    out: dict = {"machine": f"{platform.machine()} {os.cpu_count()} cpus", "model": model, "imgsz": imgsz,
                 "labelled_set": "coco128 (COCO train2017 images: the weights saw them; optimistic in absolute terms)",
                 "map_settings": "all 80 classes, conf >= 0.01 (the config's floor), NMS IoU 0.6 per class, 101-point AP",
                 "calibration": f"{calib_frames} frames from {[p.name for p in calibration_videos(data)]}",
                 "speed_frames": f"{len(speed)} frames of {SAMPLES[0].name}", "threads": threads, "results": {}}
    with tempfile.TemporaryDirectory(prefix="citylens-int8-bench-") as tmp:
        with contextlib.redirect_stdout(sys.stderr):
            fp32 = export_onnx(model, os.path.join(tmp, "fp32.onnx"), imgsz=imgsz, model_dir=model_dir)
        t0 = time.perf_counter()
        int8 = quantize_int8(fp32, os.path.join(tmp, "int8.onnx"), calibration_frames(calibration_videos(data), calib_frames),
                             imgsz=imgsz)
        out["quantize_s"] = round(time.perf_counter() - t0, 1)
        out["bytes"] = {"fp32": os.path.getsize(fp32), "int8": os.path.getsize(int8)}
        for name, path in (("fp32", fp32), ("int8", int8)):
            acc = build_detector(DetectorConfig(model=path, backend="onnx", imgsz=imgsz, conf=0.01, iou=0.6,
                                                classes=None, agnostic_nms=False, threads=threads))
            run = build_detector(DetectorConfig(model=path, backend="onnx", imgsz=imgsz, threads=threads))
            out["results"][name] = {**map50(acc, items), **_speed(run, speed, repeats)}
    f, q = out["results"]["fp32"], out["results"]["int8"]
    out["int8_vs_fp32"] = {"map50_delta": round(q["map50"] - f["map50"], 4),
                           "speedup": round(f["ms_per_frame"] / q["ms_per_frame"], 2)}
    return out
