"""Search on PostgreSQL beside SQLite: the same incidents for the same queries, keyword matching through the
GIN index (migration 0006), and the hnswlib vector index (the fallback without pgvector) saved and reloaded."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import bindparam, text

from citylens.bench.synth import CAMERA_NAMES, TZ, ZONES, make_incident, random_incident
from citylens.contracts import IncidentFilter
from services.search import SearchIndex, search, shared_embedder
import numpy as np

from services.search import rank
from services.search.rank import keyword_matches_pg, keyword_ranking
from services.store import Store
from tests.pg import store_url_for

pytestmark = pytest.mark.slow  # real MiniLM embeddings (~130 documents, once: both stores share them)

START = datetime(2024, 3, 1, tzinfo=timezone.utc)
NOW = START + timedelta(days=10)
PLANTED = [
    ("p-umbrella", "cam-station", "loitering", "gate", "person", "blue", "A man with a red umbrella waiting by the gate."),
    ("p-van", "cam-main5", "stopped_vehicle", "bus lane", "truck", "white", "A white van stopped in the bus lane, hazards on."),
    ("p-ladder", "cam-oak5", "illegal_parking", "loading bay", "truck", "grey", "A grey lorry with a ladder on its roof parked in the loading bay."),
]


class CachingEmbedder:
    """The real embedder, remembering what it encoded: the second store's documents cost nothing."""

    def __init__(self) -> None:
        self.real = shared_embedder()
        self.name = self.real.name
        self._seen: dict[str, object] = {}

    def encode(self, texts):
        import numpy as np

        todo = [t for t in dict.fromkeys(texts) if t not in self._seen]
        if todo:
            self._seen.update(zip(todo, self.real.encode(todo)))
        return np.stack([self._seen[t] for t in texts])


@pytest.fixture(scope="module")
def pair(request, tmp_path_factory):
    """The same 120 incidents stored and indexed in SQLite and in PostgreSQL: {backend: (store, index)}."""
    emb = CachingEmbedder()
    out = {}
    for backend in ("sqlite", "postgresql"):
        d = tmp_path_factory.mktemp(f"search_{backend}")
        store = Store(store_url_for(request, backend, d), d / "media")
        index = SearchIndex(store, tz=TZ, cameras=CAMERA_NAMES, zones=ZONES, embedder=emb, background=False)
        rng = random.Random(3)
        with store.session() as s:
            for i in range(117):
                store.upsert_incident(random_incident(f"inc-{i:03d}", rng, START, NOW), session=s)
            for j, (iid, cam, type_, zone, cls, colour, caption) in enumerate(PLANTED):
                store.upsert_incident(make_incident(iid, camera_id=cam, type_=type_, zone=zone, cls=cls, colour=colour,
                                                    at=START + timedelta(days=2, hours=j), caption=caption), session=s)
        index.flush()
        out[backend] = (store, index)
    yield out
    for store, index in out.values():
        index.close()
        store.close()


def _ids(store: Store, labels: list[int]) -> list[str]:
    if not labels:
        return []
    with store.session() as s:
        got = dict(s.execute(text("SELECT label, incident_id FROM incident_attrs WHERE label IN :l")
                             .bindparams(bindparam("l", expanding=True)), {"l": labels}).all())
    return [got[x] for x in labels]


@pytest.mark.parametrize("words, f", [
    ("umbrella", IncidentFilter()),
    ("lorry ladder roof", IncidentFilter()),
    ("crowd platform", IncidentFilter()),
    ("parked", IncidentFilter(cameras=("cam-oak5",))),
    ("jacket lingering", IncidentFilter(colours=("red", "blue"), since=START + timedelta(days=3))),
])
def test_keyword_matching_finds_the_same_incidents_on_both_backends(pair, words, f):
    found = {}
    for backend, (store, _) in pair.items():
        with store.session() as s:
            found[backend] = set(_ids(store, keyword_ranking(s, f, words, 1000)))
    store, index = pair["postgresql"]
    with store.session() as s:  # as search() calls it: the filters as the attribute mask
        masked = set(_ids(store, keyword_ranking(s, f, words, 1000, allowed=index.attrs.mask(f))))
    assert found["sqlite"], words  # the query matches something, so the comparison means something
    assert found["postgresql"] == found["sqlite"] == masked


@pytest.mark.parametrize("q", [
    "someone holding an umbrella",
    "white van in the bus lane",
    "lorry with a ladder",
    "loitering at the gate",  # filters only: newest first
    "red car speeding",
    "crowd on the platform",
])
def test_search_returns_the_same_incidents_on_both_backends(pair, q):
    hits = {b: [h.incident.id for h in search(store, q, limit=10, index=index, now=NOW).hits]
            for b, (store, index) in pair.items()}
    assert hits["sqlite"], q
    # bm25 and ts_rank_cd score differently, so fused ranks may swap places; the incidents are the same and
    # the best one leads on both
    assert set(hits["postgresql"]) == set(hits["sqlite"])
    assert hits["postgresql"][0] == hits["sqlite"][0]


def test_planted_incidents_lead_their_queries_on_postgresql(pair):
    store, index = pair["postgresql"]
    assert search(store, "someone holding an umbrella", index=index, now=NOW).hits[0].incident.id == "p-umbrella"
    assert search(store, "ladder", index=index, now=NOW).hits[0].incident.id == "p-ladder"


def _plan(s, stmt) -> str:
    sql = str(stmt.compile(s.get_bind(), compile_kwargs={"literal_binds": True}))
    return "\n".join(r[0] for r in s.execute(text("EXPLAIN " + sql)))


def test_keyword_ranking_on_postgresql_uses_the_gin_index(pg_url, tmp_path):
    store = Store(pg_url, tmp_path / "media")
    types = ("loitering", "crowding", "intrusion", "speeding", "congestion")
    try:
        with store.session() as s:  # 50k incidents, 1 in 5000 about an umbrella: big enough for the planner to
            # prefer the index to reading the table (at 20k it reads the table: faster there)
            s.execute(text(
                "INSERT INTO incidents (id, seq, state, type, severity, camera_id, box, rule, track_ids, started_at, "
                "updated_at, facts, models, ingested_at) SELECT 'x' || g, 0, 'closed', (ARRAY['" + "','".join(types) + "'])"
                "[1 + g % 5], 'info', 'cam-' || (g % 7), 'box', 'r', '[]', timestamp '2024-03-01' + g * interval '1 minute', "
                "timestamp '2024-03-01', '{}', '{}', timestamp '2024-03-01' FROM generate_series(1, 50000) AS g"))
            s.execute(text("INSERT INTO incident_attrs (incident_id, colour, doc) SELECT 'x' || g, "
                           "(ARRAY['red','blue'])[1 + g % 2], CASE WHEN g % 5000 = 0 THEN "
                           "'a man with an umbrella at the gate' ELSE 'a red car stopped in the bus lane' END "
                           "FROM generate_series(1, 50000) AS g"))
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE incidents")
            conn.exec_driver_sql("ANALYZE incident_attrs")
        for f in (IncidentFilter(), IncidentFilter(types=("loitering", "crowding"), since=START)):
            with store.session() as s:  # the statement keyword_ranking runs, planned by PostgreSQL itself
                plan = _plan(s, keyword_matches_pg(f, "umbrella"))
            assert "Bitmap Index Scan on ix_incident_attrs_doc_tsv" in plan, plan
            assert "Seq Scan" not in plan, plan
        with store.session() as s:
            labels = keyword_ranking(s, IncidentFilter(), "umbrella", 100)
        assert len(labels) == 10 and all(x % 5000 == 0 for x in labels)
    finally:
        store.close()


def test_the_vector_index_of_a_postgresql_store_is_saved_and_reloaded(pg_url, tmp_path):
    emb = shared_embedder()
    store = Store(pg_url, tmp_path / "media")
    try:
        index = SearchIndex(store, tz="UTC", embedder=emb, background=False)
        for i in range(4):
            store.upsert_incident(make_incident(f"inc-{i}", camera_id="cam-1", type_="loitering", zone="gate", cls="person",
                                                colour="red", at=START + timedelta(minutes=i), caption="A man with an umbrella."))
        index.flush()
        index.close()
        saved = tmp_path / "media" / f"{store.engine.url.database}.hnsw"
        assert saved.is_file()  # the hnswlib file of a PostgreSQL store lives in its media folder
        # written while no index was attached (another writer): found on the next start
        store.upsert_incident(make_incident("inc-late", camera_id="cam-1", type_="loitering", zone="gate", cls="person",
                                            colour="blue", at=START + timedelta(hours=1), caption="A woman with a parasol."))
        again = SearchIndex(store, tz="UTC", embedder=emb, background=False)
        try:
            assert again.pending == 1  # the four saved vectors were loaded, only the late incident is embedded
            again.flush()
            labels, _ = again.knn(again.encode_query("umbrella"), 10)
            assert len(labels) == 5
            nearest, _ = again.knn(again.encode_query("a woman with a parasol"), 1)
            assert _ids(store, [int(x) for x in nearest]) == ["inc-late"]
        finally:
            again.close()
    finally:
        store.close()


def test_a_replica_finds_what_another_replica_stored(pg_url, tmp_path):
    # Two API replicas on one PostgreSQL: each has its own store connection pool and search index; incidents
    # ingested by one are found by the other's next search (keyword and filters at once, meaning once embedded).
    emb = CachingEmbedder()
    a, b = Store(pg_url, tmp_path / "media-a"), Store(pg_url, tmp_path / "media-b")
    ia = SearchIndex(a, tz="UTC", embedder=emb, background=False)
    ib = SearchIndex(b, tz="UTC", embedder=emb, background=False)
    try:
        for i, caption in enumerate(["A man with an umbrella at the gate.", "A red car in the bus lane."]):
            a.upsert_incident(make_incident(f"inc-{i}", camera_id="cam-1", type_="loitering", zone="gate", cls="person",
                                            colour="red", at=START + timedelta(minutes=i), caption=caption))
        got = search(b, "umbrella", index=ib, now=NOW)
        assert [h.incident.id for h in got.hits][:1] == ["inc-0"] and got.semantic_pending == 2
        assert [h.incident.id for h in search(b, "loitering", index=ib, now=NOW).hits] == ["inc-1", "inc-0"]
        ib.flush()
        assert search(b, "someone holding an umbrella", index=ib, now=NOW).semantic_pending == 0
        labels, _ = ib.knn(ib.encode_query("someone holding an umbrella"), 10)
        assert _ids(b, [int(x) for x in labels]) == ["inc-0", "inc-1"]  # both embedded in b, nearest first
        with a.session() as s:  # one deleted and one added by the other replica, after b caught up
            a.delete_incidents(s, ["inc-1"])
        a.upsert_incident(make_incident("inc-2", camera_id="cam-1", type_="loitering", zone="gate", cls="person",
                                        colour="red", at=START + timedelta(minutes=5), caption="A dog on the lawn."))
        assert [h.incident.id for h in search(b, "loitering", index=ib, now=NOW).hits] == ["inc-2", "inc-0"]
    finally:
        for index, store in ((ia, a), (ib, b)):
            index.close()
            store.close()


def test_the_search_bench_runs_on_postgresql(pg_url, tmp_path):
    from citylens.bench.search import run_search_bench

    r = run_search_bench(n=300, queries=5, pool=40, store_url=pg_url, db_dir=str(tmp_path))
    assert r["backend"] == "postgresql" and r["incidents_indexed"] == r["n"] >= 300
    assert r["search"]["p50_ms"] > 0 and r["bulk_ingest_total_per_s"] > 0 and r["baseline_fts_only"]["p95_ms"] > 0
    with pytest.raises(ValueError, match="needs an empty database"):  # labels and counts would mix with old data
        run_search_bench(n=10, queries=1, pool=5, store_url=pg_url, db_dir=str(tmp_path / "again"))


def _fill_docs(store: Store, docs: list[str]) -> None:
    """Incidents whose search documents are ``docs``, labels 1..n in list order (label order = ingest order)."""
    with store.session() as s:
        s.execute(text(
            "INSERT INTO incidents (id, seq, state, type, severity, camera_id, box, rule, track_ids, started_at, "
            "updated_at, facts, models, ingested_at) SELECT 'x' || g, 0, 'closed', 'loitering', 'info', 'cam-1', 'box', "
            "'r', '[]', timestamp '2024-03-01' + g * interval '1 minute', timestamp '2024-03-01', '{}', '{}', "
            "timestamp '2024-03-01' FROM generate_series(1, :n) AS g"), {"n": len(docs)})
        s.execute(text("INSERT INTO incident_attrs (incident_id, doc) SELECT 'x' || g, (CAST(:docs AS text[]))[g] "
                       "FROM generate_series(1, :n) AS g"), {"docs": docs, "n": len(docs)})
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE incident_attrs")


def _reference(s, words: str, allowed: np.ndarray, k: int, *, newest: int | None = None) -> list[int]:
    """What the masked ranking must return, computed the plain way: of the newest ``newest`` incidents holding a
    word (all without it), the newest KEYWORD_DEPTH that ``allowed`` passes, best ts_rank_cd, then newest."""
    q = "(" + str(rank.pg_tsquery(words).compile(s.get_bind(), compile_kwargs={"literal_binds": True})) + ")"
    rows = s.execute(text(f"SELECT label, ts_rank_cd(doc_tsv, {q}) AS r FROM incident_attrs WHERE doc_tsv @@ {q} "
                          "ORDER BY label DESC")).all()
    rows = [r for r in rows[:newest] if allowed[r.label]][:rank.KEYWORD_DEPTH]
    return [r.label for r in sorted(rows, key=lambda r: (-r.r, -r.label))[:k]]


@pytest.fixture(scope="module")
def many_matches(request, tmp_path_factory):
    """3,000 incidents that all hold "car"; every 10th also "umbrella" (the strong match of "umbrella car"),
    one old one "parasol" (label 5)."""
    d = tmp_path_factory.mktemp("many_matches")
    store = Store(store_url_for(request, "postgresql", d), d / "media")
    docs = ["a man with an umbrella next to a car" if i % 10 == 0 else "a red car stopped in the bus lane"
            for i in range(1, 3001)]
    docs[4] = "a woman with a parasol next to a car"
    _fill_docs(store, docs)
    yield store
    store.close()


# The three ways the masked PostgreSQL ranking reads matches, each forced on the small store by its constants.
READS = {"filter first": {"PG_FILTER_FIRST": 10**9},
         "walked": {"PG_FILTER_FIRST": 0, "PG_PROBE": 64, "PG_WALK_ROWS": 10**9},
         "through the GIN index": {"PG_FILTER_FIRST": 0, "PG_PROBE": 64, "PG_WALK_ROWS": 0}}


@pytest.mark.parametrize("read", READS)
def test_masked_postgresql_keyword_ranking_keeps_the_newest_strong_matches_when_every_row_matches(
        many_matches, monkeypatch, read):
    for name, value in READS[read].items():
        monkeypatch.setattr(rank, name, value)
    allowed = np.arange(3001) % 3 == 0  # the filters pass a third
    with many_matches.session() as s:
        got = keyword_ranking(s, IncidentFilter(), "umbrella car", 50, allowed=allowed)
        assert got == _reference(s, "umbrella car", allowed, 50)
        # the strongest matches (both words) lead, newest first, and only what the filters pass
        assert got[:5] == [3000, 2970, 2940, 2910, 2880]
        assert keyword_ranking(s, IncidentFilter(), "parasol", 5, allowed=np.ones(3001, bool)) == [5]


@pytest.mark.parametrize("read", ["walked", "through the GIN index"])
def test_masked_postgresql_keyword_ranking_reads_only_the_newest_matches_up_to_its_budget(many_matches, monkeypatch, read):
    for name, value in {**READS[read], "PG_KEYWORD_SCAN": 600}.items():
        monkeypatch.setattr(rank, name, value)
    allowed = np.arange(3001) % 3 == 0
    with many_matches.session() as s:
        got = keyword_ranking(s, IncidentFilter(), "umbrella car", 1000, allowed=allowed)
        # the newest 600 incidents holding a word, of which the filters pass a third: older strong matches
        # (label 2400 and below) are left to the semantic ranker, as on SQLite (KEYWORD_SCAN)
        assert got == _reference(s, "umbrella car", allowed, 1000, newest=600)
        assert len(got) == 200 and min(got) == 2403 and got[0] == 3000
        # a rare word is read wherever it is: its few matches fit the budget
        assert keyword_ranking(s, IncidentFilter(), "parasol", 5, allowed=np.ones(3001, bool)) == [5]
