"""Shared pieces of rule evaluators: the evaluator interface, stillness, observations."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from pipeline.rules.geometry import GroundPlane, class_family, normalise_box
from pipeline.rules.lifecycle import Observation, Sustain
from pipeline.rules.registry import rule_spec
from pipeline.rules.tracks import FrameView, IdentityRegistry, still_reach
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
        self._key: dict[int, int] = {}  # identity -> the incident key it continues (see ``presence``)
        self._family: dict[int, str] = {}  # identity -> class family at its last watched sighting
        self._box: dict[int, np.ndarray] = {}  # identity -> its box at its last watched sighting
        # incident key -> (the visit clock's start it was dated for, when the picture there came alive)
        self._onset: dict[Hashable, tuple[float, float]] = {}
        self._shown: dict[Hashable, float] = {}  # held incident key -> last time the picture showed it there

    def evaluate(self, view: FrameView) -> dict[Hashable, Observation]:
        raise NotImplementedError

    # presence rules (loitering, intrusion) read the picture (``FrameView.picture``) around their visits
    picture_presence = False

    def held(self, view: FrameView) -> set[Hashable]:
        """Incident keys not seen in this update whose condition still counts as holding (default: none)."""
        return set()

    def seen_until(self, view: FrameView, held: set[Hashable]) -> dict[Hashable, float]:
        """For held keys: the latest time the object was evidently still there, undetected (IncidentBook ``until``).

        A presence visitor the detector has lost (``held``) whose place still changes in the picture (the
        camera's ``ChangeHistory``: a person shifting, turning, crouching where the detector last boxed them) is
        still there: its incident ends at the last such frame, not at the last detection, as long as no still
        pause longer than ``close_after_s`` came between and it was not seen outside the zone since. Only while
        the visit is held (up to ``tracker.still_hold_s`` after the last detection; intrusion holds visitors who
        stood still): the picture extends a visit's end, never starts one, and a waving tree beside someone
        who left unseen adds at most that hold. Change under another tracked object's box does not count.
        """
        if not self.picture_presence or view.picture is None or not held:
            self._shown.clear()
            return {}
        out: dict[Hashable, float] = {}
        for ident, clock in self._state.items():
            key = self._key.get(ident, ident)
            if key not in held or not isinstance(clock, Sustain) or clock.last_true is None:
                continue
            if clock.last_false is not None and clock.last_false > clock.last_true:
                continue  # seen outside the zone since: the picture there is them walking off, not staying
            last = max(self._shown.get(key, clock.last_true), clock.last_true)
            obj = view.registry.identities.get(ident)
            own = frozenset(obj.raw_ids) if obj is not None else frozenset()
            if view.ts - last <= self.grace_s and view.picture.alive_now(self._box[ident], own):
                last = view.ts
            self._shown[key] = out[key] = last
        self._shown = {k: v for k, v in self._shown.items() if k in held}
        return out

    def picture_onset(self, view: FrameView, ident: int, row: int, clock: Sustain) -> float | None:
        """When the visit on ``clock`` began: its first sighting, or earlier where the picture at the box had
        already been changing since, with no still pause longer than ``close_after_s``, up to
        ``tracker.still_hold_s`` back (a person at a night fence is boxed long after they arrived; their place
        was alive all along), and never before the object was last seen outside the zone (one who walked in was
        not there before). Dates the incident's start only: dwell thresholds still count from sightings."""
        if clock.since is None:
            return None
        if not self.picture_presence or view.picture is None or self.ctx.hold_s <= 0:
            return clock.since
        key = self._key.get(ident, ident)
        done = self._onset.get(key)
        if done is None or done[0] != clock.since:
            own = frozenset(view.identity(row).raw_ids)
            onset = view.picture.alive_since(view.xyxy[row], clock.since, self.grace_s, self.ctx.hold_s, own)
            if clock.last_false is not None and clock.last_false < clock.since:
                onset = max(onset, clock.last_false)  # seen outside the zone then: they walked in after it
            done = self._onset[key] = (clock.since, min(onset, clock.since))
        return done[1]

    def forget(self, identities: list[int]) -> None:
        for ident in identities:
            self._state.pop(ident, None)
            self._key.pop(ident, None)
            self._family.pop(ident, None)
            self._box.pop(ident, None)
            self._onset.pop(ident, None)
            self._shown.pop(ident, None)

    def reset(self) -> None:
        self._state.clear()
        self._key.clear()
        self._family.clear()
        self._box.clear()
        self._onset.clear()
        self._shown.clear()

    def presence(self, view: FrameView, rows: np.ndarray, inside: set[int],
                 gap_s: float = 0.0) -> dict[int, tuple[int, Sustain]]:
        """Per watched row: (incident key, presence clock) for presence rules (intrusion, loitering).

        A track that breaks inside the zone is not the object leaving it: the tracker loses a person who bends
        over a bag or is hidden by a passer-by and finds them again under a new id, often with a box too
        different for the identity registry to join the two (a crouch, a bag merged into the box). A watched
        object seen for the first time *inside* the zone therefore continues one of the same class family that
        was inside it less than ``close_after_s`` ago (up to the clock's ``gap_s``, ``tracker.still_hold_s``,
        when it stood still before it was lost), is not in view now and was last seen within one box
        diagonal of the new box (centre to centre): it takes over that object's clock (the dwell runs on) and
        its incident key (one incident, not two). Someone who walks in from outside is first seen outside,
        and someone who appears elsewhere in the zone is too far: both start their own clock. Raising ``close_after_s`` bridges longer breaks but may
        join two people who swap places unseen within it; 0 turns the hand-over off.

        Args:
            gap_s: the clock's tolerance of gaps with no sighting at all (``Sustain.gap_s``).
        """
        present = {int(view.ids[r]) for r in rows}
        out: dict[int, tuple[int, Sustain]] = {}
        for r in rows:
            ident = int(view.ids[r])
            fam = class_family(str(view.class_names[r]))
            if ident not in self._state and r in inside:
                old = self._lost_inside(present, fam, view.xyxy[r], view.ts, view.registry)
                if old is not None:
                    self._state[ident] = self._state.pop(old)
                    self._key[ident] = self._key.pop(old, old)
                    self._family.pop(old, None)
                    self._box.pop(old, None)
            self._family[ident] = fam
            self._box[ident] = view.xyxy[r]
            clock = self._state.get(ident)
            if clock is None:
                clock = self._state[ident] = Sustain(self.grace_s, gap_s)
                # a track the tracker started from boxes it had already seen (a person standing still at a low
                # score): the visit began at those sightings, not when the track was confirmed
                raw = int(view.raw_ids[r])
                for t, box in sorted(view.sighted.get(raw, []) + view.earlier.get(raw, []), key=lambda x: x[0]):
                    clock.update(self._inside(box, view.frame_size), float(t))
            out[int(r)] = (self._key.get(ident, ident), clock)
        return out

    def held_unseen(self, view: FrameView, still_only: bool = False) -> set[Hashable]:
        """Incident keys of presence-rule objects not seen in this update whose clock still bridges the gap.

        A person the detector misses for a while (night IR, a dark doorway) is still there: the open incident
        stays one incident instead of closing after close_after_s and opening again when they are found; it
        still ends where the object was last seen, and its close is published when the clock gives up.
        ``still_only``: only objects that stood still over their last seconds in view (one walking when lost
        was walking away).
        """
        seen = {int(i) for i in view.ids}
        out: set[Hashable] = set()
        for ident, clock in self._state.items():
            if ident in seen or not isinstance(clock, Sustain) or not clock.alive(view.ts):
                continue
            if still_only:
                obj = view.registry.identities.get(ident)
                if obj is None or still_reach(obj) is None:
                    continue
            out.add(self._key.get(ident, ident))
        return out

    def _inside(self, box: np.ndarray, frame_size: tuple[int, int]) -> bool:
        """Whether one pixel box's anchor lies in this rule's zone (anywhere when the rule has none)."""
        if self.zone is None:
            return True
        return bool(self.ctx.zones.masks(np.asarray(box, dtype=np.float64).reshape(1, 4))[self.zone][0])

    def _lost_inside(self, present: set[int], family: str, box: np.ndarray, ts: float,
                     registry: IdentityRegistry) -> int | None:
        """The nearest not-present identity of ``family`` inside the zone within one diagonal, lost within
        close_after_s, or within the clock's own gap tolerance (``tracker.still_hold_s``) when it stood still
        before it was lost (a loiterer hidden by passers-by or lost in the dark, found again under a new id a
        little off where the registry could join them; one lost while walking was walking away)."""
        best, best_d = None, math.inf
        for ident, clock in self._state.items():
            if ident in present or self._family.get(ident) != family or not isinstance(clock, Sustain):
                continue
            if clock.since is None or clock.last_true is None:
                continue
            if ts - clock.last_true > self.grace_s:
                obj = registry.identities.get(ident)
                if not clock.alive(ts) or obj is None or still_reach(obj) is None:
                    continue
            last = self._box[ident]
            d = math.hypot((box[0] + box[2] - last[0] - last[2]) / 2, (box[1] + box[3] - last[1] - last[3]) / 2)
            if d <= math.hypot(last[2] - last[0], last[3] - last[1]) and d < best_d:
                best, best_d = ident, d
        return best

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


# A still object's settled position within this share of its box diagonal of where its clock started is the same
# stop re-fitted (the identity registry's ``still_reach`` continues a still object a quarter diagonal away).
REFIT_FRAC = 0.15


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

    A restarted clock counts from when the object arrived, not from when the shift was confirmed: the smoothed
    centre and ``settle_s`` confirm a stop up to ``settle_s`` plus a few frames after the car pulled up, so the
    clock is dated back to the earliest sighting from which every raw centre lay within ``step_factor`` limits
    of where it now stands (the same tolerance that decides whether it really moved). A stopped car's incident
    then starts when it stopped and it reaches ``still_s`` that much sooner; a car still creeping is not
    dated back (its centres leave the tolerance).

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
        self.stood_in_zone = False  # the rule's zone test where it last stood (not away): StoppedVehicleEvaluator
        # raw centres over the last settle_s + 2 s: where the object was just before a restart (``_arrived``)
        self._recent: deque[tuple[float, float, float]] = deque()

    def update(self, centre: np.ndarray, diag: float, ts: float) -> float:
        """Feed the centre at ``ts``; return seconds still (frozen, not growing, while it is away)."""
        c = np.asarray(centre, dtype=np.float64)
        self._recent.append((ts, float(c[0]), float(c[1])))
        while self._recent and self._recent[0][0] < ts - self.settle_s - 2.0:
            self._recent.popleft()
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
                reach = self.refit_reach(limit, diag)
                if self.origin is None or float(np.hypot(*(self.ref - self.origin))) > reach:
                    # it really moved: restart the clock, from when it arrived at the new position
                    self.origin, self.since = self.ref.copy(), self._arrived(self.step_factor * limit, ts)
        else:
            self.away_since = None
            self.ref = self.ref + (1.0 - math.exp(-dt / self.follow_s)) * (self.smooth - self.ref)
        return (self.away_since if self.away_since is not None else ts) - self.since

    def refit_reach(self, limit: float, diag: float) -> float:
        """How far (px) the settled position may lie from where the clock started before the object counts as
        moved: ``step_factor`` limits, and at least ``REFIT_FRAC`` of the box diagonal. On a small box (a car
        30 px long on a low-resolution camera, where the limit is its 1 px floor) the detector re-fits the box by
        a few whole pixels when a passing car clips it or the picture is coarse: 3 px would restart a stop
        that has not moved, splitting one stopped car into two incidents."""
        return max(self.step_factor * limit, REFIT_FRAC * diag)

    def _arrived(self, reach: float, ts: float) -> float:
        """The earliest recent sighting from which every raw centre lies within ``reach`` of the latest one (the
        smoothed reference still lags a car that has just pulled up)."""
        since, (_, x0, y0) = ts, self._recent[-1]
        for t, x, y in reversed(self._recent):
            if math.hypot(x - x0, y - y0) > reach:
                break
            since = t
        return since
