"""Start or join a Ray cluster and place one Detector per box and one CameraWorker per camera on it.

Placement uses a custom resource per box: a real edge box joins with
``ray start --address=HEAD:6379 --resources='{"edge_box:box-a": 100}'``; a single machine simulating
several boxes (the demo, the tests) gives its one node every box's resource.
"""

from __future__ import annotations

import logging
import os
import time

import ray

from edge_workers.actors import CameraWorker, CaptionerActor, DetectorActor
from pipeline.config import CityConfig
from pipeline.models import resolve_model

log = logging.getLogger("citylens.edge")

BOX_RESOURCE = "edge_box:{}"
_ONE_ACTOR = 0.01  # each actor asks a sliver of its box's resource: placement, not capacity accounting

# Restart policy (style.md #4): actors come back after a crash; the detector's calls are retried.
DETECTOR_OPTS = dict(max_restarts=-1, max_task_retries=3, num_cpus=0)
CAMERA_OPTS = dict(max_restarts=5, max_task_retries=0, num_cpus=0, concurrency_groups={"health": 2})
CAPTIONER_OPTS = dict(max_restarts=-1, max_task_retries=2, num_cpus=0)


def init_ray(cfg: CityConfig, address: str | None = None, boxes: list[str] | None = None) -> None:
    """Join ``address`` (or $RAY_ADDRESS); else start a local node that carries every box's resource."""
    if ray.is_initialized():
        return
    address = address or os.environ.get("RAY_ADDRESS")
    if address:
        ray.init(address=address, log_to_driver=True)
        return
    names = boxes or [b.name for b in cfg.boxes]
    ray.init(
        resources={BOX_RESOURCE.format(n): 100 for n in names},
        num_cpus=max(2, os.cpu_count() or 2),
        include_dashboard=False,
        log_to_driver=True,
        runtime_env={"env_vars": {"YOLO_OFFLINE": os.environ.get("YOLO_OFFLINE", "1"),
                                  **({"CITYLENS_MODEL_DIR": os.environ["CITYLENS_MODEL_DIR"]}
                                     if os.environ.get("CITYLENS_MODEL_DIR") else {})}},
    )


class EdgeSupervisor:
    """Spawn and watch the edge actors for the chosen boxes.

    Example:
        >>> sup = EdgeSupervisor(cfg, redis_url="redis://127.0.0.1:6379")  # doctest: +SKIP
        >>> sup.start(); sup.wait(); sup.health()  # doctest: +SKIP
    """

    def __init__(self, cfg: CityConfig, *, redis_url: str, boxes: list[str] | None = None,
                 model_dir: str | None = None) -> None:
        self.cfg = cfg
        self.redis_url = redis_url
        self.boxes = boxes or [b.name for b in cfg.boxes]
        unknown = set(self.boxes) - {b.name for b in cfg.boxes}
        if unknown:
            raise ValueError(f"unknown boxes {sorted(unknown)}; the config has {[b.name for b in cfg.boxes]}")
        self.model_dir = model_dir or cfg.models.model_dir or os.environ.get("CITYLENS_MODEL_DIR")
        self.detectors: dict[str, ray.actor.ActorHandle] = {}
        self.workers: dict[str, ray.actor.ActorHandle] = {}
        self.runs: dict[str, ray.ObjectRef] = {}
        self.results: dict[str, dict] = {}
        self.captioner = None

    def start(self) -> None:
        cfg = self.cfg
        det_cfg = cfg.models.detector
        cams = [c for c in cfg.cameras if c.box in self.boxes]
        threads = max(1, (os.cpu_count() or 2) // max(1, len(self.boxes)))
        models = {"detector": os.path.basename(resolve_model(det_cfg.model, self.model_dir)),
                  "detector_backend": det_cfg.backend}
        if cfg.models.captioner.enabled:
            self.captioner = ray.remote(**CAPTIONER_OPTS)(CaptionerActor).options(name=None).remote(
                cfg.models.captioner, self.model_dir, {c.id: c.name or c.id for c in cfg.cameras})
        for box in self.boxes:
            self.detectors[box] = ray.remote(**DETECTOR_OPTS)(DetectorActor).options(
                resources={BOX_RESOURCE.format(box): _ONE_ACTOR}).remote(det_cfg, self.model_dir, threads)
        # Wait for weights to load before the cameras start, so the first frames are not all timeouts.
        ray.get([d.ready.remote() for d in self.detectors.values()]
                + ([self.captioner.ready.remote()] if self.captioner else []))
        for cam in cams:
            worker = ray.remote(**CAMERA_OPTS)(CameraWorker).options(
                resources={BOX_RESOURCE.format(cam.box): _ONE_ACTOR}).remote(
                cam, box=cam.box, timezone=cfg.timezone, redis_url=self.redis_url, redis_cfg=cfg.redis,
                detector=self.detectors[cam.box], captioner=self.captioner, models=models)
            self.workers[cam.id] = worker
            self.runs[cam.id] = worker.run.remote()
        log.info("edge started: %d cameras on boxes %s", len(cams), self.boxes)

    def health(self) -> list[dict]:
        out = []
        for cam_id, w in self.workers.items():
            try:
                out.append(ray.get(w.check_health.remote(), timeout=5))
            except Exception as e:  # a dead or restarting actor is itself a health fact
                out.append({"camera_id": cam_id, "state": "unreachable", "error": str(e).splitlines()[0]})
        return out

    def done(self) -> bool:
        ready, _ = ray.wait(list(self.runs.values()), num_returns=len(self.runs), timeout=0)
        return len(ready) == len(self.runs)

    def wait(self, timeout: float | None = None, poll_s: float = 2.0) -> dict[str, dict]:
        """Block until every camera's run ends (files) or ``timeout``; return their final stats."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.done():
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"cameras still running after {timeout} s: {self.health()}")
            time.sleep(poll_s)
        for cam_id, ref in self.runs.items():
            try:
                self.results[cam_id] = ray.get(ref)
            except Exception as e:
                self.results[cam_id] = {"camera_id": cam_id, "state": "failed", "error": str(e).splitlines()[0]}
        return self.results

    def stop(self) -> None:
        for w in self.workers.values():
            try:
                ray.get(w.stop.remote(), timeout=5)
            except Exception:
                pass
