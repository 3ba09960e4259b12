"""Per-camera processing after detection: track → rules → evidence → sequenced events, pure and Ray-free.

``CameraProcessor`` is what a CameraWorker actor wraps. It owns the outgoing revision numbers (``seq``) of
every incident it raised, so that a caption that arrives later from the captioner becomes one more revision
of the same incident (stored first, captioned when ready) without racing the rule engine.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.config import CameraConfig
from pipeline.evidence import EvidenceBuilder
from pipeline.rules import RuleEngine
from pipeline.track import Tracker
from pipeline.types import CountEvent, Detections, Frame, IncidentEvent, IncidentState

Event = IncidentEvent | CountEvent


@dataclass
class CameraOutput:
    """What one processed frame produced."""

    events: list[Event] = field(default_factory=list)
    needs_caption: list[IncidentEvent] = field(default_factory=list)  # opened incidents, with evidence
    tracks: Detections | None = None


class CameraProcessor:
    """Track, apply rules and build evidence for one camera.

    Args:
        camera: the camera's config slice.
        fps: frames per second handed to this processor (after the source's fps cap); sizes the tracker.
        box: edge box name stamped on events.
        timezone: deployment timezone, for rule schedules.
        models: model names/versions stamped on every incident (``{"detector": "yolov8n.pt", …}``).
        keep_closed: how many closed incidents to remember so a late caption can still revise them.
        plate_detect: licence-plate detector, required when the camera blurs plates.

    Example:
        >>> proc = CameraProcessor(cam_cfg, fps=10, box="box-a")  # doctest: +SKIP
        >>> out = proc.process(frame, detections)  # doctest: +SKIP
    """

    def __init__(
        self,
        camera: CameraConfig,
        *,
        fps: float,
        box: str = "",
        timezone: str = "UTC",
        models: dict[str, str] | None = None,
        keep_closed: int = 1024,
        plate_detect: Callable[[Frame], Detections] | None = None,
    ) -> None:
        self.camera = camera
        self.box = box
        self.timezone = timezone
        self.models = dict(models or {})
        self.tracker = Tracker(camera.tracker, fps=fps)
        self.evidence = EvidenceBuilder(blur=camera.privacy_blur)
        if "plates" in camera.privacy_blur and plate_detect is None:
            raise ValueError(f"camera {camera.id}: privacy_blur 'plates' needs a plate detector")
        # Plates are searched only on frames that become evidence: a plate model per frame would double the
        # edge box's detection load for pixels that never leave it.
        self._plate_detect = plate_detect if "plates" in camera.privacy_blur else None
        self._engine: RuleEngine | None = None
        self._frame_size: tuple[int, int] | None = None
        self._latest: OrderedDict[str, IncidentEvent] = OrderedDict()  # last revision sent, by incident id
        self._keep_closed = keep_closed
        self.last_ts: float | None = None
        self._last_tracks: Detections | None = None

    def process(self, frame: Frame, detections: Detections) -> CameraOutput:
        """Run tracking and rules on one frame's detections; return the events to publish."""
        h, w = frame.shape
        if self._engine is None or self._frame_size != (w, h):
            # Resolution changes (a camera reconfigured upstream) rebuild pixel geometry from normalised config.
            self._engine = RuleEngine(self.camera, (w, h), box=self.box, timezone=self.timezone)
            self._frame_size = (w, h)
        tracks = self.tracker.update(detections)
        self._last_tracks = tracks
        out = self._engine.update(tracks, frame.ts)
        self.last_ts = frame.ts
        result = self._sequence(out.incidents, frame, tracks)
        result.events.extend(out.counts)
        result.tracks = tracks
        return result

    def process_still(self, frame: Frame) -> CameraOutput:
        """A frame the motion gate skipped: nothing moved, so the last tracks still stand where they were.

        The tracker is not updated (a skipped frame neither ages nor moves a track; the next analysed frame
        continues them), but the rules see the last tracks at this frame's time, so dwell and stillness
        clocks (loitering, stopped vehicle, abandoned object) keep running. Still objects cross no line.
        """
        if self._engine is None or self._last_tracks is None or self._frame_size != (frame.shape[1], frame.shape[0]):
            return CameraOutput()
        out = self._engine.update(self._last_tracks, frame.ts)
        self.last_ts = frame.ts
        result = self._sequence(out.incidents, frame, self._last_tracks)
        result.events.extend(out.counts)
        result.tracks = self._last_tracks
        return result

    def finish(self, ts: float | None = None) -> CameraOutput:
        """End of stream: close every open incident and flush counts."""
        if self._engine is None:
            return CameraOutput()
        out = self._engine.flush(ts if ts is not None else (self.last_ts or 0.0))
        result = self._sequence(out.incidents, None, None)
        result.events.extend(out.counts)
        return result

    def add_caption(self, incident_id: str, text: str, source: str, model: str) -> IncidentEvent | None:
        """A caption for an incident this camera raised → its next revision (None if long forgotten)."""
        last = self._latest.get(incident_id)
        if last is None:
            return None
        ev = last.model_copy(
            update={"caption": text, "caption_source": source, "caption_model": model, "seq": last.seq + 1,
                    "snapshot": None, "crop": None}
        )
        self._remember(ev)
        return ev

    def reconfigure(self, camera: CameraConfig) -> None:
        """Apply new zones/lines/rules; open incidents are closed by the old engine first."""
        self.camera = camera
        self._engine = None

    # -------------------------------------------------------------------------------------------------
    def _sequence(self, incidents: list[IncidentEvent], frame: Frame | None, tracks: Detections | None) -> CameraOutput:
        result = CameraOutput()
        for ev in incidents:
            prev = self._latest.get(ev.id)
            seq = 0 if prev is None else prev.seq + 1
            update: dict = {"seq": seq, "models": {**self.models, **ev.models}, "box": ev.box or self.box}
            if prev is not None and prev.caption:
                # keep the caption on later revisions so the store never loses it
                update.update(caption=prev.caption, caption_source=prev.caption_source, caption_model=prev.caption_model)
            ev = ev.model_copy(update=update)
            if prev is None and frame is not None and tracks is not None:
                plates = self._plate_detect(frame).xyxy if self._plate_detect is not None else None
                ev = self.evidence.attach(ev, frame, tracks, blur_boxes=plates)
                result.needs_caption.append(ev)
            elif prev is not None and "colour" in prev.facts and "colour" not in ev.facts:
                ev = ev.model_copy(update={"facts": {**ev.facts, "colour": prev.facts["colour"],
                                                     "time_of_day": prev.facts.get("time_of_day")}})
            self._remember(ev)
            result.events.append(ev)
        return result

    def _remember(self, ev: IncidentEvent) -> None:
        self._latest[ev.id] = ev.model_copy(update={"snapshot": None, "crop": None})
        self._latest.move_to_end(ev.id)
        closed = [k for k, v in self._latest.items() if v.state == IncidentState.CLOSED]
        for k in closed[: max(0, len(closed) - self._keep_closed)]:
            del self._latest[k]
