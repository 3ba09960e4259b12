"""Multi-object tracking per camera: Roboflow ``trackers`` (ByteTrack / OC-SORT) behind one small class."""

from __future__ import annotations

import copy
import math

import numpy as np
from scipy.optimize import linear_sum_assignment
from trackers import ByteTrackTracker, OCSORTTracker
from trackers.core.bytetrack.tracklet import ByteTrackTracklet
from trackers.utils.iou import BIoU
from trackers.utils.predict_timing import PredictTiming

from pipeline.config import TrackerConfig
from pipeline.exceptions import ContractError
from pipeline.rules.geometry import class_family, iou
from pipeline.types import CLASS_NAME_DATA_FIELD, PIXEL_CHANGE_DATA_FIELD, Detections, empty_detections

# ``trackers`` counts the lost-track buffer in frames of a 30 fps video and rescales by ``frame_rate``.
_TRACKERS_REFERENCE_FPS = 30.0
# ``minimum_consecutive_frames`` is stated for 10 fps and scaled down (never up) at lower rates.
_CONFIRM_REFERENCE_FPS = 10.0
# frames over which the arrival rate is measured (``Tracker.set_rate``)
_RATE_GAPS = 4
_ROW = "_tracker_row"  # a data field the tracker adds for one update (a detection's row in its input)


class Tracker:
    """One camera's tracker; ``update`` returns only *confirmed* tracks, so rules never see tentative ids.

    Config mapping (``TrackerConfig`` keeps supervision's ByteTrack vocabulary):

    * ``lost_track_buffer`` seconds → ``seconds × 30`` reference frames (``trackers`` rescales by ``fps``).
    * ``minimum_matching_threshold`` is a cost (1 − IoU), so the IoU needed to match is ``1 − it``.
    * ``high_conf_det_threshold`` is ByteTrack's high/low split: only detections at or above it start
      tracks; lower ones are used in the second, recovery-only association.
    * ``trackers`` confirms a new track on its first *match*, so a track needs at least two frames even
      with ``minimum_consecutive_frames=1``.
    * ``low_score_births`` (ByteTrack only): boxes under the split can still *earn* a track by moving steadily
      over that many frames (``_LowScoreBirths``); ``births`` then holds the new track's earlier sightings
      for the line rules to replay.
    * ``still_births_s`` (ByteTrack only): a box under the split that stays at one place that long starts a
      track too (a person standing in a dark doorway), but only for the zone rules: its id is in ``zone_only``
      until a box at or above the split confirms it, and counting lines skip it until then. ``sighted`` holds,
      for a track confirmed on this frame where such still boxes stood before it, those sightings: presence
      rules (loitering, intrusion) date the visit from them; counting lines never replay them.

    Args:
        cfg: tracker settings for this camera.
        fps: frames per second that reach the tracker (after fps cap), used to turn seconds into frames.

    Example:
        >>> tracker = Tracker(TrackerConfig(), fps=10.0)
        >>> len(tracker.update(empty_detections()))
        0
    """

    def __init__(self, cfg: TrackerConfig, fps: float) -> None:
        if not fps > 0:
            raise ValueError(f"tracker fps must be > 0, got {fps}")
        self.cfg = cfg
        self.fps = fps
        self.minimum_consecutive_frames = confirm_frames(cfg.minimum_consecutive_frames, fps)
        common = dict(
            lost_track_buffer=max(1, round(cfg.lost_track_buffer * _TRACKERS_REFERENCE_FPS)),
            frame_rate=fps,
            minimum_consecutive_frames=self.minimum_consecutive_frames,
            minimum_iou_threshold=max(0.01, 1.0 - cfg.minimum_matching_threshold),
            high_conf_det_threshold=cfg.high_conf_det_threshold,
            iou=BIoU(buffer_ratio=self.match_buffer(cfg, fps)),
        )
        if cfg.kind == "ocsort":
            self._impl: ByteTrackTracker | OCSORTTracker = OCSORTTracker(**common)
        else:
            self._impl = ByteTrackTracker(track_activation_threshold=cfg.track_activation_threshold, **common)
        # tracks confirmed on the last update from boxes already seen: id → earlier (time, xyxy) sightings
        self.births: dict[int, list[tuple[float, np.ndarray]]] = {}
        # ids of tracks started from still low-score boxes that no high-score box has confirmed yet
        self.zone_only: set[int] = set()
        # tracks confirmed on the last update where still low-score boxes stood before: id -> those sightings
        self.sighted: dict[int, list[tuple[float, np.ndarray]]] = {}
        self._births = (_LowScoreBirths(cfg, fps, common["iou"], common["minimum_iou_threshold"])
                        if cfg.kind == "bytetrack" and (cfg.low_score_births > 0 or cfg.still_births_s > 0) else None)
        self.rate = fps  # the rate frames arrive at now (``set_rate``); ``fps`` stays the motion model's unit
        self._iou = common["iou"]
        # zone-only id -> its own sightings (time, xyxy) over the last _LowScoreBirths._WINDOW_S (``_release_moving``)
        self._zone_seen: dict[int, list[tuple[float, np.ndarray]]] = {}
        self._last_ts: float | None = None
        self._gaps: list[float] = []

    def set_rate(self, fps: float) -> None:
        """Frames now arrive at ``fps`` (a camera analyses at ``source.active_fps`` while an object is near a line
        and at ``fps_cap`` otherwise): the per-frame settings stated for a rate (confirmation frames, match
        buffer, sightings a low-score track needs) follow it, so each means the same time at any rate. The
        motion model keeps its frame unit (``fps``) and is fed elapsed time, so nothing else changes."""
        if fps == self.rate:
            return
        self.rate = fps
        self.minimum_consecutive_frames = confirm_frames(self.cfg.minimum_consecutive_frames, fps)
        self._impl.minimum_consecutive_frames = self.minimum_consecutive_frames
        self._iou.buffer_ratio = self.match_buffer(self.cfg, fps)
        if self._births is not None:
            self._births.need = self._births.needed(self.cfg, fps)
            self._births.max_missed = self._births.missable(fps)

    def _follow_rate(self, ts: float | None) -> None:
        # the arrival rate over the last few frames (one short or long gap is jitter of a fixed-rate gate)
        if ts is None:
            return
        if self._last_ts is not None and ts > self._last_ts:
            self._gaps = [*self._gaps[-(_RATE_GAPS - 1):], ts - self._last_ts]
            if len(self._gaps) == _RATE_GAPS:
                self.set_rate(round(_RATE_GAPS / sum(self._gaps), 1))
        self._last_ts = ts

    @staticmethod
    def match_buffer(cfg: TrackerConfig, fps: float) -> float:
        """Box growth (fraction of width/height) before IoU matching: ``cfg.match_buffer``, or by frame rate.

        At 10 fps a car's consecutive boxes overlap; at 3 fps one may have moved a whole box length, and a new
        track (no velocity yet) would never match its second detection. Buffered IoU (C-BIoU) grows both boxes
        in proportion to the time between frames.
        """
        if cfg.match_buffer is not None:
            return cfg.match_buffer
        return float(min(0.6, max(0.0, 0.1 * (_CONFIRM_REFERENCE_FPS / fps) ** 1.5 - 0.05)))

    def update(self, dets: Detections, ts: float | None = None) -> Detections:
        """Associate this frame's detections; return the confirmed tracks with ``tracker_id`` set.

        Args:
            dets: detector output for one frame (needs ``confidence`` and ``data["class_name"]``).
            ts: the frame's time in seconds. Pass it on every call (or on none): with it, skipped frames
                (motion gate, fps cap, drops) count as elapsed time in the motion model and lost buffer.

        Raises:
            ContractError: detections without ``class_name`` or ``confidence``.
        """
        if len(dets) and (CLASS_NAME_DATA_FIELD not in dets.data or dets.confidence is None):
            raise ContractError(
                f"Tracker.update needs detections with confidence and data[{CLASS_NAME_DATA_FIELD!r}]; "
                f"got confidence={'set' if dets.confidence is not None else None}, data keys={sorted(dets.data)}"
            )
        self._follow_rate(ts)
        tracked = self._update_impl(dets, ts)
        self.births, self.sighted = {}, {}
        if self._births is not None and len(tracked) and tracked.tracker_id is not None:
            self.births = self._births.update(self._impl, tracked, ts)
            self.sighted = self._births.sighted
            self.zone_only |= self._births.still_born
        elif self._births is not None:
            self._births.idle(ts)
        if self.zone_only:
            if tracked.tracker_id is not None and len(tracked):
                strong = tracked.confidence >= self.cfg.high_conf_det_threshold
                self.zone_only -= {int(i) for i in tracked.tracker_id[strong]}
            self.zone_only &= {int(tr.tracker_id) for tr in self._impl.tracks}
            self._release_moving(tracked)
        if tracked.tracker_id is None or len(tracked) == 0:
            return _empty_tracks()
        confirmed = tracked[tracked.tracker_id >= 0]
        if len(confirmed) == 0:
            return _empty_tracks()
        confirmed.tracker_id = confirmed.tracker_id.astype(int)
        return confirmed

    def _release_moving(self, tracked: Detections) -> None:
        """Zone-only tracks that drive off are released to the counting lines.

        A vehicle the detector scores 0.1-0.3 while it stands (a car parked on a car park's aisle line in fog)
        becomes a zone-only track (``still_births_s``); when it drives off still scored low, no box at the split
        ever confirms it, so the lines never saw it leave. Once its own sightings since it started moving pass
        the low-score births' motion test (``_LowScoreBirths.moving_part``: steady travel of at least 0.3 box
        diagonals at 0.3 diagonals/s), it is no longer zone-only, and ``births`` hands the lines those moving
        sightings to replay (its standing ones are not: a car parked on a line and driving off counts by where it
        went, from where it started moving). A parked car's jitter, a person shifting on the spot, never moves
        so; with ``low_score_births: 0`` nothing is released.
        """
        births = self._births
        if not self.zone_only:
            self._zone_seen = {}
            return  # the common case on every frame: no zone-only track to watch
        if births is None or not births.moving or tracked.tracker_id is None:
            return
        t = births._last_t if births._last_t is not None else 0.0
        ids = np.asarray(tracked.tracker_id)
        seen = {k: v for k, v in self._zone_seen.items() if k in self.zone_only}
        for tid in sorted(self.zone_only):
            rows = np.flatnonzero(ids == tid)
            if not len(rows):
                continue
            hist = seen.setdefault(tid, [])
            hist.append((t, np.asarray(tracked.xyxy[rows[0]], dtype=float)))
            while hist[0][0] < t - births._WINDOW_S:
                del hist[0]
            moving = births.moving_part(hist)
            if moving is not None:
                self.zone_only.discard(tid)
                seen.pop(tid)
                self.births[tid] = moving[:-1]
        self._zone_seen = seen

    def _update_impl(self, dets: Detections, ts: float | None) -> Detections:
        """ByteTrack's update, with the pieces of tracked vehicles (``pieces``) kept out of its first stage."""
        pieces = self.pieces(dets) if self.cfg.kind == "bytetrack" else []
        if not pieces:
            return self._impl.update(dets, timestamp=ts)
        dets = copy.copy(dets)
        dets.data = {**dets.data, _ROW: np.arange(len(dets))}
        conf = np.asarray(dets.confidence, dtype=np.float32)
        dets.confidence = conf.copy()
        dets.confidence[pieces] = np.nextafter(np.float32(self.cfg.high_conf_det_threshold), np.float32(0))
        tracked = self._impl.update(dets, timestamp=ts)
        rows = tracked.data.pop(_ROW, None)
        if rows is not None and len(tracked):
            tracked.confidence = conf[rows]
        return tracked

    def pieces(self, dets: Detections) -> list[int]:
        """Rows of boxes at or above the split that are a piece of a confirmed track's vehicle on this frame.

        yolov8n boxes a low-resolution car half hidden behind parked ones by its visible front at a high score
        and whole at a low one; ByteTrack's first stage matches the high-score box, so the track jumps from the
        whole car to its front (and its anchor a car length ahead, across a line), or keeps the whole car and
        starts a second track on the front (a pickup's cab). A box is a piece when it lies by at least half its
        area in a much larger box of its class family on this frame (areas more than ``_SIZE_RATIO`` apart) that
        fits a confirmed track better than it does (buffered IoU at least the match threshold, above the
        piece's) and is about that track's size (areas within ``_SIZE_RATIO``), and that larger box holds no
        other box of the frame beside it (then it is two objects boxed as one: two parked cars side by side,
        each also boxed alone). Pieces go to the second stage only, where the whole box wins the track; they
        never start a track of their own while so.
        """
        if len(dets) < 2 or dets.confidence is None:
            return []
        held = [tr.get_state_bbox() for tr in self._impl.tracks if tr.tracker_id >= 0]
        strong = np.flatnonzero(np.asarray(dets.confidence) >= self.cfg.high_conf_det_threshold)
        if not held or not len(strong):
            return []
        xyxy = np.asarray(dets.xyxy, dtype=float)
        area = np.clip(xyxy[:, 2] - xyxy[:, 0], 0, None) * np.clip(xyxy[:, 3] - xyxy[:, 1], 0, None)
        share = _shares(xyxy)  # (a, b): the share of a's area inside b
        ratio = _LowScoreBirths._SIZE_RATIO
        # (strong box, box): the strong box lies by half its area in that much larger box
        inside = (share[strong] >= 0.5) & (area[None, :] > ratio * area[strong][:, None])
        if not inside.any():
            return []
        fams = np.array([class_family(str(c)) for c in dets.data[CLASS_NAME_DATA_FIELD]])
        inside &= fams[strong][:, None] == fams[None, :]
        # a larger box that also holds another box of the frame beside the strong one is two objects boxed as
        # one (two parked cars side by side), not a vehicle and its piece
        same = fams[:, None] == fams[None, :]
        for si, p in enumerate(strong):
            for j in np.flatnonzero(inside[si]):
                beside = (share[:, j] >= 0.5) & (share[:, p] < 0.5) & (share[p, :] < 0.5) & same[p]
                beside[[p, j]] = False
                inside[si, j] = not beside.any()
        if not inside.any():
            return []
        held_arr = np.asarray(held, dtype=float).reshape(-1, 4)
        held_area = (held_arr[:, 2] - held_arr[:, 0]) * (held_arr[:, 3] - held_arr[:, 1])
        fit = self._iou.compute(held_arr, xyxy)  # (tracks, boxes)
        need = max(0.01, 1.0 - self.cfg.minimum_matching_threshold)
        sized = np.maximum(held_area[:, None], area[None, :]) <= ratio * np.minimum(held_area[:, None], area[None, :])
        whole = (fit >= need) & sized  # (track, box): the box could be that track's whole box
        # (strong box, box, track): the larger box is the track's and fits it better than the strong box does
        better = whole[None, :, :].transpose(0, 2, 1) & (fit.T[None, :, :] > fit.T[strong][:, None, :])
        return [int(strong[i]) for i in np.flatnonzero((inside & better.any(axis=2)).any(axis=1))]

    def reset(self) -> None:
        """Forget every track and restart ids (new scene, camera moved, source restarted)."""
        self._impl.reset()
        self.zone_only = set()
        self._zone_seen = {}
        if self._births is not None:
            self._births.reset()
        self._last_ts, self._gaps = None, []


class _Chain:
    """Boxes that follow one another but are on no confirmed track: a track that has not earned its start."""

    __slots__ = ("ts", "boxes", "conf", "missed")

    def __init__(self, ts: float, box: np.ndarray, conf: float) -> None:
        self.ts, self.boxes, self.conf, self.missed = [ts], [box], [conf], 0

    def predicted(self, ts: float) -> np.ndarray:
        """The last box moved on at the chain's own velocity (none yet with one box)."""
        if len(self.boxes) < 2:
            return self.boxes[-1]
        dt = self.ts[-1] - self.ts[-2]
        v = (self.boxes[-1] - self.boxes[-2]) / dt if dt > 0 else 0.0
        return self.boxes[-1] + v * (ts - self.ts[-1])


class _Spot:
    """Boxes on no confirmed track seen again and again at one place: a still object the detector scores low."""

    __slots__ = ("ts", "boxes", "conf", "hits", "family", "measured", "moved")

    def __init__(self, ts: float, box: np.ndarray, conf: float, family: str) -> None:
        self.ts, self.boxes, self.conf, self.hits, self.family = [ts], [box], [conf], 1, family
        self.measured = self.moved = 0  # sightings with a known pixel change / with the picture changing

    def saw(self, change: float, threshold: float) -> None:
        """Count one sighting's pixel change (``PIXEL_CHANGE_DATA_FIELD``; NaN = unknown)."""
        if np.isfinite(change):
            self.measured += 1
            self.moved += int(change >= threshold)


class _LowScoreBirths:
    """Track births on temporal evidence: ByteTrack's second stage (low-score boxes), but for starting tracks.

    A nano model scores vehicles in fog, rain, haze and low resolution 0.1-0.3, under the split at which
    ByteTrack starts a track, and finds them on only some frames, so such a vehicle is never tracked however
    long it is seen (ByteTrack confirms a track only on consecutive matches of boxes that overlap, and a new
    track has no velocity: at 5 or 3 fps a near vehicle has moved a box length by its next sighting).

    Here every box that is on no confirmed track (nor inside one: a reflection or a second box on a tracked
    vehicle), whatever its score, is linked frame to frame into a chain: a chain's first link goes to the
    nearest box of about the same size within ``_MAX_SPEED`` box diagonals per second, later links to the box
    that overlaps where the chain's own velocity puts it (buffered IoU, as the tracker matches). A chain
    becomes a confirmed track once it has ``low_score_births`` boxes (stated for 10 fps, fewer at lower rates,
    at least 3) with at most one frame missed between two of them, steady box sizes, and boxes moving steadily
    one way: each step at about the chain's mean velocity (within ``_STEADY`` of it, plus jitter), at least
    ``_MIN_TRAVEL`` box diagonals in all and ``_MIN_SPEED`` diagonals per second. A parked car, a sign or a
    shadow scored 0.1-0.3 does not move, so it never starts a track; a one-frame false box never makes a
    chain; and a chain never leaves a spot that is still occupied, so boxes flickering on along a row of
    parked cars are not one car moving.

    The new track is a ByteTrack tracklet fed the chain's boxes, so it starts with the chain's velocity (any
    tentative tracklet ByteTrack had on the same box is replaced) and ByteTrack matches it on like any other.

    Still objects (``still_births_s``): the same untracked boxes are also kept as *spots*: a box joins the
    spot whose last box it overlaps (IoU >= ``_SPOT_IOU``), and a spot unseen for ``_SPOT_GAP_S`` is dropped,
    so a person at a night fence seen on one frame in five still makes one spot. A spot is trusted only with
    evidence that it is a real object (see ``_still``); a bush or a post a nano model scores 0.1-0.27 as a
    person has none.
    """

    _MIN_TRAVEL = 0.3  # box diagonals from the first to the last box of the chain
    _MIN_SPEED = 0.3  # box diagonals per second (as ``infer_entry_s`` asks of a track born past a line)
    _MAX_SPEED = 5.0  # box diagonals per second a chain's first link may span (a near car at 5 fps: ~1 per frame)
    _BACKSTEP = 0.1  # a step may go backwards along the travel by this many diagonals (box jitter)
    _STEADY = 0.5  # each step's velocity within this share of the chain's mean velocity (plus jitter)
    _SIZE_RATIO = 2.25  # consecutive boxes' areas within this factor (1.5 in width and height)
    _WINDOW_S = 2.0  # evidence older than this is forgotten (a slow object must move within it)
    _OVERLAP = 0.3  # a box this much inside a confirmed track's box (its area share) belongs to that track
    _STILL_IOU = 0.5  # a box of this frame this close to a chain's last box: the object is still there
    _SPOT_IOU = 0.3  # a box joins the spot whose last box it overlaps this much
    _SPOT_GAP_S = 5.0  # a spot unseen this long is dropped (night IR: a person found once in a few seconds)
    _SPOT_MIN = 3  # sightings a spot needs before it is used
    _SPOT_REACH = 0.5  # every anchor within this many box diagonals of the spot's median anchor: one place
    _SPOT_KEEP = 64  # sightings a spot keeps (the oldest, where it was first seen, is always kept)
    _LOST_IOU = 0.3  # a spot continues a lost track whose last box it overlaps this much ...
    _LOST_REACH = 0.25  # ... or whose last anchor (bottom-centre) is within this many of its box diagonals,
    _LOST_STILL_S = 2.0  # ... and whose anchor stayed that close to where it was lost over its last seconds
    # a spot whose picture changes (``PixelChange`` >= _SPOT_PIXELS) on at least _SPOT_MIN sightings and on at
    # least _SPOT_MOVED of those measured is alive: a person shifting in the dark, not a bush (docs/tuning.md)
    _SPOT_PIXELS = 1.0
    _SPOT_MOVED = 0.5

    def __init__(self, cfg: TrackerConfig, fps: float, iou: BIoU, min_iou: float) -> None:
        self.fps = fps
        self.need = self.needed(cfg, fps)
        # 0.9: a fixed-rate gate on a 25 fps source spaces kept frames 0.08-0.12 s apart
        self.min_span = 0.9 * (cfg.low_score_births - 1) / _CONFIRM_REFERENCE_FPS
        self.max_missed = self.missable(fps)
        self.moving = cfg.low_score_births > 0
        self.split = float(cfg.high_conf_det_threshold)
        self.still_s = float(cfg.still_births_s)
        self.iou = iou
        self.min_iou = min_iou
        self.chains: list[_Chain] = []
        self.spots: list[_Spot] = []
        self.still_born: set[int] = set()  # ids started from spots on the last update
        self.sighted: dict[int, list[tuple[float, np.ndarray]]] = {}  # new id -> a spot's sightings before it
        self.hold_s = float(cfg.still_hold_s)
        # confirmed id -> (last seen, xyxy, family, [(t, anchor x, anchor y)] over its last _LOST_STILL_S)
        self._last: dict[int, tuple[float, np.ndarray, str, list[tuple[float, float, float]]]] = {}
        self._seen: set[int] = set()  # confirmed ids known before this update
        self._n = 0  # updates seen (frames reaching the tracker)
        self._last_t: float | None = None

    @staticmethod
    def needed(cfg: TrackerConfig, fps: float) -> int:
        """Sightings a chain needs at ``fps``: ``low_score_births`` is stated for 10 fps, fewer at lower rates but
        never under 3. Above 10 fps the chain must instead last as long as those sightings take at 10 fps
        (``min_span``): a detector that finds a vehicle on every other frame gets there as soon at 30 fps."""
        return max(3, math.ceil(cfg.low_score_births * min(fps, _CONFIRM_REFERENCE_FPS) / _CONFIRM_REFERENCE_FPS
                                - 1e-9))

    @staticmethod
    def missable(fps: float) -> int:
        """Frames in a row a chain may miss: one at 10 fps and below, as much time (0.1 s) at higher rates."""
        return max(1, round(fps / _CONFIRM_REFERENCE_FPS))

    def reset(self) -> None:
        self.chains, self.spots, self.still_born, self._n, self._last_t = [], [], set(), 0, None
        self.sighted = {}
        self._last, self._seen = {}, set()

    def update(self, impl: ByteTrackTracker, tracked: Detections,
               ts: float | None) -> dict[int, list[tuple[float, np.ndarray]]]:
        """Link this frame's untracked boxes into chains; promote the chains that moved like vehicles.

        ``tracked`` is ByteTrack's output for the frame (every detection, ``tracker_id`` -1 when not on a
        confirmed track); a promoted chain's box gets its new id in place. Returns new id → the chain's
        earlier (time, xyxy) sightings.
        """
        t = self._tick(ts)
        conf = tracked.confidence
        held = np.array([tr.get_state_bbox() for tr in impl.tracks if tr.tracker_id >= 0]).reshape(-1, 4)
        cand = [i for i in np.flatnonzero(tracked.tracker_id < 0)
                if not len(held) or _area_share(tracked.xyxy[i], held).max() < self._OVERLAP]
        cand = self._nms(cand, tracked)
        boxes = tracked.xyxy[cand].astype(float)
        if not self.moving:
            self._still(impl, tracked, cand, boxes, t)
            return {}
        linked = self._link(boxes, t, np.asarray(tracked.xyxy, dtype=float))
        kept: list[_Chain] = []
        fresh: list[tuple[_Chain, int]] = []
        for r, ch in enumerate(self.chains):
            if r not in linked.values():
                ch.missed += 1
                if ch.missed <= self.max_missed:
                    kept.append(ch)
        for c, i in enumerate(cand):
            if c in linked:
                ch = self.chains[linked[c]]
                ch.ts.append(t)
                ch.boxes.append(boxes[c])
                ch.conf.append(float(conf[i]))
                ch.missed = 0
                while ch.ts[0] < t - self._WINDOW_S:
                    del ch.ts[0], ch.boxes[0], ch.conf[0]
                kept.append(ch)
                fresh.append((ch, i))
            else:
                kept.append(_Chain(t, boxes[c], float(conf[i])))
        promoted: list[np.ndarray] = []
        births: dict[int, list[tuple[float, np.ndarray]]] = {}
        for ch, i in sorted(fresh, key=lambda x: -float(np.mean(x[0].conf))):
            if not self._moved_like_a_vehicle(ch):
                continue
            if promoted and _area_share(ch.boxes[-1], np.array(promoted)).max() >= self._OVERLAP:
                continue
            tid = self._start_track(impl, ch)
            tracked.tracker_id[i] = tid
            births[tid] = list(zip(ch.ts[:-1], ch.boxes[:-1]))
            promoted.append(ch.boxes[-1])
            kept.remove(ch)
        self.chains = kept
        rest = [c for c, i in enumerate(cand) if tracked.tracker_id[i] < 0]
        self._still(impl, tracked, [cand[c] for c in rest], boxes[rest], t)
        return births

    def idle(self, ts: float | None) -> None:
        """A frame with no box at all: spots age (chains are left as they are)."""
        t = self._tick(ts)
        self.sighted = {}
        self.spots = [sp for sp in self.spots if t - sp.ts[-1] <= self._SPOT_GAP_S]

    def _tick(self, ts: float | None) -> float:
        """One update (a frame reaching the tracker): its time (``1/fps`` after the last when it has none)."""
        t = ts if ts is not None else (self._last_t + 1.0 / self.fps if self._last_t is not None else 0.0)
        self._last_t = t
        self._n += 1
        self.still_born = set()
        return t

    def _still(self, impl: ByteTrackTracker, tracked: Detections, cand: list[int], boxes: np.ndarray,
               t: float) -> None:
        """Still objects: join this frame's untracked boxes to spots, then use the spots that are one place.

        A spot with ``_SPOT_MIN`` sightings over ``still_births_s``, all at one place, is used only beside
        evidence that it is a real object, so that a bush or a post scored 0.1-0.27 as a person never is one:

        * a track ByteTrack confirms on this frame on a spot's place (a person who stood in a dark doorway and
          is found as they step out) gets the spot's sightings as its earlier ones: presence rules date the
          visit from them;
        * a spot where a confirmed track of its family was last seen within ``still_hold_s`` (a person at a
          night fence the detector lost and finds again only at low scores), one the detector once scored
          at or above the split, or one whose picture changes from frame to frame on most sightings (the
          detections' ``PIXEL_CHANGE_DATA_FIELD``: a person shifting in the dark; a bush's pixels stay put)
          starts a track for the zone rules (``still_born``; the tracker keeps it out of line counting until a
          high-score box confirms it).
        """
        self.sighted = {}
        if self.still_s <= 0:
            return
        names = tracked.data[CLASS_NAME_DATA_FIELD]
        change = tracked.data.get(PIXEL_CHANGE_DATA_FIELD)
        ids = np.asarray(tracked.tracker_id)
        present = {int(k) for k in ids if k >= 0}
        self.spots = [sp for sp in self.spots if t - sp.ts[-1] <= self._SPOT_GAP_S]
        # tracks confirmed on this frame where a spot saw the object first
        for i in np.flatnonzero(ids >= 0):
            tid = int(ids[i])
            if tid in self._seen:
                continue
            fam = class_family(str(names[i]))
            box = np.asarray(tracked.xyxy[i], dtype=float)
            for sp in self.spots:
                if sp.family == fam and self._ready(sp) and _ious(box, np.array([sp.boxes[-1]]))[0] >= self._SPOT_IOU:
                    self.sighted[tid] = list(zip(sp.ts, sp.boxes))
                    self.spots.remove(sp)
                    break
        matched: dict[int, int] = {}  # box -> spot
        if self.spots and len(boxes):
            sim = np.array([self._near(sp, boxes) for sp in self.spots])
            matched = {int(c): int(r) for r, c in zip(*linear_sum_assignment(sim, maximize=True)) if sim[r, c] > 0}
        kept = [sp for r, sp in enumerate(self.spots) if r not in matched.values()]
        for c, i in enumerate(cand):
            fam = class_family(str(names[i]))
            score = float(tracked.confidence[i])
            moved = float(change[i]) if change is not None else math.nan
            if c not in matched:
                kept.append(_Spot(t, boxes[c], score, fam))
                kept[-1].saw(moved, self._SPOT_PIXELS)
                continue
            sp = self.spots[matched[c]]
            sp.saw(moved, self._SPOT_PIXELS)
            sp.ts.append(t)
            sp.boxes.append(boxes[c])
            sp.conf.append(score)
            sp.family = fam
            sp.hits += 1
            if len(sp.ts) > self._SPOT_KEEP:
                del sp.ts[1], sp.boxes[1], sp.conf[1]
            # a box at or above the split is ByteTrack's to start (it then takes the spot's sightings, above)
            if score < self.split and self._ready(sp) and (max(sp.conf) >= self.split or self._alive(sp)
                                                           or self._lost_here(sp, present, t)):
                tid = self._start_track(impl, sp)
                tracked.tracker_id[i] = tid
                self.sighted[tid] = list(zip(sp.ts[:-1], sp.boxes[:-1]))
                self.still_born.add(tid)
                present.add(tid)
                continue
            kept.append(sp)
        self.spots = kept
        # remember where each confirmed track was last seen (for spots that continue a lost one)
        ids = np.asarray(tracked.tracker_id)
        for i in np.flatnonzero(ids >= 0):
            box = np.asarray(tracked.xyxy[i], dtype=float)
            prev = self._last.get(int(ids[i]))
            hist = [h for h in (prev[3] if prev else []) if h[0] >= t - self._LOST_STILL_S]
            hist.append((t, float((box[0] + box[2]) / 2), float(box[3])))
            self._last[int(ids[i])] = (t, box, class_family(str(names[i])), hist)
        self._last = {k: v for k, v in self._last.items() if t - v[0] <= self.hold_s}
        self._seen = {int(tr.tracker_id) for tr in impl.tracks if tr.tracker_id >= 0} | present

    def _near(self, sp: _Spot, boxes: np.ndarray) -> np.ndarray:
        """How well each box continues the spot: IoU with its last box when >= ``_SPOT_IOU``, else nearness of
        the box's anchor to the spot's median anchor within ``_SPOT_REACH`` diagonals (below any overlap)."""
        s = _ious(sp.boxes[-1], boxes)
        b = np.asarray(sp.boxes)
        median = np.median(np.column_stack([(b[:, 0] + b[:, 2]) / 2, b[:, 3]]), axis=0)
        reach = self._SPOT_REACH * float(np.mean(np.hypot(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])))
        d = np.hypot((boxes[:, 0] + boxes[:, 2]) / 2 - median[0], boxes[:, 3] - median[1])
        near = np.clip(1.0 - d / max(reach, 1e-9), 0.0, None) * self._SPOT_IOU
        ok = np.array([_size_ratio(sp.boxes[-1], x) <= self._SIZE_RATIO for x in boxes])
        return np.where(ok, np.where(s >= self._SPOT_IOU, s, near), 0.0)

    def _ready(self, sp: _Spot) -> bool:
        """Seen often enough, for long enough, and always at one place (anchors near their median)."""
        if sp.hits < self._SPOT_MIN or sp.ts[-1] - sp.ts[0] < self.still_s:
            return False
        b = np.asarray(sp.boxes)
        anchors = np.column_stack([(b[:, 0] + b[:, 2]) / 2, b[:, 3]])
        reach = self._SPOT_REACH * float(np.mean(np.hypot(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])))
        return bool(np.all(np.hypot(*(anchors - np.median(anchors, axis=0)).T) <= reach))

    def _alive(self, sp: _Spot) -> bool:
        """Whether the spot's picture changed on enough of its sightings to be a living thing, not a bush."""
        return sp.moved >= self._SPOT_MIN and sp.moved >= self._SPOT_MOVED * sp.measured

    def _lost_here(self, sp: _Spot, present: set[int], t: float) -> bool:
        """Whether a confirmed track of the spot's family, not on this frame, stood still where the spot is when it
        was last seen (one walking when lost, past a bush the detector calls a person, was walking on)."""
        box = sp.boxes[-1]
        anchor = np.array([(box[0] + box[2]) / 2, box[3]])
        for tid, (seen, last, fam, hist) in self._last.items():
            if tid in present or fam != sp.family or t - seen > self.hold_s or seen > sp.ts[-1]:
                continue
            reach = self._LOST_REACH * float(np.hypot(last[2] - last[0], last[3] - last[1]))
            if any(np.hypot(x - hist[-1][1], y - hist[-1][2]) > reach for _, x, y in hist):
                continue  # it was moving
            if (_ious(box, last[None])[0] >= self._LOST_IOU
                    or float(np.hypot(*(anchor - np.array([(last[0] + last[2]) / 2, last[3]])))) <= reach):
                return True
        return False

    def _link(self, boxes: np.ndarray, t: float, frame_boxes: np.ndarray) -> dict[int, int]:
        """Box index → chain index: velocity-predicted overlap, or nearness for a chain of one box.

        A chain whose last box is still there in this frame (a box of this frame on the same spot) links to
        nothing else: that is a still object, and a "move" from it to a box nearby is a jump to another
        object (flickering boxes along a row of parked cars, evenly spaced, look like steady motion).
        """
        if not self.chains or not len(boxes):
            return {}
        sim = np.zeros((len(self.chains), len(boxes)))
        centres = (boxes[:, :2] + boxes[:, 2:]) / 2
        for r, ch in enumerate(self.chains):
            last = ch.boxes[-1]
            # a box of this frame still on the chain's last spot that is not (a duplicate of) the one it links to
            spot = frame_boxes[_ious(last, frame_boxes) >= self._STILL_IOU]
            ok = np.array([_size_ratio(last, b) <= self._SIZE_RATIO and not (_ious(b, spot) < self._STILL_IOU).any()
                           for b in boxes])
            if len(ch.boxes) >= 2:
                s = self.iou.compute(ch.predicted(t)[None, :], boxes)[0]
                s = np.where(s >= self.min_iou, s, 0.0)
            else:
                diag = float(np.hypot(last[2] - last[0], last[3] - last[1]))
                reach = self._MAX_SPEED * diag * max(t - ch.ts[-1], 1e-6)
                dist = np.hypot(*(centres - (last[:2] + last[2:]) / 2).T)
                s = np.clip(1.0 - dist / reach, 0.0, None) * self.min_iou  # below any overlap match
            sim[r] = np.where(ok, s, 0.0)
        return {int(c): int(r) for r, c in zip(*linear_sum_assignment(sim, maximize=True)) if sim[r, c] > 0}

    def _nms(self, cand: list[int], tracked: Detections) -> list[int]:
        """One box per object across classes (the detector's NMS keeps a car and a truck on the same van)."""
        out: list[int] = []
        for i in sorted(cand, key=lambda i: -float(tracked.confidence[i])):
            if not out or _area_share(tracked.xyxy[i], tracked.xyxy[out]).max() < 0.5:
                out.append(i)
        return sorted(out)

    def moving_part(self, seen: list[tuple[float, np.ndarray]]) -> list[tuple[float, np.ndarray]] | None:
        """The shortest run of the last sightings (time, xyxy) that moved like a vehicle (``_moved_like_a_vehicle``),
        or None. Cheap for a standing object: nothing is tested unless the sightings' centres spread over at least
        ``_MIN_TRAVEL`` of the last box's diagonal."""
        if len(seen) < self.need:
            return None
        b = np.array([x for _, x in seen])
        centres = (b[:, :2] + b[:, 2:]) / 2
        last = b[-1]
        if float(np.hypot(*(centres.max(axis=0) - centres.min(axis=0)))) < self._MIN_TRAVEL * float(
                np.hypot(last[2] - last[0], last[3] - last[1])):
            return None
        for k in range(len(seen) - self.need, -1, -1):
            ch = _Chain(seen[k][0], seen[k][1], 0.0)
            ch.ts, ch.boxes = [t for t, _ in seen[k:]], [x for _, x in seen[k:]]
            if self._moved_like_a_vehicle(ch):
                return seen[k:]
        return None

    def _moved_like_a_vehicle(self, ch: _Chain) -> bool:
        if len(ch.ts) < self.need or ch.ts[-1] - ch.ts[0] < self.min_span:
            return False
        b = np.array(ch.boxes)
        centres = (b[:, :2] + b[:, 2:]) / 2
        diag = float(np.mean(np.hypot(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])))
        travel = centres[-1] - centres[0]
        dist = float(np.hypot(*travel))
        span = ch.ts[-1] - ch.ts[0]
        if diag <= 0 or span <= 0 or dist < self._MIN_TRAVEL * diag or dist / span < self._MIN_SPEED * diag:
            return False
        steps = np.diff(centres, axis=0)
        if (steps @ (travel / dist)).min() < -self._BACKSTEP * diag:
            return False
        # steady: each step's velocity within _STEADY of the chain's mean velocity (plus box jitter)
        dts = np.diff(np.asarray(ch.ts))[:, None]
        v = travel / span
        off = np.hypot(*(steps - v * dts).T)
        if not np.all(off <= self._STEADY * float(np.hypot(*v)) * dts[:, 0] + self._BACKSTEP * diag):
            return False
        # A step between boxes that do not overlap is a jump the chain's first link allows (a near vehicle at 3 fps
        # has moved a box length): a chain that jumped and otherwise stood (two parked cars side by side, boxed
        # one after the other) is not a vehicle. Its overlapping steps, when it has any, must together move on at
        # _STEADY of the chain's mean velocity, without the per-step jitter allowance that a short step gets.
        apart = np.array([_area_share(b[k], b[k + 1][None])[0] <= 0.0 for k in range(len(b) - 1)])
        if apart.any() and not apart.all():
            forward = float(steps[~apart].sum(axis=0) @ (travel / dist))
            return forward >= self._STEADY * (dist / span) * float(dts[~apart].sum())
        return True

    def _start_track(self, impl: ByteTrackTracker, ch: _Chain | _Spot) -> int:
        last = ch.boxes[-1]
        # ByteTrack may hold a tentative tracklet on this very box (a high-score box it just spawned from)
        impl.tracks = [tr for tr in impl.tracks if tr.tracker_id >= 0 or tr.time_since_update > 0
                       or iou(last, tr.get_state_bbox()) < 0.5]
        tr = ByteTrackTracklet(initial_bbox=ch.boxes[0], state_estimator_class=impl.state_estimator_class)
        for k in range(1, len(ch.ts)):
            dt = ch.ts[k] - ch.ts[k - 1]
            tr.predict(PredictTiming(frame_step=dt * self.fps, elapsed_seconds=dt, frame_rate=self.fps))
            tr.update(ch.boxes[k])
        tr.tracker_id = impl._allocate_tracker_id()
        impl.tracks.append(tr)
        return tr.tracker_id


def _shares(xyxy: np.ndarray) -> np.ndarray:
    """(n, n): the share of box a's area inside box b, for every pair of rows (a, b)."""
    w = np.clip(np.minimum(xyxy[:, None, 2], xyxy[None, :, 2]) - np.maximum(xyxy[:, None, 0], xyxy[None, :, 0]), 0, None)
    h = np.clip(np.minimum(xyxy[:, None, 3], xyxy[None, :, 3]) - np.maximum(xyxy[:, None, 1], xyxy[None, :, 1]), 0, None)
    area = np.maximum((xyxy[:, 2] - xyxy[:, 0]) * (xyxy[:, 3] - xyxy[:, 1]), 1e-9)
    return w * h / area[:, None]


def _ious(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    """IoU of ``box`` with each of ``others`` (n, 4)."""
    others = np.asarray(others, dtype=float).reshape(-1, 4)
    area = max(float((box[2] - box[0]) * (box[3] - box[1])), 1e-9)
    inter = _area_share(box, others) * area
    union = area + (others[:, 2] - others[:, 0]) * (others[:, 3] - others[:, 1]) - inter
    return inter / np.maximum(union, 1e-9)


def _area_share(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    """The share of ``box``'s area inside each of ``others``."""
    x1 = np.maximum(box[0], others[:, 0])
    y1 = np.maximum(box[1], others[:, 1])
    x2 = np.minimum(box[2], others[:, 2])
    y2 = np.minimum(box[3], others[:, 3])
    inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    return inter / max(float((box[2] - box[0]) * (box[3] - box[1])), 1e-9)


def _size_ratio(a: np.ndarray, b: np.ndarray) -> float:
    sa = max(float((a[2] - a[0]) * (a[3] - a[1])), 1e-9)
    sb = max(float((b[2] - b[0]) * (b[3] - b[1])), 1e-9)
    return max(sa, sb) / min(sa, sb)


def confirm_frames(frames_at_10fps: int, fps: float) -> int:
    """Frames a new track needs at ``fps`` to take the same time as ``frames_at_10fps`` at 10 fps (at least 1).

    Confirmation is there to drop one-frame flicker; counted in frames it would cost 1 s at 3 fps, long
    enough for a vehicle to cross a line unseen by the rules.
    """
    return max(1, min(frames_at_10fps, math.ceil(frames_at_10fps * fps / _CONFIRM_REFERENCE_FPS - 1e-9)))


def _empty_tracks() -> Detections:
    det = empty_detections()
    det.tracker_id = np.array([], dtype=int)
    return det
