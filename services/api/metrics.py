"""Prometheus metrics of the center: request latency, ingest backlog, dead letters, search latency, SSE clients.

Each app owns its registry (tests build many apps in one process). Gauges that describe state elsewhere
(Redis backlog, open streams) are read when Prometheus scrapes, not kept up to date on every change.
"""

from __future__ import annotations

import logging
import time

import redis
from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.search.floor import reader_state

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
# Request and search latencies span ~1 ms (a cached GET) to seconds (the first search loads a model).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ApiMetrics:
    """The app's metric objects and registry."""

    def __init__(self, app: FastAPI) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.request_seconds = Histogram(
            "citylens_http_request_duration_seconds", "Time to the first response byte, by route template",
            ["method", "route", "status"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.search_seconds = Histogram(
            "citylens_search_duration_seconds", "Natural-language search latency (parse, filter, rank)",
            buckets=LATENCY_BUCKETS, registry=self.registry)
        self.registry.register(_StateCollector(app))


class _StateCollector:
    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def describe(self):
        return []

    def collect(self):
        state = self.app.state
        slots = getattr(state, "sse_slots", None)
        yield GaugeMetricFamily("citylens_sse_clients", "Open /events streams", value=slots.total if slots else 0)
        yield GaugeMetricFamily("citylens_search_reader_ready", "1 once search's cross-lingual reader (Chinese/Spanish "
                                "'nothing matches') is loaded in this process; /health says why not", value=int(reader_state() == "ready"))
        runner = getattr(state, "ingest", None)
        if runner is None:
            return
        ing = runner.ingestor
        stats = ing.stats()
        yield GaugeMetricFamily("citylens_ingest_running", "1 while the ingest thread runs", value=int(runner.running))
        processed = CounterMetricFamily("citylens_ingest_entries", "Stream entries ingested", labels=["outcome"])
        for k in ("processed", "duplicates", "reclaimed", "errors"):
            processed.add_metric([k], stats.get(k, 0))
        yield processed
        yield CounterMetricFamily("citylens_ingest_dead_letters", "Stream entries that could not be decoded and "
                                  "were kept as dead letters", value=stats.get("dead_letters", 0))
        try:
            pending, lag = ing.pending(), ing.lag()
        except (redis.RedisError, OSError) as e:
            log.warning("metrics: cannot read the ingest backlog: %s", e)
            return
        yield GaugeMetricFamily("citylens_ingest_pending_entries", "Entries delivered to the ingest group, not yet "
                                "acked", value=pending)
        yield GaugeMetricFamily("citylens_ingest_lag_entries", "Entries in the streams not yet delivered to the "
                                "ingest group", value=lag)


class RequestTimer:
    """ASGI middleware: observe each HTTP request's time to response start under its route template."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        code = [500]

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                code[0] = message["status"]
                route = getattr(scope.get("route"), "path", None) or ("/ui" if scope["path"].startswith("/ui/") else "unmatched")
                took = time.perf_counter() - t0
                self.metrics.request_seconds.labels(scope["method"], route, str(code[0])).observe(took)
                if route == "/search" and code[0] == 200:
                    self.metrics.search_seconds.observe(took)
            await send(message)

        await self.app(scope, receive, timed_send)


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """Prometheus text format; behind a key unless CITYLENS_METRICS_PUBLIC (scrapers send ``Authorization: Bearer``)."""
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)


__all__ = ["ApiMetrics", "RequestTimer", "router"]
