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


def _time_pipelined(detector, frames: list[Frame], batch: int, repeats: int) -> dict:
    """All frames in one ``detect`` call cut into chunks of ``batch``: the CUDA path overlaps the host copy and
    upload of chunk k + 1 with the device's work on chunk k (the Detector actor's case when many cameras queue)."""
    detector.cfg = detector.cfg.model_copy(update={"max_batch": batch})
    return _time(detector, frames, len(frames), repeats)


def _torch_stages(det, frames: list[Frame], batch: int, repeats: int = 10) -> dict:
    """Median ms per frame of each stage of the CUDA torch path on one chunk, each timed alone (synchronised):
    host copy into the pinned buffer (threaded, and one thread for reference), upload, device work."""
    import torch

    with torch.inference_mode():  # the staging buffers are inference tensors: touch them only in this mode
        return _torch_stages_timed(det, frames, batch, repeats)


def _torch_stages_timed(det, frames: list[Frame], batch: int, repeats: int) -> dict:
    import numpy as np
    import torch

    imgs = [f.image for f in frames[:batch]]
    dev = det._stage(imgs, 0)
    torch.cuda.synchronize()
    host, _ = det._slots[(0, *imgs[0].shape)]
    view = host.numpy()

    def one_thread() -> None:
        for j, img in enumerate(imgs):
            np.copyto(view[j], img)

    def threaded() -> None:
        list(det._copier.map(lambda j: np.copyto(view[j], imgs[j]), range(len(imgs))))

    def upload() -> None:
        dev.copy_(host[: len(imgs)], non_blocking=True)

    def device_work() -> None:
        pred, r, pad = det._forward(dev)
        det.postprocess(pred, r, pad, imgs[0].shape[:2]).cpu()

    def forward_only() -> None:
        det._forward(dev)

    out = {}
    for name, fn in (("host_copy_threaded", threaded), ("host_copy_one_thread", one_thread), ("upload", upload),
                     ("forward", forward_only), ("device_total", device_work)):
        fn()
        torch.cuda.synchronize()
        ts = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            torch.cuda.synchronize()
            ts.append(time.perf_counter() - t0)
        out[name] = round(1000 * statistics.median(ts) / len(imgs), 4)
    return {"batch": len(imgs), "ms_per_frame": out,
            "note": "each stage alone; the pipelined path overlaps host copy + upload with the device's work"}


def run_detect_bench(video: str, *, n: int = 32, imgsz: int = 640, batches: tuple[int, ...] = (1, 4),
                     repeats: int = 3, model: str = "yolov8n.pt", model_dir: str | None = None,
                     threads: int | None = None, device: str = "cpu", size: tuple[int, int] | None = None,
                     backends: tuple[str, ...] = ("ultralytics", "onnx", "torch"), compile_model: bool = False) -> dict:
    """Detector throughput per backend and batch size on real frames; baseline = ultralytics at the first batch.

    ``torch`` is the device path (``pipeline.detect_torch``: uint8 upload, letterbox/normalise and NMS on the
    device, fp16 on CUDA). With ``device="cuda"`` ultralytics runs fp16 on the GPU too, the fair baseline.
    Decode is timed separately (``decode``) and excluded from every detector figure. On CUDA the torch path is
    also timed with all ``n`` frames in one call (``torch_pipelined_bB``: chunks of B, copies overlapping compute).
    """
    from pipeline.detect import build_detector, export_onnx

    with contextlib.redirect_stdout(sys.stderr):  # a first import prints ultralytics' settings banner on stdout
        import ultralytics  # noqa: F401
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
            if name == "torch" and getattr(det, "_cuda", False):
                for b in batches:
                    if b > 1:
                        out["results"][f"torch_pipelined_b{b}"] = _time_pipelined(det, frames, b, repeats)
                out["torch_stages"] = _torch_stages(det, frames, max(batches))
    base_key = f"{backends[0]}_b{batches[0]}"
    base = out["results"][base_key]["ms_per_frame"]
    out["baseline"] = base_key
    out["speedup_vs_baseline"] = {k: round(base / v["ms_per_frame"], 2) for k, v in out["results"].items()}
    return out
