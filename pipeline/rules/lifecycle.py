"""Incident lifecycle: one stable id per incident, opened → updated (rate-limited) → closed after a grace period."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import uuid6

from pipeline.config import rule_name
from pipeline.types import IncidentEvent, IncidentState, IncidentType, Severity, ts_to_dt


@dataclass
class Observation:
    """What a rule saw for one incident key in one update (the condition holds now).

    Attributes:
        object_class: class of the main object (None for zone aggregates of mixed classes).
        bbox: normalised [x1, y1, x2, y2] of the main object (or the union of a zone's objects).
        track_ids: tracker ids involved (all ids an object has had across switches).
        zone / line: where it happened.
        facts: rule-specific facts (dwell_s, speed_kmh, count, …), validated into the event's
            :class:`~citylens.contracts.IncidentFacts` (an unknown name raises); duration_s is added here.
        since: when the condition began, if before now (a visit the tracker saw at low scores before it
            confirmed the track); None = ``dwell_s`` before now, or now.
    """

    object_class: str | None = None
    bbox: list[float] | None = None
    track_ids: list[int] = field(default_factory=list)
    zone: str | None = None
    line: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    since: float | None = None


@dataclass
class _Open:
    id: str
    seq: int
    started: float
    first_true: float
    last_true: float
    last_emit: float
    obs: Observation


class Sustain:
    """How long a condition has held, ignoring gaps shorter than ``grace_s`` (detector flicker).

    ``gap_s`` (>= ``grace_s``): a gap with no update at all (the object was not seen, e.g. the detector missed
    a person at a night fence) keeps the run for up to this long; a gap in which the condition was seen false
    still ends it after ``grace_s``.

    Example:
        >>> s = Sustain(grace_s=1.0)
        >>> s.update(True, 0.0), s.update(False, 0.5), s.update(True, 0.8), s.update(True, 5.0)
        (0.0, 0.0, 0.8, 0.0)
        >>> s = Sustain(grace_s=1.0, gap_s=10.0)
        >>> s.update(True, 0.0), s.update(True, 5.0), s.update(False, 5.5), s.update(True, 7.0)
        (0.0, 5.0, 0.0, 0.0)
    """

    def __init__(self, grace_s: float, gap_s: float = 0.0) -> None:
        self.grace_s = grace_s
        self.gap_s = max(grace_s, gap_s)
        self.since: float | None = None
        self.last_true: float | None = None
        self.last_false: float | None = None

    def alive(self, ts: float) -> bool:
        """Whether the run would go on if the condition were seen true at ``ts`` (a gap it still bridges)."""
        if self.since is None or self.last_true is None:
            return False
        gap = ts - self.last_true
        seen_false = self.last_false is not None and self.last_false > self.last_true
        return not (gap > self.gap_s or (gap > self.grace_s and seen_false))

    def update(self, cond: bool, ts: float) -> float:
        """Record the condition at ``ts``; return for how long it has held (0 when not holding now)."""
        if self.last_true is not None:
            gap = ts - self.last_true
            seen_false = (self.last_false is not None and self.last_false > self.last_true) or not cond
            if gap > self.gap_s or (gap > self.grace_s and seen_false):
                self.since = None
        if not cond:
            self.last_false = ts
            return 0.0
        if self.since is None:
            self.since = ts
        self.last_true = ts
        return ts - self.since


class IncidentBook:
    """The open incidents of one rule, keyed by object identity, zone or crossing.

    ``step`` takes the keys whose condition holds now (each with an ``Observation``) and returns the revisions
    to publish: ``opened`` (seq 0) for a new key, ``updated`` at most every ``update_interval_s`` while it
    holds, ``closed`` once it has been absent for the rule's ``close_after_s``. A parked car for an hour is one
    incident: 1 opened, ≤ 3600 / update_interval_s updated, 1 closed.

    Example:
        >>> from pipeline.config import LoiteringRule
        >>> book = IncidentBook(LoiteringRule(type="loitering", zone="z", dwell_s=5), camera_id="c", box="b")
        >>> [e.state.value for e in book.step({1: Observation()}, ts=0.0)]
        ['opened']
        >>> [e.state.value for e in book.step({}, ts=10.0)]
        ['closed']
    """

    def __init__(self, rule: Any, *, camera_id: str, box: str, update_interval_s: float = 10.0) -> None:
        self.rule = rule
        self.name = rule_name(rule)
        self.camera_id = camera_id
        self.box = box
        self.update_interval_s = update_interval_s
        self.close_after_s = float(rule.close_after_s)
        self._open: dict[Hashable, _Open] = {}

    def step(self, active: dict[Hashable, Observation], ts: float,
             held: frozenset[Hashable] | set[Hashable] = frozenset(),
             until: dict[Hashable, float] | None = None) -> list[IncidentEvent]:
        """``held``: keys not seen now whose condition the rule still counts as holding (a loiterer missed by the
        detector within ``still_hold_s``): their incidents stay open, without updates, instead of closing after
        ``close_after_s`` and being opened again as a duplicate when the object is found again.
        ``until``: for held keys, the latest time the object was still evidently there though not detected
        (the picture where it stood kept changing): the incident ends there, not at the last detection."""
        out: list[IncidentEvent] = []
        for key, t in (until or {}).items():
            inc = self._open.get(key)
            if inc is not None and key not in active and key in held:
                inc.last_true = max(inc.last_true, t)
        for key, obs in active.items():
            inc = self._open.get(key)
            if inc is None:
                # A dwell rule (loitering, stopped vehicle, abandoned object, crowding) fires dwell_s after its
                # condition began: the incident starts when the condition did, so its span covers the event.
                began = ts - max(0.0, float(obs.facts.get("dwell_s", 0.0) or 0.0))
                if obs.since is not None:
                    began = min(began, obs.since)
                inc = _Open(str(uuid6.uuid7()), 0, began, ts, ts, ts, obs)
                self._open[key] = inc
                out.append(self._event(inc, IncidentState.OPENED, ts))
                continue
            inc.last_true = ts
            inc.obs = obs
            if ts - inc.last_emit >= self.update_interval_s:
                inc.seq += 1
                inc.last_emit = ts
                out.append(self._event(inc, IncidentState.UPDATED, ts))
        for key in [k for k, inc in self._open.items()
                    if k not in active and k not in held and ts - inc.last_true >= self.close_after_s]:
            out.append(self._close(key, ts))
        return out

    def open_and_close(self, obs: Observation, ts: float) -> list[IncidentEvent]:
        """A momentary incident (a tripwire crossing): opened and closed in the same update."""
        inc = _Open(str(uuid6.uuid7()), 0, ts, ts, ts, ts, obs)
        opened = self._event(inc, IncidentState.OPENED, ts)
        inc.seq = 1
        return [opened, self._event(inc, IncidentState.CLOSED, ts, ended=ts)]

    def flush(self, ts: float) -> list[IncidentEvent]:
        return [self._close(key, ts) for key in list(self._open)]

    def current(self) -> list[IncidentEvent]:
        return [
            self._event(inc, IncidentState.OPENED if inc.seq == 0 else IncidentState.UPDATED, inc.last_true)
            for inc in self._open.values()
        ]

    def reset(self) -> None:
        self._open.clear()

    def _close(self, key: Hashable, ts: float) -> IncidentEvent:
        inc = self._open.pop(key)
        inc.seq += 1
        # ended_at is when the condition was last seen, not when the grace period ran out.
        return self._event(inc, IncidentState.CLOSED, ts, ended=inc.last_true)

    def _event(self, inc: _Open, state: IncidentState, ts: float, ended: float | None = None) -> IncidentEvent:
        o = inc.obs
        # zone, line, object_class and track_ids are the event's own fields; facts never repeat them.
        facts = {**o.facts, "duration_s": round(inc.last_true - inc.started, 2)}
        return IncidentEvent(
            id=inc.id,
            seq=inc.seq,
            state=state,
            type=IncidentType(self.rule.type),
            severity=Severity(self.rule.severity),
            camera_id=self.camera_id,
            box=self.box,
            rule=self.name,
            zone=o.zone,
            line=o.line,
            object_class=o.object_class,
            track_ids=list(o.track_ids),
            started_at=ts_to_dt(inc.started),
            updated_at=ts_to_dt(ts),
            ended_at=ts_to_dt(ended) if ended is not None else None,
            bbox=o.bbox,
            facts=facts,
        )
