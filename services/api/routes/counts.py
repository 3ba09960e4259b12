"""Line and zone counts summed per time bucket."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status
from pydantic import ValidationError

from services.api.deps import StoreDep
from services.api.routes.incidents import validation_reason
from services.api.schemas import (MAX_COUNT_SPAN, MAX_COUNTS_PAGE, MAX_CURSOR_CHARS, CountPublic, CountQuery,
                                  CountsPublic)
from services.store import InvalidCursor, decode_count_cursor, encode_count_cursor

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
    cursor: Annotated[str | None, Query(max_length=MAX_CURSOR_CHARS, description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_COUNTS_PAGE, description="sums per page")] = 1000,
) -> CountQuery:
    try:
        return CountQuery(camera=camera, kind=kind, name=name, object_class=object_class, direction=direction,
                          since=since, until=until, bucket=bucket, cursor=cursor, limit=limit)
    except ValidationError as e:
        raise HTTPException(422, detail=validation_reason(e)) from None


CSV_COLUMNS = ("bucket_start", "camera_id", "kind", "name", "object_class", "direction", "count")
CSV_MAX_ROWS = 200_000  # one export walks every page of the window up to this many rows


@router.get("/counts", response_model=CountsPublic,
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}})
def get_counts(store: StoreDep, q: Annotated[CountQuery, Depends(count_query)],
               format: Annotated[Literal["json", "csv"], Query(description="csv: every page of the window as one "
                                                                         "file, for spreadsheets")] = "json",
               ) -> CountsPublic | Response:
    """Sums per (bucket, camera, kind, name, class, direction), oldest bucket first, a page at a time.

    ``since..until`` may span at most 7 days for ``minute`` buckets, 400 for ``hour``, 3660 for ``day`` (422
    beyond). A missing ``until`` is just after the newest matching bucket (or ``since`` + the span); a missing
    ``since`` is ``until`` minus the span. The window served is echoed in the answer.
    """
    filters = dict(camera_id=q.camera, kind=q.kind, name=q.name, object_class=q.object_class, direction=q.direction)
    span = MAX_COUNT_SPAN[q.bucket]
    until, since = q.until, q.since
    try:
        if until is None:
            if since is not None:
                until = since + span
            else:
                newest = store.latest_count_bucket(**filters)
                until = (newest or datetime.now(timezone.utc)) + timedelta(minutes=1)
        if since is None:
            since = until - span
    except OverflowError:
        raise HTTPException(422, detail="since/until: the window falls outside the years 1-9999") from None
    try:
        after = decode_count_cursor(q.cursor) if q.cursor else None
    except InvalidCursor as e:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=str(e)) from None
    buckets = store.counts(**filters, since=since, until=until, bucket=q.bucket, after=after, limit=q.limit + 1)
    if format == "csv":
        return _csv(store, filters, since, until, q.bucket, buckets, q.limit)
    more = len(buckets) > q.limit
    buckets = buckets[:q.limit]
    data = [CountPublic.from_bucket(b) for b in buckets]
    return CountsPublic(data=data, count=len(data), total=sum(d.count for d in data), since=since, until=until,
                        next_cursor=encode_count_cursor(buckets[-1]) if more else None)


def _csv(store, filters: dict, since: datetime, until: datetime, bucket: str, first: list, limit: int) -> Response:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    page, rows = first, 0
    while True:
        for b in page[:limit]:
            row = CountPublic.from_bucket(b).model_dump(mode="json")
            w.writerow([row[c] for c in CSV_COLUMNS])
        rows += min(len(page), limit)
        if len(page) <= limit or rows >= CSV_MAX_ROWS:
            break
        page = store.counts(**filters, since=since, until=until, bucket=bucket, after=page[limit - 1], limit=limit + 1)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="citylens-counts.csv"'})
