"""Multi-object tracking per camera: Roboflow ``trackers`` (ByteTrack / OC-SORT) behind one small class."""

from __future__ import annotations

import math

import numpy as np
from trackers import ByteTrackTracker, OCSORTTracker
from trackers.utils.iou import BIoU

from pipeline.config import TrackerConfig
from pipeline.exceptions import ContractError
from pipeline.types import CLASS_NAME_DATA_FIELD, Detections, empty_detections

# ``trackers`` counts the lost-track buffer in frames of a 30 fps video and rescales by ``frame_rate``.
_TRACKERS_REFERENCE_FPS = 30.0
# ``minimum_consecutive_frames`` is stated for 10 fps and scaled down (never up) at lower rates.
_CONFIRM_REFERENCE_FPS = 10.0


class Tracker:
    """One camera's tracker; ``update`` returns only *confirmed* tracks, so rules never see tentative ids.

    Config mapping (``TrackerConfig`` keeps supervision's ByteTrack vocabulary):

    * ``lost_track_buffer`` seconds → ``seconds × 30`` reference frames (``trackers`` rescales by ``fps``).
    * ``minimum_matching_threshold`` is a cost (1 − IoU), so the IoU needed to match is ``1 − it``.
    * ``high_conf_det_threshold`` is ByteTrack's high/low split: only detections at or above it start
      tracks; lower ones are used in the second, recovery-only association.
    * ``trackers`` confirms a new track on its first *match*, so a track needs at least two frames even
      with ``minimum_consecutive_frames=1``.

    Args:
        cfg: tracker settings for this camera.
        fps: frames per second that reach the tracker (after fps cap), used to turn seconds into frames.

    Example:
        >>> tracker = Tracker(TrackerConfig(), fps=10.0)
        >>> len(tracker.update(empty_detections()))
        0
    """

    def __init__(self, cfg: TrackerConfig, fps: float) -> None:
        if not fps > 0:
            raise ValueError(f"tracker fps must be > 0, got {fps}")
        self.cfg = cfg
        self.fps = fps
        self.minimum_consecutive_frames = confirm_frames(cfg.minimum_consecutive_frames, fps)
        common = dict(
            lost_track_buffer=max(1, round(cfg.lost_track_buffer * _TRACKERS_REFERENCE_FPS)),
            frame_rate=fps,
            minimum_consecutive_frames=self.minimum_consecutive_frames,
            minimum_iou_threshold=max(0.01, 1.0 - cfg.minimum_matching_threshold),
            high_conf_det_threshold=cfg.high_conf_det_threshold,
            iou=BIoU(buffer_ratio=self.match_buffer(cfg, fps)),
        )
        if cfg.kind == "ocsort":
            self._impl: ByteTrackTracker | OCSORTTracker = OCSORTTracker(**common)
        else:
            self._impl = ByteTrackTracker(track_activation_threshold=cfg.track_activation_threshold, **common)

    @staticmethod
    def match_buffer(cfg: TrackerConfig, fps: float) -> float:
        """Box growth (fraction of width/height) before IoU matching: ``cfg.match_buffer``, or by frame rate.

        At 10 fps a car's consecutive boxes overlap; at 3 fps one may have moved a whole box length, and a new
        track (no velocity yet) would never match its second detection. Buffered IoU (C-BIoU) grows both boxes
        in proportion to the time between frames.
        """
        if cfg.match_buffer is not None:
            return cfg.match_buffer
        return float(min(0.6, max(0.0, 0.1 * (_CONFIRM_REFERENCE_FPS / fps) ** 1.5 - 0.05)))

    def update(self, dets: Detections, ts: float | None = None) -> Detections:
        """Associate this frame's detections; return the confirmed tracks with ``tracker_id`` set.

        Args:
            dets: detector output for one frame (needs ``confidence`` and ``data["class_name"]``).
            ts: the frame's time in seconds. Pass it on every call (or on none): with it, skipped frames
                (motion gate, fps cap, drops) count as elapsed time in the motion model and lost buffer.

        Raises:
            ContractError: detections without ``class_name`` or ``confidence``.
        """
        if len(dets) and (CLASS_NAME_DATA_FIELD not in dets.data or dets.confidence is None):
            raise ContractError(
                f"Tracker.update needs detections with confidence and data[{CLASS_NAME_DATA_FIELD!r}]; "
                f"got confidence={'set' if dets.confidence is not None else None}, data keys={sorted(dets.data)}"
            )
        tracked = self._impl.update(dets, timestamp=ts)
        if tracked.tracker_id is None or len(tracked) == 0:
            return _empty_tracks()
        confirmed = tracked[tracked.tracker_id >= 0]
        if len(confirmed) == 0:
            return _empty_tracks()
        confirmed.tracker_id = confirmed.tracker_id.astype(int)
        return confirmed

    def reset(self) -> None:
        """Forget every track and restart ids (new scene, camera moved, source restarted)."""
        self._impl.reset()


def confirm_frames(frames_at_10fps: int, fps: float) -> int:
    """Frames a new track needs at ``fps`` to take the same time as ``frames_at_10fps`` at 10 fps (at least 1).

    Confirmation is there to drop one-frame flicker; counted in frames it would cost 1 s at 3 fps, long
    enough for a vehicle to cross a line unseen by the rules.
    """
    return max(1, min(frames_at_10fps, math.ceil(frames_at_10fps * fps / _CONFIRM_REFERENCE_FPS - 1e-9)))


def _empty_tracks() -> Detections:
    det = empty_detections()
    det.tracker_id = np.array([], dtype=int)
    return det
