"""What a config promises but only a run would find out: sources that open, class names the model knows.

``citylens check CONFIG`` runs it without starting anything; ``citylens demo`` and ``citylens edge`` run it
before they start, so a typo (``classes: [persn]``) or a missing file stops the run with every problem listed
instead of a run that reports 0 incidents and exits 0.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator

from citylens.contracts.config import CityConfig, DetectorConfig
from citylens.contracts.rules import CLASS_GROUPS
from pipeline.models import model_dir_from_env, resolve_model


def model_class_names(det: DetectorConfig, model_dir: str | None = None) -> list[str]:
    """The class names a detector model reports (loads the model's metadata: ~1-2 s for a YOLO .pt)."""
    path = resolve_model(det.model, model_dir or model_dir_from_env())
    if path.endswith(".onnx"):
        import ast

        import onnxruntime as ort

        meta = ort.InferenceSession(path, providers=["CPUExecutionProvider"]).get_modelmeta().custom_metadata_map
        return [str(v) for v in ast.literal_eval(meta["names"]).values()]
    from ultralytics import YOLO

    return [str(v) for v in YOLO(path).names.values()]


def _class_lists(cfg: CityConfig) -> Iterator[tuple[str, list[str]]]:
    if cfg.models.detector.classes:
        yield "models.detector.classes", cfg.models.detector.classes
    for i, cam in enumerate(cfg.cameras):
        for j, rule in enumerate(cam.rules):
            if getattr(rule, "classes", None):
                yield f"cameras.{i}.rules.{j}.classes", rule.classes
        for j, line in enumerate(cam.lines):
            if line.classes:
                yield f"cameras.{i}.lines.{j}.classes", line.classes


def check_sources(cfg: CityConfig, boxes: list[str] | None = None) -> list[str]:
    """One line per camera (of ``boxes``; None = all) whose file source is missing or does not decode (live
    URLs are not probed: they may be down now and up when the camera starts)."""
    import cv2

    problems = []
    for i, cam in enumerate(cfg.cameras):
        if boxes and cam.box not in boxes:
            continue
        url = cam.source.url
        if "://" in url or url.startswith("webcam:"):
            continue
        if not os.path.isfile(url):
            problems.append(f"cameras.{i}.source.url: camera {cam.id!r}: no such file {url}")
            continue
        cap = cv2.VideoCapture(url)
        try:
            ok = cap.isOpened() and cap.read()[0]
        finally:
            cap.release()
        if not ok:
            problems.append(f"cameras.{i}.source.url: camera {cam.id!r}: cannot decode a frame of {url}")
    return problems


def check_classes(cfg: CityConfig, names: list[str]) -> list[str]:
    """One line per class name in the config that the detector does not know, with the nearest known names."""
    known = set(names)
    # Group members (``vehicle`` -> car, truck, bus, motorcycle, van) come from expanding a group the config
    # names; a member this model lacks is harmless as long as the group has members it knows.
    for members in CLASS_GROUPS.values():
        if known.intersection(members):
            known.update(members)
    problems = []
    for where, classes in _class_lists(cfg):
        for c in classes:
            if c not in known:
                near = difflib.get_close_matches(c, names, n=3, cutoff=0.6)
                hint = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
                problems.append(f"{where}: unknown class {c!r} for model {cfg.models.detector.model!r}{hint}")
    return problems


def check_config(cfg: CityConfig, boxes: list[str] | None = None) -> list[str]:
    """Every problem a run would hit at start or silently: missing/undecodable files, unknown class names."""
    problems = check_sources(cfg, boxes)
    try:
        names = model_class_names(cfg.models.detector, cfg.models.model_dir)
    except Exception as e:  # noqa: BLE001 - a model that cannot load is itself the problem to report
        return [*problems, f"models.detector.model: cannot load {cfg.models.detector.model!r}: {e}"]
    return [*problems, *check_classes(cfg, names)]


__all__ = ["check_classes", "check_config", "check_sources", "model_class_names"]
