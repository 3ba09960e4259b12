"""Low-contrast frames stretched before the detector (fog, haze, snow, dusk, an under-lit scene).

yolov8n scores a vehicle in fog 0.1-0.3 (docs/tuning.md): its grey levels are squeezed towards one value, and
the model, trained on clear pictures, sees little edge. ``ContrastBoost`` measures how spread the picture's grey
levels are (5th to 95th percentile of a 160 px grey copy) at a slow cadence per camera, and only while that
spread is low stretches what the detector gets to the full 0-255 range (one lookup table on every channel: the
1st to 99th percentile of the last measurement, gain at most ``MAX_GAIN``). A normal camera's frames are handed
on untouched (a measurement every ``every_s`` costs ~0.1 ms), so its detections do not change.

The decision has hysteresis (on below ``on_below``, off above ``off_above``) and is taken at most every
``every_s`` seconds of frame time, so a camera does not flicker between two pictures frame by frame. Only the
detector's input changes: the motion gate, the picture history, the tracker's pixel-change measure and the
evidence keep the camera's own frame.
"""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np

Mode = Literal["auto", "always", "off"]

SMALL = 160  # the measurement's copy: long side in pixels
ON_BELOW = 72.0  # grey-level spread (p95 - p5) under which the camera's frames are stretched
OFF_ABOVE = 84.0  # ... and over which they are no longer (hysteresis)
EVERY_S = 2.0  # seconds of frame time between measurements
MAX_GAIN = 4.0  # the most the stretch multiplies grey-level differences by


def grey_spread(image: np.ndarray) -> tuple[float, float, float]:
    """``(p95 - p5, p1, p99)`` of the grey levels of a ``SMALL``-px copy of ``image`` (BGR or grey)."""
    h, w = image.shape[:2]
    s = min(1.0, SMALL / max(h, w))
    small = cv2.resize(image, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA) \
        if s < 1.0 else image
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    hist = np.bincount(grey.ravel(), minlength=256).cumsum()
    n = hist[-1]
    p1, p5, p95, p99 = (int(np.searchsorted(hist, q * n)) for q in (0.01, 0.05, 0.95, 0.99))
    return float(p95 - p5), float(p1), float(p99)


def stretch_table(lo: float, hi: float, max_gain: float = MAX_GAIN) -> np.ndarray:
    """A 256-entry lookup table mapping ``[lo, hi]`` onto ``[0, 255]`` (gain at most ``max_gain``, centred on
    the range's middle when capped), clipped."""
    gain = min(max_gain, 255.0 / max(hi - lo, 1.0))
    mid = (lo + hi) / 2.0
    x = np.arange(256, dtype=np.float32)
    return np.clip((x - mid) * gain + 127.5, 0, 255).round().astype(np.uint8)


class ContrastBoost:
    """One camera's low-contrast stretch of the detector's input (``auto``: only while its picture is flat;
    ``always``: every frame; ``off``: never).

    Example:
        >>> boost = ContrastBoost("auto")
        >>> flat = np.full((90, 160, 3), 150, np.uint8); flat[30:60, 40:120] = 175
        >>> out = boost(flat, 0.0)  # grey levels 150-175: stretched 4x (the most)
        >>> int(out.max()) - int(out.min()), boost.active
        (100, True)
    """

    def __init__(self, mode: Mode = "auto", *, on_below: float = ON_BELOW, off_above: float = OFF_ABOVE,
                 every_s: float = EVERY_S, max_gain: float = MAX_GAIN) -> None:
        self.mode = mode
        self.on_below, self.off_above, self.every_s, self.max_gain = on_below, off_above, every_s, max_gain
        self.active = False  # stretching now
        self.spread: float | None = None  # the last measurement
        self._lut: np.ndarray | None = None
        self._last: float | None = None  # frame time of the last measurement

    def reset(self) -> None:
        self.active, self.spread, self._lut, self._last = False, None, None, None

    @property
    def table(self) -> np.ndarray | None:
        """The lookup table frames are stretched with now (None: handed on as they are)."""
        return self._lut

    def due(self, ts: float) -> bool:
        """Whether a frame at ``ts`` is measured: ``every_s`` has passed since the last measurement (or time
        went back)."""
        return self.mode != "off" and (self._last is None or not 0.0 <= ts - self._last < self.every_s)

    def measure(self, image: np.ndarray, ts: float) -> bool:
        """Measure ``image`` when it is ``due``; returns whether frames are stretched now."""
        if not self.due(ts):
            return self.active
        self._last = ts
        spread, lo, hi = grey_spread(image)
        self.spread = spread
        if self.mode == "always":
            self.active = True
        elif self.active:
            self.active = spread <= self.off_above
        else:
            self.active = spread < self.on_below
        self._lut = stretch_table(lo, hi, self.max_gain) if self.active else None
        return self.active

    def __call__(self, image: np.ndarray, ts: float) -> np.ndarray:
        """What the detector should get for this frame: ``image`` itself, or its stretched copy."""
        if not self.measure(image, ts) or self._lut is None:
            return image
        return cv2.LUT(image, self._lut)
