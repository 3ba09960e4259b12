"""Per-object motion rules: wrong-way travel in a zone, and speeding on the calibrated ground plane."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Hashable

import numpy as np

from pipeline.caption.phrases import heading, num, subject, where
from pipeline.config import rule_name
from pipeline.rules.base import EngineContext, RuleEvaluator
from pipeline.rules.geometry import angle_between_deg, direction_deg, direction_word, velocity
from pipeline.rules.lifecycle import Observation
from pipeline.rules.registry import RuleSpec, register
from pipeline.rules.tracks import FrameView

_TRAIL_S = 30.0  # how far back wrong-way looks for a point min_travel away; bounds per-object memory
_TRAIL_LEN = 300


class _Trail:
    """Recent in-zone anchor positions of one object, and the last wrong/right judgement."""

    def __init__(self) -> None:
        self.points: deque[tuple[float, float, float]] = deque(maxlen=_TRAIL_LEN)
        self.wrong: bool | None = None
        self.vector = (0.0, 0.0)


class WrongWayEvaluator(RuleEvaluator):
    """Travel inside the zone at more than ``max_angle_deg`` from the zone's ``allowed_direction``.

    Direction is judged over the most recent stretch of at least ``min_travel`` (normalised units: x divided
    by width, y by height, the same space as ``allowed_direction``), so a short jitter is never judged and a
    U-turn is picked up once the object has covered ``min_travel`` the other way. An object that stops keeps
    its last judgement until it leaves the zone.
    """

    def __init__(self, rule, ctx: EngineContext) -> None:
        super().__init__(rule, ctx)
        direction = ctx.zones.configs[rule.zone].allowed_direction
        assert direction is not None  # guaranteed by CameraConfig validation
        self.allowed = (float(direction[0]), float(direction[1]))

    def evaluate(self, view: FrameView) -> dict[Hashable, Observation]:
        out: dict[Hashable, Observation] = {}
        w, h = view.frame_size
        inside = set(view.select(self.classes, self.zone).tolist())
        for r in view.select(self.classes):
            ident = int(view.ids[r])
            if r not in inside:
                self._state.pop(ident, None)
                continue
            trail: _Trail = self._state.setdefault(ident, _Trail())
            x, y = float(view.anchors[r][0]) / w, float(view.anchors[r][1]) / h
            trail.points.append((view.ts, x, y))
            while trail.points[0][0] < view.ts - _TRAIL_S:
                trail.points.popleft()
            for t0, x0, y0 in reversed(trail.points):
                if math.hypot(x - x0, y - y0) >= self.rule.min_travel:
                    trail.vector = (x - x0, y - y0)
                    trail.wrong = angle_between_deg(trail.vector, self.allowed) > self.rule.max_angle_deg
                    break
            if trail.wrong:
                dx, dy = trail.vector[0] * w, trail.vector[1] * h
                out[ident] = self.observe_object(
                    view, r,
                    direction=direction_word(dx, dy),
                    direction_deg=round(direction_deg(dx, dy), 1),
                    angle_deg=round(angle_between_deg(trail.vector, self.allowed), 1),
                )
        return out


class SpeedingEvaluator(RuleEvaluator):
    """Ground-plane speed above ``limit_kmh``.

    The bottom-centre anchor (where the object meets the road) is mapped to metres through the camera's
    calibration homography; speed is the least-squares velocity over the last ``window_s``, which smooths
    box jitter. It is judged only once at least half a window of history exists, so a new track's first
    jumpy frames cannot raise an incident.
    """

    def __init__(self, rule, ctx: EngineContext) -> None:
        super().__init__(rule, ctx)
        if ctx.ground is None:
            raise ValueError(f"speeding rule {rule_name(rule)} needs camera calibration")
        self.ground = ctx.ground

    def speed_kmh(self, view: FrameView, row: int) -> float | None:
        ts, xy = view.identity(row).history_arrays(view.ts - self.rule.window_s)
        if len(ts) < 3 or ts[-1] - ts[0] < 0.5 * self.rule.window_s:
            return None
        v = velocity(ts, self.ground.to_metres(xy))
        return float(np.hypot(*v)) * 3.6

    def evaluate(self, view: FrameView) -> dict[Hashable, Observation]:
        out: dict[Hashable, Observation] = {}
        for r in view.select(self.classes, self.zone):
            ident = int(view.ids[r])
            kmh = self.speed_kmh(view, r)
            if kmh is None or kmh <= self.rule.limit_kmh:
                continue
            top = max(kmh, self._state.get(ident, 0.0))
            self._state[ident] = top
            out[ident] = self.observe_object(
                view, r, speed_kmh=round(kmh, 1), max_speed_kmh=round(top, 1), limit_kmh=self.rule.limit_kmh
            )
        return out


def _wrong_way_caption(f: dict) -> str:
    h = heading(f)
    return f"{subject(f, 'vehicle')} travelled the wrong way{where(f)}{', ' + h if h else ''}"


def _speeding_caption(f: dict) -> str:
    speed, limit, h = num(f.get("speed_kmh")), num(f.get("limit_kmh")), heading(f)
    at = f" at {speed:.0f} km/h" if speed is not None else ""
    over = f" (limit {limit:.0f} km/h)" if limit is not None else ""
    return f"{subject(f, 'vehicle')} was speeding{at}{over}{where(f)}{', ' + h if h else ''}"


register(RuleSpec("wrong_way", WrongWayEvaluator, _wrong_way_caption))
register(RuleSpec("speeding", SpeedingEvaluator, _speeding_caption))
