"""Per-object rules keyed by identity: intrusion, stopped vehicle, illegal parking, abandoned object."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from pipeline.caption.phrases import for_, subject, where
from pipeline.rules.base import EngineContext, RuleEvaluator, Stillness
from pipeline.rules.geometry import BAGS, PEOPLE, VEHICLES, point_to_box_distance
from pipeline.rules.lifecycle import Observation, Sustain
from pipeline.rules.registry import RuleSpec, register
from pipeline.rules.tracks import FrameView
from pipeline.rules.zones import in_schedule


class IntrusionEvaluator(RuleEvaluator):
    """A watched class stands in the zone (while the optional schedule is active, in the camera's time zone).

    Like loitering, a visit goes on through gaps of up to ``tracker.still_hold_s`` in which the object was not
    seen at all (a person at a night fence the detector finds only now and then): one incident, open through
    the gap (``held``) when the object stood still before it was lost, ending where it was last seen (its close
    is published when the hold runs out); one lost while walking, or seen outside the zone, closes after
    close_after_s.
    """

    picture_presence = True

    def evaluate(self, view: FrameView) -> dict[Hashable, Observation]:
        if not in_schedule(self.rule.schedule, view.ts, self.ctx.tz):
            return {}
        inside = set(view.select(self.classes, self.zone).tolist())
        out: dict[Hashable, Observation] = {}
        # one incident per visit: a track that breaks inside the zone is continued by the next id found there
        for r, (key, clock) in self.presence(view, view.select(self.classes), inside, self.ctx.hold_s).items():
            clock.update(r in inside, view.ts)
            if r in inside:
                out[key] = self.observe_object(view, r)
                # from the first sighting the tracker handed over (``earlier``), or where the picture shows the
                # visitor was already there (``picture_onset``)
                out[key].since = self.picture_onset(view, int(view.ids[r]), r, clock)
        return out

    def held(self, view: FrameView) -> set[Hashable]:
        if not in_schedule(self.rule.schedule, view.ts, self.ctx.tz):
            return set()
        return self.held_unseen(view, still_only=True)


class _StillEvaluator(RuleEvaluator):
    """Base for rules about objects that have not moved: keeps a ``Stillness`` per identity."""

    def __init__(self, rule, ctx: EngineContext) -> None:
        super().__init__(rule, ctx)
        self.max_motion = float(rule.max_motion)

    def still_for(self, view: FrameView, row: int) -> float:
        ident = int(view.ids[row])
        st = self._state.setdefault(ident, Stillness(self.max_motion))
        return st.update(view.centres[row], float(view.diags[row]), view.ts)

    def held(self, view: FrameView) -> set[Hashable]:
        """A still object the detector misses for up to ``tracker.still_hold_s`` is still there (a stopped car
        at night, a bag in shadow): its open incident stays one incident through the gap instead of closing
        after close_after_s and opening again, back-dated, when it is found where it stood. It still ends at
        the last sighting."""
        seen = {int(i) for i in view.ids}
        return {ident for ident, st in self._state.items()
                if isinstance(st, Stillness) and ident not in seen and view.ts - st.last_ts <= self.ctx.hold_s}


class StoppedVehicleEvaluator(_StillEvaluator):
    """A vehicle has been still for ``still_s`` outside every 'parking' zone (and inside ``zone`` if given)."""

    def __init__(self, rule, ctx: EngineContext) -> None:
        super().__init__(rule, ctx)
        self.parking = ctx.zones.names("parking")

    def evaluate(self, view: FrameView) -> dict[Hashable, Observation]:
        out: dict[Hashable, Observation] = {}
        in_parking = np.zeros(len(view), dtype=bool)
        for name in self.parking:
            in_parking |= view.in_zone[name]
        watched = set(view.select(self.classes, self.zone).tolist())
        for r in view.select(self.classes):
            still = self.still_for(view, r)  # track stillness everywhere so a zone edge does not restart it
            ident = int(view.ids[r])
            here = r in watched and not in_parking[r]
            st = self._state[ident]
            if st.away_since is None:
                st.stood_in_zone = here
            elif not st.stood_in_zone:
                # away from where it stood still (pulling out, or a track switched onto a passing car): its
                # frozen still time belongs to where it stood, outside the zone or in parking, not to here
                here = False
            if here and still >= self.rule.still_s:
                out[ident] = self.observe_object(view, r, dwell_s=still)
        return out


class IllegalParkingEvaluator(_StillEvaluator):
    """A vehicle has been still for ``dwell_s`` inside the rule's ('no_parking') zone."""

    def evaluate(self, view: FrameView) -> dict[Hashable, Observation]:
        out: dict[Hashable, Observation] = {}
        watched = set(view.select(self.classes, self.zone).tolist())
        for r in view.select(self.classes):
            still = self.still_for(view, r)
            if r in watched and still >= self.rule.dwell_s:
                out[int(view.ids[r])] = self.observe_object(view, r, dwell_s=still)
        return out


class AbandonedObjectEvaluator(_StillEvaluator):
    """A bag has been still, and without a person within ``owner_radius``, for ``still_s``.

    Both clocks must pass ``still_s``: a bag whose owner sat beside it for an hour and then walked off is
    abandoned ``still_s`` after the owner left, not at once. A passer-by resets the unattended clock only if
    no gap longer than close_after_s separates them (``Sustain`` semantics).

    With ``left_objects`` (the default) it also watches class ``object``: a new, still patch of picture a person
    left that the detector does not box (``pipeline.left_objects.LeftObjects``, run by the camera).
    """

    def __init__(self, rule, ctx: EngineContext) -> None:
        super().__init__(rule, ctx)
        if getattr(rule, "left_objects", False) and self.classes is not None:
            self.classes = self.classes | {"object"}

    def evaluate(self, view: FrameView) -> dict[Hashable, Observation]:
        out: dict[Hashable, Observation] = {}
        people = view.select(PEOPLE)
        watched = set(view.select(self.classes, self.zone).tolist())
        for r in view.select(self.classes):
            still = self.still_for(view, r)
            near = min(
                (point_to_box_distance(view.centres[r], view.xyxy[p], view.frame_size) for p in people),
                default=float("inf"),
            )
            attended = near <= self.rule.owner_radius
            alone = self._alone(int(view.ids[r])).update(not attended, view.ts)
            if r in watched and not attended and min(still, alone) >= self.rule.still_s:
                facts = {"dwell_s": min(still, alone)}
                if np.isfinite(near):
                    facts["nearest_person"] = round(near, 3)
                out[int(view.ids[r])] = self.observe_object(view, r, **facts)
        return out

    def _alone(self, ident: int) -> Sustain:
        key = -ident  # second per-identity state in the same dict; identity ids are positive
        return self._state.setdefault(key, Sustain(self.grace_s))

    def forget(self, identities: list[int]) -> None:
        super().forget(identities)
        super().forget([-i for i in identities])


register(RuleSpec("intrusion", IntrusionEvaluator,
                  lambda f: f"{subject(f, 'person')} entered a restricted area{where(f)}"))
register(RuleSpec("stopped_vehicle", StoppedVehicleEvaluator,
                  lambda f: f"{subject(f, 'vehicle')} stopped{where(f)}{for_(f, 'dwell_s', 'duration_s')}",
                  default_classes=VEHICLES))
register(RuleSpec("illegal_parking", IllegalParkingEvaluator,
                  lambda f: f"{subject(f, 'vehicle')} parked illegally{where(f)}{for_(f, 'dwell_s', 'duration_s')}",
                  default_classes=VEHICLES))
register(RuleSpec("abandoned_object", AbandonedObjectEvaluator,
                  lambda f: f"{subject(f, 'object')} was left unattended{where(f)}{for_(f, 'dwell_s', 'still_s', 'duration_s')}",
                  default_classes=BAGS))
