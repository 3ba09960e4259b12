"""Start or join a Ray cluster and place one Detector per box and one CameraWorker per camera on it.

Placement uses a custom resource per box: a real edge box joins with
``ray start --address=HEAD:6379 --resources='{"edge_box:box-a": 100}'``; a single machine simulating
several boxes (the demo, the tests) gives its one node every box's resource.
"""

from __future__ import annotations

import logging
import os
import threading
import time

import ray
from ray.exceptions import RayActorError

from edge_workers.actors import CameraWorker, CaptionerActor, DetectorActor
from citylens.contracts.config import CityConfig
from pipeline.models import MODEL_DIR_ENV, model_dir_from_env, resolve_model
from pipeline.sources._internal import SourceKind, classify
from pipeline.status import CameraStatus
from pipeline.types import HealthState, new_run_id

log = logging.getLogger("citylens.edge")

BOX_RESOURCE = "edge_box:{}"
_ONE_ACTOR = 0.01  # each actor asks a sliver of its box's resource: placement, not capacity accounting

# Restart policy (style.md #4): actors come back after a crash; the detector's calls are retried.
DETECTOR_OPTS = dict(max_restarts=-1, max_task_retries=3, num_cpus=0)
CAMERA_OPTS = dict(max_restarts=5, max_task_retries=0, num_cpus=0, concurrency_groups={"health": 2})
CAPTIONER_OPTS = dict(max_restarts=-1, max_task_retries=2, num_cpus=0)
# A live camera's run is started again after each worker death, up to this many times (then: failed).
MAX_RERUNS = 2 * CAMERA_OPTS["max_restarts"]


# Ray starts every worker process at nice 15 (``RAY_worker_niceness``, so that its GCS and raylet win the CPU
# on a batch cluster). On an edge box the workers *are* the workload: at nice 15 any ordinary process (a log
# shipper, an update, a shell) preempts the cameras and the detector, and real-time cameras drop frames.
# The edge's job asks for nice 0 (relative to the raylet) through its runtime_env, as Ray's own job
# supervisor does; an operator's RAY_worker_niceness in the driver's environment wins.
WORKER_NICENESS_ENV = "RAY_worker_niceness"
WORKER_NICENESS = 0


def edge_runtime_env(local: bool = True) -> dict:
    """The runtime_env of the edge's Ray job: worker niceness; for a local node also offline YOLO and the
    model directory (a joined cluster's boxes keep their own environment)."""
    env = {WORKER_NICENESS_ENV: os.environ.get(WORKER_NICENESS_ENV, str(WORKER_NICENESS))}
    if local:
        env["YOLO_OFFLINE"] = os.environ.get("YOLO_OFFLINE", "1")
        if model_dir_from_env():  # resolve_model's last fallback, for actors started without a model_dir
            env[MODEL_DIR_ENV] = model_dir_from_env()
    return {"env_vars": env}


def init_ray(cfg: CityConfig, address: str | None = None, boxes: list[str] | None = None) -> None:
    """Join ``address`` (or $RAY_ADDRESS); else start a local node that carries every box's resource.

    The local node is always a new one (``address="local"``): a bare ``ray.init()`` would join any Ray instance
    already running on the machine (another citylens run, a `ray start`), which carries neither this run's box
    resources nor its CPU count, and Ray refuses ``num_cpus`` when joining.

    Either way the job's workers (cameras, detectors, captioner) run at ``WORKER_NICENESS`` (``edge_runtime_env``).
    """
    if ray.is_initialized():
        return
    address = address or os.environ.get("RAY_ADDRESS")
    if address:
        ray.init(address=address, log_to_driver=True, runtime_env=edge_runtime_env(local=False))
        return
    names = boxes or [b.name for b in cfg.boxes]
    ray.init(
        address="local",
        resources={BOX_RESOURCE.format(n): 100 for n in names},
        num_cpus=max(2, os.cpu_count() or 2),
        include_dashboard=False,
        log_to_driver=True,
        runtime_env=edge_runtime_env(),
    )


def _runs_again(cam) -> bool:
    """A live feed, or a looped file (an endless feed too), may be run again after its worker is lost; a file read
    once may not: re-reading it from its start would raise its incidents again under new ids."""
    return classify(cam.source.url) is not SourceKind.FILE or bool(cam.source.loop)


def alive_boxes() -> set[str]:
    """Boxes (``edge_box:<name>`` resources) carried by a Ray node that is alive now."""
    out: set[str] = set()
    for node in ray.nodes():
        if node.get("Alive"):
            out |= {k.split(":", 1)[1] for k in node.get("Resources", {}) if k.startswith("edge_box:")}
    return out


class EdgeSupervisor:
    """Spawn and watch the edge actors for the chosen boxes.

    A watcher thread notices a camera worker whose ``run`` died with its process (Ray restarts the actor
    itself, but not the call that was running in it). A *live* camera is simply run again, with a notice
    in its first health event, and the outage is measured (``health()``: ``restarts``, ``last_gap_s``). A
    *file* camera is not: re-reading the file would raise its incidents a second time under new ids, so it
    is reported failed instead (docs/reliability.md).

    The watcher also follows the boxes' Ray nodes. When a box's node is gone, each of its cameras is
    reported ``down`` to the center at once, and live cameras move to a spare box (``boxes[].spare_for``)
    when one is up; without a spare, Ray restarts them when a node with the box's resource returns
    (docs/deployment.md).

    Args:
        cfg: the whole deployment config.
        redis_url: where the cameras publish.
        boxes: the boxes this process runs (default: all of them).
        model_dir: where model names resolve.
        detector_cls: the Detector actor class; tests pass a deliberately slowed double.
        watch_s: how often the watcher looks for dead runs; lower notices a crash sooner.
        ledger_dir: test hook: each camera records what it published there (``edge_workers.ledger``).
        run_id: stamped on every event of this start (default: a new UUIDv7), so one run can be summarised.

    Example:
        >>> sup = EdgeSupervisor(cfg, redis_url="redis://127.0.0.1:6379")  # doctest: +SKIP
        >>> sup.start(); sup.wait(); sup.health()  # doctest: +SKIP
    """

    def __init__(self, cfg: CityConfig, *, redis_url: str, boxes: list[str] | None = None,
                 model_dir: str | None = None, detector_cls: type = DetectorActor, watch_s: float = 0.5,
                 ledger_dir: str | None = None, run_id: str | None = None) -> None:
        self.cfg = cfg
        self.run_id = run_id or new_run_id()
        self.redis_url = redis_url
        self.boxes = boxes or [b.name for b in cfg.boxes]
        unknown = set(self.boxes) - {b.name for b in cfg.boxes}
        if unknown:
            raise ValueError(f"unknown boxes {sorted(unknown)}; the config has {[b.name for b in cfg.boxes]}")
        self.model_dir = model_dir or cfg.models.model_dir  # callers pass Settings.model_dir (env > YAML)
        self.detector_cls = detector_cls
        self.watch_s = watch_s
        self.ledger_dir = ledger_dir
        self.detectors: dict[str, ray.actor.ActorHandle] = {}
        self.workers: dict[str, ray.actor.ActorHandle] = {}
        self.runs: dict[str, ray.ObjectRef] = {}
        self.results: dict[str, CameraStatus] = {}
        self.restarts: dict[str, dict] = {}  # camera id -> {"restarts", "died_at", "last_gap_s"}
        self.captioner = None
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None
        self._awaiting: set[str] = set()  # cameras whose worker died; run again once Ray has restarted it
        self.placement: dict[str, str] = {}  # camera id -> the box its worker runs on now (own box or a spare)
        self._seen_alive: set[str] = set()  # boxes whose Ray node was up at some look (a box not yet joined is not "lost")
        self._lost: set[str] = set()  # boxes whose node is gone
        self._down_publishers: dict[str, object] = {}

    def start(self) -> None:
        cfg = self.cfg
        cams = [c for c in cfg.cameras if c.box in self.boxes]
        if cfg.models.captioner.enabled:
            self.captioner = ray.remote(**CAPTIONER_OPTS)(CaptionerActor).options(name=None).remote(
                cfg.models.captioner, self.model_dir, {c.id: c.name or c.id for c in cfg.cameras})
        for box in self.boxes:
            if self.placement_for(box) == "actor":
                self.detectors[box] = self.spawn_detector(box)
        # Wait for weights to load and the model to have run once before the cameras start, so their first
        # frames are neither timeouts nor dropped while the detector builds its predictor.
        ray.get([d.warmup.remote() for d in self.detectors.values()]
                + ([self.captioner.ready.remote()] if self.captioner else []))
        for cam in cams:
            self._spawn_camera(cam, cam.box)
        self._watcher = threading.Thread(target=self._watch, name="edge-supervisor-watch", daemon=True)
        self._watcher.start()
        log.info("edge started: %d cameras on boxes %s", len(cams), self.boxes)

    def _spawn_camera(self, cam, box: str, notice: str | None = None) -> None:
        """Place ``cam``'s worker on ``box`` (its own, or a spare) with that box's detector and Redis user; run it."""
        cfg = self.cfg
        worker = ray.remote(**CAMERA_OPTS)(CameraWorker).options(
            resources={BOX_RESOURCE.format(box): _ONE_ACTOR}).remote(
            cam, box=box, timezone=cfg.timezone, redis_url=cfg.redis_url_for(box, self.redis_url),
            redis_cfg=cfg.redis, detector=self.detectors.get(box), captioner=self.captioner,
            models=self.models_for(box),
            plate_detector=cfg.models.plate_detector if "plates" in cam.privacy_blur else None,
            model_dir=self.model_dir, ledger_dir=self.ledger_dir, run_id=self.run_id,
            detector_imgsz=cfg.detector_for(box).imgsz,
            box_detector=cfg.detector_for(box) if self.placement_for(box) == "in_process" else None)
        with self._lock:
            self.workers[cam.id] = worker
            self.placement[cam.id] = box
            self.runs[cam.id] = worker.run.remote(notice=notice) if notice else worker.run.remote()

    def placement_for(self, box: str) -> str:
        """Where ``box``'s detector runs: ``"actor"`` (one batching Detector actor) or ``"in_process"`` (a copy in
        each camera actor). ``auto`` (``DetectorConfig.placement``): in-process for the onnx backend on a box
        without GPUs (bench edge: more cameras per CPU box, docs/benchmarks.md), the actor otherwise (a GPU
        wants the frames of all cameras in its batches; an ultralytics/torch copy per camera would load torch
        in every camera process). A test's own ``detector_cls`` (a slowed double) always gets its actor."""
        det = self.cfg.detector_for(box)
        if det.placement != "auto":
            return det.placement
        cpu_onnx = det.backend == "onnx" and self.cfg.box(box).num_gpus == 0 and det.device in ("auto", "cpu")
        return "in_process" if cpu_onnx and self.detector_cls is DetectorActor else "actor"

    def models_for(self, box: str) -> dict[str, str]:
        """The model names stamped on the incidents of ``box``'s cameras: that box's own detector."""
        det = self.cfg.detector_for(box)
        return {"detector": os.path.basename(resolve_model(det.model, self.model_dir)), "detector_backend": det.backend}

    def spawn_detector(self, box: str):
        """The box's Detector actor, placed on the box and given the box's GPUs (``boxes[].num_gpus``).

        Ray hides CUDA from an actor that did not ask for a GPU (``CUDA_VISIBLE_DEVICES=""``), so without the
        request ``device: auto`` silently runs on the CPU of a GPU box.
        """
        gpus = self.cfg.box(box).num_gpus
        if gpus > 0 and ray.cluster_resources().get("GPU", 0) < gpus:
            raise RuntimeError(f"box {box!r} asks num_gpus={gpus:g} but the Ray cluster has "
                               f"{ray.cluster_resources().get('GPU', 0):g} GPU(s); set boxes[].num_gpus: 0 or add the GPU node")
        threads = max(1, (os.cpu_count() or 2) // max(1, len(self.boxes)))
        return ray.remote(**DETECTOR_OPTS)(self.detector_cls).options(
            num_gpus=gpus, resources={BOX_RESOURCE.format(box): _ONE_ACTOR},
        ).remote(self.cfg.detector_for(box), self.model_dir, threads)

    def health(self) -> list[CameraStatus]:
        out = []
        for cam_id, w in self.workers.items():
            try:
                h = ray.get(w.check_health.remote(), timeout=5)
            except Exception as e:  # a dead or restarting actor is itself a health fact
                h = CameraStatus(camera_id=cam_id, box=self.cfg.camera(cam_id).box, state=HealthState.UNREACHABLE,
                                 error=str(e).splitlines()[0])
            with self._lock:
                info = self.restarts.get(cam_id, {})
                update = {"restarts": info.get("restarts", 0), "last_gap_s": info.get("last_gap_s")}
                result = self.results.get(cam_id)
                if result is not None and result.state == HealthState.FAILED:
                    update.update(state=HealthState.FAILED, error=result.error)
            out.append(h.model_copy(update=update))
        return out

    def done(self) -> bool:
        self.reap()
        with self._lock:
            return len(self.results) == len(self.runs)

    def wait(self, timeout: float | None = None, poll_s: float = 2.0) -> dict[str, CameraStatus]:
        """Block until every camera's run ends (files) or ``timeout``; return their final stats."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.done():
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"cameras still running after {timeout} s: {self.health()}")
            time.sleep(poll_s)
        return dict(self.results)

    def reap(self) -> None:
        """Collect finished runs; run a live camera again when its worker died (Ray restarted the actor)."""
        with self._lock:
            pending = {cid: ref for cid, ref in self.runs.items() if cid not in self.results and cid not in self._awaiting}
            if not pending:
                return
            ready, _ = ray.wait(list(pending.values()), num_returns=len(pending), timeout=0)
            ready_set = set(ready)
            for cam_id, ref in pending.items():
                if ref not in ready_set:
                    continue
                try:
                    self.results[cam_id] = ray.get(ref)
                except RayActorError as e:
                    self._worker_died(cam_id, e)
                except Exception as e:  # noqa: BLE001 - a broken run is a result, reported, not a supervisor crash
                    self.results[cam_id] = self._ended(cam_id, HealthState.FAILED, str(e).splitlines()[0])

    def stop(self, timeout_s: float = 15.0) -> None:
        """Stop the cameras, let them close their incidents and flush, then release every actor."""
        self._stopping.set()
        for w in self.workers.values():
            try:
                ray.get(w.stop.remote(), timeout=5)
            except Exception:  # noqa: BLE001 - already dead: nothing to stop
                pass
        if self._watcher is not None:
            self._watcher.join(timeout=5)
        runs = [r for cid, r in self.runs.items() if cid not in self.results]
        if runs:
            ray.wait(runs, num_returns=len(runs), timeout=timeout_s)
        for a in [*self.workers.values(), *self.detectors.values(), *([self.captioner] if self.captioner else [])]:
            try:
                ray.kill(a, no_restart=True)
            except Exception:  # noqa: BLE001
                pass

    # ---------------------------------------------------------------------------------------- internals
    def _ended(self, cam_id: str, state: HealthState, error: str) -> CameraStatus:
        """The result of a run that returned no status of its own (its worker died or it raised)."""
        return CameraStatus(camera_id=cam_id, box=self.cfg.camera(cam_id).box, state=state, error=error)

    def _watch(self) -> None:
        while not self._stopping.wait(self.watch_s):
            try:  # its own guard: a Ray state hiccup here must not skip collecting runs this round
                self._check_boxes()
            except Exception:  # noqa: BLE001
                log.exception("edge supervisor: box check failed")
            try:
                self.reap()
                self._rerun_restarted()
                self._measure_gaps()
            except Exception:  # noqa: BLE001 - the watcher must outlive a Ray hiccup
                log.exception("edge supervisor: watch round failed")

    def _check_boxes(self) -> None:
        """Notice a box whose Ray node is gone: report its cameras down, move live ones to a spare box."""
        alive = alive_boxes()
        self._seen_alive |= alive
        with self._lock:
            used = set(self.placement.values())
        lost = {b for b in used if b in self._seen_alive and b not in alive}
        for box in sorted(lost - self._lost):
            self._box_lost(box, alive)
        self._lost = lost

    def _box_lost(self, box: str, alive: set[str]) -> None:
        with self._lock:
            cams = [cid for cid, b in self.placement.items()
                    if b == box and (cid not in self.results or self.results[cid].state != HealthState.ENDED)]
        spare = next((b for b in self.cfg.spares_for(box) if b in alive and b in self.boxes), None)
        log.error("box %s: its Ray node is gone (cameras %s); %s", box, cams,
                  f"moving live cameras to spare box {spare}" if spare else "no spare box up: waiting for it to return")
        for cam_id in cams:
            cam = self.cfg.camera(cam_id)
            moving = spare is not None and _runs_again(cam)
            self._publish_down(cam_id, box, f"box {box}: its Ray node is gone" + (f"; moving to spare box {spare}"
                                                                                   if moving else ""))
            if not moving:
                continue  # a file would be re-read from its start (duplicate incidents); no spare: Ray restarts it later
            try:
                ray.kill(self.workers[cam_id], no_restart=True)
            except Exception:  # noqa: BLE001 - already gone with its node
                pass
            with self._lock:
                self._awaiting.discard(cam_id)
                self.results.pop(cam_id, None)
                info = self.restarts.setdefault(cam_id, {"restarts": 0, "died_at": None, "last_gap_s": None})
                info["died_at"] = info["died_at"] or time.time()
                if spare not in self.detectors and self.placement_for(spare) == "actor":
                    self.detectors[spare] = self.spawn_detector(spare)
            self._spawn_camera(cam, spare, notice=f"moved from box {box} (Ray node lost) to spare box {spare}")

    def _publish_down(self, cam_id: str, box: str, reason: str) -> None:
        """Tell the center at once (with the lost box's Redis user) instead of letting its health go stale."""
        from edge_workers.bus import Publisher
        from pipeline.types import HealthEvent, utcnow

        try:
            pub = self._down_publishers.get(box)
            if pub is None:
                pub = self._down_publishers[box] = Publisher(
                    self.cfg.redis_url_for(box, self.redis_url), maxlen=self.cfg.redis.maxlen,
                    spool_dir=os.path.join(self.cfg.redis.spool_dir, "supervisor"), spool_max_bytes=1 << 20,
                    source=f"{box}/supervisor", timeout_s=2.0)
            pub.publish(HealthEvent(camera_id=cam_id, box=box, state=HealthState.DOWN, ts=utcnow(), error=reason,
                                    run_id=self.run_id))
        except Exception:  # noqa: BLE001 - the center's staleness check reports it down anyway
            log.exception("camera %s: could not publish its down state", cam_id)

    def _worker_died(self, cam_id: str, err: Exception) -> None:
        cam = self.cfg.camera(cam_id)
        info = self.restarts.setdefault(cam_id, {"restarts": 0, "died_at": None, "last_gap_s": None})
        reason = str(err).splitlines()[0][:200]
        if self._stopping.is_set():
            self.results[cam_id] = self._ended(cam_id, HealthState.STOPPED, reason)
            return
        if not _runs_again(cam):
            msg = (f"camera {cam_id}: worker died mid-file ({reason}); not replayed, because re-reading "
                   f"{cam.source.url} would raise its incidents again under new ids")
            log.error(msg)
            self.results[cam_id] = self._ended(cam_id, HealthState.FAILED, msg)
            return
        if info["restarts"] >= MAX_RERUNS:
            log.error("camera %s: worker died %d times; giving up (%s)", cam_id, info["restarts"], reason)
            self.results[cam_id] = self._ended(cam_id, HealthState.FAILED, reason)
            return
        info["restarts"] += 1
        info["died_at"] = info["died_at"] or time.time()
        log.warning("camera %s: worker died (%s); will run it again once Ray restarted it (restart %d)",
                    cam_id, reason, info["restarts"])
        self._awaiting.add(cam_id)

    def _rerun_restarted(self) -> None:
        """Run again the cameras whose actor is back (a call made while it restarts would just fail)."""
        for cam_id in list(self._awaiting):
            try:
                ray.get(self.workers[cam_id].check_health.remote(), timeout=1)
            except RayActorError as e:
                if "restarting" in str(e) or "unavailable" in str(e):
                    continue
                with self._lock:  # restarts exhausted: the actor is gone for good
                    self._awaiting.discard(cam_id)
                    self.results[cam_id] = self._ended(cam_id, HealthState.FAILED, str(e).splitlines()[0])
                continue
            except Exception:  # noqa: BLE001 - still coming up (timeout)
                continue
            with self._lock:
                self._awaiting.discard(cam_id)
                n = self.restarts[cam_id]["restarts"]
                self.runs[cam_id] = self.workers[cam_id].run.remote(
                    notice=f"camera worker restarted after a crash (restart {n})")

    def _measure_gaps(self) -> None:
        """For a restarted camera, the gap ends when its new incarnation has processed a frame."""
        with self._lock:
            waiting = {cid: i for cid, i in self.restarts.items() if i["died_at"] is not None and cid not in self._awaiting}
        for cam_id, info in waiting.items():
            try:
                h = ray.get(self.workers[cam_id].check_health.remote(), timeout=1)
            except Exception:  # noqa: BLE001 - still restarting
                continue
            if h.frames_processed > 0:
                with self._lock:
                    info["last_gap_s"] = round(time.time() - info["died_at"], 2)
                    info["died_at"] = None
                log.warning("camera %s: streaming again %.1fs after its worker died", cam_id, info["last_gap_s"])
