"""Publish the generated city through Redis into the real API (ingest thread + search index), run labelled
queries over HTTP and score them: recall@5, MRR, empty-answer precision, per category and split."""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from edge_workers.bus import Publisher
from services.search import SearchIndex
from services.search.places import Place
from services.store import Store
from tests.search_eval.city import CAMERAS, TZ, Incident, build_city, place_vocabulary
from tests.search_eval.queries import Query, generate

CATEGORIES = ("time", "place", "soft", "negation", "numeric", "recency", "no_answer", "zh", "es")


def places() -> list[Place]:
    return [Place(**p) for p in place_vocabulary()]


@dataclass
class City:
    client: object
    index: SearchIndex
    store: Store
    corpus: list[Incident]
    queries: list[Query]
    now: datetime  # the clock ``queries`` are labelled on: read after the ingest, right before they are asked
    ingest_s: float
    built_at: datetime | None = None  # the clock the corpus was generated on (the load's start)

    def label(self, gen) -> list[Query]:
        """``gen(corpus, now)``'s queries labelled (windows, relative dates) on the clock read now, right before
        they are asked: the search reads its own clock when asked, so "the past 45 mins" must start at the same
        instant in the label and in the search (the ~5 min ingest lies between the load's start and the asking)."""
        self.now = clock()
        return gen(self.corpus, self.now)


def clock() -> datetime:
    """The labelling clock (a function so a test can stand it still)."""
    return datetime.now(timezone.utc)


@contextmanager
def city_api(tmp: Path, redis_url: str, n: int = 2000):
    """The API over a store filled through publisher -> Redis -> ingest; yields a :class:`City` whose template
    queries are labelled on the clock read after the ingest (label other sets with :meth:`City.label`)."""
    from fastapi.testclient import TestClient

    from services.api import create_app
    from services.auth import Role, create_key
    from services.settings import Settings

    built_at = clock()
    corpus = build_city(built_at, n)  # incidents are placed relative to the load's start
    store = Store(f"sqlite:///{tmp / 'city.db'}", tmp / "media")
    index = SearchIndex(store, tz=TZ, cameras=[(c.id, c.name) for c in CAMERAS], places=places())
    _, key = create_key(store, "eval", Role.VIEWER)
    app = create_app(Settings(run_ingest=True, redis_url=redis_url, data_dir=tmp, rate_limit_burst=100_000), store=store)
    t0 = time.perf_counter()
    with TestClient(app, headers={"X-API-Key": key}) as client:
        pub = Publisher(redis_url, maxlen=100_000, spool_dir=tmp / "spool", spool_max_bytes=1 << 24, source="eval")
        revs = sorted((r for inc in corpus for r in inc.revisions), key=lambda r: (r.updated_at, r.seq))
        for ev in revs:
            pub.publish(ev)
        pub.close()
        want = len(corpus)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            with store.session() as s:
                from sqlalchemy import func, select

                from services.store import IncidentRow
                done = s.scalar(select(func.count()).select_from(IncidentRow).where(IncidentRow.seq == IncidentRow.seq))
                closed = s.scalar(select(func.count()).select_from(IncidentRow).where(IncidentRow.state == "closed"))
            if done >= want and closed >= sum(1 for i in corpus if len(i.revisions) > 1) and index.pending == 0:
                break
            time.sleep(0.2)
        else:
            raise TimeoutError("the city did not finish ingesting")
        ingest_s = time.perf_counter() - t0
        city = City(client, index, store, corpus, [], built_at, ingest_s, built_at)
        city.queries = city.label(generate)  # labelled on the clock after the ingest, not the load's start
        yield city
    store.close()


@dataclass
class Scores:
    n: int = 0
    recall: list[float] = field(default_factory=list)
    rr: list[float] = field(default_factory=list)
    empty_ok: int = 0  # no-answer query that came back empty
    answered_empty: int = 0  # answerable query that came back empty (a false "nothing matches")

    def row(self) -> dict:
        r = sum(self.recall) / len(self.recall) if self.recall else None
        m = sum(self.rr) / len(self.rr) if self.rr else None
        return {"n": self.n, "recall@5": None if r is None else round(r, 3), "mrr": None if m is None else round(m, 3),
                "empty_ok": self.empty_ok, "false_empty": self.answered_empty}


LATENCIES_MS: list[float] = []  # wall time of each /search request in this process (TestClient, no network)


def run_query(client, q: Query, limit: int = 20) -> dict:
    t = time.perf_counter()
    r = client.get("/search", params={"q": q.text, "limit": limit})
    LATENCIES_MS.append((time.perf_counter() - t) * 1000)
    assert r.status_code == 200, (q.text, r.text)
    return r.json()


def score(city: City, queries: list[Query] | None = None) -> tuple[dict, list[tuple[Query, dict, float]]]:
    """Per-category scores and the per-query detail (query, response, recall)."""
    per: dict[str, Scores] = defaultdict(Scores)
    detail = []
    empties = truly_empty = 0
    relaxed = {"answerable": 0, "no_answer": 0}  # answers found only by relaxing a weak reading (rank.relax)
    false_by = {"floor": 0, "filters": 0}  # why an answerable question came back empty: unmatched words / filters
    for q in queries if queries is not None else city.queries:
        body = run_query(city.client, q)
        ids = [h["id"] for h in body["data"] if h["id"] not in q.ignore]
        s = per[q.category]
        s.n += 1
        if body.get("relaxed"):
            relaxed["answerable" if q.relevant else "no_answer"] += 1
        if body["count"] == 0:
            empties += 1
            truly_empty += not q.relevant
        if not q.relevant:
            s.empty_ok += body["count"] == 0
            rec = 1.0 if body["count"] == 0 else 0.0
            s.recall.append(rec)
            s.rr.append(rec)
        else:
            rel = set(q.relevant)
            rec = len(rel & set(ids[:5])) / min(len(rel), 5)
            s.recall.append(rec)
            s.rr.append(next((1.0 / (i + 1) for i, x in enumerate(ids) if x in rel), 0.0))
            s.answered_empty += body["count"] == 0
            if body["count"] == 0:
                false_by["floor" if body.get("unmatched") else "filters"] += 1
        detail.append((q, body, rec))
    out = {cat: per[cat].row() for cat in CATEGORIES if cat in per}
    en = [r for q, _, r in detail if q.lang == "en" and q.relevant]
    out["_all_en_answerable"] = {"n": len(en), "recall@5": round(sum(en) / max(1, len(en)), 3)}
    if LATENCIES_MS:
        import numpy as np

        lat = np.array(LATENCIES_MS[-len(detail):])
        out["_latency_ms"] = {"p50": round(float(np.percentile(lat, 50)), 1), "p95": round(float(np.percentile(lat, 95)), 1)}
    out["_empty_precision"] = {"returned_empty": empties, "of_which_no_answer": truly_empty,
                               "precision": round(truly_empty / empties, 3) if empties else None}
    out["_relaxed"] = relaxed
    out["_false_empty_by"] = false_by
    return out, detail


def parse_rates(city: City, queries: list[Query]) -> dict:
    """Chinese / Spanish: share of the queries whose incident type and time window are read right (the check of
    ``test_chinese_and_spanish_types_and_times_parse``)."""
    out = {}
    for lang in ("zh", "es"):
        qs = [q for q in queries if q.lang == lang]
        ok = 0
        for q in qs:
            f = city.index.parse(q.text).filters
            time_ok = True
            if q.intent.times:
                a, b = q.intent.times[0]
                time_ok = f.since is not None and f.since <= a + (b - a) * 0.1 and (f.until is None or f.until >= b - (b - a) * 0.1)
            ok += set(f.types) == (q.intent.types or set()) and time_ok  # no type asked: none should be read
        out[lang] = {"n": len(qs), "ok": ok, "type_and_time_ok": round(ok / len(qs), 3) if qs else None}
    return out
