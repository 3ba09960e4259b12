"""Search benchmark: bulk-load N synthetic incidents, then time search(), filtered listing and two baselines.

The store is a fresh SQLite file by default, or an empty PostgreSQL database given by URL (``--store-url``):
keyword ranking is then tsvector + GIN (migration 0006), vectors stay in hnswlib (no pgvector here).
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from services.search import SearchIndex, search, shared_embedder
from services.search.embed import Embedder
from services.search.rank import keyword_ranking
from citylens.bench.synth import CAMERA_NAMES, CAMERAS, COLOURS, TZ, ZONES, random_incident
from citylens.contracts import IncidentFilter
from services.store import IncidentRow, Store

NOW = datetime(2024, 2, 15, 10, 0, tzinfo=ZoneInfo(TZ))
DAYS = 30
_QUERY_TEMPLATES = [
    "{colour} van stopped in the bus lane last night", "{colour} car speeding this morning", "someone loitering at the {zone}",
    "crowd on the platform yesterday", "abandoned bag near the {zone}", "lorry double parked in the loading bay",
    "man in a {colour} jacket hanging around the gate", "traffic jam at Oak Rd in the last 2 hours", "people gathered at the entrance",
    "motorbike going the wrong way", "intrusion at Harbour Gate on monday", "{colour} suitcase left alone",
    "vehicles crawling through the crossing", "person wearing {colour} crossed the line", "bike in the bus lane today",
    "car standing still with hazards on", "someone walked into the closed quay", "unattended backpack yesterday between 2 and 4 pm",
]


class PoolEmbedder:
    """Embeds a document by its caption, from a pool of precomputed caption vectors; other texts (queries)
    go to the real model. Lets a bulk load of 100k-1M incidents reuse ~thousands of real embeddings.

    Each reused vector gets a small random jitter (cosine ~0.995 to the original): real documents differ in
    camera, zone and time words, and thousands of exact duplicates would degrade the HNSW graph in a way no
    real deployment sees.
    """

    def __init__(self, real: Embedder, pool: dict[str, np.ndarray], *, jitter: float = 0.1, seed: int = 0) -> None:
        self.real, self.pool, self.name, self.jitter = real, pool, real.name, jitter
        self.model, self.multilingual = real.model, real.multilingual  # the vector space and floor constants
        self._rng = np.random.default_rng(seed)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return getattr(self.real, "encode_queries", self.real.encode)(texts)

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [t.split(". ", 1)[0] for t in texts]
        if not keys or not all(k in self.pool for k in keys):
            return self.real.encode(texts)
        v = np.stack([self.pool[k] for k in keys])
        v = v + self._rng.normal(0.0, self.jitter / np.sqrt(v.shape[1]), v.shape).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def _pct(xs: list[float]) -> dict[str, float]:
    a = np.array(xs) * 1000
    return {"p50_ms": round(float(np.percentile(a, 50)), 2), "p95_ms": round(float(np.percentile(a, 95)), 2)}


def _timed(fn, args_list) -> list[float]:
    out = []
    for args in args_list:
        t = time.perf_counter()
        fn(*args)
        out.append(time.perf_counter() - t)
    return out


def _query_latencies(store: Store, index: SearchIndex, queries: int, rng: random.Random, end: datetime) -> dict:
    """p50/p95 of search(), the FTS-only baseline, filtered list_incidents, query embedding, hnswlib kNN and
    brute-force cosine (first 50 queries), and kNN recall@10 against exact search."""
    qs = [rng.choice(_QUERY_TEMPLATES).format(colour=rng.choice(COLOURS), zone=rng.choice(ZONES)) for _ in range(queries)]
    for q in qs[:5]:
        search(store, q, index=index, now=NOW)  # warm caches
    search_t = _timed(lambda q: search(store, q, limit=20, index=index, now=NOW), [(q,) for q in qs])
    parsed = [index.parse(q, now=NOW) for q in qs]
    fts_t = []
    for p in parsed:
        t = time.perf_counter()
        # as search() calls it: on PostgreSQL the filters come as the attribute mask (its time included)
        allowed = None if index.sqlite else index.attrs.mask(p.filters)
        with store.session() as s:
            keyword_ranking(s, p.filters, p.text or "incident", 20, allowed=allowed)
        fts_t.append(time.perf_counter() - t)
    filt = []
    for _ in range(queries):
        cam, _, combos = rng.choice(CAMERAS)
        since = end - timedelta(days=rng.randint(1, DAYS))
        filt.append((IncidentFilter(cameras=[cam], types=[rng.choice(combos)[0]], since=since), None, 50))
    list_t = _timed(store.list_incidents, filt)
    labels, matrix = index.all_vectors()
    embed_t, brute_t, knn_t, overlap = [], [], [], []
    for p, q in zip(parsed[:50], qs[:50]):
        t = time.perf_counter()
        qv = index.encode_query(p.text or q)
        embed_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        exact = labels[np.argpartition(-(matrix @ qv), 10)[:10]]
        brute_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        approx, _ = index.knn(qv, 10)
        knn_t.append(time.perf_counter() - t)
        overlap.append(len(set(approx.tolist()) & set(exact.tolist())) / 10)
    return {"incidents_indexed": len(labels), "search": _pct(search_t), "search_part_query_embedding": _pct(embed_t),
            "baseline_fts_only": _pct(fts_t), "list_incidents_filtered": _pct(list_t), "knn_hnsw": _pct(knn_t),
            "baseline_bruteforce_cosine": _pct(brute_t), "hnsw_recall_at_10_vs_exact": round(float(np.mean(overlap)), 4)}


def _open_store(d: Path, store_url: str | None, *, fresh: bool) -> Store:
    store = Store(store_url or f"sqlite:///{d / 'bench.db'}", d / "media")
    if fresh and store_url:
        with store.session() as s:
            have = s.scalar(select(func.count()).select_from(IncidentRow))
        if have:
            store.close()
            raise ValueError(f"{_shown(store_url)} holds {have} incidents: the benchmark needs an empty database")
    return store


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _analyze(store: Store) -> None:
    """Planner statistics, as a deployed store has them (SQLite: ANALYZE at start-up and PRAGMA optimize on
    close; PostgreSQL: autovacuum, which would get to a freshly bulk-loaded table only after a while)."""
    if store.engine.dialect.name == "sqlite":
        store.analyze_if_unplanned()
        return
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def run_search_bench(n: int = 100_000, queries: int = 200, db_dir: str | None = None, *, pool: int = 2000,
                     seed: int = 7, chunk: int = 5000, store_url: str | None = None) -> dict:
    """Fill a fresh store with ``n`` incidents and measure; returns a JSON-able dict of rates and latencies.

    ``store_url``: an empty PostgreSQL database (``postgresql+psycopg://…``) instead of a SQLite file in
    ``db_dir``; the hnswlib file and media then go to ``db_dir`` (a temporary folder by default).

    Embeddings: only ``pool`` distinct captions are embedded with the real model (MiniLM on CPU manages
    ~50 docs/s per core here, so 1M real embeddings would take hours); each incident reuses its caption's
    vector. Ingest rate covers SQL rows + FTS5 + attrs (bulk executemany) and, separately, the vector index.
    """
    rng = random.Random(seed)
    d = Path(db_dir or tempfile.mkdtemp(prefix="citylens-bench-"))
    store = _open_store(d, store_url, fresh=True)
    real = shared_embedder()
    end, start = NOW.astimezone(timezone.utc), (NOW - timedelta(days=DAYS)).astimezone(timezone.utc)

    # 1) the caption pool: embed `pool` distinct captions with the real model
    captions: list[str] = []
    seen: set[str] = set()
    tries = 0
    while len(captions) < pool and tries < pool * 50:
        tries += 1
        c = random_incident("x", rng, start, end).caption or ""
        if c not in seen:
            seen.add(c)
            captions.append(c)
    real.encode(["warm up"])
    t = time.perf_counter()
    vecs = real.encode(captions)
    embed_s = time.perf_counter() - t
    pool_vecs = {c.rstrip("."): v for c, v in zip(captions, vecs)}
    index = SearchIndex(store, tz=TZ, cameras=CAMERA_NAMES, zones=ZONES, embedder=PoolEmbedder(real, pool_vecs),
                        background=False, batch_size=4096)

    # 2) bulk SQL ingest: incidents + attrs + FTS5 in one transaction per chunk
    cols = set(IncidentRow.__table__.columns.keys())
    sql_s = vec_s = 0.0
    made = 0
    while made < n:
        m = min(chunk, n - made)
        evs = []
        while len(evs) < m:
            ev = random_incident(f"bench-{made + len(evs):08d}", rng, start, end)
            if (ev.caption or "").rstrip(".") in pool_vecs:
                evs.append(ev)
        rows = [{**{k: (v.value if hasattr(v, "value") else v) for k, v in e.model_dump(mode="python").items() if k in cols},
                 "facts": e.facts, "ingested_at": end} for e in evs]  # typed facts, as the store hands them to hooks
        objs = [IncidentRow(**r) for r in rows]
        t = time.perf_counter()
        with store.session() as s:
            s.execute(insert(IncidentRow), rows)
            index.index_new_rows(s, objs)
        sql_s += time.perf_counter() - t
        t = time.perf_counter()
        index.flush(num_threads=-1)  # pool vectors -> hnswlib (no model calls)
        vec_s += time.perf_counter() - t
        made += m

    # 3) the per-event path the ingestor uses (upsert + hook + FTS in one transaction each), on a sample
    sample = [random_incident(f"live-{i:06d}", rng, start, end) for i in range(min(1000, max(100, n // 100)))]
    sample = [e for e in sample if (e.caption or "").rstrip(".") in pool_vecs] or sample[:0]
    t = time.perf_counter()
    for ev in sample:
        store.upsert_incident(ev)
    upsert_s = time.perf_counter() - t
    index.flush()
    # A deployed store has planner statistics (ANALYZE at start-up, PRAGMA optimize on close); give the freshly
    # filled bench store the same, or the numbers below measure SQLite guessing rather than citylens.
    t = time.perf_counter()
    _analyze(store)
    analyze_s = time.perf_counter() - t

    # 4) latencies, and the semantic baseline (exact numpy cosine vs hnswlib kNN)
    lat = _query_latencies(store, index, queries, rng, end)
    n_total = n + len(sample)
    result = {
        "n": n_total, "queries": queries, "backend": store.engine.dialect.name,
        "db": _shown(store_url) if store_url else str(d / "bench.db"),
        "embedding_note": f"{len(captions)} distinct captions embedded with the real model ({len(captions) / embed_s:.0f} docs/s); "
                          "every incident reuses its caption's vector (pool) plus a small jitter, so vector ingest excludes model time",
        "embed_docs_per_s": round(len(captions) / embed_s, 1),
        "bulk_ingest_sql_fts_per_s": round(n / sql_s, 1),
        "vector_index_add_per_s": round(n / vec_s, 1),
        "bulk_ingest_total_per_s": round(n / (sql_s + vec_s), 1),
        "upsert_path_per_s": round(len(sample) / upsert_s, 1) if sample else None,
        "analyze_s": round(analyze_s, 2),
        **lat,
    }
    result["ratio_search_over_fts_p50"] = round(result["search"]["p50_ms"] / max(result["baseline_fts_only"]["p50_ms"], 1e-6), 2)
    result["speedup_hnsw_over_bruteforce_p50"] = round(
        result["baseline_bruteforce_cosine"]["p50_ms"] / max(result["knn_hnsw"]["p50_ms"], 1e-6), 2)
    index.close()
    store.close()
    if db_dir is None:
        shutil.rmtree(d, ignore_errors=True)
        if not store_url:
            result["db"] = None
    return result


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(json.dumps(run_search_bench(n=n), indent=2))


def run_search_query_bench(db_dir: str, queries: int = 200, seed: int = 11, *, store_url: str | None = None) -> dict:
    """Query latencies over a store an earlier ``run_search_bench(db_dir=…)`` built, without rebuilding it
    (``store_url``: the PostgreSQL database it filled; ``db_dir`` then holds its hnswlib file).

    Rebuilding a 1M-incident store takes ~12 min on 2 cores; this measures the same query mix (search, the
    FTS-only baseline, filtered list_incidents, hnswlib recall@10 against exact search) in a minute.
    """
    d = Path(db_dir)
    if not store_url and not (d / "bench.db").is_file():
        raise FileNotFoundError(f"{d / 'bench.db'} does not exist: build it first with `citylens bench search --db-dir {d}`")
    t0 = time.perf_counter()
    store = _open_store(d, store_url, fresh=False)
    index = SearchIndex(store, tz=TZ, cameras=CAMERA_NAMES, zones=ZONES, background=False)
    open_s = time.perf_counter() - t0
    try:
        lat = _query_latencies(store, index, queries, random.Random(seed), NOW.astimezone(timezone.utc))
        return {"db": _shown(store_url) if store_url else str(d / "bench.db"), "backend": store.engine.dialect.name,
                "queries": queries, "open_s": round(open_s, 1), **lat,
                "ratio_search_over_fts_p50": round(lat["search"]["p50_ms"] / max(lat["baseline_fts_only"]["p50_ms"], 1e-6), 2)}
    finally:
        index.close()
        store.close()
