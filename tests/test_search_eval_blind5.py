"""The fifth held-out operator set (``tests/search_eval/blind5.py``): its test half stays frozen, the split follows
the wording only, dates and windows move with the clock, and labels come from the generated city. Digest and shape
checks only: no search and no Redis/API load run here (the scores come from
``python -m tests.search_eval.report --set blind5``)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

from tests.search_eval import blind5, checks

# sha256 of the test half's template wording, sorted and joined by newlines. The test half was committed before the
# search first ran on it and must not be edited after a result was seen (add new queries; they fall where the hash
# says).
BLIND5_TEST_DIGEST = "f00c15183f46d3a8"
NOW = datetime(2026, 11, 28, 10, 30, tzinfo=timezone.utc)  # a Saturday morning: a fixed clock keeps the test exact


def test_the_blind5_test_half_is_frozen():
    assert checks.test_half(blind5)[1] == BLIND5_TEST_DIGEST


def test_the_split_is_even_per_category_and_follows_the_wording_only():
    texts = [a.text for a in blind5.ALL]
    assert len(set(texts)) == len(texts) >= 200, "a query's template wording is its key"
    by = Counter((a.category, blind5.split_of(a.text)) for a in blind5.ALL)
    for cat in {a.category for a in blind5.ALL}:
        assert abs(by[cat, "test"] - by[cat, "dev"]) <= 2, cat
    langs = Counter(a.lang for a in blind5.ALL)
    assert (langs["zh"] + langs["es"]) / len(blind5.ALL) >= 0.24
    zh = " ".join(a.text for a in blind5.ALL if a.lang == "zh")
    assert any(c in zh for c in "車場過週") and any(c in zh for c in "车场过环")  # traditional and simplified


def test_dates_fill_from_the_clock_and_windows_move_with_it():
    filled = [blind5.fill(a.text, NOW) for a in blind5.ALL if "{" in a.text]
    assert filled and not any("{" in t for t in filled)
    joined = " ".join(filled)
    assert "25/11" in joined and "26 de noviembre" in joined and "11月25日" in joined and "11/24" in joined
    assert "the 25th" in joined and "Nov 26" in joined
    keys = ("d1:night", "wd4:late", "weekend", "last_week", "wdr0-2", "past90m", "today:from8", "d2:15-17")
    checks.assert_windows_move_with_the_clock(blind5, keys, NOW)
    # Saturday 11:30 local: "the weekend" is the one before, "friday late" is yesterday 21:00-24:00 local
    (w,), _ = blind5.window("weekend", NOW)
    assert w == (datetime(2026, 11, 20, 23, tzinfo=timezone.utc), datetime(2026, 11, 22, 23, tzinfo=timezone.utc))
    (f,), _ = blind5.window("wd4:late", NOW)
    assert f == (datetime(2026, 11, 27, 20, tzinfo=timezone.utc), datetime(2026, 11, 27, 23, tzinfo=timezone.utc))


def test_queries_are_labelled_from_the_city():
    checks.assert_labelled_from_the_city(blind5, NOW, at_least=200)
