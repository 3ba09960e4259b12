"""The edge supervisor's wiring to Ray and to the cameras: GPU requests and per-box model names."""

from __future__ import annotations

import pytest

from edge_workers.supervisor import BOX_RESOURCE, EdgeSupervisor
from pipeline.config import parse_config


def _cfg(**box_b):
    return parse_config({
        "boxes": [{"name": "box-a"}, {"name": "box-b", **box_b}],
        "cameras": [{"id": "a", "box": "box-a", "source": {"url": "a.mp4"}},
                    {"id": "b", "box": "box-b", "source": {"url": "b.mp4"}}],
        "models": {"detector": {"model": "yolov8n.pt"}},
    }, "test")


def test_incidents_of_a_box_are_stamped_with_that_boxs_own_detector():
    cfg = _cfg(detector={"model": "yolov8n-lean.onnx", "backend": "onnx"})
    sup = EdgeSupervisor(cfg, redis_url="redis://unused", model_dir=None)
    assert sup.models_for("box-a") == {"detector": "yolov8n.pt", "detector_backend": "ultralytics"}
    assert sup.models_for("box-b") == {"detector": "yolov8n-lean.onnx", "detector_backend": "onnx"}


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_the_detector_of_a_gpu_box_asks_ray_for_its_gpus():
    """A local Ray node with one (fake) GPU: the box's detector is assigned it; a CPU box's detector is not."""
    import ray

    ray.init(address="local", num_cpus=2, num_gpus=1, include_dashboard=False, log_to_driver=False,
             resources={BOX_RESOURCE.format("box-a"): 100, BOX_RESOURCE.format("box-b"): 100})
    try:
        sup = EdgeSupervisor(_cfg(num_gpus=0.5), redis_url="redis://unused")
        on_gpu, on_cpu = sup.spawn_detector("box-b"), sup.spawn_detector("box-a")
        gpu_stats, cpu_stats = ray.get([on_gpu.stats.remote(), on_cpu.stats.remote()], timeout=120)
        assert gpu_stats["gpus"] == 0.5 and gpu_stats["gpu_ids"] == ["0"]
        assert cpu_stats["gpus"] == 0.0 and cpu_stats["gpu_ids"] == []
    finally:
        ray.shutdown()


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_a_box_asking_for_more_gpus_than_the_cluster_has_is_refused_clearly():
    import ray

    ray.init(address="local", num_cpus=1, num_gpus=0, include_dashboard=False, log_to_driver=False,
             resources={BOX_RESOURCE.format("box-b"): 100})
    try:
        with pytest.raises(RuntimeError, match="box 'box-b' asks num_gpus=1 but the Ray cluster has 0 GPU"):
            EdgeSupervisor(_cfg(num_gpus=1), redis_url="redis://unused").spawn_detector("box-b")
    finally:
        ray.shutdown()


def test_the_edge_job_asks_ray_for_workers_at_normal_priority(monkeypatch):
    from edge_workers.supervisor import WORKER_NICENESS, WORKER_NICENESS_ENV, edge_runtime_env

    monkeypatch.delenv(WORKER_NICENESS_ENV, raising=False)
    assert WORKER_NICENESS == 0 and edge_runtime_env()["env_vars"][WORKER_NICENESS_ENV] == "0"
    assert edge_runtime_env(local=False) == {"env_vars": {WORKER_NICENESS_ENV: "0"}}  # a joined cluster's boxes keep their env
    monkeypatch.setenv(WORKER_NICENESS_ENV, "5")  # the operator's choice wins
    assert edge_runtime_env()["env_vars"][WORKER_NICENESS_ENV] == "5"


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_edge_actors_run_at_the_drivers_niceness_not_rays_15(monkeypatch):
    """Real Ray, started by init_ray: the box's Detector actor (a Ray worker process) runs at the driver's
    niceness + WORKER_NICENESS, not at Ray's default +15; warmup() runs the model before any camera and is
    not counted as detected frames."""
    import os

    import psutil
    import ray

    from edge_workers.supervisor import WORKER_NICENESS, WORKER_NICENESS_ENV, init_ray

    monkeypatch.delenv(WORKER_NICENESS_ENV, raising=False)
    cfg = parse_config({"boxes": [{"name": "box-a"}], "cameras": [{"id": "a", "box": "box-a", "source": {"url": "a.mp4"}}],
                        "models": {"detector": {"model": "yolov8n.pt", "imgsz": 160}}}, "test")
    init_ray(cfg)
    try:
        det = EdgeSupervisor(cfg, redis_url="redis://unused").spawn_detector("box-a")
        assert ray.get(det.warmup.remote(), timeout=120) > 0
        stats = ray.get(det.stats.remote(), timeout=30)
        assert psutil.Process(stats["pid"]).nice() == os.nice(0) + WORKER_NICENESS == psutil.Process().nice()
        assert (stats["frames"], stats["batches"]) == (0, 0)
    finally:
        ray.shutdown()


def test_the_box_detector_runs_in_the_camera_processes_only_for_onnx_on_a_cpu_box():
    """placement auto: in-process for onnx without GPUs (bench edge), the batching actor for a GPU box and for
    ultralytics/torch (torch in every camera process); an explicit placement and a test double win."""
    from edge_workers.actors import DetectorActor

    onnx = {"model": "m.onnx", "backend": "onnx"}
    sup = EdgeSupervisor(_cfg(detector=onnx), redis_url="redis://unused")
    assert (sup.placement_for("box-a"), sup.placement_for("box-b")) == ("actor", "in_process")
    assert EdgeSupervisor(_cfg(detector=onnx, num_gpus=1), redis_url="redis://unused").placement_for("box-b") == "actor"
    assert EdgeSupervisor(_cfg(detector={**onnx, "device": "cuda"}), redis_url="redis://unused").placement_for("box-b") == "actor"
    assert EdgeSupervisor(_cfg(detector={**onnx, "placement": "actor"}), redis_url="redis://unused").placement_for("box-b") == "actor"
    assert EdgeSupervisor(_cfg(detector={"model": "yolov8n.pt", "placement": "in_process"}),
                          redis_url="redis://unused").placement_for("box-b") == "in_process"

    class Slowed(DetectorActor):
        pass

    assert EdgeSupervisor(_cfg(detector=onnx), redis_url="redis://unused", detector_cls=Slowed).placement_for("box-b") == "actor"
