"""Learn the relevance floor (services/search/floor.py) from the DEV half of the city evaluation.

For every dev query whose parse leaves words that no parser table and no indexed document knows, the feature is
the cosine between those words and the nearest document; the label is whether the query has an answer. The
floor is the threshold that classifies the most dev queries right (ties: the midpoint of the widest gap).
``python -m tests.search_eval.calibrate``
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from services.redis_server import RedisServer
from tests.search_eval.harness import city_api


def features(city, split: str = "dev") -> list[tuple[float, bool, str, bool]]:
    """(cosine, has_answer, text, names a detectable thing) for the split's queries that have df-0 words."""
    idx = city.index
    out = []
    with city.store.session() as s:
        for q in city.queries:
            if q.split != split:
                continue
            p = idx.parse(q.text)
            if p.lang != "en" or not p.unknown:
                continue
            cands = [w for w in p.unknown if not idx._df(s, w)]
            if not cands:
                continue
            _, sims = idx.knn(idx.encode_query(" ".join(cands)), 1)
            f = p.filters
            subject = bool(f.types or f.classes or p.soft.types or p.exclude.types or p.facts)
            out.append((float(sims[0]) if len(sims) else 0.0, bool(q.relevant), q.text + " | " + " ".join(cands), subject))
    return out


def learn(rows: list[tuple[float, bool, str, bool]]) -> float:
    rows = [r for r in rows if not r[3]]  # the floor only judges queries that name nothing detectable
    xs = sorted({r[0] for r in rows})
    best, best_t = -1, 0.5
    for i in range(len(xs) + 1):
        t = (xs[i - 1] + xs[i]) / 2 if 0 < i < len(xs) else (xs[0] - 0.01 if i == 0 else xs[-1] + 0.01)
        ok = sum((r[0] >= t) == r[1] for r in rows)
        if ok > best:
            best, best_t = ok, t
    return round(best_t, 3)


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        server = RedisServer(Path(d) / "redis").start()
        try:
            with city_api(Path(d), server.url) as city:
                rows = features(city)
                for r in sorted(rows):
                    print(f"{r[0]:.3f} answer={r[1]!s:5} subject={r[3]!s:5} {r[2]}")
                print("RELEVANCE_FLOOR =", learn(rows))
        finally:
            server.kill()


if __name__ == "__main__":
    main()
