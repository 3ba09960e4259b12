"""Real HTTP servers for hardening tests: uvicorn on a loopback port (in a thread or as a subprocess) and raw sockets."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout_s: float = 20.0, proc: subprocess.Popen | None = None) -> None:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stdout.read() if proc.stdout else ''}")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer within {timeout_s}s")


@contextmanager
def serve_in_thread(app, host: str = "127.0.0.1", **config) -> Iterator[str]:
    """Run ``app`` under a real uvicorn server in a thread; yields its base URL; stops it at exit."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on", **config))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    base = f"http://127.0.0.1:{port}"
    try:
        end = time.monotonic() + 20
        while not server.started:
            if not t.is_alive() or time.monotonic() > end:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        yield base
    finally:
        server.should_exit = True
        t.join(15)


@contextmanager
def serve_subprocess(args: list[str], env: dict[str, str], port: int) -> Iterator[subprocess.Popen]:
    """Run a server command (e.g. ``python -m uvicorn …``) in its own process; killed at exit."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **env}
    proc = subprocess.Popen(args, cwd=REPO, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        if proc.stdout:
            proc.stdout.close()


def latency_p50(url: str, n: int = 10, **kw) -> float:
    times = []
    with httpx.Client(timeout=30) as c:
        for _ in range(n):
            t0 = time.perf_counter()
            c.get(url, **kw)
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


PY = sys.executable
