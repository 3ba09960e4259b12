"""bench edge configurations: naive analyses every frame, gated_int8 gates and runs the INT8 ONNX model."""

from __future__ import annotations

from citylens.bench.edge import bench_config


def test_bench_edge_modes_differ_only_where_they_should() -> None:
    naive = bench_config("naive", 3, fps=5.0, int8_model=None)
    defaults = bench_config("defaults", 3, fps=5.0, int8_model=None)
    gated = bench_config("gated_int8", 3, fps=5.0, int8_model="m.int8.onnx")
    for cfg in (naive, defaults, gated):
        assert len(cfg.cameras) == 3 and len({c.id for c in cfg.cameras}) == 3
        assert all(c.source.fps_cap == 5.0 and c.source.realtime for c in cfg.cameras)
        assert [c.source.url.rsplit("/", 1)[-1] for c in cfg.cameras][:2] == [
            "people_indoor_one_by_one_intel.mp4", "traffic_residential_street_cvTrafficCam.mp4"]
        assert not cfg.models.captioner.enabled
    assert not any(c.motion.enabled or c.motion.load_shedding for c in naive.cameras)
    assert naive.models.detector.max_batch == 1 and naive.models.detector.backend == "ultralytics"
    assert all(c.motion == type(c.motion)() for c in defaults.cameras)  # the config's own defaults
    assert all(c.motion.enabled for c in gated.cameras)
    assert gated.models.detector.backend == "onnx" and gated.models.detector.model == "m.int8.onnx"
    # the demo's geometry travels with each clip
    street = gated.cameras[1]
    from pathlib import Path

    from pipeline.config import load_config

    demo = load_config(Path(__file__).resolve().parents[1] / "configs" / "demo.yaml").camera("street")
    assert street.lines == demo.lines and street.tracker == demo.tracker and street.rules == demo.rules
