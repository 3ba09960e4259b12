"""Shared fixtures: a real redis-server per test, a fresh store, offline model env, and the "unit tests never call ray.init" rule."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("YOLO_OFFLINE", "1")
os.environ.setdefault("CITYLENS_MODEL_DIR", str((REPO.parent / "shared" / "models").resolve()))
os.environ.setdefault("CITYLENS_DATA_DIR", str((REPO.parent / "shared" / "data").resolve()))


@pytest.fixture
def redis_server(tmp_path):
    """A real redis-server on a free loopback port: ``.url``, ``.port``, ``.stop()``, ``.start()`` (same port
    and data dir), ``.kill()`` (SIGKILL). Always stopped at the end of the test."""
    from services.redis_server import RedisServer

    server = RedisServer(tmp_path / "redis").start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def store(tmp_path):
    """A fresh SQLite store (WAL) with its media folder, in this test's tmp_path."""
    from services.store import Store

    s = Store(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "media")
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _no_ray_init_in_unit_tests(request, monkeypatch):
    """Unit tests must not start Ray; only tests marked ``slow`` may."""
    if request.node.get_closest_marker("slow") is not None:
        return
    try:
        import ray
    except ImportError:
        return

    def _refuse(*_a, **_k):
        raise RuntimeError("ray.init called in a unit test; mark the test @pytest.mark.slow or inject a fake actor")

    monkeypatch.setattr(ray, "init", _refuse)
