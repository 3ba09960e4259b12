"""Retention: old incidents go with their files, notes, acks, audit and search rows; new ones stay; counts too."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from citylens.cli import app as cli
from pipeline.types import CountEvent, IncidentEvent
from services import media
from services.api import create_app
from services.auth import Principal, Role, list_audit, record_audit
from services.retention import RetentionJob, purge
from services.search import SearchIndex
from services.settings import Settings
from services.store import CountRow, NoteRow, Store

STORE_BACKENDS = ("sqlite", "postgresql")  # the same answers from both stores (tests/conftest.py)

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)
JPEG = b"\xff\xd8\xff\xe0retention\xff\xd9"
OPERATOR = Principal(key_id=1, name="op", role=Role.OPERATOR)


def incident(iid: str, age_days: float, **kw) -> IncidentEvent:
    t = NOW - timedelta(days=age_days)
    return IncidentEvent(id=iid, state="closed", type="intrusion", camera_id="cam-1", rule="intrusion:gate",
                         started_at=t, updated_at=t, caption=f"a person near the gate {iid}", **kw)


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "media")
    yield s
    s.close()


def seed(store: Store) -> None:
    for iid, age in (("old-1", 40), ("old-2", 31), ("new-1", 29), ("new-2", 0.5)):
        store.upsert_incident(incident(iid, age, snapshot=JPEG, crop=JPEG))
        store.ack_incident(iid, "op", NOW)
        store.add_note(iid, "op", f"note on {iid}", NOW)
        record_audit(store, OPERATOR, "incident.ack", f"incident:{iid}", now=NOW)
    record_audit(store, OPERATOR, "key.create", "key:7", now=NOW - timedelta(days=90))
    for age, n in ((40, 3), (2, 5)):
        store.upsert_count(CountEvent(camera_id="cam-1", name="l1", object_class="car", direction="in",
                                      bucket_start=NOW - timedelta(days=age), count=n))


def evidence(store: Store, iid: str) -> list:
    return [media.resolve(store.media_dir, media.relative_path("cam-1", iid, n)) for n in media.EVIDENCE_NAMES]


def test_purge_deletes_old_incidents_with_files_notes_audit_and_search_rows_and_keeps_new_ones(store):
    index = SearchIndex(store, index_path=None, background=False)  # embeds lazily: no model load here
    seed(store)
    assert all(p.is_file() for iid in ("old-1", "new-1") for p in evidence(store, iid))

    report = purge(store, days=30, now=NOW)

    assert (report.incidents, report.files, report.counts) == (2, 4, 1)
    assert store.get_incident("old-1") is None and store.get_incident("old-2") is None
    new = store.get_incident("new-1")
    assert new is not None and new.acked_by == "op"
    assert not any(p.exists() for iid in ("old-1", "old-2") for p in evidence(store, iid))
    assert not evidence(store, "old-1")[0].parent.exists()  # the incident's folder goes too
    assert all(p.is_file() for iid in ("new-1", "new-2") for p in evidence(store, iid))
    with store.session() as s:
        assert sorted(s.scalars(select(NoteRow.incident_id))) == ["new-1", "new-2"]
        assert [c.count for c in s.scalars(select(CountRow))] == [5]
        attrs = sorted(r[0] for r in s.execute(text("SELECT incident_id FROM incident_attrs")))
        fts_hits = s.execute(text("SELECT count(*) FROM incidents_fts WHERE incidents_fts MATCH 'gate'")).scalar()
        assert s.scalar(select(func.count()).select_from(NoteRow)) == 2
    assert attrs == ["new-1", "new-2"] and fts_hits == 2
    targets = [r.target for r in list_audit(store)[0]]
    assert sorted(targets) == ["incident:new-1", "incident:new-2", "key:7"]  # key admin history is kept
    assert purge(store, days=30, now=NOW).incidents == 0  # idempotent
    assert index.pending >= 2


def test_purge_refuses_a_non_positive_retention(store):
    with pytest.raises(ValueError, match="days"):
        purge(store, days=0)


def test_the_api_runs_retention_in_its_lifespan(store, tmp_path):
    seed(store)
    settings = Settings(run_ingest=False, data_dir=tmp_path, open_mode=True, retention_days=30,
                        retention_interval_s=3600)
    app = create_app(settings, store=store)
    with TestClient(app):
        job: RetentionJob = app.state.retention
        job.stop()  # the first run happens at start; wait for it to finish
        assert job.runs == 1
    # The job uses the real clock, so "old" means older than 30 days before today: all four seeds are.
    assert store.get_incident("old-1") is None and store.get_incident("new-2") is None


def test_retention_job_uses_the_injected_clock(store):
    seed(store)
    job = RetentionJob(store, days=30, interval_s=3600, clock=lambda: NOW)
    assert job.run_once().incidents == 2 and store.get_incident("new-1") is not None


def test_cli_retention_deletes_with_days(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    s = Store(url, tmp_path / "media")
    s.upsert_incident(incident("ancient", age_days=(datetime.now(timezone.utc) - NOW).days + 100, snapshot=JPEG))
    s.upsert_incident(incident("fresh", age_days=(NOW - datetime.now(timezone.utc)).days, snapshot=JPEG))
    s.close()
    monkeypatch.setenv("CITYLENS_STORE_URL", url)
    monkeypatch.setenv("CITYLENS_MEDIA_DIR", str(tmp_path / "media"))
    r = CliRunner().invoke(cli, ["retention", "--days", "30"])
    assert r.exit_code == 0, r.output
    assert '"incidents": 1' in r.stdout and '"files": 1' in r.stdout
    assert CliRunner().invoke(cli, ["retention"]).exit_code == 2  # no days anywhere


@pytest.mark.slow  # real MiniLM embeddings of four captions
def test_deleted_incidents_leave_the_vector_index_whether_or_not_it_is_attached(store, tmp_path):
    index = SearchIndex(store, index_path=tmp_path / "vectors.hnsw", background=False)
    seed(store)
    assert index.flush() == 4
    purge(store, days=30, now=NOW)  # attached: the store's delete hook drops the vectors
    with store.session() as s:
        kept = {int(r[0]) for r in s.execute(text("SELECT label FROM incident_attrs"))}
    assert len(kept) == 2 and index.all_vectors()[0].tolist() == sorted(kept)
    assert set(index.knn(index.encode_query("a person near the gate"), 4)[0].tolist()) == kept
    index.close()

    store.upsert_incident(incident("old-3", 45))  # indexed on the next open, then deleted while detached
    index = SearchIndex(store, index_path=tmp_path / "vectors.hnsw", background=False)
    index.flush()
    index.close()
    purge(store, days=30, now=NOW)
    index = SearchIndex(store, index_path=tmp_path / "vectors.hnsw", background=False)
    try:
        assert index.all_vectors()[0].tolist() == sorted(kept)
    finally:
        index.close()
