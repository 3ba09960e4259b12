"""Region detection: run the detector on the part of the frame the camera's rules look at, not the whole frame.

The detector shrinks every frame to its input size (640 on the long side): on a 1080p camera whose counting
line covers a sixth of the picture, a car 60 px long reaches the model as 20 px. Frigate detects on regions
around motion at the model's native size for this reason. Here the region is fixed by the camera's
configuration: the bounding box of its lines and zones, widened by ``motion.region_margin`` (the band in which
objects are tracked before they reach a line, as the motion gate uses it). When that box is small enough that
the detector sees it at least ``MIN_GAIN`` times larger than in the whole frame, the camera detects on the crop
and maps the boxes back to frame pixels; the tracker, rules and evidence never see the crop.

The crop is seen at most at native resolution, except a *small* region (a wide low-resolution view whose
counted road is a few hundred pixels): one that fits in ``imgsz / MIN_UPSCALE`` (320) px is detected on a crop
enlarged up to ``CameraConfig.region_upscale`` (default 3x), so 8-15 px vehicles reach the model 2-3x larger,
in a 352x240 camera too (docs/tuning.md, "Small regions enlarged", "Tiny vehicles on a low-resolution camera"). Larger regions are never enlarged: on the plain dev street a 1.5x
crop cost a crossing and added a phantom.

A camera is detected whole when it has no line or zone, has a rule that looks at the whole frame (no zone
and no line), or turns it off (``CameraConfig.region_detect``). Objects outside the region are not detected
at all, which is the point: no rule looks there.
"""

from __future__ import annotations

import copy

import numpy as np

from pipeline.config import CameraConfig
from pipeline.types import Detections, Frame

MIN_GAIN = 1.5  # crop only when the detector sees the region at least this much larger than in the whole frame
MIN_UPSCALE = 2.0  # a small region fits in imgsz / MIN_UPSCALE px; only its crop is enlarged (camera.region_upscale)


def detect_region(camera: CameraConfig, frame_size: tuple[int, int], imgsz: int) -> tuple[int, int, int, int] | None:
    """The crop ``(x0, y0, x1, y1)`` in pixels the detector should run on for frames of ``frame_size``
    ``(w, h)`` and a detector of input size ``imgsz``; None = the whole frame.

    The crop has the frame's shape (so the detector's letterbox, and its cost, are the same as for the whole
    frame) and is the smallest such window holding the camera's zones and line ends widened by
    ``motion.region_margin`` of the frame's long side, centred on them and moved inside the frame. Its long
    side is at least ``imgsz`` (seen at native resolution at most) or, for a small region (one that fits in
    ``imgsz / MIN_UPSCALE`` px), at least ``imgsz / camera.region_upscale`` (the letterbox enlarges it up to
    that much). It is used when the detector then sees its pixels at least ``MIN_GAIN`` times larger than in
    the whole frame: a large frame (over 960 px on the long side for ``imgsz`` 640) whose rules look at a part
    of it, or a small region in a frame of more than ``1.5 * imgsz / region_upscale`` px (320 at the default 3x).
    """
    bounds = _rule_bounds(camera, frame_size)
    if bounds is None:
        return None
    w, h = frame_size
    lo, hi = bounds
    need = max((hi[0] - lo[0]) / w, (hi[1] - lo[1]) / h)  # share of the frame the region needs
    s = max(need, imgsz / max(w, h))  # native resolution at most
    if s * MIN_GAIN > 1.0 and need * max(w, h) * MIN_UPSCALE <= imgsz:  # a small region: enlarged
        s = max(need, imgsz / camera.region_upscale / max(w, h))
    if s * MIN_GAIN > 1.0:
        return None
    return _window(frame_size, lo, hi, s)


def detect_window(camera: CameraConfig, frame_size: tuple[int, int], imgsz: int,
                  scaled: bool = True) -> tuple[tuple[int, int, int, int] | None, int]:
    """Where and at which input size the detector runs for this camera: ``(crop or None, input size)``.

    First ``detect_region``'s magnifying crop (large frames, at ``imgsz``). Otherwise, with ``scaled``, a
    window around the zones and lines at the **whole frame's scale**: a window of the frame's shape holding
    them widened by ``WINDOW_MARGIN`` of the long side (or ``motion.region_margin`` if larger; with the gate's
    0.1, tracks started too close to the line on dev clips and crossings were lost), a share ``s`` of the
    frame, run at the input size ``s * imgsz`` rounded up to the model's stride (32), so every object reaches
    the model at the same size (or up to 31 px larger) as in whole-frame detection, and the model computes on
    ``s**2`` of the pixels. A camera whose lines and zones fill most of the frame keeps the whole frame (no
    input size below ``imgsz`` would hold them). Objects outside the window are not detected, as with the
    crop: no rule looks there. ``scaled`` False (a detector of one input size): only the crop.
    """
    crop = detect_region(camera, frame_size, imgsz)
    bounds = _rule_bounds(camera, frame_size, max(camera.motion.region_margin, WINDOW_MARGIN))
    if crop is not None or not scaled or bounds is None:
        return crop, imgsz
    w, h = frame_size
    lo, hi = bounds
    s = max((hi[0] - lo[0]) / w, (hi[1] - lo[1]) / h)
    size = int(np.ceil(s * imgsz / STRIDE) * STRIDE)
    if size >= imgsz:
        return None, imgsz
    return _window(frame_size, lo, hi, size / imgsz), size


STRIDE = 32  # input sizes are multiples of the model's largest stride
WINDOW_MARGIN = 0.15  # the scaled window's least widening (of the long side): room for tracks to start before a line


def _rule_bounds(camera: CameraConfig, frame_size: tuple[int, int],
                 margin: float | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """Pixel bounds (lo, hi) of the camera's zones and line ends widened by ``motion.region_margin``; None
    when the camera is detected whole (no line or zone, a whole-frame rule, or ``region_detect`` off)."""
    if not camera.region_detect or not (camera.lines or camera.zones):
        return None
    if any(getattr(r, "zone", None) is None and getattr(r, "line", None) is None for r in camera.rules):
        return None  # a rule looks at the whole frame
    w, h = frame_size
    pts = [p for z in camera.zones for p in z.polygon] + [p for ln in camera.lines for p in (ln.start, ln.end)]
    xy = np.asarray(pts, np.float64) * (w, h)
    grow = (camera.motion.region_margin if margin is None else margin) * max(w, h)
    return np.maximum(xy.min(axis=0) - grow, 0.0), np.minimum(xy.max(axis=0) + grow, (w, h))


def _window(frame_size: tuple[int, int], lo: np.ndarray, hi: np.ndarray, s: float) -> tuple[int, int, int, int]:
    """A window of the frame's shape, ``s`` of it, centred on (lo, hi) and moved inside the frame."""
    w, h = frame_size
    size = np.array([w, h], np.float64) * s
    start = np.clip((lo + hi) / 2 - size / 2, 0.0, np.array([w, h]) - size)
    x0, y0 = (int(v) for v in np.floor(start))
    x1, y1 = (int(v) for v in np.minimum(np.ceil(start + size), (w, h)))
    return x0, y0, x1, y1


def crop_frame(frame: Frame, box: tuple[int, int, int, int]) -> Frame:
    """The part of ``frame`` inside ``box``, copied into one contiguous array (the detector's letterbox reads it)."""
    x0, y0, x1, y1 = box
    return Frame(frame.camera_id, frame.frame_id, frame.ts, np.ascontiguousarray(frame.image[y0:y1, x0:x1]))


def uncrop_detections(det: Detections, box: tuple[int, int, int, int]) -> Detections:
    """Detections of a ``crop_frame`` copy in the whole frame's pixels."""
    if len(det) == 0 or box[:2] == (0, 0):
        return det
    out = copy.copy(det)
    out.xyxy = (det.xyxy + np.array([box[0], box[1], box[0], box[1]], np.float32)).astype(np.float32)
    return out
