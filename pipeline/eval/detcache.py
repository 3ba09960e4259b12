"""Decode a clip once and cache the detector's output per frame, so tracking/rules can be replayed cheaply.

Detection of a frame does not depend on which other frames are analysed, so replaying cached detections at
a lower frame rate is exactly what the pipeline computes at that rate. The cache holds every frame's boxes
down to a low confidence (``floor_conf``); a replay filters them at the configured ``detector.conf``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from pipeline.adapters import from_arrays
from pipeline.config import CameraConfig, DetectorConfig
from pipeline.contrast import ContrastBoost
from pipeline.region import crop_frame, detect_window, uncrop_detections
from pipeline.types import Detections, Frame

CACHE_ENV = "CITYLENS_EVAL_CACHE"


@dataclass
class ClipDetections:
    """Every decoded frame's timestamp and detections (pixels, at the clip's own resolution)."""

    ts: np.ndarray  # (n,) seconds from the first frame (container pts; nominal step where pts are missing)
    frame_size: tuple[int, int]
    boxes: list[np.ndarray]  # per frame (k, 6): x1 y1 x2 y2 conf class_id
    names: dict[int, str]

    def detections(self, i: int, conf: float, conf_per_class: dict[str, float] | None = None) -> Detections:
        b = self.boxes[i]
        keep = b[:, 4] >= conf
        if conf_per_class:
            thr = np.array([conf_per_class.get(self.names[int(c)], conf) for c in b[:, 5]])
            keep = b[:, 4] >= thr
        b = b[keep]
        return from_arrays(b[:, :4], b[:, 4], b[:, 5].astype(int), self.names)


def frame_times(path: str | os.PathLike) -> tuple[list[float], tuple[int, int]]:
    """Timestamps (s, from 0) of every decodable frame, as the camera source computes them."""
    cap = cv2.VideoCapture(str(path))
    fps = cap.get(cv2.CAP_PROP_FPS)
    step = 1.0 / fps if fps and 0 < fps < 1000 else 0.04
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    ts: list[float] = []
    pts0, last = None, -step
    while cap.grab():
        pts = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
        pts0 = pts if pts0 is None else pts0
        rel = pts - pts0
        if rel <= last:
            rel = last + step
        ts.append(rel)
        last = rel
    cap.release()
    return ts, size


def degrade(image: np.ndarray, scale: float = 1.0, jpeg: int | None = None, haze: float = 0.0,
            dark: float = 0.0, blur: float = 0.0, noise: float = 0.0, canvas: float = 1.0,
            seed: int = 0) -> np.ndarray:
    """A worse camera's view of ``image``: shrunk by ``scale`` (area resampling), blended ``haze`` of the way
    to a bright grey (190), darkened (``dark`` of the light taken away, as an under-lit doorway or a night
    scene: every pixel times ``1 - dark``, rounded back to 8 bits), blurred (Gaussian, sigma ``blur`` pixels:
    fog, a dirty or defocused lens), given sensor noise (Gaussian, ``noise`` grey levels; drawn from ``seed``,
    the frame's index, so it changes from frame to frame as a sensor's does), placed at the centre of a
    neutral grey canvas ``canvas`` times its size (a wide view: the same scene, a smaller part of the frame;
    ``canvas_point`` maps the lines), and re-encoded as JPEG at quality ``jpeg``.
    The evaluations' ``--degrade`` runs the detector on such copies of hand-counted clips (the crossings and
    events are the same) to measure low-resolution, low-contrast, dark and wide cameras with truth that
    already exists."""
    out = image
    if scale != 1.0:
        h, w = image.shape[:2]
        out = cv2.resize(out, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    if haze > 0:
        out = cv2.addWeighted(out, 1.0 - haze, np.full_like(out, 190), haze, 0)
    if dark > 0:
        out = cv2.convertScaleAbs(out, alpha=1.0 - dark)
    if blur > 0:
        out = cv2.GaussianBlur(out, (0, 0), blur)
    if noise > 0:
        grain = np.random.default_rng(seed).normal(0.0, noise, out.shape)
        out = np.clip(out.astype(np.float32) + grain, 0, 255).astype(np.uint8)
    if canvas > 1.0:
        h, w = out.shape[:2]
        big = np.full((round(h * canvas), round(w * canvas), 3), 114, np.uint8)
        y0, x0 = (big.shape[0] - h) // 2, (big.shape[1] - w) // 2
        big[y0:y0 + h, x0:x0 + w] = out
        out = big
    if jpeg is not None:
        ok, enc = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(jpeg)])
        out = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    return out


def canvas_point(pt: tuple[float, float], canvas: float) -> tuple[float, float]:
    """A normalised point of the clip in a ``degrade(canvas=...)`` copy (the clip sits at the canvas's centre)."""
    return (0.5 + (pt[0] - 0.5) / canvas, 0.5 + (pt[1] - 0.5) / canvas)


def _frame_size(path: Path, worse: dict | None) -> tuple[int, int]:
    """(w, h) of the clip's frames as the detector gets them (after ``degrade``)."""
    cap = cv2.VideoCapture(str(path))
    ok, img = cap.read()
    cap.release()
    if not ok:
        raise ValueError(f"{path}: no frame could be decoded")
    img = degrade(img, **worse) if worse else img
    return img.shape[1], img.shape[0]


def _extra(cfg: DetectorConfig) -> str:
    return "" if cfg.slices is None and not cfg.class_map else f"|{cfg.slice_overlap}|{sorted(cfg.class_map.items())}"


def _key(path: Path, cfg: DetectorConfig, floor_conf: float, worse: dict | None = None,
         crop: tuple[int, int, int, int] | None = None, stretched: str = "") -> str:
    st = path.stat()
    extra = (f"|{sorted(worse.items())}" if worse else "") + (f"|crop{list(crop)}" if crop else "") + stretched
    h = hashlib.sha1(f"{path.name}|{st.st_size}|{cfg.model}|{cfg.imgsz}|{floor_conf}|{cfg.iou}|{cfg.agnostic_nms}|"
                     f"{cfg.classes}|{cfg.slices}{_extra(cfg)}{extra}".encode()).hexdigest()[:12]
    return f"{path.stem}-{h}.npz"


def contrast_plan(path: Path, ts: list[float], camera: CameraConfig | None, worse: dict | None,
                  crop: tuple[int, int, int, int] | None) -> tuple[list[np.ndarray | None], str]:
    """The camera's ``contrast_boost`` decisions over the clip, as ``CameraPipeline.detect`` takes them on
    every frame in order: per frame the lookup table its detector input is stretched with (None = as it is),
    and the cache key's part for them ("" when no frame is stretched, so the detections are those of
    ``contrast_boost: off`` and share their cache). Only the frames it measures (one every ``EVERY_S`` of
    frame time) are decoded."""
    mode = camera.contrast_boost if camera is not None else "off"
    plan: list[np.ndarray | None] = [None] * len(ts)
    if mode == "off":
        return plan, ""
    boost = ContrastBoost(mode)
    cap = cv2.VideoCapture(str(path))
    n = 0
    while n < len(ts) and cap.grab():
        if boost.due(float(ts[n])):
            ok, img = cap.retrieve()
            if not ok:
                break
            img = degrade(img, **worse, seed=n) if worse else img
            img = img[crop[1]:crop[3], crop[0]:crop[2]] if crop else img
        boost.measure(img, float(ts[n]))  # not due: keeps the last decision without looking at the picture
        plan[n] = boost.table
        n += 1
    cap.release()
    switches = [i for i in range(len(plan)) if (plan[i] is None) != (i == 0 or plan[i - 1] is None)]
    if all(t is None for t in plan):
        return plan, ""
    tables = hashlib.sha1(b"".join(t.tobytes() for t in plan if t is not None)).hexdigest()[:8]
    return plan, f"|contrast-{mode}{switches[:64]}{tables}"


def _load(file: Path) -> ClipDetections:
    z = np.load(file, allow_pickle=False)
    offs = z["offsets"]
    flat = z["boxes"]
    boxes = [flat[offs[i]:offs[i + 1]] for i in range(len(z["ts"]))]
    names = {int(k): str(v) for k, v in zip(z["name_ids"], z["name_strs"])}
    return ClipDetections(z["ts"], (int(z["size"][0]), int(z["size"][1])), boxes, names)


def detect_clip(path: str | os.PathLike, cfg: DetectorConfig, *, floor_conf: float = 0.05,
                cache_dir: str | os.PathLike | None = None, model_dir: str | None = None,
                max_frames: int | None = None, only: set[int] | None = None,
                worse: dict | None = None, camera: CameraConfig | None = None, scaled: bool = False) -> ClipDetections:
    """Run the pipeline's detector on every frame of ``path`` (cached on disk by clip and detector settings).

    ``only``: detect just these frame indices (the others get no boxes and nothing is cached); tests use it to
    detect only the frames the replayed frame rates keep. ``worse``: ``degrade`` arguments; the detector sees
    the degraded frames and boxes and frame size are the degraded copy's. ``camera``: detect what this camera
    hands its detector (the crop around its lines and zones when it has one, ``pipeline.region``), boxes
    mapped back to the whole frame, as ``CameraPipeline.detect`` does; with ``scaled``, as a camera whose
    detector runs in its process does: the window around its lines and zones at the whole frame's scale on a
    smaller input (``pipeline.region.detect_window``).
    """
    from pipeline.detect_camera import CameraDetector

    path = Path(path)
    cache = Path(cache_dir or os.environ.get(CACHE_ENV) or ".citylens/eval-cache")
    cache.mkdir(parents=True, exist_ok=True)
    crop = None
    if camera is not None:
        crop, size = detect_window(camera, _frame_size(path, worse), cfg.imgsz, scaled=scaled)
        cfg = cfg.model_copy(update={"imgsz": size})
    ts = None
    plan, stretched = None, ""
    if camera is not None and camera.contrast_boost != "off":  # which frames' detector input is stretched
        ts, size = frame_times(path)
        plan, stretched = contrast_plan(path, ts[:max_frames] if max_frames is not None else ts, camera, worse, crop)
    file = cache / _key(path, cfg, floor_conf, worse, crop, stretched)
    part = file.with_name(file.stem + f"-first{max_frames}.npz") if max_frames is not None else None
    for f in (file, part):
        if only is None and f is not None and f.exists():
            out = _load(f)
            if max_frames is None or max_frames >= len(out.ts):
                return out
            return ClipDetections(out.ts[:max_frames], out.frame_size, out.boxes[:max_frames], out.names)
    if ts is None:
        ts, size = frame_times(path)
    if max_frames is not None and max_frames < len(ts):
        ts = ts[:max_frames]
        file = part
    plan = plan or [None] * len(ts)
    # Per-class scores are applied at replay (ClipDetections.detections); the cache keeps every box >= floor.
    det = CameraDetector(cfg.model_copy(update={"conf": floor_conf, "conf_per_class": {}}), model_dir)
    cap = cv2.VideoCapture(str(path))
    found: dict[int, np.ndarray] = {}
    batch: list[Frame] = []

    def flush() -> None:
        for f, d in zip(batch, det.detect(batch)):
            d = uncrop_detections(d, crop) if crop else d
            found[f.frame_id] = (np.zeros((0, 6), np.float32) if len(d) == 0 else
                                 np.column_stack([d.xyxy, d.confidence, d.class_id]).astype(np.float32))
        batch.clear()

    n = 0
    while n < len(ts) and cap.grab():
        if only is None or n in only:
            ok, img = cap.retrieve()
            if not ok:
                break
            if worse:
                img = degrade(img, **worse, seed=n)
                size = (img.shape[1], img.shape[0])
            frame = Frame(camera_id="eval", frame_id=n, ts=float(ts[n]), image=img)
            frame = crop_frame(frame, crop) if crop else frame
            if plan[n] is not None:  # what CameraPipeline.detect hands the detector (camera.contrast_boost)
                frame = Frame(frame.camera_id, frame.frame_id, frame.ts, cv2.LUT(frame.image, plan[n]))
            batch.append(frame)
            if len(batch) == 8:
                flush()
        n += 1
    if batch:
        flush()
    cap.release()
    ts = ts[:n]
    boxes = [found.get(i, np.zeros((0, 6), np.float32)) for i in range(n)]
    if only is None:
        offs = np.cumsum([0] + [len(b) for b in boxes])
        # Written under a temporary name and renamed, so several workers sharing one cache (CITYLENS_EVAL_CACHE)
        # never read a half-written file.
        tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            np.savez_compressed(
                fh, ts=np.asarray(ts), size=np.asarray(size), offsets=offs,
                boxes=np.concatenate(boxes) if boxes else np.zeros((0, 6), np.float32),
                name_ids=np.array(list(det.names)), name_strs=np.array(list(det.names.values())),
            )
        os.replace(tmp, file)
    return ClipDetections(np.asarray(ts), size, boxes, dict(det.names))
