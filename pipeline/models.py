"""Resolve model names to files: explicit path, else a model directory, else the library's own download."""

from __future__ import annotations

import os
from pathlib import Path

MODEL_DIR_ENV = "CITYLENS_MODEL_DIR"


def model_dir_from_env() -> str | None:
    """The model directory named by ``$CITYLENS_MODEL_DIR``, or ``None`` when unset or empty."""
    value = os.environ.get(MODEL_DIR_ENV, "").strip()
    return value or None


def resolve_model(name: str, model_dir: str | None = None) -> str:
    """Turn a model name into what a loader should open.

    Order: ``name`` when it is an existing path; else ``<model_dir>/<name>`` when that exists; else
    ``$CITYLENS_MODEL_DIR/<name>`` when that exists; else ``name`` unchanged, so ultralytics or
    transformers download it by name (and fail clearly when offline).

    Example:
        >>> resolve_model("no-such-model.pt", model_dir="/nonexistent")
        'no-such-model.pt'
    """
    if not name:
        raise ValueError("model name must not be empty")
    expanded = Path(name).expanduser()
    if expanded.exists():
        return str(expanded)
    for directory in (model_dir, model_dir_from_env()):
        if directory:
            candidate = Path(directory).expanduser() / name
            if candidate.exists():
                return str(candidate)
    return name
