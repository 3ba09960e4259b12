"""Evidence per incident: a keyframe JPEG with the objects boxed, a crop of the main object, visual facts.

This is the one pipeline module that draws (OpenCV only; ultralytics' plotting would fetch a font).
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from pipeline.types import CLASS_NAME_DATA_FIELD, Detections, Frame, IncidentEvent

_BOX_COLOUR = (0, 0, 255)  # BGR red: the incident's object
_CONTEXT_COLOUR = (0, 200, 255)  # amber: other tracked objects
_ZONE_COLOUR = (26, 159, 255)  # BGR orange: the zone that fired (the console draws it in the same colour)
_LINE_COLOUR = (216, 79, 255)  # BGR magenta: the counting line that fired
Point = tuple[float, float]


class EvidenceBuilder:
    """Attach snapshot, crop and visual facts to an incident revision.

    Args:
        jpeg_quality: 1..100; higher is sharper evidence but more bytes through Redis.
        max_side: longest side of the keyframe in pixels; larger frames are downscaled to save bandwidth.
        blur: privacy classes to blur before anything leaves the box ("persons" blurs whole person boxes,
            "faces" the top quarter of each person box; "plates" comes as ``blur_boxes`` from a plate detector).

    Example:
        >>> builder = EvidenceBuilder()
        >>> ev = builder.attach(incident, frame, tracks)  # doctest: +SKIP
        >>> ev.snapshot[:2] == b"\\xff\\xd8"  # doctest: +SKIP
        True
    """

    def __init__(self, *, jpeg_quality: int = 80, max_side: int = 960, blur: list[str] | tuple[str, ...] = (),
                 zones: dict[str, Sequence[Point]] | None = None,
                 lines: dict[str, tuple[Point, Point]] | None = None):
        if not 1 <= jpeg_quality <= 100:
            raise ValueError(f"jpeg_quality must be in 1..100, got {jpeg_quality}")
        self.jpeg_quality = jpeg_quality
        self.max_side = max_side
        self.blur = tuple(blur)
        # Normalised geometry by name: the zone or line that fired is drawn on the keyframe.
        self.zones = dict(zones or {})
        self.lines = dict(lines or {})

    def attach(self, incident: IncidentEvent, frame: Frame, tracks: Detections,
               blur_boxes: np.ndarray | None = None) -> IncidentEvent:
        """Return a copy of ``incident`` carrying snapshot, crop and facts (colour, time_of_day).

        ``blur_boxes`` (n, 4) pixel xyxy are blurred too, e.g. licence plates found by a plate detector.
        """
        from pipeline.attributes import day_or_night, dominant_colour

        image = self._privacy(frame.image, tracks)
        if blur_boxes is not None and len(blur_boxes):
            image = _blur_boxes(image if image is not frame.image else image.copy(), blur_boxes)
        h, w = image.shape[:2]
        main = self._main_box(incident, tracks, w, h)
        facts = incident.facts
        crop_bytes = None
        if main is not None:
            x1, y1, x2, y2 = main
            crop = frame.image[y1:y2, x1:x2]
            if crop.size:
                if facts.colour is None:
                    facts = facts.model_copy(update={"colour": dominant_colour(crop)})
                crop_bytes = _jpeg(image[y1:y2, x1:x2], self.jpeg_quality)
        if facts.time_of_day is None:
            facts = facts.model_copy(update={"time_of_day": day_or_night(frame.image)})
        snapshot = _jpeg(self._draw(image, incident, tracks, main), self.jpeg_quality, self.max_side)
        return incident.model_copy(update={"facts": facts, "snapshot": snapshot, "crop": crop_bytes})

    # -- helpers ---------------------------------------------------------------------------------------
    @staticmethod
    def _main_box(incident: IncidentEvent, tracks: Detections, w: int, h: int) -> tuple[int, int, int, int] | None:
        box = None
        if tracks.tracker_id is not None and incident.track_ids:
            hit = np.isin(tracks.tracker_id, incident.track_ids)
            if hit.any():
                box = tracks.xyxy[hit][0]
        if box is None and incident.bbox:
            box = np.array(incident.bbox, dtype=np.float32) * np.array([w, h, w, h], dtype=np.float32)
        if box is None:
            return None
        x1, y1, x2, y2 = (int(round(v)) for v in box)
        x1, x2 = max(0, min(x1, w - 1)), max(0, min(x2, w))
        y1, y2 = max(0, min(y1, h - 1)), max(0, min(y2, h))
        if x2 <= x1 or y2 <= y1:
            return None
        return x1, y1, x2, y2

    def _privacy(self, image: np.ndarray, tracks: Detections) -> np.ndarray:
        if not self.blur or len(tracks) == 0:
            return image
        names = tracks.data.get(CLASS_NAME_DATA_FIELD, np.array([""] * len(tracks)))
        out = image.copy()
        for (x1, y1, x2, y2), name in zip(tracks.xyxy.astype(int), names):
            if name != "person":
                continue
            if "faces" in self.blur and "persons" not in self.blur:
                # Head region of the person box: a fixed camera sees faces from any angle, where a face
                # detector misses profiles and backs of heads; blurring the top quarter never misses one.
                y2 = y1 + max(1, (y2 - y1) // 4)
            _blur_boxes(out, np.array([[x1, y1, x2, y2]]))
        return out

    def _draw(self, image: np.ndarray, incident: IncidentEvent, tracks: Detections, main) -> np.ndarray:
        out = image.copy()
        h, w = out.shape[:2]
        scale = np.array([w, h], dtype=np.float32)
        if incident.zone in self.zones:
            poly = (np.asarray(self.zones[incident.zone], dtype=np.float32) * scale).astype(np.int32)
            overlay = out.copy()
            cv2.fillPoly(overlay, [poly], _ZONE_COLOUR)
            out = cv2.addWeighted(overlay, 0.18, out, 0.82, 0)
            cv2.polylines(out, [poly], True, _ZONE_COLOUR, 2, cv2.LINE_AA)
        if incident.line in self.lines:
            a, b = ((np.asarray(p, dtype=np.float32) * scale).astype(int) for p in self.lines[incident.line])
            cv2.line(out, tuple(int(v) for v in a), tuple(int(v) for v in b), _LINE_COLOUR, 3, cv2.LINE_AA)
        names = tracks.data.get(CLASS_NAME_DATA_FIELD, np.array([""] * len(tracks)))
        ids = tracks.tracker_id if tracks.tracker_id is not None else [None] * len(tracks)
        for (x1, y1, x2, y2), name, tid in zip(tracks.xyxy.astype(int), names, ids):
            colour = _BOX_COLOUR if tid is not None and int(tid) in incident.track_ids else _CONTEXT_COLOUR
            cv2.rectangle(out, (x1, y1), (x2, y2), colour, 2)
            label = f"{name} #{tid}" if tid is not None else str(name)
            cv2.putText(out, label, (x1, max(12, y1 - 4)), cv2.FONT_HERSHEY_SIMPLEX, 0.45, colour, 1, cv2.LINE_AA)
        if main is not None and not incident.track_ids:
            cv2.rectangle(out, main[:2], main[2:], _BOX_COLOUR, 2)
        banner = f"{incident.type.value} {incident.zone or incident.line or ''} {incident.camera_id}".strip()
        cv2.putText(out, banner, (8, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (255, 255, 255), 2, cv2.LINE_AA)
        stamp = incident.updated_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        cv2.putText(out, stamp, (8, h - 10), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 3, cv2.LINE_AA)
        cv2.putText(out, stamp, (8, h - 10), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 1, cv2.LINE_AA)
        return out


def _blur_boxes(image: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Gaussian-blur each pixel box in place (kernel scaled to the box, so small plates blur as hard as faces)."""
    h, w = image.shape[:2]
    for x1, y1, x2, y2 in np.asarray(boxes, dtype=float).astype(int):
        x1, y1, x2, y2 = max(0, x1), max(0, y1), min(w, x2), min(h, y2)
        roi = image[y1:y2, x1:x2]
        if roi.size:
            k = max(3, (min(roi.shape[:2]) // 4) | 1)
            image[y1:y2, x1:x2] = cv2.GaussianBlur(roi, (k, k), 0)
    return image


def _jpeg(image: np.ndarray, quality: int, max_side: int | None = None) -> bytes:
    if max_side and max(image.shape[:2]) > max_side:
        scale = max_side / max(image.shape[:2])
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError(f"JPEG encoding failed for an image of shape {image.shape}")
    return buf.tobytes()


def decode_jpeg(data: bytes) -> np.ndarray:
    """Decode JPEG bytes to a BGR array; raises ValueError when the bytes are not an image."""
    arr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if arr is None:
        raise ValueError("bytes are not a decodable image")
    return arr


__all__ = ["EvidenceBuilder", "decode_jpeg"]
