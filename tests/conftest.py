"""Shared fixtures: a real redis-server per test, a fresh store, offline model env, and the "unit tests never call ray.init" rule."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("YOLO_OFFLINE", "1")
os.environ.setdefault("CITYLENS_MODEL_DIR", str((REPO.parent / "shared" / "models").resolve()))
os.environ.setdefault("CITYLENS_DATA_DIR", str((REPO.parent / "shared" / "data").resolve()))
# Every API a test starts (in process, or a `citylens api` / `citylens demo` subprocess, which inherit this) would
# load search's cross-lingual reader in a background thread: 4-7 s of CPU each on a 2-core box. Off for tests;
# tests/test_search_api.py turns it on explicitly to prove the warm-up (and that it is on by default).
os.environ.setdefault("CITYLENS_WARM_SEARCH_READER", "0")


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


def pytest_generate_tests(metafunc):
    """A test module with ``STORE_BACKENDS = ("sqlite", "postgresql")`` runs its ``store`` tests on each."""
    backends = getattr(metafunc.module, "STORE_BACKENDS", None)
    if backends and "store" in metafunc.fixturenames:
        metafunc.parametrize("store", backends, indirect=True)


@pytest.fixture(scope="session")
def pg_server_url():
    """A real PostgreSQL server: $CITYLENS_TEST_PG_URL (.ci/run starts one), else one started here."""
    from tests.pg import PG_URL_ENV, PostgresServer

    url = os.environ.get(PG_URL_ENV)
    if url:
        yield url
        return
    import shutil
    import tempfile

    # Not under pytest's tmp root: that is private to root, and the server runs as the postgres user.
    root = Path(tempfile.mkdtemp(prefix="citylens-pg-"))
    server = PostgresServer(root).start()
    try:
        yield server.url
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server_url):
    """A fresh, empty database on the test PostgreSQL server, dropped afterwards."""
    from tests.pg import create_database, drop_database

    url = create_database(pg_server_url)
    yield url
    drop_database(pg_server_url, url)


@pytest.fixture
def store(request, tmp_path):
    """A fresh store with its media folder: SQLite (WAL) in this test's tmp_path by default, or a fresh
    PostgreSQL database when the module asks for ``STORE_BACKENDS``."""
    from services.store import Store

    backend = getattr(request, "param", "sqlite")
    url = request.getfixturevalue("pg_url") if backend == "postgresql" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    s = Store(url, tmp_path / "media")
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
