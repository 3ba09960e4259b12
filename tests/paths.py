"""Where tests find footage and models: the repository's ``samples/``, ``$CITYLENS_MODEL_DIR`` and ``$CITYLENS_DATA_DIR``.

Never an absolute path of one machine. ``.ci/run`` (and ``tests/conftest.py`` when unset) point both variables
at ``../shared/{models,data}`` beside the clone; a missing model or data folder fails the test, never skips it.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
PEOPLE = SAMPLES / "people_indoor_one_by_one_intel.mp4"
TRAFFIC = SAMPLES / "traffic_residential_street_cvTrafficCam.mp4"


def _env_dir(name: str) -> Path:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"${name} is not set; point it at the folder (see README 'Tests')")
    path = Path(value)
    if not path.is_dir():
        raise RuntimeError(f"${name}={value} is not a folder")
    return path


def model_dir() -> Path:
    """``$CITYLENS_MODEL_DIR``: yolov8n.pt and the other weights the tests load."""
    return _env_dir("CITYLENS_MODEL_DIR")


def data_dir() -> Path:
    """``$CITYLENS_DATA_DIR``: data beyond the two sample clips (labelled sets, extra footage)."""
    return _env_dir("CITYLENS_DATA_DIR")
