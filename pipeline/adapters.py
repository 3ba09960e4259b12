"""Model-specific outputs → ``Detections``; the only place that knows YOLO result types."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import supervision as sv

from pipeline.types import CLASS_NAME_DATA_FIELD, Detections, empty_detections


def from_arrays(xyxy: np.ndarray, confidence: np.ndarray, class_id: np.ndarray, names: Mapping[int, str]) -> Detections:
    """Build detector output from parallel arrays: xyxy float32 pixels, confidence, class_id, ``class_name``.

    Example:
        >>> d = from_arrays(np.array([[0, 0, 4, 4]]), np.array([0.9]), np.array([0]), {0: "person"})
        >>> d.data["class_name"].tolist(), d.xyxy.dtype
        (['person'], dtype('float32'))
    """
    if len(xyxy) == 0:
        return empty_detections()
    class_id = np.asarray(class_id).astype(int)
    return sv.Detections(
        xyxy=np.asarray(xyxy, dtype=np.float32).reshape(-1, 4),
        confidence=np.asarray(confidence, dtype=np.float32),
        class_id=class_id,
        data={CLASS_NAME_DATA_FIELD: np.array([names[int(i)] for i in class_id], dtype=str)},
    )


def from_ultralytics(result: Any) -> Detections:
    """One ``ultralytics.engine.results.Results`` (detection task) → ``Detections`` (tracker_id stays None).

    Uses supervision's converter, then fixes dtypes: on GPU with ``half=True`` boxes arrive as float16.
    """
    det = sv.Detections.from_ultralytics(result)
    if len(det) == 0:
        return empty_detections()
    return from_arrays(det.xyxy, det.confidence, det.class_id, result.names)


def class_ids_for(names: Mapping[int, str], wanted: list[str] | None) -> list[int] | None:
    """Class names from config → the model's class ids; None keeps every class.

    Raises:
        ValueError: a name the model does not know (message lists a few it does).
    """
    if wanted is None:
        return None
    by_name = {n: i for i, n in names.items()}
    unknown = [w for w in wanted if w not in by_name]
    if unknown:
        known = ", ".join(list(by_name)[:12])
        raise ValueError(f"detector.classes: unknown class names {unknown} for this model (known include: {known}, ...)")
    return sorted(by_name[w] for w in wanted)
