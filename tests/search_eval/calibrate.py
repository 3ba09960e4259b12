"""Learn the "nothing matches" model (services/search/floor.py) from the DEV half of the city evaluation plus the
generated training questions of ``floor_train.py`` and the free-text caption queries of ``tests/test_search_eval.py``;
the test halves are never read.

For every question the floor judges (English, leaves words no parser table knows, names no type by vocabulary),
the features of ``floor.floor_input`` are computed against the real index; the label is whether the question
has an answer. A logistic regression (standardised features, L2) is fitted with classes weighted equally, and the
threshold minimises FALSE_EMPTY_COST x the false-empty rate + the missed-empty rate on those rows.
``[CITYLENS_EMBEDDING_MODEL=...] python -m tests.search_eval.calibrate [--rows rows.json]`` prints the constants of
that embedding model for floor.py's ``FLOORS``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from services.redis_server import RedisServer
from services.search.floor import FEATURES, REQUEST_GATE, floor_input
from tests.search_eval import floor_train
from tests.search_eval.city import CAMERAS
from tests.search_eval.harness import city_api


def eval_sets(city) -> dict[str, list]:
    """Every labelled query set over the city: the template set and the seven blind operator sets (only their dev
    halves are read, by ``rows``; blind6 and blind7 since 2026-11-29)."""
    from tests.search_eval import blind, blind2, blind3, blind4, blind5, blind6, blind7

    label = getattr(city, "label", lambda gen: gen(city.corpus, city.now))  # a City labels on the clock now
    return {"template": city.queries, **{m.__name__.rsplit(".", 1)[1]: label(m.generate)
                                         for m in (blind, blind2, blind3, blind4, blind5, blind6, blind7)}}


def rows(city, split: str = "dev") -> list[dict]:
    """One row per judged question: text, source, label and features (the DEV half of every set, never test)."""
    idx = city.index
    qs = [(q.text, bool(q.relevant), f"{name}-{q.category}") for name, pool in eval_sets(city).items()
          for q in pool if q.split == split]
    qs += [(t, y, "train") for t, y in floor_train.generate(CAMERAS)]
    out = []
    with city.store.session() as s:
        for text_, y, src in qs:
            p = idx.parse(text_)
            # a training row is not read against its own example wording (floor.example_margin)
            x = floor_input(idx, s, p, judge_named_classes=True, holdout=text_ if src == "train" else None)
            # a question the floor does not judge keeps its answer: kept (x None) for the rates over every question
            out.append({"text": text_, "src": src, "answer": y, "unknown": [] if x is None else list(x.unknown),
                        "x": None if x is None else list(x.values), "named_class": bool(p.filters.classes),
                        "pinned": bool(x is not None and x.pinned)})
    return out


def freetext_rows() -> list[dict]:
    """Judged rows of ``tests/test_search_eval.py``'s 42 queries over free-text, VLM-style captions (all answerable):
    the floor must not empty them either, and template captions alone do not show what such captions look like."""
    from services.search import SearchIndex
    from services.store import Store
    from citylens.bench.synth import CAMERA_NAMES, TZ, ZONES
    import tests.test_search_eval as T

    out = []
    with tempfile.TemporaryDirectory() as d:
        store = Store(f"sqlite:///{Path(d) / 'c.db'}", Path(d) / "media")
        index = SearchIndex(store, tz=TZ, cameras=CAMERA_NAMES, zones=ZONES, background=False)
        incidents, _ = T._seed()
        with store.session() as s:
            for ev in incidents:
                store.upsert_incident(ev, session=s)
        index.flush()
        with store.session() as s:
            for q, *_ in T.QUERIES:
                p = index.parse(q, now=T.NOW)
                x = floor_input(index, s, p, judge_named_classes=True)
                out.append({"text": q, "src": "freetext", "answer": True, "unknown": [] if x is None else list(x.unknown),
                            "x": None if x is None else list(x.values), "named_class": bool(p.filters.classes),
                            "pinned": bool(x is not None and x.pinned)})
        index.close()
        store.close()
    return out


# A false "nothing matches" hides an answer (the whole answer, for an operator who then stops looking); a missed one
# only shows unrelated hits with low scores. And more of the questions the floor judges have an answer than not
# (the operator sets: 9 of 10 questions have one). So a false empty costs three missed ones: the floor fails safe.
FALSE_EMPTY_COST = 3.0
CLASS_FALSE_EMPTY_COST = 3.0


def never_emptied(r: dict) -> bool:
    """A judged row the floor keeps whatever the model says: it has a place or time reading and reads as a request
    to go through the records (``floor.REQUEST_GATE``)."""
    return bool(r.get("pinned") and r["x"][FEATURES.index("request_margin")] > REQUEST_GATE)


def _best_threshold(p: np.ndarray, y: np.ndarray, judged: np.ndarray, among: np.ndarray, grid: np.ndarray,
                    cost_fe: float = FALSE_EMPTY_COST) -> float:
    """The threshold of ``grid`` with the lowest FALSE_EMPTY_COST x false-empty rate + missed-empty rate, rates over
    the rows ``among``, of which only the ``judged`` ones can be emptied (the lowest such threshold on ties)."""
    best, thr = 9.0, float(grid[0])
    yes, no = max(1, (among & (y == 1)).sum()), max(1, (among & (y == 0)).sum())
    for t in grid:
        empty = (p < t) & judged
        cost = cost_fe * (empty & (y == 1)).sum() / yes + (~empty & among & (y == 0)).sum() / no
        if cost < best - 1e-9:
            best, thr = cost, float(t)
    return thr


def emptied(r: dict, p: float, m: dict) -> bool:
    """Whether the floor with model ``m`` (``fit``'s output) empties row ``r`` whose p(answerable) is ``p``: a row
    naming an object class against the model's class threshold (None: never), others against its threshold."""
    if never_emptied(r):
        return False
    if r.get("named_class"):
        return m.get("class_threshold") is not None and p < m["class_threshold"]
    return p < m["threshold"]


def fit(data: list[dict], l2: float = 1.0, iters: int = 3000, judge_classes: bool = True,
        class_cost: float | None = None) -> dict:
    X = np.array([r["x"] for r in data], float)
    y = np.array([r["answer"] for r in data], float)
    mean, scale = X.mean(0), np.maximum(X.std(0), 1e-3)  # a feature constant on these rows gets no weight
    Z = (X - mean) / scale
    w_cls = np.where(y == 1, 0.5 / max(1, y.sum()), 0.5 / max(1, (1 - y).sum()))  # classes count equally
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(iters):  # plain gradient descent: 6 features, a few hundred rows
        p = 1 / (1 + np.exp(-(Z @ w + b)))
        g = (p - y) * w_cls
        w -= 0.5 * (Z.T @ g + l2 * w / len(y))
        b -= 0.5 * g.sum()
    p = 1 / (1 + np.exp(-(Z @ w + b)))
    # the thresholds are chosen for the floor as it answers (a request about a place or time is never emptied):
    # one for queries naming no object class, and one of its own for queries that name one ("a dog running on the
    # ring road", "a car on fire"), learned from those rows alone: most of them have an answer, and their class
    # word already reads as something the system sees, so the evidence that the rest cannot be answered must be
    # stronger (2026-11-28). judge_classes=False: the floor before, which never judged them.
    gate = np.array([not never_emptied(r) for r in data])
    named = np.array([bool(r.get("named_class")) for r in data])
    thr = _best_threshold(p, y, gate & ~named, np.ones(len(y), bool), np.arange(0.2, 0.81, 0.01))
    class_thr = (_best_threshold(p, y, gate & named, named, np.arange(0.0, 0.81, 0.01), class_cost or CLASS_FALSE_EMPTY_COST)
                 if judge_classes else None)
    tpr = ((p >= thr) & (y == 1)).sum() / max(1, (y == 1).sum())  # of the model alone (every row judged)
    tnr = ((p < thr) & (y == 0)).sum() / max(1, (y == 0).sum())
    return {"mean": mean.round(4).tolist(), "scale": scale.round(4).tolist(), "w": w.round(4).tolist(),
            "b": round(float(b), 4), "threshold": round(thr, 2), "balanced_accuracy": round((tpr + tnr) / 2, 3),
            "class_threshold": None if class_thr is None or class_thr <= 0 else round(class_thr, 2),
            "p": p.tolist()}


def _predict(m: dict, X: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(((X - np.array(m["mean"])) / np.array(m["scale"])) @ np.array(m["w"]) + m["b"])))


def cross_validate(data: list[dict], folds: int = 5, seeds: int = 5, score=lambda r: True,
                   judge_classes: bool = True, class_cost: float | None = None) -> dict:
    """Out-of-fold rates of the floor as it answers: folds grouped by the question's unknown words (a wording and
    its place/time variants stay on one side), threshold learned inside each training fold; a held-out question
    naming an object class keeps its answer (the floor does not judge it). ``score`` picks the held-out rows
    counted; ``rows`` / ``answerable`` count every judged row. Rows the floor does not judge (``x`` None) keep their
    answer: the ``*_all`` rates are over every labelled question, judged or not (comparable between versions of the
    floor that judge different questions)."""
    kept = [r for r in data if r["x"] is None and score(r)]
    data = [r for r in data if r["x"] is not None]
    groups = sorted({tuple(r["unknown"]) for r in data})
    false_empty = missed = answerable = unanswerable = 0
    for seed in range(seeds):
        perm = np.random.default_rng(seed).permutation(len(groups))
        fold = {groups[j]: i % folds for i, j in enumerate(perm)}
        for k in range(folds):
            train = [r for r in data if fold[tuple(r["unknown"])] != k]
            held = [r for r in data if fold[tuple(r["unknown"])] == k]
            m = fit(train, judge_classes=judge_classes, class_cost=class_cost)
            p = _predict(m, np.array([r["x"] for r in held], float))
            for r, pr in zip(held, p):
                if not score(r):
                    continue
                empty = emptied(r, pr, m)
                if r["answer"]:
                    answerable += 1
                    false_empty += empty
                else:
                    unanswerable += 1
                    missed += not empty
    kept_yes = sum(bool(r["answer"]) for r in kept) * seeds
    kept_no = sum(not r["answer"] for r in kept) * seeds
    return {"false_empty_rate": round(float(false_empty) / max(1, answerable), 3),
            "no_answer_emptied": round(1 - float(missed) / max(1, unanswerable), 3),
            "false_empty_rate_all": round(float(false_empty) / max(1, answerable + kept_yes), 4),
            "no_answer_emptied_all": round((unanswerable - float(missed)) / max(1, unanswerable + kept_no), 3),
            "false_empties_per_seed": round(float(false_empty) / seeds, 1),
            "questions": (answerable + kept_yes + unanswerable + kept_no) // seeds,
            "rows": len(data), "answerable": sum(bool(r["answer"]) for r in data)}


def cross_author(data: list[dict], judge_classes: bool = True) -> dict[str, list[int]]:
    """Leave one author out: for each evaluation set (a source of operator questions: ``template``, ``blind``, ...,
    ``freetext``), the floor is learned from every other row (the training questions always among them) and asked
    that set's questions, as a new author's questions reach it. Returns set -> [answerable emptied, answerable,
    no-answer emptied, no-answer], over every question of the set (a question the floor does not judge keeps its
    answer)."""
    def author(r: dict) -> str:
        return r["src"].split("-")[0]

    out: dict[str, list[int]] = {}
    for name in sorted({author(r) for r in data if r["src"] != "train"}):
        m = fit([r for r in data if r["x"] is not None and author(r) != name], judge_classes=judge_classes)
        t = out.setdefault(name, [0, 0, 0, 0])
        for r in data:
            if author(r) != name:
                continue
            e = r["x"] is not None and emptied(r, float(_predict(m, np.array([r["x"]], float))[0]), m)
            t[0 if r["answer"] else 2] += e
            t[1 if r["answer"] else 3] += 1
    return out


def foreign_report() -> None:
    """The cross-lingual floor (floor.foreign_input, FOREIGN_MARGIN) on labelled Chinese / Spanish questions: the
    written ones of ``floor_train.foreign`` and the dev halves of every set (parse only: no load of the city is
    needed; labels come from the generated corpus at this clock). Prints each judged question's margin and, per
    source, answerable questions emptied and no-answer questions emptied."""
    from datetime import datetime, timezone

    from services.search import SearchIndex
    from services.search.floor import FOREIGN_MARGIN, foreign_input
    from services.store import Store
    from tests.search_eval.city import TZ, build_city
    from tests.search_eval.harness import places

    now = datetime.now(timezone.utc)
    corpus = build_city(now, 2000)
    qs = [(t, y, "train") for t, y in floor_train.foreign()]
    from types import SimpleNamespace

    from tests.search_eval.queries import generate

    sets = eval_sets(SimpleNamespace(queries=generate(corpus, now), corpus=corpus, now=now))
    qs += [(q.text, bool(q.relevant), name) for name, pool in sets.items() for q in pool if q.split == "dev"]
    with tempfile.TemporaryDirectory() as d:
        store = Store(f"sqlite:///{Path(d) / 'c.db'}", Path(d) / "media")
        index = SearchIndex(store, tz=TZ, cameras=[(c.id, c.name) for c in CAMERAS], places=places(), background=False)
        tally: dict[str, list[int]] = {}
        for text_, y, src in qs:
            p = index.parse(text_)
            if p.lang == "en":
                continue
            x = foreign_input(index, p)
            t = tally.setdefault(src, [0, 0, 0, 0])  # answerable, answerable emptied, no-answer, no-answer emptied
            empty = x is not None and x.margin > FOREIGN_MARGIN
            t[0 if y else 2] += 1
            t[1 if y else 3] += empty
            if x is not None:
                print(f"{x.margin:+.3f} {'XX' if empty == y else '  '} answer={y!s:5} {src:<7} {text_!r} {x.unknown}")
        index.close()
        store.close()
    for src, (na, fe, nn, em) in tally.items():
        print(f"{src}: answerable {na}, emptied {fe}; no-answer {nn}, emptied {em}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", help="read (if it exists) or write the feature rows here, to refit without the city")
    ap.add_argument("--foreign", action="store_true", help="check the cross-lingual floor on zh / es questions")
    a = ap.parse_args()
    if a.foreign:
        foreign_report()
        return
    if a.rows and Path(a.rows).exists():
        data = json.loads(Path(a.rows).read_text())
    else:
        with tempfile.TemporaryDirectory() as d:
            server = RedisServer(Path(d) / "redis").start()
            try:
                with city_api(Path(d), server.url) as city:
                    data = rows(city)
                data += freetext_rows()
            finally:
                server.kill()
        if a.rows:
            Path(a.rows).write_text(json.dumps(data))
    judged = [r for r in data if r["x"] is not None]
    m = fit(judged)
    for r, p in sorted(zip(judged, m.pop("p")), key=lambda rp: rp[1]):
        ok = (p >= m["threshold"]) == r["answer"]
        print(f"{p:.2f} {'  ' if ok else 'XX'} answer={r['answer']!s:5} {r['src']:<16} {r['text']!r} "
              + " ".join(f"{k}={v:.2f}" for k, v in zip(FEATURES, r["x"])))
    print(f"rows={len(judged)} answerable={sum(r['answer'] for r in judged)} balanced_accuracy={m['balanced_accuracy']}")
    # cross-validated (5 folds x 5 seeds, grouped by wording), the floor as it answers; "before" = the floor that
    # never judged a query naming an object class, on the same rows; then the same counting only the evaluation
    # sets' dev questions and the free-text ones (operator wording, not the generated training questions), and only
    # the questions that name a class
    operator = lambda r: r["src"] != "train"  # noqa: E731
    for name, score in (("all questions", lambda r: True), ("operator questions", operator),
                        ("questions naming a class", lambda r: bool(r.get("named_class")))):
        for judge in (False, True):
            print(f"cross-validated, {name}, {'after' if judge else 'before'} (named classes "
                  f"{'judged' if judge else 'never judged'}): {cross_validate(data, score=score, judge_classes=judge)}")
    by_author = cross_author(data)
    tot = np.sum(list(by_author.values()), axis=0)
    print(f"leave one author out: {int(tot[0])} of {int(tot[1])} answerable questions emptied, {int(tot[2])} of "
          f"{int(tot[3])} no-answer ones; per set [answerable emptied, answerable, no-answer emptied, no-answer]: {by_author}")
    from services.search.embed import shared_embedder

    print(f"FLOORS[{shared_embedder().model!r}] = FloorModel(mean={tuple(m['mean'])}, scale={tuple(m['scale'])},\n"
          f"    weights={tuple(m['w'])}, bias={m['b']}, threshold={m['threshold']}, "
          f"class_threshold={m['class_threshold']}, ...)")


if __name__ == "__main__":
    main()
