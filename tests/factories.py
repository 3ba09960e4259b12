"""Test factories: one per currency (Detections, Frame, CameraConfig, IncidentEvent) plus a synthetic track-scene builder."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np
import supervision as sv

from pipeline.config import CameraConfig
from pipeline.types import CLASS_NAME_DATA_FIELD, Frame, IncidentEvent

# Monday 2024-06-03 12:00:00 UTC: a fixed, minute-aligned clock for deterministic tests.
T0 = datetime(2024, 6, 3, 12, 0, 0, tzinfo=timezone.utc).timestamp()

COCO_IDS = {"person": 0, "bicycle": 1, "car": 2, "motorcycle": 3, "bus": 5, "truck": 7,
            "backpack": 24, "handbag": 26, "suitcase": 28}


def make_detections(
    xyxy: Sequence[Sequence[float]] | np.ndarray | None = None,
    *,
    tracker_id: Sequence[int] | int | None = None,
    class_name: Sequence[str] | str = "person",
    confidence: Sequence[float] | float = 0.9,
) -> sv.Detections:
    """A ``supervision.Detections`` as the tracker hands it on; scalars broadcast over rows.

    Example:
        >>> len(make_detections([[0, 0, 10, 10]], tracker_id=1, class_name="car"))
        1
    """
    boxes = np.asarray(xyxy if xyxy is not None else np.zeros((0, 4)), dtype=np.float32).reshape(-1, 4)
    n = len(boxes)
    names = [class_name] * n if isinstance(class_name, str) else list(class_name)
    conf = np.full(n, confidence, dtype=np.float32) if np.isscalar(confidence) else np.asarray(confidence, np.float32)
    det = sv.Detections(
        xyxy=boxes,
        confidence=conf,
        class_id=np.array([COCO_IDS.get(c, 99) for c in names], dtype=int),
        tracker_id=None if tracker_id is None else np.asarray(
            [tracker_id] * n if np.isscalar(tracker_id) else tracker_id, dtype=int
        ),
    )
    det.data[CLASS_NAME_DATA_FIELD] = np.array(names, dtype=str)
    return det


def make_frame(camera_id: str = "cam-1", frame_id: int = 0, ts: float = T0,
               size: tuple[int, int] = (640, 360)) -> Frame:
    w, h = size
    return Frame(camera_id=camera_id, frame_id=frame_id, ts=ts, image=np.zeros((h, w, 3), np.uint8))


def make_camera(**overrides: Any) -> CameraConfig:
    """A valid ``CameraConfig``; pass zones/lines/rules/calibration as plain dicts."""
    data: dict[str, Any] = {"id": "cam-1", "box": "box-1", "source": {"url": "video.mp4"}}
    data.update(overrides)
    return CameraConfig.model_validate(data)


def box_at(anchor: Sequence[float], size: tuple[float, float] = (40.0, 80.0)) -> np.ndarray:
    """xyxy of a ``size`` (w, h) box whose bottom-centre anchor is at ``anchor`` (pixels)."""
    x, y = anchor
    w, h = size
    return np.array([x - w / 2, y - h, x + w / 2, y], dtype=np.float64)


def path(start: Sequence[float], end: Sequence[float], n: int,
         size: tuple[float, float] = (40.0, 80.0)) -> list[np.ndarray]:
    """``n`` boxes whose anchor moves in a straight line from ``start`` to ``end`` (inclusive)."""
    a, b = np.asarray(start, dtype=np.float64), np.asarray(end, dtype=np.float64)
    return [box_at(a + (b - a) * (i / max(n - 1, 1)), size) for i in range(n)]


def still(at: Sequence[float], n: int, size: tuple[float, float] = (40.0, 80.0), jitter: float = 0.0,
          seed: int = 0) -> list[np.ndarray]:
    """``n`` boxes standing at ``at``, optionally with uniform ±``jitter`` px detector noise on the anchor."""
    rng = np.random.default_rng(seed)
    return [box_at(np.asarray(at) + rng.uniform(-jitter, jitter, 2), size) for _ in range(n)]


@dataclass
class _Track:
    tracker_id: int
    class_name: str
    boxes: list[np.ndarray]
    start: int
    gaps: frozenset[int]


@dataclass
class Scene:
    """Synthetic tracks over frames at ``fps``: ``add`` trajectories, then ``run`` an engine through them.

    Example:
        >>> s = Scene().add(1, "car", still((100, 100), 5))
        >>> [len(d) for _, d in s.frames()]
        [1, 1, 1, 1, 1]
    """

    fps: float = 10.0
    t0: float = T0
    tracks: list[_Track] = field(default_factory=list)

    def add(self, tracker_id: int, class_name: str, boxes: list[np.ndarray], start: int = 0,
            gaps: Iterable[int] = ()) -> "Scene":
        """Track present from frame ``start`` for ``len(boxes)`` frames, missing on absolute frames ``gaps``."""
        self.tracks.append(_Track(tracker_id, class_name, boxes, start, frozenset(gaps)))
        return self

    @property
    def n_frames(self) -> int:
        return max((t.start + len(t.boxes) for t in self.tracks), default=0)

    def ts(self, i: int) -> float:
        return self.t0 + i / self.fps

    def detections(self, i: int) -> sv.Detections:
        rows = [(t, t.boxes[i - t.start]) for t in self.tracks
                if t.start <= i < t.start + len(t.boxes) and i not in t.gaps]
        return make_detections([b for _, b in rows], tracker_id=[t.tracker_id for t, _ in rows],
                               class_name=[t.class_name for t, _ in rows])

    def frames(self, n: int | None = None) -> Iterable[tuple[float, sv.Detections]]:
        for i in range(self.n_frames if n is None else n):
            yield self.ts(i), self.detections(i)

    def run(self, engine: Any, n: int | None = None, flush: bool = False,
            on_frame: Callable[[int, Any], None] | None = None) -> "Collected":
        """Feed every frame to ``engine``; collect all outputs (and ``flush`` one frame after the end)."""
        got = Collected()
        last = self.t0
        for i, (ts, det) in enumerate(self.frames(n)):
            out = engine.update(det, ts)
            got.extend(out)
            last = ts
            if on_frame is not None:
                on_frame(i, out)
        if flush:
            got.extend(engine.flush(last + 1.0 / self.fps))
        return got


@dataclass
class Collected:
    """Everything a run produced, with small helpers for exact assertions."""

    incidents: list = field(default_factory=list)
    counts: list = field(default_factory=list)
    crossings: list = field(default_factory=list)

    def extend(self, out: Any) -> None:
        self.incidents.extend(out.incidents)
        self.counts.extend(out.counts)
        self.crossings.extend(out.crossings)

    def states(self, rule: str | None = None) -> list[str]:
        return [e.state.value for e in self.incidents if rule is None or e.rule == rule]

    def opened(self, rule: str | None = None) -> list:
        return [e for e in self.incidents if e.state.value == "opened" and (rule is None or e.rule == rule)]

    def final_counts(self) -> dict[tuple[str, str, str], int]:
        """(line, class, direction) → total over all minute buckets, taking each bucket's last running total."""
        buckets: dict[tuple, int] = {}
        for c in self.counts:
            buckets[(c.name, c.object_class, c.direction, c.bucket_start)] = c.count
        totals: dict[tuple[str, str, str], int] = {}
        for (name, cls, direction, _), v in buckets.items():
            totals[(name, cls, direction)] = totals.get((name, cls, direction), 0) + v
        return totals


STORE_T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def make_incident(i: int, seq: int = 0, *, step: timedelta = timedelta(minutes=1), **kw: Any) -> IncidentEvent:
    """Incident ``inc-<i>`` revision ``seq``, started ``i`` steps after ``STORE_T0``; fields override.

    Example:
        >>> make_incident(3, seq=1, state="updated").id
        'inc-00003'
    """
    base: dict[str, Any] = dict(id=f"inc-{i:05d}", seq=seq, state="opened", type="intrusion", camera_id="cam-1",
                                rule="intrusion:gate", started_at=STORE_T0 + i * step, updated_at=STORE_T0 + i * step)
    return IncidentEvent(**{**base, **kw})


def tiny_jpeg(w: int = 16, h: int = 12, value: int = 127) -> bytes:
    """A real (decodable) JPEG of a flat grey image; ingest refuses evidence that is not one."""
    import cv2

    ok, buf = cv2.imencode(".jpg", np.full((h, w, 3), value, np.uint8))
    if not ok:
        raise RuntimeError("cv2.imencode failed")
    return buf.tobytes()
