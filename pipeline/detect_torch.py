"""The box detector's device path: batch across cameras, pre/post-process on the device, fp16 on CUDA.

Stock ``ultralytics`` ``predict`` letterboxes and normalises each frame with NumPy/OpenCV on the CPU and runs
NMS per image, which caps a GPU at a few hundred 1080p frames/s. Here the CPU only stacks uint8 frames:

1. frames of one size are stacked into one uint8 ``(B, H, W, 3)`` tensor, copied through pinned memory to
   the device (a quarter of the bytes of a float tensor);
2. on the device: BGR→RGB, HWC→CHW, ``/255``, resize (bilinear) and pad with ultralytics' grey 114 to the
   smallest stride-aligned shape (the same letterbox as ``OnnxDetector``), in fp16 on CUDA;
3. the YOLO network's forward (``torch.compile`` optional);
4. confidence filter and class-aware NMS on the device (``torchvision.ops.batched_nms``), boxes mapped
   back to frame pixels; only the kept rows are copied back to the host.

The same code runs on CPU (fp32), which is how it is tested here against ``UltralyticsDetector``.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np

from pipeline.adapters import class_ids_for, from_arrays
from pipeline.config import DetectorConfig
from pipeline.exceptions import ModelLoadError
from pipeline.models import resolve_model
from pipeline.types import Detections, Frame

log = logging.getLogger(__name__)

STRIDE = 32
PAD_VALUE = 114 / 255.0
MAX_NMS = 30_000
MAX_DET = 300


def letterbox_geometry(h0: int, w0: int, imgsz: int) -> tuple[float, tuple[int, int], tuple[int, int], tuple[int, int]]:
    """Scale, resized (h, w), padded (h, w) and (top, left) padding for one frame size, as ``OnnxDetector``."""
    r = imgsz / max(h0, w0)
    new_h, new_w = round(h0 * r), round(w0 * r)
    ph, pw = (int(math.ceil(s / STRIDE) * STRIDE) for s in (new_h, new_w))
    dh, dw = (ph - new_h) / 2, (pw - new_w) / 2
    return r, (new_h, new_w), (ph, pw), (round(dh - 0.1), round(dw - 0.1))


class TorchDetector:
    """YOLOv8 weights run by torch with device-side pre/post-processing; CUDA (fp16) when present, else CPU.

    Args:
        cfg: model, device ('auto', 'cpu', 'cuda', 'cuda:N'), imgsz, conf, iou, classes, max_batch, threads.
        model_dir: where model names resolve before ``$CITYLENS_MODEL_DIR``.
        compile_model: wrap the network in ``torch.compile`` (CUDA only; the first batches of each shape are slow).

    Example:
        >>> det = TorchDetector(DetectorConfig(model="yolov8n.pt", backend="torch"))  # doctest: +SKIP
        >>> dets = det.detect(frames_from_many_cameras)                                # doctest: +SKIP
    """

    backend = "torch"

    def __init__(self, cfg: DetectorConfig, model_dir: str | None = None, *, compile_model: bool = False) -> None:
        import torch
        from ultralytics import YOLO

        from pipeline.detect import _torch_device

        self.cfg = cfg
        self._torch = torch
        path = resolve_model(cfg.model, model_dir)
        try:
            yolo = YOLO(path, task="detect")
        except Exception as e:
            raise ModelLoadError(f"cannot load detector weights {path!r}: {e}") from e
        self.device = _torch_device(cfg.device)
        if cfg.threads:
            torch.set_num_threads(cfg.threads)
        self._dev = torch.device(self.device)
        self._cuda = self._dev.type == "cuda"
        self._dtype = torch.float16 if self._cuda else torch.float32
        net = yolo.model.fuse() if hasattr(yolo.model, "fuse") else yolo.model
        net = net.to(self._dev).eval()
        if self._cuda:
            net = net.half()
            torch.backends.cudnn.benchmark = True
        for p in net.parameters():
            p.requires_grad_(False)
        self._net = torch.compile(net, mode="max-autotune-no-cudagraphs") if compile_model and self._cuda else net
        self.names: dict[int, str] = {int(k): str(v) for k, v in yolo.names.items()}
        self.model_name = Path(path).name
        ids = class_ids_for(self.names, cfg.classes)
        self._classes = None if ids is None else torch.tensor(ids, device=self._dev)

    # ------------------------------------------------------------------------------------------------ API
    def detect(self, frames: list[Frame]) -> list[Detections]:
        """One ``Detections`` per frame, in order; frames of one size share a batch (up to ``max_batch``)."""
        out: list[Detections | None] = [None] * len(frames)
        by_shape: dict[tuple[int, int], list[int]] = {}
        for i, f in enumerate(frames):
            by_shape.setdefault(f.shape, []).append(i)
        for idx in by_shape.values():
            for s in range(0, len(idx), self.cfg.max_batch):
                chunk = idx[s : s + self.cfg.max_batch]
                for i, d in zip(chunk, self.detect_arrays(np.stack([frames[i].image for i in chunk]))):
                    out[i] = d
        return out  # type: ignore[return-value]

    def detect_arrays(self, images: np.ndarray) -> list[Detections]:
        """A uint8 ``(B, H, W, 3)`` BGR batch of one frame size → one ``Detections`` per image."""
        torch = self._torch
        with torch.inference_mode():
            x, r, (top, left) = self.preprocess(self.upload(images))
            pred = self._net(x)
            pred = pred[0] if isinstance(pred, (list, tuple)) else pred
            results = self.postprocess(pred.float(), r, (top, left), images.shape[1:3])
        return [from_arrays(b.cpu().numpy(), c.cpu().numpy(), k.cpu().numpy(), self.names) for b, c, k in results]

    # ------------------------------------------------------------------------------------------- stages
    def upload(self, images: np.ndarray):
        """uint8 frames → device tensor, through pinned memory on CUDA (asynchronous copy)."""
        t = self._torch.from_numpy(np.ascontiguousarray(images))
        if self._cuda:
            t = t.pin_memory().to(self._dev, non_blocking=True)
        return t

    def preprocess(self, batch):
        """uint8 ``(B, H, W, 3)`` BGR on the device → letterboxed ``(B, 3, h, w)`` RGB in 0..1, scale, padding."""
        F = self._torch.nn.functional
        h0, w0 = int(batch.shape[1]), int(batch.shape[2])
        r, (nh, nw), (ph, pw), (top, left) = letterbox_geometry(h0, w0, self.cfg.imgsz)
        x = batch.flip(-1).permute(0, 3, 1, 2).to(self._dtype).div_(255.0)
        if (nh, nw) != (h0, w0):
            x = F.interpolate(x, size=(nh, nw), mode="bilinear", align_corners=False, antialias=False)
        x = F.pad(x, (left, pw - nw - left, top, ph - nh - top), value=PAD_VALUE)
        return x.contiguous(), r, (top, left)

    def postprocess(self, pred, r: float, pad: tuple[int, int], hw: tuple[int, int]):
        """Head output ``(B, 4 + nc, anchors)`` → per image (xyxy, conf, cls) tensors on the device, after NMS."""
        from torchvision.ops import batched_nms

        torch = self._torch
        top, left = pad
        h, w = hw
        out = []
        p = pred.transpose(1, 2)  # (B, anchors, 4 + nc)
        for img in p:
            conf, cls = img[:, 4:].max(1)
            keep = conf > self.cfg.conf
            if self._classes is not None:
                keep &= torch.isin(cls, self._classes)
            img, conf, cls = img[keep], conf[keep], cls[keep]
            if img.shape[0] > MAX_NMS:
                top_k = conf.topk(MAX_NMS).indices
                img, conf, cls = img[top_k], conf[top_k], cls[top_k]
            cx, cy, bw, bh = img[:, 0], img[:, 1], img[:, 2], img[:, 3]
            xyxy = torch.stack([cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], 1)
            groups = torch.zeros_like(cls) if self.cfg.agnostic_nms else cls
            kept = batched_nms(xyxy, conf, groups, self.cfg.iou)[:MAX_DET]
            xyxy = (xyxy[kept] - xyxy.new_tensor([left, top, left, top])) / r
            xyxy[:, [0, 2]] = xyxy[:, [0, 2]].clamp(0, w)
            xyxy[:, [1, 3]] = xyxy[:, [1, 3]].clamp(0, h)
            out.append((xyxy, conf[kept], cls[kept]))
        return out
