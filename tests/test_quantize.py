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
