"""Liveness of the center: store, Redis, the ingest backlog, and whether search's cross-lingual reader is loaded."""

from __future__ import annotations

import logging
import threading
import time

import redis
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.api.deps import IngestDep, StoreDep
from services.api.schemas import HealthPublic, IngestHealth
from services.search.floor import reader_state

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


# /health is polled hardest when things go wrong; the backlog is read at most once per this many seconds per
# process, and concurrent callers share one read.
BACKLOG_CACHE_S = 1.0
_backlog_lock = threading.Lock()


def _backlog(request: Request, ingestor) -> tuple[int, int]:
    """(pending, lag) of the ingest group, cached for ``BACKLOG_CACHE_S`` on the app."""
    state = request.app.state
    with _backlog_lock:
        cached = getattr(state, "backlog_cache", None)
        now = time.monotonic()
        if cached is not None and cached[0] is ingestor and now - cached[1] < BACKLOG_CACHE_S:
            return cached[2]
        value = (ingestor.pending(), ingestor.lag())
        state.backlog_cache = (ingestor, time.monotonic(), value)
        return value


def _redis_ok(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


@router.get("/health", response_model=HealthPublic, responses={503: {"model": HealthPublic}})
def get_health(request: Request, store: StoreDep, ingest: IngestDep) -> HealthPublic | JSONResponse:
    """200 when the store works (``degraded`` if Redis or ingest is not), 503 when the store fails."""
    store_ok = store.ping()
    url = getattr(request.app.state, "redis_url", None)
    redis_ok = _redis_ok(url) if url else None
    ing = None
    if ingest is not None:
        ing = IngestHealth(running=ingest.running, stats=ingest.ingestor.stats())
        if redis_ok:
            try:
                ing.pending, ing.lag = _backlog(request, ingest.ingestor)
            except redis.RedisError as e:
                log.warning("health: cannot read ingest backlog: %s", e)
    degraded = redis_ok is False or (ing is not None and not ing.running)
    body = HealthPublic(status="failing" if not store_ok else "degraded" if degraded else "ok",
                        redis=redis_ok, store=store_ok, ingest=ing, search_reader=reader_state())
    if not store_ok:
        return JSONResponse(status_code=503, content=body.model_dump(mode="json"))
    return body
