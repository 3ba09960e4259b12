"""Cameras and their latest health."""

from __future__ import annotations

from fastapi import APIRouter

from citylens.contracts import utcnow
from services.api.deps import StoreDep
from services.api.schemas import CameraPublic, CamerasPublic

router = APIRouter(tags=["cameras"])


@router.get("/cameras", response_model=CamerasPublic)
def list_cameras(store: StoreDep) -> CamerasPublic:
    """Every camera that has reported health, with the age of its latest report."""
    now = utcnow()
    data = [CameraPublic.from_row(r, now) for r in store.camera_health()]
    return CamerasPublic(data=data, count=len(data))
