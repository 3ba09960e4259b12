"""INT8 static quantisation of an exported YOLOv8 ONNX model, calibrated on real camera frames.

``quantize_int8`` runs ``onnxruntime.quantization.quantize_static`` (QDQ format, int8 per-channel weights,
uint8 activations) with a ``CalibrationDataReader`` that feeds frames decoded from real clips, letterboxed
exactly as ``OnnxDetector`` does at run time. Only convolutions are quantised, except the head's last ones
(box-distribution and class logits, and the DFL): the box decoding and class sigmoid stay in fp32, because
their concatenated outputs mix pixel coordinates with 0..1 scores and one shared int8 scale would ruin both.

The accuracy cost must be measured, never assumed: ``citylens bench int8`` prints mAP@0.5 of the INT8 and
fp32 models side by side on a labelled set, with their speeds.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import cv2
import numpy as np

from pipeline.detect_onnx import letterbox, min_shape
from pipeline.exceptions import ModelLoadError

log = logging.getLogger(__name__)


def calibration_frames(videos: Sequence[str | os.PathLike], n: int = 64) -> list[np.ndarray]:
    """``n`` BGR frames spread evenly over the given clips (an equal share from each)."""
    per = max(1, n // max(1, len(videos)))
    frames: list[np.ndarray] = []
    for video in videos:
        cap = cv2.VideoCapture(str(video))
        total = 0
        while cap.grab():  # the header's frame count can overstate what decodes (754 vs 734 in the street clip)
            total += 1
        cap.release()
        cap = cv2.VideoCapture(str(video))
        wanted = set(np.linspace(0, max(0, total - 2), per).astype(int).tolist())
        i = 0
        while len(wanted) and cap.grab():
            if i in wanted:
                ok, img = cap.retrieve()
                if ok:
                    frames.append(img)
                wanted.discard(i)
            i += 1
        cap.release()
    if not frames:
        raise ValueError(f"no calibration frames decoded from {list(map(str, videos))}")
    return frames


def calibration_videos(data_dir: str | os.PathLike | None = None) -> list[Path]:
    """Clips to calibrate INT8 on: the samples, and every clip of the data set that no *test* half uses.

    Varied scenes (indoor, street, rain, night IR) keep activation ranges from being fit to daylight only;
    the clips of the test halves of ``tests/data/line_counts.yaml`` and ``zone_events.yaml`` are left out, so
    the INT8 model is never calibrated on footage it is evaluated on. ``data_dir``: default
    ``$CITYLENS_DATA_DIR``; without it only the samples are used.
    """
    import yaml

    repo = Path(__file__).resolve().parents[1]
    videos = sorted((repo / "samples").glob("*.mp4"))
    root = data_dir or os.environ.get("CITYLENS_DATA_DIR")
    if root is None:
        return videos
    test: set[str] = set()
    for truth in ("line_counts.yaml", "zone_events.yaml"):
        clips = yaml.safe_load((repo / "tests" / "data" / truth).read_text())["clips"]
        test |= {Path(c["file"]).name for c in clips.values() if c.get("split") == "test"}
    have = {v.name for v in videos}
    more = sorted(p for p in Path(root).rglob("*") if p.suffix in (".mp4", ".avi") and p.name not in test | have)
    return videos + more


def _blob(image: np.ndarray, imgsz: int) -> np.ndarray:
    boxed, _, _ = letterbox(image, min_shape(image.shape[:2], imgsz))
    return np.ascontiguousarray(boxed[..., ::-1].transpose(2, 0, 1)[None], dtype=np.float32) / np.float32(255.0)


class FrameCalibrationReader:
    """``CalibrationDataReader`` over real frames, preprocessed as the ONNX detector does at run time."""

    def __init__(self, input_name: str, frames: Sequence[np.ndarray], imgsz: int = 640) -> None:
        self._input_name = input_name
        self._frames = list(frames)
        self._imgsz = imgsz
        self._it: Iterator[np.ndarray] | None = None

    def get_next(self) -> dict[str, np.ndarray] | None:
        if self._it is None:
            self._it = iter(self._frames)
        img = next(self._it, None)
        return None if img is None else {self._input_name: _blob(img, self._imgsz)}

    def rewind(self) -> None:
        self._it = None


_HEAD_OUTPUT_CONV = re.compile(r"^/model\.\d+/(?:cv[23]\.\d+/cv[23]\.\d+\.2|dfl)/(?:conv/)?Conv$")


def head_output_convs(model_path: str) -> list[str]:
    """The YOLOv8 head's last convolutions (box-distribution and class logits, DFL): kept in fp32.

    Their outputs are what the boxes and scores are read from; an 8-bit scale over raw logits costs box
    precision and low-score recall for a few percent of the compute (6 + 1 of 64 convolutions in yolov8n).
    """
    import onnx

    names = [n.name for n in onnx.load(model_path, load_external_data=False).graph.node if n.op_type == "Conv"]
    found = [n for n in names if _HEAD_OUTPUT_CONV.match(n)]
    if not found:
        log.warning("no YOLOv8 head output convolutions found by name in %s; quantising every convolution", model_path)
    return found


_HEAD_CONV = re.compile(r"^/model\.22/")


def head_convs(model_path: str) -> list[str]:
    """Every convolution of the YOLOv8 detection head (``model.22``: box and class branches, DFL)."""
    import onnx

    return [n.name for n in onnx.load(model_path, load_external_data=False).graph.node
            if n.op_type == "Conv" and _HEAD_CONV.match(n.name)]


def quantize_int8(fp32_path: str | os.PathLike, out_path: str | os.PathLike, frames: Sequence[np.ndarray], *,
                  imgsz: int = 640, per_channel: bool = True, exclude: str = "outputs", method: str = "minmax",
                  reduce_range: bool = False, fmt: str = "qdq") -> str:
    """Write an INT8 copy of the fp32 ONNX model at ``out_path``, calibrated on ``frames``; return the path.

    Args:
        exclude: convolutions kept in fp32: ``"outputs"`` the head's last ones (``head_output_convs``),
            ``"head"`` the whole detection head (``head_convs``: slower, closer to fp32), ``"none"``.
        method: calibration: ``"minmax"`` (moving average of per-batch ranges), ``"percentile"`` (99.999th,
            clips rare outliers), ``"entropy"``.
        reduce_range: 7-bit weights (avoids saturation on CPUs without VNNI, at some precision).
        fmt: ``"qdq"`` (Quantize/DequantizeLinear pairs) or ``"qoperator"`` (QLinearConv).
    """
    import onnx
    import onnxruntime as ort
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    fp32_path, out = str(fp32_path), Path(out_path)
    sess = ort.InferenceSession(fp32_path, providers=["CPUExecutionProvider"])
    input_name = sess.get_inputs()[0].name
    del sess
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="citylens-int8-") as tmp:
        pre = os.path.join(tmp, "pre.onnx")
        try:
            quant_pre_process(fp32_path, pre, skip_symbolic_shape=True)
        except Exception as e:  # noqa: BLE001 - pre-processing is an optimisation; quantise the raw graph instead
            log.warning("quantisation pre-processing failed (%s); quantising the model as exported", e)
            pre = fp32_path
        excluded = {"outputs": head_output_convs, "head": head_convs, "none": lambda _: []}[exclude](pre)
        calib = {"minmax": CalibrationMethod.MinMax, "percentile": CalibrationMethod.Percentile,
                 "entropy": CalibrationMethod.Entropy}[method]
        extra = {"CalibMovingAverage": True} if method == "minmax" else {}
        try:
            quantize_static(
                pre, str(out), FrameCalibrationReader(input_name, frames, imgsz), nodes_to_exclude=excluded,
                quant_format=QuantFormat.QDQ if fmt == "qdq" else QuantFormat.QOperator,
                activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                per_channel=per_channel, reduce_range=reduce_range, op_types_to_quantize=["Conv"],
                calibrate_method=calib, extra_options=extra,
            )
        except Exception as e:
            raise ModelLoadError(f"INT8 quantisation of {fp32_path} failed: {e}") from e
    # keep the class names (and the rest of the ultralytics metadata) that OnnxDetector reads
    src_meta = {p.key: p.value for p in onnx.load(fp32_path, load_external_data=False).metadata_props}
    model = onnx.load(str(out))
    have = {p.key for p in model.metadata_props}
    for k, v in src_meta.items():
        if k not in have:
            model.metadata_props.add(key=k, value=v)
    model.metadata_props.add(key="citylens_quantization", value=f"int8 static {fmt}, {len(frames)} calibration frames, "
                              f"{method}, exclude {exclude}, per_channel {per_channel}, reduce_range {reduce_range}")
    onnx.save(model, str(out))
    log.info("INT8 model written to %s (%d calibration frames)", out, len(frames))
    return str(out)
