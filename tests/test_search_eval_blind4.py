"""The fourth held-out operator set (``tests/search_eval/blind4.py``): its test half stays frozen, the split is even
and follows the wording only, dates fill in from the clock, and its labels come from the generated city. Digest and
shape checks only: no search and no Redis/API load run here (the scores come from
``python -m tests.search_eval.report --set blind4``)."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime, timedelta, timezone

from tests.search_eval import blind4
from tests.search_eval.city import CAMERAS, build_city
from tests.search_eval.queries import label

# sha256 of the test half's template wording, sorted and joined by newlines. The test half was committed before the
# search first ran on it and must not be edited after a result was seen (add new queries; they fall where the hash
# says).
BLIND4_TEST_DIGEST = "202c9b470a88c0f4"
NOW = datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)  # a Wednesday morning: a fixed clock keeps the test exact


def test_the_blind4_test_half_is_frozen():
    test = sorted(b.text for b in blind4.ALL if blind4.split_of(b.text) == "test")
    assert hashlib.sha256("\n".join(test).encode()).hexdigest()[:16] == BLIND4_TEST_DIGEST


def test_the_split_is_even_per_category_and_follows_the_wording_only():
    texts = [b.text for b in blind4.ALL]
    assert len(set(texts)) == len(texts) >= 160, "a query's template wording is its key"
    by = Counter((b.category, blind4.split_of(b.text)) for b in blind4.ALL)
    for cat in {b.category for b in blind4.ALL}:
        assert abs(by[cat, "test"] - by[cat, "dev"]) <= 1, cat
    langs = Counter(b.lang for b in blind4.ALL)
    assert (langs["zh"] + langs["es"]) / len(blind4.ALL) >= 0.2
    zh = " ".join(b.text for b in blind4.ALL if b.lang == "zh")
    assert any(c in zh for c in "車場應門") and any(c in zh for c in "车场违环")  # traditional and simplified


def test_dates_fill_from_the_clock_and_windows_move_with_it():
    filled = [blind4.fill(b.text, NOW) for b in blind4.ALL if "{" in b.text]
    assert filled and not any("{" in t for t in filled)
    joined = " ".join(filled)
    assert "2026-11-21" in joined and "19 de noviembre" in joined and "11月20日" in joined  # 4, 6 and 5 days back
    for key in ("d1:night", "wd4:after22", "last_week", "range9-7", "past90m"):
        a, _ = blind4.window(key, NOW)
        b, _ = blind4.window(key, NOW + timedelta(days=7))
        assert b[0][0] - a[0][0] == timedelta(days=7), key


def test_queries_are_labelled_from_a_small_city():
    city = build_city(NOW, n=300)
    by_id = {i.id: i for i in city}
    for x in blind4.generate(city, NOW):
        assert x.split == blind4.split_of(next(b.text for b in blind4.ALL if blind4.fill(b.text, NOW) == x.text))
        for rid in x.relevant:
            assert label(by_id[rid], x.intent) == "rel", x.text
        if x.intent.newest:
            assert len(x.relevant) == 1
    # a no-answer question about a type at a place: no camera named there has that rule
    for b in blind4.ALL:
        if not b.answer and b.types and b.places:
            cams = [c for c in CAMERAS if c.id in b.places]
            assert cams and not any(t in b.types for c in cams for t, _ in c.rules), b.text
