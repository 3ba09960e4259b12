"""Motion gating before the detector: skip frames in which nothing moves where the camera's rules look.

Cheap differencing on a small grey copy of the frame against a running-average background (Frigate's
``ImprovedMotionDetector`` idea: ~100 px high, blurred, ``accumulateWeighted`` background, threshold,
dilate). A frame is *analysed* (detector + tracker) when motion touches

* the camera's **region**: its zones and lines, widened by ``region_margin`` (the whole frame when the
  camera has neither), so objects are tracked for a while before they reach a line or zone; or
* a **tracked object** (the boxes of the last analysed frame), so tracks keep being fed while they move;

except motion that stays inside the box of a *stationary* track (Frigate's stationary objects): one whose box
overlaps, with IoU >= ``stationary_iou``, where it stood when it last moved (its *anchor*, kept until the box
leaves it, so a slow creep adds up and is seen). A reader turning pages at a table, a person standing and
talking, a car idling at a kerb move inside their boxes only: such frames fall to the ``recheck_s`` cadence
(their clocks run on the last tracks in between). Motion outside every stationary box (padded like the track
boxes), a new object walking in, a stationary object leaving its box, motion in the box of a moving track
(where it overlaps a stationary one too: a car passing parked cars), or any motion in the band around a line
(a parked car that pulls out across it), is analysed as before; so is all of it while a stationary box *wakes*
(``MotionGate._waking``): motion covers half of it (a vehicle pulling away from a queue, its box still on its
anchor), or runs on across its edge (something untracked moving into it).


and at least every ``recheck_s`` seconds anyway, so still scenes are re-checked at a slow cadence: a stopped
vehicle, an abandoned bag or a loiterer who stands still keeps being seen (its dwell clock keeps running
on the last tracks in between, see ``CameraPipeline.step_still``).

``PixelChange`` measures, per detected box, how much the picture inside it changed since the previous
analysed frame: the tracker's evidence that a still box scored low is a person and not a bush.

Pure: numpy/OpenCV only, no Ray, no model. ``MotionGate`` holds one camera's state.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import Enum

import cv2
import numpy as np

from pipeline.config import CameraConfig, MotionConfig, SourceConfig

# A stationary box wakes (its motion counts again, MotionGate._waking) when this share of it moves ...
_WAKE_COVER = 0.5
_WAKE_EDGE = 0.1  # ... or this share of the ring just outside its padded box moves along with its inside,
_WAKE_RING = 3  # the ring being this many small-frame px wide
_PAD = 2  # small-frame px: a box that starts to move shows motion just outside its old edge
_DARK_TOP = 128.0  # a picture whose brightest 1 % is under this grey level is dark: the motion threshold scales down


class GateReason(Enum):
    """Why a frame was (or was not) sent to the detector."""

    WARMUP = "warmup"  # no background yet
    MOTION = "motion"  # motion touched the region or a tracked object
    SCENE_CHANGE = "scene_change"  # most of the frame changed (lights, camera moved): analyse, rebuild background
    RECHECK = "recheck"  # still scene, slow-cadence re-check
    STILL = "still"  # skipped: nothing moved where it matters
    STRIDE = "stride"  # skipped: motion, but this camera analyses one frame in `stride` now (idle or shedding)


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
        self._source = camera.source
        self.frame_size = frame_size
        w, h = frame_size
        self._scale = cfg.frame_height / h
        self._small = (max(8, round(w * self._scale)), cfg.frame_height)
        self._region = _region_mask(camera, self._small, cfg.region_margin)
        self._region_px = max(1, int(self._region.sum()))
        # the lines' band (widened like the region): a stationary track's motion there is still motion, since a
        # vehicle that creeps or pulls out across a line must be seen on every frame to be counted
        self._line_band = _region_mask(camera, self._small, cfg.region_margin, zones=False)
        self._tracks = np.zeros((self._small[1], self._small[0]), bool)
        self._stationary = np.zeros_like(self._tracks)  # padded boxes of stationary tracks: their motion is ignored
        self._anchors = np.zeros((0, 4), np.float64)  # where each tracked box stood when it last moved
        self._still_small = np.zeros((0, 4), np.int64)  # stationary boxes, small-frame px, unpadded
        self.stationary = 0  # stationary tracks on the last analysed frame
        self._bg: np.ndarray | None = None
        self._last_analysed: float | None = None
        self._since_analysed = 0
        self._max_recheck_s = camera.tracker.lost_track_buffer / 2
        self._kernel = np.ones((3, 3), np.uint8)
        self.active = False  # a tracked object is near a line or zone: full rate
        self.shed_level = 0  # set by the load shedder; > 0 lowers the rate of idle cameras first
        self.frames = 0
        self.analysed = 0

    def decide(self, image: np.ndarray, ts: float) -> GateDecision:
        """Update the background with this frame and say whether to analyse it.

        With ``cfg.enabled`` False there is no motion test (every frame is "motion"), but the adaptive stride
        and load shedding below still apply.
        """
        self.frames += 1
        self._since_analysed += 1
        if not self.cfg.enabled:
            return self._strided(ts, GateReason.MOTION, 1.0)
        moving = self._motion(image)
        if moving is None:
            return self._take(ts, GateReason.WARMUP, 1.0)
        frac = float((moving & self._region).sum()) / self._region_px
        if moving.mean() > self.cfg.scene_change_fraction:
            self._bg = None  # lights switched or the camera moved: relearn rather than see motion everywhere
            return self._take(ts, GateReason.SCENE_CHANGE, frac)
        watched = self._region | self._tracks
        if self.stationary and not self._waking(moving):
            watched = watched & ~(self._stationary & ~self._line_band)
        if (moving & watched).sum() >= self.cfg.min_pixels:
            return self._strided(ts, GateReason.MOTION, frac)
        # Shedding stretches the re-check, but never past half the tracker's lost-track buffer: a still object
        # must be re-detected before its track expires, or it would come back under a new id (dwell reset).
        recheck = min(self.cfg.recheck_s * (1 + self.shed_level), max(self.cfg.recheck_s, self._max_recheck_s))
        if self._last_analysed is None or ts - self._last_analysed >= recheck:
            return self._take(ts, GateReason.RECHECK, frac)
        return self._skip(GateReason.STILL, frac)

    @property
    def stride(self) -> int:
        """Analyse one frame in ``stride`` now: 1 while an object is near a line/zone (until the box sheds
        more than ``max_idle_shed`` levels: then accuracy is degraded), ``idle_stride`` × (1 + shed level) else."""
        if self.active:
            return 1 + max(0, self.shed_level - self.cfg.max_idle_shed)
        return self.cfg.idle_stride * (1 + self.shed_level)

    @property
    def source_fps(self) -> float:
        """The rate the camera's source should keep frames at now: ``source.active_fps`` while a tracked object
        is near a line or zone and the box keeps up (no load shedding), ``source.fps_cap`` otherwise. A vehicle
        crossing a line is then seen on up to three times the frames, and an idle scene costs no more."""
        src = self._source
        return top_fps(src) if self.active and self.shed_level == 0 else src.fps_cap

    @property
    def degraded(self) -> bool:
        """True when load shedding lowers the rate of a camera whose objects are near its lines or zones."""
        return self.active and self.shed_level > self.cfg.max_idle_shed

    def observe(self, xyxy: np.ndarray, detections: np.ndarray | None = None) -> None:
        """Boxes (original pixels) of the objects tracked on the last analysed frame: motion on them counts,
        and any of them in the (widened) region makes the camera *active* (full frame rate, ``source_fps``);
        so does any of the frame's ``detections`` there, tracked or not (a vehicle scored low or seen once is
        about to cross: its track needs every frame to start before it does)."""
        self._tracks[:] = False
        self.active = False
        self._paint(self._tracks, xyxy)
        self._mark_stationary(np.asarray(xyxy, dtype=np.float64).reshape(-1, 4))
        near = self._tracks
        if detections is not None and len(detections):
            near = self._tracks.copy()
            self._paint(near, detections)
        self.active = bool((near & self._region).any())

    def _mark_stationary(self, boxes: np.ndarray) -> None:
        """A box is stationary when it overlaps its anchor (the best-overlapping box where a track stood when it
        last moved) with IoU >= ``stationary_iou``; the anchor is then kept. Otherwise the box moved (or is new)
        and becomes its own anchor. Anchors no box overlaps are forgotten."""
        self._stationary[:] = False
        self.stationary = 0
        thr = self.cfg.stationary_iou
        self._still_small = np.zeros((0, 4), np.int64)
        if thr <= 0 or not len(boxes):
            self._anchors = boxes.copy() if thr > 0 else self._anchors[:0]
            return
        anchors = boxes.copy()
        still = np.zeros(len(boxes), bool)
        if len(self._anchors):
            iou = box_iou(boxes, self._anchors)
            best = iou.argmax(axis=1)
            still = iou[np.arange(len(boxes)), best] >= thr
            # a box cut by the frame's edge hides how its object moves (a car driving in keeps the same box
            # while its front is still outside): never stationary
            w, h = self.frame_size
            still &= (boxes[:, 0] > 1) & (boxes[:, 1] > 1) & (boxes[:, 2] < w - 1) & (boxes[:, 3] < h - 1)
            anchors[still] = self._anchors[best[still]]
        self._anchors = anchors
        # the stationary boxes on the small frame, rounded outwards as _paint rounds them (before its padding)
        sw, sh = self._small
        s = boxes[still] * self._scale
        small = np.concatenate([np.floor(s[:, :2]), np.ceil(s[:, 2:])], axis=1).astype(np.int64)
        small[:, 0::2] = small[:, 0::2].clip(0, sw)
        small[:, 1::2] = small[:, 1::2].clip(0, sh)
        self._still_small = small[(small[:, 2] > small[:, 0]) & (small[:, 3] > small[:, 1])]
        self.stationary = int(still.sum())
        if self.stationary:
            self._paint(self._stationary, boxes[still])
            if not still.all():
                # a moving track's box is always watched, even where it overlaps a stationary one: a car driving
                # past parked cars moves mostly over their boxes (a dark car on a dark road shows little else)
                moving = np.zeros_like(self._stationary)
                self._paint(moving, boxes[~still])
                self._stationary &= ~moving

    def _waking(self, moving: np.ndarray) -> bool:
        """True when a stationary box is waking up rather than fidgeting: motion covers at least ``_WAKE_COVER``
        of its own (unpadded) box (the object as a whole shifts against the background: a vehicle pulling away
        from a queue moves slowly and its box still overlaps where it stopped), or motion inside it runs on
        across its edge (``min_pixels`` inside and in the ``_WAKE_RING`` px just outside its padded box: it
        leaves, or something moving untracked outside the region, like a bus nosing out of a side street,
        passes in front of it). Its motion then counts as before the rule. An object that stopped moments ago
        reads as waking too, until the running background learns it (~3 s at ``background_alpha`` 0.05, 10 fps):
        the rule skips nothing then. One integral image of the mask per frame, then a few look-ups per box."""
        if not len(self._still_small):
            return False
        ii = cv2.integral(moving.view(np.uint8))
        sh, sw = moving.shape

        def count(b: np.ndarray, grow: int) -> np.ndarray:
            x1, y1, x2, y2 = _grown(b, grow, sw, sh)
            return ii[y2, x2] - ii[y1, x2] - ii[y2, x1] + ii[y1, x1]

        b = self._still_small
        inside = count(b, 0)
        area = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
        # the ring between the padded box and _WAKE_RING px beyond it (clipped to the frame, like the counts)
        ring = count(b, _PAD + _WAKE_RING) - count(b, _PAD)
        ring_area = box_area(b, _PAD + _WAKE_RING, sw, sh) - box_area(b, _PAD, sw, sh)
        need = self.cfg.min_pixels
        edge = (inside >= need) & (ring >= np.maximum(need, _WAKE_EDGE * ring_area))
        return bool(((inside >= _WAKE_COVER * area) | edge).any())

    def _paint(self, mask: np.ndarray, xyxy: np.ndarray) -> None:
        pad = _PAD
        sw, sh = self._small
        for x1, y1, x2, y2 in np.asarray(xyxy, dtype=np.float64).reshape(-1, 4) * self._scale:
            a, b = max(0, int(x1) - pad), max(0, int(y1) - pad)
            c, d = min(sw, int(np.ceil(x2)) + pad), min(sh, int(np.ceil(y2)) + pad)
            if c > a and d > b:
                mask[b:d, a:c] = True

    @property
    def skipped(self) -> int:
        return self.frames - self.analysed

    # -------------------------------------------------------------------------------------------------
    def _take(self, ts: float, reason: GateReason, frac: float) -> GateDecision:
        self.analysed += 1
        self._last_analysed = ts
        self._since_analysed = 0
        return GateDecision(True, reason, frac)

    def _strided(self, ts: float, reason: GateReason, frac: float) -> GateDecision:
        if self._last_analysed is None or self._since_analysed >= self.stride:
            return self._take(ts, reason, frac)
        return self._skip(GateReason.STRIDE, frac)

    def _skip(self, reason: GateReason, frac: float) -> GateDecision:
        return GateDecision(False, reason, frac)

    def _threshold(self, small: np.ndarray) -> float:
        """``cfg.threshold``, scaled down on a dark picture (brightest 1 % under half scale, at most 4x): a person
        at night or in a dark doorway changes the grey levels as much *relative to the picture* as by day, so
        an absolute 25 levels would call them still and the gate would skip the frames they are seen on."""
        top = percentile_u8(small, 99)
        return self.cfg.threshold * min(1.0, max(top / _DARK_TOP, 0.25))

    def _motion(self, image: np.ndarray) -> np.ndarray | None:
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
        small = cv2.resize(grey, self._small, interpolation=cv2.INTER_AREA)
        small8 = cv2.GaussianBlur(small, (3, 3), 0)
        small = small8.astype(np.float32)
        if self._bg is None:
            self._bg = small
            return None
        diff = cv2.absdiff(small, self._bg)
        cv2.accumulateWeighted(small, self._bg, self.cfg.background_alpha)
        moving = (diff > self._threshold(small8)).astype(np.uint8)
        moving = cv2.dilate(moving, self._kernel, iterations=1)
        return moving.astype(bool)


def _grown(b: np.ndarray, grow: int, w: int, h: int) -> tuple[np.ndarray, ...]:
    """Integer boxes ``b`` (N, 4 xyxy) grown by ``grow`` px on every side and clipped to w x h: x1, y1, x2, y2."""
    return (b[:, 0] - grow).clip(0, w), (b[:, 1] - grow).clip(0, h), (b[:, 2] + grow).clip(0, w), (b[:, 3] + grow).clip(0, h)


def box_area(b: np.ndarray, grow: int, w: int, h: int) -> np.ndarray:
    """Areas of integer boxes ``b`` (N, 4 xyxy) grown by ``grow`` px on every side and clipped to w x h."""
    x1, y1, x2, y2 = _grown(b, grow, w, h)
    return (x2 - x1) * (y2 - y1)


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of every box of ``a`` (N, 4 xyxy) with every box of ``b`` (M, 4): an (N, M) array."""
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(rb - lt, 0, None), axis=2)
    area_a = np.prod(np.clip(a[:, 2:] - a[:, :2], 0, None), axis=1)
    area_b = np.prod(np.clip(b[:, 2:] - b[:, :2], 0, None), axis=1)
    union = area_a[:, None] + area_b[None, :] - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-9), 0.0)


def percentile_u8(image: np.ndarray, q: float) -> float:
    """``np.percentile(image, q)`` (linear interpolation) of a uint8 image, from its 256-bin histogram: one
    counting pass instead of a partial sort (the motion gate and ``PixelChange`` ask for one per frame)."""
    cum = np.cumsum(np.bincount(image.ravel(), minlength=256))
    pos = q / 100.0 * (int(cum[-1]) - 1)
    lo = int(np.floor(pos))
    a = float(np.searchsorted(cum, lo, side="right"))  # the lo-th smallest value (0-based)
    b = float(np.searchsorted(cum, min(lo + 1, int(cum[-1]) - 1), side="right"))
    t = pos - lo
    return b - (b - a) * (1.0 - t) if t >= 0.5 else a + (b - a) * t  # numpy's own lerp, so the values agree


class ChangeHistory:
    """The last seconds of how the picture changed, frame to frame, to ask how long a place has been alive.

    A visitor the detector boxes only now and then (a person at a night IR fence, in a dark doorway) still
    shifts, turns and breathes where they stand: the picture inside their box changes on most frames, while an
    empty spot's does not (``PixelChange``: a box's mean grey difference over the frame's median plus one). Presence
    rules (loitering, intrusion) ask it two things about a visit's box: since when, before the first sighting,
    that place has been changing without a still pause longer than ``grace_s`` (``alive_since``: the visit began
    then), and whether it changes on the current frame (``alive_now``: a visitor lost by the detector is still
    there). Frames are kept as grey differences on a copy whose long side is at most ``long_side`` px, for
    ``keep_s`` seconds; a difference over a gap longer than ``max_gap_s`` (frames the fps cap, the stride
    or load shedding dropped) is unknown and counts as no change. The camera feeds it every frame the motion
    gate analyses or finds still (``CameraPipeline.step_still``): a visitor the gate counts as stationary
    still fidgets in the picture.

    Example:
        >>> h = ChangeHistory(keep_s=10.0)
        >>> still = np.zeros((90, 160), np.uint8)
        >>> for k in range(30):  # 3 s at 10 fps: a square that changes at every frame from 1.0 s on
        ...     img = still.copy()
        ...     if k >= 10:
        ...         img[20:60, 20:40] = 100 + 50 * (k % 2)
        ...     h.update(img, k / 10)
        >>> h.alive_since(np.array([20, 20, 40, 60]), 2.9, grace_s=0.5)
        1.0
        >>> h.alive_now(np.array([20, 20, 40, 60])), h.alive_now(np.array([100, 20, 120, 60]))
        (True, False)
    """

    def __init__(self, keep_s: float = 40.0, long_side: int = 160, max_gap_s: float = 0.5,
                 threshold: float = 1.0) -> None:
        self.keep_s = keep_s
        self.long_side = long_side
        self.max_gap_s = max_gap_s
        self.threshold = threshold  # as ``_LowScoreBirths._SPOT_PIXELS``: a living thing's change
        self._prev: np.ndarray | None = None
        self._prev_ts = 0.0
        self._scale = 1.0
        # (ts, uint8 difference or None when unknown, the frame's median difference + 1, tracked boxes, their ids)
        self._frames: deque[tuple[float, np.ndarray | None, float, np.ndarray, np.ndarray]] = deque()

    def reset(self) -> None:
        self._prev = None
        self._frames.clear()

    def update(self, image: np.ndarray, ts: float, boxes: np.ndarray | None = None,
               ids: np.ndarray | None = None) -> None:
        """Add one frame, analysed or found still by the gate (BGR or grey, full size) with the tracked boxes on it (pixel xyxy) and their
        tracker ids: change under another object's box is that object's, not the visitor's."""
        boxes = np.zeros((0, 4), np.float32) if boxes is None else np.asarray(boxes, np.float32).reshape(-1, 4)
        ids = np.full(len(boxes), -1, np.int64) if ids is None else np.asarray(ids, np.int64).reshape(-1)
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
        h, w = grey.shape[:2]
        r = min(1.0, self.long_side / max(h, w))
        small = cv2.resize(grey, (max(1, round(w * r)), max(1, round(h * r))), interpolation=cv2.INTER_AREA) \
            if r < 1.0 else grey.copy()
        prev, prev_ts = self._prev, self._prev_ts
        self._prev, self._prev_ts, self._scale = small, ts, r
        if prev is None or prev.shape != small.shape:
            self._frames.clear()
            self._frames.append((ts, None, 1.0, boxes, ids))
            return
        if ts - prev_ts > self.max_gap_s:
            self._frames.append((ts, None, 1.0, boxes, ids))
        else:
            diff = cv2.absdiff(small, prev)
            self._frames.append((ts, diff, percentile_u8(diff, 50) + 1.0, boxes, ids))
        while self._frames and self._frames[0][0] < ts - self.keep_s:
            self._frames.popleft()

    def _change(self, entry: tuple, box: np.ndarray) -> float:
        """The change inside ``box`` on one frame (0 when unknown); callers first ask ``_covered``: change under
        another tracked object's box is that object's."""
        _, diff, norm = entry[:3]
        if diff is None:
            return 0.0
        sh, sw = diff.shape[:2]
        x1, y1, x2, y2 = np.round(np.asarray(box, dtype=np.float64) * self._scale).astype(int)
        x1, x2 = max(0, min(x1, sw)), max(0, min(x2, sw))
        y1, y2 = max(0, min(y1, sh)), max(0, min(y2, sh))
        if x2 <= x1 or y2 <= y1:
            return 0.0
        return float(diff[y1:y2, x1:x2].mean()) / norm

    @staticmethod
    def _covered(entry: tuple, box: np.ndarray, own: frozenset[int]) -> bool:
        boxes, ids = entry[3], entry[4]
        if not len(boxes):
            return False
        b = np.asarray(box, dtype=np.float64)
        w = np.clip(np.minimum(boxes[:, 2], b[2]) - np.maximum(boxes[:, 0], b[0]), 0, None)
        h = np.clip(np.minimum(boxes[:, 3], b[3]) - np.maximum(boxes[:, 1], b[1]), 0, None)
        other = ~np.isin(ids, np.fromiter(own, np.int64, len(own)))
        return bool(np.any(other & (w * h >= 0.1 * max((b[2] - b[0]) * (b[3] - b[1]), 1e-9))))

    def alive_now(self, box: np.ndarray, own: frozenset[int] = frozenset()) -> bool:
        """Whether the picture inside ``box`` (pixel xyxy of the full frame) changed on the latest frame, not under
        the box of a tracked object other than ``own`` (the visitor's own tracker ids)."""
        if not self._frames or self._covered(self._frames[-1], box, own):
            return False
        return self._change(self._frames[-1], box) >= self.threshold

    def alive_since(self, box: np.ndarray, t0: float, grace_s: float, horizon_s: float | None = None,
                    own: frozenset[int] = frozenset()) -> float:
        """The earliest time before ``t0`` from which the picture inside ``box`` kept changing, no still pause
        longer than ``grace_s`` (``t0`` itself when it was still just before), at most ``horizon_s`` back. It
        stops at a frame where another tracked object (an id not in ``own``) covered the box: traffic passing
        through a place is not someone standing there."""
        since = t0
        low = t0 - (horizon_s if horizon_s is not None else self.keep_s)
        for entry in reversed(self._frames):
            ts = entry[0]
            if ts > t0:
                continue
            if ts < low or since - ts > grace_s or self._covered(entry, box, own):
                break
            if self._change(entry, box) >= self.threshold:
                since = ts
        return since


def top_fps(source: SourceConfig) -> float:
    """The highest rate a camera analyses at: ``active_fps`` when it is on and above ``fps_cap``."""
    return max(source.fps_cap, source.active_fps or 0.0)


def _region_mask(camera: CameraConfig, small: tuple[int, int], margin: float, zones: bool = True) -> np.ndarray:
    """Small-frame mask of the camera's zones and lines, widened by ``margin`` (normalised); all True if none.
    ``zones=False``: the lines only (all False if none)."""
    sw, sh = small
    if zones and not camera.zones and not camera.lines:
        return np.ones((sh, sw), bool)
    mask = np.zeros((sh, sw), np.uint8)
    scale = np.array([sw, sh], np.float64)
    for z in camera.zones if zones else ():
        cv2.fillPoly(mask, [np.round(np.asarray(z.polygon) * scale).astype(np.int32)], 1)
    for ln in camera.lines:
        p, q = (np.round(np.asarray(pt) * scale).astype(int) for pt in (ln.start, ln.end))
        cv2.line(mask, tuple(int(v) for v in p), tuple(int(v) for v in q), 1, thickness=1)
    grow = int(round(margin * max(sw, sh)))
    if grow > 0:
        mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1)))
    return mask.astype(bool)


class LoadShedder:
    """One camera's load-shedding level from how far it lags real time (live and real-time sources only).

    The camera is *behind* when its source dropped frames since the last look (the buffer overflowed) or
    the frame being processed is older than ``max_lag_frames`` frame intervals. Behind for a moment → one
    level up (at most every ``up_every_s``); keeping up for ``down_after_s`` → one level down. The gate
    spends levels on idle cameras first (``MotionGate.stride``), so on an overloaded box the cameras whose
    objects are near a line or zone keep their full rate longest; when they shed too, they say so
    (``MotionGate.degraded``, reported in health and ``/cameras``).
    """

    def __init__(self, fps: float, *, max_lag_frames: float = 3.0, up_every_s: float = 2.0,
                 down_after_s: float = 10.0, max_level: int = 4) -> None:
        self.max_lag_s = max_lag_frames / fps
        self.up_every_s = up_every_s
        self.down_after_s = down_after_s
        self.max_level = max_level
        self.level = 0
        self._dropped = 0
        self._last_up = float("-inf")
        self._last_behind = float("-inf")

    def update(self, now: float, lag_s: float, dropped_total: int) -> int:
        behind = dropped_total > self._dropped or lag_s > self.max_lag_s
        self._dropped = dropped_total
        if behind:
            self._last_behind = now
            if self.level < self.max_level and now - self._last_up >= self.up_every_s:
                self.level += 1
                self._last_up = now
        elif self.level > 0 and now - max(self._last_behind, self._last_up) >= self.down_after_s:
            self.level -= 1
            self._last_up = now  # one step at a time
        return self.level


class FrameScheduler:
    """Which of a camera's frames reach the detector: motion gate + adaptive stride + load shedding, in one.

    The camera's run loop asks ``decide(frame, frames_dropped)`` for every frame its source hands out:

    * ``analyse`` → detect, track, apply rules, then ``observe(tracks.xyxy)``;
    * reason ``STILL`` → nothing moved where it matters: rules on the last tracks (``CameraPipeline.step_still``);
    * reason ``STRIDE`` → skipped like a frame the fps cap never kept.

    Args:
        camera: the camera (zones/lines, ``motion`` settings, ``source.fps_cap``).
        realtime: the source keeps real time (live, or a paced file): only then can it fall behind and shed.
        clock: wall clock, to measure how far behind real time a frame is.
    """

    def __init__(self, camera: CameraConfig, *, realtime: bool, clock=None) -> None:
        import time

        self.camera = camera
        self._clock = clock or time.time
        self.gate: MotionGate | None = None
        self.shedder = LoadShedder(camera.source.fps_cap) if realtime and camera.motion.load_shedding else None

    def decide(self, image: np.ndarray, ts: float, frames_dropped: int = 0) -> GateDecision:
        h, w = image.shape[:2]
        if self.gate is None or self.gate.frame_size != (w, h):
            self.gate = MotionGate(self.camera, self.camera.motion, (w, h))
        if self.shedder is not None:
            now = self._clock()
            self.gate.shed_level = self.shedder.update(now, now - ts, frames_dropped)
        return self.gate.decide(image, ts)

    def observe(self, xyxy: np.ndarray, detections: np.ndarray | None = None) -> None:
        if self.gate is not None:
            self.gate.observe(xyxy, detections)

    @property
    def source_fps(self) -> float:
        """The rate the camera's source should keep frames at now (``MotionGate.source_fps``)."""
        return self.gate.source_fps if self.gate is not None else self.camera.source.fps_cap

    def stats(self) -> dict:
        """Typed-status fields (names as in ``HealthEvent``)."""
        g = self.gate
        return {"frames_gated": g.skipped if g else 0, "stride": g.stride if g else 1,
                "shed_level": g.shed_level if g else 0, "degraded": bool(g and g.degraded)}


class PixelChange:
    """How much the picture inside each box changed since the previous analysed frame, against the frame.

    A person standing at a night fence or in a dark doorway, whom a nano model scores 0.1-0.3 on some frames
    only, still shifts, turns and breathes; a bush or a post the model scores as a person does not. For each
    box: the mean absolute grey difference inside it, over the frame's median difference plus one grey level
    (sensor noise, compression and lighting that change the whole picture cancel out), on a copy whose long
    side is at most ``long_side`` px. Unknown (NaN) for the first frame, after a resolution change, and when
    the previous analysed frame is more than ``max_gap_s`` old (the motion gate skipped a still scene): a
    longer gap lets cars drive past a bush and would read as change.

    Measured on dev (docs/tuning.md): a person never scored at 0.3 in a darkened IR clip, median 2.2 (78 % of
    sightings >= 1); the street bush yolov8n scores 0.12-0.27 as a person, median 0.0 (3 % >= 1).

    Example:
        >>> pc = PixelChange()
        >>> still = np.zeros((90, 160, 3), np.uint8)
        >>> moved = still.copy(); moved[20:60, 20:40] = 200
        >>> pc.measure(still, np.array([[20, 20, 40, 60]]), 0.0).tolist()
        [nan]
        >>> [round(v) for v in pc.measure(moved, np.array([[20, 20, 40, 60], [100, 20, 120, 60]]), 0.1)]
        [200, 0]
    """

    def __init__(self, long_side: int = 320, max_gap_s: float = 0.5) -> None:
        self.long_side = long_side
        self.max_gap_s = max_gap_s
        self._prev: np.ndarray | None = None
        self._prev_ts = 0.0

    def reset(self) -> None:
        self._prev = None

    def measure(self, image: np.ndarray, xyxy: np.ndarray, ts: float) -> np.ndarray:
        """Per box (pixel xyxy of ``image``): change inside it over the frame's median change; NaN if unknown."""
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
        h, w = grey.shape[:2]
        r = min(1.0, self.long_side / max(h, w))
        small = cv2.resize(grey, (max(1, round(w * r)), max(1, round(h * r))), interpolation=cv2.INTER_AREA) \
            if r < 1.0 else grey
        prev, prev_ts = self._prev, self._prev_ts
        self._prev, self._prev_ts = small, ts
        out = np.full(len(xyxy), np.nan, dtype=np.float32)
        if prev is None or prev.shape != small.shape or ts - prev_ts > self.max_gap_s or not len(xyxy):
            return out
        diff = cv2.absdiff(small, prev)
        norm = percentile_u8(diff, 50) + 1.0  # the median
        sh, sw = small.shape[:2]
        b = np.round(np.asarray(xyxy, dtype=np.float64).reshape(-1, 4) * r).astype(int)
        for i, (x1, y1, x2, y2) in enumerate(b):
            x1, x2 = max(0, min(x1, sw)), max(0, min(x2, sw))
            y1, y2 = max(0, min(y1, sh)), max(0, min(y2, sh))
            if x2 > x1 and y2 > y1:
                out[i] = float(diff[y1:y2, x1:x2].mean()) / norm
        return out
