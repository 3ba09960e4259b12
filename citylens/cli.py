"""The ``citylens`` command: demo, edge, api, ingest, export, bench, search, keys, retention."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from citylens.contracts import CitylensError

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
bench_app = typer.Typer(no_args_is_help=True, help="Benchmarks; each prints JSON with its baseline measured in the same run.")
app.add_typer(bench_app, name="bench")
db_app = typer.Typer(no_args_is_help=True, help="The store's schema (Alembic migrations in services/migrations).")
app.add_typer(db_app, name="db")
keys_app = typer.Typer(no_args_is_help=True, help="API keys, written to the store directly (run on the center).")
app.add_typer(keys_app, name="keys")



def _setup(verbose: bool) -> None:
    os.environ.setdefault("YOLO_OFFLINE", "1")
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _load(config: Path):
    from citylens.contracts.config import load_config

    try:
        return load_config(config)
    except CitylensError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None


def _checked(config: Path, boxes: list[str] | None = None):
    """Load ``config`` and check what only a run would find out; every problem printed, exit 2 if any."""
    from pipeline.check import check_config

    cfg = _load(config)
    problems = check_config(cfg, boxes)
    if problems:
        typer.echo(f"error: {config}: {len(problems)} problem(s):", err=True)
        for p in problems:
            typer.echo(f"  {p}", err=True)
        raise typer.Exit(2)
    return cfg


@app.command()
def check(config: Path = typer.Argument(..., help="deployment YAML"), verbose: bool = typer.Option(False, "-v")) -> None:
    """Validate a config without starting anything: schema (every error), files, class names."""
    _setup(verbose)
    _checked(config)
    typer.echo(f"{config}: ok")


@app.command()
def demo(
    config: Optional[Path] = typer.Option(None, help="deployment YAML (default: the demo config shipped with citylens)"),
    exit_when_done: bool = typer.Option(False, "--exit-when-done", help="process the files to their end, print a JSON summary, exit"),
    fast: bool = typer.Option(False, "--fast", help="read files as fast as possible instead of at real time"),
    host: str = typer.Option("127.0.0.1", help="API bind address (the demo runs open: keep it on loopback)"),
    port: int = typer.Option(8000, help="API port (0 = any free port)"),
    data_dir: Path = typer.Option(Path(".citylens/demo"), help="Redis, store and media of this run"),
    timeout: Optional[float] = typer.Option(None, help="give up after this many seconds (with --exit-when-done)"),
    edge_metrics_port: int = typer.Option(9108, help="Prometheus /metrics of the edge actors on 127.0.0.1 (-1 = off)"),
    verbose: bool = typer.Option(False, "-v"),
) -> None:
    """Run edge and center on this machine and serve the API (embedded Redis unless CITYLENS_REDIS_URL)."""
    _setup(verbose)
    from citylens.demo import print_summary, run_demo

    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo("error: the demo has no API keys and only binds to loopback; use `citylens api` to serve a network", err=True)
        raise typer.Exit(2)
    config = config or _demo_config()
    cfg = _checked(config)
    try:
        out = run_demo(cfg, config_path=config, exit_when_done=exit_when_done, host=host, port=port, data_dir=data_dir,
                       realtime=False if fast else None, timeout_s=timeout,
                       edge_metrics_port=None if edge_metrics_port < 0 else edge_metrics_port)
    except (CitylensError, TimeoutError) as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo("demo stopped", err=True)
        raise typer.Exit(130) from None
    if out is not None:
        print_summary(out)
        failed = sorted(cid for cid, cam in out.get("cameras", {}).items() if cam.get("state") == "failed")
        if failed:
            typer.echo(f"error: camera(s) failed: {', '.join(failed)} (see 'error' in the summary)", err=True)
            raise typer.Exit(1)


def _demo_config() -> Path:
    from citylens.assets import demo_config

    try:
        return demo_config()
    except CitylensError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None


@app.command()
def process(
    videos: list[str] = typer.Argument(..., help="video files; PATH matches the config camera reading a file of that "
                                                 "name (or its only camera), CAMERA=PATH names the camera"),
    config: Optional[Path] = typer.Option(None, help="deployment YAML whose cameras' zones, lines and rules apply "
                                                     "(default: the shipped demo config)"),
    store_url: Optional[str] = typer.Option(None, "--store", help="SQLAlchemy URL (default: CITYLENS_STORE_URL, else "
                                                                   "sqlite under --data-dir)"),
    data_dir: Path = typer.Option(Path(".citylens/process"), help="store and evidence of runs without --store"),
    csv_out: Optional[Path] = typer.Option(None, "--csv", help="also write this run's counts (per minute) as CSV"),
    json_out: bool = typer.Option(False, "--json", help="print the summary as JSON instead of tables"),
    verbose: bool = typer.Option(False, "-v"),
) -> None:
    """Analyse recorded files as fast as the machine allows; store and summarise the incidents and counts of this run."""
    _setup(verbose)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from citylens.process import export_counts_csv, frame_count, match_videos, print_table, process_videos
    from pipeline.types import new_run_id
    from services.settings import RunSettings, Settings
    from services.store import Store

    config = config or _demo_config()
    cfg = _load(config)
    try:
        pairs = match_videos(cfg, videos)
    except CitylensError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    run = RunSettings(**({"store_url": store_url} if store_url else {}))  # flag > env > under --data-dir
    url = run.store_url or f"sqlite:///{(data_dir / 'citylens.db').resolve()}"
    media = run.media_dir or str(data_dir / "media")
    model_dir = Settings(config=config).model_dir  # env > the config's models.model_dir
    store = Store(url, media)
    run_id = new_run_id()
    err = Console(stderr=True)
    err.print(f"run {run_id}: {len(pairs)} file(s) into {_redact(url)}")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("frames"),
               TimeElapsedColumn())
    try:
        with Progress(*columns, console=err) as progress:
            tasks = {cam.id: progress.add_task(f"{cam.id} ({path.name})", total=frame_count(path)) for cam, path in pairs}
            read: dict[str, int] = {}

            def on_frame(cam_id: str, n: int) -> None:
                read[cam_id] = n
                progress.update(tasks[cam_id], completed=n)

            summary = process_videos(cfg, pairs, store, run_id=run_id, model_dir=model_dir, on_frame=on_frame)
            for cam, _ in pairs:  # the container's frame count is an estimate: end at what the source really read
                n = summary.cameras.get(cam.id, {}).get("frames_in") or read.get(cam.id, 0)
                progress.update(tasks[cam.id], completed=n, total=n)
        if csv_out is not None:
            rows = export_counts_csv(store, run_id, csv_out)
            err.print(f"wrote {rows} count rows to {csv_out}")
    finally:
        store.close()
    failed = {c: s for c, s in summary.cameras.items() if s.get("state") == "failed"}
    if json_out:
        typer.echo(json.dumps(summary.as_dict(), indent=2, sort_keys=True, default=str))
    else:
        print_table(summary, Console())
    if failed:
        typer.echo(f"error: {len(failed)} file(s) failed: {json.dumps(failed, default=str)}", err=True)
        raise typer.Exit(1)


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL SQLAlchemy knows: show nothing secret
        return url.split("@")[-1]


@app.command()
def healthcheck(
    redis_check: bool = typer.Option(False, "--redis", help="ping the Redis this box (or the center) publishes to"),
    api_url: Optional[str] = typer.Option(None, "--api", help="GET this URL (e.g. http://127.0.0.1:8000/health); 200 = ok"),
    config: Optional[Path] = typer.Option(None, envvar="CITYLENS_CONFIG", help="deployment YAML (redis section)"),
    box: Optional[str] = typer.Option(None, envvar="CITYLENS_BOX", help="check with this box's Redis user"),
    timeout: float = typer.Option(5.0, help="seconds per check"),
) -> None:
    """Container health: exit 0 when every asked check passes, 1 (with one line why) otherwise."""
    problems: list[str] = []
    if redis_check:
        import redis

        from services.redis_server import redact_url
        from services.settings import Settings

        cfg = _load(config) if config else None
        base = Settings(config=config).redis_url  # env > the config's redis.url
        if not base:
            problems.append("redis: no URL (set CITYLENS_REDIS_URL or redis.url)")
        else:
            url = cfg.redis_url_for(box, base) if cfg else base
            try:
                client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
                client.ping()
                client.close()
            except redis.RedisError as e:
                problems.append(f"redis {redact_url(url)}: {type(e).__name__}: {e}")
    if api_url:
        import httpx

        try:
            r = httpx.get(api_url, timeout=timeout)
            if r.status_code != 200:
                problems.append(f"api {api_url}: HTTP {r.status_code}")
        except httpx.HTTPError as e:
            problems.append(f"api {api_url}: {type(e).__name__}: {e}")
    if not (redis_check or api_url):
        problems.append("nothing to check: pass --redis and/or --api URL")
    if problems:
        typer.echo("unhealthy: " + "; ".join(problems), err=True)
        raise typer.Exit(1)
    typer.echo("ok")


@app.command()
def edge(
    config: Path = typer.Option(..., help="deployment YAML"),
    box: list[str] = typer.Option([], help="run only these boxes' cameras (default: all)"),
    address: Optional[str] = typer.Option(None, help="Ray cluster to join (default $RAY_ADDRESS, else start one)"),
    metrics_port: int = typer.Option(9108, help="Prometheus /metrics of this edge process (-1 = off)"),
    metrics_addr: str = typer.Option("127.0.0.1", help="bind address of the metrics server (0.0.0.0 for a scraper "
                                                       "on another machine)"),
    verbose: bool = typer.Option(False, "-v"),
) -> None:
    """Start or join a Ray cluster and run the CameraWorker and Detector actors of the chosen boxes."""
    _setup(verbose)
    import time

    from edge_workers.supervisor import EdgeSupervisor, init_ray
    from services.settings import Settings

    cfg = _checked(config, box or None)
    settings = Settings(config=config)  # env > YAML > defaults, as for the API
    redis_url = settings.redis_url
    if not redis_url:
        typer.echo("error: the edge needs the center's Redis: set redis.url or CITYLENS_REDIS_URL", err=True)
        raise typer.Exit(2)
    init_ray(cfg, address=address, boxes=box or None)
    from citylens.demo import stop_on_signals

    stop_on_signals()  # Ray's start-up leaves Ctrl-C without KeyboardInterrupt: stop the cameras in order on it
    sup = EdgeSupervisor(cfg, redis_url=redis_url, boxes=box or None, model_dir=settings.model_dir)
    sup.start()
    if metrics_port >= 0:
        from edge_workers.metrics import serve_edge_metrics

        serve_edge_metrics(sup, port=metrics_port, addr=metrics_addr, spool_dir=cfg.redis.spool_dir)
    try:
        while not sup.done():
            time.sleep(10)
            for h in sup.health():
                logging.getLogger("citylens.edge").info("health %s", h.model_dump_json())
        typer.echo(json.dumps({cid: s.model_dump(mode="json") for cid, s in sup.wait().items()}, indent=2))
    except KeyboardInterrupt:
        sup.stop()


@app.command()
def api(
    config: Optional[Path] = typer.Option(None, help="deployment YAML (store, redis, api sections)"),
    host: Optional[str] = typer.Option(None),
    port: Optional[int] = typer.Option(None),
    ingest: bool = typer.Option(True, help="run the ingest consumer inside the API process"),
    verbose: bool = typer.Option(False, "-v"),
) -> None:
    """Serve the REST API (and, by default, ingest from Redis Streams into the store)."""
    _setup(verbose)
    import uvicorn

    from services.api.app import create_app
    from services.api.server import server_config
    from services.settings import Settings

    # Flags > CITYLENS_* environment > the YAML's api/store/redis sections > defaults (services.settings).
    if config is not None:
        _load(config)  # one clear line for a bad file before anything starts
    overrides = {"run_ingest": ingest, "config": config, "api_host": host, "api_port": port}
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    uvicorn.run(create_app(settings), host=settings.api_host, port=settings.api_port, log_level="info" if verbose else "warning",
                **server_config(settings))


@app.command("ingest")
def ingest_cmd(config: Optional[Path] = typer.Option(None, help="deployment YAML (store and redis sections)"),
               verbose: bool = typer.Option(False, "-v")) -> None:
    """Run only the ingest consumer (Redis Streams → store and search index), e.g. as its own service."""
    _setup(verbose)
    import signal
    import threading

    from services.api.app import ingest_trust, resolve_runtime
    from services.api.routes.search import search_index_from_config
    from services.ingest import Ingestor
    from services.settings import Settings
    from services.store import Store

    settings = Settings(**({"config": config} if config else {}))
    runtime = resolve_runtime(settings)
    if not runtime.redis_url:
        typer.echo("error: the ingest service needs the center's Redis: set redis.url or CITYLENS_REDIS_URL", err=True)
        raise typer.Exit(2)
    store = Store(runtime.store_url, runtime.media_dir)
    index = search_index_from_config(store, runtime.config)
    stop = threading.Event()
    # SIGTERM (systemd, docker stop) stops consuming at once, like Ctrl-C; unread entries stay in Redis.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        Ingestor(runtime.redis_url, store, group=runtime.group, consumer_name=settings.consumer_name,
                 **ingest_trust(settings, runtime),
                 claim_idle_ms=runtime.claim_idle_ms).run(stop)
    except KeyboardInterrupt:
        stop.set()
    finally:
        if index is not None:
            index.close()
        store.close()


@app.command()
def export(
    model: str = typer.Option("yolov8n.pt", help="ultralytics weights (path or name)"),
    out: Path = typer.Option(Path("yolov8n.onnx"), help="where to write the ONNX file"),
    imgsz: int = typer.Option(640),
    int8: bool = typer.Option(False, "--int8", help="also quantise to INT8 (static, calibrated on real frames) and "
                              "write it beside OUT as *.int8.onnx; check its mAP with `citylens bench int8`"),
    calib: list[Path] = typer.Option([], help="videos to calibrate INT8 on (default: samples/ and the clips of "
                                     "$CITYLENS_DATA_DIR that no test half uses)"),
    calib_frames: int = typer.Option(256, help="calibration frames, spread over the videos"),
) -> None:
    """Export a YOLO model to ONNX for the torch-free onnxruntime backend (optionally an INT8 copy too)."""
    _setup(False)
    from pipeline.detect import export_onnx

    path = export_onnx(model, str(out), imgsz=imgsz)
    typer.echo(path)
    if int8:
        from pipeline.quantize import calibration_frames, calibration_videos, quantize_int8

        videos = calib or calibration_videos()
        if not videos:
            typer.echo("error: no calibration videos: pass --calib VIDEO", err=True)
            raise typer.Exit(2)
        typer.echo(quantize_int8(path, Path(path).with_suffix(".int8.onnx"), calibration_frames(videos, calib_frames),
                                 imgsz=imgsz))


@bench_app.command("search")
def bench_search(n: int = typer.Option(100_000, help="synthetic incidents in the store"),
                 queries: int = typer.Option(200), db_dir: Optional[Path] = typer.Option(None),
                 reuse: bool = typer.Option(False, "--reuse", help="only time queries over the store in --db-dir"),
                 store_url: Optional[str] = typer.Option(
                     None, help="an empty PostgreSQL database (postgresql+psycopg://user@host/db) instead of a SQLite "
                                "file in --db-dir; --db-dir then keeps its vector index")) -> None:
    """Fill a store with N synthetic incidents; report ingest rate and search / filtered-list latency."""
    _setup(False)
    from citylens.bench.search import run_search_bench, run_search_query_bench

    if reuse:
        if db_dir is None:
            typer.echo("error: --reuse needs --db-dir of a store an earlier run built", err=True)
            raise typer.Exit(2)
        typer.echo(json.dumps(run_search_query_bench(str(db_dir), queries=queries, store_url=store_url), indent=2))
        return
    typer.echo(json.dumps(run_search_bench(n=n, queries=queries, db_dir=str(db_dir) if db_dir else None,
                                           store_url=store_url), indent=2))


@bench_app.command("detect")
def bench_detect(video: Path = typer.Option(Path("samples/traffic_residential_street_cvTrafficCam.mp4")),
                 n: int = typer.Option(32, help="frames"), imgsz: int = typer.Option(640),
                 repeats: int = typer.Option(3),
                 threads: Optional[int] = typer.Option(None, help="inference threads for both backends"),
                 device: str = typer.Option("cpu", help="'cpu', 'cuda' or 'auto'"),
                 size: Optional[str] = typer.Option(None, help="resize frames to WxH first, e.g. 1920x1080"),
                 batch_sizes: str = typer.Option("1,4", help="comma-separated, e.g. 1,8,32"),
                 backends: str = typer.Option("ultralytics,onnx,torch", help="first one is the baseline"),
                 compile_model: bool = typer.Option(False, "--compile", help="torch.compile the torch path (CUDA)")) -> None:
    """Detector throughput on real frames per backend and batch size; decode is measured separately."""
    _setup(False)
    from citylens.bench.detect import run_detect_bench

    wh = tuple(int(v) for v in size.lower().split("x")) if size else None
    typer.echo(json.dumps(run_detect_bench(str(video), n=n, imgsz=imgsz, repeats=repeats, threads=threads,
                                           device=device, size=wh, batches=tuple(int(b) for b in batch_sizes.split(",")),
                                           backends=tuple(backends.split(",")), compile_model=compile_model), indent=2))


@bench_app.command("int8")
def bench_int8(calib_frames: int = typer.Option(256, help="calibration frames from pipeline.quantize.calibration_videos()"),
               imgsz: int = typer.Option(640), repeats: int = typer.Option(3),
               threads: Optional[int] = typer.Option(None, help="inference threads for both models")) -> None:
    """INT8 vs fp32 ONNX in one run: mAP@0.5 on coco128 ($CITYLENS_DATA_DIR) and ms/frame on real frames."""
    _setup(False)
    from citylens.bench.int8 import run_int8_bench

    typer.echo(json.dumps(run_int8_bench(imgsz=imgsz, calib_frames=calib_frames, repeats=repeats, threads=threads),
                          indent=2))


@bench_app.command("gating")
def bench_gating(cache_dir: Optional[Path] = typer.Option(None, help="detections cached here (the first run detects "
                                                              "every analysed frame of every clip: minutes)"),
                 clips: Optional[str] = typer.Option(None, help="comma-separated camera ids (default: all clips)"),
                 idle_strides: str = typer.Option("1,2"),
                 stationary_ious: str = typer.Option("", help="also the default gate with each of these "
                                                     "motion.stationary_iou values (0 = off), comma-separated")) -> None:
    """Line crossings and incidents with motion gating vs every frame, on the sample and more/ clips."""
    _setup(False)
    from citylens.bench.gating import run_gating_bench

    typer.echo(json.dumps(run_gating_bench(cache_dir=str(cache_dir) if cache_dir else None,
                                           clips=clips.split(",") if clips else None,
                                           idle_strides=tuple(int(s) for s in idle_strides.split(",")),
                                           stationary_ious=tuple(float(v) for v in stationary_ious.split(",") if v)),
                          indent=2))


@bench_app.command("edge")
def bench_edge(duration: float = typer.Option(15.0, help="seconds of each capacity trial's steady window, the "
                                               "one judged (after its warm-up)"),
               warmup: float = typer.Option(5.0, help="seconds each trial runs, once every camera streams, "
                                            "before its steady window (the detector is warmed before cameras start)"),
               retries: int = typer.Option(1, help="a camera count that fails is tried again this many times"),
               max_cameras: int = typer.Option(6, help="stop each ramp here"),
               fps: float = typer.Option(5.0, help="frames per second per camera"),
               modes: str = typer.Option(",".join(("naive", "naive_per_camera", "defaults", "gated_int8_actor",
                                                    "gated_int8")),
                                         help="also: gated_int8_whole (gated_int8 on whole frames, the window's before)"),
               int8_model: Optional[Path] = typer.Option(None, help="reuse an INT8 ONNX (else exported in the run)"),
               recall_clips: str = typer.Option(",".join(("residential_street", "highway_night")),
                                                help="hand-counted clips (tests/data/line_counts.yaml) each mode "
                                                     "replays whole for line-count recall; '' = none")) -> None:
    """N real-time cameras through the real edge (Ray actors, Redis, ingest, API): cameras sustained per mode,
    and each mode's line-count recall against the hand counts and against naive, in the same run."""
    _setup(False)
    from citylens.bench.edge import run_edge_bench

    typer.echo(json.dumps(run_edge_bench(duration_s=duration, warmup_s=warmup, retries=retries,
                                         max_cameras=max_cameras, fps=fps,
                                         modes=tuple(modes.split(",")),
                                         int8_model=str(int8_model) if int8_model else None,
                                         recall=tuple(c for c in recall_clips.split(",") if c)), indent=2))


@bench_app.command("caption")
def bench_caption(random_weights: bool = typer.Option(True, "--random-weights/--real-weights"),
                  device: str = typer.Option("auto"),
                  small: bool = typer.Option(False, help="a tiny random model instead of the full-size architecture"),
                  image_size: int = typer.Option(512, help="512 px = 64 image tokens; 256 px = 16"),
                  new_tokens: int = typer.Option(32), batch_sizes: str = typer.Option("1,4")) -> None:
    """Caption latency and captions/s of the default VLM architecture (random weights: no download)."""
    _setup(False)
    from citylens.bench.caption import run_caption_bench

    sizes = tuple(int(b) for b in batch_sizes.split(","))
    typer.echo(json.dumps(run_caption_bench(device=device, random_weights=random_weights, small=small,
                                            image_size=image_size, new_tokens=new_tokens, batch_sizes=sizes), indent=2))


@app.command()
def search(q: str = typer.Argument(..., help="natural-language query"),
           api_url: str = typer.Option("http://127.0.0.1:8000"), limit: int = typer.Option(10),
           api_key: Optional[str] = typer.Option(None, envvar="CITYLENS_API_KEY")) -> None:
    """Ask a running citylens API for incidents matching a natural-language query."""
    import httpx

    headers = {"X-API-Key": api_key} if api_key else {}
    r = httpx.get(f"{api_url}/search", params={"q": q, "limit": limit}, headers=headers, timeout=30)
    if r.status_code >= 400:
        typer.echo(f"error: {r.status_code} {r.text}", err=True)
        raise typer.Exit(1)
    typer.echo(json.dumps(r.json(), indent=2))


def _open_store(config: Optional[Path], *, upgrade: bool = True):
    """The store the API would use: CITYLENS_* env over the YAML config over defaults."""
    from services.api.app import resolve_runtime
    from services.settings import Settings
    from services.store import Store

    rt = resolve_runtime(Settings(**({"config": config} if config else {})))
    return Store(rt.store_url, rt.media_dir, upgrade=upgrade), rt


_CONFIG_OPT = typer.Option(None, "--config", help="deployment YAML (its store section)")


@keys_app.command("create")
def keys_create(name: str = typer.Option(..., help="who holds the key (shown in the audit log)"),
                role: str = typer.Option("viewer", help="viewer | operator | admin"),
                config: Optional[Path] = _CONFIG_OPT) -> None:
    """Create a key and print it once (only its hash is stored)."""
    from services.auth import Role, create_key

    try:
        r = Role(role)
    except ValueError:
        typer.echo(f"error: --role must be one of {[x.value for x in Role]}, got {role!r}", err=True)
        raise typer.Exit(2) from None
    store, _ = _open_store(config)
    try:
        row, key = create_key(store, name, r)
    finally:
        store.close()
    typer.echo(f"created key {row.id} ({row.name}, {row.role}); it is shown only now:", err=True)
    typer.echo(key)


@keys_app.command("list")
def keys_list(config: Optional[Path] = _CONFIG_OPT) -> None:
    """List keys (prefix, role, revoked), never the keys themselves."""
    from services.auth import list_keys

    store, _ = _open_store(config)
    try:
        for k in list_keys(store):
            typer.echo(json.dumps({"id": k.id, "name": k.name, "role": k.role, "prefix": k.prefix,
                                   "created_at": k.created_at.isoformat(),
                                   "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None}))
    finally:
        store.close()


@keys_app.command("revoke")
def keys_revoke(key_id: int = typer.Argument(...), config: Optional[Path] = _CONFIG_OPT) -> None:
    """Revoke a key by id."""
    from services.auth import LastAdminKey, revoke_key

    store, _ = _open_store(config)
    try:
        row = revoke_key(store, key_id)
    except LastAdminKey as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1) from None
    finally:
        store.close()
    if row is None:
        typer.echo(f"error: no key {key_id}", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked key {row.id} ({row.name})")


@app.command()
def retention(days: Optional[float] = typer.Option(None, help="delete data older than this; default: the config's "
                                                              "store.retention_days / CITYLENS_RETENTION_DAYS"),
              config: Optional[Path] = _CONFIG_OPT) -> None:
    """Delete incidents (rows, evidence files, notes), counts and dead letters older than the retention."""
    from services.retention import purge

    store, rt = _open_store(config)
    try:
        days = days or rt.retention_days
        if not days or days <= 0:
            typer.echo("error: pass --days N (> 0) or set store.retention_days", err=True)
            raise typer.Exit(2)
        typer.echo(json.dumps(purge(store, days).as_dict(), indent=2))
    finally:
        store.close()


@db_app.command("upgrade")
def db_upgrade(config: Optional[Path] = _CONFIG_OPT) -> None:
    """Upgrade the store's schema to this release's (the API and ingest also do this when they start)."""
    from services import migrations

    store, rt = _open_store(config)  # opening upgrades
    try:
        typer.echo(json.dumps({"store": rt.store_url, "revision": migrations.current(store.engine)}))
    finally:
        store.close()


@db_app.command("current")
def db_current(config: Optional[Path] = _CONFIG_OPT) -> None:
    """Print the store's schema revision and this release's."""
    from sqlalchemy import create_engine

    from services import migrations
    from services.api.app import resolve_runtime
    from services.settings import Settings

    rt = resolve_runtime(Settings(**({"config": config} if config else {})))
    engine = create_engine(rt.store_url)
    try:
        typer.echo(json.dumps({"store": rt.store_url, "current": migrations.current(engine), "head": migrations.head()}))
    finally:
        engine.dispose()


def main() -> None:  # pragma: no cover
    app(prog_name="citylens")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
