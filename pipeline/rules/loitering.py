"""Loitering: an object dwells in a zone longer than ``dwell_s`` — the whole rule type in one module.

Example:
    >>> from pipeline.rules.registry import rule_spec
    >>> rule_spec("loitering").caption({"object_class": "person", "zone": "table", "dwell_s": 42})
    'A person lingered in zone table for 42 s'
"""

from __future__ import annotations

from collections.abc import Hashable

from pipeline.caption.phrases import for_, subject, where
from pipeline.rules.base import RuleEvaluator
from pipeline.rules.lifecycle import Observation, Sustain
from pipeline.rules.registry import RuleSpec, register
from pipeline.rules.tracks import FrameView


class LoiteringEvaluator(RuleEvaluator):
    """An object has dwelt in the zone longer than ``dwell_s``; gaps shorter than close_after_s keep the dwell,
    and so do gaps up to ``tracker.still_hold_s`` in which the object was not seen at all (the open incident
    stays open through them, ``held``; it ends where the object was last seen)."""

    picture_presence = True

    def evaluate(self, view: FrameView) -> dict[Hashable, Observation]:
        out: dict[Hashable, Observation] = {}
        inside = set(view.select(self.classes, self.zone).tolist())
        # A loiterer the detector misses for a while (night IR, a dark doorway) is still there: the dwell runs
        # on through gaps in which the person was not seen at all, up to the camera's still_hold_s; a new id
        # first seen inside the zone just after one was lost there continues its dwell (``presence``).
        for r, (key, clock) in self.presence(view, view.select(self.classes), inside, self.ctx.hold_s).items():
            dwell = clock.update(r in inside, view.ts)
            # the visit began at its first sighting, or where the picture shows the visitor was already there
            # (read when the visit starts, while the camera still keeps those seconds of picture)
            since = self.picture_onset(view, int(view.ids[r]), r, clock) if r in inside else None
            if r in inside and dwell > self.rule.dwell_s:
                out[key] = self.observe_object(view, r, dwell_s=dwell)
                out[key].since = since
        return out

    def held(self, view: FrameView) -> set[Hashable]:
        # A loiterer missed for a while is still there (the dwell bridges the gap): the open visit stays one
        # incident instead of closing after close_after_s and opening again, back-dated, when they are found.
        return self.held_unseen(view)


register(RuleSpec("loitering", LoiteringEvaluator,
                  lambda f: f"{subject(f, 'person')} lingered{where(f)}{for_(f, 'dwell_s', 'duration_s')}"))
