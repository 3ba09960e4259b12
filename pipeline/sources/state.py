"""The source lifecycle as an enum state machine, the buffer policies, and the source's typed stats."""

from __future__ import annotations

import threading
from datetime import datetime
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field

from pipeline.exceptions import IllegalStateTransition


class BufferPolicy(Enum):
    """What the capture thread does when the consumer falls behind.

    ``DROP_OLDEST``: the newest frame wins; the oldest buffered frame is dropped and counted (live cameras:
    latency stays bounded). ``WAIT``: the capture thread blocks until there is room; no frame is lost
    (files read as fast as possible: deterministic tests and benchmarks).
    """

    DROP_OLDEST = "drop_oldest"
    WAIT = "wait"


class SourceState(Enum):
    """Where a source is in its life.

    ::

        CREATED → CONNECTING → STREAMING → ENDED (file done)
                      │  ▲         │
                      ▼  │         ▼
                   RECONNECTING ◄──┘          any live state → STOPPED (stop()) or FAILED (for good)
    """

    CREATED = "created"
    CONNECTING = "connecting"
    STREAMING = "streaming"
    RECONNECTING = "reconnecting"
    ENDED = "ended"
    FAILED = "failed"
    STOPPED = "stopped"


TRANSITIONS: dict[SourceState, frozenset[SourceState]] = {
    SourceState.CREATED: frozenset({SourceState.CONNECTING, SourceState.STOPPED}),
    SourceState.CONNECTING: frozenset(
        {SourceState.STREAMING, SourceState.RECONNECTING, SourceState.FAILED, SourceState.STOPPED}
    ),
    SourceState.STREAMING: frozenset(
        {SourceState.RECONNECTING, SourceState.ENDED, SourceState.FAILED, SourceState.STOPPED}
    ),
    SourceState.RECONNECTING: frozenset({SourceState.CONNECTING, SourceState.FAILED, SourceState.STOPPED}),
    # Terminal states; ENDED/FAILED may still be acknowledged by stop().
    SourceState.ENDED: frozenset({SourceState.STOPPED}),
    SourceState.FAILED: frozenset({SourceState.STOPPED}),
    SourceState.STOPPED: frozenset(),
}



class StateMachine:
    """Thread-safe holder of a ``SourceState`` that only moves along ``TRANSITIONS``.

    Example:
        >>> sm = StateMachine("cam-1")
        >>> sm.to(SourceState.CONNECTING)
        >>> sm.state
        <SourceState.CONNECTING: 'connecting'>
    """

    def __init__(self, owner: str) -> None:
        self._owner = owner
        self._state = SourceState.CREATED
        self._lock = threading.Lock()

    @property
    def state(self) -> SourceState:
        return self._state

    def to(self, new: SourceState) -> None:
        """Move to ``new``; raise ``IllegalStateTransition`` when the table forbids it."""
        with self._lock:
            if new not in TRANSITIONS[self._state]:
                raise IllegalStateTransition(
                    f"{self._owner}: illegal source transition {self._state.name} -> {new.name} "
                    f"(allowed: {sorted(s.name for s in TRANSITIONS[self._state]) or 'none'})"
                )
            self._state = new

    def try_to(self, new: SourceState) -> bool:
        """Move to ``new`` when allowed; return whether it moved (used where a race with stop() is normal)."""
        with self._lock:
            if new not in TRANSITIONS[self._state]:
                return False
            self._state = new
            return True


class SourceStats(BaseModel):
    """What a ``FrameSource`` counted so far (names as in ``HealthEvent``, see ``pipeline.status``).

    Example:
        >>> SourceStats(state=SourceState.STREAMING, frames_in=10, frames_processed=9, frames_dropped=1).frames_in
        10
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    state: SourceState
    fps_in: float = Field(0.0, description="frames per second decoded from the camera (before the fps cap)")
    fps_out: float = Field(0.0, description="frames per second handed on to detection")
    frames_in: int = Field(0, description="frames decoded")
    frames_processed: int = Field(0, description="frames handed on to detection")
    frames_dropped: int = Field(0, description="frames lost because detection fell behind (newest frame wins)")
    frames_skipped: int = Field(0, description="frames left out on purpose by the fps cap (grabbed, never decoded)")
    frames_decoded: int = Field(0, description="frames retrieved from the decoder: only the ones the fps cap keeps")
    decode_s: float = Field(0.0, description="seconds spent in grab()/retrieve() so far (the fps cap's skipped "
                            "frames' grabs included): decode cost per analysed frame = decode_s / frames_decoded")
    last_frame_at: datetime | None = None
    reconnects: int = 0
    error: str | None = Field(None, description="the last connection/decoding problem, credentials redacted")
