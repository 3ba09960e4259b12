"""Fault-injection kit: real clips cut from the footage, a real MJPEG camera, a Ray session, delivery checks.

Test doubles here are named as such: ``SlowDetector`` (a Detector actor that sleeps, to force frame drops)
and ``SlowCommitStore`` (a store that holds each batch open, so an ingest process can be killed mid-batch).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.paths import PEOPLE, TRAFFIC  # noqa: F401 - re-exported to the fault tests

REPO = Path(__file__).resolve().parents[1]
BOX = "box-f"
GROUP = "citylens-center"


# --------------------------------------------------------------------------------------------- footage
def cut_clip(src: Path, dst: Path, n_frames: int, start: int = 0) -> Path:
    """The frames ``start .. start+n_frames`` of a real video, re-encoded (mp4v) at its own rate."""
    cap = cv2.VideoCapture(str(src))
    fps = cap.get(cv2.CAP_PROP_FPS) or 10.0
    cap.set(cv2.CAP_PROP_POS_FRAMES, start)
    writer = None
    for _ in range(n_frames):
        ok, img = cap.read()
        if not ok:
            break
        if writer is None:
            writer = cv2.VideoWriter(str(dst), cv2.VideoWriter_fourcc(*"mp4v"), fps, (img.shape[1], img.shape[0]))
        writer.write(img)
    cap.release()
    assert writer is not None, f"no frames read from {src}"
    writer.release()
    return dst


def read_frames(src: Path, n_frames: int, start: int = 0, step: int = 1) -> list[np.ndarray]:
    cap = cv2.VideoCapture(str(src))
    cap.set(cv2.CAP_PROP_POS_FRAMES, start)
    out: list[np.ndarray] = []
    i = 0
    while len(out) < n_frames:
        ok, img = cap.read()
        if not ok:
            break
        if i % step == 0:
            out.append(img)
        i += 1
    cap.release()
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MjpegServer:
    """A real MJPEG-over-HTTP camera (``multipart/x-mixed-replace``) on 127.0.0.1, stoppable and restartable.

    Serves ``frames`` in a loop (real footage for pipeline tests), or synthetic grey 96x72 frames whose
    level encodes their index when none are given.
    """

    def __init__(self, port: int, fps: float = 25.0, frames: list[np.ndarray] | None = None) -> None:
        self.port, self.fps = port, fps
        self._jpegs = [cv2.imencode(".jpg", f)[1].tobytes() for f in frames] if frames else None
        self._server: ThreadingHTTPServer | None = None
        self._alive = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/video.mjpg"

    def _jpeg(self, i: int) -> bytes:
        if self._jpegs:
            return self._jpegs[i % len(self._jpegs)]
        return cv2.imencode(".jpg", np.full((72, 96, 3), (i * 8) % 256, np.uint8))[1].tobytes()

    def start(self) -> None:
        alive, period, jpeg = self._alive, 1.0 / self.fps, self._jpeg

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                self.send_response(200)
                self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
                self.end_headers()
                i = 0
                while alive.is_set():
                    jpg = jpeg(i)
                    part = b"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n" % len(jpg)
                    try:
                        self.wfile.write(part + jpg + b"\r\n")
                    except OSError:
                        return
                    i += 1
                    time.sleep(period)

            def log_message(self, *args: object) -> None:
                pass

        self._alive.set()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._alive.clear()  # ends open streams, so the client sees the connection close
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def wait_until(predicate, timeout: float, what: str, poll_s: float = 0.1):
    """Poll until ``predicate()`` is truthy; return its value, or fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = predicate()
        if got:
            return got
        time.sleep(poll_s)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


# ------------------------------------------------------------------------------------------------ config
def street_camera(cam_id: str, url: str, *, realtime: bool, loop: bool = False) -> dict:
    """The demo's street camera (its line and stopped-vehicle rule), on any source."""
    return {
        "id": cam_id, "box": BOX,
        "source": {"url": url, "realtime": realtime, "loop": loop, "fps_cap": 10,
                   "reconnect_initial_s": 0.2, "reconnect_max_s": 1.0},
        "tracker": {"minimum_consecutive_frames": 2, "lost_track_buffer": 3.0, "high_conf_det_threshold": 0.4},
        "zones": [{"name": "roadway", "polygon": [[0.0, 0.47], [0.70, 0.45], [0.70, 0.64], [0.0, 0.64]]}],
        "lines": [{"name": "street-line", "start": [0.45, 0.40], "end": [0.45, 0.70], "in_name": "eastbound",
                   "out_name": "westbound", "classes": ["car", "truck", "bus", "motorcycle"], "min_frames": 2}],
        # Intrusion on the roadway raises an incident for every passing vehicle, so each fault run carries
        # several incidents whatever the stopped-vehicle rule sees in a short cut of the clip.
        "rules": [{"type": "stopped_vehicle", "zone": "roadway", "still_s": 3,
                   "classes": ["car", "truck", "bus", "motorcycle"], "severity": "info"},
                  {"type": "intrusion", "zone": "roadway", "classes": ["car", "truck", "bus", "motorcycle"]}],
    }


def lobby_camera(cam_id: str, url: str, *, realtime: bool = True) -> dict:
    """The demo's lobby camera: people standing at the table loiter (short dwell so short runs see some)."""
    return {
        "id": cam_id, "box": BOX,
        "source": {"url": url, "realtime": realtime, "fps_cap": 10, "reconnect_initial_s": 0.2, "reconnect_max_s": 1.0},
        "zones": [{"name": "table", "polygon": [[0.48, 0.80], [0.72, 0.80], [0.72, 0.965], [0.48, 0.965]]},
                  {"name": "floor", "polygon": [[0.0, 0.5], [1.0, 0.5], [1.0, 1.0], [0.0, 1.0]]}],
        "rules": [{"type": "loitering", "zone": "table", "dwell_s": 2, "classes": ["person"], "severity": "info"},
                  {"type": "intrusion", "zone": "floor", "classes": ["person"]}],
    }


def make_cfg(cameras: list[dict], data_dir: Path, *, imgsz: int = 640):
    """A one-box config with the demo's detector (yolov8n at 640) and the template captioner."""
    from pipeline.config import parse_config

    return parse_config({
        "boxes": [{"name": BOX}],
        "cameras": cameras,
        "models": {"detector": {"model": "yolov8n.pt", "imgsz": imgsz, "max_batch": 4},
                   "captioner": {"enabled": True, "backend": "template"}},
        "redis": {"spool_dir": str(data_dir / "spool"), "spool_max_bytes": 64 << 20, "claim_idle_ms": 500},
    }, "fault-test")


def init_test_ray() -> None:
    """A small local Ray node that carries the test box's resource (2 CPUs, no dashboard)."""
    import ray

    if ray.is_initialized():
        return
    ray.init(address="local", num_cpus=2, include_dashboard=False, resources={f"edge_box:{BOX}": 100}, log_to_driver=True,
             runtime_env={"env_vars": {"YOLO_OFFLINE": "1", "CITYLENS_MODEL_DIR": os.environ["CITYLENS_MODEL_DIR"]}})


# ------------------------------------------------------------------------------------------ test doubles
def slow_detector_cls(delay_s: float):
    """TEST DOUBLE: the real Detector actor (real yolov8n) that also sleeps ``delay_s`` per batch."""
    from edge_workers.actors import DetectorActor

    class SlowDetector(DetectorActor):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            real = self.batcher.fn

            def slow(frames):
                time.sleep(delay_s)
                return real(frames)

            self.batcher.fn = slow

    return SlowDetector


def slow_commit_store_cls(delay_s: float, hang_once_stored_s: float = 0.0):
    """TEST DOUBLE: the real SQLAlchemy store, holding each transaction open ``delay_s`` before commit.

    With ``hang_once_stored_s``, every transaction after the first one that left an incident in the store is held
    that long instead: the consumer then sits mid-batch with its entries pending, so a kill lands there for sure
    (a 0.3 s window alone was missed once on a loaded CI box: the batch was acknowledged before the kill).
    """
    from services.store import Store

    class SlowCommitStore(Store):
        _stored = False

        @contextmanager
        def session(self):
            with super().session() as s:
                yield s
                time.sleep(hang_once_stored_s if self._stored and hang_once_stored_s else delay_s)
            if hang_once_stored_s and not self._stored:
                self._stored = self.count_incidents() > 0  # its own session, not this method's

    return SlowCommitStore


INGEST_SCRIPT = """
import json, os, signal, sys, threading
sys.path.insert(0, {tests!r})
from fault_helpers import slow_commit_store_cls
from services.ingest import Ingestor
store = slow_commit_store_cls({delay!r}, {hang!r})({store_url!r}, {media!r})
ing = Ingestor({redis_url!r}, store, consumer_name={name!r}, claim_idle_ms={claim!r}, batch=8, block_ms=200)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: stop.set())
print("ready", flush=True)
ing.run(stop)
print(json.dumps(ing.stats()), flush=True)
"""


def start_ingest_process(redis_url: str, store_url: str, media_dir: str, *, name: str, claim_idle_ms: int,
                         commit_delay_s: float, hang_once_stored_s: float = 0.0) -> subprocess.Popen:
    """An ingest consumer in its own process (so it can be SIGKILLed as a crash would)."""
    code = INGEST_SCRIPT.format(tests=str(REPO / "tests"), delay=commit_delay_s, hang=hang_once_stored_s,
                                store_url=store_url, media=media_dir,
                                redis_url=redis_url, name=name, claim=claim_idle_ms)
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def stop_ingest_process(proc: subprocess.Popen) -> dict:
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    return json.loads(out.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------ the checks
def ingest_caught_up(redis_url: str) -> bool:
    from citylens.demo import ingest_caught_up as caught_up

    return caught_up(redis_url, GROUP)


def ledger_dir(cfg) -> Path:
    """Where the rig's cameras keep their publish ledgers (the test hook of ``EdgeSupervisor``): beside the spool."""
    return Path(cfg.redis.spool_dir).parent / "ledger"


def load_ledgers(cfg) -> dict[str, object]:
    from edge_workers.ledger import PublishLedger, ledger_path

    return {c.id: PublishLedger.load(ledger_path(ledger_dir(cfg), c.id)) for c in cfg.cameras}


@dataclass
class Delivery:
    """Store vs the edge's ledger: what was published and what arrived."""

    incidents: int  # distinct incident ids in the ledger
    revisions: int  # sum over incidents of their newest revision number + 1
    counts: int  # count keys in the ledger
    lost: list  # ids missing from the store, or stored at an older revision; count keys stored lower
    duplicated: list  # incidents in the store the ledger never published (re-raised under new ids); counts too high

    def ok(self) -> bool:
        return not self.lost and not self.duplicated


def delivery(store, ledgers: dict) -> Delivery:
    """Compare the store with the ledgers of ``ledgers``' cameras."""
    from sqlalchemy import select

    from services.store import CountRow, IncidentRow

    cams = list(ledgers)
    with store.session() as s:
        rows = s.execute(select(IncidentRow.id, IncidentRow.seq).where(IncidentRow.camera_id.in_(cams))).all()
        counts = dict(s.execute(select(CountRow.key, CountRow.count).where(CountRow.camera_id.in_(cams))).all())
    stored = {i: q for i, q in rows}
    assert len(stored) == len(rows), "two rows share an incident id"
    want = {i: q for led in ledgers.values() for i, q in led.incidents.items()}
    want_counts = {k: v for led in ledgers.values() for k, v in led.counts.items()}
    lost = [(i, q, stored.get(i)) for i, q in want.items() if stored.get(i, -1) < q]
    lost += [(k, v, counts.get(k)) for k, v in want_counts.items() if counts.get(k, -1) < v]
    dup = [(i, None, q) for i, q in stored.items() if i not in want or q > want[i]]
    dup += [(k, want_counts.get(k), v) for k, v in counts.items() if k not in want_counts or v > want_counts[k]]
    return Delivery(incidents=len(want), revisions=sum(q + 1 for q in want.values()), counts=len(want_counts),
                    lost=lost, duplicated=dup)


def rss_mb(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def report(fault: str, **numbers) -> None:
    """Print one measured line for docs/reliability.md and append it to $CITYLENS_FAULT_LOG if set."""
    line = json.dumps({"fault": fault, **numbers}, default=str)
    print(f"\nFAULT-RESULT {line}")
    path = os.environ.get("CITYLENS_FAULT_LOG")
    if path:
        with open(path, "a") as f:
            f.write(line + "\n")


# ------------------------------------------------------------------------------------------------ the rig
class Rig:
    """One real pipeline: EdgeSupervisor on the test Ray node → real Redis → Ingestor (thread) → SQLite store.

    Example:
        >>> with Rig(cfg, redis_server.url, tmp_path) as rig:  # doctest: +SKIP
        ...     rig.start_ingest(); rig.start_edge(); rig.finish(120)
    """

    def __init__(self, cfg, redis_url: str, data_dir: Path, *, detector_cls=None) -> None:
        from services.store import Store

        self.cfg, self.redis_url, self.data_dir = cfg, redis_url, data_dir
        self.store_url = f"sqlite:///{data_dir / 'citylens.db'}"
        self.media_dir = str(data_dir / "media")
        self.store = Store(self.store_url, self.media_dir)
        self.detector_cls = detector_cls
        self.sup = None
        self.ingestor = None
        self._ingest_thread: tuple | None = None

    def __enter__(self) -> "Rig":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start_ingest(self, name: str = "test-ingest") -> None:
        from services.ingest import Ingestor

        self.ingestor = Ingestor(self.redis_url, self.store, consumer_name=name, claim_idle_ms=500, block_ms=200)
        self._ingest_thread = self.ingestor.start_thread()

    def start_edge(self) -> None:
        from edge_workers.actors import DetectorActor
        from edge_workers.supervisor import EdgeSupervisor

        self.sup = EdgeSupervisor(self.cfg, redis_url=self.redis_url, model_dir=os.environ["CITYLENS_MODEL_DIR"],
                                  detector_cls=self.detector_cls or DetectorActor, ledger_dir=str(ledger_dir(self.cfg)))
        self.sup.start()

    def health(self, cam_id: str, settle_s: float = 15.0):
        """The camera's ``CameraStatus`` now.

        On a loaded 2-core box the worker's health call can itself time out, which the supervisor rightly reports
        as UNREACHABLE; the tests want what the camera is doing, so such a read is retried for up to ``settle_s``
        (a worker that is really dead or restarting still reads UNREACHABLE after that).
        """
        deadline = time.monotonic() + settle_s
        while True:
            h = next(h for h in self.sup.health() if h.camera_id == cam_id)
            if h.state != "unreachable" or time.monotonic() > deadline:
                return h
            time.sleep(0.2)

    def finish(self, timeout_s: float) -> dict:
        """Wait for every camera to end, then for ingest to have everything in the store."""
        results = self.sup.wait(timeout=timeout_s, poll_s=0.5)
        wait_until(lambda: ingest_caught_up(self.redis_url), 60, "ingest to catch up", poll_s=0.3)
        return results

    def stop_edge(self) -> None:
        if self.sup is not None:
            self.sup.stop()

    def close(self) -> None:
        self.stop_edge()
        if self._ingest_thread is not None:
            thread, stop = self._ingest_thread
            stop.set()
            thread.join(timeout=10)
            self.ingestor.close()
        self.store.close()


@pytest.fixture(scope="session")
def ray_node():
    """One small Ray node for the whole fault suite (starting Ray costs seconds on 2 cores)."""
    import ray

    init_test_ray()
    try:
        yield
    finally:
        ray.shutdown()


def pending_of(redis_url: str, consumer: str) -> int:
    """Entries delivered to ``consumer`` and not yet acked, over the data streams."""
    import redis

    from citylens.contracts import DATA_STREAMS

    r = redis.Redis.from_url(redis_url)
    try:
        total = 0
        for stream in DATA_STREAMS:
            try:
                for c in r.xinfo_consumers(stream, GROUP):
                    name = c["name"].decode() if isinstance(c["name"], bytes) else c["name"]
                    if name == consumer:
                        total += int(c["pending"])
            except redis.ResponseError:
                pass
        return total
    finally:
        r.close()
