"""``citylens process``: recorded footage through the camera pipeline as fast as the machine allows.

No Ray and no Redis: each file runs through the same :class:`~pipeline.camera.CameraPipeline` a live
camera uses (source → detect → track → rules → evidence → caption), with the detector loaded once in this
process and every event written straight into the store, stamped with this run's ``run_id``. The summary
and the CSV export read back only that run, so processing the same footage twice never doubles a count.

Search vectors are not built here; the API embeds incidents it lacks when it starts (``SearchIndex``).
"""

from __future__ import annotations

import csv
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import CameraConfig, CityConfig
from pipeline.exceptions import ConfigError
from pipeline.types import CountEvent, Frame, HealthEvent, IncidentEvent, new_run_id

log = logging.getLogger("citylens.process")

# Called after each analysed frame: (camera_id, frames read so far).
ProgressHook = Callable[[str, int], None]


@dataclass
class RunSummary:
    """What one run stored: incidents by camera and type, line/zone counts by camera/name/direction."""

    run_id: str
    incidents: dict[str, dict[str, int]] = field(default_factory=dict)  # camera -> type -> n
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # "camera/kind:name" -> direction -> n
    cameras: dict[str, dict[str, Any]] = field(default_factory=dict)  # camera -> final loop stats

    @property
    def incidents_total(self) -> int:
        return sum(n for by_type in self.incidents.values() for n in by_type.values())

    def as_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "incidents_total": self.incidents_total, "incidents": self.incidents,
                "counts": self.counts, "cameras": self.cameras}


def match_videos(cfg: CityConfig, videos: Sequence[str]) -> list[tuple[CameraConfig, Path]]:
    """Pair each video with the config camera whose rules apply to it.

    ``CAMERA=path`` names the camera; a bare path matches the camera whose source has the same file name,
    else the config's only camera. Each camera comes back as a copy reading that file at full speed.
    """
    out: list[tuple[CameraConfig, Path]] = []
    by_name = {Path(c.source.url).name: c for c in cfg.cameras if "://" not in c.source.url}
    for arg in videos:
        cam_id, sep, path_s = arg.partition("=")
        if sep and cam_id in {c.id for c in cfg.cameras}:
            cam, path = cfg.camera(cam_id), Path(path_s)
        else:
            path = Path(arg)
            cam = by_name.get(path.name) or (cfg.cameras[0] if len(cfg.cameras) == 1 else None)
            if cam is None:
                raise ConfigError(f"{arg}: no camera in the config reads a file named {path.name!r} and the config has "
                                  f"{len(cfg.cameras)} cameras; name one as CAMERA=PATH (cameras: "
                                  f"{[c.id for c in cfg.cameras]})")
        if not path.is_file():
            raise ConfigError(f"{path}: no such video file")
        if cam.id in {c.id for c, _ in out}:
            raise ConfigError(f"{arg}: camera {cam.id!r} already has a file in this run; one file per camera per run")
        src = cam.source.model_copy(update={"url": str(path.resolve()), "realtime": False, "loop": False})
        out.append((cam.model_copy(update={"source": src}), path))
    return out


def frame_count(path: Path) -> int | None:
    """Frames in the file according to its container (an estimate for variable-rate files), None if unknown."""
    import cv2

    cap = cv2.VideoCapture(str(path))
    try:
        n = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
    finally:
        cap.release()
    return n if n > 0 else None


class StoreWriter:
    """The loop's ``publish``: each event upserted into the store in its own transaction (idempotent)."""

    def __init__(self, store) -> None:
        self.store = store

    def __call__(self, ev: IncidentEvent | CountEvent | HealthEvent) -> None:
        if isinstance(ev, IncidentEvent):
            self.store.upsert_incident(ev)
        elif isinstance(ev, CountEvent):
            self.store.upsert_count(ev)
        else:
            self.store.upsert_health(ev)


def process_videos(cfg: CityConfig, pairs: Sequence[tuple[CameraConfig, Path]], store, *, run_id: str | None = None,
                   model_dir: str | None = None, on_frame: ProgressHook | None = None) -> RunSummary:
    """Run every (camera, file) pair to its end, one after the other, with one detector per model config.

    Files run in sequence because one detector already uses every core; running them side by side would
    only split the same cores. Returns the run's summary read back from the store.
    """
    from pipeline.camera import CameraDeps, CameraPipeline
    from pipeline.caption import build_captioner
    from pipeline.detect import build_detector
    from pipeline.models import resolve_model

    run_id = run_id or new_run_id()
    model_dir = model_dir or cfg.models.model_dir  # the CLI passes Settings.model_dir (env > YAML)
    captioner = build_captioner(cfg.models.captioner, model_dir) if cfg.models.captioner.enabled else None
    detectors: dict[str, Any] = {}
    writer = StoreWriter(store)
    results: dict[str, dict[str, Any]] = {}
    for cam, _path in pairs:
        det_cfg = cfg.detector_for(cam.box)
        key = det_cfg.model_dump_json()
        if key not in detectors:
            detectors[key] = build_detector(det_cfg, model_dir)
        detector = detectors[key]
        models = {"detector": os.path.basename(resolve_model(det_cfg.model, model_dir)), "detector_backend": det_cfg.backend}

        def detect(frame: Frame, _det=detector, _cam=cam.id):
            dets = _det.detect([frame])[0]
            if on_frame is not None:
                on_frame(_cam, frame.frame_id + 1)
            return dets

        deps = CameraDeps(detect=detect, publish=writer, models=models, run_id=run_id, caption_wait_s=0.0,
                          detect_imgsz=det_cfg.imgsz,
                          caption_start=_caption_now(captioner, cam) if captioner is not None else None,
                          caption_poll=_poll_done if captioner is not None else None,
                          plate_detect=_plate_detect(cfg, cam, model_dir))
        results[cam.id] = CameraPipeline(cam, deps, box=cam.box, timezone=cfg.timezone).run()
    summary = run_summary(store, run_id)
    summary.cameras = {cid: r.model_dump(mode="json", include={"state", "frames_in", "frames_processed", "frames_dropped",
                                                                "error"})
                       for cid, r in results.items()}
    return summary


def _caption_now(captioner, cam: CameraConfig):
    """Caption synchronously: the job *is* its result, so the loop's next poll publishes it at once."""
    from pipeline.caption import CaptionRequest

    def start(ev: IncidentEvent):
        return _Done(captioner.caption([CaptionRequest.from_incident(ev, cam.name or cam.id)])[0])

    return start


@dataclass(eq=False)
class _Done:
    result: Any  # pipeline.caption.Caption


def _poll_done(jobs: list, _timeout: float) -> list:
    return [(j, j.result) for j in jobs]


def _plate_detect(cfg: CityConfig, cam: CameraConfig, model_dir: str | None):
    if "plates" not in cam.privacy_blur or cfg.models.plate_detector is None:
        return None
    from pipeline.detect import build_detector

    det = build_detector(cfg.models.plate_detector, model_dir)
    return lambda frame: det.detect([frame])[0]


def run_summary(store, run_id: str) -> RunSummary:
    """Incidents and line/zone counts of one run, read back from the store."""
    from sqlalchemy import func, select

    from services.store import CountRow, IncidentRow

    out = RunSummary(run_id=run_id)
    with store.session() as s:
        for cam, typ, n in s.execute(select(IncidentRow.camera_id, IncidentRow.type, func.count())
                                     .where(IncidentRow.run_id == run_id)
                                     .group_by(IncidentRow.camera_id, IncidentRow.type)):
            out.incidents.setdefault(cam, {})[typ] = int(n)
        for cam, kind, name, direction, n in s.execute(
                select(CountRow.camera_id, CountRow.kind, CountRow.name, CountRow.direction, func.sum(CountRow.count))
                .where(CountRow.run_id == run_id, CountRow.kind == "line")
                .group_by(CountRow.camera_id, CountRow.kind, CountRow.name, CountRow.direction)):
            out.counts.setdefault(f"{cam}/{name}", {})[direction] = int(n)
    return out


def export_counts_csv(store, run_id: str, path: Path, bucket: str = "minute") -> int:
    """Write this run's counts, one row per (bucket, camera, kind, name, class, direction); returns rows written."""
    rows = store.counts(run_id=run_id, bucket=bucket)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["run_id", "bucket_start", "camera_id", "kind", "name", "object_class", "direction", "count"])
        for r in rows:
            w.writerow([run_id, r.bucket_start.isoformat(), r.camera_id, r.kind, r.name, r.object_class, r.direction, r.count])
    return len(rows)


def print_table(summary: RunSummary, console=None) -> None:
    """The run's summary as two tables (incidents by camera/type; line counts by direction)."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    t = Table(title=f"run {summary.run_id}: {summary.incidents_total} incidents")
    for col in ("camera", "incident type", "incidents"):
        t.add_column(col)
    for cam in sorted(summary.cameras or summary.incidents):
        by_type = summary.incidents.get(cam, {})
        if not by_type:
            t.add_row(cam, "-", "0")
        for typ, n in sorted(by_type.items()):
            t.add_row(cam, typ, str(n))
    console.print(t)
    if summary.counts:
        c = Table(title="line counts")
        for col in ("camera/line", "direction", "count"):
            c.add_column(col)
        for key in sorted(summary.counts):
            for direction, n in sorted(summary.counts[key].items()):
                c.add_row(key, direction, str(n))
        console.print(c)


__all__ = ["RunSummary", "export_counts_csv", "frame_count", "match_videos", "print_table", "process_videos", "run_summary"]
