"""Ray actor shells around pipeline classes: Detector (one per box), Captioner, CameraWorker (one per camera).

Classes here are plain; ``ray.remote(**opts)(Cls)`` is applied at the spawn site (``supervisor.py``) with the
restart policy and placement in that dict. Weights load inside ``__init__``, never from a captured closure.
"""

from __future__ import annotations

import asyncio
import logging
import os

import ray
from ray.exceptions import GetTimeoutError, RayActorError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    retry_if_result,
    stop_after_delay,
    stop_any,
    wait_exponential,
    wait_fixed,
)

from edge_workers.batching import AsyncBatcher
from edge_workers.ledger import PublishLedger, ledger_path
from pipeline.camera import CameraDeps, CameraPipeline
from citylens.contracts import IncidentEvent
from citylens.contracts.config import CameraConfig, CaptionerConfig, DetectorConfig, RedisConfig
from pipeline.caption import Caption, CaptionRequest
from pipeline.detect import fit_to_detector, unfit_detections
from pipeline.status import CameraStatus, PublisherStats
from pipeline.types import Detections, Frame

log = logging.getLogger("citylens.edge")

# ActorUnavailableError (Ray >= 2.10) is what a call to a restarting actor raises; older Rays raise RayActorError.
_DETECTOR_DOWN = (RayActorError, GetTimeoutError, getattr(ray.exceptions, "ActorUnavailableError", RayActorError))
# A detect call that takes longer than this is treated as lost (actor hung or died without telling us).
DETECT_TIMEOUT_S = 120.0
# After its source ended, how long a camera keeps trying to hand its spooled events to Redis.
SPOOL_DRAIN_S = 300.0


class DetectorActor:
    """One detector per edge box; batches frames of all the box's cameras (async actor)."""

    def __init__(self, cfg: DetectorConfig, model_dir: str | None, threads: int | None = None) -> None:
        if threads and cfg.threads is None:
            os.environ.setdefault("OMP_NUM_THREADS", str(threads))
            cfg = cfg.model_copy(update={"threads": threads})
        from pipeline.detect import build_detector

        self.cfg = cfg
        self.detector = build_detector(cfg, model_dir)
        self.batcher = AsyncBatcher(self.detector.detect, max_batch=cfg.max_batch, timeout_s=cfg.batch_timeout_ms / 1000)

    async def detect(self, frame: Frame) -> Detections:
        return await self.batcher.submit(frame)

    async def stats(self) -> dict:
        """Batching counters, the model, and where it runs: ``device`` as loaded, ``gpus`` as Ray assigned them,
        ``pid`` (its process: CPU time and niceness are read from outside)."""
        return {"batches": self.batcher.batches, "frames": self.batcher.items, "busy_s": self.batcher.busy_s,
                "queued": self.batcher.queued,
                "model": self.detector.model_name, "backend": self.detector.backend, "device": self.detector.device,
                "gpus": ray.get_runtime_context().get_assigned_resources().get("GPU", 0.0),
                "gpu_ids": [str(g) for g in ray.get_gpu_ids()], "pid": os.getpid()}

    async def ready(self) -> bool:
        return True

    async def warmup(self, shapes: list[tuple[int, int]] | None = None) -> float:
        """Run the model once on a blank frame of each (height, width) before any camera sends one; returns
        the seconds it took. The first call is the slow one (ultralytics builds its predictor and fuses the
        model, onnxruntime and torch plan the shape): without this, a real-time camera's first frames wait
        for it and are dropped. Default shape: a 16:9 frame at the detector's ``imgsz`` (what cameras ship
        after ``fit_to_detector``). Not counted in ``stats()``."""
        import time

        import numpy as np

        shapes = shapes or [(round(self.cfg.imgsz * 9 / 16), self.cfg.imgsz)]
        frames = [Frame(camera_id="warmup", frame_id=i, ts=0.0, image=np.full((h, w, 3), 114, np.uint8))
                  for i, (h, w) in enumerate(shapes)]
        t0 = time.perf_counter()
        await asyncio.to_thread(self.detector.detect, frames)
        return time.perf_counter() - t0


class CaptionerActor:
    """Captions opened incidents; falls back to the template caption on timeout or error (async actor)."""

    def __init__(self, cfg: CaptionerConfig, model_dir: str | None, camera_names: dict[str, str]) -> None:
        from pipeline.caption import TemplateCaptioner, build_captioner

        self.cfg = cfg
        self.camera_names = camera_names
        self.template = TemplateCaptioner()
        self.captioner = build_captioner(cfg, model_dir)
        self.batcher = AsyncBatcher(self.captioner.caption, max_batch=cfg.max_batch, timeout_s=0.05)

    async def caption(self, ev: IncidentEvent) -> Caption:
        req = CaptionRequest.from_incident(ev, self.camera_names.get(ev.camera_id, ev.camera_id))
        try:
            cap = await asyncio.wait_for(self.batcher.submit(req), self.cfg.timeout_s)
        except Exception as e:  # slow or broken VLM: the template never fails, and says so in caption_source
            log.warning("caption for incident %s fell back to the template: %s", ev.id, e or type(e).__name__)
            cap = self.template.caption([req])[0]
        return cap

    async def stats(self) -> dict:
        return {"batches": self.batcher.batches, "captions": self.batcher.items, "busy_s": self.batcher.busy_s,
                "queued": self.batcher.queued,
                "model": getattr(self.captioner, "model_name", None) or type(self.captioner).__name__}

    async def ready(self) -> bool:
        return True


class CameraWorker:
    """Ray shell around one ``CameraPipeline``: its detector is the box's Detector actor, its publisher Redis.

    Args:
        camera: the camera's config slice.
        box / timezone: stamped on events / used by rule schedules.
        redis_url / redis_cfg: where and how to publish (spool while Redis is down).
        detector: the box's ``DetectorActor`` handle; captioner: the ``CaptionerActor`` handle or None.
        models: the box's model names, stamped on every incident.
        plate_detector / model_dir: a plate model loaded in this actor (privacy blur on evidence frames only).
        ledger_dir: test hook: record every accepted event in ``<ledger_dir>/<camera>/ledger.jsonl``.
        run_id: stamped on every event this camera publishes.
        detector_imgsz: the box detector's input size: frames are shrunk to it here, before they travel to
            the Detector actor (``pipeline.detect.fit_to_detector``); None ships them whole.
        box_detector: the box's detector settings when it runs in this process (``placement: in_process``):
            loaded and warmed here, one inference thread, ``detector`` unused; None = the Detector actor.
    """

    def __init__(self, camera: CameraConfig, *, box: str, timezone: str, redis_url: str, redis_cfg: RedisConfig,
                 detector, captioner=None, models: dict[str, str] | None = None,
                 plate_detector: DetectorConfig | None = None, model_dir: str | None = None,
                 ledger_dir: str | None = None, run_id: str | None = None, detector_imgsz: int | None = None,
                 box_detector: DetectorConfig | None = None) -> None:
        from edge_workers.bus import Publisher

        self.camera_id = camera.id
        self.detector = detector
        self.detector_imgsz = detector_imgsz
        self.detect_retries = 0
        self.ledger = PublishLedger(ledger_path(ledger_dir, camera.id)) if ledger_dir else None
        self.publisher = Publisher(
            redis_url, maxlen=redis_cfg.maxlen, spool_dir=os.path.join(redis_cfg.spool_dir, camera.id),
            spool_max_bytes=redis_cfg.spool_max_bytes, source=f"{box}/{camera.id}",
            signing_key=os.environ.get("CITYLENS_EDGE_KEY", "").encode() or None,  # this box's key; see docs/security.md
        )
        # A camera with its own detector settings (docs/tuning.md) runs them here; the rest share the box's.
        own = _camera_detect(camera.detector, model_dir) if camera.detector is not None else None
        detect_at = None
        if own is None and box_detector is not None:  # placement: in_process (supervisor.placement_for)
            own, detect_at = in_process_detect(box_detector, model_dir, sized=True)
        deps = CameraDeps(
            detect=own or self._detect,
            detect_at=detect_at,
            publish=self.publisher.publish,
            caption_start=(lambda ev: captioner.caption.remote(ev)) if captioner is not None else None,
            caption_poll=_ray_poll if captioner is not None else None,
            models={**(models or {}), **({"detector": camera.detector.model} if camera.detector is not None else {})},
            on_published=self.ledger.record if self.ledger is not None else None,
            plate_detect=_local_detect(plate_detector, model_dir) if plate_detector is not None else None,
            run_id=run_id,
            detect_imgsz=(camera.detector or box_detector).imgsz if own is not None else detector_imgsz,
        )
        self.pipeline = CameraPipeline(camera, deps, box=box, timezone=timezone)

    def run(self, notice: str | None = None) -> CameraStatus:
        self.pipeline.run(notice)
        self._drain_spool()
        return self.check_health()

    @ray.method(concurrency_group="health")
    def check_health(self) -> CameraStatus:
        return self.pipeline.status().model_copy(
            update={"publisher": PublisherStats(**self.publisher.stats()), "detect_retries": self.detect_retries,
                    "node_id": ray.get_runtime_context().get_node_id()})

    @ray.method(concurrency_group="health")
    def reconfigure(self, camera: CameraConfig) -> None:
        """New zones, lines and rules: applied between two frames; the old rules' open incidents are closed."""
        self.pipeline.request_reconfigure(camera)

    @ray.method(concurrency_group="health")
    def stop(self) -> None:
        self.pipeline.stop()

    def _drain_spool(self) -> None:
        """A file camera that ended during a Redis outage has no later event to carry its spool out: keep
        flushing until Redis is back, ``SPOOL_DRAIN_S`` passes or ``stop()`` (what is left stays on disk and
        goes out with the next run on this box)."""
        drain = Retrying(retry=retry_if_result(lambda empty: not empty), wait=wait_fixed(0.5), retry_error_callback=lambda _: False,
                         stop=stop_any(stop_after_delay(SPOOL_DRAIN_S), lambda _: self.pipeline.stopping))
        if not drain(self.publisher.flush):
            left = self.publisher.stats()["spool_pending"]
            log.error("camera %s: %d events still spooled at the end of the run (Redis unreachable)", self.camera_id, left)

    def _detect(self, frame: Frame) -> Detections:
        """Detect through the box's Detector; while it is down (restarting), wait and retry, never crash.

        Ray retries calls in flight when the actor dies (``max_task_retries``), but a call made while it is
        restarting, or one whose retries ran out, raises here. The camera then backs off (0.2 s doubling,
        capped at 5 s) and tries again until ``stop()``: live frames meanwhile drop at the source buffer
        (counted), fast file reads wait.
        """
        retrying = Retrying(retry=retry_if_exception_type(_DETECTOR_DOWN), wait=wait_exponential(multiplier=0.2, max=5.0),
                            stop=lambda _: self.pipeline.stopping, before_sleep=self._detector_down, reraise=True)
        small, r = fit_to_detector(frame, self.detector_imgsz) if self.detector_imgsz else (frame, 1.0)
        det = retrying(lambda: ray.get(self.detector.detect.remote(small), timeout=DETECT_TIMEOUT_S))
        return unfit_detections(det, r, frame.shape)

    def _detector_down(self, state: RetryCallState) -> None:
        self.detect_retries += 1
        log.warning("camera %s: detector unavailable (%s); retrying in %.1fs", self.camera_id,
                    str(state.outcome.exception()).splitlines()[0][:200], state.next_action.sleep)


def _ray_poll(jobs: list, timeout: float) -> list[tuple[object, Caption | None]]:
    ready, _ = ray.wait(jobs, num_returns=len(jobs), timeout=timeout)
    out = []
    for ref in ready:
        try:
            out.append((ref, ray.get(ref)))
        except Exception as e:  # a dead captioner must not stop the camera; the incident stays uncaptioned
            log.warning("caption job failed: %s", e)
            out.append((ref, None))
    return out


def _camera_detect(cfg: DetectorConfig, model_dir: str | None):
    """A camera's own detector (model, input size, slicing, class map, per-class score), loaded in its actor."""
    import numpy as np

    from pipeline.detect_camera import CameraDetector

    det = CameraDetector(cfg, model_dir)
    # run it once before the camera's first frame, as the supervisor warms the box's detector (DetectorActor.warmup)
    det.detect([Frame(camera_id="warmup", frame_id=0, ts=0.0,
                      image=np.full((round(cfg.imgsz * 9 / 16), cfg.imgsz, 3), 114, np.uint8))])
    return lambda frame: det.detect([frame])[0]


def in_process_detect(cfg: DetectorConfig, model_dir: str | None, sized: bool = False):
    """The box's detector loaded in this (camera) process, for ``placement: in_process``: the same model and
    settings as the Detector actor, one frame per call, no Ray trip, no batching, and one inference thread
    unless ``threads`` says otherwise (every camera process runs its own copy: more threads per copy would
    only fight over the box's few cores). Warmed once on a blank frame, as ``DetectorActor.warmup`` does.

    ``sized``: return ``(detect, detect_at)``, ``detect_at(frame, imgsz)`` running the same model at another
    input size (``CameraDeps.detect_at``: the camera's window at the whole frame's scale), None when the
    backend cannot."""
    import numpy as np

    from pipeline.detect import build_detector

    limit_threads(cfg.threads or 1)
    det = build_detector(cfg.model_copy(update={"threads": cfg.threads or 1, "max_batch": 1}), model_dir)
    det.detect([Frame(camera_id="warmup", frame_id=0, ts=0.0,
                      image=np.full((round(cfg.imgsz * 9 / 16), cfg.imgsz, 3), 114, np.uint8))])
    detect = lambda frame: det.detect([frame])[0]  # noqa: E731
    if not sized:
        return detect
    at = (lambda frame, imgsz: det.detect([frame], imgsz=imgsz)[0]) if getattr(det, "sizes_per_call", False) else None
    return detect, at


def limit_threads(n: int) -> None:
    """Cap this process's compute threads at ``n``: OpenCV's own pool (resize, colour conversion) and, for
    libraries loaded after this call, OpenMP/BLAS. Several camera processes on a small box each get a share
    instead of each spinning up a pool the size of the machine."""
    import cv2

    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, str(n))
    cv2.setNumThreads(n)


def _local_detect(cfg: DetectorConfig, model_dir: str | None):
    """A detector loaded in this actor (plates: run on evidence frames only, so it is not worth batching)."""
    from pipeline.detect import build_detector

    det = build_detector(cfg, model_dir)
    return lambda frame: det.detect([frame])[0]
