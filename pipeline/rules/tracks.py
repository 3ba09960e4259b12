"""Object identities across tracker id switches, and the per-update view of tracks that every rule reads."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pipeline.rules.geometry import bottom_centres, centres, class_family, diagonals, iou


@dataclass
class Identity:
    """One physical object as the rules see it; survives tracker id switches.

    Attributes:
        id: internal identity number (not a tracker id).
        raw_ids: every tracker id this object has had, oldest first.
        object_class: class name at the latest sighting.
        first_seen / last_seen: timestamps (s since epoch).
        box: latest xyxy in pixels.
        history: recent (ts, anchor_x, anchor_y) in pixels, bounded by time.
    """

    id: int
    raw_ids: list[int]
    object_class: str
    first_seen: float
    last_seen: float
    box: np.ndarray
    history: deque = field(default_factory=lambda: deque(maxlen=512))

    def history_arrays(self, since: float) -> tuple[np.ndarray, np.ndarray]:
        """(ts, xy) of history samples at or after ``since``."""
        rows = [h for h in self.history if h[0] >= since]
        if not rows:
            return np.zeros(0), np.zeros((0, 2))
        arr = np.asarray(rows, dtype=np.float64)
        return arr[:, 0], arr[:, 1:3]


class IdentityRegistry:
    """Maps tracker ids to identities, re-associating a new id with a just-lost object it overlaps.

    A tracker may drop an object for a few frames and come back with a new id (occlusion, a parked car the
    detector misses for a moment). A new id whose box has IoU >= ``min_iou`` with an object of the same class
    family lost within ``reassociate_s`` continues that object, so dwell, stillness, line sides and open
    incidents carry on. An object that was *still* when it was lost (its anchor stayed within a quarter of its
    box diagonal over its last seconds: a person standing or crouching, a parked car) is continued for longer,
    ``still_hold_s``, by a new id whose anchor is within a quarter diagonal of where it stood, whatever the
    box's shape (a person who crouched and stood up). Objects unseen for ``forget_s`` are dropped to keep
    memory bounded.

    Example:
        >>> reg = IdentityRegistry(reassociate_s=2.0, forget_s=60.0, history_s=2.0)
        >>> box = np.array([[10.0, 10.0, 50.0, 50.0]])
        >>> a, _ = reg.observe(np.array([7]), np.array(["car"]), box, ts=0.0)
        >>> b, _ = reg.observe(np.array([9]), np.array(["car"]), box + 1, ts=1.0)
        >>> bool(a[0] == b[0])
        True
    """

    def __init__(self, *, reassociate_s: float, forget_s: float, history_s: float, min_iou: float = 0.5,
                 still_hold_s: float = 0.0) -> None:
        self.reassociate_s = reassociate_s
        self.still_hold_s = still_hold_s
        self.forget_s = max(forget_s, still_hold_s)
        self.history_s = history_s
        self.min_iou = min_iou
        self.identities: dict[int, Identity] = {}
        self._by_raw: dict[int, int] = {}
        self._next = 1

    def reset(self) -> None:
        self.identities.clear()
        self._by_raw.clear()
        self._next = 1

    def observe(
        self, raw_ids: np.ndarray, class_names: np.ndarray, xyxy: np.ndarray, ts: float
    ) -> tuple[np.ndarray, list[int]]:
        """Assign an identity to each row; return (identity ids, identities forgotten in this call)."""
        n = len(raw_ids)
        out = np.zeros(n, dtype=np.int64)
        taken: set[int] = set()
        fresh: list[int] = []
        for i in range(n):
            ident = self._by_raw.get(int(raw_ids[i]))
            if ident is not None and ident not in taken:
                out[i] = ident
                taken.add(ident)
            else:
                fresh.append(i)
        for i, ident in self._reassociate(fresh, class_names, xyxy, ts, taken).items():
            out[i] = ident
            taken.add(ident)
        for i in fresh:
            if out[i] == 0:
                out[i] = self._new(ts)
        anchors = bottom_centres(xyxy)
        for i in range(n):
            self._touch(int(out[i]), int(raw_ids[i]), str(class_names[i]), xyxy[i], anchors[i], ts)
        return out, self._forget(ts)

    def _reassociate(
        self, fresh: list[int], class_names: np.ndarray, xyxy: np.ndarray, ts: float, taken: set[int]
    ) -> dict[int, int]:
        horizon = max(self.reassociate_s, self.still_hold_s)
        lost = [
            o for o in self.identities.values()
            if o.id not in taken and o.last_seen < ts and ts - o.last_seen <= horizon
        ]
        if not fresh or not lost:
            return {}
        # reach (px) of each lost object that stood still, within still_hold_s: measured once, not per new id
        still = {o.id: r for o in lost if ts - o.last_seen <= self.still_hold_s and (r := still_reach(o)) is not None}
        anchors = bottom_centres(xyxy)
        pairs = []
        for i in fresh:
            fam = class_family(str(class_names[i]))
            for o in lost:
                if class_family(o.object_class) != fam:
                    continue
                v = iou(xyxy[i], o.box) if ts - o.last_seen <= self.reassociate_s else 0.0
                if v >= self.min_iou:
                    pairs.append((1.0 + v, i, o.id))
                elif o.id in still:
                    reach = still[o.id]
                    dist = float(np.hypot(*(anchors[i] - o.history[-1][1:3])))
                    if dist <= reach:
                        pairs.append((1.0 - dist / max(reach, 1e-9), i, o.id))
        # Greedy by overlap: each lost object continues at most one new id, each new id at most one object.
        pairs.sort(reverse=True)
        matched: dict[int, int] = {}
        used: set[int] = set()
        for _, i, ident in pairs:
            if i in matched or ident in used:
                continue
            matched[i] = ident
            used.add(ident)
        return matched

    def _new(self, ts: float) -> int:
        ident = self._next
        self._next += 1
        self.identities[ident] = Identity(ident, [], "", ts, ts, np.zeros(4))
        return ident

    def _touch(self, ident: int, raw: int, cls: str, box: np.ndarray, anchor: np.ndarray, ts: float) -> None:
        obj = self.identities[ident]
        if raw not in obj.raw_ids:
            obj.raw_ids.append(raw)
            del obj.raw_ids[:-16]  # a pathological flip-flopping track must not grow without bound
        self._by_raw[raw] = ident
        obj.object_class = cls
        obj.last_seen = ts
        obj.box = np.asarray(box, dtype=np.float64).copy()
        obj.history.append((ts, float(anchor[0]), float(anchor[1])))
        while obj.history and obj.history[0][0] < ts - self.history_s:
            obj.history.popleft()

    def _forget(self, ts: float) -> list[int]:
        gone = [o.id for o in self.identities.values() if ts - o.last_seen > self.forget_s]
        for ident in gone:
            for raw in self.identities.pop(ident).raw_ids:
                if self._by_raw.get(raw) == ident:
                    del self._by_raw[raw]
        return gone


# A lost object counts as still when its anchor stayed this close (in box diagonals) to where it was lost over
# its last _STILL_WINDOW_S of history; a walking person moves about a diagonal per second.
_STILL_FRAC = 0.25
_STILL_WINDOW_S = 2.0


def still_reach(obj: Identity) -> float | None:
    """How far (px) from where ``obj`` stood a new id may be to continue it, or None when it was not still."""
    if not obj.history:
        return None
    last = np.asarray(obj.history[-1][1:3])
    reach = _STILL_FRAC * float(diagonals(obj.box[None])[0])
    recent = [h for h in obj.history if h[0] >= obj.last_seen - _STILL_WINDOW_S]
    return reach if all(float(np.hypot(h[1] - last[0], h[2] - last[1])) <= reach for h in recent) else None


@dataclass
class FrameView:
    """Everything rules need about one update, computed once: rows are confirmed tracks only.

    Attributes:
        ts: update time (s since epoch).
        frame_size: (width, height) in pixels.
        ids: identity id per row; raw_ids: tracker id per row; class_names: class name per row.
        xyxy / anchors (bottom-centre) / centres / diags: pixel geometry per row.
        in_zone: zone name → bool mask of rows whose bottom-centre anchor lies inside.
        registry: the identity registry (first_seen, raw ids, history).
        earlier: raw tracker id → (time, xyxy) sightings from before its track was confirmed, for tracks the
            tracker confirmed only now on boxes it had already seen (``Tracker.births``); empty otherwise.
        zone_only: raw tracker ids that zone rules use but counting lines skip (``Tracker.zone_only``: tracks
            started from a still low-score box that no high-score box has confirmed yet).
        sighted: raw tracker id → (time, xyxy) sightings of still low-score boxes where a track confirmed now
            stood before (``Tracker.sighted``): presence rules date a visit from them, counting lines never see them.
        picture: the camera's ``pipeline.motion.ChangeHistory`` (how the picture changed over its last seconds),
            for presence rules to date a visit from when its place came alive and to see a visitor the detector
            lost still moving where they stood; None when the camera keeps none.
    """

    ts: float
    frame_size: tuple[int, int]
    ids: np.ndarray
    raw_ids: np.ndarray
    class_names: np.ndarray
    xyxy: np.ndarray
    in_zone: dict[str, np.ndarray]
    registry: IdentityRegistry
    earlier: dict[int, list[tuple[float, np.ndarray]]] = field(default_factory=dict)
    zone_only: frozenset[int] = frozenset()
    sighted: dict[int, list[tuple[float, np.ndarray]]] = field(default_factory=dict)
    picture: Any = None
    anchors: np.ndarray = field(init=False)
    centres: np.ndarray = field(init=False)
    diags: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.anchors = bottom_centres(self.xyxy)
        self.centres = centres(self.xyxy)
        self.diags = diagonals(self.xyxy)

    def __len__(self) -> int:
        return len(self.ids)

    def select(self, classes: frozenset[str] | None, zone: str | None = None) -> np.ndarray:
        """Row indices whose class is in ``classes`` (None = all) and, if given, inside ``zone``."""
        mask = np.ones(len(self.ids), dtype=bool)
        if classes is not None:
            mask &= np.array([c in classes for c in self.class_names], dtype=bool)
        if zone is not None:
            mask &= self.in_zone[zone]
        return np.flatnonzero(mask)

    def identity(self, row: int) -> Identity:
        return self.registry.identities[int(self.ids[row])]
