"""Request dependencies (store, settings, broadcaster, ingest runner) as Annotated aliases."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from services.ingest import Ingestor
from services.settings import Settings
from services.store import Store

log = logging.getLogger(__name__)


class Broadcaster:
    """Fans out messages from any thread (the ingest thread) to asyncio subscribers (SSE clients).

    Each subscriber has a bounded queue; a client too slow to keep up loses its *oldest* messages
    (counted in ``dropped``) rather than growing memory or slowing ingest.

    Example:
        >>> b = Broadcaster()
        >>> async def listen():  # doctest: +SKIP
        ...     async with b.subscribe() as q:
        ...         print(await q.get())
    """

    def __init__(self, maxsize: int = 256) -> None:
        self.maxsize = maxsize
        self.dropped = 0
        self._subs: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue]] = set()
        self._lock = threading.Lock()

    @property
    def subscribers(self) -> int:
        with self._lock:
            return len(self._subs)

    def publish(self, message: str) -> None:
        """Thread-safe; never blocks."""
        with self._lock:
            subs = list(self._subs)
        for loop, q in subs:
            try:
                loop.call_soon_threadsafe(self._put, q, message)
            except RuntimeError:  # the subscriber's loop closed under us
                self._discard(loop, q)

    def _put(self, q: asyncio.Queue, message: str) -> None:
        if q.full():
            q.get_nowait()
            self.dropped += 1
        q.put_nowait(message)

    def _discard(self, loop: asyncio.AbstractEventLoop, q: asyncio.Queue) -> None:
        with self._lock:
            self._subs.discard((loop, q))

    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue]:
        entry = (asyncio.get_running_loop(), asyncio.Queue(self.maxsize))
        with self._lock:
            self._subs.add(entry)
        try:
            yield entry[1]
        finally:
            self._discard(*entry)


class IngestRunner:
    """An :class:`Ingestor` running in a background thread of the API process."""

    def __init__(self, ingestor: Ingestor) -> None:
        self.ingestor = ingestor
        self._thread, self._stop = ingestor.start_thread()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout_s)
        if self._thread.is_alive():
            log.warning("ingest thread did not stop within %.0fs", timeout_s)
        self.ingestor.close()


def get_store(request: Request) -> Store:
    store = getattr(request.app.state, "store", None)
    if store is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail="store not initialised yet")
    return store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_broadcaster(request: Request) -> Broadcaster:
    return request.app.state.broadcaster


def get_ingest(request: Request) -> IngestRunner | None:
    return getattr(request.app.state, "ingest", None)


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
BroadcasterDep = Annotated[Broadcaster, Depends(get_broadcaster)]
IngestDep = Annotated[IngestRunner | None, Depends(get_ingest)]


__all__ = [
    "Broadcaster", "BroadcasterDep", "IngestDep", "IngestRunner", "SettingsDep", "StoreDep", "get_broadcaster",
    "get_ingest", "get_settings", "get_store",
]
