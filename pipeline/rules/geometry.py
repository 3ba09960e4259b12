"""Pixel geometry for rules: normalised→pixel conversion, IoU, line sides, ground homography, direction words."""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from pipeline.config import CalibrationConfig

# Class families: an id switch only continues an object of the same family (a car may be re-labelled a truck
# by the detector between frames, a car never becomes a person).
VEHICLES = frozenset({"car", "truck", "bus", "motorcycle", "train"})
BAGS = frozenset({"backpack", "handbag", "suitcase"})
PEOPLE = frozenset({"person"})


def class_family(name: str) -> str:
    """Family label used when re-associating a new track id with a lost one."""
    if name in VEHICLES:
        return "vehicle"
    if name in BAGS:
        return "bag"
    return name


def to_pixels(points: Sequence[Sequence[float]], frame_size: tuple[int, int]) -> np.ndarray:
    """Normalised (x, y) points → float pixel coordinates for a (width, height) frame."""
    w, h = frame_size
    return np.asarray(points, dtype=np.float64).reshape(-1, 2) * np.array([w, h], dtype=np.float64)


def bottom_centres(xyxy: np.ndarray) -> np.ndarray:
    """The (x, y) anchor where an object touches the ground: middle of the box's bottom edge."""
    return np.stack([(xyxy[:, 0] + xyxy[:, 2]) / 2.0, xyxy[:, 3]], axis=1)


def centres(xyxy: np.ndarray) -> np.ndarray:
    return np.stack([(xyxy[:, 0] + xyxy[:, 2]) / 2.0, (xyxy[:, 1] + xyxy[:, 3]) / 2.0], axis=1)


def diagonals(xyxy: np.ndarray) -> np.ndarray:
    return np.hypot(xyxy[:, 2] - xyxy[:, 0], xyxy[:, 3] - xyxy[:, 1])


def iou(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two xyxy boxes."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


def normalise_box(xyxy: np.ndarray, frame_size: tuple[int, int]) -> list[float]:
    """Pixel xyxy → normalised [x1, y1, x2, y2] clipped to 0..1, rounded for a compact wire form."""
    w, h = frame_size
    vals = np.asarray(xyxy, dtype=np.float64) / np.array([w, h, w, h], dtype=np.float64)
    return [round(float(v), 4) for v in np.clip(vals, 0.0, 1.0)]


def point_to_box_distance(p: np.ndarray, box: np.ndarray, frame_size: tuple[int, int]) -> float:
    """Normalised distance from point ``p`` to the nearest point of ``box`` (0 inside), x and y scaled by w, h."""
    w, h = frame_size
    dx = max(box[0] - p[0], 0.0, p[0] - box[2]) / w
    dy = max(box[1] - p[1], 0.0, p[1] - box[3]) / h
    return math.hypot(dx, dy)


class LineGeometry:
    """A counting line in pixels, with supervision's side convention.

    ``side`` is +1 on the 'in' side and -1 on the 'out' side; as in ``sv.LineZone`` the 'in' side is where the
    cross product (end - start) x (p - start) is negative, i.e. the *visual* left of start→end in an image
    whose y axis points down. Points within ``margin`` pixels of the line, or beyond its ends, have side 0::

               in (+1)   ↑ margin
        start o=========o end      (band of ±margin px: side 0, "on the line")
               out (-1)  ↓
          0  |           |  0      (outside the segment's perpendicular limits)

    Example:
        >>> g = LineGeometry(np.array([0.0, 100.0]), np.array([200.0, 100.0]))
        >>> int(g.side(np.array([50.0, 50.0]), margin=2.0)), int(g.side(np.array([50.0, 150.0]), margin=2.0))
        (1, -1)
    """

    def __init__(self, start: np.ndarray, end: np.ndarray) -> None:
        self.start = np.asarray(start, dtype=np.float64)
        self.end = np.asarray(end, dtype=np.float64)
        d = self.end - self.start
        self.length = float(np.hypot(*d))
        self.unit = d / self.length

    def side(self, p: np.ndarray, margin: float) -> int:
        rel = np.asarray(p, dtype=np.float64) - self.start
        along = float(rel @ self.unit)
        if along < 0.0 or along > self.length:
            return 0
        signed = float(self.unit[0] * rel[1] - self.unit[1] * rel[0])  # distance, negative = 'in' side
        if abs(signed) <= margin:
            return 0
        return 1 if signed < 0 else -1


class GroundPlane:
    """Image pixels → ground metres through the camera's four-point calibration.

    Example:
        >>> cal = CalibrationConfig(image_points=[(0, 0), (1, 0), (1, 1), (0, 1)],
        ...                         world_points=[(0, 0), (10, 0), (10, 10), (0, 10)])
        >>> GroundPlane(cal, (100, 100)).to_metres(np.array([[50.0, 50.0]])).round(3).tolist()
        [[5.0, 5.0]]
    """

    def __init__(self, calibration: CalibrationConfig, frame_size: tuple[int, int]) -> None:
        src = to_pixels(calibration.image_points, frame_size).astype(np.float32)
        dst = np.asarray(calibration.world_points, dtype=np.float32)
        self.matrix = cv2.getPerspectiveTransform(src, dst)

    def to_metres(self, points_px: np.ndarray) -> np.ndarray:
        pts = np.asarray(points_px, dtype=np.float64).reshape(-1, 1, 2)
        if len(pts) == 0:
            return np.zeros((0, 2))
        return cv2.perspectiveTransform(pts, self.matrix).reshape(-1, 2)


def direction_word(dx: float, dy: float) -> str:
    """Image-space travel direction as a word: 'right', 'left', 'up/away' or 'down/toward' (y grows downwards)."""
    deg = direction_deg(dx, dy)
    if deg < 45.0 or deg >= 315.0:
        return "right"
    if deg < 135.0:
        return "up/away"
    if deg < 225.0:
        return "left"
    return "down/toward"


def direction_deg(dx: float, dy: float) -> float:
    """Compass-like image angle: 0 = right, 90 = up the image, 180 = left, 270 = down."""
    return math.degrees(math.atan2(-dy, dx)) % 360.0


def angle_between_deg(a: Sequence[float], b: Sequence[float]) -> float:
    """Unsigned angle between two 2-D vectors, 0..180 degrees."""
    na, nb = math.hypot(a[0], a[1]), math.hypot(b[0], b[1])
    if na == 0.0 or nb == 0.0:
        return 0.0
    cos = (a[0] * b[0] + a[1] * b[1]) / (na * nb)
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def velocity(ts: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Least-squares velocity (units/s) of points ``xy`` (n, 2) sampled at ``ts`` (n,); smooths detector jitter."""
    t = ts - ts.mean()
    denom = float(t @ t)
    if denom <= 0.0:
        return np.zeros(2)
    return (t @ (xy - xy.mean(axis=0))) / denom
