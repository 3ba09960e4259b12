"""Shared pieces of rule evaluators: the evaluator interface, stillness, observations."""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from pipeline.rules.geometry import GroundPlane, normalise_box
from pipeline.rules.lifecycle import Observation
from pipeline.rules.registry import rule_spec
from pipeline.rules.tracks import FrameView
from pipeline.rules.zones import ZoneSet

@dataclass(frozen=True)
class EngineContext:
    """Per-camera constants every evaluator may need (computed once in the engine constructor)."""

    frame_size: tuple[int, int]
    zones: ZoneSet
    ground: GroundPlane | None
    tz: ZoneInfo
    hold_s: float = 0.0  # a still object missed by the detector this long is still there (tracker.still_hold_s)


class RuleEvaluator:
    """Turns one rule plus the current ``FrameView`` into the incident keys whose condition holds now.

    Subclasses implement ``evaluate``; per-object state is keyed by identity id and dropped in ``forget``.
    """

    def __init__(self, rule: Any, ctx: EngineContext) -> None:
        self.rule = rule
        self.ctx = ctx
        classes = getattr(rule, "classes", None)
        self.classes: frozenset[str] | None = (
            # a rule whose name implies what it watches defaults to that family (its module's default_classes),
            # so a person standing still is not a "stopped vehicle" and a parked car is not an "abandoned object"
            frozenset(classes) if classes is not None else rule_spec(rule.type).default_classes
        )
        self.zone: str | None = getattr(rule, "zone", None)
        self.grace_s = float(rule.close_after_s)
        self._state: dict[int, Any] = {}

    def evaluate(self, view: FrameView) -> dict[Hashable, Observation]:
        raise NotImplementedError

    def forget(self, identities: list[int]) -> None:
        for ident in identities:
            self._state.pop(ident, None)

    def reset(self) -> None:
        self._state.clear()

    def observe_object(self, view: FrameView, row: int, **facts: Any) -> Observation:
        """Observation for a single-object incident at ``row`` with common facts filled in."""
        obj = view.identity(row)
        base: dict[str, Any] = {
            "first_seen": round(obj.first_seen, 3),
            "last_seen": round(obj.last_seen, 3),
        }
        base.update({k: (round(v, 2) if isinstance(v, float) else v) for k, v in facts.items()})
        return Observation(
            object_class=str(view.class_names[row]),
            bbox=normalise_box(view.xyxy[row], view.frame_size),
            track_ids=list(obj.raw_ids),
            zone=self.zone,
            facts=base,
        )


class Stillness:
    """How long an object has stayed put, robust to detector jitter, short occlusions and slow drift.

    The box centre is smoothed (exponential average, ``alpha``) and compared with a reference point where the
    object settled. Leaving the reference by more than ``max_motion`` box diagonals (at least 1 px) counts only
    if the object stays away for ``settle_s``: a passing car that occludes a parked one for a second shifts
    its box briefly and must not restart an hour-long dwell. After such a sustained shift the reference moves
    to the new position, but the clock restarts only if the object is now more than ``step_factor`` limits
    from where the clock started: real detectors re-fit a parked car's box by a couple of pixels (partial
    occlusion, lighting), which is not the car moving. While within the limit the reference follows slow
    drift (time constant ``follow_s``). Raising ``settle_s`` resists longer occlusions but reports a departure
    later; raising ``step_factor`` tolerates bigger box re-fits but lets a car creep further unnoticed.

    Example:
        >>> s = Stillness(max_motion=0.02)
        >>> [s.update(np.array([50.0, 50.0]), 100.0, t) for t in (0.0, 5.0)]
        [0.0, 5.0]
    """

    def __init__(self, max_motion: float, *, alpha: float = 0.3, settle_s: float = 2.0, follow_s: float = 10.0,
                 step_factor: float = 3.0) -> None:
        self.max_motion = max_motion
        self.step_factor = step_factor
        self.origin: np.ndarray | None = None
        self.alpha = alpha
        self.settle_s = settle_s
        self.follow_s = follow_s
        self.smooth: np.ndarray | None = None
        self.ref: np.ndarray | None = None
        self.since = 0.0
        self.away_since: float | None = None
        self.last_ts = 0.0

    def update(self, centre: np.ndarray, diag: float, ts: float) -> float:
        """Feed the centre at ``ts``; return seconds still (frozen, not growing, while it is away)."""
        c = np.asarray(centre, dtype=np.float64)
        if self.smooth is None or self.ref is None:
            self.smooth, self.ref, self.origin, self.since, self.last_ts = c.copy(), c.copy(), c.copy(), ts, ts
            return 0.0
        dt, self.last_ts = max(ts - self.last_ts, 0.0), ts
        self.smooth = self.alpha * c + (1.0 - self.alpha) * self.smooth
        limit = max(self.max_motion * diag, 1.0)
        if float(np.hypot(*(self.smooth - self.ref))) > limit:
            if self.away_since is None:
                self.away_since = ts
            if ts - self.away_since >= self.settle_s:  # a sustained shift: settle at the new position
                self.ref, self.away_since = self.smooth.copy(), None
                if self.origin is None or float(np.hypot(*(self.ref - self.origin))) > self.step_factor * limit:
                    self.origin, self.since = self.ref.copy(), ts  # it really moved: restart the clock
        else:
            self.away_since = None
            self.ref = self.ref + (1.0 - math.exp(-dt / self.follow_s)) * (self.smooth - self.ref)
        return (self.away_since if self.away_since is not None else ts) - self.since
