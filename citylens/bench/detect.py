"""Detector throughput on real frames: ultralytics (baseline) vs onnxruntime, batch 1 vs batched."""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import sys
import tempfile
import time

import cv2

from pipeline.config import DetectorConfig
from pipeline.types import Frame


def _frames(video: str, n: int) -> list[Frame]:
    cap = cv2.VideoCapture(video)
    frames = []
    while len(frames) < n:
        ok, img = cap.read()
        if not ok:
            break
        frames.append(Frame(camera_id="bench", frame_id=len(frames), ts=float(len(frames)), image=img))
    cap.release()
    if not frames:
        raise ValueError(f"no frames decoded from {video}")
    return frames


def _time(detector, frames: list[Frame], batch: int, repeats: int) -> dict:
    detector.detect(frames[:batch])  # warm-up
    per_frame = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for i in range(0, len(frames), batch):
            detector.detect(frames[i : i + batch])
        per_frame.append((time.perf_counter() - t0) / len(frames))
    ms = statistics.median(per_frame) * 1000
    return {"ms_per_frame": round(ms, 2), "fps": round(1000 / ms, 1)}


def run_detect_bench(video: str, *, n: int = 32, imgsz: int = 640, batches: tuple[int, ...] = (1, 4),
                     repeats: int = 3, model: str = "yolov8n.pt", model_dir: str | None = None,
                     threads: int | None = None) -> dict:
    from pipeline.detect import build_detector, export_onnx

    frames = _frames(video, n)
    out: dict = {"machine": f"{platform.machine()} {os.cpu_count()} cpus", "frames": len(frames), "imgsz": imgsz,
                 "video": os.path.basename(video), "threads": threads, "results": {}}
    with tempfile.TemporaryDirectory() as tmp:
        with contextlib.redirect_stdout(sys.stderr):  # ultralytics' export banner would corrupt the JSON
            onnx_path = export_onnx(model, os.path.join(tmp, "model.onnx"), imgsz=imgsz, model_dir=model_dir)
        backends = {
            "ultralytics": build_detector(DetectorConfig(model=model, backend="ultralytics", imgsz=imgsz,
                                                         threads=threads), model_dir),
            "onnx": build_detector(DetectorConfig(model=onnx_path, backend="onnx", imgsz=imgsz, threads=threads),
                                   model_dir),
        }
        for name, det in backends.items():
            out["device"] = getattr(det, "device", "cpu")
            for b in batches:
                out["results"][f"{name}_b{b}"] = _time(det, frames, b, repeats)
    base = out["results"][f"ultralytics_b{batches[0]}"]["ms_per_frame"]
    out["speedup_vs_ultralytics_b1"] = {k: round(base / v["ms_per_frame"], 2) for k, v in out["results"].items()}
    return out
