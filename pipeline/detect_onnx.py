"""ONNX Runtime YOLOv8 detector for lean edge boxes: numpy/OpenCV pre- and post-processing, no torch import."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort

from pipeline.adapters import class_ids_for, from_arrays
from pipeline.config import DetectorConfig
from pipeline.exceptions import ModelLoadError
from pipeline.models import resolve_model
from pipeline.types import Detections, Frame

log = logging.getLogger(__name__)

STRIDE = 32
PAD_VALUE = 114  # ultralytics' letterbox grey, so both backends see the same pixels
MAX_NMS = 30_000  # candidates entering NMS, as ultralytics
MAX_DET = 300
_CLASS_OFFSET = 7680.0  # shifts boxes per class so one NMS pass never suppresses across classes


def letterbox(image: np.ndarray, shape: tuple[int, int]) -> tuple[np.ndarray, float, tuple[int, int]]:
    """Resize keeping aspect ratio and pad to ``shape`` (h, w) as ultralytics' ``LetterBox`` does.

    Returns the padded image, the scale and the (left, top) padding::

        +------------------ w ------------------+
        | top pad (114 grey)                    |
        |left|  image resized by r  |right      |
        | bottom pad                            |
        +---------------------------------------+
    """
    h0, w0 = image.shape[:2]
    r = min(shape[0] / h0, shape[1] / w0)
    new_w, new_h = round(w0 * r), round(h0 * r)
    dw, dh = (shape[1] - new_w) / 2, (shape[0] - new_h) / 2
    if (new_w, new_h) != (w0, h0):
        image = cv2.resize(image, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
    top, bottom = round(dh - 0.1), round(dh + 0.1)
    left, right = round(dw - 0.1), round(dw + 0.1)
    image = cv2.copyMakeBorder(image, top, bottom, left, right, cv2.BORDER_CONSTANT, value=(PAD_VALUE,) * 3)
    return image, r, (left, top)


def min_shape(hw: tuple[int, int], imgsz: int) -> tuple[int, int]:
    """Smallest stride-aligned (h, w) that holds the image scaled to ``imgsz`` on its long side.

    A 640x360 frame runs at 640x384 instead of 640x640: about 40% less compute (dynamic models only).
    """
    r = imgsz / max(hw)
    return tuple(int(np.ceil(round(s * r) / STRIDE) * STRIDE) for s in hw)  # type: ignore[return-value]


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float) -> np.ndarray:
    """Greedy non-maximum suppression; indices kept, best first (suppresses IoU > threshold, as torchvision)."""
    x1, y1, x2, y2 = boxes.T
    areas = (x2 - x1) * (y2 - y1)
    order = scores.argsort()[::-1]
    keep: list[int] = []
    while order.size:
        i = order[0]
        keep.append(int(i))
        rest = order[1:]
        w = np.clip(np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]), 0, None)
        h = np.clip(np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]), 0, None)
        inter = w * h
        iou = inter / (areas[i] + areas[rest] - inter + 1e-9)
        order = rest[iou <= iou_threshold]
    return np.array(keep, dtype=int)


def decode(
    pred: np.ndarray, *, conf: float, iou: float, classes: list[int] | None, agnostic: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One image's YOLOv8 head output ``(4 + n_classes, anchors)`` → xyxy, confidence, class_id after NMS."""
    # Best score per anchor on the (classes, anchors) rows as they come (one contiguous pass), then the
    # transpose and argmax only for the few anchors above ``conf``: same result, ~10x less work per frame.
    best = pred[4:].max(0)
    above = np.flatnonzero(best > conf)
    p = pred[:, above].T
    class_id = p[:, 4:].argmax(1)
    confidence = best[above]
    if classes is not None:
        keep = np.isin(class_id, classes)
        p, class_id, confidence = p[keep], class_id[keep], confidence[keep]
    if len(p) > MAX_NMS:
        top = confidence.argsort()[::-1][:MAX_NMS]
        p, class_id, confidence = p[top], class_id[top], confidence[top]
    cx, cy, w, h = p[:, 0], p[:, 1], p[:, 2], p[:, 3]
    xyxy = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)
    # class-aware NMS shifts each class to its own region so boxes of different classes never overlap
    offset = 0.0 if agnostic else class_id[:, None] * _CLASS_OFFSET
    kept = nms(xyxy + offset, confidence, iou)[:MAX_DET]
    return xyxy[kept], confidence[kept], class_id[kept]


def _providers(device: str) -> list[str]:
    available = ort.get_available_providers()
    wants_cuda = device == "auto" or device.startswith("cuda")
    if wants_cuda and "CUDAExecutionProvider" in available:
        return ["CUDAExecutionProvider", "CPUExecutionProvider"]
    if device.startswith("cuda"):
        log.warning("detector device %r requested but onnxruntime has no CUDA provider; using CPU", device)
    return ["CPUExecutionProvider"]


class OnnxDetector:
    """YOLOv8 exported to ONNX (``citylens export``), run by onnxruntime; imports no torch or ultralytics.

    Class names come from the ONNX metadata written by the ultralytics export. A dynamic-axes export runs a
    batch in one call at the smallest stride-aligned shape; a static batch-1 export runs frame by frame.

    Example:
        >>> det = OnnxDetector(DetectorConfig(model="yolov8n.onnx", backend="onnx"))  # doctest: +SKIP
        >>> det.detect([frame])[0].data["class_name"]                                  # doctest: +SKIP
    """

    backend = "onnx"
    sizes_per_call = True  # detect(frames, imgsz=...) runs at another input size (dynamic models)

    def __init__(self, cfg: DetectorConfig, model_dir: str | None = None) -> None:
        self.cfg = cfg
        name = cfg.model if cfg.model.endswith(".onnx") else str(Path(cfg.model).with_suffix(".onnx"))
        path = resolve_model(name, model_dir)
        if not Path(path).is_file():
            raise ModelLoadError(
                f"ONNX model {name!r} not found (looked as a path, in model_dir and $CITYLENS_MODEL_DIR); "
                f"create it with `citylens export --model {Path(name).with_suffix('.pt').name}`"
            )
        try:
            opts = ort.SessionOptions()
            if cfg.threads:
                opts.intra_op_num_threads = cfg.threads
            # one graph node at a time, no inter-op pool: parallelism is the intra-op threads' (or, in-process
            # on a camera, the other cameras')
            opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            opts.inter_op_num_threads = 1
            # Spinning worker threads win on an idle benchmark box but starve the camera and tracker threads that
            # share an edge box's few cores (measured: 121 → 70 ms a frame under load; docs/benchmarks.md).
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
            self._session = ort.InferenceSession(path, opts, providers=_providers(cfg.device))
        except Exception as e:
            raise ModelLoadError(f"onnxruntime cannot load {path}: {e}") from e
        meta = self._session.get_modelmeta().custom_metadata_map
        if "names" not in meta:
            raise ModelLoadError(f"{path} has no 'names' metadata; export it with `citylens export` (ultralytics)")
        self.names: dict[int, str] = {int(k): str(v) for k, v in ast.literal_eval(meta["names"]).items()}
        self.model_name = Path(path).name
        self.device = "cuda" if "CUDAExecutionProvider" in self._session.get_providers() else "cpu"
        self._classes = class_ids_for(self.names, cfg.classes)
        inp = self._session.get_inputs()[0]
        self._input_name = inp.name
        self._dtype = np.float16 if inp.type == "tensor(float16)" else np.float32
        self._dynamic = not all(isinstance(d, int) for d in inp.shape[2:])
        self._batch_dynamic = not isinstance(inp.shape[0], int)
        self._fixed_hw = None if self._dynamic else (int(inp.shape[2]), int(inp.shape[3]))

    def detect(self, frames: list[Frame], imgsz: int | None = None) -> list[Detections]:
        """One ``Detections`` per frame, in order; frames of one input shape share a batch (up to ``max_batch``).

        ``imgsz``: this call's input size instead of ``cfg.imgsz`` (dynamic models; a camera's window around its
        lines and zones at the whole frame's scale, ``pipeline.region.detect_window``).

        Grouping by shape keeps each frame's letterbox its own: a 16:9 frame batched with a 4:3 one would
        otherwise be padded to the 4:3 shape, and a camera's low-score detections (which extend tracks) would
        depend on which other cameras' frames shared its call.
        """
        step = self.cfg.max_batch if self._batch_dynamic else 1
        imgsz = imgsz or self.cfg.imgsz
        by_shape: dict[tuple[int, int], list[int]] = {}
        for i, f in enumerate(frames):
            by_shape.setdefault(self._fixed_hw or min_shape(f.shape, imgsz), []).append(i)
        out: list[Detections | None] = [None] * len(frames)
        for idx in by_shape.values():
            for start in range(0, len(idx), step):
                chunk = idx[start : start + step]
                for i, d in zip(chunk, self._detect_batch([frames[i] for i in chunk], imgsz)):
                    out[i] = d
        return out  # type: ignore[return-value]

    def _detect_batch(self, frames: list[Frame], imgsz: int) -> list[Detections]:
        if not frames:
            return []
        if self._fixed_hw is not None:
            shape = self._fixed_hw
        else:
            shapes = [min_shape(f.shape, imgsz) for f in frames]
            shape = (max(s[0] for s in shapes), max(s[1] for s in shapes))
        boxed = [letterbox(f.image, shape) for f in frames]
        # BGR HWC uint8 → RGB CHW float in 0..1, as the model was trained.
        blob = np.stack([b[0] for b in boxed])[..., ::-1].transpose(0, 3, 1, 2)
        blob = np.ascontiguousarray(blob, dtype=self._dtype) / self._dtype(255.0)
        (pred,) = self._session.run(None, {self._input_name: blob})
        results = []
        for frame, (_, r, (left, top)), p in zip(frames, boxed, pred.astype(np.float32)):
            xyxy, conf, cls = decode(p, conf=self.cfg.conf, iou=self.cfg.iou, classes=self._classes,
                                       agnostic=self.cfg.agnostic_nms)
            xyxy = (xyxy - np.array([left, top, left, top], np.float32)) / r
            h, w = frame.shape
            xyxy[:, [0, 2]] = xyxy[:, [0, 2]].clip(0, w)
            xyxy[:, [1, 3]] = xyxy[:, [1, 3]].clip(0, h)
            results.append(from_arrays(xyxy, conf, cls, self.names))
        return results
