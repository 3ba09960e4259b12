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
import os
from concurrent.futures import ThreadPoolExecutor
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
        # NHWC on CUDA: cuDNN's fp16 tensor-core convolutions run natively in channels-last (no transposes)
        self._memory_format = torch.channels_last if self._cuda else torch.contiguous_format
        net = net.to(memory_format=self._memory_format)
        self._net = torch.compile(net) if compile_model and self._cuda else net  # inductor's default mode
        self._slots: dict[tuple[int, int, int, int], tuple] = {}  # (slot, h, w, 3) → pinned host, device
        self._copy_stream = torch.cuda.Stream(self._dev) if self._cuda else None
        # host→pinned copies of 1080p frames are memory-bound: several threads reach several times one core's rate
        self._copier = ThreadPoolExecutor(max_workers=min(16, os.cpu_count() or 1), thread_name_prefix="stage") \
            if self._cuda else None
        self.names: dict[int, str] = {int(k): str(v) for k, v in yolo.names.items()}
        self.model_name = Path(path).name
        ids = class_ids_for(self.names, cfg.classes)
        self._classes = None if ids is None else torch.tensor(ids, device=self._dev)

    # ------------------------------------------------------------------------------------------------ API
    def detect(self, frames: list[Frame]) -> list[Detections]:
        """One ``Detections`` per frame, in order; frames of one size share a batch (up to ``max_batch``).

        On CUDA the chunks are pipelined: while the device runs chunk *k*, the host copies chunk *k + 1* into a
        pinned staging buffer and a side stream uploads it, so copies overlap compute (two buffers, reused).
        """
        if not frames:
            return []
        out: list[Detections | None] = [None] * len(frames)
        by_shape: dict[tuple[int, int], list[int]] = {}
        for i, f in enumerate(frames):
            by_shape.setdefault(f.shape, []).append(i)
        chunks = [idx[s : s + self.cfg.max_batch] for idx in by_shape.values()
                  for s in range(0, len(idx), self.cfg.max_batch)]
        if not self._cuda:
            for chunk in chunks:
                for i, d in zip(chunk, self.detect_arrays(np.stack([frames[i].image for i in chunk]))):
                    out[i] = d
            return out  # type: ignore[return-value]
        torch = self._torch
        compute = torch.cuda.current_stream(self._dev)
        with torch.inference_mode():
            staged = self._stage([frames[i].image for i in chunks[0]], 0)
            for k, chunk in enumerate(chunks):
                compute.wait_stream(self._copy_stream)
                pred, r, pad = self._forward(staged)
                hw = frames[chunk[0]].image.shape[:2]
                if k + 1 < len(chunks):  # host copy + upload of the next chunk overlap this chunk's forward
                    staged = self._stage([frames[i].image for i in chunks[k + 1]], (k + 1) % 2)
                for i, d in zip(chunk, self._to_host(self.postprocess(pred, r, pad, hw), len(chunk))):
                    out[i] = d
        return out  # type: ignore[return-value]

    def detect_arrays(self, images: np.ndarray) -> list[Detections]:
        """A uint8 ``(B, H, W, 3)`` BGR batch of one frame size → one ``Detections`` per image."""
        torch = self._torch
        with torch.inference_mode():
            pred, r, pad = self._forward(self.upload(images))
            return self._to_host(self.postprocess(pred, r, pad, images.shape[1:3]), len(images))

    # ------------------------------------------------------------------------------------------- stages
    def _forward(self, batch):
        x, r, pad = self.preprocess(batch)
        pred = self._net(x)
        pred = pred[0] if isinstance(pred, (list, tuple)) else pred
        return pred.float(), r, pad

    def _stage(self, images: list[np.ndarray], slot: int):
        """Copy one chunk's frames into pinned host buffer ``slot`` and upload it on the copy stream (CUDA only).

        The buffers (one pair per slot and frame size) are reused: slot ``s`` is written again two chunks later, after that chunk's NMS has
        synchronised the device, so its previous upload and preprocessing are finished.
        """
        torch = self._torch
        shape = (len(images), *images[0].shape)
        key = (slot, *shape[1:])
        host, dev = self._slots.get(key, (None, None))
        if host is None or host.shape[0] < shape[0]:
            host = torch.empty((max(shape[0], self.cfg.max_batch), *shape[1:]), dtype=torch.uint8, pin_memory=True)
            dev = torch.empty(host.shape, dtype=torch.uint8, device=self._dev)
            self._slots[key] = (host, dev)
            # a fresh block may be one the compute stream freed but has not finished with: order after it
            self._copy_stream.wait_stream(torch.cuda.current_stream(self._dev))
        view = host.numpy()  # the pinned buffer itself; NumPy's copy releases the GIL, so frames copy in parallel
        copied = [self._copier.submit(np.copyto, view[j], img) for j, img in enumerate(images)]
        with torch.cuda.stream(self._copy_stream):
            for j, done in enumerate(copied):  # each frame goes up as soon as it is in pinned memory
                done.result()
                dev[j].copy_(host[j], non_blocking=True)
        return dev[: shape[0]]

    def upload(self, images: np.ndarray):
        """uint8 frames → device tensor, through pinned memory on CUDA (asynchronous copy)."""
        t = self._torch.from_numpy(np.ascontiguousarray(images))
        if self._cuda:
            t = t.pin_memory().to(self._dev, non_blocking=True)
        return t

    def preprocess(self, batch):
        """uint8 ``(B, H, W, 3)`` BGR on the device → letterboxed ``(B, 3, h, w)`` RGB in 0..1, scale, padding."""
        torch = self._torch
        F = torch.nn.functional
        h0, w0 = int(batch.shape[1]), int(batch.shape[2])
        r, (nh, nw), (ph, pw), (top, left) = letterbox_geometry(h0, w0, self.cfg.imgsz)
        x = batch.permute(0, 3, 1, 2).to(self._dtype)  # resize first: BGR→RGB and /255 on the small tensor
        if (nh, nw) != (h0, w0):
            x = F.interpolate(x, size=(nh, nw), mode="bilinear", align_corners=False, antialias=False)
        x = x.flip(1).div_(255.0)
        x = F.pad(x, (left, pw - nw - left, top, ph - nh - top), value=PAD_VALUE)
        return x.contiguous(memory_format=self._memory_format), r, (top, left)

    def postprocess(self, pred, r: float, pad: tuple[int, int], hw: tuple[int, int]):
        """Head output ``(B, 4 + nc, anchors)`` → ``(N, 7)`` rows ``image, x1, y1, x2, y2, conf, cls`` after NMS.

        The whole batch goes through one class- and image-aware ``batched_nms`` (one kernel and one host sync per
        batch, not per image); at most ``MAX_DET`` rows per image, best first, as ultralytics keeps.
        """
        from torchvision.ops import batched_nms

        torch = self._torch
        top, left = pad
        h, w = hw
        p = pred.transpose(1, 2)  # (B, anchors, 4 + nc)
        nc = p.shape[2] - 4
        conf, cls = p[..., 4:].max(2)
        keep = conf > self.cfg.conf
        if self._classes is not None:
            keep &= torch.isin(cls, self._classes)
        if p.shape[1] > MAX_NMS:  # only at very large imgsz: the MAX_NMS best candidates of each image
            best = conf.masked_fill(~keep, -1.0).topk(MAX_NMS, dim=1).indices
            keep &= torch.zeros_like(keep).scatter_(1, best, True)
        b, a = keep.nonzero(as_tuple=True)
        box, conf, cls = p[b, a, :4], conf[b, a], cls[b, a]
        cx, cy, bw, bh = box.unbind(1)
        xyxy = torch.stack([cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], 1)
        groups = b if self.cfg.agnostic_nms else b * nc + cls
        kept = batched_nms(xyxy, conf, groups, self.cfg.iou)  # best first over the batch
        kept = kept[torch.sort(b[kept], stable=True).indices]  # grouped by image, best first inside each
        kb = b[kept]
        first = torch.searchsorted(kb, kb, right=False)
        kept = kept[torch.arange(kept.numel(), device=kept.device) - first < MAX_DET]
        xyxy = (xyxy[kept] - xyxy.new_tensor([left, top, left, top])) / r
        xyxy[:, [0, 2]] = xyxy[:, [0, 2]].clamp(0, w)
        xyxy[:, [1, 3]] = xyxy[:, [1, 3]].clamp(0, h)
        return torch.cat([b[kept, None].to(xyxy.dtype), xyxy, conf[kept, None], cls[kept, None].to(xyxy.dtype)], 1)

    def _to_host(self, rows, n: int) -> list[Detections]:
        """``(N, 7)`` device rows (sorted by image) → ``n`` ``Detections``; one device→host copy per batch."""
        a = rows.cpu().numpy()
        cuts = np.searchsorted(a[:, 0], np.arange(n + 1) - 0.5)
        return [from_arrays(a[s:e, 1:5], a[s:e, 5], a[s:e, 6].astype(int), self.names)
                for s, e in zip(cuts[:-1], cuts[1:])]
