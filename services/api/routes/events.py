"""Live push: ``GET /events`` server-sent events with ids, resumption, filters, heartbeat and per-key caps."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import weakref
from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, Request, status
from sse_starlette import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from citylens.contracts import IncidentType
from services.api.deps import BroadcasterDep, SettingsDep, StoreDep
from services.api.schemas import NameList
from services.api.security import PrincipalDep
from services.console_store import SESSION_COOKIE, events_after, first_event_id, key_active, session_key
from services.console_store import last_event_id as newest_event_id

router = APIRouter(tags=["events"])
log = logging.getLogger(__name__)
# Between wake-ups from ingest, the stream still looks at the log this often (another process may write it).
POLL_S = 1.0


class StreamSlots:
    """Open streams per key; ``acquire`` refuses past the cap (thread-safe, per process)."""

    def __init__(self) -> None:
        self._open: Counter[str] = Counter()
        self._lock = threading.Lock()

    def acquire(self, bucket: str, cap: int) -> bool:
        with self._lock:
            if self._open[bucket] >= cap:
                return False
            self._open[bucket] += 1
            return True

    def release(self, bucket: str) -> None:
        with self._lock:
            self._open[bucket] -= 1
            if self._open[bucket] <= 0:
                del self._open[bucket]

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self._open.values())


def _parse_id(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        v = int(raw)
    except ValueError:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=f"Last-Event-ID {raw[:40]!r} is not an event id") from None
    if not 0 <= v < 2**62:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail="Last-Event-ID is out of range")
    return v


@router.get("/events", response_class=EventSourceResponse,
            responses={429: {"description": "this key already has the maximum number of open streams"}})
async def incident_events(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    broadcaster: BroadcasterDep,
    who: PrincipalDep,
    camera: Annotated[NameList | None, Query(description="only these cameras")] = None,
    type: Annotated[list[IncidentType] | None, Query(max_length=50, description="only these incident types")] = None,
    last_event_id: Annotated[str | None, Query(max_length=24, description="resume after this id (as the "
                                                                            "Last-Event-ID header does)")] = None,
    last_event_id_header: Annotated[str | None, Header(alias="Last-Event-ID", max_length=24)] = None,
    max_events: Annotated[int | None, Query(ge=1, le=1_000_000, description="close after this many events (scripts, tests)")] = None,
) -> EventSourceResponse:
    """Server-sent events, each with an ``id:``: ``incident`` (a committed revision, IncidentPublic JSON) and
    ``ack``. Reconnect with ``Last-Event-ID`` (browsers do it on their own) to get every event after that id
    exactly once. Without it the stream starts with the next event. The stream ends when the key is revoked."""
    resume = _parse_id(last_event_id_header if last_event_id_header is not None else last_event_id)
    # "The next event" is the next one after this request, fixed before the response starts: taken inside the
    # generator, it raced the client's own next write (an incident committed between the response headers and
    # the generator's first step was skipped)
    start = resume if resume is not None else await run_in_threadpool(newest_event_id, store)
    slots: StreamSlots = request.app.state.sse_slots
    if not slots.acquire(who.bucket, settings.sse_max_streams_per_key):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                            detail=f"key {who.name!r} already has {settings.sse_max_streams_per_key} open event "
                                   "streams; close one (or raise CITYLENS_SSE_MAX_STREAMS_PER_KEY)")
    cameras = list(camera) if camera else None
    types = [t.value for t in type] if type else None
    cookie = request.cookies.get(SESSION_COOKIE)

    def still_allowed() -> bool:
        if who.key_id is None:  # open mode
            return True
        if cookie and not request.headers.get("x-api-key") and not request.headers.get("authorization"):
            return session_key(store, cookie) is not None
        return key_active(store, who.key_id)

    released = [False]

    def release() -> None:
        if not released[0]:
            released[0] = True
            slots.release(who.bucket)

    async def stream():
        try:
            last = start
            if resume is not None:
                oldest = await run_in_threadpool(first_event_id, store)
                if oldest and resume < oldest - 1:
                    yield {"event": "reset", "data": f'{{"oldest": {oldest}}}'}
            sent, checked = 0, time.monotonic()
            async with broadcaster.subscribe() as wake:
                while max_events is None or sent < max_events:
                    rows = await run_in_threadpool(events_after, store, last, cameras=cameras, types=types)
                    if rows or time.monotonic() - checked >= settings.sse_recheck_s:
                        checked = time.monotonic()
                        if not await run_in_threadpool(still_allowed):
                            yield {"event": "revoked", "data": '{"detail": "key revoked or session ended"}'}
                            return
                    for r in rows:
                        yield {"id": str(r.id), "event": r.kind, "data": r.data}
                        last, sent = r.id, sent + 1
                        if max_events is not None and sent >= max_events:
                            return
                    if len(rows) >= 200:
                        continue
                    try:
                        await asyncio.wait_for(wake.get(), timeout=min(POLL_S, settings.sse_recheck_s))
                    except TimeoutError:
                        pass
        finally:
            release()

    gen = stream()
    # A client that leaves before the first byte never starts the generator, so its finally never runs.
    weakref.finalize(gen, release)
    return EventSourceResponse(gen, ping=settings.sse_heartbeat_s, headers={"X-Accel-Buffering": "no"})
