"""Does motion gating keep the counts? Every-frame detection vs gated detection on real clips.

Detections are computed once per analysed frame (cached in ``cache_dir``), then the same frames go through
two ``CameraPipeline``s: one that sees the detector on every frame, one that sees it only where the
``MotionGate`` says so (``step_still`` elsewhere). Line crossings and incidents are compared; the
every-frame run is the reference ("recall of gated vs every-frame").

Clips: the two samples (with the lines and rules of ``configs/demo.yaml``) and every clip in
``$CITYLENS_DATA_DIR/more`` with two generic lines (a vertical and a horizontal one through the centre)
and a loitering zone in the middle, since no hand-drawn geometry exists for them.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.camera import CameraPipeline
from pipeline.config import CameraConfig, MotionConfig, load_config
from pipeline.motion import GateReason, MotionGate
from pipeline.sources import FrameSource
from pipeline.config import SourceConfig
from pipeline.types import CountEvent, IncidentEvent

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Clip:
    camera: CameraConfig
    fps: float


def generic_camera(cam_id: str, url: str, fps: float) -> CameraConfig:
    return CameraConfig.model_validate({
        "id": cam_id, "box": "bench", "source": {"url": url, "realtime": False, "fps_cap": fps},
        "zones": [{"name": "middle", "polygon": [[0.3, 0.3], [0.7, 0.3], [0.7, 0.7], [0.3, 0.7]]}],
        "lines": [{"name": "vertical", "start": [0.5, 0.02], "end": [0.5, 0.98]},
                  {"name": "horizontal", "start": [0.02, 0.5], "end": [0.98, 0.5]}],
        "rules": [{"type": "loitering", "zone": "middle", "dwell_s": 5, "classes": ["person"]},
                  {"type": "stopped_vehicle", "zone": "middle", "still_s": 5,
                   "classes": ["car", "truck", "bus", "motorcycle"]}],
    })


def default_clips(data_dir: str | None = None, more_fps: float = 5.0) -> list[Clip]:
    cfg = load_config(REPO / "configs" / "demo.yaml")
    clips = [Clip(c, c.source.fps_cap) for c in cfg.cameras]
    more = Path(data_dir or os.environ.get("CITYLENS_DATA_DIR", REPO.parent / "shared" / "data")) / "more"
    for p in sorted(more.glob("*.mp4")) + sorted(more.glob("*.avi")):
        clips.append(Clip(generic_camera(p.stem[:40].replace(" ", "_"), str(p), more_fps), more_fps))
    return clips


def _frames(cam: CameraConfig, fps: float, max_s: float | None):
    src = FrameSource(cam.id, SourceConfig(url=cam.source.url, realtime=False, fps_cap=fps, buffer_size=8))
    src.start()
    t0 = None
    try:
        for f in src.frames(timeout=10.0):
            t0 = f.ts if t0 is None else t0
            if max_s is not None and f.ts - t0 > max_s:
                break
            yield f
    finally:
        src.stop()


def cached_detections(clip: Clip, detector, cache_dir: Path, max_s: float | None):
    """Detections of every frame the clip's fps cap keeps, computed once and cached; returns frame → Detections."""
    key = hashlib.sha1(f"{clip.camera.source.url}|{clip.fps}|{max_s}|{detector.model_name}|"
                       f"{detector.cfg.model_dump_json()}".encode()).hexdigest()[:16]
    path = cache_dir / f"{clip.camera.id}-{key}.pkl"
    if path.exists():
        by_id = pickle.loads(path.read_bytes())
    else:
        by_id = {f.frame_id: detector.detect([f])[0] for f in _frames(clip.camera, clip.fps, max_s)}
        cache_dir.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(by_id))
    return lambda frame: by_id[frame.frame_id]


def _totals(events: list) -> tuple[dict[str, int], dict[str, float]]:
    last: dict[str, CountEvent] = {}
    incidents: dict[str, IncidentEvent] = {}
    for ev in events:
        if isinstance(ev, CountEvent):
            last[ev.key] = ev
        elif isinstance(ev, IncidentEvent):
            incidents[ev.id] = ev
    counts: dict[str, int] = {}
    for ev in last.values():
        k = f"{ev.name}:{ev.direction}"
        counts[k] = counts.get(k, 0) + ev.count
    durations = {i: ((ev.ended_at or ev.started_at) - ev.started_at).total_seconds() for i, ev in incidents.items()}
    return counts, {"incidents": len(incidents), "incident_seconds": round(sum(durations.values()), 1)}


def run_clip(clip: Clip, dets_for, motion: MotionConfig | None, max_s: float | None) -> dict:
    """Replay one clip through a ``CameraPipeline``; ``dets_for(frame)`` gives the detector output of a frame."""
    proc = CameraPipeline(clip.camera, box="bench", fps=clip.fps)
    gate = None
    events: list = []
    analysed = 0
    t_gate = 0.0
    n = 0
    for f in _frames(clip.camera, clip.fps, max_s):
        n += 1
        if motion is not None:
            if gate is None:
                gate = MotionGate(clip.camera, motion, (f.shape[1], f.shape[0]))
            t = time.perf_counter()
            decision = gate.decide(f.image, f.ts)
            t_gate += time.perf_counter() - t
            if not decision.analyse:
                if decision.reason is GateReason.STILL:
                    events.extend(proc.step_still(f).events)
                continue
        out = proc.step(f, dets_for(f))
        analysed += 1
        if gate is not None:
            gate.observe(out.tracks.xyxy if out.tracks is not None else [])
        events.extend(out.events)
    events.extend(proc.finish().events)
    counts, inc = _totals(events)
    return {"frames": n, "analysed": analysed, "counts": counts, **inc,
            "gate_ms_per_frame": round(1000 * t_gate / max(1, n), 3)}


def compare(clips: list[Clip], dets_provider, motions: dict[str, MotionConfig], max_s: float | None = None) -> dict:
    """Per clip and in total: crossings and incidents every-frame vs each gated setting, analysed fraction.

    ``dets_provider(clip)`` returns ``frame -> Detections`` (cached detector output); ``motions`` names the
    gate settings to try. Recall = crossings matched per (line, direction) / every-frame crossings.
    """
    out: dict = {"clips": {}, "settings": {k: m.model_dump() for k, m in motions.items()}, "total": {}}
    tot = {k: {"matched": 0, "gated": 0, "frames": 0, "analysed": 0, "incidents": 0, "incident_seconds": 0.0}
           for k in motions}
    ref_total = ref_inc = 0
    ref_inc_s = 0.0
    for clip in clips:
        dets_for = dets_provider(clip)
        ref = run_clip(clip, dets_for, None, max_s)
        ref_total += sum(ref["counts"].values())
        ref_inc += ref["incidents"]
        ref_inc_s += ref["incident_seconds"]
        row = {"fps": clip.fps, "every_frame": ref}
        for name, motion in motions.items():
            gat = run_clip(clip, dets_for, motion, max_s)
            keys = set(ref["counts"]) | set(gat["counts"])
            t = tot[name]
            t["matched"] += sum(min(ref["counts"].get(k, 0), gat["counts"].get(k, 0)) for k in keys)
            t["gated"] += sum(gat["counts"].values())
            t["frames"] += gat["frames"]
            t["analysed"] += gat["analysed"]
            t["incidents"] += gat["incidents"]
            t["incident_seconds"] += gat["incident_seconds"]
            row[name] = gat
        out["clips"][clip.camera.id] = row
    out["total"]["every_frame"] = {"crossings": ref_total, "incidents": ref_inc, "incident_seconds": round(ref_inc_s, 1)}
    for name, t in tot.items():
        out["total"][name] = {
            "crossings": t["gated"], "recall_vs_every_frame": round(t["matched"] / ref_total, 4) if ref_total else None,
            "extra_crossings": t["gated"] - t["matched"], "incidents": t["incidents"],
            "incident_seconds": round(t["incident_seconds"], 1),
            "analysed_fraction": round(t["analysed"] / max(1, t["frames"]), 3),
        }
    return out


def run_gating_bench(*, cache_dir: str | None = None, clips: list[str] | None = None, idle_strides: tuple[int, ...] = (1, 2),
                     stationary_ious: tuple[float, ...] = (), max_s: float | None = None) -> dict:
    """Every-frame vs gated counts on the default clips; detections cached in ``cache_dir`` (first run: slow).

    Settings tried: the default gate, ``idle_stride_N`` for each other stride, and ``stationary_iou_X`` (the
    default gate with ``stationary_iou`` X; 0 = off) for each of ``stationary_ious``."""
    from pipeline.config import DetectorConfig
    from pipeline.detect import build_detector

    chosen = [c for c in default_clips() if clips is None or c.camera.id in clips]
    detector = build_detector(DetectorConfig())
    cache = Path(cache_dir or Path(tempfile.gettempdir()) / "citylens-gating-cache")
    settings = {("default" if s == 1 else f"idle_stride_{s}"): MotionConfig(enabled=True, idle_stride=s)
                for s in idle_strides}
    settings.update({f"stationary_iou_{v:g}": MotionConfig(enabled=True, stationary_iou=v) for v in stationary_ious})
    return compare(chosen, lambda clip: cached_detections(clip, detector, cache, max_s), settings, max_s)
