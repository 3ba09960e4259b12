"""Line-count accuracy on hand-counted real clips: citylens (detector → tracker → line rules) beside Ultralytics
Solutions' ``ObjectCounter`` with the same model, lines and frames.

Truth is ``tests/data/line_counts.yaml`` (hand counts, see docs/hand_counts.md); clips are read from
``$CITYLENS_DATA_DIR``. Each clip is replayed at the default frame rate (``source.fps_cap``) and at the
requested caps, choosing frames exactly as the camera source does (``FpsGate`` on the frames' timestamps, at
``source.active_fps`` while a tracked object or a detection is near a line, ``MotionGate.source_fps``).
The peer gets the frames of the plain cap.

A predicted crossing *matches* a hand-counted one of the same line and direction when it is confirmed between
0.5 s before and ``late_s`` after it (rules confirm a crossing a few frames after the object passes); each
hand-counted crossing matches at most one prediction. Recall = matched / hand-counted; phantoms = predictions
left unmatched (double counts, parked cars, crossings that did not happen). A clip with ``frames: [first, last]``
was hand-counted only there: both methods see only those frames.

With ``--motion`` the camera's motion gate is replayed too (the kept frames are decoded): only the frames it
analyses reach the tracker, still frames re-run the rules on the last tracks, as on a live camera.

Run:
    CITYLENS_DATA_DIR=../shared/data python -m pipeline.eval.counts --split test
    CITYLENS_DATA_DIR=../shared/data python -m pipeline.eval.counts --split dev --motion --stationary-iou 0
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from pipeline.config import CameraConfig, DetectorConfig, LineConfig, SourceConfig
from pipeline.eval.detcache import ClipDetections, canvas_point, detect_clip
from pipeline.motion import MotionGate, top_fps
from pipeline.region import detect_window
from pipeline.rules.geometry import VEHICLES
from pipeline.sources._internal import FpsGate

DATA_ENV = "CITYLENS_DATA_DIR"
TRUTH = Path(__file__).resolve().parents[2] / "tests" / "data" / "line_counts.yaml"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
EPOCH = 1_750_000_000.0  # clips' relative times are placed at a fixed epoch so minute buckets are deterministic


@dataclass
class LineResult:
    truth: int = 0
    predicted: int = 0
    matched: int = 0

    @property
    def phantoms(self) -> int:
        return self.predicted - self.matched


@dataclass
class ClipResult:
    clip: str
    method: str
    fps: float
    frames: int
    per_line: dict[str, LineResult] = field(default_factory=dict)  # "line/direction" → result

    @property
    def truth(self) -> int:
        return sum(r.truth for r in self.per_line.values())

    @property
    def matched(self) -> int:
        return sum(r.matched for r in self.per_line.values())

    @property
    def phantoms(self) -> int:
        return sum(r.phantoms for r in self.per_line.values())


def data_dir() -> Path:
    d = os.environ.get(DATA_ENV)
    if not d:
        raise RuntimeError(f"{DATA_ENV} is not set: point it at the shared data folder (e.g. ../shared/data)")
    return Path(d)


def load_truth(path: Path = TRUTH) -> dict:
    return yaml.safe_load(path.read_text())["clips"]


def clip_path(spec: dict) -> Path:
    """A clip's file: from ``samples/`` when it ships there, else from ``$CITYLENS_DATA_DIR``."""
    if (SAMPLES / spec["file"]).exists():
        return SAMPLES / spec["file"]
    p = data_dir() / spec["file"]
    if not p.exists():
        raise FileNotFoundError(f"{p} (from {DATA_ENV}) does not exist")
    return p


def line_configs(spec: dict) -> list[LineConfig]:
    out = []
    for ln in spec["lines"]:
        classes = ln.get("classes")
        out.append(LineConfig(
            name=ln["name"], start=tuple(ln["start"]), end=tuple(ln["end"]), in_name=ln["in_name"],
            out_name=ln["out_name"], classes=[classes] if isinstance(classes, str) else classes,
        ))
    return out


def on_canvas(spec: dict, canvas: float) -> dict:
    """``spec`` with its lines moved to where they lie in a ``degrade(canvas=...)`` copy (the hand counts
    are the same crossings)."""
    if canvas == 1.0:
        return spec
    lines = [{**ln, "start": list(canvas_point(ln["start"], canvas)), "end": list(canvas_point(ln["end"], canvas))}
             for ln in spec["lines"]]
    return {**spec, "lines": lines}


def selected_frames(ts: np.ndarray, fps_cap: float, span: tuple[int, int] | None = None) -> list[int]:
    """Frames the camera source keeps at ``fps_cap``; with ``span`` (first, last: a clip's ``frames``, the part
    that was hand-counted) the stream is taken to start at ``first`` and end after ``last``."""
    first, last = span if span else (0, len(ts) - 1)
    gate = FpsGate(fps_cap)
    return [i for i in range(first, min(last, len(ts) - 1) + 1) if gate.keep(float(ts[i]))]


def clip_span(spec: dict) -> tuple[int, int] | None:
    return tuple(spec["frames"]) if spec.get("frames") else None


def match(truth_ts: list[float], pred_ts: list[float], late_s: float) -> int:
    """Most one-to-one pairs (prediction within [truth - 0.5 s, truth + late_s]), nearest in time first."""
    from scipy.optimize import linear_sum_assignment

    if not truth_ts or not pred_ts:
        return 0
    t = np.asarray(truth_ts)[:, None]
    p = np.asarray(pred_ts)[None, :]
    ok = (p >= t - 0.5) & (p <= t + late_s)
    cost = np.where(ok, np.abs(p - t), 0.0) - ok * 1e6  # every feasible pair beats any infeasible one
    rows, cols = linear_sum_assignment(cost)
    return int(ok[rows, cols].sum())


def score(name: str, method: str, fps: float, frames: int, spec: dict, ts: np.ndarray,
          predicted: dict[str, list[float]], late_s: float) -> ClipResult:
    res = ClipResult(name, method, fps, frames)
    for ln in spec["lines"]:
        for direction, truth_frames in ln["crossings"].items():
            key = f"{ln['name']}/{direction}"
            truth_ts = [float(ts[f]) for f in truth_frames]
            pred = predicted.get(key, [])
            res.per_line[key] = LineResult(len(truth_ts), len(pred), match(truth_ts, pred, late_s))
    return res


def eval_camera(name: str, spec: dict, camera: dict | None = None, fps_cap: float | None = None) -> CameraConfig:
    """The camera a clip is replayed as: its lines, the defaults, and ``camera``'s overrides."""
    base = {k: v for k, v in (camera or {}).items() if k != "detector"}
    src = {"url": str(spec.get("path") or clip_path(spec)), **base.pop("source", {})}
    if fps_cap is not None:
        src["fps_cap"] = fps_cap
    return CameraConfig(id=name.replace("_", "-"), box="eval", source=SourceConfig(**src), lines=line_configs(spec),
                        **base)


def run_citylens(name: str, spec: dict, dets: ClipDetections, fps_cap: float | None, camera: dict | None = None,
                 late_s: float = 2.5, motion: bool = False) -> ClipResult:
    """The camera pipeline's tracker and rule engine (``CameraProcessor``) on the detector's output.

    ``motion``: replay the camera's motion gate too, as the live camera does (``CameraPipeline._frame``): the
    kept frames are decoded; the gate's analysed frames get the cached detections (and the real picture, for
    the tracker's pixel-change measure), its still frames only re-run the rules on the last tracks, strided
    frames are skipped. ``ClipResult.frames`` is then the number of analysed frames. Without it every kept
    frame is analysed on a blank picture (rules need only the frame size)."""
    import cv2

    from pipeline.camera import CameraPipeline
    from pipeline.motion import FrameScheduler, GateReason
    from pipeline.types import Frame

    cam = eval_camera(name, spec, camera, fps_cap)
    conf = DetectorConfig().conf if "detector" not in (camera or {}) else camera["detector"]["conf"]
    proc = CameraPipeline(cam, box="eval", fps=min(top_fps(cam.source), _native_fps(dets.ts)))
    w, h = dets.frame_size
    blank = np.zeros((h, w, 3), np.uint8)  # rules need only the frame size; no incident rules → no evidence
    # Frames are chosen as the live camera chooses them: the source's gate at fps_cap, at active_fps while a
    # tracked object is near a line (MotionGate.source_fps); without ``motion`` the motion gate is not replayed
    # and this one is used only for its tracked-object test.
    rate = MotionGate(cam, cam.motion, (w, h))
    scheduler = FrameScheduler(cam, realtime=False) if motion else None
    frames = _decoder(Path(cam.source.url)) if motion else None
    if frames is not None:
        next(frames)
    first, last = clip_span(spec) or (0, len(dets.ts) - 1)
    gate = FpsGate(cam.source.fps_cap)
    predicted: dict[str, list[float]] = {}
    n = 0
    for i in range(first, min(last, len(dets.ts) - 1) + 1):
        gate.set_fps(scheduler.source_fps if scheduler is not None else rate.source_fps)
        if not gate.keep(float(dets.ts[i])):
            continue
        ts = EPOCH + float(dets.ts[i])
        if scheduler is None:
            n += 1
            frame = Frame(camera_id=cam.id, frame_id=i, ts=ts, image=blank)
            d = dets.detections(i, conf)
            out = proc.step(frame, d)
            rate.observe(out.tracks.xyxy, d.xyxy)
        else:
            image = frames.send(i)
            if image is None:  # the detector saw this frame: a failed decode, not the clip's end
                raise RuntimeError(f"{name}: frame {i} of {cam.source.url} did not decode; the replay would stop "
                                   f"short and under-count")
            frame = Frame(camera_id=cam.id, frame_id=i, ts=ts, image=image)
            grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
            decision = scheduler.decide(grey, ts)
            if decision.analyse:
                n += 1
                d = dets.detections(i, conf)
                out = proc.step(frame, d, grey)
                scheduler.observe(out.tracks.xyxy, d.xyxy)
            elif decision.reason is GateReason.STILL:
                out = proc.step_still(frame, grey)
            else:
                continue
        for c in out.crossings:
            predicted.setdefault(f"{c.line}/{c.direction}", []).append(c.ts - EPOCH)
    if frames is not None:
        frames.close()
    return score(name, "citylens+gate" if motion else "citylens", cam.source.fps_cap, n, spec, dets.ts, predicted,
                 late_s)


def _decoder(path: Path):
    """A generator sent ascending frame indices; yields each one's decoded picture (None past the end)."""
    import cv2

    cap, n = cv2.VideoCapture(str(path)), 0
    try:
        want = yield
        while True:
            img = None
            while n <= want and cap.grab():
                if n == want:
                    ok, img = cap.retrieve()
                    img = img if ok else None
                n += 1
            want = yield img
    finally:
        cap.release()


def _native_fps(ts: np.ndarray) -> float:
    return float((len(ts) - 1) / (ts[-1] - ts[0])) if len(ts) > 1 and ts[-1] > ts[0] else 30.0


def run_object_counter(name: str, spec: dict, ts: np.ndarray, fps_cap: float, model: str,
                       late_s: float = 2.5) -> ClipResult:
    """Ultralytics Solutions' ObjectCounter (its defaults, vehicle classes) on the same frames and lines."""
    import cv2
    from ultralytics import solutions

    path = clip_path(spec)
    idx = set(selected_frames(ts, fps_cap, clip_span(spec)))
    last = max(idx) if idx else -1
    names = {"car": 2, "motorcycle": 3, "bus": 5, "truck": 7}
    counters = []
    cap = cv2.VideoCapture(str(path))
    w, h = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
    for ln in spec["lines"]:
        region = [(ln["start"][0] * w, ln["start"][1] * h), (ln["end"][0] * w, ln["end"][1] * h)]
        oc = solutions.ObjectCounter(model=model, region=region, classes=sorted(names.values()), show=False,
                                     verbose=False)
        counters.append((ln, region, oc))
    predicted: dict[str, list[float]] = {}
    i = 0
    while True:
        ok = cap.grab()
        if not ok or i >= len(ts) or i > last:
            break
        if i in idx:
            _, img = cap.retrieve()
            for ln, region, oc in counters:
                before = (oc.in_count, oc.out_count)
                oc(img)
                # ObjectCounter's IN is "moving right" for a vertical line, "moving down" otherwise; map it to
                # this line's in/out convention (in = the visual left of start→end).
                (x1, y1), (x2, y2) = region
                vertical = abs(x1 - x2) < abs(y1 - y2)
                mv = (1.0, 0.0) if vertical else (0.0, 1.0)
                in_is_ours = (x2 - x1) * mv[1] - (y2 - y1) * mv[0] < 0
                for k, (b, a) in enumerate(zip(before, (oc.in_count, oc.out_count))):
                    if a > b:
                        ours_in = in_is_ours if k == 0 else not in_is_ours
                        label = ln["in_name"] if ours_in else ln["out_name"]
                        predicted.setdefault(f"{ln['name']}/{label}", []).extend([float(ts[i])] * (a - b))
        i += 1
    cap.release()
    return score(name, "ObjectCounter", fps_cap, len(idx), spec, ts, predicted, late_s)


def table(results: list[ClipResult]) -> str:
    rows = [f"{'clip':<24} {'method':<14} {'fps':>4} {'frames':>6} {'truth':>5} {'found':>5} {'recall':>7} {'phantom':>7}"]
    for r in results:
        rec = r.matched / r.truth if r.truth else float("nan")
        rows.append(f"{r.clip:<24} {r.method:<14} {r.fps:>4g} {r.frames:>6} {r.truth:>5} {r.matched:>5} "
                    f"{rec:>7.1%} {r.phantoms:>7}")
    by: dict[tuple[str, float], list[ClipResult]] = {}
    for r in results:
        by.setdefault((r.method, r.fps), []).append(r)
    for (m, f), rs in sorted(by.items()):
        t, k, p = sum(x.truth for x in rs), sum(x.matched for x in rs), sum(x.phantoms for x in rs)
        rows.append(f"{'TOTAL':<24} {m:<14} {f:>4g} {'':>6} {t:>5} {k:>5} {k / max(t, 1):>7.1%} {p:>7}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="test", choices=["dev", "test", "all"])
    ap.add_argument("--clips", nargs="*", help="clip names from the truth file (default: all of the split)")
    ap.add_argument("--fps", nargs="*", type=float, default=[10.0, 5.0, 3.0], help="extra fps caps besides the default")
    ap.add_argument("--peer", action="store_true", help="also run Ultralytics ObjectCounter on the same frames")
    ap.add_argument("--json", action="store_true", help="print JSON rows instead of a table")
    ap.add_argument("--detector", nargs="*", default=[], metavar="FIELD=VALUE",
                    help="the cameras' own detector settings (cameras[].detector, e.g. imgsz=1280 or slices=[176,120]), "
                         "as an operator sets them for a hard camera; the peer keeps its defaults")
    ap.add_argument("--degrade", nargs="*", default=[], metavar="FIELD=VALUE",
                    help="detect on a worse copy of each clip (pipeline.eval.detcache.degrade: scale=0.375 jpeg=35 "
                         "haze=0.55 blur=1.5 noise=6 canvas=3): a low-resolution / low-contrast / wide camera "
                         "with the same hand counts (canvas moves the lines with the clip)")
    ap.add_argument("--active-fps", type=float, default=None, metavar="FPS",
                    help="source.active_fps for citylens (0 = off: always fps_cap); default: the config default")
    ap.add_argument("--scaled-window", action="store_true",
                    help="detect as a camera whose detector runs in its own process (placement in_process, the "
                         "default for ONNX on a CPU box): the window around its lines at the whole frame's scale on "
                         "a smaller input (pipeline.region.detect_window)")
    ap.add_argument("--whole-frame", action="store_true",
                    help="region_detect off: detect on whole frames, not on the crop around the lines")
    ap.add_argument("--region-upscale", type=float, default=None,
                    help="cameras' region_upscale (1 = a small region's crop is never enlarged; default: the config's)")
    ap.add_argument("--contrast", choices=["auto", "always", "off"], default=None,
                    help="cameras' contrast_boost (the detector's input stretched while the picture is flat; "
                    "default: the config's)")
    ap.add_argument("--motion", action="store_true",
                    help="replay the camera's motion gate too (decodes the kept frames): only the frames it "
                         "analyses reach the tracker, as on a live camera; 'frames' is then the analysed ones")
    ap.add_argument("--stationary-iou", type=float, default=None,
                    help="with --motion: the gate's motion.stationary_iou (0 = off; default: the config default)")
    args = ap.parse_args(argv)
    if args.motion and args.degrade:
        ap.error("--motion replays the clip's own pictures: not with --degrade")
    worse = {k: yaml.safe_load(v) for k, v in (kv.split("=", 1) for kv in args.degrade)} or None
    overrides = {k: yaml.safe_load(v) for k, v in (kv.split("=", 1) for kv in args.detector)}
    det_cfg = DetectorConfig(**overrides)
    camera = {"detector": det_cfg.model_dump()} if overrides else None
    if args.active_fps is not None:
        camera = {**(camera or {}), "source": {"active_fps": args.active_fps or None}}
    if args.whole_frame:
        camera = {**(camera or {}), "region_detect": False}
    if args.region_upscale is not None:
        camera = {**(camera or {}), "region_upscale": args.region_upscale}
    if args.stationary_iou is not None:
        camera = {**(camera or {}), "motion": {"stationary_iou": args.stationary_iou}}
    if args.contrast is not None:
        camera = {**(camera or {}), "contrast_boost": args.contrast}
    truth = load_truth()
    names = args.clips or [n for n, s in truth.items() if args.split == "all" or s["split"] == args.split]
    default_cap = SourceConfig(url="x.mp4").fps_cap
    caps = [None, *[f for f in args.fps if f != default_cap]]
    model = DetectorConfig().model
    from pipeline.models import resolve_model

    model_path = resolve_model(model, None)
    results: list[ClipResult] = []
    if overrides:
        print(f"# cameras' own detector: {overrides}", flush=True)
    if worse:
        print(f"# degraded copies: {worse} (the peer is not run on them)", flush=True)
    for name in names:
        spec = on_canvas(truth[name], float((worse or {}).get("canvas", 1.0)))
        t0 = time.time()
        span = clip_span(spec)
        cam = eval_camera(name, spec, camera)
        dets = detect_clip(clip_path(spec), det_cfg, max_frames=span[1] + 1 if span else None, worse=worse,
                           camera=cam, scaled=args.scaled_window)
        for cap in caps:
            results.append(run_citylens(name, spec, dets, cap, camera, motion=args.motion))
            if args.peer and not worse:
                results.append(run_object_counter(name, spec, dets.ts, cap or default_cap, model_path))
        crop, size = detect_window(cam, dets.frame_size, det_cfg.imgsz, scaled=args.scaled_window)
        print(f"# {name}: {time.time() - t0:.0f} s, {dets.frame_size[0]}x{dets.frame_size[1]}, "
              f"detected on {'the whole frame' if crop is None else f'the crop {crop}'} at imgsz {size}", flush=True)
    if args.json:
        print(json.dumps([{"clip": r.clip, "method": r.method, "fps": r.fps, "frames": r.frames, "truth": r.truth,
                           "matched": r.matched, "phantoms": r.phantoms,
                           "lines": {k: vars(v) for k, v in r.per_line.items()}} for r in results], indent=1))
    else:
        print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
