"""One camera's pipeline: source frame → detections → tracks → rules → events + evidence, with typed status.

Ray-free. The ``CameraWorker`` actor (``edge_workers/actors.py``) is a thin shell that passes in Ray-backed
``detect`` / ``publish`` / caption callables; tests pass plain functions, or drive ``step`` frame by frame.

The pipeline owns the outgoing revision numbers (``seq``): the rule engine numbers the revisions it makes
(opened 0, updated 1 …), and a caption that arrives later from the captioner becomes one more revision of the
same incident, so the wire ``seq`` of a rule revision is its engine number plus the captions sent before it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from pipeline.caption import Caption, CaptionRequest, template_caption
from pipeline.config import CameraConfig, DetectorConfig
from pipeline.contrast import ContrastBoost
from pipeline.evidence import EvidenceBuilder
from pipeline.exceptions import EndOfStream, SourceError
from pipeline.left_objects import LeftObjects
from pipeline.motion import ChangeHistory, FrameScheduler, GateReason, PixelChange, top_fps
from pipeline.region import crop_frame, detect_window, uncrop_detections
from pipeline.rules import RuleEngine
from pipeline.rules.geometry import PEOPLE, class_family
from pipeline.rules.lines import Crossing
from pipeline.sources import BufferPolicy, FrameSource
from pipeline.status import CameraStatus, Published, camera_state
from pipeline.track import Tracker
from pipeline.types import (
    CLASS_NAME_DATA_FIELD,
    PIXEL_CHANGE_DATA_FIELD,
    CountEvent,
    Detections,
    Frame,
    HealthEvent,
    HealthState,
    IncidentEvent,
    IncidentState,
)

log = logging.getLogger("citylens.edge")

Event = IncidentEvent | CountEvent | HealthEvent
# A caption job is started with the opened incident and later polled: poll(jobs, timeout) -> [(job, Caption | None)].
CaptionStart = Callable[[IncidentEvent], Any]
CaptionPoll = Callable[[list[Any], float], list[tuple[Any, Caption | None]]]


@dataclass
class CameraDeps:
    """Collaborators of one camera, passed in (Frigate's ``process_frames`` style).

    Attributes:
        detect: one frame → its detections (the box's batched detector behind it).
        publish: hands one event on (Redis, or the spool); must not raise on an outage.
        caption_start / caption_poll: the captioner, asynchronous; None = incidents keep no caption.
        plate_detect: licence-plate detector, required when the camera blurs plates.
        models: model names stamped on every incident (``{"detector": "yolov8n.pt", …}``): the box's own.
        on_published: test hook, told of every event after ``publish`` accepted it (delivery tests).
        health_every_s: least time between periodic health events.
        caption_wait_s: at end of stream, how long to wait for outstanding captions.
        run_id: stamped on every event this camera publishes (one ``process``/``demo``/``edge`` start = one run).
    """

    detect: Callable[[Frame], Detections] | None = None
    publish: Callable[[Event], None] | None = None
    caption_start: CaptionStart | None = None
    caption_poll: CaptionPoll | None = None
    plate_detect: Callable[[Frame], Detections] | None = None
    models: dict[str, str] = field(default_factory=dict)
    on_published: Callable[[Event], None] | None = None
    health_every_s: float = 2.0
    caption_wait_s: float = 60.0
    run_id: str | None = None
    detect_imgsz: int | None = None  # the detector's input size (picks the region crop); None = the camera's own or 640
    # the same detector at another input size: (frame, imgsz) → detections; given, the camera detects the window
    # around its lines and zones at the whole frame's scale on a smaller input (pipeline.region.detect_window)
    detect_at: Callable[[Frame, int], Detections] | None = None


@dataclass
class CameraOutput:
    """What one step (or a close-out) produced."""

    events: list[IncidentEvent | CountEvent] = field(default_factory=list)
    needs_caption: list[IncidentEvent] = field(default_factory=list)  # opened incidents, with evidence
    tracks: Detections | None = None
    crossings: list[Crossing] = field(default_factory=list)  # line crossings confirmed on this frame


@dataclass
class _Sent:
    event: IncidentEvent  # the last revision sent, without evidence bytes
    captions: int = 0  # caption revisions sent so far


class CameraPipeline:
    """Track, apply rules and build evidence for one camera; ``run`` drives it from the camera's source.

    Args:
        camera: the camera's config slice.
        deps: collaborators (detector, publisher, captioner, plate detector, models).
        box: edge box name stamped on events.
        timezone: deployment timezone, for rule schedules.
        keep_closed: how many closed incidents to remember so a late caption can still revise them.
        source: the frame source; default a ``FrameSource`` on ``camera.source``.
        fps: the tracker's frame unit; default the highest rate frames reach it (``source.active_fps`` when on,
            else ``source.fps_cap``); it follows the rate frames actually arrive at (``Tracker.set_rate``).

    Example:
        >>> pipe = CameraPipeline(cam_cfg, CameraDeps(models={"detector": "yolov8n.pt"}), box="box-a")  # doctest: +SKIP
        >>> out = pipe.step(frame, detections)  # doctest: +SKIP
    """

    def __init__(self, camera: CameraConfig, deps: CameraDeps | None = None, *, box: str = "", timezone: str = "UTC",
                 keep_closed: int = 1024, source: FrameSource | None = None, fps: float | None = None) -> None:
        self.camera = camera
        self.deps = deps or CameraDeps()
        self.box = box
        self.timezone = timezone
        if "plates" in camera.privacy_blur and self.deps.plate_detect is None:
            raise ValueError(f"camera {camera.id}: privacy_blur 'plates' needs a plate detector")
        self.source = source if source is not None else FrameSource(camera.id, camera.source)
        # the tracker's frame unit: the highest rate it is fed (active_fps near lines); it follows the arrival rate
        self.fps = fps or top_fps(camera.source)
        self.tracker = Tracker(camera.tracker, fps=self.fps)
        # the tracker's evidence that a still low-score box is alive (a person in the dark, not a bush)
        self._pixels = PixelChange() if camera.tracker.still_births_s > 0 else None
        self._left = _left_objects(camera)  # objects left behind that the detector does not box
        self._picture = _change_history(camera)  # presence rules: since when, and still, a visitor's place moves
        self.evidence = _evidence_builder(camera)
        self._engine: RuleEngine | None = None
        self._frame_size: tuple[int, int] | None = None
        self._sent: OrderedDict[str, _Sent] = OrderedDict()
        self._keep_closed = keep_closed
        self.last_ts: float | None = None
        self._last_tracks: Detections | None = None
        self.scheduler = self._scheduler(camera)
        self._region: tuple[int, int, int, int] | None = None  # detect on this crop (pipeline.region)
        self._region_for: tuple[int, int] | None = None  # the frame size it was chosen for
        self._region_imgsz: int | None = None  # the crop's own input size (deps.detect_at); None = the detector's
        self._boost = ContrastBoost(camera.contrast_boost)  # the detector's input stretched while the picture is flat
        # run() state
        self._stop = threading.Event()
        self._pending_cfg: CameraConfig | None = None
        self._pending: list[tuple[str, Any]] = []  # (incident_id, caption job)
        self.published = {"incident": 0, "count": 0, "health": 0}
        self.incident_ids: set[str] = set()
        self.state = HealthState.STARTING
        self.error: str | None = None
        self._last_health = 0.0
        self._notice: str | None = None
        # where a camera's time goes, per stage (status(): gate_s, detect_s, track_s; the source keeps decode_s)
        self._stage_s = {"gate_s": 0.0, "detect_s": 0.0, "track_s": 0.0}

    # ---------------------------------------------------------------------------------- one frame, pure
    def detect(self, frame: Frame) -> Detections:
        """``deps.detect`` on the frame, or on the window around its lines and zones when the camera has one
        (``pipeline.region.detect_window``: on a large frame a crop, so small, distant objects reach the model
        larger; else, with ``deps.detect_at``, the window at the whole frame's scale on a smaller input, so
        the model computes less); boxes in the frame's pixels."""
        h, w = frame.shape
        if self._region_for != (w, h):
            own = self.camera.detector.imgsz if self.camera.detector is not None else None
            imgsz = self.deps.detect_imgsz or own or DetectorConfig().imgsz
            self._region, size = detect_window(self.camera, (w, h), imgsz, scaled=self.deps.detect_at is not None)
            self._region_imgsz = size if size != imgsz else None
            self._region_for = (w, h)
            self._boost.reset()  # measured on what the detector gets: a new crop or resolution is measured afresh
        if self._region is None:
            return self.deps.detect(self._boosted(frame))
        crop = self._boosted(crop_frame(frame, self._region))
        det = self.deps.detect(crop) if self._region_imgsz is None else self.deps.detect_at(crop, self._region_imgsz)
        return uncrop_detections(det, self._region)

    def _boosted(self, frame: Frame) -> Frame:
        """What the detector gets: ``frame``, or its contrast-stretched copy while the camera's picture is flat
        (``camera.contrast_boost``, pipeline.contrast); the motion gate, tracker and evidence keep ``frame``."""
        image = self._boost(frame.image, frame.ts)
        return frame if image is frame.image else Frame(frame.camera_id, frame.frame_id, frame.ts, image)

    def step(self, frame: Frame, detections: Detections, grey: np.ndarray | None = None) -> CameraOutput:
        """Track and apply rules to one frame's detections; return the events to publish.

        ``grey``: the frame's grey picture when the caller already has it (the run loop converts once for the
        motion gate and the tracker's pixel-change measure)."""
        h, w = frame.shape
        out = CameraOutput()
        if self._engine is not None and self._frame_size != (w, h):
            # The camera changed resolution upstream: the old pixel geometry closes what it opened (they
            # would otherwise stay "opened" forever), then zones and lines are rebuilt from normalised config.
            log.info("camera %s: resolution %s -> %s; closing open incidents", self.camera.id, self._frame_size, (w, h))
            out = self._close_engine()
            self.tracker.reset()
            self._last_tracks = None
            if self._pixels is not None:
                self._pixels.reset()
            if self._left is not None:
                self._left.reset()
            if self._picture is not None:
                self._picture.reset()
        if self._engine is None:
            self._engine = RuleEngine(self.camera, (w, h), box=self.box, timezone=self.timezone)
            self._frame_size = (w, h)
        if self._pixels is not None:
            # a new object, not the detector's: the caller's detections stay as they were
            detections = Detections(xyxy=detections.xyxy, confidence=detections.confidence,
                                    class_id=detections.class_id, tracker_id=detections.tracker_id,
                                    data={**detections.data, PIXEL_CHANGE_DATA_FIELD:
                                          self._pixels.measure(frame.image if grey is None else grey,
                                                               detections.xyxy, frame.ts)})
        # The frame's own time: frames dropped or skipped before this one count as elapsed time for the tracker.
        tracks = self.tracker.update(detections, ts=frame.ts)
        if self._left is not None:
            tracks = _with_left_objects(tracks, detections, self._left, frame.image if grey is None else grey,
                                        frame.ts)
        self._last_tracks = tracks
        if self._picture is not None:
            self._picture.update(frame.image if grey is None else grey, frame.ts, tracks.xyxy, tracks.tracker_id)
        res = self._engine.update(tracks, frame.ts, earlier=self.tracker.births, zone_only=self.tracker.zone_only,
                                  sighted=self.tracker.sighted, picture=self._picture)
        self.last_ts = frame.ts
        self._sequence(res.incidents, frame, tracks, out)
        out.events.extend(res.counts)
        out.tracks = tracks
        out.crossings = res.crossings
        return out

    def step_still(self, frame: Frame, grey: np.ndarray | None = None) -> CameraOutput:
        """A frame the motion gate skipped: nothing moved, so the last tracks still stand where they were.

        The tracker is not updated (a skipped frame neither ages nor moves a track; the next analysed frame
        continues them), but the rules see the last tracks at this frame's time, so dwell and stillness
        clocks (loitering, stopped vehicle, abandoned object) keep running. Still objects cross no line.
        The picture's history (presence rules) takes this frame too: a visitor the gate counts as stationary
        (``motion.stationary_iou``) still fidgets in it, and a history of analysed frames only would hold
        gaps of ``recheck_s`` there, read as no change. ``grey``: as for ``step``.
        """
        out = CameraOutput()
        size = (frame.shape[1], frame.shape[0])
        if self._picture is not None and self._frame_size == size:
            last = self._last_tracks
            self._picture.update(frame.image if grey is None else grey, frame.ts,
                                 None if last is None else last.xyxy, None if last is None else last.tracker_id)
        if self._engine is None or self._last_tracks is None or self._frame_size != size:
            return out
        res = self._engine.update(self._last_tracks, frame.ts, zone_only=self.tracker.zone_only,
                                  picture=self._picture)
        self.last_ts = frame.ts
        self._sequence(res.incidents, frame, self._last_tracks, out)
        out.events.extend(res.counts)
        out.tracks = self._last_tracks
        return out

    def finish(self, ts: float | None = None) -> CameraOutput:
        """End of stream: close every open incident and flush counts."""
        return self._close_engine(ts)

    def reconfigure(self, camera: CameraConfig) -> CameraOutput:
        """Apply new zones, lines and rules: close the old rules' open incidents and return them; the next
        frame builds the new rules. Not thread-safe against ``step``: a running camera uses ``request_reconfigure``."""
        if camera.id != self.camera.id:
            raise ValueError(f"reconfigure: camera id {camera.id!r} is not {self.camera.id!r}")
        out = self._close_engine()
        if camera.tracker != self.camera.tracker:
            self.tracker = Tracker(camera.tracker, fps=self.fps)
            self._pixels = PixelChange() if camera.tracker.still_births_s > 0 else None
            self._last_tracks = None
        if _left_objects(camera) is None or self._left is None:
            self._left = _left_objects(camera)
        self._picture = _change_history(camera)
        # the gate's region follows the new zones and lines
        if camera.contrast_boost != self.camera.contrast_boost:
            self._boost = ContrastBoost(camera.contrast_boost)
        self.camera, self.scheduler = camera, self._scheduler(camera)
        self._region_for = None  # the detection crop follows them too (and the contrast measure starts again)
        self.evidence = _evidence_builder(camera)
        return out

    def add_caption(self, incident_id: str, caption: Caption) -> IncidentEvent | None:
        """A caption for an incident this camera raised → its next revision (None if long forgotten)."""
        sent = self._sent.get(incident_id)
        if sent is None:
            return None
        ev = sent.event.model_copy(update={"caption": caption.text, "caption_source": caption.source,
                                           "caption_model": caption.model, "seq": sent.event.seq + 1})
        self._remember(ev, captions=sent.captions + 1)
        return ev

    # ------------------------------------------------------------------------------ the source-driven loop
    def run(self, notice: str | None = None) -> CameraStatus:
        """Process frames until the source ends or ``stop()``; close incidents, wait for captions, report.

        ``notice`` (e.g. "restarted after a crash") travels in the first health event's ``error`` field so
        the control room sees why a camera went quiet.
        """
        if self.deps.detect is None or self.deps.publish is None:
            raise ValueError("CameraPipeline.run needs deps.detect and deps.publish")
        self._notice = notice
        try:
            self.source.start()
            self._health(force=True)
            while not self._stop.is_set():
                self._apply_pending_config()
                try:
                    frame = self.source.read(timeout=0.5)
                except EndOfStream:
                    break
                if frame is not None:
                    self._frame(frame)
                self._poll_captions(0.0)
                self._health()
        except SourceError as e:  # bad input is an operator fact, not a bug: one clear line, no traceback
            log.error("camera %s failed: %s", self.camera.id, e)
            self.error, self.state = f"{type(e).__name__}: {e}", HealthState.FAILED
        except Exception as e:  # top of a thread: log with the camera id, report, never hang the consumer
            log.exception("camera %s failed: %s", self.camera.id, e)
            self.error, self.state = f"{type(e).__name__}: {e}", HealthState.FAILED
        finally:
            self.source.stop()
            self._publish_all(self.finish().events)
            self._drain_captions()
            if self.state != HealthState.FAILED:
                self.state = HealthState.STOPPED if self._stop.is_set() else HealthState.ENDED
            self._health(force=True)
        return self.status()

    def request_reconfigure(self, camera: CameraConfig) -> None:
        """Ask a running camera to ``reconfigure`` between two frames (callable from another thread)."""
        self._pending_cfg = camera

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def status(self) -> CameraStatus:
        """The camera's state and numbers now (callable from another thread)."""
        src = self.source.stats()
        return CameraStatus.of(
            self.camera.id, self.box, camera_state(self.state, src.state), src,
            error=self.error or src.error, published=Published(**self.published), captions_pending=len(self._pending),
            incident_ids=tuple(sorted(self.incident_ids)), pid=os.getpid(),
            **self.scheduler.stats(), **{k: round(v, 4) for k, v in self._stage_s.items()},
        )

    # ---------------------------------------------------------------------------------------- internals
    def _scheduler(self, camera: CameraConfig) -> FrameScheduler:
        # Shedding needs a real-time clock to fall behind: live cameras and paced files, not fast file reads.
        realtime = getattr(self.source, "policy", None) is BufferPolicy.DROP_OLDEST
        return FrameScheduler(camera, realtime=realtime)

    def _frame(self, frame: Frame) -> None:
        # Motion gating (when enabled), adaptive stride and load shedding decide which frames reach the detector.
        t0 = time.perf_counter()
        # one grey conversion per frame, shared by the motion gate and the tracker's pixel-change measure
        grey = cv2.cvtColor(frame.image, cv2.COLOR_BGR2GRAY) \
            if self.camera.motion.enabled or self._pixels is not None else None
        decision = self.scheduler.decide(frame.image if grey is None else grey, frame.ts,
                                         getattr(self.source, "frames_dropped", 0))
        t1 = time.perf_counter()
        self._stage_s["gate_s"] += t1 - t0
        if not decision.analyse:
            if decision.reason is not GateReason.STILL:
                return  # STRIDE: skipped like a frame the fps cap never kept (stale positions would fake a stop)
            # nothing moved: the last tracks still stand and clocks run on; an incident may open here (a dwell
            # reached while the person stands still), so it is captioned like any other
            out = self.step_still(frame, grey)
        else:
            detections = self.detect(frame)
            t2 = time.perf_counter()
            self._stage_s["detect_s"] += t2 - t1
            t1 = t2
            out = self.step(frame, detections, grey)
            if out.tracks is not None:
                self.scheduler.observe(out.tracks.xyxy, detections.xyxy)
            if hasattr(self.source, "set_fps"):
                self.source.set_fps(self.scheduler.source_fps)  # active_fps while objects are near a line
        self._publish_all(out.events)
        if self.deps.caption_start is not None:
            for ev in out.needs_caption:
                self._pending.append((ev.id, self.deps.caption_start(ev)))
        self._stage_s["track_s"] += time.perf_counter() - t1

    def _apply_pending_config(self) -> None:
        cfg, self._pending_cfg = self._pending_cfg, None
        if cfg is not None:
            self._publish_all(self.reconfigure(cfg).events)

    def _close_engine(self, ts: float | None = None) -> CameraOutput:
        out = CameraOutput()
        if self._engine is None:
            return out
        res = self._engine.flush(ts if ts is not None else (self.last_ts or 0.0))
        self._engine, self._frame_size = None, None
        self._sequence(res.incidents, None, None, out)
        out.events.extend(res.counts)
        return out

    def _sequence(self, incidents: list[IncidentEvent], frame: Frame | None, tracks: Detections | None,
                  out: CameraOutput) -> None:
        for ev in incidents:
            sent = self._sent.get(ev.id)
            captions = sent.captions if sent is not None else 0
            update: dict = {"seq": ev.seq + captions, "models": {**self.deps.models, **ev.models}, "box": ev.box or self.box}
            if sent is not None and sent.event.caption:
                # keep the caption on later revisions so the store never loses it
                prev = sent.event
                update.update(caption=prev.caption, caption_source=prev.caption_source, caption_model=prev.caption_model)
            ev = ev.model_copy(update=update)
            if sent is None and frame is not None and tracks is not None:
                # Plates are searched only on frames that become evidence: a plate model per frame would double
                # the edge box's detection load for pixels that never leave it.
                plates = self.deps.plate_detect(frame).xyxy if "plates" in self.camera.privacy_blur else None
                ev = self.evidence.attach(ev, frame, tracks, blur_boxes=plates)
                out.needs_caption.append(ev)
            elif sent is not None and sent.event.facts.colour is not None and ev.facts.colour is None:
                prev = sent.event.facts
                facts = ev.facts.model_copy(update={"colour": prev.colour, "time_of_day": prev.time_of_day})
                ev = ev.model_copy(update={"facts": facts})
            if ev.state == IncidentState.CLOSED and ev.caption_source == "template":
                # A template caption was written from the opening facts ("lingered for 5 s"); at close it is
                # rewritten from the final ones, so a closed 11 s visit reads 11 s. VLM captions describe the
                # picture and stay.
                req = CaptionRequest.from_incident(ev, self.camera.name or self.camera.id)
                ev = ev.model_copy(update={"caption": template_caption(req.facts)})
            self._remember(ev, captions=captions)
            out.events.append(ev)

    def _remember(self, ev: IncidentEvent, *, captions: int) -> None:
        self._sent[ev.id] = _Sent(ev.model_copy(update={"snapshot": None, "crop": None}), captions)
        self._sent.move_to_end(ev.id)
        closed = [k for k, s in self._sent.items() if s.event.state == IncidentState.CLOSED]
        for k in closed[: max(0, len(closed) - self._keep_closed)]:
            del self._sent[k]

    def _publish_all(self, events: list) -> None:
        for ev in events:
            self._publish(ev)

    def _publish(self, ev: Event) -> None:
        if self.deps.run_id and ev.run_id != self.deps.run_id:
            ev = ev.model_copy(update={"run_id": self.deps.run_id})
        self.deps.publish(ev)
        if self.deps.on_published is not None:
            self.deps.on_published(ev)  # after publish returned: the event is in Redis or fsync'd in the spool
        if isinstance(ev, IncidentEvent):
            self.published["incident"] += 1
            self.incident_ids.add(ev.id)
        else:
            self.published["health" if isinstance(ev, HealthEvent) else "count"] += 1

    def _poll_captions(self, timeout: float) -> None:
        if not self._pending or self.deps.caption_poll is None:
            return
        done = {id(j): c for j, c in self.deps.caption_poll([j for _, j in self._pending], timeout)}
        still = []
        for inc_id, job in self._pending:
            if id(job) not in done:
                still.append((inc_id, job))
            elif done[id(job)] is not None and (ev := self.add_caption(inc_id, done[id(job)])) is not None:
                self._publish(ev)
        self._pending = still

    def _drain_captions(self) -> None:
        deadline = time.monotonic() + self.deps.caption_wait_s
        while self._pending and time.monotonic() < deadline:
            self._poll_captions(min(1.0, max(0.0, deadline - time.monotonic())))
        if self._pending:
            log.warning("camera %s: %d captions still pending at shutdown; incidents keep no caption",
                        self.camera.id, len(self._pending))

    def _health(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_health < self.deps.health_every_s:
            return
        self._last_health = now
        status = self.status()
        ev = status.to_health_event()
        if status.error is None and self._notice is not None:
            ev = ev.model_copy(update={"error": self._notice})
        self._notice = None
        self._publish(ev)



# ids of left objects (``LeftObjects``) among the tracks: far above any tracker's own ids
LEFT_OBJECT_ID_BASE = 1 << 40
LEFT_OBJECT_CLASS = "object"


def _left_objects(camera: CameraConfig) -> LeftObjects | None:
    """A ``LeftObjects`` when one of the camera's abandoned-object rules watches what the detector does not box."""
    wanted = any(r.type == "abandoned_object" and getattr(r, "left_objects", False) for r in camera.rules)
    return LeftObjects() if wanted else None


def _change_history(camera: CameraConfig) -> ChangeHistory | None:
    """A ``ChangeHistory`` when the camera has a presence rule (loitering, intrusion) and holds still visitors
    (``tracker.still_hold_s``): it keeps that long (plus the seconds a track's earlier sightings reach back)."""
    hold = float(camera.tracker.still_hold_s)
    wanted = hold > 0 and any(r.type in ("loitering", "intrusion") for r in camera.rules)
    return ChangeHistory(keep_s=hold + 10.0) if wanted else None


def _with_left_objects(tracks: Detections, detections: Detections, left: LeftObjects, image: np.ndarray,
                       ts: float) -> Detections:
    """The tracks plus the left objects seen on this frame (class ``object``, ids from ``LEFT_OBJECT_ID_BASE``).

    The frame's detections cover the picture as the tracks do (a person boxed before their track is confirmed
    is no background)."""
    names = np.asarray(tracks.data.get(CLASS_NAME_DATA_FIELD, np.array([], dtype=str)), dtype=object)
    det_names = np.asarray(detections.data.get(CLASS_NAME_DATA_FIELD, np.array([], dtype=str)), dtype=object)
    cover = np.concatenate([np.asarray(tracks.xyxy, np.float64).reshape(-1, 4),
                            np.asarray(detections.xyxy, np.float64).reshape(-1, 4)])
    every = [str(n) for n in [*names, *det_names]]
    ids, boxes = left.update(image, ts, cover, np.array([n in PEOPLE for n in every], dtype=bool),
                             np.array([class_family(n) == "vehicle" for n in every], dtype=bool))
    if not len(ids):
        return tracks
    n = len(ids)
    data = {}
    for key, val in tracks.data.items():
        val = np.asarray(val)
        if key == CLASS_NAME_DATA_FIELD:
            data[key] = np.concatenate([names.astype(str), np.full(n, LEFT_OBJECT_CLASS)])
        elif val.dtype.kind == "f":
            data[key] = np.concatenate([val, np.full(n, np.nan, dtype=val.dtype)])
        else:
            data[key] = np.concatenate([val, np.zeros(n, dtype=val.dtype)])
    return Detections(
        xyxy=np.concatenate([np.asarray(tracks.xyxy, dtype=np.float32).reshape(-1, 4), boxes.astype(np.float32)]),
        confidence=np.concatenate([np.asarray(tracks.confidence if tracks.confidence is not None
                                              else np.ones(len(tracks)), dtype=np.float32), np.ones(n, np.float32)]),
        class_id=np.concatenate([np.asarray(tracks.class_id if tracks.class_id is not None
                                            else np.full(len(tracks), -1), dtype=np.int64), np.full(n, -1)]),
        tracker_id=np.concatenate([np.asarray(tracks.tracker_id, dtype=np.int64), LEFT_OBJECT_ID_BASE + ids]),
        data=data,
    )


def _evidence_builder(camera: CameraConfig) -> EvidenceBuilder:
    return EvidenceBuilder(blur=camera.privacy_blur, zones={z.name: z.polygon for z in camera.zones},
                           lines={ln.name: (ln.start, ln.end) for ln in camera.lines})


__all__ = ["CameraDeps", "CameraOutput", "CameraPipeline"]
