"""Per-camera detection for cameras COCO sees badly: own model/input size, sliced inference, class map and
per-class confidence, layered on the box's ``build_detector`` (docs/tuning.md).

A camera without ``detector`` settings uses the box's shared, batched detector; only a camera that asks
pays for its own model or for slicing.
"""

from __future__ import annotations

import numpy as np
import supervision as sv

from pipeline.adapters import from_arrays
from pipeline.config import DetectorConfig
from pipeline.types import CLASS_NAME_DATA_FIELD, Detections, Frame, empty_detections


def postprocess(dets: Detections, cfg: DetectorConfig) -> Detections:
    """Apply ``class_map`` (rename model classes, e.g. a custom model's 'minibus' → 'bus') and then
    ``conf_per_class`` (drop boxes below their class's own minimum score)."""
    if len(dets) == 0 or (not cfg.class_map and not cfg.conf_per_class):
        return dets
    names = np.asarray(dets.data[CLASS_NAME_DATA_FIELD], dtype=object)
    if cfg.class_map:
        names = np.array([cfg.class_map.get(n, n) for n in names], dtype=object)
    keep = np.ones(len(dets), dtype=bool)
    if cfg.conf_per_class:
        floor = np.array([cfg.conf_per_class.get(n, cfg.conf) for n in names])
        keep = dets.confidence >= floor
    out = dets[keep]
    out.data[CLASS_NAME_DATA_FIELD] = np.asarray(names[keep], dtype=str)
    return out


class SlicedDetector:
    """Runs the inner detector on overlapping tiles of each frame (supervision's ``InferenceSlicer``), so small,
    distant objects are seen at full resolution instead of shrunk to the model's input size.

    Costs roughly one inference per tile: a 1280x720 frame in 640x640 tiles with 20 % overlap is 6 tiles.
    """

    def __init__(self, inner, cfg: DetectorConfig) -> None:
        self.inner = inner
        self.cfg = cfg
        self.names = inner.names
        self.model_name = inner.model_name
        self.backend = f"{inner.backend}+sliced"
        self.device = inner.device
        w, h = cfg.slices  # type: ignore[misc]
        self._slicer = sv.InferenceSlicer(
            callback=self._tile, slice_wh=(w, h),
            overlap_wh=(int(w * cfg.slice_overlap), int(h * cfg.slice_overlap)), iou_threshold=cfg.iou,
        )

    def _tile(self, image: np.ndarray) -> sv.Detections:
        det = self.inner.detect([Frame(camera_id="slice", frame_id=0, ts=0.0, image=np.ascontiguousarray(image))])[0]
        return det if len(det) else sv.Detections.empty()

    def detect(self, frames: list[Frame]) -> list[Detections]:
        out: list[Detections] = []
        for f in frames:
            d = self._slicer(f.image)
            if len(d) == 0:
                out.append(empty_detections())
                continue
            out.append(from_arrays(d.xyxy, d.confidence, d.class_id, self.names))
        return out


class CameraDetector:
    """A camera's own detector: the configured model and input size, optionally sliced, post-processed."""

    def __init__(self, cfg: DetectorConfig, model_dir: str | None = None) -> None:
        from pipeline.detect import build_detector

        self.cfg = cfg
        base = build_detector(cfg, model_dir)
        self._det = SlicedDetector(base, cfg) if cfg.slices else base
        self.names, self.model_name = base.names, base.model_name
        self.backend, self.device = self._det.backend, base.device

    def detect(self, frames: list[Frame]) -> list[Detections]:
        return [postprocess(d, self.cfg) for d in self._det.detect(frames)]
