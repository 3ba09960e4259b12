"""RuleEngine: one camera's tracks in, incident revisions, per-minute line counts and crossings out."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from pipeline.config import CameraConfig
from pipeline.exceptions import ContractError
from pipeline.rules.base import EngineContext, RuleEvaluator
from pipeline.rules.geometry import GroundPlane, normalise_box
from pipeline.rules.lifecycle import IncidentBook, Observation
from pipeline.rules.lines import Crossing, LineCounter, MinuteCounts
from pipeline.rules.registry import rule_spec
from pipeline.rules.tracks import FrameView, IdentityRegistry
from pipeline.rules.zones import ZoneSet
from pipeline.types import CLASS_NAME_DATA_FIELD, CountEvent, Detections, IncidentEvent

@dataclass
class RuleOutput:
    """What one ``update`` (or ``flush``) produced.

    Attributes:
        incidents: incident revisions to publish now (opened / updated / closed), snapshot not yet attached.
        counts: per-minute line-count buckets whose running total changed in this update.
        crossings: genuine line crossings confirmed in this update (classes filtered by ``line.classes``).
    """

    incidents: list[IncidentEvent] = field(default_factory=list)
    counts: list[CountEvent] = field(default_factory=list)
    crossings: list[Crossing] = field(default_factory=list)


class RuleEngine:
    """Evaluates one camera's rules and counting lines on confirmed tracks.

    Zones and lines are turned into pixels once here. Objects are followed by identity, not raw tracker id:
    a new id overlapping (IoU >= 0.5, same class family) an object lost within ``reassociate_s`` continues it,
    so a parked car or a loiterer whose id switches keeps one incident and one dwell clock, and an id switch
    mid-crossing cannot count twice. Tripwire crossings are momentary: each crossing in the configured
    direction yields an ``opened`` and a ``closed`` revision in the same update.

    Args:
        camera: the camera's config (zones, lines, calibration, rules).
        frame_size: (width, height) in pixels of the frames the tracks come from.
        box: edge box name written on events (defaults to ``camera.box``).
        timezone: IANA zone for intrusion schedules.
        update_interval_s: least time between ``updated`` revisions of one incident; lower gives fresher
            facts downstream, higher fewer events.
        reassociate_s: how long a lost object may be continued by a new id; None = the longest rule
            ``close_after_s`` (at least 2 s). Longer survives longer occlusions but may merge two objects
            that stand in the same spot one after the other.
        line_margin: hysteresis band around counting lines in box diagonals (see ``LineCounter``).

    Example:
        >>> from pipeline.config import CameraConfig
        >>> cam = CameraConfig(id="c", box="b", source={"url": "x.mp4"})
        >>> engine = RuleEngine(cam, (640, 360))
        >>> from pipeline.types import empty_detections
        >>> det = empty_detections(); det.tracker_id = np.zeros(0, dtype=int)
        >>> engine.update(det, ts=0.0).incidents
        []
    """

    def __init__(
        self,
        camera: CameraConfig,
        frame_size: tuple[int, int],
        *,
        box: str = "",
        timezone: str = "UTC",
        update_interval_s: float = 10.0,
        reassociate_s: float | None = None,
        line_margin: float = 0.05,
    ) -> None:
        w, h = frame_size
        if w <= 0 or h <= 0:
            raise ValueError(f"frame_size must be (width, height) > 0, got {frame_size}")
        self.camera = camera
        self.frame_size = (int(w), int(h))
        self.box = box or camera.box
        zones = ZoneSet(camera.zones, self.frame_size)
        ground = GroundPlane(camera.calibration, self.frame_size) if camera.calibration is not None else None
        hold = float(camera.tracker.still_hold_s)
        self.ctx = EngineContext(self.frame_size, zones, ground, ZoneInfo(timezone), hold_s=hold)
        self._rules: list[tuple[RuleEvaluator, IncidentBook]] = []
        self._tripwires: list[tuple[object, IncidentBook]] = []
        for rule in camera.rules:
            book = IncidentBook(rule, camera_id=camera.id, box=self.box, update_interval_s=update_interval_s)
            evaluator = rule_spec(rule.type).evaluator
            if evaluator is None:  # tripwires ride on the counting lines' crossings
                self._tripwires.append((rule, book))
            else:
                self._rules.append((evaluator(rule, self.ctx), book))
        wired = {r.line for r, _ in self._tripwires}
        self._lines = [
            LineCounter(ln, self.frame_size, margin_frac=line_margin)
            for ln in camera.lines
            if camera.count_lines or ln.name in wired
        ]
        self._counts = MinuteCounts(camera.id, self.box)
        longest_grace = max((r.close_after_s for r in camera.rules), default=0.0)
        windows = [r.window_s for r in camera.rules if r.type == "speeding"]
        self._registry = IdentityRegistry(
            reassociate_s=reassociate_s if reassociate_s is not None else max(2.0, longest_grace),
            # Unseen objects only matter for re-association and flicker; seen ones are never forgotten.
            forget_s=max(60.0, 2.0 * longest_grace),
            history_s=max([2.0, *windows]) + 0.5,
            still_hold_s=hold,
        )

    # ------------------------------------------------------------------------------------------ public API
    def update(self, tracks: Detections, ts: float,
               earlier: dict[int, list[tuple[float, np.ndarray]]] | None = None,
               zone_only: set[int] | frozenset[int] = frozenset(),
               sighted: dict[int, list[tuple[float, np.ndarray]]] | None = None,
               picture: Any = None) -> RuleOutput:
        """Feed the confirmed tracks of one frame at ``ts`` (s since epoch, UTC); return what to publish.

        ``earlier``: for tracks confirmed on this frame from sightings the tracker had already linked
        (``Tracker.births``), tracker id → those sightings' (time, xyxy); counting lines replay them, and
        presence rules (loitering, intrusion) start the visit's clock at them.
        ``zone_only``: tracker ids the zone rules see but counting lines skip (``Tracker.zone_only``).
        ``sighted``: like ``earlier`` but from still low-score boxes (``Tracker.sighted``): presence rules only.
        ``picture``: the camera's ``ChangeHistory`` for presence rules (``FrameView.picture``); None = none.
        """
        view, forgotten = self._view(tracks, ts)
        if earlier:
            view.earlier = earlier
        if zone_only:
            view.zone_only = frozenset(zone_only)
        if sighted:
            view.sighted = sighted
        view.picture = picture
        out = RuleOutput()
        for counter in self._lines:
            for row, canonical in counter.update(view):
                self._crossed(counter, view, row, canonical, out)
        for evaluator, book in self._rules:
            active = evaluator.evaluate(view)
            held = evaluator.held(view)
            out.incidents.extend(book.step(active, ts, held=held, until=evaluator.seen_until(view, held)))
        if forgotten:
            for evaluator, _ in self._rules:
                evaluator.forget(forgotten)
            for counter in self._lines:
                counter.forget(forgotten)
        out.counts = self._counts.drain_changed()
        return out

    def flush(self, ts: float) -> RuleOutput:
        """End of stream: close every open incident, re-emit every held count bucket, then reset."""
        out = RuleOutput()
        for _, book in self._rules:
            out.incidents.extend(book.flush(ts))
        out.counts = self._counts.all_events()
        self.reset()
        return out

    @property
    def open_incidents(self) -> list[IncidentEvent]:
        """The latest state of every open incident (for health and debugging)."""
        return [ev for _, book in self._rules for ev in book.current()]

    def reset(self) -> None:
        """Forget all objects, open incidents and counts (a new stream)."""
        self._registry.reset()
        self._counts.reset()
        for evaluator, book in self._rules:
            evaluator.reset()
            book.reset()
        for counter in self._lines:
            counter.reset()

    # ------------------------------------------------------------------------------------------- internals
    def _crossed(self, counter: LineCounter, view: FrameView, row: int, canonical: str, out: RuleOutput) -> None:
        cls = str(view.class_names[row])
        line = counter.cfg.name
        label = counter.label(canonical)
        if counter.counts_class(cls):
            out.crossings.append(Crossing(line, int(view.raw_ids[row]), cls, label, view.ts))
            if self.camera.count_lines:
                self._counts.add(line, cls, label, view.ts)
        for rule, book in self._tripwires:
            if rule.line != line or rule.direction not in ("both", canonical):
                continue
            if rule.classes is not None and cls not in rule.classes:
                continue
            obj = view.identity(row)
            obs = Observation(
                object_class=cls,
                bbox=normalise_box(view.xyxy[row], view.frame_size),
                track_ids=list(obj.raw_ids),
                line=line,
                facts={"direction": label, "crossing": canonical, "first_seen": round(obj.first_seen, 3),
                       "last_seen": round(obj.last_seen, 3)},
            )
            out.incidents.extend(book.open_and_close(obs, view.ts))

    def _view(self, tracks: Detections, ts: float) -> tuple[FrameView, list[int]]:
        if not math.isfinite(ts):
            raise ContractError(f"RuleEngine.update: ts must be a finite epoch time, got {ts!r}")
        if getattr(tracks, "tracker_id", None) is None:
            raise ContractError(
                f"camera {self.camera.id}: RuleEngine.update needs tracks with tracker_id set "
                "(run the tracker first); got Detections with tracker_id=None"
            )
        n = len(tracks)
        names = tracks.data.get(CLASS_NAME_DATA_FIELD)
        if names is None or len(names) != n or len(tracks.tracker_id) != n:
            got = None if names is None else len(names)
            raise ContractError(
                f"camera {self.camera.id}: tracks need data[{CLASS_NAME_DATA_FIELD!r}] and tracker_id with one "
                f"entry per box ({n}); got class_name={got}, tracker_id={len(tracks.tracker_id)}"
            )
        # Negative ids are tentative tracks (trackers report -1 before confirmation): rules never see them.
        keep = np.asarray(tracks.tracker_id) >= 0
        raw_ids = np.asarray(tracks.tracker_id)[keep].astype(np.int64)
        class_names = np.asarray(names, dtype=object)[keep]
        xyxy = np.array(tracks.xyxy, dtype=np.float64)[keep]  # np.array copies: inputs are never mutated
        ids, forgotten = self._registry.observe(raw_ids, class_names, xyxy, ts)
        view = FrameView(
            ts=float(ts), frame_size=self.frame_size, ids=ids, raw_ids=raw_ids, class_names=class_names,
            xyxy=xyxy, in_zone=self.ctx.zones.masks(xyxy), registry=self._registry,
        )
        return view, forgotten
