"""Visual attributes of tracked objects: dominant colour, day/night, direction words."""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np

__all__ = [
    "COLOUR_PALETTE",
    "NIGHT_LUMA_THRESHOLD",
    "day_or_night",
    "direction_word",
    "dominant_colour",
]

COLOUR_PALETTE: tuple[str, ...] = (
    "white", "black", "grey", "red", "orange", "yellow", "green", "blue", "brown", "beige", "purple", "pink",
)

# Pixels brighter than this (V, 0..255) with little chroma are specular glare or sensor clipping: they say
# nothing about the paint. Raising it keeps more bright pixels (white objects read whiter, glare leaks in);
# lowering it drops more of a genuinely white object.
_GLARE_V = 245
# Pixels darker than this (V) are shadow, tyres or underbody: hue is noise down there. Raising it ignores
# more dark detail (dark-blue cars drift toward "black" decisions by the dark fraction); lowering it lets
# noisy hues vote.
_SHADOW_V = 45
# Lab chroma (sqrt(a*^2 + b*^2), 8-bit Lab units) above which a pixel counts as coloured. Chroma is steadier
# than HSV saturation for dark pixels, where S = (max-min)/max explodes on sensor noise.
_CHROMA_MIN = 16.0
# Share of the usable (non-glare, non-shadow) weight that must be coloured for the object to be called by a
# hue. Well below one half on purpose: every vehicle crop carries grey clutter (glass, tyres, asphalt, a
# white roof seen from above) while coloured pixels almost always come from the object itself.
_CHROMATIC_SHARE = 0.22
# Below this share of usable weight the crop is mostly glare or shadow, and the larger of the two decides.
_USABLE_SHARE = 0.25
_MAX_SIDE = 96  # crops are downscaled first: colour needs no detail, and it keeps the cost ~0.3 ms

# Mean frame luminance (BT.601 luma, 0..255) below which a frame is called night. Daylight street scenes
# measured here sit at 90-160, lit indoor scenes at 70-130; street-lit night scenes at 15-50. 60 leaves
# dusk on the "day" side, which is what captions want (a lit scene is described as seen).
NIGHT_LUMA_THRESHOLD = 60.0

def _centre_weights(h: int, w: int) -> np.ndarray:
    """Gaussian weights peaking at the box centre: box corners are mostly background."""
    ys = (np.arange(h, dtype=np.float32) - (h - 1) / 2) / max(h * 0.35, 1.0)
    xs = (np.arange(w, dtype=np.float32) - (w - 1) / 2) / max(w * 0.35, 1.0)
    return np.exp(-0.5 * (ys[:, None] ** 2 + xs[None, :] ** 2))


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, q * cum[-1])])


def _hue_name(hue_deg: float, s: float, v: float) -> str:
    """Name a hue (degrees), given the typical saturation and (shadow-free) value of its pixels (0..1)."""
    if hue_deg < 12 or hue_deg >= 340:
        return "pink" if s < 0.45 and v > 0.75 else "red"
    # Orange ends at 30° rather than the textbook ~40°: cameras and JPEG render yellow paint (taxis, school
    # buses, utility vehicles) at 30-45°, and truly orange vehicles are rare on streets.
    if hue_deg < 30:
        if v < 0.5:
            return "brown"
        if s < 0.4:
            return "beige" if v > 0.6 else "brown"
        return "orange"
    if hue_deg < 68:
        if s < 0.35 and v > 0.6:
            return "beige"
        return "brown" if v < 0.45 else "yellow"
    if hue_deg < 165:
        return "green"
    if hue_deg < 255:
        return "blue"
    if hue_deg < 295:
        return "purple"
    return "pink"


def dominant_colour(crop_bgr: np.ndarray) -> str:
    """Name the dominant colour of an object crop from :data:`COLOUR_PALETTE`, robust to shadow and glare.

    Pixels are weighted toward the box centre; clipped highlights (glare) and deep shadow are set aside;
    the rest split into coloured and grey by Lab chroma. When enough of the usable weight is coloured,
    the peak of a centre-weighted hue histogram names the colour (brown/beige/pink from its saturation and
    value); otherwise white/grey/black come from an upper quantile of brightness, because shadows only
    ever darken a surface.

    Example:
        >>> red = np.zeros((40, 60, 3), np.uint8); red[:] = (30, 30, 200)
        >>> dominant_colour(red)
        'red'
    """
    if not isinstance(crop_bgr, np.ndarray) or crop_bgr.ndim != 3 or crop_bgr.shape[2] != 3:
        got = getattr(crop_bgr, "shape", type(crop_bgr).__name__)
        raise ValueError(f"crop must be an (H, W, 3) uint8 BGR array, got {got}")
    if crop_bgr.shape[0] == 0 or crop_bgr.shape[1] == 0:
        raise ValueError(f"crop is empty: shape {crop_bgr.shape}")
    img = crop_bgr if crop_bgr.dtype == np.uint8 else np.clip(crop_bgr, 0, 255).astype(np.uint8)
    h, w = img.shape[:2]
    scale = _MAX_SIDE / max(h, w)
    if scale < 1:
        img = cv2.resize(img, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
        h, w = img.shape[:2]

    hsv = cv2.cvtColor(img, cv2.COLOR_BGR2HSV_FULL).reshape(-1, 3).astype(np.float32)  # H in 0..255 → 0..360
    lab = cv2.cvtColor(img, cv2.COLOR_BGR2LAB).reshape(-1, 3).astype(np.float32)
    hue = hsv[:, 0] * (360.0 / 256.0)
    sat, val = hsv[:, 1] / 255.0, hsv[:, 2]
    chroma = np.hypot(lab[:, 1] - 128.0, lab[:, 2] - 128.0)
    weight = _centre_weights(h, w).reshape(-1)
    total = float(weight.sum())

    glare = (val >= _GLARE_V) & (chroma < _CHROMA_MIN * 1.5)
    shadow = val < _SHADOW_V
    usable = ~glare & ~shadow
    usable_w = float(weight[usable].sum())
    if usable_w < _USABLE_SHARE * total:
        return "white" if weight[glare].sum() >= weight[shadow].sum() else "black"

    chromatic = usable & (chroma >= _CHROMA_MIN)
    if float(weight[chromatic].sum()) >= _CHROMATIC_SHARE * usable_w:
        cw = weight[chromatic]
        bins = np.bincount((hue[chromatic] // 10).astype(int) % 36, weights=cw * sat[chromatic], minlength=36)
        smooth = bins + 0.5 * (np.roll(bins, 1) + np.roll(bins, -1))  # circular: red wraps 350°→0°
        peak = int(np.argmax(smooth))
        dist = np.abs(((hue[chromatic] - (peak * 10 + 5)) + 180.0) % 360.0 - 180.0)
        near = dist <= 20
        hsel, ssel, vsel, wsel = hue[chromatic][near], sat[chromatic][near], val[chromatic][near], cw[near]
        # circular weighted mean hue of the peak's pixels
        ang = np.deg2rad(hsel)
        hue_deg = float(np.rad2deg(np.arctan2((wsel * np.sin(ang)).sum(), (wsel * np.cos(ang)).sum())) % 360.0)
        s_med = _weighted_quantile(ssel, wsel, 0.5)
        v_hi = _weighted_quantile(vsel, wsel, 0.75) / 255.0  # upper quantile: shadowed paint is still paint
        return _hue_name(hue_deg, s_med, v_hi)

    # Achromatic. Shadow pixels count as dark votes, glare as bright votes, next to the usable grey pixels.
    values = np.concatenate([val[usable], np.full(int(shadow.sum()), 20.0), np.full(int(glare.sum()), 255.0)])
    weights = np.concatenate([weight[usable], weight[shadow], weight[glare]])
    # 0.75 quantile: shadow and glass only darken, so the lit paint sits in the upper part of the distribution;
    # a higher quantile would let a black car's sky reflections call it grey.
    lightness = _weighted_quantile(values, weights, 0.75)
    if lightness >= 160:
        return "white"
    if lightness < 75:
        return "black"
    return "grey"


def day_or_night(frame_bgr: np.ndarray, threshold: float = NIGHT_LUMA_THRESHOLD) -> Literal["day", "night"]:
    """``"night"`` when the frame's mean luma is below ``threshold`` (see :data:`NIGHT_LUMA_THRESHOLD`).

    Example:
        >>> day_or_night(np.full((8, 8, 3), 20, np.uint8))
        'night'
    """
    if not isinstance(frame_bgr, np.ndarray) or frame_bgr.ndim != 3 or frame_bgr.shape[2] != 3 or frame_bgr.size == 0:
        got = getattr(frame_bgr, "shape", type(frame_bgr).__name__)
        raise ValueError(f"frame must be a non-empty (H, W, 3) BGR array, got {got}")
    small = frame_bgr[::4, ::4]  # subsampling changes the mean by < 1 level and is 16x cheaper
    luma = float(cv2.cvtColor(np.ascontiguousarray(small), cv2.COLOR_BGR2GRAY).mean())
    return "night" if luma < threshold else "day"


def direction_word(dx: float, dy: float, *, min_motion: float = 1e-6) -> str:
    """Describe image-plane motion in one word: ``left``, ``right``, ``away`` (up) or ``toward`` (down).

    Image y grows downward, and for a camera looking along a street an object moving up the image
    moves away from it. The larger component wins; ties go to the horizontal word. Motion shorter than
    ``min_motion`` is ``"stationary"``.

    Example:
        >>> direction_word(-5.0, 1.0), direction_word(0.0, -3.0)
        ('left', 'away')
    """
    if abs(dx) < min_motion and abs(dy) < min_motion:
        return "stationary"
    if abs(dx) >= abs(dy):
        return "right" if dx > 0 else "left"
    return "toward" if dy > 0 else "away"
