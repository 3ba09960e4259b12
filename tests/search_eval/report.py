"""Run the city evaluation and print its scores:
``python -m tests.search_eval.report [--set city|blind|blind2|blind3|blind4|blind5|blind6|blind7|blind8|blind9|blind10|blind11|all] [--split test] [--misses] [--category time]``.

``--set city`` (default) is the template set of ``queries.py``; ``--set blind`` is the held-out operator set of
``blind.py``, written without reading the search code (tune on its dev half only); ``--set blind2`` is the second
such set (``blind2.py``), by another author, in another voice; ``--set blind3`` is the third (``blind3.py``), by a
third author; ``--set blind4`` is the fourth (``blind4.py``), by a fourth author; ``--set blind5`` is the fifth
(``blind5.py``), by a fifth author; ``--set blind6`` is the sixth (``blind6.py``), by a sixth author; ``--set blind7``
is the seventh (``blind7.py``), by a seventh author; ``--set blind8`` is the eighth (``blind8.py``), by an eighth
author; ``--set blind9`` is the ninth (``blind9.py``), by a ninth author; ``--set blind10`` is the tenth
(``blind10.py``), by a tenth author; ``--set blind11`` is the eleventh (``blind11.py``), by an eleventh author;
``--set all`` scores the twelve sets on one load of the city (one ~3 min load instead of twelve)."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from services.redis_server import RedisServer
from tests.search_eval import blind, blind2, blind3, blind4, blind5, blind6, blind7, blind8, blind9, blind10, blind11, queries
from tests.search_eval.harness import city_api, parse_rates, score


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", dest="qset", default="city",
                    choices=["city", "blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9",
                             "blind10", "blind11", "all"])
    ap.add_argument("--split", default="test", choices=["dev", "test", "all", "both"],
                    help="both: one table per half from a single load of the city")
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--category", default=None)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        server = RedisServer(Path(d) / "redis").start()
        try:
            with city_api(Path(d), server.url) as city:
                sets = {"city": queries.generate, "blind": blind.generate, "blind2": blind2.generate,
                        "blind3": blind3.generate, "blind4": blind4.generate, "blind5": blind5.generate,
                        "blind6": blind6.generate, "blind7": blind7.generate,
                        "blind8": blind8.generate, "blind9": blind9.generate,
                        "blind10": blind10.generate, "blind11": blind11.generate}
                for qset in (list(sets) if a.qset == "all" else [a.qset]):
                    _report(city, qset, sets[qset], a)
        finally:
            server.kill()


def _report(city, qset: str, gen, a) -> None:
    for split in (["dev", "test"] if a.split == "both" else [a.split]):
        pool = city.label(gen)  # labelled on the clock read right before these queries are asked, not the load's
        qs = [q for q in pool if (split == "all" or q.split == split)
              and (a.category is None or q.category == a.category)]
        table, detail = score(city, qs)
        table["_parse_zh_es"] = parse_rates(city, qs)
        print(json.dumps({"set": qset, "split": split, "incidents": len(city.corpus), "queries": len(qs),
                          "ingest_s": round(city.ingest_s, 1), "scores": table}, indent=1))
        if a.misses:
            for q, body, rec in detail:
                if rec < 1:
                    top = [h.get("caption") or h.get("type") for h in body["data"][:3]]
                    print(f"[{split}{'' if a.qset != 'all' else ' ' + qset} {q.category}] {rec:.2f} {q.text!r} rel={len(q.relevant)} got={body['count']} "
                          f"unmatched={body.get('unmatched')} reason={body.get('reason')} relaxed={body.get('relaxed')} "
                          f"parsed={json.dumps({k: v for k, v in body['parsed'].items() if v}, ensure_ascii=False)[:500]}"
                          f" top3={json.dumps(top, ensure_ascii=False)[:400]}")


if __name__ == "__main__":
    main()
