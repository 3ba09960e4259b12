"""FastAPI app factory: settings → store (+ embedded Redis and ingest thread) → routers."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import delete

from citylens.contracts import CONSUMER_GROUP
from citylens.contracts.config import CityConfig, load_config, redis_url_with_auth
from services.api.deps import Broadcaster, IngestRunner
from services.api.routes import alerts as alerts_route
from services.api.routes import audit, cameras, counts, events, health, incidents, keys, search, session
from services.api.routes.events import StreamSlots
from services.api.routes.ui import mount_console
from services.api import metrics as api_metrics
from services.api.schemas import IncidentPublic
from services.api.security import BodySizeLimit, RejectInvalidUnicode, require_admin, require_viewer
from services.alerts import AlertRouter, parse_webhooks
from services.auth import RateLimiter, count_active_keys, seed_admin_key
from services.console_store import EventRow, record_event
from services.ingest import Ingestor
from services.redis_server import ensure_redis
from services.retention import RetentionJob
from services.search.floor import warm_reader
from services.settings import Settings, is_loopback
from services.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    """Where things live once settings and the YAML config are merged (settings win)."""

    config: CityConfig | None
    store_url: str
    media_dir: Path
    redis_url: str | None
    group: str
    claim_idle_ms: int
    retention_days: float | None = None


def resolve_runtime(settings: Settings) -> Runtime:
    cfg = load_config(settings.config) if settings.config else None
    redis_url = settings.redis_url or (cfg.redis.url if cfg else None)
    data = settings.data_dir
    store_url = settings.store_url or (cfg.store.url if cfg else f"sqlite:///{data / 'citylens.db'}")
    media_dir = Path(settings.media_dir or (cfg.store.media_dir if cfg else data / "media"))
    return Runtime(
        config=cfg,
        store_url=store_url,
        media_dir=media_dir,
        # the center's own ACL user / password / TLS from the config, unless the URL already carries credentials
        redis_url=redis_url_with_auth(redis_url, cfg.redis) if cfg and redis_url else redis_url,
        group=settings.consumer_group or (cfg.redis.consumer_group if cfg else CONSUMER_GROUP),
        claim_idle_ms=settings.claim_idle_ms or (cfg.redis.claim_idle_ms if cfg else 30_000),
        retention_days=settings.retention_days or (cfg.store.retention_days if cfg else None),
    )


def ingest_trust(settings: Settings, runtime: Runtime) -> dict:
    """Ingestor arguments that make it verify each entry's box signature (when ``CITYLENS_EDGE_KEYS`` is set)
    and, with a deployment config, that the camera belongs to the signing box."""
    keys = settings.box_keys()
    if not keys:
        return {}
    cams = {c.id: c.box for c in runtime.config.cameras} if runtime.config else {}
    return {"box_keys": keys, "camera_boxes": cams}


def register_routers(app: FastAPI) -> None:
    """Every router is registered here, one line each; all but /health need an API key.

    ``protected`` needs the viewer role (any key); routes needing more declare it themselves
    (``OperatorDep``/``AdminDep``), and whole admin routers also get ``admin``.
    """
    protected = [Depends(require_viewer)]
    admin = [Depends(require_admin)]
    app.include_router(health.router)
    app.include_router(session.router)
    app.include_router(incidents.router, dependencies=protected)
    app.include_router(events.router, dependencies=protected)
    app.include_router(counts.router, dependencies=protected)
    app.include_router(cameras.router, dependencies=protected)
    app.include_router(keys.router, dependencies=admin)
    app.include_router(audit.router, dependencies=admin)
    app.include_router(alerts_route.router, dependencies=admin)
    app.include_router(search.router, dependencies=protected)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """Build the API. ``store`` is injected by tests; otherwise the lifespan opens one from settings.

    With ``settings.run_ingest`` the lifespan also finds (or starts an embedded) Redis and runs an
    :class:`~services.ingest.Ingestor` in a background thread, stopping both cleanly on shutdown.
    """
    settings = settings or Settings()
    if settings.open_mode and not is_loopback(settings.api_host):  # Settings refuses it too; model_copy skips that
        raise RuntimeError(f"open_mode is refused on non-loopback api_host {settings.api_host!r}; use API keys")
    runtime = resolve_runtime(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned_store = app.state.store is None
        if owned_store:
            app.state.store = Store(runtime.store_url, runtime.media_dir)
        redis_handle = None
        retention = None
        try:
            _check_access(settings, app.state.store)
            install_event_log(app.state.store)
            alerts = start_alerts(settings, app.state.store)
            app.state.alerts = alerts
            if runtime.retention_days:
                retention = RetentionJob(app.state.store, days=runtime.retention_days,
                                         interval_s=settings.retention_interval_s).start()
            app.state.retention = retention
            if settings.run_ingest:
                # The search hook must be registered before ingest writes, so every stored incident is indexed
                # in the same transaction (FTS5) and queued for embedding.
                from services.api.routes.search import search_index_from_config
                from services.search import index_for

                # an index the caller already attached to an injected store (tests, embedding apps) is kept
                app.state.search_index = index_for(app.state.store) or search_index_from_config(app.state.store, runtime.config,
                                                                                         settings.embedding_model)
            if settings.warm_search_reader:
                # the first Chinese / Spanish query would load the cross-lingual reader (~3 s); load it now, beside
                # start-up and never in its way (a daemon thread; /health says "loading" until it is "ready")
                threading.Thread(target=warm_reader, args=(settings.embedding_model,), name="search-reader-warm-up",
                                 daemon=True).start()
            if settings.run_ingest:
                url, redis_handle = ensure_redis(runtime.redis_url, settings.data_dir)
                app.state.redis_url = url
                ing = Ingestor(url, app.state.store, group=runtime.group, consumer_name=settings.consumer_name,
                               **ingest_trust(settings, runtime),
                               claim_idle_ms=runtime.claim_idle_ms)
                broadcaster: Broadcaster = app.state.broadcaster
                # The rows are already in the event log (same transaction); this only wakes the /events streams.
                ing.listeners.append(lambda rows: broadcaster.publish(""))
                app.state.ingest = IngestRunner(ing)
            yield
        finally:
            # Ingest stops first: nothing new is consumed once shutdown begins (what is left stays in Redis),
            # then search saves without embedding its queue (the next start queues those again).
            if app.state.ingest is not None:
                app.state.ingest.stop()
                app.state.ingest = None
            if getattr(app.state, "alerts", None) is not None:
                app.state.alerts.stop()
                app.state.store.on_incident_changed.remove(app.state.alerts.hook)
                app.state.alerts = None
            if retention is not None:
                retention.stop()
            if getattr(app.state, "search_index", None) is not None:
                app.state.search_index.close()
                app.state.search_index = None
            if redis_handle is not None:
                redis_handle.stop()
            if owned_store:
                app.state.store.close()
                app.state.store = None

    # The API description is served only to key holders (below), like everything but /health.
    app = FastAPI(
        title="citylens",
        summary="Incidents, counts, camera health and search over the city's cameras",
        lifespan=lifespan,
        # Served by services.api.routes.ui from package files (offline) and behind the API's auth.
        docs_url=None, redoc_url=None, openapi_url=None,
    )
    app.state.settings = settings
    app.state.runtime = runtime
    app.state.store = store
    app.state.broadcaster = Broadcaster()
    app.state.sse_slots = StreamSlots()
    app.state.rate_limiter = RateLimiter(rate=settings.rate_limit_per_s, burst=settings.rate_limit_burst)
    app.state.auth_fail_limiter = RateLimiter(rate=settings.auth_fail_rate_per_s, burst=settings.auth_fail_burst)
    app.state.retention = None
    app.state.alerts = None
    app.state.ingest = None
    app.state.redis_url = runtime.redis_url if settings.run_ingest else None
    register_routers(app)
    mount_console(app)
    app.add_middleware(RejectInvalidUnicode)  # inside the size limit: it reads whole (bounded) JSON bodies
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.state.metrics = api_metrics.ApiMetrics(app)
    app.add_middleware(api_metrics.RequestTimer, metrics=app.state.metrics)  # outermost: times everything
    app.include_router(api_metrics.router, dependencies=[] if settings.metrics_public else [Depends(require_viewer)])
    if settings.json_logs:
        from services.logjson import use_json_logs

        use_json_logs()

    @app.exception_handler(Exception)
    async def _last_resort(request: Request, exc: Exception) -> JSONResponse:
        # Handlers raise HTTPException for every expected failure; reaching here is a bug worth a traceback.
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse(status_code=500, content={"detail": "internal server error"})

    return app


def install_event_log(store: Store) -> None:
    """Every committed incident revision also lands in the event log (same transaction) that /events streams."""
    if getattr(store, "_event_log_installed", False):
        return
    store._event_log_installed = True
    store.on_incident_changed.append(
        lambda s, row: record_event(s, row, "incident", IncidentPublic.from_row(row).model_dump_json()))
    store.on_incidents_deleted.append(
        lambda s, ids: s.execute(delete(EventRow).where(EventRow.incident_id.in_(ids))))


def start_alerts(settings: Settings, store: Store) -> AlertRouter | None:
    """Webhooks and MQTT, when configured: a store hook fills the outbox, a thread delivers it."""
    hooks = parse_webhooks(settings.webhooks)
    if not hooks and not settings.mqtt_url:
        return None
    router = AlertRouter(store, webhooks=hooks, mqtt_url=settings.mqtt_url, mqtt_prefix=settings.mqtt_topic_prefix,
                         max_attempts=settings.alert_max_attempts)
    router.hook = lambda s, row: router.on_incident_changed(s, row, IncidentPublic.from_row(row).model_dump_json())
    store.on_incident_changed.append(router.hook)
    return router.start()


def _check_access(settings: Settings, store: Store) -> None:
    seed_admin_key(store, settings.admin_key.get_secret_value() if settings.admin_key else None)
    if settings.open_mode:
        log.warning("!" * 78)
        log.warning("OPEN MODE: every route is served WITHOUT an API key, as admin, on %s (loopback only). "
                    "Demo use only; unset CITYLENS_OPEN_MODE to require keys.", settings.api_host)
        log.warning("!" * 78)
    elif count_active_keys(store) == 0:
        log.warning("no active API keys: every route but /health answers 401; create one with "
                    "`citylens keys create --name NAME --role admin` or set CITYLENS_ADMIN_KEY")


__all__ = ["Runtime", "create_app", "ingest_trust", "install_event_log", "register_routers", "resolve_runtime"]
