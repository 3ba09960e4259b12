"""Secrets in the YAML (``${ENV}``, ``${ENV:-default}``) and Redis auth per box, on a real redis-server with
``requirepass``, one ACL user per box and one for the center, over plain TCP and over TLS with client certs.

Needs Debian's ``redis-server`` (built with TLS; .ci/run installs it): the test fails, never skips, without it.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
import redis
import yaml

from pipeline.config import RedisAuthConfig, RedisTlsConfig, expand_env, load_config, redis_url_with_auth
from pipeline.exceptions import ConfigError
from tests.factories import make_incident

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("value", "env", "expected"),
    [
        ("redis://:${PW}@h:6379/0", {"PW": "s3cret"}, "redis://:s3cret@h:6379/0"),
        ("${HOST:-10.0.0.5}:${PORT:-6379}", {}, "10.0.0.5:6379"),
        ("${HOST:-10.0.0.5}", {"HOST": "redis"}, "redis"),
        ("${EMPTY:-fallback}", {"EMPTY": ""}, "fallback"),
        ("${EMPTY:-}", {}, ""),
        ("price $$5 and $${NOT_EXPANDED}", {}, "price $5 and ${NOT_EXPANDED}"),
        ("no dollars", {}, "no dollars"),
        ("a lone $ stays", {}, "a lone $ stays"),
    ],
)
def test_env_references_expand_in_string_values(value, env, expected):
    assert expand_env({"redis": {"url": value}}, env=env) == {"redis": {"url": expected}}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, r"city.yaml: cameras.0.source.url: environment variable CAM_PW is not set"),
        ({"CAM_PW": ""}, r"city.yaml: cameras.0.source.url: environment variable CAM_PW is empty"),
    ],
)
def test_a_missing_secret_names_the_file_key_and_variable(tmp_path, monkeypatch, env, message):
    monkeypatch.delenv("CAM_PW", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    p = tmp_path / "city.yaml"
    p.write_text(yaml.safe_dump({"boxes": [{"name": "a"}], "cameras": [
        {"id": "c", "box": "a", "source": {"url": "rtsp://viewer:${CAM_PW}@10.0.0.9/stream"}}]}))
    with pytest.raises(ConfigError, match=message):
        load_config(p)


def test_example_city_config_takes_every_secret_from_the_environment(monkeypatch):
    names = ("REDIS_BOX_DEPOT_PASSWORD", "REDIS_BOX_MARKET_PASSWORD", "REDIS_BOX_PARK_PASSWORD", "RING_CAM_PASSWORD",
             "DEPOT_CAM_PASSWORD", "MARKET_CAM_PASSWORD", "PARK_CAM_PASSWORD", "REDIS_CENTER_PASSWORD", "DB_PASSWORD")
    for n in names:
        monkeypatch.setenv(n, f"pw-{n.lower()}")
    cfg = load_config(REPO / "configs" / "example-city.yaml")
    assert cfg.store.url == "postgresql+psycopg://citylens:pw-db_password@10.0.0.6:5432/citylens"
    assert cfg.box("market-cabinet").redis.password == "pw-redis_box_market_password"
    url = cfg.redis_url_for("market-cabinet", cfg.redis.url)
    assert url.startswith("rediss://box-market-cabinet:pw-redis_box_market_password@10.0.0.5:6380/0?")
    assert "ssl_ca_certs=%2Fetc%2Fcitylens%2Ftls%2Fca.pem" in url  # the city's CA, inherited by the box
    monkeypatch.delenv("DB_PASSWORD")
    with pytest.raises(ConfigError, match=r"example-city.yaml: store.url: environment variable DB_PASSWORD is not set"):
        load_config(REPO / "configs" / "example-city.yaml")


@pytest.mark.parametrize(
    ("url", "auth", "expected"),
    [
        ("redis://h:6379/0", RedisAuthConfig(), "redis://h:6379/0"),
        ("redis://h:6379/0", RedisAuthConfig(password="p w"), "redis://:p%20w@h:6379/0"),
        ("redis://h:6379/0", RedisAuthConfig(username="box-a", password="p@:/"), "redis://box-a:p%40%3A%2F@h:6379/0"),
        ("redis://env:given@h:6379/0", RedisAuthConfig(username="box-a", password="x"), "redis://env:given@h:6379/0"),
        ("redis://h:6380/0", RedisAuthConfig(tls=RedisTlsConfig(ca_file="/ca.pem", verify=True)),
         "rediss://h:6380/0?ssl_ca_certs=%2Fca.pem&ssl_cert_reqs=required"),
    ],
)
def test_credentials_and_tls_fold_into_the_url(url, auth, expected):
    assert redis_url_with_auth(url, auth) == expected


# ------------------------------------------------------------------------------------ real redis-server
def _debian_redis() -> str:
    exe = shutil.which("redis-server", path="/usr/bin:/usr/local/bin")
    assert exe, "Debian's redis-server (with TLS) is required: apt-get install -y redis-server (.ci/run does)"
    return exe


def _certs(d: Path) -> dict[str, Path]:
    """A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl."""
    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True, timeout=60)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=citylens-test-ca")
    (d / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    for name in ("server", "client"):
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={name}")
        run("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", f"{name}.pem", "-days", "2", "-extfile", "san.ext")
    return {n: d / n for n in ("ca.pem", "server.pem", "server.key", "client.pem", "client.key")}


@pytest.fixture
def secure_redis(tmp_path):
    """redis-server with requirepass for `default`, ACL users `center` and `box-a`, a TCP port and a TLS port."""
    from services.redis_server import free_port, wait_for_redis

    certs = _certs(tmp_path)
    port, tls_port = free_port(), free_port()
    conf = tmp_path / "redis.conf"
    conf.write_text("\n".join([
        f"port {port}", "bind 127.0.0.1", f"dir {tmp_path}", "save \"\"", "appendonly no",
        f"tls-port {tls_port}", f"tls-cert-file {certs['server.pem']}", f"tls-key-file {certs['server.key']}",
        f"tls-ca-cert-file {certs['ca.pem']}", "tls-auth-clients optional",
        "requirepass default-secret",
        # The center reads, acks and claims; it may not flush or reconfigure the server.
        "user center on >center-secret ~citylens:* resetchannels +@all -@dangerous",
        # A box may only append to the citylens streams (and say hello): no reads, no deletes.
        "user box-a on >box-a-secret resetkeys ~citylens:incidents ~citylens:counts ~citylens:health resetchannels "
        "-@all +ping +xadd +client",
    ]) + "\n")
    proc = subprocess.Popen([_debian_redis(), str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        wait_for_redis(f"redis://:default-secret@127.0.0.1:{port}/0", 10)
        yield {"port": port, "tls_port": tls_port, "certs": certs, "dir": tmp_path}
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()


def _city_yaml(tmp_path: Path, redis_url: str, tls: dict | None) -> Path:
    redis_cfg = {"url": redis_url, "username": "center", "password": "${CENTER_REDIS_PW}"}
    if tls:
        redis_cfg["tls"] = tls
    p = tmp_path / "city.yaml"
    p.write_text(yaml.safe_dump({
        "boxes": [{"name": "box-a", "redis": {"username": "box-a", "password": "${BOX_A_REDIS_PW}"}}],
        "cameras": [{"id": "cam-1", "box": "box-a", "source": {"url": "rtsp://10.0.0.9/stream"}}],
        "redis": redis_cfg,
        "store": {"url": f"sqlite:///{tmp_path / 'center.db'}", "media_dir": str(tmp_path / "media")},
    }))
    return p


def _publish_and_ingest(cfg_path: Path, tmp_path: Path) -> tuple[dict, list[str]]:
    """A box publishes one incident with its own user; the center ingests it with its user; returns stats, ids."""
    from edge_workers.bus import Publisher
    from services.api.app import resolve_runtime
    from services.ingest import Ingestor
    from services.settings import Settings
    from services.store import Store

    cfg = load_config(cfg_path)
    runtime = resolve_runtime(Settings(config=cfg_path))
    store = Store(runtime.store_url, runtime.media_dir)
    ing = Ingestor(runtime.redis_url, store, consumer_name="center-test", block_ms=200)
    ing.ensure_groups()
    pub = Publisher(cfg.redis_url_for("box-a", cfg.redis.url), maxlen=1000, spool_dir=tmp_path / "spool",
                    spool_max_bytes=1 << 20, source="box-a/cam-1", timeout_s=5)
    try:
        pub.publish(make_incident(1, camera_id="cam-1"))
        stats = pub.stats()
        deadline = time.monotonic() + 10
        while store.count_incidents() == 0 and time.monotonic() < deadline:
            ing.run_once()
        rows, _ = store.list_incidents()
        return stats, [r.id for r in rows]
    finally:
        pub.close()
        ing.close()
        store.close()


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_box_and_center_use_their_own_acl_users_over_plain_tcp(secure_redis, tmp_path, monkeypatch):
    monkeypatch.setenv("CENTER_REDIS_PW", "center-secret")
    monkeypatch.setenv("BOX_A_REDIS_PW", "box-a-secret")
    cfg_path = _city_yaml(tmp_path, f"redis://127.0.0.1:{secure_redis['port']}/0", None)
    stats, ids = _publish_and_ingest(cfg_path, tmp_path)
    assert stats["published"] == 1 and stats["spooled"] == 0
    assert ids == ["inc-00001"]

    port = secure_redis["port"]
    with pytest.raises(redis.AuthenticationError):
        redis.Redis.from_url(f"redis://127.0.0.1:{port}/0").ping()  # requirepass: no anonymous access
    with pytest.raises(redis.AuthenticationError):
        redis.Redis.from_url(f"redis://box-a:wrong@127.0.0.1:{port}/0").ping()
    box = redis.Redis.from_url(f"redis://box-a:box-a-secret@127.0.0.1:{port}/0")
    with pytest.raises(redis.exceptions.NoPermissionError):
        box.xrange("citylens:incidents")  # a stolen box cannot read the city's incidents ...
    with pytest.raises(redis.exceptions.NoPermissionError):
        box.delete("citylens:incidents")  # ... nor delete them
    with pytest.raises(redis.exceptions.NoPermissionError):
        box.xadd("citylens:control", {"a": "b"})  # ... nor write anything but the three data streams
    box.close()
    center = redis.Redis.from_url(f"redis://center:center-secret@127.0.0.1:{port}/0")
    with pytest.raises(redis.exceptions.NoPermissionError):
        center.flushall()
    center.close()


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_a_box_with_a_wrong_password_spools_instead_of_publishing(secure_redis, tmp_path, monkeypatch):
    monkeypatch.setenv("CENTER_REDIS_PW", "center-secret")
    monkeypatch.setenv("BOX_A_REDIS_PW", "not-the-password")
    cfg_path = _city_yaml(tmp_path, f"redis://127.0.0.1:{secure_redis['port']}/0", None)
    from edge_workers.bus import Publisher

    cfg = load_config(cfg_path)
    pub = Publisher(cfg.redis_url_for("box-a", cfg.redis.url), maxlen=1000, spool_dir=tmp_path / "spool",
                    spool_max_bytes=1 << 20, source="box-a/cam-1", timeout_s=5)
    try:
        pub.publish(make_incident(1, camera_id="cam-1"))
        assert pub.stats()["published"] == 0 and pub.stats()["spool_pending"] == 1  # kept, not lost
    finally:
        pub._redis.close()


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_box_and_center_over_tls_with_client_certificates(secure_redis, tmp_path, monkeypatch):
    monkeypatch.setenv("CENTER_REDIS_PW", "center-secret")
    monkeypatch.setenv("BOX_A_REDIS_PW", "box-a-secret")
    c = secure_redis["certs"]
    tls = {"ca_file": str(c["ca.pem"]), "cert_file": str(c["client.pem"]), "key_file": str(c["client.key"])}
    cfg_path = _city_yaml(tmp_path, f"redis://127.0.0.1:{secure_redis['tls_port']}/0", tls)
    stats, ids = _publish_and_ingest(cfg_path, tmp_path)
    assert stats["published"] == 1 and ids == ["inc-00001"]
    # A client that does not trust the CA is refused: the URL really went over TLS with verification on.
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(f"rediss://center:center-secret@127.0.0.1:{secure_redis['tls_port']}/0",
                             ssl_cert_reqs="required", ssl_ca_certs=None, socket_timeout=3).ping()
