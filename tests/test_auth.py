"""Access control: hashed keys, roles, 401/403 reasons, acks and notes, audit log, rate limits, body limit, CLI."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from citylens.cli import app as cli
from pipeline.types import IncidentEvent
from services.api import create_app
from services.auth import RateLimiter, Role, create_key, verify_key
from services.settings import Settings
from services.store import ApiKeyRow, Store

STORE_BACKENDS = ("sqlite", "postgresql")  # the same answers from both stores (tests/conftest.py)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
ADMIN_KEY = "an-admin-key-from-the-environment-0123456789"


def incident(i: int) -> IncidentEvent:
    return IncidentEvent(id=f"inc-{i:05d}", state="opened", type="intrusion", camera_id="cam-1", rule="intrusion:gate",
                         started_at=T0 + timedelta(minutes=i), updated_at=T0 + timedelta(minutes=i))


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "media")
    s.upsert_incident(incident(1))
    yield s
    s.close()


@pytest.fixture
def keys(store) -> dict[str, str]:
    return {role.value: create_key(store, f"{role.value}-1", role)[1] for role in Role}


def make_client(store, tmp_path, **settings) -> TestClient:
    # open mode serves loopback clients only: the test client says it is one
    return TestClient(create_app(Settings(run_ingest=False, data_dir=tmp_path, **settings), store=store),
                      base_url="http://127.0.0.1", client=("127.0.0.1", 50000))


@pytest.fixture
def client(store, tmp_path, keys):
    with make_client(store, tmp_path) as c:
        yield c


def h(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def test_keys_are_stored_only_as_sha256_with_a_display_prefix(store):
    row, key = create_key(store, "alice", Role.VIEWER)
    with store.session() as s:
        stored = s.scalar(select(ApiKeyRow).where(ApiKeyRow.id == row.id))
    assert key.startswith("clk_") and len(key) >= 40
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest() and key not in stored.key_hash
    assert key.startswith(stored.prefix) and len(stored.prefix) < 16
    assert verify_key(store, key).id == row.id and verify_key(store, key + "x") is None


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "API key required"),
        ({"X-API-Key": "clk_not-a-real-key"}, "unknown or revoked"),
        ({"Authorization": "Bearer clk_not-a-real-key"}, "unknown or revoked"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "API key required"),
    ],
)
def test_missing_or_wrong_keys_get_401_with_a_reason_on_every_route_but_health(client, store, headers, reason):
    for path in ("/incidents", "/incidents/inc-00001", "/incidents/inc-00001/snapshot.jpg", "/counts", "/cameras",
                 "/events", "/keys", "/audit", "/search?q=car"):
        r = client.get(path, headers=headers)
        assert r.status_code == 401, path
        assert reason in r.json()["detail"] and r.headers["www-authenticate"].startswith("Bearer")
    assert client.post("/incidents/inc-00001/ack", headers=headers).status_code == 401
    assert client.get("/health", headers=headers).status_code == 200


def test_a_key_works_as_x_api_key_and_as_bearer(client, keys):
    assert client.get("/incidents", headers=h(keys["viewer"])).status_code == 200
    assert client.get("/incidents", headers={"Authorization": f"Bearer {keys['viewer']}"}).status_code == 200


@pytest.mark.parametrize(
    ("role", "method", "path", "code"),
    [
        ("viewer", "GET", "/incidents", 200),
        ("viewer", "GET", "/incidents/inc-00001/notes", 200),
        ("viewer", "POST", "/incidents/inc-00001/ack", 403),
        ("viewer", "GET", "/keys", 403),
        ("operator", "POST", "/incidents/inc-00001/ack", 200),
        ("operator", "POST", "/incidents/inc-00001/notes", 201),
        ("operator", "GET", "/audit", 403),
        ("operator", "POST", "/keys", 403),
        ("operator", "DELETE", "/keys/1", 403),
        ("admin", "POST", "/incidents/inc-00001/ack", 200),
        ("admin", "GET", "/keys", 200),
        ("admin", "GET", "/audit", 200),
    ],
)
def test_each_role_reaches_exactly_its_routes(client, keys, role, method, path, code):
    body = {"text": "checked on site"} if path.endswith("/notes") else {"name": "x", "role": "viewer"} if path == "/keys" else None
    r = client.request(method, path, headers=h(keys[role]), json=body if method == "POST" else None)
    assert r.status_code == code, r.text
    if code == 403:
        assert f"has role '{role}'" in r.json()["detail"]


def test_ack_keeps_the_first_ack_and_notes_are_listed_and_everything_is_audited(client, keys):
    r = client.post("/incidents/inc-00001/ack", headers=h(keys["operator"]))
    assert r.status_code == 200 and r.json()["acked_by"] == "operator-1" and r.json()["acked_at"]
    again = client.post("/incidents/inc-00001/ack", headers=h(keys["admin"])).json()
    assert again["acked_by"] == "operator-1" and again["acked_at"] == r.json()["acked_at"]
    assert client.get("/incidents/inc-00001", headers=h(keys["viewer"])).json()["acked_by"] == "operator-1"
    assert client.post("/incidents/nope/ack", headers=h(keys["operator"])).status_code == 404
    n = client.post("/incidents/inc-00001/notes", headers=h(keys["operator"]), json={"text": "false alarm: a cat"})
    assert n.status_code == 201 and n.json()["author"] == "operator-1"
    notes = client.get("/incidents/inc-00001/notes", headers=h(keys["viewer"])).json()
    assert [x["text"] for x in notes["data"]] == ["false alarm: a cat"]
    assert client.post("/incidents/inc-00001/notes", headers=h(keys["operator"]), json={"text": ""}).status_code == 422

    log = client.get("/audit", headers=h(keys["admin"])).json()["data"]
    assert [(e["action"], e["key_name"], e["role"], e["target"]) for e in log] == [
        ("incident.note", "operator-1", "operator", "incident:inc-00001"),
        ("incident.ack", "admin-1", "admin", "incident:inc-00001"),
        ("incident.ack", "operator-1", "operator", "incident:inc-00001"),
    ]
    assert log[0]["client_ip"] == "127.0.0.1" and log[2]["detail"]["first"] is True and log[1]["detail"]["first"] is False


def test_audit_filters_by_action_and_time_and_pages_with_a_cursor(client, keys):
    for _ in range(5):
        client.post("/incidents/inc-00001/ack", headers=h(keys["operator"]))
    client.post("/incidents/inc-00001/notes", headers=h(keys["operator"]), json={"text": "n"})
    admin = h(keys["admin"])
    acks = client.get("/audit", params={"action": "incident.ack"}, headers=admin).json()
    assert acks["count"] == 5 and {e["action"] for e in acks["data"]} == {"incident.ack"}
    seen, cursor = [], None
    while True:
        page = client.get("/audit", params={"limit": 2, **({"cursor": cursor} if cursor else {})}, headers=admin).json()
        seen += [e["id"] for e in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 6 == len(set(seen)) and seen == sorted(seen, reverse=True)
    future = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    assert client.get("/audit", params={"since": future}, headers=admin).json()["count"] == 0
    assert client.get("/audit", params={"until": future}, headers=admin).json()["count"] == 6
    assert client.get("/audit", params={"since": "2024-05-01T00:00:00"}, headers=admin).status_code == 422


def test_admin_creates_lists_and_revokes_keys_and_the_plaintext_is_shown_once(client, keys):
    admin = h(keys["admin"])
    r = client.post("/keys", headers=admin, json={"name": "dashboard", "role": "viewer"})
    assert r.status_code == 201
    new_key = r.json()["key"]
    assert client.get("/cameras", headers=h(new_key)).status_code == 200
    listed = client.get("/keys", headers=admin).json()
    assert listed["count"] == 4 and new_key not in str(listed) and "key_hash" not in str(listed)
    assert client.delete(f"/keys/{r.json()['id']}", headers=admin).json()["revoked_at"]
    assert client.get("/cameras", headers=h(new_key)).status_code == 401
    assert client.delete("/keys/999", headers=admin).status_code == 404
    assert client.post("/keys", headers=admin, json={"name": "bad name!", "role": "viewer"}).status_code == 422
    assert client.post("/keys", headers=admin, json={"name": "x", "role": "root"}).status_code == 422
    admin_id = next(k["id"] for k in listed["data"] if k["role"] == "admin")
    r = client.delete(f"/keys/{admin_id}", headers=admin)
    assert r.status_code == 409 and "last active admin key" in r.json()["detail"]
    actions = [e["action"] for e in client.get("/audit", headers=admin).json()["data"]]
    assert actions == ["key.revoke", "key.create"]


def test_rate_limit_answers_429_with_retry_after_per_key(store, tmp_path, keys):
    with make_client(store, tmp_path, rate_limit_per_s=0.5, rate_limit_burst=3) as c:
        codes = [c.get("/cameras", headers=h(keys["viewer"])).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = c.get("/cameras", headers=h(keys["viewer"]))
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1 and "rate limit" in r.json()["detail"]
        assert c.get("/cameras", headers=h(keys["operator"])).status_code == 200  # another key, another bucket
        assert c.get("/health").status_code == 200


def test_token_bucket_refills_at_the_configured_rate():
    now = [0.0]
    rl = RateLimiter(rate=2.0, burst=2, clock=lambda: now[0])
    assert [rl.acquire("k") for _ in range(3)] == [0.0, 0.0, pytest.approx(0.5)]
    now[0] = 0.5
    assert rl.acquire("k") == 0.0 and rl.acquire("k") > 0
    assert RateLimiter(rate=0, burst=1).acquire("k") == 0.0  # 0 = off


def test_bodies_over_the_limit_get_413_with_a_reason_declared_or_streamed(store, tmp_path, keys):
    with make_client(store, tmp_path, max_body_bytes=4096) as c:
        big = {"text": "x" * 5000}
        r = c.post("/incidents/inc-00001/notes", headers=h(keys["operator"]), json=big)
        assert r.status_code == 413 and "4096 bytes" in r.json()["detail"]

        def chunks():  # no Content-Length: the limit must hold while reading
            yield b'{"text": "'
            for _ in range(10):
                yield b"y" * 1000
            yield b'"}'

        r = c.post("/incidents/inc-00001/notes", headers={**h(keys["operator"]), "content-type": "application/json"},
                   content=chunks())
        assert r.status_code == 413 and "4096 bytes" in r.json()["detail"]
        assert c.post("/incidents/inc-00001/notes", headers=h(keys["operator"]), json={"text": "ok"}).status_code == 201


def test_admin_key_env_seeds_one_admin_only_into_an_empty_store(tmp_path, monkeypatch):
    s = Store(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "media")
    monkeypatch.setenv("CITYLENS_ADMIN_KEY", ADMIN_KEY)
    try:
        with TestClient(create_app(Settings(run_ingest=False, data_dir=tmp_path), store=s)) as c:
            assert c.get("/keys", headers=h(ADMIN_KEY)).json()["data"][0]["name"] == "bootstrap-admin"
        with TestClient(create_app(Settings(run_ingest=False, data_dir=tmp_path), store=s)) as c:
            assert c.get("/keys", headers=h(ADMIN_KEY)).json()["count"] == 1  # not seeded twice
    finally:
        s.close()
    with pytest.raises(ValueError, match="admin_key"):
        Settings(admin_key="changeme")


def test_open_mode_warns_loudly_and_is_refused_off_loopback(store, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="services.api.app"):
        with make_client(store, tmp_path, open_mode=True) as c:
            assert c.get("/keys").status_code == 200  # demo: admin without a key
            assert c.get("/incidents", headers=h("clk_wrong")).status_code == 401  # a given key is still checked
    assert "OPEN MODE" in caplog.text
    with pytest.raises(ValueError, match="non-loopback"):
        Settings(open_mode=True, api_host="0.0.0.0")
    settings = Settings(run_ingest=False, data_dir=tmp_path, open_mode=True).model_copy(update={"api_host": "10.0.0.5"})
    with pytest.raises(RuntimeError, match="non-loopback"):
        create_app(settings, store=store)


def test_cli_creates_lists_and_revokes_keys_in_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv("CITYLENS_STORE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("CITYLENS_MEDIA_DIR", str(tmp_path / "media"))
    runner = CliRunner()
    r = runner.invoke(cli, ["keys", "create", "--name", "ops", "--role", "admin"])
    assert r.exit_code == 0, r.output
    key = r.stdout.strip().splitlines()[-1]
    s = Store(f"sqlite:///{tmp_path / 'cli.db'}", tmp_path / "media")
    try:
        assert verify_key(s, key).role == "admin"
    finally:
        s.close()
    r = runner.invoke(cli, ["keys", "list"])
    assert '"name": "ops"' in r.stdout and key not in r.stdout
    assert runner.invoke(cli, ["keys", "create", "--name", "x", "--role", "root"]).exit_code == 2
    assert "last active admin key" in runner.invoke(cli, ["keys", "revoke", "1"]).output
