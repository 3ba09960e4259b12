"""Camera sources: decode, pace, buffer and reconnect, one thread per camera."""

from pipeline.exceptions import EndOfStream
from citylens.contracts.redact import redact_url
from pipeline.sources._internal import FpsGate, backoff_delays
from pipeline.sources.buffer import FrameBuffer
from pipeline.sources.source import FrameSource, default_policy
from pipeline.sources.state import TRANSITIONS, BufferPolicy, SourceState, SourceStats, StateMachine

__all__ = [
    "TRANSITIONS",
    "BufferPolicy",
    "EndOfStream",
    "FpsGate",
    "FrameBuffer",
    "FrameSource",
    "SourceState",
    "SourceStats",
    "StateMachine",
    "backoff_delays",
    "default_policy",
    "redact_url",
]
