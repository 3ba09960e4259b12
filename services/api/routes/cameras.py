"""Cameras: their latest health, and the zones and lines configured on each (for drawing over evidence)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, status
from pydantic import BaseModel, Field

from citylens.contracts import utcnow
from services.api.deps import SettingsDep, StoreDep
from services.api.schemas import CameraPublic, CamerasPublic

router = APIRouter(tags=["cameras"])


@router.get("/cameras", response_model=CamerasPublic)
def list_cameras(store: StoreDep, settings: SettingsDep) -> CamerasPublic:
    """Every camera that has reported health, with the age of its latest report.

    A camera that should be reporting (starting, streaming, reconnecting) but has been silent for longer
    than ``camera_stale_s`` is shown ``down``: its box, its Ray node or its worker is gone, and nothing
    else would say so.
    """
    now = utcnow()
    data = [CameraPublic.from_row(r, now, stale_after_s=settings.camera_stale_s) for r in store.camera_health()]
    return CamerasPublic(data=data, count=len(data))


class ZoneGeometry(BaseModel):
    name: str
    kind: str
    polygon: list[tuple[float, float]] = Field(description="normalised (x, y) in 0..1 of the frame, y downwards")


class LineGeometry(BaseModel):
    name: str
    start: tuple[float, float]
    end: tuple[float, float]
    in_name: str = Field(description="name of crossings to the left of start->end")
    out_name: str


class CameraGeometry(BaseModel):
    camera_id: str
    name: str | None = None
    zones: list[ZoneGeometry]
    lines: list[LineGeometry]


@router.get("/cameras/{camera_id}/geometry", response_model=CameraGeometry)
def camera_geometry(request: Request, camera_id: Annotated[str, Path(min_length=1, max_length=128)]) -> CameraGeometry:
    """The camera's zones and lines from the API's deployment config (404 without a config naming it)."""
    cfg = getattr(getattr(request.app.state, "runtime", None), "config", None)
    cam = next((c for c in cfg.cameras if c.id == camera_id), None) if cfg else None
    if cam is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND,
                            detail=f"camera {camera_id!r} is not in this API's config (start it with --config)")
    return CameraGeometry(
        camera_id=cam.id, name=cam.name,
        zones=[ZoneGeometry(name=z.name, kind=z.kind, polygon=[tuple(p) for p in z.polygon]) for z in cam.zones],
        lines=[LineGeometry(name=ln.name, start=tuple(ln.start), end=tuple(ln.end), in_name=ln.in_name,
                            out_name=ln.out_name) for ln in cam.lines])
