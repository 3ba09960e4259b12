"""Typed status of one camera, with the same field names from the source to ``GET /cameras``.

::

    FrameSource.stats() ─► SourceStats ─┐
                                        ├─► CameraStatus ─► HealthEvent (wire) ─► store row ─► GET /cameras
    CameraPipeline (published, errors) ─┘

``SourceStats`` and ``CameraStatus`` use the wire names of ``HealthEvent`` (``fps_in``, ``fps_out``,
``frames_in``, ``frames_processed``, ``frames_dropped``, ``last_frame_at``, ``reconnects``, ``error``), so a
number is never renamed on its way to the control room. Fields the store does not keep (``frames_skipped``,
``published`` …) stay on the edge (``check_health``, the run's result).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from pipeline.sources.state import SourceState, SourceStats
from pipeline.types import HealthEvent, HealthState, utcnow

# How a source's state reads as a camera's state. A camera whose source ENDED is ended, even while it is
# still closing incidents and draining its spool (it used to be reported "streaming" for that time).
SOURCE_TO_CAMERA: dict[SourceState, HealthState] = {
    SourceState.CREATED: HealthState.STARTING,
    SourceState.CONNECTING: HealthState.STARTING,
    SourceState.STREAMING: HealthState.STREAMING,
    SourceState.RECONNECTING: HealthState.RECONNECTING,
    SourceState.ENDED: HealthState.ENDED,
    SourceState.FAILED: HealthState.FAILED,
    SourceState.STOPPED: HealthState.STOPPED,
}
TERMINAL = frozenset({HealthState.ENDED, HealthState.FAILED, HealthState.STOPPED})


class _Status(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Published(_Status):
    """Events a camera handed to its publisher, by kind."""

    incident: int = 0
    count: int = 0
    health: int = 0


class PublisherStats(_Status):
    """What a camera's publisher did with its events (Redis, or the spool while Redis is down)."""

    published: int = Field(0, description="events sent to Redis")
    spooled: int = Field(0, description="incident/count events written to the spool during an outage")
    replayed: int = Field(0, description="spooled events sent once Redis was back")
    dropped: int = Field(0, description="spooled events lost to the spool's size bound (oldest first)")
    health_dropped: int = Field(0, description="health events not sent during an outage (superseded anyway)")
    spool_pending: int = Field(0, description="events waiting in the spool")


class CameraStatus(_Status):
    """One camera's state and numbers: the source's stats plus what the pipeline did with them.

    Example:
        >>> CameraStatus(camera_id="c", state=HealthState.ENDED).to_health_event().state.value
        'ended'
    """

    camera_id: str
    box: str = ""
    state: HealthState
    fps_in: float = 0.0
    fps_out: float = 0.0
    frames_in: int = 0
    frames_processed: int = 0
    frames_dropped: int = 0
    frames_skipped: int = 0
    frames_decoded: int = 0
    decode_s: float = Field(0.0, description="seconds in the source's grab()/retrieve() (SourceStats.decode_s)")
    gate_s: float = Field(0.0, description="seconds in the frame scheduler (motion gate, stride, shedding)")
    detect_s: float = Field(0.0, description="seconds waiting for detections, as the camera sees it (the box "
                            "detector's queue, batching and model, and the trip there and back)")
    track_s: float = Field(0.0, description="seconds in tracker, rules, evidence and publishing")
    frames_gated: int = Field(0, description="frames not sent to the detector (motion gate, adaptive stride, shedding)")
    stride: int = Field(1, description="the camera analyses one frame in `stride` right now")
    shed_level: int = Field(0, description="load-shedding level (0 = none); idle cameras shed first")
    degraded: bool = Field(False, description="shedding lowers the rate of a camera with objects near its lines/zones")
    last_frame_at: datetime | None = None
    reconnects: int = 0
    error: str | None = None
    published: Published = Published()
    captions_pending: int = 0
    incident_ids: tuple[str, ...] = Field((), description="ids of the incidents this run published")
    detect_retries: int = Field(0, description="detect calls retried while the box's detector was down")
    restarts: int = Field(0, description="times the supervisor ran this camera again after its worker died")
    last_gap_s: float | None = Field(None, description="seconds from the last worker death to frames flowing again")
    publisher: PublisherStats = PublisherStats()
    pid: int | None = None
    node_id: str | None = Field(None, description="Ray node the camera's worker runs on (placement checks)")

    @classmethod
    def of(cls, camera_id: str, box: str, state: HealthState, src: SourceStats, **extra) -> "CameraStatus":
        """Combine a camera's own state with its source's stats (same names, nothing renamed)."""
        fields = src.model_dump(exclude={"state"})
        fields.update(extra)
        return cls(camera_id=camera_id, box=box, state=state, **fields)

    def to_health_event(self, ts: datetime | None = None) -> HealthEvent:
        """The wire form: the fields ``HealthEvent`` declares, copied by name."""
        keep = set(HealthEvent.model_fields) - {"ts"}
        return HealthEvent(ts=ts or utcnow(), **self.model_dump(include=keep))


def camera_state(own: HealthState | None, source: SourceState) -> HealthState:
    """The camera's terminal state when it has one, else its source's."""
    if own in TERMINAL:
        return own
    return SOURCE_TO_CAMERA[source]


__all__ = ["SOURCE_TO_CAMERA", "CameraStatus", "Published", "PublisherStats", "SourceStats", "camera_state"]
