"""Zone-aggregate rules keyed by zone: crowding (too many objects) and congestion (many objects, slow)."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from pipeline.caption.phrases import for_, num, plural, where
from pipeline.rules.base import RuleEvaluator
from pipeline.rules.geometry import VEHICLES, normalise_box, velocity
from pipeline.rules.lifecycle import Observation, Sustain
from pipeline.rules.registry import RuleSpec, register
from pipeline.rules.tracks import FrameView

_SPEED_WINDOW_S = 1.0  # congestion speed is measured over this much history per object


class _ZoneAggregate(RuleEvaluator):
    """Base: a condition over the objects in the zone, held for ``min_duration_s`` (gaps < close_after_s ignored)."""

    def __init__(self, rule, ctx) -> None:
        super().__init__(rule, ctx)
        self._held = Sustain(self.grace_s)

    def reset(self) -> None:
        super().reset()
        self._held = Sustain(self.grace_s)

    def observe_zone(self, view: FrameView, rows: np.ndarray, held: float, **facts) -> Observation:
        classes = sorted({str(view.class_names[r]) for r in rows})
        track_ids = sorted({int(view.raw_ids[r]) for r in rows})
        union = None
        if len(rows):
            b = view.xyxy[rows]
            union = normalise_box(
                np.array([b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()]), view.frame_size
            )
        facts = {k: (round(v, 2) if isinstance(v, float) else v) for k, v in facts.items()}
        facts.update(count=int(len(rows)), max_count=self.rule.max_count, dwell_s=round(held, 2), classes=classes)
        return Observation(
            object_class=classes[0] if len(classes) == 1 else None,
            bbox=union,
            track_ids=track_ids,
            zone=self.zone,
            facts=facts,
        )


class CrowdingEvaluator(_ZoneAggregate):
    """More than ``max_count`` watched objects in the zone for ``min_duration_s``."""

    def evaluate(self, view: FrameView) -> dict[Hashable, Observation]:
        rows = view.select(self.classes, self.zone)
        held = self._held.update(len(rows) > self.rule.max_count, view.ts)
        if len(rows) > self.rule.max_count and held >= self.rule.min_duration_s:
            return {self.zone: self.observe_zone(view, rows, held)}
        return {}


class CongestionEvaluator(_ZoneAggregate):
    """At least ``max_count`` objects in the zone whose mean speed is below ``max_mean_speed_px_s``.

    Speed is each object's least-squares anchor velocity (pixels/s) over the last second; objects with less
    than half a second of history are left out of the mean, and with no measurable object the zone is not
    judged congested.
    """

    def mean_speed(self, view: FrameView, rows: np.ndarray) -> float | None:
        speeds = []
        for r in rows:
            ts, xy = view.identity(r).history_arrays(view.ts - _SPEED_WINDOW_S)
            if len(ts) >= 3 and ts[-1] - ts[0] >= 0.5 * _SPEED_WINDOW_S:
                speeds.append(float(np.hypot(*velocity(ts, xy))))
        return float(np.mean(speeds)) if speeds else None

    def evaluate(self, view: FrameView) -> dict[Hashable, Observation]:
        rows = view.select(self.classes, self.zone)
        mean = self.mean_speed(view, rows) if len(rows) >= self.rule.max_count else None
        cond = mean is not None and mean < self.rule.max_mean_speed_px_s
        held = self._held.update(cond, view.ts)
        if cond and held >= self.rule.min_duration_s:
            return {self.zone: self.observe_zone(view, rows, held, mean_speed_px_s=float(mean))}
        return {}


def _crowding_caption(f: dict) -> str:
    n = int(num(f.get("count")) or 0)
    who = f"A crowd of {n} {plural(str(f.get('object_class') or 'person'), n)}" if n else "A crowd"
    return f"{who} gathered{where(f)}{for_(f, 'duration_s', 'dwell_s')}"


def _congestion_caption(f: dict) -> str:
    n = int(num(f.get("count")) or 0)
    jam = f" with {n} {plural(str(f.get('object_class') or 'vehicle'), n)} queued" if n else ""
    return f"Traffic was congested{where(f)}{jam}{for_(f, 'duration_s', 'dwell_s')}"


register(RuleSpec("crowding", CrowdingEvaluator, _crowding_caption))
register(RuleSpec("congestion", CongestionEvaluator, _congestion_caption, default_classes=VEHICLES))
