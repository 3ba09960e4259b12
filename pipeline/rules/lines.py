"""Robust line crossings (sides confirmed over frames, hysteresis band) and per-minute line counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

from pipeline.config import LineConfig
from pipeline.rules.geometry import LineGeometry, class_family, to_pixels, velocity
from pipeline.rules.tracks import FrameView
from pipeline.types import CountEvent


@dataclass(frozen=True)
class Crossing:
    """One genuine crossing of a counting line.

    Attributes:
        line: line name.
        tracker_id: the tracker id the object had when the crossing was confirmed.
        object_class: class name.
        direction: the line's ``in_name`` or ``out_name``.
        ts: time the crossing was confirmed (s since epoch).
    """

    line: str
    tracker_id: int
    object_class: str
    direction: str
    ts: float


@dataclass
class _SideState:
    confirmed: int = 0  # side held for >= min_frames (0 = none yet)
    candidate: int = 0
    run: int = 0
    run_t0: float = 0.0  # when the current run on ``candidate`` began
    counted_entry: bool = False
    birth: list[tuple[float, float, float, float]] = field(default_factory=list)  # (ts, signed, along, diag)
    t_line: float = 0.0  # when an inferred entry put the object on the line
    last: tuple[float, float] | None = None  # the previous sample's (signed, along)
    born_on: frozenset[int] = frozenset()  # older objects whose boxes held this one's when it was first seen
    off: tuple[float, float] | None = None  # the last sample's (signed, along) off the line's band
    flip: tuple[float, float, float, float] | None = None  # the last move between off-band samples on opposite sides


# A side is also confirmed by one sample this far from the line (in box diagonals): jitter of a box standing
# on the line stays within a few per cent of its diagonal, a vehicle seen once per second at 3 fps does not.
_CLEAR_FRAC = 0.25
# ``min_frames`` counts frames at 10 fps; a run on a side must last this long per frame after the first
_RUN_FRAME_S = 0.075
# Entry inference needs the object to move away from the line at least this fast (box diagonals per second):
# a parked car's jitter or a creeping queue never proves where it came from.
_ENTRY_MIN_SPEED = 0.3
_ENTRY_SAMPLES = 4  # samples kept after a track's birth to judge its motion
# ... and to be first seen at most this many box diagonals past the line: a vehicle the detector finds late is
# a box length or so past it; one first seen far beyond it was found by a track or chain that jumped objects
_ENTRY_MAX_DIAGS = 2.0
# A track re-found past the line puts itself on the line within this of the lost object's crossing (seen
# crossings are confirmed up to a few frames late; a following vehicle in the same lane is ~1-2 s behind).
_ECHO_S = 1.0
# A second track on one vehicle (yolov8n boxes a bus or a pickup whole and, on other frames, by its front or cab:
# the two boxes survive NMS because one is small inside the other) crosses with it. A crossing in the same
# direction within this many seconds of one counted for a track of the same class family whose box, on this
# frame, holds this one's (or sits in it) by at least _TWIN_SHARE of the smaller box's area is that vehicle's.
_TWIN_S = 1.5
_TWIN_SHARE = 0.8
# A piece of a vehicle: a low-resolution car half hidden behind parked ones is boxed by its visible part on some
# frames and whole on others, and the tracker starts a track on the piece or moves one between piece and whole.
# A box that lies by at least this share (of the smaller box's area) in the box of another object of its class
# family standing on the same ground is one of that object's boxes: it does not count a crossing while that
# object has not crossed, and a track first seen so does not count an inferred entry (it was not found late:
# the detector had been seeing that vehicle).
_PIECE_SHARE = 0.5
# Two boxes of one vehicle stand on the same ground: their bottoms within this share of the smaller box's height
# (a car behind parked ones is boxed whole and by its visible upper part, whose bottom is a few px higher; a car
# half hidden behind a van shows its top above the van's, its bottom far above the van's)
_GROUND_FRAC = 1 / 3


def anchor_points(xyxy: np.ndarray, anchor: str) -> np.ndarray:
    """(n, 2) pixel points of one named box anchor (``bottom_center``, ``center``, ``top_left``, ...)."""
    x1, y1, x2, y2 = xyxy[:, 0], xyxy[:, 1], xyxy[:, 2], xyxy[:, 3]
    vert, horiz = anchor.split("_") if anchor != "center" else ("center", "center")
    ys = {"top": y1, "center": (y1 + y2) / 2.0, "bottom": y2}[vert]
    xs = {"left": x1, "center": (x1 + x2) / 2.0, "right": x2}[horiz]
    return np.stack([xs, ys], axis=1)


class LineCounter:
    """Detects crossings of one line by object identity (so an id switch mid-crossing cannot count twice).

    An object counts when its anchor has been on one side and then on the other. A side is *confirmed* by
    ``min_frames`` consecutive samples on it, or by a single sample at least a quarter of the box diagonal
    away from the line (so a vehicle seen once or twice per side at 3 fps still counts). Anchors inside a
    band of ``margin_frac`` × box diagonal around the line (at least 2 px), or beyond the line's ends,
    neither extend nor break a run: an object standing on the line, its anchor jittering a few pixels, never
    counts, and one jittering further counts at most once per run on a new side. With several ``anchors``
    (sv.LineZone's triggering anchors) all of them must be on the same side.

    Entry inference (``cfg.infer_entry_s`` > 0): an object whose track is born already past the line (the
    detector first finds it there, e.g. a line near where vehicles enter the frame) counts once when its
    first samples move steadily away from the line and, at that speed, it was on the line at most
    ``infer_entry_s`` before it was first seen, at a point within the line's ends, and after the stream's
    first frame: an object already past the line (or straddling it) when the camera came up was not seen
    crossing, and counting it would count a crossing from before the stream (a restart) or the clip.

    Example:
        >>> counter = LineCounter(LineConfig(name="l", start=(0, 0.5), end=(1, 0.5)), (100, 100))
        >>> float(counter.margin(np.array([10.0]))[0])
        2.0
    """

    def __init__(self, cfg: LineConfig, frame_size: tuple[int, int], *, margin_frac: float = 0.05) -> None:
        self.cfg = cfg
        start, end = to_pixels([cfg.start, cfg.end], frame_size)
        self.geometry = LineGeometry(start, end)
        self.margin_frac = margin_frac
        self.classes = frozenset(cfg.classes) if cfg.classes is not None else None
        self.anchors = tuple(cfg.anchors)
        self._state: dict[int, _SideState] = {}
        # (time on the line, along px, diag px, side, identity) of recent crossings
        self._recent: list[tuple[float, float, float, int, int]] = []
        self._seen: dict[int, tuple[float, float]] = {}  # identity -> (ts, along px) of its last sighting
        # (time counted, side, identity, class family, identities its box nested with then) of recent counts
        self._counted: list[tuple[float, int, int, str, frozenset[int]]] = []
        self._boxes: dict[int, tuple[np.ndarray, str]] = {}  # identity -> (xyxy, family) on this update
        self._sides: dict[int, float] = {}  # identity -> signed distance beyond its band (0 within it), this update
        self._now = 0.0
        self._t_start: float | None = None  # first update of this stream: nothing before it was watched

    def margin(self, diags: np.ndarray) -> np.ndarray:
        return np.maximum(2.0, self.margin_frac * diags)

    def _signed(self, xyxy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row: signed distance (px, + on the 'in' side) of the anchor nearest the line that agrees with
        all others (0 where anchors disagree), and the along-line position of the first anchor."""
        g = self.geometry
        ds, alongs = [], []
        for a in self.anchors:
            rel = anchor_points(xyxy, a) - g.start
            alongs.append(rel @ g.unit)
            ds.append(-(g.unit[0] * rel[:, 1] - g.unit[1] * rel[:, 0]))
        d = np.stack(ds)
        same = np.all(np.sign(d) == np.sign(d[0]), axis=0)
        nearest = np.where(d[0] >= 0, d.min(axis=0), d.max(axis=0))
        return np.where(same, nearest, 0.0), alongs[0]

    def update(self, view: FrameView) -> list[tuple[int, str]]:
        """Feed one update; return (row, 'in' | 'out') for each crossing confirmed now.

        A track the tracker started from boxes it had already seen (``view.earlier``: a birth from low-score
        boxes) has those sightings replayed first, as if the track had been confirmed on them: a crossing it
        made among them counts now, like any seen crossing, instead of being inferred or missed. Tracks in
        ``view.zone_only`` are skipped (never counted, no side state) until the tracker confirms them.
        """
        out: list[tuple[int, str]] = []
        if self._t_start is None:
            self._t_start = view.ts
        if len(view) == 0:
            return out
        margins = self.margin(view.diags)
        signed, along = self._signed(view.xyxy)
        present = {int(i) for i in view.ids}
        fams = [class_family(str(c)) for c in view.class_names] if view.class_names is not None else [""] * len(view)
        self._boxes = {int(view.ids[r]): (np.asarray(view.xyxy[r], dtype=np.float64), fams[r]) for r in range(len(view))}
        self._sides = {int(view.ids[r]): float(signed[r]) if abs(signed[r]) > margins[r] else 0.0
                       for r in range(len(view))}
        self._now = view.ts
        older = {i for i in present if i in self._state}
        for row in range(len(view)):
            if int(view.raw_ids[row]) in view.zone_only:
                continue  # a still low-score box no high-score box has confirmed: for zone rules only
            ident = int(view.ids[row])
            st = self._state.get(ident)
            if st is None:
                st = self._state[ident] = _SideState()
                st.born_on = self._nested_with(ident, self._boxes[ident][0], _PIECE_SHARE) & older
                earlier = view.earlier.get(int(view.raw_ids[row]), [])
                if earlier:
                    eb = np.array([b for _, b in earlier], dtype=np.float64).reshape(-1, 4)
                    ed, ea = self._signed(eb)
                    ediag = np.hypot(eb[:, 2] - eb[:, 0], eb[:, 3] - eb[:, 1])
                    em = self.margin(ediag)
                    got: list[str] = []
                    for k, (t, _) in enumerate(earlier):
                        got.extend(self._sample(st, ident, float(ed[k]), float(ea[k]), float(ediag[k]), float(em[k]),
                                                t, present, eb[k]))
                    got.extend(self._sample(st, ident, float(signed[row]), float(along[row]), float(view.diags[row]),
                                            float(margins[row]), view.ts, present,
                                            np.asarray(view.xyxy[row], dtype=np.float64)))
                    first = 0.0 if abs(ed[0]) <= em[0] else float(ed[0])
                    out.extend((row, c) for c in self._net(got, first, float(signed[row]), float(margins[row]), ident))
                    continue
            out.extend((row, c) for c in self._sample(st, ident, float(signed[row]), float(along[row]),
                                                      float(view.diags[row]), float(margins[row]), view.ts, present,
                                                      np.asarray(view.xyxy[row], dtype=np.float64)))
        horizon = view.ts - max(2.0, 2.0 * self.cfg.infer_entry_s)
        self._recent = [c for c in self._recent if c[0] >= horizon]
        self._counted = [c for c in self._counted if c[0] >= view.ts - _TWIN_S]
        crossed = {c[4] for c in self._recent}  # the last sighting is kept only of objects with a recent crossing
        self._seen = {i: v for i, v in self._seen.items() if i in crossed}
        for row, i in enumerate(view.ids):
            if int(i) in crossed:
                self._seen[int(i)] = (view.ts, float(along[row]))
        return out

    def _sample(self, st: _SideState, ident: int, d: float, a: float, diag: float, margin: float, ts: float,
                present: set[int], box: np.ndarray | None = None) -> list[str]:
        """One sighting of one object (signed distance ``d``, position along ``a``): crossings it confirms."""
        out: list[str] = []
        if len(st.birth) < _ENTRY_SAMPLES and st.confirmed in (0, st.candidate or 0) and not st.counted_entry:
            st.birth.append((ts, d, a, diag))
        inside = 0.0 <= a <= self.geometry.length
        side = 0 if abs(d) <= margin else (1 if d > 0 else -1)
        if side != 0:
            if st.off is not None and np.sign(st.off[0]) == -side:
                st.flip = (*st.off, d, a)
            st.off = (d, a)
        if side != 0 and not inside and not self._crossed_within(st, side, d, a, margin):
            side = 0
        st.last = (d, a)
        if side != 0:
            if side == st.candidate:
                st.run += 1
            else:
                st.candidate, st.run, st.run_t0 = side, 1, ts
            clear = abs(d) >= _CLEAR_FRAC * diag
            # min_frames is stated for 10 fps: at a higher rate (the active rate near lines) the run must last
            # as long as those frames take at 10 fps (less a quarter frame: a 25 fps source's kept frames vary)
            held = st.run >= self.cfg.min_frames and ts - st.run_t0 >= (self.cfg.min_frames - 1) * _RUN_FRAME_S
            if (held or clear) and st.candidate != st.confirmed:
                born = st.confirmed == 0 and self._born_on_other_side(st, side, margin)
                if (st.confirmed != 0 or born) and not (born and self._echo(ts, a, side, present, ts)):
                    if not self._twin(ts, side, ident, box) and not self._piece(ts, side, ident, box):
                        out.append("in" if side > 0 else "out")
                        self._counted.append((ts, side, ident, self._family(ident), self._nested_with(ident, box)))
                    self._recent.append((ts, a, diag, side, ident))
                    st.birth.clear()
                    st.counted_entry = True  # a seen crossing settles the entry question
                st.confirmed = side
        entry = self._entry(st)
        if entry is not None and not self._echo(st.t_line, a, st.confirmed, present, ts):
            if not (self._twin(ts, st.confirmed, ident, box) or self._piece(ts, st.confirmed, ident, box)
                    or st.born_on & present):
                out.append(entry)
                self._counted.append((ts, st.confirmed, ident, self._family(ident), self._nested_with(ident, box)))
            self._recent.append((st.t_line, a, diag, st.confirmed, ident))
        return out

    def _net(self, got: list[str], first: float, last: float, margin: float, ident: int) -> list[str]:
        """Crossings of one object's sightings replayed in one update (a track started from boxes seen before): a
        path that crosses and comes back (a car manoeuvring on the line, or an entry inferred from a box's jitter
        and then seen crossing the other way) counts once net, from the side it was first seen on to the side it
        is on now, or not at all when those are the same."""
        if len(set(got)) < 2:
            return got
        end = 0 if abs(last) <= margin else (1 if last > 0 else -1)
        start = 0 if first == 0.0 else (1 if first > 0 else -1)
        keep = "in" if end > 0 and start < 0 else "out" if end < 0 and start > 0 else None
        kept = [keep] if keep in got else []
        dropped = {(1 if c == "in" else -1) for c in got} - ({1 if keep == "in" else -1} if kept else set())
        # what was not counted after all must not make a twin of another object's crossing either
        self._counted = [c for c in self._counted if not (c[2] == ident and c[1] in dropped)]
        return kept

    def _echo(self, t_line: float, along: float, side: int, present: set[int], ts: float) -> bool:
        """An inferred crossing at the time and place of a recent crossing in the same direction, whose object
        has since been lost, is that object again under a new track (lost and re-found past the line). The place
        is where that object crossed or, for one that moved along the line too (a lane at a slant to it), where
        it would be at ``ts`` (this sighting) going on at the speed along the line it had from its crossing to
        its last sighting, while this sighting is within ``_ECHO_S`` of that crossing.

        Not an echo: the earlier object is still tracked (two vehicles), or this one reached the line more
        than ``_ECHO_S`` apart from it (the next vehicle in the same lane).
        """
        return any(s == side and abs(t_line - t) <= _ECHO_S and ident not in present
                   and (abs(along - a) <= d or abs(along - self._carried(ident, t, a, ts)) <= d)
                   for t, a, d, s, ident in self._recent)

    def _carried(self, ident: int, t: float, a: float, ts: float) -> float:
        """Where along the line a lost object that crossed at ``t``, ``a`` would be at ``ts``, going on at the speed
        along the line it had from there to its last sighting (``a`` when it was never seen after it, or when ``ts``
        is more than ``_ECHO_S`` after ``t``: a longer way is a guess, not a re-find)."""
        tl, al = self._seen.get(ident, (t, a))
        if tl <= t or ts - t > _ECHO_S:
            return a
        return al + (al - a) / (tl - t) * (ts - tl)

    def _family(self, ident: int) -> str:
        return self._boxes.get(ident, (None, ""))[1]

    def _twin(self, ts: float, side: int, ident: int, box: np.ndarray | None) -> bool:
        """This crossing is a second track's on a vehicle already counted: a crossing in the same direction was
        counted within ``_TWIN_S`` for another object of the same class family, and one of the two boxes lies in
        the other (``_TWIN_SHARE`` of the smaller's area) on this update or did when that one was counted."""
        if box is None:
            return False
        fam = self._family(ident)
        for t, s, other, ofam, nested in self._counted:
            if s != side or other == ident or ts - t > _TWIN_S or ofam != fam:
                continue
            if ident in nested or (other in self._boxes and _nested_share(box, self._boxes[other][0]) >= _TWIN_SHARE):
                return True
        return False

    def _nested_with(self, ident: int, box: np.ndarray | None, share: float = _TWIN_SHARE) -> frozenset[int]:
        """Other objects of this one's family on this update whose boxes hold this box (or sit in it) by ``share``
        of the smaller box's area, standing on the same ground: with ``_TWIN_SHARE`` its twin, if it has one, may
        count after this one has been lost; with ``_PIECE_SHARE`` the vehicles it may be a piece of."""
        if box is None:
            return frozenset()
        fam = self._family(ident)
        return frozenset(o for o, (b, f) in self._boxes.items()
                         if o != ident and f == fam and _nested_share(box, b) >= share)

    def _piece(self, ts: float, side: int, ident: int, box: np.ndarray | None) -> bool:
        """This crossing to ``side`` is made by a piece of a vehicle that has not crossed: on this update its box
        lies in (or holds) the box of another object of its family, on the same ground, whose anchor is still on
        the other side or on the line. (Replayed earlier sightings are not judged: the boxes here are this
        update's.)"""
        if ts != self._now:
            return False
        return any(self._sides.get(o, 0.0) * side <= 0.0 for o in self._nested_with(ident, box, _PIECE_SHARE))

    def _crossed_within(self, st: _SideState, side: int, d: float, a: float, margin: float) -> bool:
        """A sample beyond the line's ends still holds a side when the object got there across the line itself:
        it continues a run begun between the ends, or its move from the previous sample crossed the line
        between the ends (a vehicle crossing near a line's end, e.g. turning at a junction, is past the end by
        the time it is clear of the line). One that went round the end never crossed."""
        if st.candidate == side and st.run > 0 and st.candidate != st.confirmed:
            return True
        if st.last is None:
            return False
        dp, ap = st.last
        if np.sign(dp) == -side:
            return self._crosses_between(dp, ap, d, a)
        return abs(dp) <= margin and 0.0 <= ap <= self.geometry.length

    def _crosses_between(self, d0: float, a0: float, d1: float, a1: float) -> bool:
        """Whether the move from (signed distance, position along) ``d0, a0`` to ``d1, a1`` — on opposite sides —
        meets the line between its ends."""
        return 0.0 <= a0 + (a1 - a0) * d0 / (d0 - d1) <= self.geometry.length

    def _born_on_other_side(self, st: _SideState, side: int, margin: float) -> bool:
        """A new track's first samples were on the other side (too few to confirm it) and it moved across the
        line between its ends (not round one of them)."""
        if not st.birth or st.counted_entry:
            return False
        t0, d0, a0 = st.birth[0][0], st.birth[0][1], st.birth[0][2]
        t1, d1, diag = st.birth[-1][0], st.birth[-1][1], st.birth[-1][3]
        if np.sign(d0) != -side or abs(d0) <= margin or t1 <= t0:
            return False
        if st.last is not None and np.sign(st.last[0]) == side and not self._crosses_between(d0, a0, *st.last):
            return False
        if self._went_round(st, side):
            return False
        return (d1 - d0) * side / (t1 - t0) >= _ENTRY_MIN_SPEED * diag

    def _went_round(self, st: _SideState, side: int) -> bool:
        """The object came over to ``side`` beyond one of the line's ends: its last move between samples off the
        band on opposite sides, onto ``side``, met the line's extension, not the line. A track taken over on
        this side (the dark street copy: a westbound car in the far lane, past the end of the near lane's line,
        taken over by a box of an eastbound car inside the line's span) is then no crossing, though the
        straight way from its first sample to the box it jumped to meets the line."""
        return (st.flip is not None and np.sign(st.flip[2]) == side
                and not self._crosses_between(*st.flip))

    def _entry(self, st: _SideState) -> str | None:
        """'in'/'out' when a track born past the line provably came from the other side, else None."""
        if st.counted_entry or self.cfg.infer_entry_s <= 0 or st.confirmed == 0 or len(st.birth) < 2:
            return None
        arr = np.asarray(st.birth, dtype=np.float64)
        # samples within the line's band (a track born on the line, its anchor a pixel or two on the far side)
        # do not say which side it came from; the motion away from the line does
        on_line = np.abs(arr[:, 1]) <= self.margin(arr[:, 3])
        if not np.all((np.sign(arr[:, 1]) == st.confirmed) | on_line) or on_line.all():
            st.counted_entry = len(st.birth) >= _ENTRY_SAMPLES
            return None
        v = velocity(arr[:, 0], arr[:, 1:3])  # (d/dt signed distance, d/dt along)
        diag = float(np.median(arr[:, 3]))
        speed_away = float(v[0]) * st.confirmed
        done = len(st.birth) >= _ENTRY_SAMPLES
        if speed_away < _ENTRY_MIN_SPEED * diag:
            st.counted_entry = done
            return None
        t0, d0, a0 = arr[0, 0], arr[0, 1], arr[0, 2]
        back = max(0.0, d0 * st.confirmed) / speed_away  # seconds before first sight that it was on the line
        a_line = a0 - float(v[1]) * back
        # Already past the line (beyond its hysteresis band) when the stream started, i.e. in the first frame
        # or when the camera came back up: that crossing was never watched and is not this stream's to count.
        # An anchor still within the band at the start is crossing now and counts.
        band_s = float(self.margin(np.array([arr[0, 3]]))[0]) / speed_away
        watched = self._t_start is not None and t0 - back > self._t_start - band_s
        near = d0 * st.confirmed <= _ENTRY_MAX_DIAGS * diag
        if watched and near and back <= self.cfg.infer_entry_s and 0.0 <= a_line <= self.geometry.length:
            st.counted_entry = True
            st.t_line = t0 - back
            return "in" if st.confirmed > 0 else "out"
        st.counted_entry = done
        return None

    def label(self, canonical: str) -> str:
        return self.cfg.in_name if canonical == "in" else self.cfg.out_name

    def counts_class(self, name: str) -> bool:
        return self.classes is None or name in self.classes

    def forget(self, identities: list[int]) -> None:
        for ident in identities:
            self._state.pop(ident, None)

    def reset(self) -> None:
        self._state.clear()
        self._recent.clear()
        self._seen.clear()
        self._counted.clear()
        self._t_start = None


def _nested_share(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection of two xyxy boxes over the smaller one's area (1.0 when one lies inside the other); 0 unless
    their bottoms are within ``_GROUND_FRAC`` of the smaller box's height (one vehicle's two boxes stand on the same
    ground: a bus and its front, a pickup and its cab; a car partly hidden behind another shows above it)."""
    if abs(a[3] - b[3]) > _GROUND_FRAC * min(a[3] - a[1], b[3] - b[1]):
        return 0.0
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return float(w * h / small) if small > 0 else 0.0


def minute_floor(ts: float) -> datetime:
    """UTC minute containing ``ts``."""
    return datetime.fromtimestamp(ts - (ts % 60.0), tz=timezone.utc)


class MinuteCounts:
    """Running totals per (line, class, direction, UTC minute); emits the buckets that changed.

    Only the newest ``keep_minutes`` buckets are kept, which bounds memory; totals are absolute so a
    re-published bucket is idempotent downstream.

    Example:
        >>> mc = MinuteCounts("cam", "box")
        >>> mc.add("l", "car", "in", 61.0); mc.add("l", "car", "in", 62.0)
        >>> [(e.name, e.count, e.bucket_start.minute) for e in mc.drain_changed()]
        [('l', 2, 1)]
    """

    def __init__(self, camera_id: str, box: str, keep_minutes: int = 3) -> None:
        self.camera_id = camera_id
        self.box = box
        self.keep_s = 60.0 * keep_minutes
        self._totals: dict[tuple[str, str, str, datetime], int] = {}
        self._changed: set[tuple[str, str, str, datetime]] = set()

    def add(self, line: str, object_class: str, direction: str, ts: float) -> None:
        key = (line, object_class, direction, minute_floor(ts))
        self._totals[key] = self._totals.get(key, 0) + 1
        self._changed.add(key)
        oldest = minute_floor(ts).timestamp() - self.keep_s
        for k in [k for k in self._totals if k[3].timestamp() < oldest]:
            del self._totals[k]
            self._changed.discard(k)

    def drain_changed(self) -> list[CountEvent]:
        events = [self._event(k) for k in sorted(self._changed, key=lambda k: (k[3], k[0], k[1], k[2]))]
        self._changed.clear()
        return events

    def all_events(self) -> list[CountEvent]:
        self._changed.clear()
        return [self._event(k) for k in sorted(self._totals, key=lambda k: (k[3], k[0], k[1], k[2]))]

    def reset(self) -> None:
        self._totals.clear()
        self._changed.clear()

    def _event(self, key: tuple[str, str, str, datetime]) -> CountEvent:
        line, cls, direction, bucket = key
        return CountEvent(
            camera_id=self.camera_id, box=self.box, kind="line", name=line, object_class=cls,
            direction=direction, bucket_start=bucket, count=self._totals[key],
        )
