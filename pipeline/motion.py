"""Motion gating before the detector: skip frames in which nothing moves where the camera's rules look.

Cheap differencing on a small grey copy of the frame against a running-average background (Frigate's
``ImprovedMotionDetector`` idea: ~100 px high, blurred, ``accumulateWeighted`` background, threshold,
dilate). A frame is *analysed* (detector + tracker) when motion touches

* the camera's **region**: its zones and lines, widened by ``region_margin`` (the whole frame when the
  camera has neither), so objects are tracked for a while before they reach a line or zone; or
* a **tracked object** (the boxes of the last analysed frame), so tracks keep being fed while they move;

and at least every ``recheck_s`` seconds anyway, so still scenes are re-checked at a slow cadence: a stopped
vehicle, an abandoned bag or a loiterer who stands still keeps being seen (its dwell clock keeps running
on the last tracks in between, see ``CameraPipeline.step_still``).

Pure: numpy/OpenCV only, no Ray, no model. ``MotionGate`` holds one camera's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import cv2
import numpy as np

from pipeline.config import CameraConfig, MotionConfig


class GateReason(Enum):
    """Why a frame was (or was not) sent to the detector."""

    WARMUP = "warmup"  # no background yet
    MOTION = "motion"  # motion touched the region or a tracked object
    SCENE_CHANGE = "scene_change"  # most of the frame changed (lights, camera moved): analyse, rebuild background
    RECHECK = "recheck"  # still scene, slow-cadence re-check
    STILL = "still"  # skipped


@dataclass(frozen=True)
class GateDecision:
    analyse: bool
    reason: GateReason
    motion_fraction: float  # of the region's small-frame pixels that moved


class MotionGate:
    """Decide per frame whether the detector must run; one per camera.

    Args:
        camera: the camera (its zones and lines make the region).
        cfg: motion settings (usually ``camera.motion``).
        frame_size: (width, height) of the camera's frames; a different size later rebuilds the gate.

    Example:
        >>> gate = MotionGate(cam, cam.motion, (640, 360))     # doctest: +SKIP
        >>> d = gate.decide(frame.image, frame.ts)              # doctest: +SKIP
        >>> if d.analyse: gate.observe(tracks.xyxy)             # doctest: +SKIP
    """

    def __init__(self, camera: CameraConfig, cfg: MotionConfig, frame_size: tuple[int, int]) -> None:
        self.cfg = cfg
        self.frame_size = frame_size
        w, h = frame_size
        self._scale = cfg.frame_height / h
        self._small = (max(8, round(w * self._scale)), cfg.frame_height)
        self._region = _region_mask(camera, self._small, cfg.region_margin)
        self._region_px = max(1, int(self._region.sum()))
        self._tracks = np.zeros((self._small[1], self._small[0]), bool)
        self._bg: np.ndarray | None = None
        self._last_analysed: float | None = None
        self._kernel = np.ones((3, 3), np.uint8)
        self.frames = 0
        self.analysed = 0

    def decide(self, image: np.ndarray, ts: float) -> GateDecision:
        """Update the background with this frame and say whether to analyse it."""
        self.frames += 1
        moving = self._motion(image)
        if moving is None:
            return self._take(ts, GateReason.WARMUP, 1.0)
        frac = float((moving & self._region).sum()) / self._region_px
        if moving.mean() > self.cfg.scene_change_fraction:
            self._bg = None  # lights switched or the camera moved: relearn rather than see motion everywhere
            return self._take(ts, GateReason.SCENE_CHANGE, frac)
        if (moving & (self._region | self._tracks)).sum() >= self.cfg.min_pixels:
            return self._take(ts, GateReason.MOTION, frac)
        if self._last_analysed is None or ts - self._last_analysed >= self.cfg.recheck_s:
            return self._take(ts, GateReason.RECHECK, frac)
        return GateDecision(False, GateReason.STILL, frac)

    def observe(self, xyxy: np.ndarray) -> None:
        """Boxes (original pixels) of the objects tracked on the last analysed frame: motion on them counts."""
        self._tracks[:] = False
        if len(xyxy) == 0:
            return
        pad = 2  # small-frame pixels: a box that starts to move shows motion just outside its old edge
        sw, sh = self._small
        for x1, y1, x2, y2 in np.asarray(xyxy, dtype=np.float64) * self._scale:
            a, b = max(0, int(x1) - pad), max(0, int(y1) - pad)
            c, d = min(sw, int(np.ceil(x2)) + pad), min(sh, int(np.ceil(y2)) + pad)
            if c > a and d > b:
                self._tracks[b:d, a:c] = True

    @property
    def skipped(self) -> int:
        return self.frames - self.analysed

    # -------------------------------------------------------------------------------------------------
    def _take(self, ts: float, reason: GateReason, frac: float) -> GateDecision:
        self.analysed += 1
        self._last_analysed = ts
        return GateDecision(True, reason, frac)

    def _motion(self, image: np.ndarray) -> np.ndarray | None:
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
        small = cv2.resize(grey, self._small, interpolation=cv2.INTER_AREA)
        small = cv2.GaussianBlur(small, (3, 3), 0).astype(np.float32)
        if self._bg is None:
            self._bg = small
            return None
        diff = cv2.absdiff(small, self._bg)
        cv2.accumulateWeighted(small, self._bg, self.cfg.background_alpha)
        moving = (diff > self.cfg.threshold).astype(np.uint8)
        moving = cv2.dilate(moving, self._kernel, iterations=1)
        return moving.astype(bool)


def _region_mask(camera: CameraConfig, small: tuple[int, int], margin: float) -> np.ndarray:
    """Small-frame mask of the camera's zones and lines, widened by ``margin`` (normalised); all True if none."""
    sw, sh = small
    if not camera.zones and not camera.lines:
        return np.ones((sh, sw), bool)
    mask = np.zeros((sh, sw), np.uint8)
    scale = np.array([sw, sh], np.float64)
    for z in camera.zones:
        cv2.fillPoly(mask, [np.round(np.asarray(z.polygon) * scale).astype(np.int32)], 1)
    for ln in camera.lines:
        p, q = (np.round(np.asarray(pt) * scale).astype(int) for pt in (ln.start, ln.end))
        cv2.line(mask, tuple(int(v) for v in p), tuple(int(v) for v in q), 1, thickness=1)
    grow = int(round(margin * max(sw, sh)))
    if grow > 0:
        mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1)))
    return mask.astype(bool)
