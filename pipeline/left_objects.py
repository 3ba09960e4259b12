"""Objects left behind that the detector does not know: a new, still patch of picture a person left.

A nano COCO detector does not box every bag: the black holdall left on the ABODA pavement (dev clip
``aboda_abandoned_bag``) gets no box at 0.1 on any frame, at 640 or 960 px, whole or cropped (docs/tuning.md
"Zone events"). What every camera can see is the picture: where the bag lies, the pavement has changed and
stays changed, and the change appeared where a person was. ``LeftObjects`` finds such patches:

* a **background** per pixel (a grey copy at most ``long_side`` px long, blurred) learned where no tracked
  object covers the pixel and the picture matches it (time constant ``bg_s``: daylight drifts); a pixel
  first seen under a box takes the picture the first time it is uncovered (no "ghost" where a person stood
  at start-up); a pixel that stays changed, uncovered and unclaimed is learned slowly (``absorb_s``: a wet
  patch drying, a light switched on);
* **static change**: a pixel that differs from the background by more than ``diff`` grey levels and has not
  changed between analysed frames for ``static_s`` seconds;
* **left by a person**: the pixel changed while a person's box covered it (within ``touch_s`` of the change),
  and no vehicle's box covered it since (a car that parked there and let its driver out; the boxes of
  other classes, such as the bag the detector saw in the owner's hand, neither count nor veto);
* a **left object** is a connected patch of such pixels, ``min_area``-``max_area`` of the frame, at least
  ``left_share`` of it left by a person, at most ``covered_share`` of it inside a box tracked now (a person
  standing still, or the detector's own bag box: not reported twice), nor where a person's box was within
  ``away_s`` (a person the detector boxes only now and then: their own still parts are no left object; an
  object is left when its owner has gone away). It keeps its id while its patch
  overlaps its last box; the background under a reported object is frozen while it is reported.

The abandoned-object rule watches these as class ``object`` (``AbandonedObjectRule.left_objects``, on by
default); its owner and stillness clocks decide as for a detected bag. Pure numpy/OpenCV; one per camera.

Example:
    >>> lo = LeftObjects()
    >>> ground = np.full((120, 160), 90, np.uint8)
    >>> person = np.array([[60.0, 20.0, 90.0, 100.0]])
    >>> nobody = np.zeros((0, 4))
    >>> for t in np.arange(0, 3, 0.2):                       # empty pavement, then a person arrives
    ...     _ = lo.update(ground, t, person if t >= 1 else nobody, [True] if t >= 1 else [])
    >>> bag = ground.copy(); bag[84:100, 68:84] = 20          # sets a bag down by their feet
    >>> for t in np.arange(3, 5, 0.2):
    ...     _ = lo.update(bag, t, person, [True])
    >>> for t in np.arange(5, 11.2, 0.2):                    # and walks off: the bag stays
    ...     ids, boxes = lo.update(bag, t, nobody, [])
    >>> ids.tolist(), boxes.round().tolist()
    ([1], [[67.0, 83.0, 85.0, 100.0]])
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

LIT = 128.0  # a picture whose 95th percentile grey level reaches this is lit well enough for ``diff`` as it is
MIN_SCALE = 0.25  # the least share of ``diff`` a dark picture's threshold shrinks to (``LeftObjects.light_scale``)


@dataclass
class _Left:
    ident: int
    box: np.ndarray  # small-copy pixels, xyxy
    last_ts: float


class LeftObjects:
    def __init__(self, long_side: int = 320, diff: float = 25.0, static_s: float = 1.0, touch_s: float = 1.0,
                 bg_s: float = 10.0, absorb_s: float = 120.0, min_area: float = 2e-4, max_area: float = 0.02,
                 left_share: float = 0.5, covered_share: float = 0.5, drop_s: float = 2.0, away_s: float = 3.0
                 ) -> None:
        self.long_side, self.diff, self.static_s, self.touch_s = long_side, diff, static_s, touch_s
        self.bg_s, self.absorb_s, self.min_area, self.max_area = bg_s, absorb_s, min_area, max_area
        self.left_share, self.covered_share, self.drop_s, self.away_s = left_share, covered_share, drop_s, away_s
        self.reset()

    def reset(self) -> None:
        self._bg: np.ndarray | None = None
        self._objects: list[_Left] = []
        self._next = 1

    def update(self, image: np.ndarray, ts: float, xyxy: np.ndarray, is_person, is_vehicle=None
               ) -> tuple[np.ndarray, np.ndarray]:
        """One analysed frame and its tracked boxes (pixels of ``image``; ``is_person``, ``is_vehicle`` per
        box; other boxes only cover): the ids and boxes (pixels of ``image``, xyxy) of the left objects seen."""
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
        h, w = grey.shape[:2]
        r = min(1.0, self.long_side / max(h, w))
        small = cv2.resize(grey, (max(1, round(w * r)), max(1, round(h * r))), interpolation=cv2.INTER_AREA) \
            if r < 1.0 else grey
        cur = cv2.GaussianBlur(small, (5, 5), 0).astype(np.float32)
        sh, sw = cur.shape
        xyxy = np.asarray(xyxy, dtype=np.float64).reshape(-1, 4)
        kinds = np.zeros(len(xyxy), np.int8)
        kinds[np.asarray(is_person, bool).reshape(-1)] = 1
        if is_vehicle is not None:
            kinds[np.asarray(is_vehicle, bool).reshape(-1)] = 2
        person, other, covered = (np.zeros((sh, sw), bool) for _ in range(3))
        for (x1, y1, x2, y2), k in zip(np.round(xyxy * r).astype(int), kinds):
            cut = (slice(max(0, y1), max(0, y2)), slice(max(0, x1), max(0, x2)))
            covered[cut] = True
            if k == 1:
                person[cut] = True
            elif k == 2:
                other[cut] = True
        empty = (np.zeros(0, np.int64), np.zeros((0, 4), np.float64))
        if self._bg is None or self._bg.shape != cur.shape:
            self._bg, self._valid = cur.copy(), ~covered
            self._prev, self._prev_ts = cur, ts
            self._fg_on = np.full((sh, sw), np.inf)
            self._still_since = np.full((sh, sw), ts)
            self._person_at = np.where(person, ts, -np.inf)
            self._other_at = np.where(other, ts, -np.inf)
            self._objects = []
            return empty
        dt = max(0.0, ts - self._prev_ts)
        diff = self.diff * self.light_scale(small)
        fg = (np.abs(cur - self._bg) > diff) & self._valid
        self._fg_on = np.where(fg, np.minimum(self._fg_on, ts), np.inf)
        moved = np.abs(cur - self._prev) > diff / 2
        self._still_since = np.where(moved, ts, self._still_since)
        self._person_at = np.where(person, ts, self._person_at)
        self._other_at = np.where(other, ts, self._other_at)
        left = (fg & (ts - self._still_since >= self.static_s)
                & (self._person_at >= self._fg_on - self.touch_s) & (self._other_at < self._fg_on - self.touch_s))
        seen: list[tuple[int, np.ndarray]] = []
        n, labels, stats, _ = cv2.connectedComponentsWithStats(
            cv2.morphologyEx(left.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8)), connectivity=8)
        area_px = float(sh * sw)
        for k in range(1, n):
            x, y, bw, bh, area = (int(v) for v in stats[k])
            if not self.min_area <= area / area_px <= self.max_area:
                continue
            blob = labels == k
            # inside a box now, or where a person was boxed within away_s (one the detector finds now and then)
            if (blob & (covered | (self._person_at >= ts - self.away_s))).sum() > self.covered_share * area:
                continue
            box = np.array([x, y, x + bw, y + bh], np.float64)
            seen.append((self._match(box, ts), box))
        # learn the background: uncovered pixels that match it (drift), never-seen pixels at once, stuck change slowly
        frozen = np.zeros((sh, sw), bool)
        for o in self._objects:
            x1, y1, x2, y2 = o.box.astype(int)
            frozen[y1:y2, x1:x2] = True
        learn = ~covered & ~frozen
        a_bg = 1.0 - np.exp(-dt / self.bg_s)
        a_abs = 1.0 - np.exp(-dt / self.absorb_s)
        rate = np.where(fg, a_abs, a_bg) * learn
        rate = np.where(learn & ~self._valid, 1.0, rate)
        self._bg += rate * (cur - self._bg)
        self._valid |= learn
        self._prev, self._prev_ts = cur, ts
        self._objects = [o for o in self._objects if ts - o.last_ts <= self.drop_s]
        if not seen:
            return empty
        ids = np.array([i for i, _ in seen], np.int64)
        return ids, np.array([b for _, b in seen], np.float64) / r

    @staticmethod
    def light_scale(small: np.ndarray) -> float:
        """``diff`` is for a well-lit picture; in a dark one (a night scene, an under-lit doorway: its bright end,
        the 95th percentile grey level, under ``LIT``) every difference is as much smaller as the light is, so
        the threshold shrinks with it, to no less than ``MIN_SCALE`` of it (sensor noise and compression)."""
        hist = np.bincount(small.ravel(), minlength=256).cumsum()
        p95 = int(np.searchsorted(hist, 0.95 * hist[-1]))
        return float(np.clip(p95 / LIT, MIN_SCALE, 1.0))

    def _match(self, box: np.ndarray, ts: float) -> int:
        best, best_iou = None, 0.3
        for o in self._objects:
            iou = _iou(box, o.box)
            if iou >= best_iou:
                best, best_iou = o, iou
        if best is None:
            best = _Left(self._next, box, ts)
            self._next += 1
            self._objects.append(best)
        best.box, best.last_ts = box, ts
        return best.ident


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0
