"""Evidence files under the media dir: safe path joins (no traversal) and atomic writes."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_SAFE_PART = re.compile(r"^[A-Za-z0-9_.-]{1,200}$")
EVIDENCE_NAMES = ("snapshot", "crop")


def _check_part(part: str) -> str:
    if not _SAFE_PART.match(part) or part in (".", ".."):
        raise ValueError(f"unsafe media path component {part!r}")
    return part


def relative_path(camera_id: str, incident_id: str, name: str) -> str:
    """``<camera_id>/<incident_id>/<name>.jpg`` — what the store records (relative, so the dir can move)."""
    if name not in EVIDENCE_NAMES:
        raise ValueError(f"unknown evidence name {name!r} (known: {EVIDENCE_NAMES})")
    return f"{_check_part(camera_id)}/{_check_part(incident_id)}/{name}.jpg"


def resolve(media_dir: str | os.PathLike, rel: str) -> Path:
    """Absolute path of a stored relative path; refuses anything that escapes ``media_dir``."""
    root = Path(media_dir).resolve()
    parts = rel.split("/")
    for p in parts:
        _check_part(p)
    path = root.joinpath(*parts).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"media path {rel!r} escapes the media dir")
    return path


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync, then rename: readers never see half a JPEG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save_evidence(media_dir: str | os.PathLike, camera_id: str, incident_id: str, name: str, data: bytes) -> str:
    """Write one evidence JPEG and return its relative path."""
    rel = relative_path(camera_id, incident_id, name)
    write_atomic(resolve(media_dir, rel), data)
    return rel


__all__ = ["EVIDENCE_NAMES", "relative_path", "resolve", "save_evidence", "write_atomic"]
