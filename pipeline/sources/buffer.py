"""A bounded frame buffer between one capture thread and its consumer, with a named overflow policy."""

from __future__ import annotations

import threading
from collections import deque

from pipeline.sources.state import BufferPolicy
from pipeline.types import Frame


class FrameBuffer:
    """Bounded FIFO of frames; ``close()`` wakes everyone so neither side can hang.

    Args:
        size: frames held; 1–2 keeps latency low for live cameras, more smooths bursty decoding.
        policy: ``DROP_OLDEST`` counts and discards the oldest frame when full; ``WAIT`` blocks the producer.

    Example:
        >>> buf = FrameBuffer(1, BufferPolicy.DROP_OLDEST)
    """

    def __init__(self, size: int, policy: BufferPolicy) -> None:
        if size < 1:
            raise ValueError(f"buffer size must be >= 1, got {size}")
        self.size = size
        self.policy = policy
        self.dropped = 0
        self._frames: deque[Frame] = deque()
        self._cond = threading.Condition()
        self._closed = False

    def put(self, frame: Frame) -> bool:
        """Add a frame; return False when the buffer was closed (the producer should stop)."""
        with self._cond:
            if self.policy is BufferPolicy.WAIT:
                while len(self._frames) >= self.size and not self._closed:
                    self._cond.wait(0.1)
            if self._closed:
                return False
            if len(self._frames) >= self.size:
                self._frames.popleft()
                self.dropped += 1
            self._frames.append(frame)
            self._cond.notify_all()
            return True

    def get(self, timeout: float | None) -> Frame | None:
        """Oldest frame, or None after ``timeout`` seconds or when closed and drained (check ``closed``)."""
        with self._cond:
            self._cond.wait_for(lambda: self._frames or self._closed, timeout)
            if not self._frames:
                return None
            frame = self._frames.popleft()
            self._cond.notify_all()
            return frame

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed

    def __len__(self) -> int:
        return len(self._frames)
