"""Detector throughput on real frames: ultralytics (baseline) vs onnxruntime vs the torch device path, by batch size."""

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


def _frames(video: str, n: int, size: tuple[int, int] | None = None) -> tuple[list[Frame], dict]:
    """``n`` decoded frames (resized to ``size`` = (w, h) if given) and the decode rate, measured apart."""
    cap = cv2.VideoCapture(video)
    frames = []
    t_decode = 0.0
    while len(frames) < n:
        t0 = time.perf_counter()
        ok, img = cap.read()
        t_decode += time.perf_counter() - t0
        if not ok:
            break
        if size is not None and (img.shape[1], img.shape[0]) != size:
            img = cv2.resize(img, size, interpolation=cv2.INTER_LINEAR)
        frames.append(Frame(camera_id="bench", frame_id=len(frames), ts=float(len(frames)), image=img))
    cap.release()
    if not frames:
        raise ValueError(f"no frames decoded from {video}")
    decode = {"frames": len(frames), "ms_per_frame": round(1000 * t_decode / len(frames), 3),
              "fps": round(len(frames) / t_decode, 1) if t_decode else None,
              "note": "OpenCV CPU decode of the source clip, excluded from the detector figures"}
    return frames, decode


def _ultralytics_logs_to_stderr() -> None:
    """ultralytics binds its log handler to the stdout of its first import (an earlier backend may have imported
    it); point it at stderr so the export banner never lands in the JSON on stdout."""
    import logging

    for h in logging.getLogger("ultralytics").handlers:
        if isinstance(h, logging.StreamHandler) and getattr(h, "stream", None) is sys.stdout:
            h.setStream(sys.stderr)


def _sync(det) -> None:
    if str(getattr(det, "device", "cpu")).startswith("cuda"):
        import torch

        torch.cuda.synchronize()


def _time(detector, frames: list[Frame], batch: int, repeats: int) -> dict:
    detector.detect(frames[:batch])  # warm-up
    _sync(detector)
    per_frame = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for i in range(0, len(frames), batch):
            detector.detect(frames[i : i + batch])
        _sync(detector)
        per_frame.append((time.perf_counter() - t0) / len(frames))
    ms = statistics.median(per_frame) * 1000
    return {"ms_per_frame": round(ms, 3), "fps": round(1000 / ms, 1)}


def run_detect_bench(video: str, *, n: int = 32, imgsz: int = 640, batches: tuple[int, ...] = (1, 4),
                     repeats: int = 3, model: str = "yolov8n.pt", model_dir: str | None = None,
                     threads: int | None = None, device: str = "cpu", size: tuple[int, int] | None = None,
                     backends: tuple[str, ...] = ("ultralytics", "onnx", "torch"), compile_model: bool = False) -> dict:
    """Detector throughput per backend and batch size on real frames; baseline = ultralytics at the first batch.

    ``torch`` is the device path (``pipeline.detect_torch``: uint8 upload, letterbox/normalise and NMS on the
    device, fp16 on CUDA). With ``device="cuda"`` ultralytics runs fp16 on the GPU too, the fair baseline.
    Decode is timed separately (``decode``) and excluded from every detector figure.
    """
    from pipeline.detect import build_detector, export_onnx

    n = max(n, max(batches))
    frames, decode = _frames(video, n, size)
    while len(frames) < n:  # short clip: repeat frames so the largest batch is full
        frames.append(frames[len(frames) % len(frames)])
    out: dict = {"machine": f"{platform.machine()} {os.cpu_count()} cpus", "frames": len(frames), "imgsz": imgsz,
                 "frame_size": f"{frames[0].shape[1]}x{frames[0].shape[0]}", "video": os.path.basename(video),
                 "threads": threads, "device_requested": device, "decode": decode, "devices": {}, "results": {}}
    if device.startswith("cuda"):
        import torch

        if torch.cuda.is_available():
            out["gpu"] = torch.cuda.get_device_name(0)
    with tempfile.TemporaryDirectory() as tmp:
        built = {}
        for name in backends:
            if name == "onnx":
                _ultralytics_logs_to_stderr()
                with contextlib.redirect_stdout(sys.stderr):  # ultralytics' export banner would corrupt the JSON
                    onnx_path = export_onnx(model, os.path.join(tmp, "model.onnx"), imgsz=imgsz, model_dir=model_dir)
                built[name] = build_detector(DetectorConfig(model=onnx_path, backend="onnx", imgsz=imgsz,
                                                            threads=threads, device=device), model_dir)
            elif name == "torch":
                from pipeline.detect_torch import TorchDetector

                built[name] = TorchDetector(DetectorConfig(model=model, backend="torch", imgsz=imgsz, threads=threads,
                                                           device=device, max_batch=max(batches)), model_dir,
                                            compile_model=compile_model)
            else:
                built[name] = build_detector(DetectorConfig(model=model, backend=name, imgsz=imgsz, threads=threads,
                                                            device=device, max_batch=max(batches)), model_dir)
        for name, det in built.items():
            out["devices"][name] = getattr(det, "device", "cpu")
            for b in batches:
                out["results"][f"{name}_b{b}"] = _time(det, frames, b, repeats)
    base_key = f"{backends[0]}_b{batches[0]}"
    base = out["results"][base_key]["ms_per_frame"]
    out["baseline"] = base_key
    out["speedup_vs_baseline"] = {k: round(base / v["ms_per_frame"], 2) for k, v in out["results"].items()}
    return out
