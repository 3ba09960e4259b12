"""Line and zone counts summed per time bucket."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import ValidationError

from services.api.deps import StoreDep
from services.api.routes.incidents import validation_reason
from services.api.schemas import CountPublic, CountQuery, CountsPublic

router = APIRouter(tags=["counts"])


def count_query(
    camera: Annotated[list[str] | None, Query(description="camera ids")] = None,
    kind: Literal["line", "zone"] | None = None,
    name: Annotated[list[str] | None, Query(description="line or zone names")] = None,
    object_class: Annotated[list[str] | None, Query(alias="class")] = None,
    direction: Annotated[list[str] | None, Query(description="'in'/'out' (or configured names), 'occupancy'")] = None,
    since: Annotated[datetime | None, Query(description="ISO-8601 with time zone; bucket_start >= since")] = None,
    until: Annotated[datetime | None, Query(description="ISO-8601 with time zone; bucket_start < until")] = None,
    bucket: Literal["minute", "hour", "day"] = "hour",
) -> CountQuery:
    try:
        return CountQuery(camera=camera, kind=kind, name=name, object_class=object_class, direction=direction,
                          since=since, until=until, bucket=bucket)
    except ValidationError as e:
        raise HTTPException(422, detail=validation_reason(e)) from None


@router.get("/counts", response_model=CountsPublic)
def get_counts(store: StoreDep, q: Annotated[CountQuery, Depends(count_query)]) -> CountsPublic:
    """Sums per (bucket, camera, kind, name, class, direction), oldest bucket first."""
    buckets = store.counts(camera_id=q.camera, kind=q.kind, name=q.name, object_class=q.object_class,
                           direction=q.direction, since=q.since, until=q.until, bucket=q.bucket)
    data = [CountPublic.from_bucket(b) for b in buckets]
    return CountsPublic(data=data, count=len(data), total=sum(d.count for d in data))
