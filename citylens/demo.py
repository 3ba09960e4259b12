"""Edge and center on one machine: embedded Redis, store, ingest, API, Ray edge actors; optional summary."""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from pathlib import Path

from citylens.contracts import CitylensError, STREAM_COUNTS, STREAM_HEALTH, STREAM_INCIDENTS
from citylens.contracts.config import CityConfig
from pipeline.status import CameraStatus

log = logging.getLogger("citylens.demo")


def ingest_caught_up(redis_url: str, group: str) -> bool:
    """True when every stream's group has delivered the newest entry and nothing is pending."""
    import redis

    r = redis.Redis.from_url(redis_url)
    try:
        for stream in (STREAM_INCIDENTS, STREAM_COUNTS, STREAM_HEALTH):
            if not r.exists(stream):
                continue
            last = r.xinfo_stream(stream)["last-generated-id"]
            groups = {g["name"].decode() if isinstance(g["name"], bytes) else g["name"]: g for g in r.xinfo_groups(stream)}
            g = groups.get(group)
            if g is None or g["pending"] or g["last-delivered-id"] != last:
                return False
        return True
    finally:
        r.close()


def summary(store, results: dict[str, CameraStatus], run_id: str) -> dict:
    """This run's incidents by type and line counts by line/direction, read back from the store the API serves.

    Only rows stamped with ``run_id`` count: a second demo over the same data folder reports its own run,
    not the sum of every run the store holds.
    """
    from sqlalchemy import func, select

    from citylens.process import run_summary
    from services.store import IncidentRow

    run = run_summary(store, run_id)
    by_type: dict[str, int] = {}
    for per_cam in run.incidents.values():
        for typ, n in per_cam.items():
            by_type[typ] = by_type.get(typ, 0) + n
    with store.session() as s:
        captioned = s.execute(select(func.count()).where(IncidentRow.run_id == run_id,
                                                         IncidentRow.caption.is_not(None))).scalar_one()
    cams = {cid: r.model_dump(mode="json", include={"state", "frames_in", "frames_processed", "frames_dropped", "published", "error"})
            for cid, r in results.items()}
    return {"run_id": run_id, "incidents_total": run.incidents_total, "incidents_by_type": by_type,
            "captioned": captioned, "line_counts": run.counts, "cameras": cams}


def run_demo(cfg: CityConfig, *, config_path: Path | None = None, exit_when_done: bool, host: str, port: int, data_dir: Path,
             realtime: bool | None = None, timeout_s: float | None = None,
             edge_metrics_port: int | None = None) -> dict | None:
    import uvicorn

    from edge_workers.supervisor import EdgeSupervisor, init_ray
    from services.api.app import create_app
    from services.api.server import server_config
    from services.redis_server import ensure_redis
    from services.settings import RunSettings, Settings
    from services.store import Store

    data_dir.mkdir(parents=True, exist_ok=True)
    if realtime is not None:
        for cam in cfg.cameras:
            cam.source.realtime = realtime
    cfg.redis.spool_dir = str(data_dir / "spool")
    # One loader, one precedence: the environment over the config's redis.url; the demo's store lives under
    # data_dir unless CITYLENS_STORE_URL names one (RunSettings: flags > environment > defaults).
    run = RunSettings()
    deploy = Settings(config=config_path) if config_path else run  # env > the config's redis / models sections
    redis_url, redis_handle = ensure_redis(deploy.redis_url or cfg.redis.url, data_dir / "redis")
    store_url = run.store_url or f"sqlite:///{data_dir / 'citylens.db'}"
    store = Store(store_url, str(data_dir / "media"))
    # With CITYLENS_ADMIN_KEY set the demo uses keys (sign in at / with that key); otherwise it runs open.
    open_mode = run.admin_key is None
    settings = Settings(config=config_path, redis_url=redis_url, store_url=store_url, media_dir=str(data_dir / "media"),
                        api_host=host, api_port=port, run_ingest=True, open_mode=open_mode)
    app = create_app(settings, store=store)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", **server_config(settings)))
    api_thread = threading.Thread(target=server.run, name="citylens-api", daemon=True)
    api_thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not api_thread.is_alive() or time.monotonic() > deadline:
            raise CitylensError(f"the API did not start on {host}:{port} (port in use?)")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]  # the real port when 0 asked for any free one
    log.warning("demo API at http://%s:%d (console at /, docs at /docs) — %s", host, port,
                "OPEN MODE, no API keys: loopback only" if open_mode else "sign in with CITYLENS_ADMIN_KEY")
    sup = None
    try:
        init_ray(cfg)
        sup = EdgeSupervisor(cfg, redis_url=redis_url, model_dir=deploy.model_dir)
        sup.start()
        if edge_metrics_port is not None:
            from edge_workers.metrics import serve_edge_metrics

            try:
                serve_edge_metrics(sup, port=edge_metrics_port, spool_dir=cfg.redis.spool_dir)
            except OSError as e:  # the demo still runs without its edge metrics
                log.warning("edge metrics not served on port %d: %s", edge_metrics_port, e)
        # Ray's start-up leaves SIGINT without Python's KeyboardInterrupt handler (Ctrl-C was ignored: the demo
        # slept on until killed, leaving the embedded redis-server behind). Ctrl-C and SIGTERM (docker stop) now
        # interrupt the main thread so the finally below stops cameras, Ray, the API and Redis in order.
        stop_on_signals()
        if not exit_when_done:
            while True:
                time.sleep(5)
                for h in sup.health():
                    log.info("camera %s: %s", h.camera_id, h.state.value)
        results = sup.wait(timeout=timeout_s)
        log.info("demo run %s: cameras done, waiting for ingest", sup.run_id)
        deadline = time.monotonic() + 120
        while not ingest_caught_up(redis_url, cfg.redis.consumer_group):
            if time.monotonic() > deadline:
                raise TimeoutError("ingest did not catch up within 120 s")
            time.sleep(0.5)
        out = summary(store, results, sup.run_id)
        out["api"] = f"http://{host}:{port}"
        return out
    finally:
        if sup is not None:
            sup.stop()
        import ray

        if ray.is_initialized():
            ray.shutdown()
        server.should_exit = True
        api_thread.join(timeout=10)
        if redis_handle is not None:
            redis_handle.stop()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


def stop_on_signals() -> None:
    """Make SIGINT (Ctrl-C) and SIGTERM raise KeyboardInterrupt in the main thread; call after ``ray.init``.

    A no-op off the main thread (an embedding application runs the demo in a thread and owns its signals)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _interrupt)


def print_summary(out: dict) -> None:
    print(json.dumps(out, indent=2, sort_keys=True, default=str))
