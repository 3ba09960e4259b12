"""Run the city evaluation and print its scores: ``python -m tests.search_eval.report [--split test] [--misses]``."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from services.redis_server import RedisServer
from tests.search_eval.harness import city_api, parse_rates, score


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="test", choices=["dev", "test", "all"])
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--category", default=None)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        server = RedisServer(Path(d) / "redis").start()
        try:
            with city_api(Path(d), server.url) as city:
                qs = [q for q in city.queries if (a.split == "all" or q.split == a.split)
                      and (a.category is None or q.category == a.category)]
                table, detail = score(city, qs)
                table["_parse_zh_es"] = parse_rates(city, qs)
                print(json.dumps({"split": a.split, "incidents": len(city.corpus), "queries": len(qs),
                                  "ingest_s": round(city.ingest_s, 1), "scores": table}, indent=1))
                if a.misses:
                    for q, body, rec in detail:
                        if rec < 1:
                            print(f"[{q.category}] {rec:.2f} {q.text!r} rel={len(q.relevant)} got={body['count']} "
                                  f"unmatched={body.get('unmatched')} reason={body.get('reason')} "
                                  f"parsed={json.dumps({k: v for k, v in body['parsed'].items() if v}, ensure_ascii=False)[:500]}")
        finally:
            server.kill()


if __name__ == "__main__":
    main()
