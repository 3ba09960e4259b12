"""Hardening: schemathesis over the OpenAPI spec finds no 5xx; evidence never leaves the media dir; bad queries get 422."""

from __future__ import annotations

import os
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from sqlalchemy import update

from pipeline.types import IncidentEvent
from services.api import create_app
from services.auth import Role, create_key
from services.settings import Settings
from services.store import ApiKeyRow, IncidentRow, Store

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
JPEG = b"\xff\xd8\xff\xe0fuzz\xff\xd9"
SECRET = b"outside the media dir"


def incident(i: int, **kw) -> IncidentEvent:
    return IncidentEvent(id=f"inc-{i:05d}", state="opened", type="intrusion", camera_id="cam-1", rule="intrusion:gate",
                         started_at=T0 + timedelta(minutes=i), updated_at=T0 + timedelta(minutes=i),
                         caption="a white van stopped near the gate", **kw)


# Examples per operation and generation mode: every operation (22 today) in both modes, 8 derandomized examples
# each (at most ~350 requests; 15 took 52 s of the suite's time, 8 take 41 s on 2 cores, most of the rest is MiniLM's load
# on the first /search). Raise it (CITYLENS_FUZZ_EXAMPLES=200) for a deeper local run.
MAX_EXAMPLES = int(os.environ.get("CITYLENS_FUZZ_EXAMPLES", "8"))


@pytest.fixture
def fuzz_env(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "media")
    for i in range(3):
        store.upsert_incident(incident(i, snapshot=JPEG, crop=JPEG))
    key_row, key = create_key(store, "fuzzer", Role.ADMIN)
    app = create_app(Settings(run_ingest=False, data_dir=tmp_path, rate_limit_per_s=0), store=store)
    yield app, store, key_row.id, key
    store.close()


def test_no_generated_request_gets_a_server_error(fuzz_env):
    # Hypothesis is driven directly: schemathesis's pytest plugin (schema.parametrize) breaks on pytest 9.
    app, store, key_id, key = fuzz_env
    # /events streams until the client leaves; a generated request without max_events would never end.
    api = schemathesis.openapi.from_asgi("/openapi.json", app, headers={"X-API-Key": key}).exclude(path="/events")
    operations = [r.ok() for r in api.get_all_operations()]
    assert len(operations) >= 12
    failures: list[str] = []
    codes: Counter[int] = Counter()

    for op in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(case=op.as_strategy(generation_mode=mode))
            def call(case) -> None:
                with store.session() as s:  # a generated DELETE /keys/{id} may revoke the fuzzer's own key
                    s.execute(update(ApiKeyRow).where(ApiKeyRow.id == key_id).values(revoked_at=None))
                r = case.call(headers={"X-API-Key": key}, timeout=120)  # the first /search loads MiniLM
                # POST /session checks the key in its body: random keys are 401 by design, not a lost header.
                codes["signin-401" if (case.path == "/session" and r.status_code == 401) else r.status_code] += 1
                assert r.status_code < 500, (f"{case.method} {case.formatted_path} query={case.query} "
                                             f"body={str(case.body)[:200]} -> {r.status_code}: {r.text[:300]}")

            try:
                for attempt in (1, 2):
                    try:
                        call()
                        break
                    except RuntimeError as e:
                        # hypothesis iterates sys.modules while describing a strategy; a module imported meanwhile
                        # by an app thread (the first /search loads MiniLM) makes *generation* fail before any
                        # request is sent (seen twice in full runs). Not an API answer: generate once more.
                        if attempt == 2 or "changed size during iteration" not in str(e):
                            raise
            except Unsatisfiable:  # negative mode of an operation with nothing to break (no params, no body)
                assert mode is GenerationMode.NEGATIVE, op.label
            except AssertionError as e:  # keep going: one run reports every failing operation
                failures.append(f"{op.label} [{mode.value}]: {e}")
    assert not failures, "\n".join(failures)
    assert codes[200] + codes[201] > 0 and codes[401] == 0, codes  # the key reached the handlers


@pytest.fixture
def client(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "media")
    store.upsert_incident(incident(1, snapshot=JPEG))
    (tmp_path / "secret.txt").write_bytes(SECRET)
    _, key = create_key(store, "admin", Role.ADMIN)
    with TestClient(create_app(Settings(run_ingest=False, data_dir=tmp_path), store=store),
                    headers={"X-API-Key": key}) as c:
        c.store = store
        yield c
    store.close()


@pytest.mark.parametrize("incident_id", [
    "..", "../secret.txt", "..%2Fsecret.txt", "..%2F..%2Fsecret.txt", "%2e%2e%2fsecret.txt", "%252e%252e%252fsecret.txt",
    "..\\secret.txt", "....//secret.txt", "inc-00001%00", "%2e%2e",
])
@pytest.mark.parametrize("name", ["snapshot.jpg", "crop.jpg"])
def test_evidence_ids_with_dot_dot_or_encoded_variants_never_reach_a_file(client, incident_id, name):
    r = client.get(f"/incidents/{incident_id}/{name}")
    assert r.status_code in (404, 422) and SECRET not in r.content


def test_a_tampered_evidence_path_in_the_store_is_refused(client):
    with client.store.session() as s:
        s.execute(update(IncidentRow).where(IncidentRow.id == "inc-00001").values(snapshot_path="../secret.txt"))
    r = client.get("/incidents/inc-00001/snapshot.jpg")
    assert r.status_code == 404 and "no valid snapshot path" in r.json()["detail"] and SECRET not in r.content


@pytest.mark.parametrize(
    ("path", "params", "reason"),
    [
        ("/incidents", {"camera": [f"c{i}" for i in range(51)]}, "camera"),
        ("/incidents", {"zone": "z" * 129}, "zone"),
        ("/incidents", {"since": "0001-01-01T00:00:00+05:00"}, "out of range"),
        ("/incidents", {"cursor": "x" * 600}, "cursor"),
        ("/counts", {"name": [f"n{i}" for i in range(51)]}, "name"),
        ("/events", {"max_events": 0}, "max_events"),
        ("/audit", {"action": ["a"] * 51}, "action"),
        ("/audit", {"cursor": -1}, "cursor"),
    ],
)
def test_out_of_bounds_query_parameters_get_422_with_a_reason(client, path, params, reason):
    r = client.get(path, params=params)
    assert r.status_code == 422 and reason in str(r.json()["detail"])
