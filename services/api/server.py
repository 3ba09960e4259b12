"""How citylens serves its API: uvicorn options that bound what a client can make the server hold before auth."""

from __future__ import annotations

from typing import Any

from services.settings import Settings


def server_config(settings: Settings) -> dict[str, Any]:
    """uvicorn.Config/uvicorn.run keyword arguments for the API.

    Request line plus headers are capped at ``settings.max_header_bytes`` by h11's
    ``max_incomplete_event_size``: past it the connection gets 400 and is closed at once, so one client sending
    a huge header holds at most that much and the event loop never parses megabytes. (uvicorn's default
    httptools parser has no such bound: two 64 MiB headers stalled every other request for ~10 s.)
    Running uvicorn by hand? Pass the same: ``--http h11 --h11-max-incomplete-event-size 32768``.
    """
    # timeout_graceful_shutdown: on SIGTERM, open connections (live /events streams) get 3 s to finish, then
    # the lifespan shutdown runs (ingest stops, search saves) so the process exits well within 10 s.
    return {"http": "h11", "h11_max_incomplete_event_size": settings.max_header_bytes, "timeout_graceful_shutdown": 3}


__all__ = ["server_config"]
