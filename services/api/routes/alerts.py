"""The alert delivery log (admin): webhook and MQTT sends, their attempts and last errors, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from services.alerts import deliveries
from services.api.deps import StoreDep

router = APIRouter(tags=["alerts"])


class DeliveryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    channel: str
    target: str
    incident_id: str
    status: str
    attempts: int
    next_at: datetime
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


class DeliveriesPublic(BaseModel):
    data: list[DeliveryPublic]
    count: int


@router.get("/alerts/deliveries", response_model=DeliveriesPublic)
def list_deliveries(store: StoreDep,
                    status: Literal["pending", "delivered", "failed"] | None = None,
                    limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> DeliveriesPublic:
    data = [DeliveryPublic.model_validate(r) for r in deliveries(store, status=status, limit=limit)]
    return DeliveriesPublic(data=data, count=len(data))
