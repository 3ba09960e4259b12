"""Helpers for sources: URL classification, backoff with jitter, fps gate, rate meter (redaction: ``citylens.contracts.redact``)."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator
from enum import Enum
from urllib.parse import urlparse


class SourceKind(Enum):
    """How a URL is read: a local file, a network stream, or a local camera device."""

    FILE = "file"
    STREAM = "stream"
    WEBCAM = "webcam"


def classify(url: str) -> SourceKind:
    if url.startswith("webcam:"):
        return SourceKind.WEBCAM
    scheme = urlparse(url).scheme.lower()
    # A one-letter "scheme" is a Windows drive letter, i.e. a file path.
    if scheme in ("", "file") or len(scheme) == 1:
        return SourceKind.FILE
    return SourceKind.STREAM


def file_path(url: str) -> str:
    return urlparse(url).path if url.startswith("file://") else url


def backoff_delays(initial_s: float, max_s: float, rng: random.Random | None = None) -> Iterator[float]:
    """Capped exponential backoff with jitter: initial, 2×, 4× … up to ``max_s``, each scaled by 0.5–1.0.

    Jitter keeps many cameras behind one failed switch from reconnecting in lock-step; the cap keeps a
    long outage from turning into an hour between attempts.

    Example:
        >>> d = backoff_delays(1.0, 4.0, random.Random(0)); [round(next(d), 2) for _ in range(4)]
        [0.92, 1.76, 2.84, 2.52]
    """
    rng = rng or random.Random()
    delay = initial_s
    while True:
        yield min(delay, max_s) * rng.uniform(0.5, 1.0)
        delay = min(delay * 2.0, max_s)


class FpsGate:
    """Keeps at most ``fps_cap`` frames per second of *source time* (pts for files, arrival time for live).

    A schedule, not "time since the last kept frame": each kept frame moves the next due time on by one
    interval, and a frame is kept when it is no earlier than a quarter interval before that time. A
    variable-frame-rate file at about the cap then keeps all its frames, while the long-run rate never
    exceeds the cap. The decision depends only on the timestamps, so file runs are deterministic.

    Example:
        >>> g = FpsGate(5.0); [g.keep(i / 10) for i in range(5)]
        [True, False, True, False, True]
    """

    def __init__(self, fps_cap: float) -> None:
        self.fps = fps_cap
        self.interval = 1.0 / fps_cap
        self._tolerance = 0.25 * self.interval
        self._next_due: float | None = None

    def set_fps(self, fps: float) -> None:
        """Change the rate from the next frame on (the active rate, ``SourceConfig.active_fps``): the next
        due time is one new interval after the last kept frame."""
        if fps == self.fps:
            return
        if self._next_due is not None:
            self._next_due += 1.0 / fps - self.interval
        self.fps, self.interval = fps, 1.0 / fps
        self._tolerance = 0.25 * self.interval

    def keep(self, t: float) -> bool:
        if self._next_due is None or t >= self._next_due - self._tolerance:
            due = self._next_due
            # After a gap (or at the start) restart the schedule from this frame instead of letting a
            # burst of frames "catch up" on missed slots.
            if due is None or t > due + self.interval:
                due = t
            self._next_due = due + self.interval
            return True
        return False

    def reset(self) -> None:
        self._next_due = None


class RateMeter:
    """Events per second over a sliding window of ``window_s`` seconds."""

    def __init__(self, window_s: float = 5.0) -> None:
        self._window_s = window_s
        self._times: deque[float] = deque()

    def tick(self, now: float) -> None:
        self._times.append(now)
        self._trim(now)

    def rate(self, now: float) -> float:
        self._trim(now)
        if len(self._times) < 2:
            return 0.0
        span = max(now - self._times[0], self._times[-1] - self._times[0])
        return (len(self._times) - 1) / span if span > 0 else 0.0

    def _trim(self, now: float) -> None:
        while self._times and now - self._times[0] > self._window_s:
            self._times.popleft()
