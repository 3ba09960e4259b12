"""Object detection behind one interface: ultralytics (torch, GPU) or onnxruntime (no torch), batched."""

from __future__ import annotations

import copy
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Protocol, runtime_checkable

import cv2
import numpy as np

from pipeline.adapters import class_ids_for, from_ultralytics
from pipeline.config import DetectorConfig
from pipeline.exceptions import ModelLoadError
from pipeline.models import resolve_model
from pipeline.types import Detections, Frame

log = logging.getLogger(__name__)


@runtime_checkable
class Detector(Protocol):
    """Turns a batch of frames into one ``Detections`` per frame, same order (xyxy in original pixels)."""

    names: dict[int, str]
    model_name: str
    backend: str
    device: str

    def detect(self, frames: list[Frame]) -> list[Detections]: ...


def _torch_device(requested: str) -> str:
    import torch

    if requested == "auto":
        return "cuda:0" if torch.cuda.is_available() else "cpu"
    if requested.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ModelLoadError(f"detector.device {requested!r} requested but torch sees no CUDA device")
        return "cuda:0" if requested == "cuda" else requested
    return requested


def _fp16_args() -> dict[str, object]:
    """fp16 inference: ``quantize=16`` on new ultralytics (``half`` is deprecated there), ``half=True`` before."""
    from ultralytics.cfg import DEFAULT_CFG_DICT

    return {"quantize": 16} if "quantize" in DEFAULT_CFG_DICT else {"half": True}


class UltralyticsDetector:
    """``ultralytics.YOLO`` on torch; fp16 on CUDA. Each batch is one ``predict`` call.

    Args:
        cfg: model name/path, device, imgsz, conf, iou, classes, max_batch.
        model_dir: where model names resolve before ``$CITYLENS_MODEL_DIR``.

    Example:
        >>> det = UltralyticsDetector(DetectorConfig(model="yolov8n.pt"))  # doctest: +SKIP
        >>> [len(d) for d in det.detect(frames)]                           # doctest: +SKIP
    """

    backend = "ultralytics"
    sizes_per_call = True  # detect(frames, imgsz=...) runs at another input size

    def __init__(self, cfg: DetectorConfig, model_dir: str | None = None) -> None:
        from ultralytics import YOLO  # lazy: the onnx backend must not pay for (or need) torch

        self.cfg = cfg
        path = resolve_model(cfg.model, model_dir)
        try:
            self._model = YOLO(path, task="detect")
        except Exception as e:
            raise ModelLoadError(f"ultralytics cannot load detector model {path!r}: {e}") from e
        self.device = _torch_device(cfg.device)
        if cfg.threads:
            import torch

            torch.set_num_threads(cfg.threads)
        self._precision = _fp16_args() if self.device.startswith("cuda") else {}
        self.names: dict[int, str] = {int(k): str(v) for k, v in self._model.names.items()}
        self.model_name = Path(path).name
        self._classes = class_ids_for(self.names, cfg.classes)

    def detect(self, frames: list[Frame], imgsz: int | None = None) -> list[Detections]:
        """One ``Detections`` per frame, in order; frames of one size share a ``predict`` call (up to ``max_batch``).
        ``imgsz``: this call's input size instead of ``cfg.imgsz``.

        ultralytics letterboxes a batch of mixed sizes to the square ``imgsz`` × ``imgsz`` instead of the
        smallest stride-aligned rectangle (640×640 instead of 640×384 for 16:9 frames: 1.67× the compute),
        and a frame's detections would then depend on which other cameras shared its call; grouping by size
        keeps every frame's own rectangle (bench edge: the fp32 defaults sustained fewer cameras than naive).
        """
        out: list[Detections | None] = [None] * len(frames)
        for idx in group_by(frames, lambda f: f.image.shape, self.cfg.max_batch):
            for i, d in zip(idx, self._predict([frames[i] for i in idx], imgsz or self.cfg.imgsz)):
                out[i] = d
        return out  # type: ignore[return-value]

    def _predict(self, chunk: list[Frame], imgsz: int) -> list[Detections]:
        results = self._model.predict(
            [f.image for f in chunk],
            conf=self.cfg.conf,
            iou=self.cfg.iou,
            imgsz=imgsz,
            classes=self._classes,
            agnostic_nms=self.cfg.agnostic_nms,
            device=self.device,
            **self._precision,
            verbose=False,
        )
        return [from_ultralytics(r) for r in results]


def group_by(frames: list[Frame], key, size: int) -> list[list[int]]:
    """Indices of ``frames`` in batches of at most ``size`` whose frames share ``key(frame)``, in arrival order."""
    groups: dict = {}
    for i, f in enumerate(frames):
        groups.setdefault(key(f), []).append(i)
    return [idx[s : s + size] for idx in groups.values() for s in range(0, len(idx), size)]


def fit_to_detector(frame: Frame, imgsz: int) -> tuple[Frame, float]:
    """``frame`` shrunk so its long side is ``imgsz`` (as the detector's letterbox would), and the factor applied.

    A camera ships this copy to the box's detector instead of the full frame: a 1080p frame is 9× fewer bytes
    through Ray's object store, and frames of all 16:9 cameras then share one size (one batch). The resize is
    the letterbox's own (same size, same interpolation), so the detector sees the same pixels and does no
    resize of its own; smaller frames are returned unchanged (the letterbox enlarges them itself).
    Map the detections back with ``unfit_detections``.
    """
    h, w = frame.shape
    r = imgsz / max(h, w)
    if r >= 1.0:
        return frame, 1.0
    size = (round(w * r), round(h * r))
    return Frame(frame.camera_id, frame.frame_id, frame.ts, cv2.resize(frame.image, size, interpolation=cv2.INTER_LINEAR)), r


def unfit_detections(det: Detections, r: float, shape: tuple[int, int]) -> Detections:
    """Detections of a ``fit_to_detector`` copy in the original frame's pixels (``shape`` = its (h, w))."""
    if r == 1.0 or len(det) == 0:
        return det
    out = copy.copy(det)
    xyxy = det.xyxy / np.float32(r)
    h, w = shape
    xyxy[:, [0, 2]] = xyxy[:, [0, 2]].clip(0, w)
    xyxy[:, [1, 3]] = xyxy[:, [1, 3]].clip(0, h)
    out.xyxy = xyxy.astype(np.float32)
    return out


def build_detector(cfg: DetectorConfig, model_dir: str | None = None) -> Detector:
    """The detector named by ``cfg.backend``; the onnx path never imports torch."""
    if cfg.backend == "onnx":
        from pipeline.detect_onnx import OnnxDetector

        return OnnxDetector(cfg, model_dir)
    if cfg.backend == "torch":
        from pipeline.detect_torch import TorchDetector

        return TorchDetector(cfg, model_dir)
    return UltralyticsDetector(cfg, model_dir)


def export_onnx(model: str, out_path: str, imgsz: int = 640, model_dir: str | None = None, dynamic: bool = True) -> str:
    """Export a YOLO ``.pt`` to ONNX at ``out_path`` (dynamic batch and size by default); returns the path.

    The weights are copied to a scratch folder first because ultralytics writes the export next to them
    (which may be a read-only or shared model directory).
    """
    from ultralytics import YOLO

    source = resolve_model(model, model_dir)
    with tempfile.TemporaryDirectory(prefix="citylens-export-") as tmp:
        if Path(source).is_file():
            source = shutil.copy(source, Path(tmp) / Path(source).name)
        try:
            exported = YOLO(source, task="detect").export(
                format="onnx", imgsz=imgsz, dynamic=dynamic, simplify=True, verbose=False
            )
        except Exception as e:
            raise ModelLoadError(f"ONNX export of {model!r} failed: {e}") from e
        out = Path(out_path)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(exported), out)
    log.info("exported %s to %s (imgsz=%d, dynamic=%s)", model, out, imgsz, dynamic)
    return str(out)
