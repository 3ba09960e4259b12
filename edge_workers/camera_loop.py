"""The per-camera loop: source → detect → process → publish, with injected collaborators (no Ray here).

The CameraWorker actor wraps it with Ray handles; tests can drive it with plain functions.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from edge_workers.ledger import PublishLedger
from pipeline.camera import CameraProcessor
from pipeline.config import CameraConfig
from pipeline.exceptions import EndOfStream, SourceError
from pipeline.motion import MotionGate
from pipeline.sources import FrameSource
from pipeline.types import Detections, Frame, HealthEvent, HealthState, IncidentEvent, ts_to_dt, utcnow

log = logging.getLogger("citylens.edge")

# A caption job is started with the opened incident and later polled: poll() -> (text, source, model) | None.
CaptionStart = Callable[[IncidentEvent], Any]
CaptionPoll = Callable[[list[Any], float], list[tuple[Any, tuple[str, str, str] | None]]]


@dataclass
class LoopDeps:
    """Collaborators of one camera loop, passed in (Frigate's process_frames style)."""

    detect: Callable[[Frame], Detections]
    publish: Callable[[Any], None]
    caption_start: CaptionStart | None = None
    caption_poll: CaptionPoll | None = None
    health_every_s: float = 2.0
    caption_wait_s: float = 60.0  # at end of stream, how long to wait for outstanding captions
    models: dict[str, str] = field(default_factory=dict)
    ledger: PublishLedger | None = None  # records what publish() accepted (delivery tests, audits)
    plate_detect: Callable[[Frame], Detections] | None = None  # for privacy_blur: [plates]


class CameraLoop:
    """Run one camera until its source ends or ``stop()`` is called.

    Example:
        >>> loop = CameraLoop(cam_cfg, deps, box="box-a")  # doctest: +SKIP
        >>> loop.run()  # blocks; returns final stats  # doctest: +SKIP
    """

    def __init__(self, camera: CameraConfig, deps: LoopDeps, *, box: str, timezone: str = "UTC") -> None:
        self.camera = camera
        self.deps = deps
        self.box = box
        self.source = FrameSource(camera.id, camera.source)
        self.processor = CameraProcessor(camera, fps=camera.source.fps_cap, box=box, timezone=timezone, models=deps.models,
                                         plate_detect=deps.plate_detect)
        self._stop = threading.Event()
        self._pending: list[tuple[str, Any]] = []  # (incident_id, caption job)
        self.published = {"incident": 0, "count": 0, "health": 0}
        self.incident_ids: set[str] = set()
        self.state = HealthState.STARTING
        self.error: str | None = None
        self._last_health = 0.0
        self._notice: str | None = None  # one-off note for the first health event (e.g. a restart)
        self.gate: MotionGate | None = None  # built on the first frame when camera.motion.enabled

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self, notice: str | None = None) -> dict:
        """Process frames until the source ends; close incidents, wait for captions, report.

        ``notice`` (e.g. "restarted after a crash") travels in the first health event's ``error`` field so
        the control room sees why a camera went quiet.
        """
        self._notice = notice
        try:
            self.source.start()
            self._health(force=True)
            while not self._stop.is_set():
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
            self.error = f"{type(e).__name__}: {e}"
            self.state = HealthState.FAILED
        except Exception as e:  # top of a thread: log with the camera id, report, never hang the consumer
            log.exception("camera %s failed: %s", self.camera.id, e)
            self.error = f"{type(e).__name__}: {e}"
            self.state = HealthState.FAILED
        finally:
            self.source.stop()
            for ev in self.processor.finish().events:
                self._publish(ev)
            self._drain_captions()
            if self.state != HealthState.FAILED:
                self.state = HealthState.STOPPED if self._stop.is_set() else HealthState.ENDED
            self._health(force=True)
        return self.stats()

    def stats(self) -> dict:
        s = dict(self.source.stats())
        s.update(camera_id=self.camera.id, box=self.box, published=dict(self.published),
                 state=self._current_state(s).value, error=self.error or s.get("error"),
                 captions_pending=len(self._pending),
                 frames_gated=self.gate.skipped if self.gate is not None else 0)
        return s

    # ------------------------------------------------------------------------------------------------
    def _frame(self, frame: Frame) -> None:
        if self.camera.motion.enabled:
            h, w = frame.shape
            if self.gate is None or self.gate.frame_size != (w, h):
                self.gate = MotionGate(self.camera, self.camera.motion, (w, h))
            if not self.gate.decide(frame.image, frame.ts).analyse:
                out = self.processor.process_still(frame)  # no motion where it matters: no detector call
                for ev in out.events:
                    self._publish(ev)
                return
        dets = self.deps.detect(frame)
        out = self.processor.process(frame, dets)
        if self.gate is not None and out.tracks is not None:
            self.gate.observe(out.tracks.xyxy)
        for ev in out.events:
            self._publish(ev)
        if self.deps.caption_start is not None:
            for ev in out.needs_caption:
                self._pending.append((ev.id, self.deps.caption_start(ev)))

    def _publish(self, ev: Any) -> None:
        self.deps.publish(ev)
        if self.deps.ledger is not None:
            self.deps.ledger.record(ev)  # after publish returned: the event is in Redis or fsync'd in the spool
        kind = "incident" if isinstance(ev, IncidentEvent) else ("health" if isinstance(ev, HealthEvent) else "count")
        self.published[kind] += 1
        if kind == "incident":
            self.incident_ids.add(ev.id)

    def _poll_captions(self, timeout: float) -> None:
        if not self._pending or self.deps.caption_poll is None:
            return
        jobs = [j for _, j in self._pending]
        done = dict((id(j), r) for j, r in self.deps.caption_poll(jobs, timeout))
        still = []
        for inc_id, job in self._pending:
            if id(job) in done:
                res = done[id(job)]
                if res is not None:
                    ev = self.processor.add_caption(inc_id, *res)
                    if ev is not None:
                        self._publish(ev)
            else:
                still.append((inc_id, job))
        self._pending = still

    def _drain_captions(self) -> None:
        deadline = time.monotonic() + self.deps.caption_wait_s
        while self._pending and time.monotonic() < deadline:
            self._poll_captions(min(1.0, max(0.0, deadline - time.monotonic())))
        if self._pending:
            log.warning("camera %s: %d captions still pending at shutdown; incidents keep no caption",
                        self.camera.id, len(self._pending))

    def _current_state(self, source_stats: dict) -> HealthState:
        """The loop's own terminal state, else the source's (a running loop is as healthy as its source)."""
        if self.state in (HealthState.FAILED, HealthState.ENDED, HealthState.STOPPED):
            return self.state
        src_state = str(source_stats.get("state", "")).lower()
        return {"streaming": HealthState.STREAMING, "reconnecting": HealthState.RECONNECTING,
                "connecting": HealthState.STARTING, "failed": HealthState.FAILED,
                "ended": HealthState.STREAMING}.get(src_state, HealthState.STARTING)

    def _health(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_health < self.deps.health_every_s:
            return
        self._last_health = now
        s = self.source.stats()
        state = self._current_state(s)
        last = s.get("last_frame_ts")
        ev = HealthEvent(
            camera_id=self.camera.id, box=self.box, state=state, ts=utcnow(),
            fps_in=float(s.get("fps_in", 0.0)), fps_out=float(s.get("fps_out", 0.0)),
            frames_in=int(s.get("frames_in", 0)), frames_processed=int(s.get("frames_out", 0)),
            frames_dropped=int(s.get("frames_dropped", 0)),
            last_frame_at=ts_to_dt(last) if last else None, reconnects=int(s.get("reconnects", 0)),
            error=self.error or s.get("error") or self._notice,
        )
        self._notice = None
        self._publish(ev)
