"""The audit log of operator and admin actions (admin), newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from services import auth
from services.api.deps import StoreDep
from services.api.schemas import MAX_FILTER_VALUES, AuditPublic, AuditsPublic, require_tz
from services.api.security import AdminDep

router = APIRouter(tags=["audit"])


@router.get("/audit", response_model=AuditsPublic)
def list_audit(
    store: StoreDep,
    _who: AdminDep,
    since: Annotated[datetime | None, Query(description="ts >= since (ISO-8601 with a time zone)")] = None,
    until: Annotated[datetime | None, Query(description="ts < until (ISO-8601 with a time zone)")] = None,
    action: Annotated[list[str] | None, Query(description="e.g. incident.ack, key.create (repeat for several)")] = None,
    cursor: Annotated[int | None, Query(ge=1, le=2**62, description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditsPublic:
    try:
        since, until = require_tz(since), require_tz(until)
    except ValueError as e:
        raise HTTPException(422, detail=f"since/until: {e}") from None
    if action and (len(action) > MAX_FILTER_VALUES or any(len(a) > 64 for a in action)):
        raise HTTPException(422, detail=f"action: at most {MAX_FILTER_VALUES} values of at most 64 characters")
    if since and until and since > until:
        raise HTTPException(422, detail=f"since ({since.isoformat()}) is after until ({until.isoformat()})")
    rows, nxt = auth.list_audit(store, since=since, until=until, action=action, before_id=cursor, limit=limit)
    return AuditsPublic(data=[AuditPublic.from_row(r) for r in rows], count=len(rows), next_cursor=nxt)
