"""INT8 static quantisation calibrated on real frames: the exported model loads, keeps its names, and agrees."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipeline.quantize import FrameCalibrationReader, calibration_frames

ROOT = Path(__file__).resolve().parents[1]
CLIPS = [ROOT / "samples" / "traffic_residential_street_cvTrafficCam.mp4",
         ROOT / "samples" / "people_indoor_one_by_one_intel.mp4"]


def test_calibration_frames_come_evenly_from_every_clip_and_feed_the_runtime_letterbox() -> None:
    frames = calibration_frames(CLIPS, 6)
    assert len(frames) == 6
    assert {f.shape for f in frames} == {(360, 640, 3), (432, 768, 3)}
    reader = FrameCalibrationReader("images", frames, imgsz=640)
    blobs = []
    while (item := reader.get_next()) is not None:
        blobs.append(item["images"])
    assert len(blobs) == 6 and all(b.shape == (1, 3, 384, 640) and b.dtype == np.float32 for b in blobs)
    assert 0.0 <= min(b.min() for b in blobs) and max(b.max() for b in blobs) <= 1.0
    reader.rewind()
    assert reader.get_next() is not None


def test_the_head_output_convolutions_stay_fp32(tmp_path: Path) -> None:
    import onnx
    from onnx import TensorProto, helper

    from pipeline.quantize import head_output_convs

    names = ["/model.0/conv/Conv", "/model.22/cv2.0/cv2.0.0/conv/Conv", "/model.22/cv2.0/cv2.0.2/Conv",
             "/model.22/cv3.2/cv3.2.2/Conv", "/model.22/dfl/conv/Conv"]
    w = helper.make_tensor("w", TensorProto.FLOAT, [1, 1, 1, 1], [1.0])
    nodes, prev = [], "x"
    for i, name in enumerate(names):
        nodes.append(helper.make_node("Conv", [prev, "w"], [f"y{i}"], name=name))
        prev = f"y{i}"
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 4, 4])],
                              [helper.make_tensor_value_info(prev, TensorProto.FLOAT, [1, 1, 4, 4])], [w])
    path = tmp_path / "g.onnx"
    onnx.save(helper.make_model(graph), str(path))
    assert head_output_convs(str(path)) == names[2:]


def test_int8_is_calibrated_on_the_samples_and_varied_clips_but_never_on_a_test_half(monkeypatch) -> None:
    import yaml

    from pipeline.quantize import calibration_videos
    from tests.paths import data_dir

    names = [p.name for p in calibration_videos(data_dir())]
    test = set()
    for truth in ("line_counts.yaml", "zone_events.yaml"):
        clips = yaml.safe_load((ROOT / "tests" / "data" / truth).read_text())["clips"]
        test |= {Path(c["file"]).name for c in clips.values() if c["split"] == "test"}
    assert names[:2] == [CLIPS[1].name, CLIPS[0].name] and len(names) == len(set(names))
    assert not set(names) & test and len(test) >= 5
    assert "ir_night_cctv_person_at_gate_128x128.mp4" in names  # a night scene, not daylight only
    monkeypatch.delenv("CITYLENS_DATA_DIR", raising=False)
    assert [p.name for p in calibration_videos()] == names[:2]

